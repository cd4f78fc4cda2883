//! Input documents: a multi-document YAML stream as `helm template` prints it
//! (`---` separators, `# Source: path` comments), parsed into JSON values the
//! way the Kubernetes API machinery sees them (YAML → JSON, keys as strings).

use serde_json::Value;

/// One YAML document to validate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The template path (helm's `# Source:`) or file it came from, if known.
    pub source: Option<String>,
    /// The file (or `<stdin>`) the text was read from, if any; [`Document::line`]
    /// counts lines of this file.
    pub file: Option<String>,
    /// The YAML text of exactly one document.
    pub text: String,
    /// Line of the input where `text` starts (1-based), so findings can
    /// name lines of the file rather than of the document.
    pub line: usize,
}

impl Document {
    /// A document with a known source.
    pub fn new(source: Option<String>, text: impl Into<String>) -> Self {
        Document {
            source,
            file: None,
            text: text.into(),
            line: 1,
        }
    }
}

/// Splits a YAML stream into documents on `---` lines. A `# Source: PATH`
/// comment inside a document names its source; otherwise `default_source`
/// (the file name, which is also recorded as [`Document::file`]) is used. Documents holding nothing but comments and
/// blank lines are dropped, as helm and kubectl drop them.
pub fn split_stream(text: &str, default_source: Option<&str>) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut cur = String::new();
    let mut start = 1;
    let flush = |cur: &mut String, start: usize, docs: &mut Vec<Document>| {
        let body = std::mem::take(cur);
        if body
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim() == "...")
        {
            return;
        }
        // Only the comment header counts (a script in a ConfigMap may
        // contain the same words).
        let source = body
            .lines()
            .take_while(|l| l.trim().is_empty() || l.starts_with('#'))
            .find_map(|l| l.strip_prefix("# Source: "))
            .map(|s| s.trim().to_string())
            .or_else(|| default_source.map(str::to_string));
        docs.push(Document {
            source,
            file: default_source.map(str::to_string),
            text: body,
            line: start,
        });
    };
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare == "---" || bare.starts_with("--- ") || bare.starts_with("---\t") {
            flush(&mut cur, start, &mut docs);
            start = n + 2;
            // `--- {a: 1}`: content on the separator line belongs to the next document.
            let rest = bare[3..].trim_start();
            if !rest.is_empty() && !rest.starts_with('#') {
                start = n + 1;
                cur.push_str(rest);
                cur.push('\n');
            }
            continue;
        }
        cur.push_str(line);
    }
    flush(&mut cur, start, &mut docs);
    docs
}

/// Parses one document into a JSON value. `Ok(None)` for an empty document.
pub(crate) fn parse_yaml(text: &str) -> Result<Option<Value>, String> {
    crate::yaml::load(text)
        .map(|l| l.value)
        .map_err(|e| format!("line {}, column {}: {}", e.line, e.col, e.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_helm_stream_with_sources() {
        let s = "---\n# Source: c/templates/a.yaml\na: 1\n---\n# Source: c/templates/b.yaml\n# only a comment\n---\nb: 2\n";
        let docs = split_stream(s, Some("in.yaml"));
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].source.as_deref(), Some("c/templates/a.yaml"));
        assert_eq!(docs[1].source.as_deref(), Some("in.yaml"));
        assert_eq!(docs[1].text, "b: 2\n");
        assert_eq!((docs[0].line, docs[1].line), (2, 8));
        let inner = split_stream("a: |\n  # Source: not/this\n", Some("f.yaml"));
        assert_eq!(inner[0].source.as_deref(), Some("f.yaml"));
    }

    #[test]
    fn yaml_keys_become_strings() {
        let v = parse_yaml("1: a\ntrue: b\nx: [1, 2.5]\n").unwrap().unwrap();
        assert_eq!(v["1"], "a");
        assert_eq!(v["true"], "b");
        assert_eq!(v["x"][1], 2.5);
        assert!(parse_yaml("# nothing\n").unwrap().is_none());
        assert!(parse_yaml("a: [\n").is_err());
    }
}
