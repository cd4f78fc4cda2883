//! Findings: what is wrong, where, how bad, and what to do about it.

use std::fmt;

/// How bad a finding is. Ordered: `Error` is the most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Note,
    /// Probably wrong; fails a run only with `--warnings-as-errors`.
    Warning,
    /// The cluster would reject it, or Mastodon would break.
    Error,
}

impl Severity {
    /// Lower-case name, as printed and in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which manifest a finding is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestRef {
    /// Position of the document in the input, from 0 (`None` for findings
    /// about the chart values rather than a document).
    pub index: Option<usize>,
    /// `apiVersion`, when the document has one.
    pub api_version: Option<String>,
    /// `kind`, when the document has one.
    pub kind: Option<String>,
    /// `metadata.name`, when the document has one.
    pub name: Option<String>,
    /// `metadata.namespace`, when the document has one.
    pub namespace: Option<String>,
    /// The template path from helm's `# Source:` line, or the file read.
    pub source: Option<String>,
    /// The file the document was read from (then [`Finding::line`] is a line
    /// of this file; otherwise a line of the document itself).
    pub file: Option<String>,
}

impl ManifestRef {
    /// `Kind/name` (or what is known of it), for messages.
    pub fn display_name(&self) -> String {
        match (&self.kind, &self.name) {
            (Some(k), Some(n)) => format!("{k}/{n}"),
            (Some(k), None) => format!("{k}/<unnamed>"),
            (None, Some(n)) => format!("<no kind>/{n}"),
            (None, None) => match self.index {
                Some(i) => format!("document #{}", i + 1),
                None => self.source.clone().unwrap_or_default(),
            },
        }
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable rule identifier, e.g. `schema/unknown-field` or `mastodon/otlp-grpc`.
    pub rule: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The manifest it is about.
    pub manifest: ManifestRef,
    /// JSON pointer into the manifest (`/spec/template/spec/containers/0/env/3`);
    /// empty for the whole document.
    pub path: String,
    /// What is wrong, specific to this occurrence.
    pub message: String,
    /// 1-based line in the input text (of the field, or of its nearest
    /// enclosing node when the field is missing), when known.
    pub line: Option<usize>,
}

impl Finding {
    /// The rule's catalog entry (why it matters, how to fix it).
    pub fn rule_info(&self) -> &'static crate::rules::Rule {
        crate::rules::lookup(self.rule)
    }

    /// The field path in dotted form (`spec.template.spec.containers[0].env[3]`).
    pub fn dotted_path(&self) -> String {
        dotted(&self.path)
    }
}

/// Turns a JSON pointer into `a.b[0].c` form.
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&seg);
            out.push(']');
        } else if seg.contains(['.', '[', ']', ' ']) || seg.is_empty() {
            out.push_str(&format!("[{seg:?}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

/// Appends one segment to a JSON pointer, escaping `~` and `/`.
pub(crate) fn push_pointer(base: &str, seg: &str) -> String {
    let mut s = String::with_capacity(base.len() + seg.len() + 1);
    s.push_str(base);
    s.push('/');
    for c in seg.chars() {
        match c {
            '~' => s.push_str("~0"),
            '/' => s.push_str("~1"),
            c => s.push(c),
        }
    }
    s
}

/// Everything found in one run, plus what could not be checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Findings in input order (document, then rule order within it).
    pub findings: Vec<Finding>,
    /// How many documents were read (empty documents excluded).
    pub documents: usize,
    /// Resources whose kind has no schema here (custom resources without a
    /// CRD in the input or among tusk's own): listed, not reported as findings.
    pub unchecked: Vec<ManifestRef>,
}

impl Report {
    /// Number of findings of exactly this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Whether the run fails: any error, or any warning when `warnings_as_errors`.
    pub fn is_failure(&self, warnings_as_errors: bool) -> bool {
        self.findings.iter().any(|f| {
            f.severity == Severity::Error || (warnings_as_errors && f.severity == Severity::Warning)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_become_dotted_paths() {
        assert_eq!(
            dotted("/spec/template/spec/containers/0/env/3"),
            "spec.template.spec.containers[0].env[3]"
        );
        assert_eq!(
            dotted("/metadata/annotations/helm.sh~1hook"),
            "metadata.annotations[\"helm.sh/hook\"]"
        );
        assert_eq!(dotted(""), "");
        assert_eq!(push_pointer("/a", "b/c~"), "/a/b~1c~0");
    }
}
