//! Argo CD: `tusk build` as a config-management plugin (CMP) `generate`
//! command. Argo's cmp-server runs the command in the application's source
//! directory with its build environment; this module turns that
//! environment into project settings.
//!
//! | variable | effect | precedence |
//! |---|---|---|
//! | `ARGOCD_APP_NAME` | release name | the project's `release:` wins |
//! | `ARGOCD_APP_NAMESPACE` (the destination namespace) | release namespace | the project's `namespace:` wins |
//! | `KUBE_VERSION` | `kubeVersion` | the project's `kubeVersion:` wins |
//! | `KUBE_API_VERSIONS` | `apiVersions` (comma-separated) | the project's `apiVersions:` wins |
//! | `ARGOCD_ENV_TUSK_VALUES` | YAML values merged over the project's inline values | the Application's wins |
//! | `ARGOCD_ENV_TUSK_PARAMS` | `OVERLAY.KEY=VALUE` overlay parameters, separated by newlines or spaces | the Application's wins |
//!
//! `ARGOCD_ENV_*` variables are the Application's `spec.source.plugin.env`
//! entries (Argo prefixes them). Under Argo (when `ARGOCD_APP_NAME` is set)
//! output always goes to standard output, whatever the project's `output:`
//! says, because that is what Argo reads. Without `ARGOCD_APP_NAME`
//! nothing changes.

use std::path::Path;

use serde_json::{Map, Value};

use crate::build::BuildError;
use crate::project::{Output, Project};

/// The variables of Argo CD's build environment tusk reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ArgoEnv {
    /// `ARGOCD_APP_NAME`: the Application's name.
    pub app_name: Option<String>,
    /// `ARGOCD_APP_NAMESPACE`: the Application's destination namespace.
    pub app_namespace: Option<String>,
    /// `KUBE_VERSION`: the cluster's Kubernetes version.
    pub kube_version: Option<String>,
    /// `KUBE_API_VERSIONS`: the cluster's API versions, comma-separated.
    pub api_versions: Option<String>,
    /// `ARGOCD_ENV_TUSK_VALUES`: values (YAML) from the Application.
    pub values: Option<String>,
    /// `ARGOCD_ENV_TUSK_PARAMS`: overlay parameters from the Application.
    pub params: Option<String>,
}

impl ArgoEnv {
    /// Reads the variables from `vars` (name, value pairs); empty values
    /// count as unset.
    pub fn from_vars<I, K, V>(vars: I) -> ArgoEnv
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<String>,
    {
        let mut e = ArgoEnv::default();
        for (k, v) in vars {
            let v: String = v.into();
            if v.is_empty() {
                continue;
            }
            let slot = match k.as_ref() {
                "ARGOCD_APP_NAME" => &mut e.app_name,
                "ARGOCD_APP_NAMESPACE" => &mut e.app_namespace,
                "KUBE_VERSION" => &mut e.kube_version,
                "KUBE_API_VERSIONS" => &mut e.api_versions,
                "ARGOCD_ENV_TUSK_VALUES" => &mut e.values,
                "ARGOCD_ENV_TUSK_PARAMS" => &mut e.params,
                _ => continue,
            };
            *slot = Some(v);
        }
        e
    }

    /// Reads the process environment.
    pub fn from_process() -> ArgoEnv {
        ArgoEnv::from_vars(std::env::vars())
    }

    /// Whether this looks like Argo's build environment.
    pub fn active(&self) -> bool {
        self.app_name.is_some()
    }
}

fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(bv) if bv.is_object() && v.is_object() => merge(bv, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// Applies Argo's build environment to a project. `raw` is the project
/// file as parsed YAML: only keys it sets explicitly win over Argo's
/// defaults.
pub fn apply(project: &mut Project, raw: &Value, env: &ArgoEnv) -> Result<(), String> {
    if !env.active() {
        return Ok(());
    }
    let explicit = |k: &str| raw.get(k).is_some_and(|v| !v.is_null());
    if let (false, Some(n)) = (explicit("release"), &env.app_name) {
        project.release = n.clone();
    }
    if let (false, Some(n)) = (explicit("namespace"), &env.app_namespace) {
        project.namespace = Some(n.clone());
    }
    if let (false, Some(v)) = (explicit("kubeVersion"), &env.kube_version) {
        project.kube_version = Some(v.clone());
    }
    if let (false, Some(v)) = (explicit("apiVersions"), &env.api_versions) {
        project.api_versions = v
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
    }
    if let Some(text) = &env.values {
        let v: Value = yaml_serde::from_str(text)
            .map_err(|e| format!("ARGOCD_ENV_TUSK_VALUES: not YAML: {e}"))?;
        if !(v.is_object() || v.is_null()) {
            return Err("ARGOCD_ENV_TUSK_VALUES: expected a mapping of values".into());
        }
        let base = project
            .values
            .get_or_insert_with(|| Value::Object(Map::new()));
        if base.is_null() {
            *base = Value::Object(Map::new());
        }
        merge(base, &v);
    }
    if let Some(text) = &env.params {
        for item in text.split_whitespace() {
            let (lhs, value) = item.split_once('=').ok_or_else(|| {
                format!("ARGOCD_ENV_TUSK_PARAMS: {item}: expected OVERLAY.KEY=VALUE")
            })?;
            let (overlay, key) = lhs.split_once('.').ok_or_else(|| {
                format!("ARGOCD_ENV_TUSK_PARAMS: {lhs}=…: expected OVERLAY.KEY=VALUE")
            })?;
            let target = project
                .overlays
                .iter_mut()
                .find(|o| overlay_name(o) == overlay)
                .ok_or_else(|| {
                    format!(
                        "ARGOCD_ENV_TUSK_PARAMS: {lhs}=…: the project has no overlay {overlay:?}"
                    )
                })?;
            // Scalars keep their YAML type (`3`, `true`), lists and maps
            // may be given in flow style; anything else is a string.
            let v = yaml_serde::from_str::<Value>(value)
                .ok()
                .filter(|v| !v.is_null() && !v.is_object() || value.starts_with('{'))
                .unwrap_or_else(|| Value::String(value.to_string()));
            target.params.insert(key.to_string(), v);
        }
    }
    project.output = Output::Stdout;
    Ok(())
}

/// An overlay's name as `OVERLAY.KEY` addresses it: the built-in's name, or
/// the file name without `.yaml` / `.yml`.
fn overlay_name(o: &crate::project::OverlayRef) -> &str {
    if let Some(n) = &o.name {
        return n;
    }
    let p = o.path.as_deref().unwrap_or("");
    let file = p.rsplit(['/', '\\']).next().unwrap_or(p);
    file.strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".yml"))
        .unwrap_or(file)
}

/// Loads a project file and applies Argo's build environment `env` to it
/// (no change when `env` is not active).
pub fn load_project(path: &Path, env: &ArgoEnv) -> Result<Project, BuildError> {
    let mut project = Project::load(path)?;
    if !env.active() {
        return Ok(project);
    }
    let err = |message: String| BuildError::Project {
        path: path.display().to_string(),
        message,
    };
    // Project::load succeeded, so the file reads and parses.
    let text = crate::input::read_text(path).map_err(|e| err(e.to_string()))?;
    let raw: Value = yaml_serde::from_str(&text).map_err(|e| err(e.to_string()))?;
    apply(&mut project, &raw, env).map_err(err)?;
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROJECT: &str = "chart: c\noverlays:\n  - name: image\n  - path: extra/pdb.yml\n    params: {minAvailable: 1}\noutput: {dir: out}\n";

    fn applied(text: &str, vars: &[(&str, &str)]) -> Result<Project, String> {
        let mut p = Project::parse(text, Path::new(".")).unwrap();
        let raw: Value = yaml_serde::from_str(text).unwrap();
        apply(&mut p, &raw, &ArgoEnv::from_vars(vars.iter().copied()))?;
        Ok(p)
    }

    #[test]
    fn argo_defaults_yield_to_explicit_project_settings() {
        let vars = [
            ("ARGOCD_APP_NAME", "social"),
            ("ARGOCD_APP_NAMESPACE", "fedi"),
            ("KUBE_VERSION", "1.30.2"),
            ("KUBE_API_VERSIONS", "v1,apps/v1,monitoring.coreos.com/v1"),
        ];
        let p = applied(PROJECT, &vars).unwrap();
        assert_eq!(
            p.api_versions,
            ["v1", "apps/v1", "monitoring.coreos.com/v1"]
        );
        assert_eq!(p.release, "social");
        assert_eq!(p.namespace.as_deref(), Some("fedi"));
        assert_eq!(p.kube_version.as_deref(), Some("1.30.2"));
        assert_eq!(p.output, Output::Stdout);
        let p = applied(
            &format!(
                "release: mine\nnamespace: ns\nkubeVersion: 1.29.0\napiVersions: [v1]\n{PROJECT}"
            ),
            &vars,
        )
        .unwrap();
        assert_eq!(p.api_versions, ["v1"]);
        assert_eq!(p.release, "mine");
        assert_eq!(p.namespace.as_deref(), Some("ns"));
        assert_eq!(p.kube_version.as_deref(), Some("1.29.0"));
        // Not under Argo: nothing changes.
        let p = applied(PROJECT, &[("ARGOCD_APP_NAMESPACE", "fedi")]).unwrap();
        assert_eq!(p.release, "mastodon");
        assert_eq!(p.output, Output::Dir { dir: "out".into() });
    }

    #[test]
    fn application_values_and_params() {
        let p = applied(
            &format!("values: {{a: {{b: 1, c: 2}}}}\n{PROJECT}"),
            &[
                ("ARGOCD_APP_NAME", "x"),
                ("ARGOCD_ENV_TUSK_VALUES", "a: {c: 3}\nd: e\n"),
                (
                    "ARGOCD_ENV_TUSK_PARAMS",
                    "image.tag=v4.3.2\n pdb.minAvailable=2 image.components=[web,sidekiq]",
                ),
            ],
        )
        .unwrap();
        assert_eq!(
            p.values.unwrap(),
            serde_json::json!({"a": {"b": 1, "c": 3}, "d": "e"})
        );
        assert_eq!(p.overlays[0].params["tag"], "v4.3.2");
        assert_eq!(
            p.overlays[0].params["components"],
            serde_json::json!(["web", "sidekiq"])
        );
        assert_eq!(p.overlays[1].params["minAvailable"], 2);
        for (vars, want) in [
            ("nope.tag=1", "no overlay \"nope\""),
            ("image=1", "expected OVERLAY.KEY=VALUE"),
        ] {
            let e = applied(
                PROJECT,
                &[("ARGOCD_APP_NAME", "x"), ("ARGOCD_ENV_TUSK_PARAMS", vars)],
            )
            .unwrap_err();
            assert!(e.contains(want), "{e}");
        }
        let e = applied(
            PROJECT,
            &[("ARGOCD_APP_NAME", "x"), ("ARGOCD_ENV_TUSK_VALUES", "[1]")],
        )
        .unwrap_err();
        assert!(e.contains("expected a mapping"), "{e}");
    }
}
