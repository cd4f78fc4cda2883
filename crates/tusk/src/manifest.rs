//! Rendered manifests and helm's `---` / `# Source:` output stream.

use std::io;
use std::path::Path;

/// One rendered YAML document and the template it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Template path as helm prints it, e.g. `mastodon/templates/web.yaml`.
    pub source: String,
    /// The document text, without the `---` and `# Source:` header lines.
    pub content: String,
}

/// The result of a render: manifests in helm's output order (resources,
/// then hooks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The documents, in output order.
    pub manifests: Vec<Manifest>,
}

const HEADER: &str = "---\n# Source: ";

impl Rendered {
    /// Exactly what `helm template` prints on standard output.
    pub fn to_stream(&self) -> String {
        let mut out = String::new();
        for m in &self.manifests {
            out.push_str(HEADER);
            out.push_str(&m.source);
            out.push('\n');
            out.push_str(&m.content);
            out.push('\n');
        }
        out
    }

    /// Parses `helm template` output back into manifests. Returns `None` when
    /// the text is not in helm's shape (so the caller can keep it raw instead
    /// of losing bytes).
    pub fn from_stream(text: &str) -> Option<Rendered> {
        let mut manifests = Vec::new();
        if text.is_empty() {
            return Some(Rendered { manifests });
        }
        let rest = text.strip_prefix(HEADER)?;
        // Every document starts at a line that is exactly the header.
        let sep = format!("\n{HEADER}");
        for chunk in rest.split(&sep) {
            let (source, body) = chunk.split_once('\n')?;
            manifests.push(Manifest {
                source: source.to_string(),
                content: body.to_string(),
            });
        }
        // The last document ends with the newline helm appends.
        let last = manifests.last_mut()?;
        last.content = last.content.strip_suffix('\n')?.to_string();
        let parsed = Rendered { manifests };
        (parsed.to_stream() == text).then_some(parsed)
    }

    /// Writes the manifests below `dir` the way `helm template --output-dir`
    /// does: one file per template path, documents of the same template
    /// appended. Returns the paths written, in order, for helm's
    /// `wrote PATH` lines.
    pub fn write_output_dir(&self, dir: &Path) -> io::Result<Vec<String>> {
        use std::collections::HashSet;
        use std::io::Write;
        let mut seen = HashSet::new();
        let mut wrote = Vec::new();
        for m in &self.manifests {
            let path = dir.join(&m.source);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let first = seen.insert(m.source.clone());
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .write(true)
                .append(!first)
                .truncate(first)
                .open(&path)?;
            write!(f, "{HEADER}{}\n{}\n", m.source, m.content)?;
            wrote.push(format!("{}/{}", dir.display(), m.source));
        }
        Ok(wrote)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_round_trips() {
        let text = "---\n# Source: c/templates/a.yaml\na: 1\n---\n# Source: c/templates/b.yaml\nb: 2\nc: 3\n";
        let r = Rendered::from_stream(text).expect("helm shape");
        assert_eq!(r.manifests.len(), 2);
        assert_eq!(r.manifests[1].source, "c/templates/b.yaml");
        assert_eq!(r.manifests[1].content, "b: 2\nc: 3");
        assert_eq!(r.to_stream(), text);
    }

    #[test]
    fn non_helm_text_is_refused() {
        assert!(Rendered::from_stream("a: 1\n").is_none());
        assert!(Rendered::from_stream("---\n# Source: x\na: 1").is_none());
    }
}
