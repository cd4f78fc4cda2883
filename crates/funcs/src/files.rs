//! The `.Files` object (helm's pkg/engine/files.go): chart files that are
//! not templates or values, by their path inside the chart.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine;
use tusk_template::{FuncError, Map, Object, Value};

use crate::args::{arity, string};

/// Chart files available to templates as `.Files`.
#[derive(Debug, Clone, Default)]
pub struct Files {
    files: BTreeMap<String, Arc<[u8]>>,
}

impl Files {
    /// Builds the object from `(path, contents)` pairs (paths relative to
    /// the chart root, `/`-separated, e.g. `files/app.conf`).
    pub fn new<I, P, B>(files: I) -> Files
    where
        I: IntoIterator<Item = (P, B)>,
        P: Into<String>,
        B: Into<Arc<[u8]>>,
    {
        Files {
            files: files
                .into_iter()
                .map(|(p, b)| (p.into(), b.into()))
                .collect(),
        }
    }

    /// The object as a template value (`.Files`).
    pub fn into_value(self) -> Value {
        Value::Object(Arc::new(self))
    }

    /// `.Files.GetBytes`: the contents, empty when missing.
    pub fn get_bytes(&self, name: &str) -> Arc<[u8]> {
        self.files
            .get(name)
            .cloned()
            .unwrap_or_else(|| Arc::from(&[][..]))
    }

    /// `.Files.Get`: the contents as text.
    pub fn get(&self, name: &str) -> String {
        String::from_utf8_lossy(&self.get_bytes(name)).into_owned()
    }

    /// `.Files.Glob`: the files whose path matches a gobwas/glob pattern
    /// (`*` within a path segment, `**` across segments, `?`, `[...]`,
    /// `{a,b}`); an invalid pattern matches everything, as in helm.
    pub fn glob(&self, pattern: &str) -> Files {
        let re = glob_regex(pattern).unwrap_or_else(|| glob_regex("**").expect("match-all glob"));
        Files {
            files: self
                .files
                .iter()
                .filter(|(k, _)| re.is_match(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    fn by_base(&self, f: impl Fn(&[u8]) -> String) -> String {
        let m = Map::new();
        for (k, v) in &self.files {
            m.insert(crate::paths::base(k), Value::from(f(v)));
        }
        crate::yaml::to_yaml(&Value::Map(m))
    }

    /// `.Files.AsConfig`: base names to contents, as YAML (ConfigMap data).
    pub fn as_config(&self) -> String {
        self.by_base(|v| String::from_utf8_lossy(v).into_owned())
    }

    /// `.Files.AsSecrets`: base names to base64 contents, as YAML.
    pub fn as_secrets(&self) -> String {
        self.by_base(|v| base64::engine::general_purpose::STANDARD.encode(v))
    }

    /// `.Files.Lines`: the file split into lines (one trailing newline
    /// dropped); empty when missing.
    pub fn lines(&self, name: &str) -> Result<Vec<String>, FuncError> {
        let Some(v) = self.files.get(name) else {
            return Ok(Vec::new());
        };
        let s = String::from_utf8_lossy(v).into_owned();
        if s.is_empty() {
            return Err(FuncError::Failed(
                "runtime error: index out of range [-1]".into(),
            ));
        }
        let s = s.strip_suffix('\n').unwrap_or(&s);
        Ok(s.split('\n').map(String::from).collect())
    }
}

/// Translates a gobwas/glob pattern (separator `/`) to a regex.
fn glob_regex(p: &str) -> Option<regex::Regex> {
    let mut re = String::from("^");
    let c: Vec<char> = p.chars().collect();
    let mut i = 0;
    let mut depth = 0;
    while i < c.len() {
        match c[i] {
            '*' if c.get(i + 1) == Some(&'*') => {
                re.push_str(".*");
                i += 1;
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '[' => {
                let mut j = i + 1;
                let mut class = String::from("[");
                if c.get(j) == Some(&'!') {
                    class.push('^');
                    j += 1;
                }
                let start = j;
                while j < c.len() && c[j] != ']' {
                    if c[j] == '\\' || c[j] == '[' {
                        class.push('\\');
                    }
                    class.push(c[j]);
                    j += 1;
                }
                if j >= c.len() || j == start {
                    return None;
                }
                class.push(']');
                re.push_str(&class);
                i = j;
            }
            '{' => {
                depth += 1;
                re.push_str("(?:");
            }
            '}' if depth > 0 => {
                depth -= 1;
                re.push(')');
            }
            ',' if depth > 0 => re.push('|'),
            '\\' => {
                i += 1;
                let ch = *c.get(i)?;
                re.push_str(&regex::escape(&ch.to_string()));
            }
            ch => re.push_str(&regex::escape(&ch.to_string())),
        }
        i += 1;
    }
    if depth != 0 {
        return None;
    }
    re.push('$');
    regex::Regex::new(&re).ok()
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "AsConfig" => Some(Value::from(self.as_config())),
            "AsSecrets" => Some(Value::from(self.as_secrets())),
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let one = |n: &str| -> Result<&str, FuncError> {
            arity(n, args, 1)?;
            string(&args[0])
        };
        Some(match name {
            "Get" => one("Get").map(|p| Value::from(self.get(p))),
            "GetBytes" => one("GetBytes").map(|p| Value::Bytes(self.get_bytes(p))),
            "Glob" => one("Glob").map(|p| self.glob(p).into_value()),
            "Lines" => one("Lines")
                .and_then(|p| self.lines(p))
                .map(|l| Value::list(l.into_iter().map(Value::from).collect())),
            "AsConfig" => arity("AsConfig", args, 0).map(|_| Value::from(self.as_config())),
            "AsSecrets" => arity("AsSecrets", args, 0).map(|_| Value::from(self.as_secrets())),
            _ => return None,
        })
    }

    fn to_value(&self) -> Value {
        let m = Map::new();
        for (k, v) in &self.files {
            m.insert(k.clone(), Value::Bytes(v.clone()));
        }
        Value::Map(m)
    }
}
