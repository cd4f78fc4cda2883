//! `.Release` and `.Chart`: what a template sees of the release and of its
//! chart's metadata.

use std::sync::Arc;

use tusk_chart::{Dependency, Metadata};
use tusk_template::{Map, Object, Value};

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
    fn to_value(&self) -> Value {
        let m = Map::new();
        for (k, v) in [
            ("name", &self.0.name),
            ("email", &self.0.email),
            ("url", &self.0.url),
        ] {
            if !v.is_empty() {
                m.insert(k, Value::from(v.as_str()));
            }
        }
        Value::Map(m)
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
}
