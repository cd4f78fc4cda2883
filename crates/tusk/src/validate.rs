//! Validation of rendered manifests: a thin facade over `tusk-validate`.
//!
//! `tusk build` and `tusk validate` call [`validate`] on a [`Rendered`]
//! (or [`validate_stream`] on text); both return a [`Report`] holding every
//! finding, never stopping at the first.

pub use tusk_validate::{
    Document, Finding, Format, KubeVersion, ManifestRef, Options as ValidateOptions, Report,
    Severity, ValidateError, Value, format_report, parse_values, rules, split_stream,
};

use crate::Rendered;

/// Validates rendered manifests; each keeps its `# Source:` template path.
pub fn validate(rendered: &Rendered, opts: &ValidateOptions) -> Report {
    let docs: Vec<Document> = rendered
        .manifests
        .iter()
        .map(|m| Document::new(Some(m.source.clone()), m.content.clone()))
        .collect();
    tusk_validate::validate(&docs, opts)
}

/// Validates documents read from files or standard input.
pub fn validate_documents(docs: &[Document], opts: &ValidateOptions) -> Report {
    tusk_validate::validate(docs, opts)
}

/// Validates a YAML stream (e.g. `helm template` output, or a file of
/// manifests); `source` names documents without a `# Source:` comment.
pub fn validate_stream(text: &str, source: Option<&str>, opts: &ValidateOptions) -> Report {
    tusk_validate::validate_stream(text, source, opts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Manifest;

    #[test]
    fn rendered_manifests_keep_their_source() {
        let r = Rendered {
            manifests: vec![Manifest {
                source: "c/templates/cm.yaml".into(),
                content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1"
                    .into(),
            }],
            ..Default::default()
        };
        let report = validate(&r, &ValidateOptions::default());
        assert_eq!(report.findings.len(), 1, "{report:?}");
        let f = &report.findings[0];
        assert_eq!(f.rule, "schema/type");
        assert_eq!(f.manifest.source.as_deref(), Some("c/templates/cm.yaml"));
        assert_eq!(f.path, "/data/a");
    }
}
