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
    /// What the renderer reports on standard error while succeeding, in
    /// helm's words and lines (e.g. `coalesce.go:...: warning: ...`);
    /// printed verbatim so both backends read alike.
    pub warnings: String,
    /// helm rendered no resource or CRD (nothing, or hooks only): its
    /// stream then starts with an empty line.
    pub release_empty: bool,
}

const HEADER: &str = "---\n# Source: ";

impl Rendered {
    /// Exactly what `helm template` prints on standard output.
    pub fn to_stream(&self) -> String {
        let mut out = String::new();
        if self.release_empty {
            out.push('\n');
        }
        for m in &self.manifests {
            out.push_str(HEADER);
            out.push_str(&m.source);
            out.push('\n');
            out.push_str(&m.content);
            out.push('\n');
        }
        out
    }

    /// Keeps the documents helm's `--show-only PATTERN...` would print
    /// (helm applies it after post-rendering, so overlays run first).
    pub fn show_only(self, patterns: &[String]) -> Result<Rendered, crate::RenderError> {
        let docs = self
            .manifests
            .into_iter()
            .map(|m| tusk_render::OutputManifest {
                source: m.source,
                content: m.content,
            })
            .collect();
        let shown = tusk_render::output::show_only(docs, patterns)
            .map_err(|e| crate::RenderError::Failed(e.message().to_string()))?;
        Ok(Rendered {
            manifests: shown
                .into_iter()
                .map(|m| Manifest {
                    source: m.source,
                    content: m.content,
                })
                .collect(),
            warnings: self.warnings,
            release_empty: self.release_empty && patterns.is_empty(),
        })
    }

    /// Parses `helm template` output back into manifests. Returns `None` when
    /// the text is not in helm's shape (so the caller can keep it raw instead
    /// of losing bytes).
    pub fn from_stream(full: &str) -> Option<Rendered> {
        let mut manifests = Vec::new();
        let (release_empty, text) = match full.strip_prefix('\n') {
            Some(rest) => (true, rest),
            None => (false, full),
        };
        if text.is_empty() {
            return Some(Rendered {
                manifests,
                release_empty,
                ..Default::default()
            });
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
        let parsed = Rendered {
            manifests,
            release_empty,
            ..Default::default()
        };
        (parsed.to_stream() == full).then_some(parsed)
    }

    /// Writes the manifests below `dir` the way `helm template --output-dir`
    /// does: one file per template path, documents of the same template
    /// appended. Returns the paths written, in order, for helm's
    /// `wrote PATH` lines.
    ///
    /// Unlike helm, the write is atomic per chart: the tree is built in a
    /// temporary sibling directory and each top-level chart directory is
    /// then renamed into place, so a failure leaves the previous output
    /// intact and no stale files from removed templates survive.
    pub fn write_output_dir(&self, dir: &Path) -> io::Result<Vec<String>> {
        use std::collections::HashSet;
        use std::io::Write;
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let staging = tempfile::Builder::new()
            .prefix(".tusk-output-")
            .tempdir_in(&parent)?;
        let mut seen = HashSet::new();
        let mut wrote = Vec::new();
        for m in &self.manifests {
            let rel = safe_relative(&m.source)?;
            let path = staging.path().join(rel);
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p)?;
            }
            let first = seen.insert(m.source.clone());
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .write(true)
                .append(!first)
                .truncate(first)
                .open(&path)?;
            write!(f, "{HEADER}{}\n{}\n", m.source, m.content)?;
            f.sync_all()?;
            wrote.push(format!("{}/{}", dir.display(), m.source));
        }
        std::fs::create_dir_all(dir)?;
        for entry in std::fs::read_dir(staging.path())? {
            let entry = entry?;
            let target = dir.join(entry.file_name());
            if target.exists() {
                // Move the old tree aside inside the staging dir; it is
                // deleted with it.
                let old = staging.path().join(".previous");
                std::fs::rename(&target, &old)?;
                std::fs::rename(entry.path(), &target)?;
                std::fs::remove_dir_all(&old)?;
            } else {
                std::fs::rename(entry.path(), &target)?;
            }
        }
        Ok(wrote)
    }
}

/// A manifest's source path as a relative path that stays inside the output
/// directory (a chart cannot name `../x` or `/etc/x` as a template path, but
/// the helm backend's output is parsed text, so check anyway).
fn safe_relative(source: &str) -> io::Result<&Path> {
    let p = Path::new(source);
    let ok = p
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok && !source.is_empty() {
        Ok(p)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("manifest source path {source:?} would leave the output directory"),
        ))
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
    fn output_dir_replaces_chart_tree_and_keeps_siblings() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir_all(out.join("other")).unwrap();
        std::fs::write(out.join("other/keep.txt"), "keep").unwrap();
        let r = |docs: &[(&str, &str)]| Rendered {
            manifests: docs
                .iter()
                .map(|(s, c)| Manifest {
                    source: s.to_string(),
                    content: c.to_string(),
                })
                .collect(),
            ..Default::default()
        };
        r(&[("c/templates/stale.yaml", "x: 1")])
            .write_output_dir(&out)
            .unwrap();
        let wrote = r(&[
            ("c/templates/a.yaml", "a: 1"),
            ("c/templates/a.yaml", "b: 2"),
        ])
        .write_output_dir(&out)
        .unwrap();
        assert_eq!(wrote.len(), 2);
        let a = std::fs::read_to_string(out.join("c/templates/a.yaml")).unwrap();
        assert_eq!(
            a,
            "---\n# Source: c/templates/a.yaml\na: 1\n---\n# Source: c/templates/a.yaml\nb: 2\n"
        );
        assert!(!out.join("c/templates/stale.yaml").exists());
        assert!(out.join("other/keep.txt").exists());
        // Nothing of the staging directory is left behind.
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);
    }

    #[test]
    fn output_dir_refuses_escaping_sources() {
        let tmp = tempfile::tempdir().unwrap();
        let r = Rendered {
            manifests: vec![Manifest {
                source: "../evil.yaml".into(),
                content: "a: 1".into(),
            }],
            ..Default::default()
        };
        assert!(r.write_output_dir(&tmp.path().join("out")).is_err());
        assert!(!tmp.path().join("evil.yaml").exists());
    }

    #[test]
    fn non_helm_text_is_refused() {
        assert!(Rendered::from_stream("a: 1\n").is_none());
        assert!(Rendered::from_stream("---\n# Source: x\na: 1").is_none());
    }
}
