//! Patch operations and how each changes one manifest: RFC 6902 JSON
//! patches, RFC 7386 merge patches, strategic merge for the core lists,
//! and convenience operations for env vars, images, metadata and data.

use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::document;
use crate::selector::{OneOrMany, Select};

/// One operation of a target's `patches` list, written as a one-key map
/// (`- setEnv: [...]`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Op {
    /// RFC 6902 operations (`op`, `path`, `value`, `from`).
    JsonPatch(Vec<Value>),
    /// RFC 7386 merge patch (`null` deletes).
    MergePatch(Value),
    /// Kubernetes-style strategic merge: like a merge patch, but the core
    /// lists are merged by key (see [`merge_key`]); list items may carry
    /// `$patch: delete`.
    StrategicMerge(Value),
    /// Strategic merge into every selected container.
    MergeContainer(Value),
    /// Sets env vars on the selected containers, replacing same-named ones
    /// in place and appending new ones.
    SetEnv(Vec<EnvVar>),
    /// Removes env vars by name from the selected containers.
    UnsetEnv(OneOrMany),
    /// Changes the selected containers' image and pull policy.
    SetImage(ImageSpec),
    /// Adds or replaces `metadata.annotations`.
    AddAnnotations(Map<String, Value>),
    /// Adds or replaces `metadata.labels`.
    AddLabels(Map<String, Value>),
    /// Adds or replaces the pod template's annotations.
    AddPodAnnotations(Map<String, Value>),
    /// Adds or replaces the pod template's labels.
    AddPodLabels(Map<String, Value>),
    /// Sets ConfigMap or Secret `data` keys from plain text; for Secrets the
    /// tool base64-encodes.
    SetData(Map<String, Value>),
    /// Removes fields by JSON pointer (`/spec/replicas`); a missing field is
    /// not an error.
    Remove(OneOrMany),
}

/// An env var for `setEnv`: a Kubernetes `EnvVar` plus shorthands.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvVar {
    /// Variable name.
    pub name: String,
    /// Plain value (numbers and booleans become strings).
    #[serde(default)]
    pub value: Option<Value>,
    /// Shorthand for `valueFrom.secretKeyRef`.
    #[serde(default)]
    pub secret_key_ref: Option<Value>,
    /// Shorthand for `valueFrom.configMapKeyRef`.
    #[serde(default)]
    pub config_map_key_ref: Option<Value>,
    /// A full `valueFrom`.
    #[serde(default)]
    pub value_from: Option<Value>,
}

/// New image parts for `setImage`; unset parts keep the current image's.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageSpec {
    /// Repository (with registry), e.g. `ghcr.io/me/mastodon`.
    #[serde(default)]
    pub repository: Option<String>,
    /// Tag.
    #[serde(default)]
    pub tag: Option<String>,
    /// Digest (`sha256:…`); replaces the tag unless a tag is also given.
    #[serde(default)]
    pub digest: Option<String>,
    /// `imagePullPolicy`.
    #[serde(default)]
    pub pull_policy: Option<String>,
}

/// Splits `registry:5000/repo:tag@digest` into (repository, tag, digest).
pub fn split_image(image: &str) -> (String, Option<String>, Option<String>) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d.to_string())),
        None => (image, None),
    };
    // A tag's colon comes after the last slash (a registry port's does not).
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[last_slash..].rfind(':') {
        Some(i) => (
            rest[..last_slash + i].to_string(),
            Some(rest[last_slash + i + 1..].to_string()),
            digest,
        ),
        None => (rest.to_string(), None, digest),
    }
}

impl ImageSpec {
    /// The new image string for a container whose image is `old`.
    pub fn apply_to(&self, old: &str) -> String {
        let (repo, tag, digest) = split_image(old);
        let repo = self.repository.clone().unwrap_or(repo);
        let (tag, digest) = match (&self.tag, &self.digest) {
            (Some(t), Some(d)) => (Some(t.clone()), Some(d.clone())),
            (Some(t), None) => (Some(t.clone()), None),
            (None, Some(d)) => (None, Some(d.clone())),
            (None, None) => (tag, digest),
        };
        let mut s = repo;
        if let Some(t) = tag {
            s.push(':');
            s.push_str(&t);
        }
        if let Some(d) = digest {
            s.push('@');
            s.push_str(&d);
        }
        s
    }
}

impl Op {
    /// Whether this operation works on containers (and so needs a pod
    /// template).
    pub fn is_container_op(&self) -> bool {
        matches!(
            self,
            Op::SetEnv(_) | Op::UnsetEnv(_) | Op::SetImage(_) | Op::MergeContainer(_)
        )
    }

    /// The operation's name as written in overlay files.
    pub fn name(&self) -> &'static str {
        match self {
            Op::JsonPatch(_) => "jsonPatch",
            Op::MergePatch(_) => "mergePatch",
            Op::StrategicMerge(_) => "strategicMerge",
            Op::MergeContainer(_) => "mergeContainer",
            Op::SetEnv(_) => "setEnv",
            Op::UnsetEnv(_) => "unsetEnv",
            Op::SetImage(_) => "setImage",
            Op::AddAnnotations(_) => "addAnnotations",
            Op::AddLabels(_) => "addLabels",
            Op::AddPodAnnotations(_) => "addPodAnnotations",
            Op::AddPodLabels(_) => "addPodLabels",
            Op::SetData(_) => "setData",
            Op::Remove(_) => "remove",
        }
    }

    /// Applies the operation to one selected manifest.
    pub fn apply(&self, doc: &mut Value, select: &Select) -> Result<(), String> {
        let kind = document::kind(doc).to_string();
        match self {
            Op::JsonPatch(ops) => {
                let patch: json_patch::Patch = serde_json::from_value(Value::Array(ops.clone()))
                    .map_err(|e| format!("bad JSON patch: {e}"))?;
                json_patch::patch(doc, &patch).map_err(|e| e.to_string())
            }
            Op::MergePatch(p) => {
                json_patch::merge(doc, p);
                Ok(())
            }
            Op::StrategicMerge(p) => {
                strategic_merge(doc, p, "");
                Ok(())
            }
            Op::AddAnnotations(m) => add_meta(doc, "/metadata", "annotations", m),
            Op::AddLabels(m) => add_meta(doc, "/metadata", "labels", m),
            Op::AddPodAnnotations(m) | Op::AddPodLabels(m) => {
                let ptr = document::pod_metadata_pointer(&kind)
                    .ok_or_else(|| format!("a {kind} has no pod template"))?;
                let key = if matches!(self, Op::AddPodLabels(_)) {
                    "labels"
                } else {
                    "annotations"
                };
                add_meta(doc, ptr, key, m)
            }
            Op::SetData(m) => set_data(doc, &kind, m),
            Op::Remove(ptrs) => {
                for p in ptrs.items() {
                    remove_pointer(doc, p)?;
                }
                Ok(())
            }
            Op::SetEnv(_) | Op::UnsetEnv(_) | Op::SetImage(_) | Op::MergeContainer(_) => {
                let ptr = document::pod_spec_pointer(&kind)
                    .ok_or_else(|| format!("a {kind} has no pod template"))?;
                let spec = doc
                    .pointer_mut(ptr)
                    .and_then(Value::as_object_mut)
                    .ok_or_else(|| format!("the {kind} has no pod spec at {ptr}"))?;
                let lists: &[&str] = if select.init_containers {
                    &["containers", "initContainers"]
                } else {
                    &["containers"]
                };
                for list in lists {
                    let Some(items) = spec.get_mut(*list).and_then(Value::as_array_mut) else {
                        continue;
                    };
                    for c in items.iter_mut() {
                        let name = c.get("name").and_then(Value::as_str).unwrap_or("");
                        if !select.container_selected(name) {
                            continue;
                        }
                        self.apply_container(c)?;
                    }
                }
                Ok(())
            }
        }
    }

    fn apply_container(&self, c: &mut Value) -> Result<(), String> {
        let Some(obj) = c.as_object_mut() else {
            return Err("a container is not a mapping".into());
        };
        match self {
            Op::SetEnv(vars) => {
                let env = obj.entry("env").or_insert_with(|| Value::Array(Vec::new()));
                if !env.is_array() {
                    *env = Value::Array(Vec::new());
                }
                let list = env.as_array_mut().expect("just made an array");
                for v in vars {
                    let new = v.to_k8s()?;
                    match list
                        .iter_mut()
                        .find(|e| e.get("name").and_then(Value::as_str) == Some(&v.name))
                    {
                        Some(slot) => *slot = new,
                        None => list.push(new),
                    }
                }
                Ok(())
            }
            Op::UnsetEnv(names) => {
                let names = names.items();
                if let Some(list) = obj.get_mut("env").and_then(Value::as_array_mut) {
                    list.retain(|e| {
                        !e.get("name")
                            .and_then(Value::as_str)
                            .is_some_and(|n| names.contains(&n))
                    });
                }
                Ok(())
            }
            Op::SetImage(spec) => {
                let old = obj.get("image").and_then(Value::as_str).unwrap_or("");
                let new = spec.apply_to(old);
                obj.insert("image".into(), Value::String(new));
                if let Some(p) = &spec.pull_policy {
                    obj.insert("imagePullPolicy".into(), Value::String(p.clone()));
                }
                Ok(())
            }
            Op::MergeContainer(p) => {
                strategic_merge(c, p, "containers");
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

impl EnvVar {
    fn to_k8s(&self) -> Result<Value, String> {
        let mut m = Map::new();
        m.insert("name".into(), Value::String(self.name.clone()));
        let sources = [
            self.value.is_some(),
            self.secret_key_ref.is_some(),
            self.config_map_key_ref.is_some(),
            self.value_from.is_some(),
        ];
        if sources.iter().filter(|b| **b).count() != 1 {
            return Err(format!(
                "env var {} needs exactly one of value, secretKeyRef, configMapKeyRef, valueFrom",
                self.name
            ));
        }
        if let Some(v) = &self.value {
            m.insert("value".into(), Value::String(scalar_text(v)));
        } else if let Some(r) = &self.secret_key_ref {
            m.insert("valueFrom".into(), serde_json::json!({ "secretKeyRef": r }));
        } else if let Some(r) = &self.config_map_key_ref {
            m.insert(
                "valueFrom".into(),
                serde_json::json!({ "configMapKeyRef": r }),
            );
        } else if let Some(r) = &self.value_from {
            m.insert("valueFrom".into(), r.clone());
        }
        Ok(Value::Object(m))
    }
}

/// A scalar as the string Kubernetes wants (`3000` → `"3000"`).
pub fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn add_meta(doc: &mut Value, ptr: &str, key: &str, m: &Map<String, Value>) -> Result<(), String> {
    let kind = document::kind(doc).to_string();
    let meta = match doc.pointer_mut(ptr) {
        Some(v) => v,
        None => {
            // Create the pod template metadata (or metadata) when absent.
            let (parent, last) = ptr.rsplit_once('/').unwrap_or(("", ptr));
            let parent = doc
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .ok_or_else(|| format!("the {kind} has nothing at {parent}"))?;
            parent.insert(last.to_string(), Value::Object(Map::new()));
            parent.get_mut(last).expect("just inserted")
        }
    };
    if meta.is_null() {
        *meta = Value::Object(Map::new());
    }
    let meta = meta
        .as_object_mut()
        .ok_or_else(|| format!("{ptr} is not a mapping"))?;
    let target = document::child_object(meta, key);
    for (k, v) in m {
        target.insert(k.clone(), Value::String(scalar_text(v)));
    }
    Ok(())
}

/// Secret data values containing a secret-parameter token are left as text
/// here and encoded by the apply stage once the token is replaced.
fn set_data(doc: &mut Value, kind: &str, m: &Map<String, Value>) -> Result<(), String> {
    let is_secret = match kind {
        "Secret" => true,
        "ConfigMap" => false,
        other => {
            return Err(format!(
                "setData works on Secrets and ConfigMaps, not a {other}"
            ));
        }
    };
    let obj = doc
        .as_object_mut()
        .ok_or_else(|| "the manifest is not a mapping".to_string())?;
    if is_secret {
        // stringData wins over data in Kubernetes: drop a same-named key so
        // the value set here is the one that counts.
        if let Some(sd) = obj.get_mut("stringData").and_then(Value::as_object_mut) {
            for k in m.keys() {
                sd.shift_remove(k);
            }
        }
    }
    let data = document::child_object(obj, "data");
    for (k, v) in m {
        let text = scalar_text(v);
        let stored = if is_secret && !crate::params::has_token(&text) {
            base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
        } else {
            text
        };
        data.insert(k.clone(), Value::String(stored));
    }
    Ok(())
}

fn remove_pointer(doc: &mut Value, ptr: &str) -> Result<(), String> {
    if !ptr.starts_with('/') {
        return Err(format!(
            "remove takes JSON pointers like /spec/replicas, not {ptr:?}"
        ));
    }
    let (parent, last) = ptr.rsplit_once('/').unwrap_or(("", ptr));
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.shift_remove(&last);
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The key that identifies items of a core list, by the list's field name
/// (and its parent, for `ports`).
pub fn merge_key(field: &str, parent: &str, items: &[Value]) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "hostAliases" => {
            if field == "hostAliases" {
                "ip"
            } else {
                "name"
            }
        }
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "ports" => {
            if parent == "containers" || items.iter().any(|i| i.get("containerPort").is_some()) {
                "containerPort"
            } else {
                "port"
            }
        }
        _ => return None,
    })
}

/// `envFrom` items are identified by the ConfigMap or Secret they name.
fn env_from_key(v: &Value) -> Option<String> {
    for r in ["configMapRef", "secretRef"] {
        if let Some(n) = v.pointer(&format!("/{r}/name")).and_then(Value::as_str) {
            return Some(format!("{r}/{n}"));
        }
    }
    None
}

/// Strategic merge of `patch` into `target`; `field` is the name of the
/// field `target` sits in (to pick list merge keys).
pub fn strategic_merge(target: &mut Value, patch: &Value, field: &str) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, pv) in p {
                if pv.is_null() {
                    t.shift_remove(k);
                    continue;
                }
                match t.get_mut(k) {
                    Some(tv) => strategic_merge_field(tv, pv, k, field),
                    None => {
                        let mut fresh = pv.clone();
                        strip_directives(&mut fresh);
                        t.insert(k.clone(), fresh);
                    }
                }
            }
        }
        (t, p) => {
            *t = p.clone();
            strip_directives(t);
        }
    }
}

/// Computes a list item's identity for strategic merge.
type ItemKey = Box<dyn Fn(&Value) -> Option<String>>;

fn strategic_merge_field(tv: &mut Value, pv: &Value, key: &str, parent: &str) {
    match (tv, pv) {
        (Value::Array(ta), Value::Array(pa)) => {
            let by: Option<ItemKey> = if key == "envFrom" {
                Some(Box::new(env_from_key))
            } else {
                merge_key(key, parent, ta)
                    .map(|k| Box::new(move |v: &Value| v.get(k).map(|x| x.to_string())) as ItemKey)
            };
            let Some(by) = by else {
                *ta = pa.clone();
                return;
            };
            for item in pa {
                let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
                let id = by(item);
                let pos = id
                    .as_ref()
                    .and_then(|id| ta.iter().position(|t| by(t).as_ref() == Some(id)));
                match (pos, delete) {
                    (Some(i), true) => {
                        ta.remove(i);
                    }
                    (None, true) => {}
                    (Some(i), false) => strategic_merge(&mut ta[i], item, key),
                    (None, false) => {
                        let mut fresh = item.clone();
                        strip_directives(&mut fresh);
                        ta.push(fresh);
                    }
                }
            }
        }
        (tv, pv) => strategic_merge(tv, pv, key),
    }
}

fn strip_directives(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.shift_remove("$patch");
            m.values_mut().for_each(strip_directives);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_directives),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn images() {
        assert_eq!(
            split_image("localhost:5000/a/b:1.0@sha256:x"),
            (
                "localhost:5000/a/b".into(),
                Some("1.0".into()),
                Some("sha256:x".into())
            )
        );
        assert_eq!(split_image("ghcr.io/m/m").1, None);
        let s = ImageSpec {
            repository: Some("r/x".into()),
            ..Default::default()
        };
        assert_eq!(s.apply_to("ghcr.io/m/m:v4.3.0"), "r/x:v4.3.0");
        let d = ImageSpec {
            digest: Some("sha256:abc".into()),
            ..Default::default()
        };
        assert_eq!(d.apply_to("m:v1"), "m@sha256:abc");
    }

    #[test]
    fn set_data_on_secrets_encodes_and_beats_string_data() {
        let mut d = json!({"kind": "Secret", "stringData": {"A": "old", "B": "keep"}});
        let op = Op::SetData(serde_json::from_value(json!({"A": "new", "N": 3})).unwrap());
        op.apply(&mut d, &Select::default()).unwrap();
        assert_eq!(
            d,
            json!({"kind": "Secret", "stringData": {"B": "keep"}, "data": {"A": "bmV3", "N": "Mw=="}})
        );
        let mut c = json!({"kind": "ConfigMap"});
        op.apply(&mut c, &Select::default()).unwrap();
        assert_eq!(c["data"], json!({"A": "new", "N": "3"}));
        let mut svc = json!({"kind": "Service"});
        assert!(op.apply(&mut svc, &Select::default()).is_err());
    }

    #[test]
    fn strategic_merges_by_key() {
        let mut t = json!({"spec": {"containers": [
            {"name": "web", "env": [{"name": "A", "value": "1"}], "ports": [{"containerPort": 80, "name": "http"}]},
            {"name": "side"}
        ]}});
        let p = json!({"spec": {"containers": [
            {"name": "web", "env": [{"name": "B", "value": "2"}, {"name": "A", "value": "9"}],
             "ports": [{"containerPort": 80, "protocol": "TCP"}]},
            {"name": "side", "$patch": "delete"},
            {"name": "new", "image": "x"}
        ]}});
        strategic_merge(&mut t, &p, "");
        assert_eq!(
            t,
            json!({"spec": {"containers": [
                {"name": "web", "env": [{"name": "A", "value": "9"}, {"name": "B", "value": "2"}],
                 "ports": [{"containerPort": 80, "name": "http", "protocol": "TCP"}]},
                {"name": "new", "image": "x"}
            ]}})
        );
    }
}
