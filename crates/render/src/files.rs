//! `.Files`: the chart's non-template files (helm's `engine.files`), with
//! `Get`, `GetBytes`, `Glob` (gobwas/glob syntax with `/` as separator),
//! `Lines`, `AsConfig` and `AsSecrets`.

use std::collections::BTreeMap;
use std::sync::Arc;

use tusk_template::{FuncError, Map, Object, Value};

/// Marshals a map of strings to YAML the way helm's `toYAML` does (used by
/// `AsConfig`/`AsSecrets`).
pub type ToYaml = Arc<dyn Fn(&Value) -> String + Send + Sync>;

/// A set of chart files, by path.
#[derive(Clone)]
pub struct Files {
    files: Arc<BTreeMap<String, Arc<[u8]>>>,
    to_yaml: ToYaml,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.files.keys()).finish()
    }
}

impl Files {
    /// Files from a chart.
    pub fn new(from: &[tusk_chart::File], to_yaml: ToYaml) -> Files {
        let files = from
            .iter()
            .map(|f| (f.name.clone(), Arc::from(f.data.as_slice())))
            .collect();
        Files {
            files: Arc::new(files),
            to_yaml,
        }
    }

    /// `GetBytes`: the contents, empty when missing.
    pub fn get_bytes(&self, name: &str) -> Arc<[u8]> {
        self.files
            .get(name)
            .cloned()
            .unwrap_or_else(|| Arc::from(&[][..]))
    }

    /// `Get`: the contents as a string.
    pub fn get(&self, name: &str) -> String {
        String::from_utf8_lossy(&self.get_bytes(name)).into_owned()
    }

    /// `Glob`: the files whose path matches.
    pub fn glob(&self, pattern: &str) -> Files {
        let alts = expand_braces(pattern).unwrap_or_else(|| vec!["**".to_string()]);
        let alts: Vec<Vec<char>> = if alts.iter().all(|a| valid(a)) {
            alts.iter().map(|a| a.chars().collect()).collect()
        } else {
            vec!["**".chars().collect()]
        };
        let files = self
            .files
            .iter()
            .filter(|(name, _)| {
                let n: Vec<char> = name.chars().collect();
                alts.iter().any(|p| glob_match(p, &n))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Files {
            files: Arc::new(files),
            to_yaml: self.to_yaml.clone(),
        }
    }

    /// `Lines`: the file split on newlines (one trailing newline dropped).
    pub fn lines(&self, path: &str) -> Vec<String> {
        let Some(data) = self.files.get(path) else {
            return Vec::new();
        };
        let mut s = String::from_utf8_lossy(data).into_owned();
        if s.ends_with('\n') {
            s.pop();
        }
        s.split('\n').map(str::to_string).collect()
    }

    fn by_base(&self, f: impl Fn(&[u8]) -> String) -> Value {
        let m = Map::new();
        for (k, v) in self.files.iter() {
            let base = k.rsplit('/').next().unwrap_or(k);
            m.insert(base, Value::from(f(v)));
        }
        Value::Map(m)
    }

    /// `AsConfig`: a YAML map of base name → contents.
    pub fn as_config(&self) -> String {
        if self.files.is_empty() {
            return (self.to_yaml)(&Value::Map(Map::new()));
        }
        (self.to_yaml)(&self.by_base(|d| String::from_utf8_lossy(d).into_owned()))
    }

    /// `AsSecrets`: a YAML map of base name → base64 contents.
    pub fn as_secrets(&self) -> String {
        (self.to_yaml)(&self.by_base(base64))
    }
}

fn arg_str<'a>(args: &'a [Value], method: &str) -> Result<&'a str, FuncError> {
    match args {
        [Value::String(s)] => Ok(s),
        [_] => Err(FuncError::BadArgs(format!(
            "wrong type for value; expected string (method {method})"
        ))),
        _ => Err(FuncError::BadArgs(format!(
            "wrong number of args for {method}: want 1 got {}",
            args.len()
        ))),
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }
    /// `AsConfig`/`AsSecrets` are methods without arguments; any other name
    /// that is not a method is a map lookup, as on Go's `map[string][]byte`
    /// (a missing file is an empty byte slice).
    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "AsConfig" => Value::from(self.as_config()),
            "AsSecrets" => Value::from(self.as_secrets()),
            "Get" | "GetBytes" | "Glob" | "Lines" => return None,
            other => Value::Bytes(self.get_bytes(other)),
        })
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        Some(match name {
            "Get" => arg_str(args, name).map(|p| Value::from(self.get(p))),
            "GetBytes" => arg_str(args, name).map(|p| Value::Bytes(self.get_bytes(p))),
            "Glob" => arg_str(args, name).map(|p| Value::Object(Arc::new(self.glob(p)))),
            "Lines" => arg_str(args, name)
                .map(|p| Value::list(self.lines(p).into_iter().map(Value::from).collect())),
            "AsConfig" | "AsSecrets" => match self.field(name) {
                Some(v) => Ok(v),
                None => return None,
            },
            _ => return None,
        })
    }
    fn to_value(&self) -> Value {
        let m = Map::new();
        for (k, v) in self.files.iter() {
            m.insert(k.as_str(), Value::Bytes(v.clone()));
        }
        Value::Map(m)
    }
    /// helm's `files` is a `map[string][]byte`: `range`, `len`, `index` and
    /// truth see the files.
    fn collection(&self) -> Option<Value> {
        Some(self.to_value())
    }
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Expands `{a,b}` alternatives (nesting allowed); `None` when unbalanced.
fn expand_braces(p: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = p.chars().collect();
    let mut depth = 0;
    let mut start = None;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '{' => {
                if depth == 0 {
                    start = Some(i);
                }
                depth += 1;
            }
            '}' => {
                if depth == 0 {
                    return None;
                }
                depth -= 1;
                if depth == 0 {
                    let s = start?;
                    let prefix: String = chars[..s].iter().collect();
                    let suffix: String = chars[i + 1..].iter().collect();
                    let inner = &chars[s + 1..i];
                    let mut parts = Vec::new();
                    let mut cur = String::new();
                    let mut d = 0;
                    let mut j = 0;
                    while j < inner.len() {
                        let c = inner[j];
                        match c {
                            '\\' => {
                                cur.push(c);
                                if let Some(n) = inner.get(j + 1) {
                                    cur.push(*n);
                                }
                                j += 1;
                            }
                            '{' => {
                                d += 1;
                                cur.push(c);
                            }
                            '}' => {
                                d -= 1;
                                cur.push(c);
                            }
                            ',' if d == 0 => parts.push(std::mem::take(&mut cur)),
                            _ => cur.push(c),
                        }
                        j += 1;
                    }
                    parts.push(cur);
                    let mut out = Vec::new();
                    for part in parts {
                        for rest in expand_braces(&format!("{part}{suffix}"))? {
                            out.push(format!("{prefix}{rest}"));
                        }
                    }
                    return Some(out);
                }
            }
            _ => {}
        }
        i += 1;
    }
    if depth != 0 {
        return None;
    }
    Some(vec![p.to_string()])
}

fn valid(p: &str) -> bool {
    let mut in_class = false;
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            _ => {}
        }
    }
    !in_class
}

/// gobwas/glob matching with `/` as the separator.
fn glob_match(p: &[char], n: &[char]) -> bool {
    if p.is_empty() {
        return n.is_empty();
    }
    match p[0] {
        '*' => {
            let super_star = p.get(1) == Some(&'*');
            let rest = if super_star { &p[2..] } else { &p[1..] };
            for i in 0..=n.len() {
                if glob_match(rest, &n[i..]) {
                    return true;
                }
                if i < n.len() && !super_star && n[i] == '/' {
                    return false;
                }
            }
            false
        }
        '?' => !n.is_empty() && n[0] != '/' && glob_match(&p[1..], &n[1..]),
        '[' => {
            let Some(end) = p.iter().skip(1).position(|c| *c == ']').map(|e| e + 1) else {
                return false;
            };
            if n.is_empty() {
                return false;
            }
            let mut cls = &p[1..end];
            let negate = cls.first() == Some(&'!');
            if negate {
                cls = &cls[1..];
            }
            let c = n[0];
            let mut hit = false;
            let mut i = 0;
            while i < cls.len() {
                if i + 2 < cls.len() && cls[i + 1] == '-' {
                    if cls[i] <= c && c <= cls[i + 2] {
                        hit = true;
                    }
                    i += 3;
                } else {
                    if cls[i] == c {
                        hit = true;
                    }
                    i += 1;
                }
            }
            hit != negate && glob_match(&p[end + 1..], &n[1..])
        }
        '\\' if p.len() > 1 => !n.is_empty() && n[0] == p[1] && glob_match(&p[2..], &n[1..]),
        c => !n.is_empty() && n[0] == c && glob_match(&p[1..], &n[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        let mk = |n: &str, d: &str| tusk_chart::File {
            name: n.into(),
            data: d.as_bytes().to_vec(),
        };
        Files::new(
            &[
                mk("a.txt", "A\nB\n"),
                mk("conf/x.yaml", "x"),
                mk("conf/sub/y.yaml", "y"),
            ],
            Arc::new(|v: &Value| format!("{v:?}")),
        )
    }

    #[test]
    fn glob_semantics() {
        let f = files();
        assert_eq!(f.glob("conf/*").files.len(), 1);
        assert_eq!(f.glob("conf/**").files.len(), 2);
        assert_eq!(f.glob("{a.txt,conf/x.yaml}").files.len(), 2);
        assert_eq!(f.glob("*.txt").files.len(), 1);
        assert_eq!(f.glob("conf/*.[xy]aml").files.len(), 1);
        assert_eq!(f.glob("conf/*.[!y]aml").files.len(), 0);
        assert_eq!(f.glob("conf/?.yaml").files.len(), 1);
    }

    #[test]
    fn get_and_lines() {
        let f = files();
        assert_eq!(f.get("a.txt"), "A\nB\n");
        assert_eq!(f.get("missing"), "");
        assert_eq!(f.lines("a.txt"), vec!["A", "B"]);
        assert!(f.lines("missing").is_empty());
        assert_eq!(base64(b"hello"), "aGVsbG8=");
    }
}
