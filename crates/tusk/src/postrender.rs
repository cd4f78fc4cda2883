//! Overlays as a post-renderer: a manifest stream in, the same stream with
//! overlays applied out. This is what `tusk post-render` (helm's
//! `--post-renderer`), the helm 4 post-renderer plugin and the kustomize
//! transformer run.
//!
//! Helm 3 hands a post-renderer its `---` / `# Source:` stream (without the
//! hooks, helm#7891); helm 4 hands it a kyaml stream where each document
//! carries a `postrenderer.helm.sh/postrender-filename` annotation instead
//! of a `# Source:` comment. [`ManifestStream`] reads both (and any other
//! multi-document YAML) and writes the documents back the way it found
//! them: untouched documents byte for byte, `# Source:` comments only where
//! there were some (and on the resources overlays add).
//!
//! A post-renderer does not know the chart, the release or the values; a
//! [`Context`] supplies them — from a project file ([`Context::from_project`]),
//! from flags, or inferred from helm's standard labels
//! ([`Context::infer_from`]: `app.kubernetes.io/instance` for the release,
//! `helm.sh/chart` for the chart name and version).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tusk_overlay::{Applied, ChartInfo, Env, Overlay, ParamInputs};

use crate::build::BuildError;
use crate::overlays::{apply_plans, chart_info, effective_values, load_overlay, plan_all};
use crate::project::Project;
use crate::{Manifest, Rendered};

/// Prefix of the internal source name given to documents that arrived
/// without a `# Source:` comment; such documents are written back without
/// one.
const UNNAMED: &str = "\u{0}stdin#";

/// A multi-document YAML stream, split into documents, remembering which
/// ones had a `# Source:` comment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestStream {
    /// The documents in stream order. A document that had no `# Source:`
    /// comment has an internal placeholder source (see [`Self::source_of`]).
    pub rendered: Rendered,
}

impl ManifestStream {
    /// Splits `text` on `---` lines. A leading `# Source: PATH` line of a
    /// document is taken as its source; documents that are empty (only
    /// blanks and comments) are dropped, as helm and kustomize drop them.
    pub fn parse(text: &str) -> ManifestStream {
        // helm 3's exact shape first: it round-trips byte for byte.
        if let Some(r) = Rendered::from_stream(text) {
            return ManifestStream { rendered: r };
        }
        let mut docs: Vec<Vec<&str>> = vec![Vec::new()];
        for line in text.split_inclusive('\n') {
            let bare = line.trim_end_matches(['\n', '\r']);
            if bare.trim_end() == "---" || bare.starts_with("--- ") {
                docs.push(Vec::new());
            } else if let Some(d) = docs.last_mut() {
                d.push(line);
            }
        }
        let mut manifests = Vec::new();
        for (i, lines) in docs.into_iter().enumerate() {
            let blank = lines.iter().all(|l| {
                let t = l.trim();
                t.is_empty() || t.starts_with('#')
            });
            if blank {
                continue;
            }
            let (source, body) = match lines.first().and_then(|l| l.strip_prefix("# Source: ")) {
                Some(s) => (s.trim_end().to_string(), &lines[1..]),
                None => (format!("{UNNAMED}{i}"), &lines[..]),
            };
            let mut content: String = body.concat();
            if content.ends_with('\n') {
                content.pop();
            }
            manifests.push(Manifest { source, content });
        }
        ManifestStream {
            rendered: Rendered {
                manifests,
                warnings: String::new(),
                release_empty: false,
            },
        }
    }

    /// A document's `# Source:` path, or `None` when it arrived without one.
    pub fn source_of(m: &Manifest) -> Option<&str> {
        (!m.source.starts_with(UNNAMED)).then_some(m.source.as_str())
    }

    /// The stream as text: `---`, the `# Source:` line where the document
    /// had one, the document. For helm 3's stream this is exactly helm's
    /// format.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for m in &self.rendered.manifests {
            out.push_str("---\n");
            if let Some(s) = Self::source_of(m) {
                out.push_str("# Source: ");
                out.push_str(s);
                out.push('\n');
            }
            out.push_str(&m.content);
            out.push('\n');
        }
        out
    }

    /// Each document parsed as YAML (`None` for documents that do not parse).
    pub fn values(&self) -> Vec<Option<Value>> {
        self.rendered
            .manifests
            .iter()
            .map(|m| yaml_serde::from_str::<Value>(&m.content).ok())
            .collect()
    }
}

/// What overlays are planned against when there is no render to ask: the
/// release, its namespace, the chart's identity and values.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Context {
    /// Release name (`release.name` in overlay bodies); empty when unknown
    /// (overlays then see helm's `release-name`).
    pub release: String,
    /// Release namespace; manifests without a namespace are taken to be in it.
    pub namespace: String,
    /// Chart name and versions, for `when: {chart, version}`.
    pub chart: ChartInfo,
    /// The chart's values, for `value()` and `when: {values}`; an empty
    /// object when unknown.
    pub values: Value,
    /// Directory that relative overlay files and `file:` secrets resolve from.
    pub base_dir: PathBuf,
    /// Accept literal values for secret parameters.
    pub allow_literal_secrets: bool,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            release: String::new(),
            namespace: "default".into(),
            chart: ChartInfo {
                name: String::new(),
                version: String::new(),
                app_version: None,
            },
            values: Value::Object(Default::default()),
            base_dir: PathBuf::from("."),
            allow_literal_secrets: false,
        }
    }
}

/// Splits helm's `helm.sh/chart: NAME-VERSION` label value.
fn split_chart_label(label: &str) -> Option<(&str, &str)> {
    // Versions are semver, so the last `-` followed by a digit starts it
    // (a chart name may contain dashes, a version may too after its first
    // digit: `mastodon-6.2.0-rc.1`).
    let mut at = None;
    for (i, _) in label.match_indices('-') {
        if label[i + 1..].starts_with(|c: char| c.is_ascii_digit()) {
            at = Some(i);
            break;
        }
    }
    let i = at?;
    Some((&label[..i], &label[i + 1..]))
}

/// The most common value of a label across the documents (ties: the first
/// seen).
fn common_label(docs: &[Option<Value>], key: &str) -> Option<String> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        let Some(v) = d
            .as_ref()
            .and_then(|d| d.pointer("/metadata/labels"))
            .and_then(|l| l.get(key))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let e = counts.entry(v.to_string()).or_insert((0, i));
        e.0 += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(k, _)| k)
}

impl Context {
    /// Release, namespace, chart and values from a project file (the
    /// chart's `Chart.yaml` and `values.yaml` are read when the chart is
    /// local). The project's overlays are not part of the context; see
    /// [`project_overlays`].
    pub fn from_project(p: &Project) -> Context {
        let files: Vec<PathBuf> = p.values_files.iter().map(|f| p.resolve_path(f)).collect();
        let (chart, values) = if p.chart_is_local() && !p.chart.is_empty() {
            let dir = p.resolve_path(&p.chart);
            (
                chart_info(&dir),
                effective_values(&dir, &files, p.values.as_ref()),
            )
        } else {
            (
                ChartInfo {
                    name: p.chart.rsplit('/').next().unwrap_or("").to_string(),
                    version: p.version.clone().unwrap_or_default(),
                    app_version: None,
                },
                effective_values(Path::new("/nonexistent"), &files, p.values.as_ref()),
            )
        };
        Context {
            release: p.release.clone(),
            namespace: p.namespace.clone().unwrap_or_else(|| "default".into()),
            chart,
            values,
            base_dir: p.base_dir.clone(),
            allow_literal_secrets: p.allow_literal_secrets,
        }
    }

    /// Fills what is still unknown from helm's standard labels on the
    /// manifests: the release from `app.kubernetes.io/instance`, the chart
    /// name and version from `helm.sh/chart`. Only empty fields are
    /// filled: explicit settings win.
    pub fn infer_from(&mut self, stream: &ManifestStream) {
        let docs = stream.values();
        if self.release.is_empty() {
            if let Some(r) = common_label(&docs, "app.kubernetes.io/instance") {
                self.release = r;
            }
        }
        if self.chart.name.is_empty() {
            if let Some(c) = common_label(&docs, "helm.sh/chart") {
                if let Some((name, version)) = split_chart_label(&c) {
                    self.chart.name = name.to_string();
                    self.chart.version = version.to_string();
                }
            }
        }
    }

    fn env(&self) -> Env {
        Env {
            chart: self.chart.clone(),
            release: if self.release.is_empty() {
                "release-name".into()
            } else {
                self.release.clone()
            },
            namespace: self.namespace.clone(),
            values: self.values.clone(),
            base_dir: self.base_dir.clone(),
            allow_literal_secrets: self.allow_literal_secrets,
        }
    }
}

/// Loads a project's overlays (built-ins by name, files relative to the
/// project) with their parameters.
pub fn project_overlays(p: &Project) -> Result<Vec<(Overlay, ParamInputs)>, BuildError> {
    let mut out = Vec::new();
    for o in &p.overlays {
        let spec = o.name.as_deref().or(o.path.as_deref()).unwrap_or_default();
        let overlay = load_overlay(spec, &p.base_dir)?;
        let mut params = ParamInputs::default();
        for (k, v) in &o.params {
            params.push(k.clone(), tusk_overlay::RawParam::Value(v.clone()));
        }
        out.push((overlay, params));
    }
    Ok(out)
}

/// The post-rendered stream and what the overlays did.
#[derive(Debug)]
pub struct PostRendered {
    /// The manifests after overlays, in the input's shape.
    pub stream: ManifestStream,
    /// Matches per target, and the redaction table.
    pub applied: Applied,
}

/// Applies `overlays` to `input` (a manifest stream) and fails on any
/// expectation mismatch, like `tusk build` does.
pub fn post_render(
    input: &ManifestStream,
    overlays: &[(Overlay, ParamInputs)],
    ctx: &Context,
) -> Result<PostRendered, BuildError> {
    let plans = plan_all(overlays, &ctx.env())?;
    let (rendered, applied) = apply_plans(&input.rendered, &plans)?;
    applied.report.check()?;
    Ok(PostRendered {
        stream: ManifestStream { rendered },
        applied,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELM3: &str = "---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    app.kubernetes.io/instance: rel\n    helm.sh/chart: my-chart-1.2.3-rc.1\n";

    #[test]
    fn helm3_stream_round_trips() {
        let s = ManifestStream::parse(HELM3);
        assert_eq!(s.rendered.manifests.len(), 1);
        assert_eq!(s.to_text(), HELM3);
    }

    #[test]
    fn unnamed_documents_stay_unnamed() {
        let text = "apiVersion: v1\nkind: A\n---\n# just a comment\n---\napiVersion: v1\nkind: B\n";
        let s = ManifestStream::parse(text);
        assert_eq!(s.rendered.manifests.len(), 2);
        assert!(ManifestStream::source_of(&s.rendered.manifests[0]).is_none());
        assert_eq!(
            s.to_text(),
            "---\napiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: B\n"
        );
    }

    #[test]
    fn infers_release_and_chart_from_labels() {
        let mut c = Context::default();
        c.infer_from(&ManifestStream::parse(HELM3));
        assert_eq!(c.release, "rel");
        assert_eq!(c.chart.name, "my-chart");
        assert_eq!(c.chart.version, "1.2.3-rc.1");
        assert_eq!(split_chart_label("nochart"), None);
    }

    #[test]
    fn overlays_apply_and_expectations_fail() {
        let overlay = Overlay::parse(
            "t.yaml",
            "name: t\n---\ntargets:\n  - id: cm\n    select: {kind: ConfigMap}\n    count: 1\n    patches:\n      - addLabels: {x: z}\n",
        )
        .unwrap();
        let s = ManifestStream::parse(HELM3);
        let out = post_render(
            &s,
            &[(overlay.clone(), ParamInputs::default())],
            &Context::default(),
        )
        .unwrap();
        let text = out.stream.to_text();
        assert!(
            text.starts_with("---\n# Source: c/templates/a.yaml\n"),
            "{text}"
        );
        assert!(text.contains("    x: z\n"), "{text}");
        let none = ManifestStream::parse("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n");
        let err = post_render(
            &none,
            &[(overlay, ParamInputs::default())],
            &Context::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("expected exactly 1"), "{err}");
    }
}
