//! Manifests as documents: parsed order-preserving into JSON values for
//! selection and patching, and re-emitted as helm-style YAML only when an
//! overlay touched them.

use serde_json::Value;

/// Parses one manifest's text. `None` when it is not a YAML mapping (such
/// documents are never selected and pass through untouched).
pub fn parse(content: &str) -> Option<Value> {
    match yaml_serde::from_str::<Value>(content) {
        Ok(v @ Value::Object(_)) => Some(v),
        _ => None,
    }
}

/// Emits a touched document the way go-yaml v2 would (helm's `toYaml`
/// style), keys in their existing order, without the trailing newline
/// (manifest contents exclude it).
///
/// This is the single switch point to `tusk_funcs::yaml::emit_json` once
/// that lands; until then a private emitter with go-yaml v2's rules.
pub fn emit(value: &Value) -> String {
    let text = tusk_funcs::yaml::emit_json(value, false);
    text.strip_suffix('\n').unwrap_or(&text).to_string()
}

/// A document re-emitted the way touched documents are (keys in their
/// order, go-yaml v2 style, comments dropped), so texts from helm and from
/// tusk compare by content. `None` when it is not a YAML mapping.
pub fn normalize(content: &str) -> Option<String> {
    parse(content).map(|v| emit(&v))
}

/// `kind`, or "".
pub fn kind(doc: &Value) -> &str {
    doc.get("kind").and_then(Value::as_str).unwrap_or("")
}

/// `apiVersion`, or "".
pub fn api_version(doc: &Value) -> &str {
    doc.get("apiVersion").and_then(Value::as_str).unwrap_or("")
}

/// `metadata.name`, or "".
pub fn name(doc: &Value) -> &str {
    doc.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// `metadata.namespace`, if set.
pub fn namespace(doc: &Value) -> Option<&str> {
    doc.pointer("/metadata/namespace").and_then(Value::as_str)
}

/// The JSON pointer of the pod spec inside a workload, by kind.
pub fn pod_spec_pointer(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Pod" => "/spec",
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => "/spec/template/spec",
        "CronJob" => "/spec/jobTemplate/spec/template/spec",
        _ => return None,
    })
}

/// The JSON pointer of the pod template's metadata, by kind.
pub fn pod_metadata_pointer(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Pod" => "/metadata",
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => "/spec/template/metadata",
        "CronJob" => "/spec/jobTemplate/spec/template/metadata",
        _ => return None,
    })
}

/// Names of a document's containers (`containers`, then `initContainers`
/// when asked), in order.
pub fn container_names(doc: &Value, init: bool) -> Vec<String> {
    let Some(spec) = pod_spec_pointer(kind(doc)).and_then(|p| doc.pointer(p)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let lists: &[&str] = if init {
        &["containers", "initContainers"]
    } else {
        &["containers"]
    };
    for list in lists {
        if let Some(items) = spec.get(*list).and_then(Value::as_array) {
            for c in items {
                if let Some(n) = c.get("name").and_then(Value::as_str) {
                    out.push(n.to_string());
                }
            }
        }
    }
    out
}

/// Gets `obj[key]` as an object, creating it (appended, so existing key
/// order is kept) when absent or null.
pub fn child_object<'a>(
    obj: &'a mut serde_json::Map<String, Value>,
    key: &str,
) -> &'a mut serde_json::Map<String, Value> {
    let slot = obj
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Default::default()));
    if !slot.is_object() {
        *slot = Value::Object(Default::default());
    }
    slot.as_object_mut().expect("just made an object")
}

/// Plural of a kind for messages: `Secret` → `Secrets`, `Ingress` →
/// `Ingresses`, `NetworkPolicy` → `NetworkPolicies`.
pub fn plural(kind: &str) -> String {
    if kind.is_empty() {
        return "manifests".into();
    }
    if kind.ends_with("ss") || kind.ends_with('x') {
        format!("{kind}es")
    } else if let Some(stem) = kind.strip_suffix('y') {
        if stem.ends_with(['a', 'e', 'i', 'o', 'u']) {
            format!("{kind}s")
        } else {
            format!("{stem}ies")
        }
    } else {
        format!("{kind}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_order() {
        let src = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  b: \"true\"\n  a: \"1\"\n  z: plain\n  list:\n  - 1\n  - two";
        let v = parse(src).unwrap();
        assert_eq!(emit(&v), src);
    }

    #[test]
    fn plurals() {
        assert_eq!(plural("Ingress"), "Ingresses");
        assert_eq!(plural("NetworkPolicy"), "NetworkPolicies");
        assert_eq!(plural("Secret"), "Secrets");
        assert_eq!(plural("Gateway"), "Gateways");
    }
}
