//! `.Release` and `.Chart`: what a template sees of the release and of its
//! chart's metadata.

use std::sync::Arc;

use tusk_chart::{Dependency, Metadata};
use tusk_template::{JsonForm, Map, Object, Value};

/// helm's `chartutil.ReleaseOptions` for `helm template`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseOptions {
    /// Release name.
    pub name: String,
    /// Namespace (`default` unless `-n`).
    pub namespace: String,
    /// Revision (1 for `template`).
    pub revision: i64,
    /// `--is-upgrade`.
    pub is_upgrade: bool,
}

impl ReleaseOptions {
    /// `.Release` as helm builds it: a plain map.
    pub fn to_value(&self) -> Value {
        let m = Map::new();
        m.insert("Name", Value::from(self.name.as_str()));
        m.insert("Namespace", Value::from(self.namespace.as_str()));
        m.insert("IsUpgrade", Value::Bool(self.is_upgrade));
        m.insert("IsInstall", Value::Bool(!self.is_upgrade));
        m.insert("Revision", Value::Int(self.revision));
        m.insert("Service", Value::from("Helm"));
        Value::Map(m)
    }
}

/// `.Chart`: helm's `struct { chart.Metadata; IsRoot bool }`.
#[derive(Debug, Clone)]
pub struct ChartObject {
    /// The chart's metadata (name already aliased).
    pub metadata: Metadata,
    /// Whether this is the top-level chart.
    pub is_root: bool,
}

fn strings(v: &[String]) -> Value {
    Value::list(v.iter().map(|s| Value::from(s.as_str())).collect())
}

/// A `*chart.Dependency` of `.Chart.Dependencies`: Go field names for
/// templates, JSON names when marshalled.
#[derive(Debug, Clone)]
struct DependencyObject(Dependency);

impl Object for DependencyObject {
    fn type_name(&self) -> &str {
        "*chart.Dependency"
    }
    fn field(&self, name: &str) -> Option<Value> {
        let d = &self.0;
        Some(match name {
            "Name" => Value::from(d.name.as_str()),
            "Version" => Value::from(d.version.as_str()),
            "Repository" => Value::from(d.repository.as_str()),
            "Condition" => Value::from(d.condition.as_str()),
            "Tags" => strings(&d.tags),
            "Enabled" => Value::Bool(d.enabled),
            "ImportValues" => Value::list(d.import_values.clone()),
            "Alias" => Value::from(d.alias.as_str()),
            _ => return None,
        })
    }
    fn to_value(&self) -> Value {
        self.0.to_value()
    }
    fn json_form(&self) -> Option<JsonForm> {
        let d = &self.0;
        Some(json_struct([
            ("name", Value::from(d.name.as_str()), false),
            ("version", Value::from(d.version.as_str()), true),
            ("repository", Value::from(d.repository.as_str()), false),
            ("condition", Value::from(d.condition.as_str()), true),
            ("tags", strings(&d.tags), true),
            ("enabled", Value::Bool(d.enabled), true),
            ("import-values", Value::list(d.import_values.clone()), true),
            ("alias", Value::from(d.alias.as_str()), true),
        ]))
    }
}

/// Go's `omitempty`: false, 0, "", and empty slices and maps (sprig's
/// `empty` has the same rule).
fn is_empty_value(v: &Value) -> bool {
    tusk_funcs::args::empty(v)
}

/// A struct as `encoding/json` writes it: fields in order, those marked
/// `omitempty` left out when empty.
fn json_struct<const N: usize>(fields: [(&str, Value, bool); N]) -> JsonForm {
    JsonForm::Fields(
        fields
            .into_iter()
            .filter(|(_, v, omit)| !(*omit && is_empty_value(v)))
            .map(|(k, v, _)| (k.to_string(), v))
            .collect(),
    )
}

/// A `*chart.Maintainer` of `.Chart.Maintainers`.
#[derive(Debug, Clone)]
struct MaintainerObject(tusk_chart::Maintainer);

impl Object for MaintainerObject {
    fn type_name(&self) -> &str {
        "*chart.Maintainer"
    }
    fn field(&self, name: &str) -> Option<Value> {
        let m = &self.0;
        Some(match name {
            "Name" => Value::from(m.name.as_str()),
            "Email" => Value::from(m.email.as_str()),
            "URL" => Value::from(m.url.as_str()),
            _ => return None,
        })
    }
    /// The JSON fields as a map (sorted keys, for `toYaml`).
    fn to_value(&self) -> Value {
        let m = Map::new();
        if let Some(JsonForm::Fields(fields)) = self.json_form() {
            for (k, v) in fields {
                m.insert(k, v);
            }
        }
        Value::Map(m)
    }
    fn json_form(&self) -> Option<JsonForm> {
        let m = &self.0;
        Some(json_struct([
            ("name", Value::from(m.name.as_str()), true),
            ("email", Value::from(m.email.as_str()), true),
            ("url", Value::from(m.url.as_str()), true),
        ]))
    }
}

/// `chart.Metadata`'s fields in declaration order, with their JSON names
/// (all `omitempty`).
const METADATA_FIELDS: [(&str, &str); 17] = [
    ("Name", "name"),
    ("Home", "home"),
    ("Sources", "sources"),
    ("Version", "version"),
    ("Description", "description"),
    ("Keywords", "keywords"),
    ("Maintainers", "maintainers"),
    ("Icon", "icon"),
    ("APIVersion", "apiVersion"),
    ("Condition", "condition"),
    ("Tags", "tags"),
    ("AppVersion", "appVersion"),
    ("Deprecated", "deprecated"),
    ("Annotations", "annotations"),
    ("KubeVersion", "kubeVersion"),
    ("Dependencies", "dependencies"),
    ("Type", "type"),
];

/// The `chart.Metadata` embedded in `.Chart`, as `%v` prints it.
#[derive(Debug)]
struct EmbeddedMetadata(ChartObject);

impl Object for EmbeddedMetadata {
    fn type_name(&self) -> &str {
        "chart.Metadata"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "IsRoot" => None,
            _ => self.0.field(name),
        }
    }
    fn to_value(&self) -> Value {
        Value::Map(self.0.metadata.to_value())
    }
    fn collection(&self) -> Option<Value> {
        None
    }
    fn struct_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        Some(
            METADATA_FIELDS
                .iter()
                .map(|(go, _)| (*go, self.0.field(go).unwrap_or_default()))
                .collect(),
        )
    }
}

impl Object for ChartObject {
    fn type_name(&self) -> &str {
        "struct { chart.Metadata; IsRoot bool }"
    }
    fn field(&self, name: &str) -> Option<Value> {
        let md = &self.metadata;
        Some(match name {
            "Name" => Value::from(md.name.as_str()),
            "Home" => Value::from(md.home.as_str()),
            "Sources" => strings(&md.sources),
            "Version" => Value::from(md.version.as_str()),
            "Description" => Value::from(md.description.as_str()),
            "Keywords" => strings(&md.keywords),
            "Maintainers" => Value::list(
                md.maintainers
                    .iter()
                    .map(|x| Value::Object(Arc::new(MaintainerObject(x.clone()))))
                    .collect(),
            ),
            "Icon" => Value::from(md.icon.as_str()),
            "APIVersion" => Value::from(md.api_version.as_str()),
            "Condition" => Value::from(md.condition.as_str()),
            "Tags" => Value::from(md.tags.as_str()),
            "AppVersion" => Value::from(md.app_version.as_str()),
            "Deprecated" => Value::Bool(md.deprecated),
            "Annotations" => {
                let m = Map::new();
                for (k, v) in &md.annotations {
                    m.insert(k.as_str(), Value::from(v.as_str()));
                }
                Value::Map(m)
            }
            "KubeVersion" => Value::from(md.kube_version.as_str()),
            "Dependencies" => Value::list(
                md.dependencies
                    .iter()
                    .flatten()
                    .map(|d| Value::Object(Arc::new(DependencyObject(d.clone()))))
                    .collect(),
            ),
            "Type" => Value::from(md.chart_type.as_str()),
            "IsRoot" => Value::Bool(self.is_root),
            _ => return None,
        })
    }
    fn to_value(&self) -> Value {
        let m = self.metadata.to_value();
        m.insert("IsRoot", Value::Bool(self.is_root));
        Value::Map(m)
    }
    fn collection(&self) -> Option<Value> {
        None
    }
    fn struct_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        Some(vec![
            (
                "Metadata",
                Value::Object(Arc::new(EmbeddedMetadata(self.clone()))),
            ),
            ("IsRoot", Value::Bool(self.is_root)),
        ])
    }
    /// The embedded struct's fields inline, then `IsRoot` (no JSON tag).
    fn json_form(&self) -> Option<JsonForm> {
        let mut fields: Vec<(String, Value)> = METADATA_FIELDS
            .iter()
            .filter_map(|(go, json)| {
                let v = self.field(go)?;
                (!is_empty_value(&v)).then(|| (json.to_string(), v))
            })
            .collect();
        fields.push(("IsRoot".into(), Value::Bool(self.is_root)));
        Some(JsonForm::Fields(fields))
    }
}

/// helm 4's `.Chart`: `MetadataAsMap` turns `chart.Metadata` into a
/// `map[string]interface{}` keyed by Go field names, nested structs into
/// maps and slices into non-nil `[]interface{}`, plus `IsRoot`.
pub fn chart_map_v4(md: &Metadata, is_root: bool) -> Value {
    let m = Map::new();
    m.insert("Name", Value::from(md.name.as_str()));
    m.insert("Home", Value::from(md.home.as_str()));
    m.insert("Sources", strings(&md.sources));
    m.insert("Version", Value::from(md.version.as_str()));
    m.insert("Description", Value::from(md.description.as_str()));
    m.insert("Keywords", strings(&md.keywords));
    let maintainers = md.maintainers.iter().map(|x| {
        let mm = Map::new();
        mm.insert("Name", Value::from(x.name.as_str()));
        mm.insert("Email", Value::from(x.email.as_str()));
        mm.insert("URL", Value::from(x.url.as_str()));
        Value::Map(mm)
    });
    m.insert("Maintainers", Value::list(maintainers.collect()));
    m.insert("Icon", Value::from(md.icon.as_str()));
    m.insert("APIVersion", Value::from(md.api_version.as_str()));
    m.insert("Condition", Value::from(md.condition.as_str()));
    m.insert("Tags", Value::from(md.tags.as_str()));
    m.insert("AppVersion", Value::from(md.app_version.as_str()));
    m.insert("Deprecated", Value::Bool(md.deprecated));
    m.insert(
        "Annotations",
        if md.annotations.is_empty() {
            // Go keeps the nil map[string]string as it is.
            Value::Object(Arc::new(NilStringMap))
        } else {
            let a = Map::new();
            for (k, v) in &md.annotations {
                a.insert(k.as_str(), Value::from(v.as_str()));
            }
            Value::Map(a)
        },
    );
    m.insert("KubeVersion", Value::from(md.kube_version.as_str()));
    let deps = md.dependencies.iter().flatten().map(|d| {
        let dm = Map::new();
        dm.insert("Name", Value::from(d.name.as_str()));
        dm.insert("Version", Value::from(d.version.as_str()));
        dm.insert("Repository", Value::from(d.repository.as_str()));
        dm.insert("Condition", Value::from(d.condition.as_str()));
        dm.insert("Tags", strings(&d.tags));
        dm.insert("Enabled", Value::Bool(d.enabled));
        dm.insert("ImportValues", Value::list(d.import_values.clone()));
        dm.insert("Alias", Value::from(d.alias.as_str()));
        Value::Map(dm)
    });
    m.insert("Dependencies", Value::list(deps.collect()));
    m.insert("Type", Value::from(md.chart_type.as_str()));
    m.insert("IsRoot", Value::Bool(is_root));
    Value::Map(m)
}

/// A nil Go `map[string]string`: prints `map[]`, ranges over nothing,
/// marshals to `null`, and a missing key reads as `""`.
#[derive(Debug)]
struct NilStringMap;

impl Object for NilStringMap {
    fn type_name(&self) -> &str {
        "map[string]string"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        Some(Value::from(""))
    }
    fn to_value(&self) -> Value {
        Value::Map(Map::new())
    }
    fn json_form(&self) -> Option<JsonForm> {
        Some(JsonForm::Null)
    }
}
