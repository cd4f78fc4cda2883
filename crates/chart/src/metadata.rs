//! `Chart.yaml` (helm's `chart.Metadata`, `chart.Dependency`,
//! `chart.Maintainer`) and its validation.

use tusk_template::{Map, Value};

/// A maintainer entry.
#[derive(Debug, Clone, Default)]
pub struct Maintainer {
    /// `name`
    pub name: String,
    /// `email`
    pub email: String,
    /// `url`
    pub url: String,
}

/// One entry of `dependencies` (Chart.yaml v2) or `requirements.yaml` (v1).
#[derive(Debug, Clone, Default)]
pub struct Dependency {
    /// `name`
    pub name: String,
    /// `version` (a semver range)
    pub version: String,
    /// `repository`
    pub repository: String,
    /// `condition`: comma-separated value paths, the first bool found wins.
    pub condition: String,
    /// `tags`
    pub tags: Vec<String>,
    /// `enabled` (computed from condition and tags).
    pub enabled: bool,
    /// `import-values`: strings or `{child, parent}` maps.
    pub import_values: Vec<Value>,
    /// `alias`
    pub alias: String,
}

/// `Chart.yaml`.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// `name`
    pub name: String,
    /// `home`
    pub home: String,
    /// `sources`
    pub sources: Vec<String>,
    /// `version`
    pub version: String,
    /// `description`
    pub description: String,
    /// `keywords`
    pub keywords: Vec<String>,
    /// `maintainers`
    pub maintainers: Vec<Maintainer>,
    /// `icon`
    pub icon: String,
    /// `apiVersion` (`v1` when absent)
    pub api_version: String,
    /// `condition`
    pub condition: String,
    /// `tags`
    pub tags: String,
    /// `appVersion`
    pub app_version: String,
    /// `deprecated`
    pub deprecated: bool,
    /// `annotations`, in key order.
    pub annotations: Vec<(String, String)>,
    /// `kubeVersion`
    pub kube_version: String,
    /// `dependencies` (or those of `requirements.yaml` for v1 charts).
    /// `None` when the chart declares none (helm's nil slice).
    pub dependencies: Option<Vec<Dependency>>,
    /// `type`: `application` (or empty) or `library`.
    pub chart_type: String,
}

/// Converts a scalar to the string a Go string field receives through
/// sigs.k8s.io/yaml (numbers and booleans are stringified).
fn as_string(v: &Value) -> String {
    match v {
        Value::Nil => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        // Integers in YAML are formatted as integers, floats through
        // float32 ('g'); values reach us as floats, so integral ones are
        // taken for integers (a YAML float like `10000000.0` is the rare
        // case that reads differently).
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Value::Float(f) => format_float32_g(*f),
        Value::String(s) => s.to_string(),
        _ => String::new(),
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`, used by sigs.k8s.io/yaml for
/// floats landing in string fields: shortest digits, exponent form when the
/// decimal exponent is < -4 or >= 6 (strconv's rule for shortest `g`).
fn format_float32_g(f: f64) -> String {
    let x = f as f32;
    if x == 0.0 {
        return "0".into();
    }
    let e = format!("{x:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    format!("{x}")
}

fn strings(v: Option<Value>) -> Vec<String> {
    match v {
        Some(Value::List(l)) => l.iter().map(as_string).collect(),
        _ => Vec::new(),
    }
}

fn string(m: &Map, k: &str) -> String {
    m.get(k).map(|v| as_string(&v)).unwrap_or_default()
}

fn boolean(m: &Map, k: &str) -> bool {
    matches!(m.get(k), Some(Value::Bool(true)))
}

impl Dependency {
    /// Reads a dependency entry.
    pub fn from_map(m: &Map) -> Dependency {
        Dependency {
            name: string(m, "name"),
            version: string(m, "version"),
            repository: string(m, "repository"),
            condition: string(m, "condition"),
            tags: strings(m.get("tags")),
            enabled: boolean(m, "enabled"),
            import_values: match m.get("import-values") {
                Some(Value::List(l)) => l.as_ref().clone(),
                _ => Vec::new(),
            },
            alias: string(m, "alias"),
        }
    }

    /// The dependency as Go marshals it to JSON (omitempty fields left out).
    pub fn to_value(&self) -> Value {
        let m = Map::new();
        m.insert("name", Value::from(self.name.as_str()));
        put_str(&m, "version", &self.version);
        m.insert("repository", Value::from(self.repository.as_str()));
        put_str(&m, "condition", &self.condition);
        put_list(&m, "tags", &self.tags);
        if self.enabled {
            m.insert("enabled", Value::Bool(true));
        }
        if !self.import_values.is_empty() {
            m.insert("import-values", Value::list(self.import_values.clone()));
        }
        put_str(&m, "alias", &self.alias);
        Value::Map(m)
    }
}

fn put_str(m: &Map, k: &str, v: &str) {
    if !v.is_empty() {
        m.insert(k, Value::from(v));
    }
}

fn put_list(m: &Map, k: &str, v: &[String]) {
    if !v.is_empty() {
        m.insert(
            k,
            Value::list(v.iter().map(|s| Value::from(s.as_str())).collect()),
        );
    }
}

fn dependencies(v: Option<Value>) -> Option<Vec<Dependency>> {
    match v {
        Some(Value::List(l)) => Some(
            l.iter()
                .map(|d| match d {
                    Value::Map(m) => Dependency::from_map(m),
                    _ => Dependency::default(),
                })
                .collect(),
        ),
        _ => None,
    }
}

/// The JSON kind Go's decoder names in type errors.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Float(_) => "number",
        Value::String(_) | Value::Bytes(_) => "string",
        Value::List(_) => "array",
        Value::Map(_) | Value::Object(_) => "object",
    }
}

/// Go's `UnmarshalTypeError` text as helm prints it.
fn type_error(v: &Value, field: &str, go_type: &str) -> String {
    format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field {field} of type {go_type}",
        json_kind(v)
    )
}

/// Scalars land in Go string fields (sigs.k8s.io/yaml stringifies them).
fn check_string(v: &Value, field: &str) -> Result<(), String> {
    match v {
        Value::List(_) | Value::Map(_) | Value::Object(_) => Err(type_error(v, field, "string")),
        _ => Ok(()),
    }
}

fn check_strings(v: &Value, field: &str) -> Result<(), String> {
    match v {
        Value::Nil => Ok(()),
        Value::List(l) => l.iter().try_for_each(|x| check_string(x, field)),
        other => Err(type_error(other, field, "[]string")),
    }
}

fn check_bool(v: &Value, field: &str) -> Result<(), String> {
    match v {
        Value::Nil | Value::Bool(_) => Ok(()),
        other => Err(type_error(other, field, "bool")),
    }
}

/// Maps a JSON key of a struct to the kind of its Go field.
type FieldKinds = dyn Fn(&str) -> Option<&'static str>;

/// Checks an object's fields (in the sorted key order Go's decoder meets
/// them after sigs.k8s.io/yaml's JSON conversion) against a struct's field
/// types; the first mismatch is reported as Go does.
fn check_struct(
    m: &Map,
    struct_name: &str,
    prefix: &str,
    kind_of: &FieldKinds,
) -> Result<(), String> {
    for (k, v) in m.entries() {
        let Some(kind) = kind_of(&k) else { continue };
        let field = format!("{struct_name}.{prefix}{k}");
        match kind {
            "string" => check_string(&v, &field)?,
            "[]string" => check_strings(&v, &field)?,
            "bool" => check_bool(&v, &field)?,
            "map[string]string" => match &v {
                Value::Nil => {}
                Value::Map(a) => a
                    .entries()
                    .iter()
                    .try_for_each(|(_, x)| check_string(x, &field))?,
                other => return Err(type_error(other, &field, "map[string]string")),
            },
            "[]interface {}" => match &v {
                Value::Nil | Value::List(_) => {}
                other => return Err(type_error(other, &field, "[]interface {}")),
            },
            "maintainers" | "dependencies" => {
                let (elem, sub): (&str, &FieldKinds) = if kind == "maintainers" {
                    ("Maintainer", &maintainer_field)
                } else {
                    ("Dependency", &dependency_field)
                };
                match &v {
                    Value::Nil => {}
                    Value::List(l) => {
                        for x in l.iter() {
                            match x {
                                Value::Nil => {}
                                Value::Map(xm) => check_struct(xm, elem, &format!("{k}."), sub)?,
                                other => {
                                    return Err(type_error(
                                        other,
                                        &field,
                                        &format!("chart.{elem}"),
                                    ));
                                }
                            }
                        }
                    }
                    other => {
                        return Err(type_error(other, &field, &format!("[]*chart.{elem}")));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn metadata_field(k: &str) -> Option<&'static str> {
    Some(match k {
        "name" | "home" | "version" | "description" | "icon" | "apiVersion" | "condition"
        | "tags" | "appVersion" | "kubeVersion" | "type" => "string",
        "sources" | "keywords" => "[]string",
        "maintainers" => "maintainers",
        "deprecated" => "bool",
        "annotations" => "map[string]string",
        "dependencies" => "dependencies",
        _ => return None,
    })
}

fn maintainer_field(k: &str) -> Option<&'static str> {
    matches!(k, "name" | "email" | "url").then_some("string")
}

fn dependency_field(k: &str) -> Option<&'static str> {
    Some(match k {
        "name" | "version" | "repository" | "condition" | "alias" => "string",
        "tags" => "[]string",
        "enabled" => "bool",
        "import-values" => "[]interface {}",
        _ => return None,
    })
}

impl Metadata {
    /// Reads `Chart.yaml`. `apiVersion` defaults to `v1`. Fields of the
    /// wrong type give Go's decoding error, as helm reports it.
    pub fn from_yaml(data: &[u8]) -> Result<Metadata, String> {
        let text = crate::load::text_of(data);
        let m = tusk_funcs::yaml::parse_map(&text, "chart.Metadata").map_err(|e| e.to_string())?;
        check_struct(&m, "Metadata", "", &metadata_field)?;
        let mut md = Metadata {
            name: string(&m, "name"),
            home: string(&m, "home"),
            sources: strings(m.get("sources")),
            version: string(&m, "version"),
            description: string(&m, "description"),
            keywords: strings(m.get("keywords")),
            maintainers: match m.get("maintainers") {
                Some(Value::List(l)) => l
                    .iter()
                    .filter_map(|x| x.as_map().cloned())
                    .map(|x| Maintainer {
                        name: string(&x, "name"),
                        email: string(&x, "email"),
                        url: string(&x, "url"),
                    })
                    .collect(),
                _ => Vec::new(),
            },
            icon: string(&m, "icon"),
            api_version: string(&m, "apiVersion"),
            condition: string(&m, "condition"),
            tags: string(&m, "tags"),
            app_version: string(&m, "appVersion"),
            deprecated: boolean(&m, "deprecated"),
            annotations: match m.get("annotations") {
                Some(Value::Map(a)) => a
                    .entries()
                    .into_iter()
                    .map(|(k, v)| (k, as_string(&v)))
                    .collect(),
                _ => Vec::new(),
            },
            kube_version: string(&m, "kubeVersion"),
            dependencies: dependencies(m.get("dependencies")),
            chart_type: string(&m, "type"),
        };
        if md.api_version.is_empty() {
            md.api_version = "v1".into();
        }
        Ok(md)
    }

    /// Reads the `dependencies` of a v1 chart's `requirements.yaml` into
    /// this metadata (helm unmarshals it over the metadata).
    pub fn merge_requirements(&mut self, data: &[u8]) -> Result<(), String> {
        let text = crate::load::text_of(data);
        let m = tusk_funcs::yaml::parse_map(&text, "chart.Metadata").map_err(|e| e.to_string())?;
        check_struct(&m, "Metadata", "", &metadata_field)?;
        if let Some(d) = dependencies(m.get("dependencies")) {
            self.dependencies = Some(d);
        }
        Ok(())
    }

    /// helm's `Metadata.Validate`, with its messages.
    pub fn validate(&mut self) -> Result<(), String> {
        // helm's sanitizeString: whitespace becomes a space, other
        // unprintable characters go.
        let sanitize = |s: &mut String| {
            *s = s
                .chars()
                .filter_map(|c| {
                    if c.is_whitespace() {
                        Some(' ')
                    } else if c.is_control() {
                        None
                    } else {
                        Some(c)
                    }
                })
                .collect();
        };
        sanitize(&mut self.name);
        sanitize(&mut self.description);
        sanitize(&mut self.home);
        sanitize(&mut self.icon);
        sanitize(&mut self.condition);
        sanitize(&mut self.tags);
        sanitize(&mut self.app_version);
        sanitize(&mut self.kube_version);
        self.sources.iter_mut().for_each(sanitize);
        self.keywords.iter_mut().for_each(sanitize);
        for m in &mut self.maintainers {
            sanitize(&mut m.name);
            sanitize(&mut m.email);
            sanitize(&mut m.url);
        }
        for d in self.dependencies.iter_mut().flatten() {
            sanitize(&mut d.name);
            sanitize(&mut d.version);
            sanitize(&mut d.repository);
            sanitize(&mut d.condition);
            d.tags.iter_mut().for_each(sanitize);
        }
        if self.api_version.is_empty() {
            return Err("validation: chart.metadata.apiVersion is required".into());
        }
        if self.name.is_empty() {
            return Err("validation: chart.metadata.name is required".into());
        }
        if self.name.contains('/') || self.name == "." || self.name == ".." {
            return Err(format!(
                "validation: chart.metadata.name {} is invalid",
                crate::strvals::go_quote(&self.name)
            ));
        }
        if self.version.is_empty() {
            return Err("validation: chart.metadata.version is required".into());
        }
        if crate::semver::Version::parse(&self.version).is_err() {
            return Err(format!(
                "validation: chart.metadata.version {} is invalid",
                crate::strvals::go_quote(&self.version)
            ));
        }
        match self.chart_type.as_str() {
            "" | "application" | "library" => {}
            _ => {
                return Err(
                    "validation: chart.metadata.type must be application or library".into(),
                );
            }
        }
        if let Some(deps) = &self.dependencies {
            let mut seen = std::collections::HashSet::new();
            for d in deps {
                if !d.alias.is_empty()
                    && !d
                        .alias
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    return Err(format!(
                        "validation: dependency {} has disallowed characters in the alias",
                        crate::strvals::go_quote(&d.name)
                    ));
                }
                let key = if d.alias.is_empty() {
                    &d.name
                } else {
                    &d.alias
                };
                if !seen.insert(key.clone()) {
                    return Err(format!(
                        "validation: more than one dependency with name or alias {}",
                        crate::strvals::go_quote(key)
                    ));
                }
            }
        }
        Ok(())
    }

    /// The metadata as Go marshals `chart.Metadata` to JSON (`toJson
    /// .Chart`), omitempty fields left out, in declaration order.
    pub fn to_value(&self) -> Map {
        let m = Map::new();
        put_str(&m, "name", &self.name);
        put_str(&m, "home", &self.home);
        put_list(&m, "sources", &self.sources);
        put_str(&m, "version", &self.version);
        put_str(&m, "description", &self.description);
        put_list(&m, "keywords", &self.keywords);
        if !self.maintainers.is_empty() {
            let l = self
                .maintainers
                .iter()
                .map(|x| {
                    let mm = Map::new();
                    put_str(&mm, "name", &x.name);
                    put_str(&mm, "email", &x.email);
                    put_str(&mm, "url", &x.url);
                    Value::Map(mm)
                })
                .collect();
            m.insert("maintainers", Value::list(l));
        }
        put_str(&m, "icon", &self.icon);
        put_str(&m, "apiVersion", &self.api_version);
        put_str(&m, "condition", &self.condition);
        put_str(&m, "tags", &self.tags);
        put_str(&m, "appVersion", &self.app_version);
        if self.deprecated {
            m.insert("deprecated", Value::Bool(true));
        }
        if !self.annotations.is_empty() {
            let a = Map::new();
            for (k, v) in &self.annotations {
                a.insert(k.as_str(), Value::from(v.as_str()));
            }
            m.insert("annotations", Value::Map(a));
        }
        put_str(&m, "kubeVersion", &self.kube_version);
        if let Some(d) = &self.dependencies
            && !d.is_empty()
        {
            m.insert(
                "dependencies",
                Value::list(d.iter().map(Dependency::to_value).collect()),
            );
        }
        put_str(&m, "type", &self.chart_type);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_validates() {
        let mut md = Metadata::from_yaml(
            b"name: x\nversion: 1.2.3\nappVersion: 1.0\ndependencies:\n- name: a\n  alias: b\n  tags: [t]\n",
        )
        .unwrap();
        assert_eq!(md.api_version, "v1");
        assert_eq!(md.app_version, "1");
        let d = md.dependencies.as_ref().unwrap();
        assert_eq!(d[0].alias, "b");
        assert_eq!(d[0].tags, vec!["t".to_string()]);
        md.validate().unwrap();
    }

    #[test]
    fn wrong_types_read_like_go() {
        let e = Metadata::from_yaml(b"name: [1]\nversion: 1.0.0\n").unwrap_err();
        assert!(
            e.ends_with("cannot unmarshal array into Go struct field Metadata.name of type string")
        );
        let e =
            Metadata::from_yaml(b"name: a\ndependencies: [{name: b, enabled: x}]\n").unwrap_err();
        assert!(e.ends_with("Go struct field Dependency.dependencies.enabled of type bool"));
        assert!(Metadata::from_yaml(b"name: a\nversion: 1\nkeywords: [1, true]\n").is_ok());
        let md = Metadata::from_yaml(b"name: a\nversion: 1.0.0\nappVersion: 1234567\n").unwrap();
        assert_eq!(md.app_version, "1234567");
        let md = Metadata::from_yaml(b"name: a\nversion: 1.0.0\nappVersion: 3.14159265358979\n")
            .unwrap();
        assert_eq!(md.app_version, "3.1415927");
    }

    #[test]
    fn missing_fields() {
        let mut md = Metadata::from_yaml(b"apiVersion: v2\nversion: 1.0.0\n").unwrap();
        assert_eq!(
            md.validate().unwrap_err(),
            "validation: chart.metadata.name is required"
        );
        let mut md = Metadata::from_yaml(b"apiVersion: v2\nname: a\n").unwrap();
        assert_eq!(
            md.validate().unwrap_err(),
            "validation: chart.metadata.version is required"
        );
        let mut md =
            Metadata::from_yaml(b"apiVersion: v2\nname: a\nversion: 1.0.0\ntype: x\n").unwrap();
        assert!(
            md.validate()
                .unwrap_err()
                .contains("must be application or library")
        );
    }
}
