//! The project file (`tusk.yaml`): one chart, its release, values,
//! overlays with their parameters, the renderer and where output goes.
//!
//! ```yaml
//! chart: ../../fixtures/charts/mastodon-classic   # path, oci://…, or a name with repo:
//! release: mastodon
//! namespace: mastodon
//! valuesFiles: [values.yaml]
//! values: {mastodon: {local_domain: social.example.com}}
//! renderer: helm
//! overlays:
//!   - name: otel
//!     params: {endpoint: "https://api.honeycomb.io", headers: "env:HONEYCOMB_KEY"}
//!   - path: overlays/extra.yaml
//! output: {dir: out}
//! ```
//!
//! Relative paths (chart, values files, overlay files, `file:` secrets,
//! output) are relative to the project file's directory.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::build::BuildError;

/// Which renderer a project uses.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RendererChoice {
    /// tusk's own renderer.
    #[default]
    Native,
    /// A helm binary (`helmBin`, `$HELM_BIN`, or `helm` on `PATH`).
    Helm,
}

/// Where `tusk build` writes.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", untagged)]
pub enum Output {
    /// `stdout` (the default): helm's `---`/`# Source:` stream.
    #[default]
    #[serde(skip)]
    Stdout,
    /// The word `stdout`.
    Named(String),
    /// `{dir: PATH}`: one file per template, like `helm template --output-dir`.
    Dir {
        /// The directory.
        dir: PathBuf,
    },
    /// `{file: PATH}`: the whole stream in one file.
    File {
        /// The file.
        file: PathBuf,
    },
}

/// One overlay in a project: a built-in by `name` or a file by `path`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OverlayRef {
    /// A built-in overlay's name.
    #[serde(default)]
    pub name: Option<String>,
    /// An overlay file.
    #[serde(default)]
    pub path: Option<String>,
    /// Parameters (secrets as `env:NAME`, `file:PATH`, `{env: NAME}`, `{file: PATH}`).
    #[serde(default)]
    pub params: Map<String, Value>,
}

impl OverlayRef {
    /// The name or path, for messages.
    pub fn label(&self) -> &str {
        self.name.as_deref().or(self.path.as_deref()).unwrap_or("?")
    }
}

/// A parsed project file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Project {
    /// Chart: directory, `.tgz`, `oci://…`, or a chart name with `repo`.
    pub chart: String,
    /// Chart repository URL for a chart given by name.
    #[serde(default)]
    pub repo: Option<String>,
    /// Chart version (constraint) for repository and OCI charts.
    #[serde(default)]
    pub version: Option<String>,
    /// Release name (default `mastodon`).
    #[serde(default = "default_release")]
    pub release: String,
    /// Release namespace (helm's default is `default`).
    #[serde(default)]
    pub namespace: Option<String>,
    /// Values files, in order.
    #[serde(default)]
    pub values_files: Vec<String>,
    /// Inline values, applied after the files.
    #[serde(default)]
    pub values: Option<Value>,
    /// `--kube-version`.
    #[serde(default)]
    pub kube_version: Option<String>,
    /// `--api-versions`: extra API versions for `.Capabilities.APIVersions`.
    #[serde(default)]
    pub api_versions: Vec<String>,
    /// `helmCompat: 3|4`: which helm's `helm template` the native renderer
    /// reproduces (helm 3.17.2 by default, or helm 4.1.4).
    #[serde(default, deserialize_with = "helm_compat")]
    pub helm_compat: crate::HelmCompat,
    /// Renderer.
    #[serde(default)]
    pub renderer: RendererChoice,
    /// helm binary for the helm renderer.
    #[serde(default)]
    pub helm_bin: Option<PathBuf>,
    /// Overlays, applied in order.
    #[serde(default)]
    pub overlays: Vec<OverlayRef>,
    /// Seed for the random template functions (`randAlphaNum`, `uuidv4`,
    /// `genCA`, ...), so builds repeat; native renderer only.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Allow literal secret parameter values (off: only env:/file:).
    #[serde(default)]
    pub allow_literal_secrets: bool,
    /// Where output goes.
    #[serde(default)]
    pub output: Output,
    /// The directory relative paths are resolved from (the file's).
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// `helmCompat` as a number (`4`) or a string (`"4"`, `"v4"`).
fn helm_compat<'de, D: serde::Deserializer<'de>>(d: D) -> Result<crate::HelmCompat, D::Error> {
    let v = Value::deserialize(d)?;
    let text = match &v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    text.parse().map_err(serde::de::Error::custom)
}

fn default_release() -> String {
    "mastodon".into()
}

impl Project {
    /// Reads and checks a project file.
    pub fn load(path: &Path) -> Result<Project, BuildError> {
        let text = crate::input::read_text(path).map_err(|e| BuildError::Project {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let base = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Project::parse(&text, base).map_err(|message| BuildError::Project {
            path: path.display().to_string(),
            message,
        })
    }

    /// Parses project text; `base` resolves relative paths.
    pub fn parse(text: &str, base: &Path) -> Result<Project, String> {
        let mut p: Project = yaml_serde::from_str(text).map_err(|e| e.to_string())?;
        p.base_dir = base.to_path_buf();
        for o in &p.overlays {
            if o.name.is_some() == o.path.is_some() {
                return Err(format!(
                    "overlay {:?}: give exactly one of name (a built-in) or path (a file)",
                    o.label()
                ));
            }
        }
        if let Output::Named(n) = &p.output {
            if n != "stdout" {
                return Err(format!(
                    "output: expected stdout, {{dir: PATH}} or {{file: PATH}}, got {n:?}"
                ));
            }
        }
        Ok(p)
    }

    /// A path from the project file, resolved against its directory.
    pub fn resolve_path(&self, p: impl AsRef<Path>) -> PathBuf {
        let p = p.as_ref();
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    /// Whether `chart` names a local chart (not `oci://`, a URL, or a repo name).
    pub fn chart_is_local(&self) -> bool {
        self.repo.is_none() && !self.chart.contains("://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_checks() {
        let p = Project::parse(
            "chart: c\noverlays:\n  - name: otel\n    params: {endpoint: x}\noutput: {dir: out}\n",
            Path::new("proj"),
        )
        .unwrap();
        assert_eq!(p.release, "mastodon");
        assert_eq!(p.output, Output::Dir { dir: "out".into() });
        assert_eq!(p.resolve_path("c"), Path::new("proj/c"));
        assert!(
            Project::parse("chart: c\noverlays: [{name: a, path: b}]\n", Path::new(".")).is_err()
        );
        assert!(Project::parse("chart: c\nchrat: d\n", Path::new(".")).is_err());
        assert!(Project::parse("chart: c\noutput: stderr\n", Path::new(".")).is_err());
        let p = Project::parse("chart: c\noutput: stdout\n", Path::new(".")).unwrap();
        assert_eq!(
            crate::Destination::from_project(&p),
            crate::Destination::Stdout
        );
        let p = Project::parse("chart: c\noutput: {file: all.yaml}\n", Path::new("d")).unwrap();
        assert_eq!(
            crate::Destination::from_project(&p),
            crate::Destination::File("d/all.yaml".into())
        );
        let p = Project::parse("chart: oci://r/m\nversion: ^6\n", Path::new(".")).unwrap();
        assert!(!p.chart_is_local());
        assert_eq!(p.helm_compat, crate::HelmCompat::V3);
        let p = Project::parse("chart: c\nhelmCompat: 4\n", Path::new(".")).unwrap();
        assert_eq!(p.helm_compat, crate::HelmCompat::V4);
        let p = Project::parse("chart: c\nhelmCompat: \"3\"\n", Path::new(".")).unwrap();
        assert_eq!(p.helm_compat, crate::HelmCompat::V3);
        let e = Project::parse("chart: c\nhelmCompat: 5\n", Path::new(".")).unwrap_err();
        assert!(e.contains("expected 3 or 4"), "{e}");
    }
}
