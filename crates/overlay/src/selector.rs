//! Targets: which manifests (and which containers in their pod templates)
//! a patch applies to, and how many of them an overlay expects.

use serde::Deserialize;
use serde_json::Value;

use crate::document;
use crate::glob;

/// A string or a list of strings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One string.
    One(String),
    /// Several.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The strings.
    pub fn items(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// Which manifests a target selects. Every field given must match; string
/// fields are globs (`*`, `?`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Select {
    /// `apiVersion` glob.
    #[serde(default)]
    pub api_version: Option<String>,
    /// `kind` glob.
    #[serde(default)]
    pub kind: Option<String>,
    /// `metadata.name` glob.
    #[serde(default)]
    pub name: Option<String>,
    /// `metadata.namespace` glob (manifests without one are in the release
    /// namespace).
    #[serde(default)]
    pub namespace: Option<String>,
    /// Labels that must be present, values as globs.
    #[serde(default)]
    pub labels: serde_json::Map<String, Value>,
    /// Annotations that must be present, values as globs.
    #[serde(default)]
    pub annotations: serde_json::Map<String, Value>,
    /// Container name globs: the manifest must have a pod template with at
    /// least one such container, and container operations apply to those.
    #[serde(default)]
    pub containers: Option<OneOrMany>,
    /// Also consider `initContainers` (default: only `containers`).
    #[serde(default)]
    pub init_containers: bool,
    /// Only Secrets and ConfigMaps that the (selected containers of the)
    /// manifests this inner selector matches read with `envFrom`: "the env
    /// Secret of the web Deployment", whatever the chart names it.
    #[serde(default)]
    pub env_from_of: Option<Box<Select>>,
}

/// How many manifests a target must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// At least this many.
    pub min: usize,
    /// At most this many, if bounded.
    pub max: Option<usize>,
}

impl Expect {
    /// Whether `n` matches is what was expected.
    pub fn allows(&self, n: usize) -> bool {
        n >= self.min && self.max.is_none_or(|m| n <= m)
    }

    /// "exactly 1", "at least 1", "between 1 and 3", "any number".
    pub fn describe(&self) -> String {
        match (self.min, self.max) {
            (0, None) => "any number".into(),
            (a, Some(b)) if a == b => format!("exactly {a}"),
            (a, None) => format!("at least {a}"),
            (0, Some(b)) => format!("at most {b}"),
            (a, Some(b)) => format!("between {a} and {b}"),
        }
    }
}

fn map_matches(want: &serde_json::Map<String, Value>, have: Option<&Value>) -> bool {
    want.iter().all(|(k, pat)| {
        let Some(v) = have.and_then(|h| h.get(k)) else {
            return false;
        };
        let have = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match pat {
            Value::String(p) => glob::matches(p, &have),
            Value::Null => true,
            // `true`/`3` in a selector match the label text "true"/"3".
            other => {
                let text = other.to_string();
                text == have
            }
        }
    })
}

impl Select {
    /// Whether the manifest-level fields match (not containers).
    fn matches_manifest(&self, doc: &Value, default_ns: &str) -> bool {
        let g = |pat: &Option<String>, v: &str| pat.as_ref().is_none_or(|p| glob::matches(p, v));
        g(&self.api_version, document::api_version(doc))
            && g(&self.kind, document::kind(doc))
            && g(&self.name, document::name(doc))
            && g(
                &self.namespace,
                document::namespace(doc).unwrap_or(default_ns),
            )
            && map_matches(&self.labels, doc.pointer("/metadata/labels"))
            && map_matches(&self.annotations, doc.pointer("/metadata/annotations"))
    }

    /// Whether a container of this name is selected.
    pub fn container_selected(&self, name: &str) -> bool {
        match &self.containers {
            None => true,
            Some(pats) => pats.items().iter().any(|p| glob::matches(p, name)),
        }
    }

    /// Whether the manifest is selected.
    pub fn matches(&self, doc: &Value, default_ns: &str) -> bool {
        if !self.matches_manifest(doc, default_ns) {
            return false;
        }
        if self.containers.is_none() {
            return true;
        }
        document::container_names(doc, self.init_containers)
            .iter()
            .any(|n| self.container_selected(n))
    }

    /// `(kind, name)` of every ConfigMap and Secret that the selected
    /// containers of matching manifests read through `envFrom`.
    pub fn env_from_refs(&self, docs: &[&Value], default_ns: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for d in docs.iter().filter(|d| self.matches(d, default_ns)) {
            let Some(spec) =
                document::pod_spec_pointer(document::kind(d)).and_then(|p| d.pointer(p))
            else {
                continue;
            };
            let lists: &[&str] = if self.init_containers {
                &["containers", "initContainers"]
            } else {
                &["containers"]
            };
            for list in lists {
                for c in spec
                    .get(*list)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let name = c.get("name").and_then(Value::as_str).unwrap_or("");
                    if !self.container_selected(name) {
                        continue;
                    }
                    for ef in c
                        .get("envFrom")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        for (key, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")]
                        {
                            if let Some(n) =
                                ef.pointer(&format!("/{key}/name")).and_then(Value::as_str)
                            {
                                let r = (kind.to_string(), n.to_string());
                                if !out.contains(&r) {
                                    out.push(r);
                                }
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// What the chart has instead, for an expectation error: the manifests
    /// of the selected kind (with their containers when containers are
    /// selected), or every manifest when no plain kind was given.
    pub fn what_chart_has(&self, docs: &[&Value]) -> String {
        let with_containers = |d: &Value| {
            let cs = document::container_names(d, self.init_containers);
            if self.containers.is_some() {
                format!("{} (containers: {})", document::name(d), cs.join(", "))
            } else {
                document::name(d).to_string()
            }
        };
        match &self.kind {
            Some(k) if !k.contains(['*', '?']) => {
                let names: Vec<String> = docs
                    .iter()
                    .filter(|d| document::kind(d) == k)
                    .map(|d| with_containers(d))
                    .collect();
                if names.is_empty() {
                    format!("the chart renders no {}", document::plural(k))
                } else {
                    format!(
                        "the chart renders {}: {}",
                        document::plural(k),
                        names.join(", ")
                    )
                }
            }
            _ => {
                let names: Vec<String> = docs
                    .iter()
                    .map(|d| format!("{}/{}", document::kind(d), with_containers(d)))
                    .collect();
                format!("the chart renders: {}", names.join(", "))
            }
        }
    }

    /// The noun for matched manifests: `Secrets`, or `manifests`.
    pub fn noun(&self, n: usize) -> String {
        let kind = match &self.kind {
            Some(k) if !k.contains(['*', '?']) => k.as_str(),
            _ => "",
        };
        if kind.is_empty() {
            return if n == 1 { "manifest" } else { "manifests" }.into();
        }
        if n == 1 {
            kind.to_string()
        } else {
            document::plural(kind)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dep(name: &str, containers: &[&str]) -> Value {
        let cs: Vec<Value> = containers.iter().map(|c| json!({"name": c})).collect();
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": name, "labels": {"app.kubernetes.io/component": "web"}},
               "spec": {"template": {"spec": {"containers": cs}}}})
    }

    #[test]
    fn selects_by_globs_labels_and_containers() {
        let d = dep("mastodon-web", &["web", "sidecar"]);
        let s: Select = serde_json::from_value(json!({
            "kind": "Deployment", "name": "*-web",
            "labels": {"app.kubernetes.io/component": "w*"}, "containers": "web"
        }))
        .unwrap();
        assert!(s.matches(&d, "default"));
        let s2: Select = serde_json::from_value(json!({"containers": ["nope*"]})).unwrap();
        assert!(!s2.matches(&d, "default"));
        let s3: Select = serde_json::from_value(json!({"namespace": "prod"})).unwrap();
        assert!(!s3.matches(&d, "default"));
        assert!(s3.matches(&d, "prod"));
    }

    #[test]
    fn expectations() {
        assert!(Expect { min: 1, max: None }.allows(3));
        assert!(
            !Expect {
                min: 1,
                max: Some(1)
            }
            .allows(2)
        );
        assert_eq!(
            Expect {
                min: 2,
                max: Some(2)
            }
            .describe(),
            "exactly 2"
        );
    }
}
