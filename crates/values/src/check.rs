//! Which user keys a chart never declares or reads (helm#6422, helm#7285).
//!
//! helm silently ignores values a chart does not know — a misspelt
//! `mastodon.localDomian` renders the chart with its default domain. A key is
//! *known* when the chart's default values declare it, when a template reads
//! it (`.Values.a.b`, `$.Values.a.b`, `index .Values "a" "b"`, or `.b` inside
//! `{{ with .Values.a }}`), or when it sits below a key whose default is an
//! empty map or null (free-form maps such as `podAnnotations`) or below a key
//! a template reads whole (`toYaml .Values.resources`). Everything else is
//! reported, with the closest known sibling as a suggestion.

use std::collections::BTreeSet;

use crate::yaml::{Map, Node};

/// The keys a chart declares and reads.
#[derive(Debug, Clone, Default)]
pub struct ChartKeys {
    declared: BTreeSet<String>,
    /// Declared as `{}` or null: any key below is fine.
    open: BTreeSet<String>,
    /// Declared as a non-empty map (a structure, not a free-form map).
    structured: BTreeSet<String>,
    read: BTreeSet<String>,
}

/// A user key the chart does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// The dotted path of the key.
    pub path: String,
    /// The closest known key at the same place, if any is close.
    pub suggestion: Option<String>,
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

impl ChartKeys {
    /// Nothing known yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares the keys of a default values tree, below `prefix` ("" for
    /// the chart itself, the dependency's name or alias for a subchart).
    pub fn declare(&mut self, prefix: &str, defaults: &Map) {
        for e in defaults.entries() {
            let path = join(prefix, &e.key);
            self.declared.insert(path.clone());
            match &e.value {
                Node::Map(m) if m.is_empty() => {
                    self.open.insert(path);
                }
                Node::Map(m) => {
                    self.structured.insert(path.clone());
                    self.declare(&path, m);
                }
                Node::Null => {
                    self.open.insert(path);
                }
                _ => {}
            }
        }
    }

    /// Records the values a template reads; `prefix` as for [`declare`](Self::declare).
    pub fn scan_template(&mut self, prefix: &str, text: &str) {
        for r in template_reads(text) {
            self.read.insert(join(prefix, &r));
        }
    }

    /// Every path a template reads (for tests and reports).
    pub fn reads(&self) -> impl Iterator<Item = &str> {
        self.read.iter().map(String::as_str)
    }

    fn ancestors(path: &str) -> impl Iterator<Item = &str> {
        path.char_indices()
            .filter(|(_, c)| *c == '.')
            .map(move |(i, _)| &path[..i])
    }

    fn known(&self, path: &str) -> bool {
        if path == "global" || path.starts_with("global.") {
            return true;
        }
        if self.declared.contains(path) || self.read.contains(path) {
            return true;
        }
        let below = format!("{path}.");
        if self.read.iter().any(|r| r.starts_with(&below)) {
            return true;
        }
        Self::ancestors(path).any(|a| {
            self.open.contains(a) || (self.read.contains(a) && !self.structured.contains(a))
        })
    }

    /// Whether keys below `path` still need checking one by one.
    fn descend(&self, path: &str) -> bool {
        !Self::ancestors(&format!("{path}.x")).any(|a| {
            self.open.contains(a) || (self.read.contains(a) && !self.structured.contains(a))
        })
    }

    fn siblings(&self, parent: &str) -> BTreeSet<&str> {
        let depth = if parent.is_empty() {
            0
        } else {
            parent.split('.').count()
        };
        let prefix = if parent.is_empty() {
            String::new()
        } else {
            format!("{parent}.")
        };
        self.declared
            .iter()
            .chain(self.read.iter())
            .filter(|p| p.starts_with(&prefix))
            .filter_map(|p| p.split('.').nth(depth))
            .collect()
    }

    /// The user keys in `user` that the chart does not know.
    pub fn check(&self, user: &Map) -> Vec<Unknown> {
        let mut out = Vec::new();
        self.walk("", user, &mut out);
        out
    }

    fn walk(&self, prefix: &str, m: &Map, out: &mut Vec<Unknown>) {
        for e in m.entries() {
            let path = join(prefix, &e.key);
            if !self.known(&path) {
                let suggestion = suggest(&e.key, &self.siblings(prefix)).map(|s| join(prefix, s));
                out.push(Unknown { path, suggestion });
                continue;
            }
            if let Node::Map(child) = &e.value {
                if self.descend(&path) {
                    self.walk(&path, child, out);
                }
            }
        }
    }
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The closest candidate to `key`, if close enough to be a likely typo.
fn suggest<'a>(key: &str, candidates: &BTreeSet<&'a str>) -> Option<&'a str> {
    let limit = (key.chars().count() / 3).max(2);
    candidates
        .iter()
        .filter(|c| **c != key)
        .map(|c| {
            // local_domain vs localDomain: the same words in another style
            // are distance 0.
            let d = edit_distance(key, c).min(edit_distance(&normalize(key), &normalize(c)));
            (d, *c)
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// What the dot refers to at some point of a template.
#[derive(Debug, Clone, PartialEq)]
enum Dot {
    /// Something that is not a values subtree (the root context, a range
    /// element, a define's argument).
    Other,
    /// `.Values.<path>`.
    Values(String),
}

const BUILTINS: &[&str] = &[
    "Values",
    "Release",
    "Chart",
    "Capabilities",
    "Template",
    "Files",
];

/// The values paths a template reads.
pub fn template_reads(text: &str) -> BTreeSet<String> {
    let mut reads = BTreeSet::new();
    let mut stack: Vec<Dot> = vec![Dot::Other];
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let action = after[..end]
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        rest = &after[end + 2..];
        if action.starts_with("/*") {
            continue;
        }
        let dot = stack.last().cloned().unwrap_or(Dot::Other);
        let first = action.split_whitespace().next().unwrap_or("");
        match first {
            "end" => {
                if stack.len() > 1 {
                    stack.pop();
                }
                continue;
            }
            "with" => {
                let pipe = action["with".len()..].trim();
                let refs = action_refs(pipe, &dot);
                // The head of the pipeline becomes the dot; it is a scope,
                // not a read of the whole subtree.
                let scope = match refs.first() {
                    Some((path, true)) if pipe.starts_with(['.', '$']) => Dot::Values(path.clone()),
                    _ => Dot::Other,
                };
                for (i, (path, _)) in refs.iter().enumerate() {
                    if i > 0 || scope == Dot::Other {
                        reads.insert(path.clone());
                    }
                }
                stack.push(scope);
                continue;
            }
            "if" => stack.push(dot.clone()),
            "range" | "define" | "block" => {
                stack.push(Dot::Other);
                if first == "define" {
                    continue;
                }
            }
            "else" => {
                if let Some(top) = stack.last_mut() {
                    *top = Dot::Other;
                }
            }
            _ => {}
        }
        for (path, _) in action_refs(action, &dot) {
            reads.insert(path);
        }
    }
    reads.retain(|p| !p.is_empty());
    reads
}

/// The values paths one action mentions, in order; the flag says whether a
/// path came from a plain field chain (usable as a `with` scope).
fn action_refs(action: &str, dot: &Dot) -> Vec<(String, bool)> {
    let chars: Vec<char> = action.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '`' {
            // Skip string literals.
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' && c == '"' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        if c != '.' {
            i += 1;
            continue;
        }
        let prev = if i == 0 { ' ' } else { chars[i - 1] };
        let var_rooted = prev == '$' || prev.is_alphanumeric() || prev == '_';
        if prev == ')' || prev == ']' || prev == '"' {
            i += 1;
            continue;
        }
        // Read the chain .a.b.c
        let mut segs: Vec<String> = Vec::new();
        let mut j = i;
        while j < chars.len() && chars[j] == '.' {
            let mut k = j + 1;
            while k < chars.len() && (chars[k].is_alphanumeric() || chars[k] == '_') {
                k += 1;
            }
            if k == j + 1 {
                break;
            }
            segs.push(chars[j + 1..k].iter().collect());
            j = k;
        }
        let chain_end = j.max(i + 1);
        let path = if segs.first().map(String::as_str) == Some("Values") {
            Some(segs[1..].join("."))
        } else if var_rooted || prev.is_ascii_digit() {
            None
        } else if segs.is_empty() {
            // A bare dot.
            match dot {
                Dot::Values(p) => Some(p.clone()),
                Dot::Other => None,
            }
        } else if BUILTINS.contains(&segs[0].as_str()) {
            None
        } else {
            match dot {
                Dot::Values(p) => Some(if p.is_empty() {
                    segs.join(".")
                } else {
                    format!("{p}.{}", segs.join("."))
                }),
                Dot::Other => None,
            }
        };
        if let Some(mut path) = path {
            // index .Values.a "b" "c"
            let before: String = chars[..i].iter().collect();
            let mut head = before.as_str();
            if var_rooted {
                // Drop the variable the chain hangs from ($, $ctx, …).
                let root_start = head
                    .rfind(|c: char| c.is_whitespace() || c == '(')
                    .map_or(0, |p| p + 1);
                head = &head[..root_start];
            }
            let head = head.trim_end();
            if head.ends_with("index") {
                let tail: String = chars[chain_end..].iter().collect();
                for key in quoted_args(&tail) {
                    path = if path.is_empty() {
                        key
                    } else {
                        format!("{path}.{key}")
                    };
                }
            }
            out.push((path, true));
        }
        i = chain_end;
    }
    out
}

/// The leading `"string"` arguments of an action's remainder.
fn quoted_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while let Some(r) = rest.strip_prefix('"') {
        let Some(end) = r.find('"') else { break };
        out.push(r[..end].to_string());
        rest = r[end + 1..].trim_start();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_absolute_relative_and_index() {
        let t = r#"
{{- with .Values.mastodon }}
LOCAL_DOMAIN: {{ .localDomain | quote }}
{{- if .webDomain }}{{ .webDomain }}{{ end }}
{{- end }}
{{ $.Values.a.b }} {{ $ctx.Values.c }} {{ index .Values "d" "e" }}
{{ toYaml .Values.resources | nindent 4 }}
{{- with .Values.podAnnotations }}{{ toYaml . }}{{ end }}
{{- range .Values.list }}{{ .name }}{{ end }}
{{/* .Values.commented */}}
{{ .Release.Name }} {{ "x.y" }} {{ .Values.f | default "g.h" }}
"#;
        let r: Vec<String> = template_reads(t).into_iter().collect();
        assert_eq!(
            r,
            [
                "a.b",
                "c",
                "d.e",
                "f",
                "list",
                "mastodon.localDomain",
                "mastodon.webDomain",
                "podAnnotations",
                "resources",
            ]
        );
    }

    #[test]
    fn suggestions() {
        let c: BTreeSet<&str> = ["localDomain", "webDomain", "locale"].into_iter().collect();
        assert_eq!(suggest("localDomian", &c), Some("localDomain"));
        assert_eq!(suggest("local_domain", &c), Some("localDomain"));
        assert_eq!(suggest("something", &c), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
