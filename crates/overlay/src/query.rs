//! Template functions that read the manifests an overlay is applied to
//! (available when it is planned with [`crate::Overlay::plan_on`]):
//! `select`, `pod_spec`, `containers`, `env_source`, and the safe lookup
//! `at`, which every body can use.
//!
//! Overlays need them to refer to names the chart chose (a ScaledObject's
//! `scaleTargetRef`, the Secret and key a chart reads `REDIS_PASSWORD`
//! from) and to refuse to run on charts they would break (an existing HPA,
//! a container without a readiness probe). Secret values are never
//! returned: `env_source` names a Secret and key, not its content.

use std::sync::Arc;

use minijinja::{Environment, Error as JinjaError, ErrorKind as JinjaKind, Value as JValue};
use serde_json::{Value, json};

use crate::document;
use crate::selector::Select;

fn jerr(msg: impl Into<String>) -> JinjaError {
    JinjaError::new(JinjaKind::InvalidOperation, msg.into())
}

fn to_json(v: &JValue) -> Result<Value, JinjaError> {
    serde_json::to_value(v).map_err(|e| jerr(e.to_string()))
}

fn none() -> JValue {
    JValue::from(())
}

/// The pod spec of a workload (Pod, Deployment, …, CronJob), if any.
fn pod_spec(doc: &Value) -> Option<&Value> {
    document::pod_spec_pointer(document::kind(doc)).and_then(|p| doc.pointer(p))
}

/// Registers the functions on `jinja`. Without manifests, the functions
/// that need them fail with a message saying how to plan the overlay.
pub(crate) fn register(jinja: &mut Environment<'_>, manifests: Option<&[Value]>, namespace: &str) {
    let docs: Option<Arc<Vec<Value>>> = manifests.map(|m| Arc::new(m.to_vec()));
    let ns = namespace.to_string();
    let need = |docs: &Option<Arc<Vec<Value>>>| -> Result<Arc<Vec<Value>>, JinjaError> {
        docs.clone().ok_or_else(|| {
            jerr(
                "this overlay reads the rendered manifests, which are not available here \
                 (plan it with Overlay::plan_on or apply it with apply_overlays)",
            )
        })
    };

    // `at(value, "/json/pointer")`: the field or none, never an error.
    jinja.add_function(
        "at",
        |v: JValue, pointer: String| -> Result<JValue, JinjaError> {
            let v = to_json(&v)?;
            Ok(v.pointer(&pointer)
                .filter(|x| !x.is_null())
                .map(JValue::from_serialize)
                .unwrap_or_else(none))
        },
    );

    // `select(selector)`: the manifests a target with this selector would
    // match, in output order.
    {
        let docs = docs.clone();
        let ns = ns.clone();
        jinja.add_function("select", move |sel: JValue| -> Result<JValue, JinjaError> {
            let all = need(&docs)?;
            let sel: Select = serde_json::from_value(to_json(&sel)?)
                .map_err(|e| jerr(format!("select(): {e}")))?;
            let refs: Vec<&Value> = all.iter().collect();
            let env_refs = sel
                .env_from_of
                .as_ref()
                .map(|i| i.env_from_refs(&refs, &ns));
            let hits: Vec<&Value> = all
                .iter()
                .filter(|d| {
                    sel.matches(d, &ns)
                        && env_refs.as_ref().is_none_or(|r| {
                            r.iter()
                                .any(|(k, n)| k == document::kind(d) && n == document::name(d))
                        })
                })
                .collect();
            Ok(JValue::from_serialize(&hits))
        });
    }

    jinja.add_function("pod_spec", |m: JValue| -> Result<JValue, JinjaError> {
        let m = to_json(&m)?;
        Ok(pod_spec(&m)
            .map(JValue::from_serialize)
            .unwrap_or_else(none))
    });

    // `containers(manifest)`: the pod template's containers (a list, empty
    // for manifests without one).
    jinja.add_function("containers", |m: JValue| -> Result<JValue, JinjaError> {
        let m = to_json(&m)?;
        let cs = pod_spec(&m)
            .and_then(|s| s.get("containers"))
            .cloned()
            .unwrap_or_else(|| json!([]));
        Ok(JValue::from_serialize(&cs))
    });

    // `env_source(manifest, container, NAME)`: where that container gets
    // the variable: {value} for plain values (also from a ConfigMap, with
    // configMapKeyRef), {secretKeyRef: {name, key}} for Secrets, or none.
    // An `env` entry wins over `envFrom`; among `envFrom` sources the last
    // one holding the key wins, as in Kubernetes.
    {
        let docs = docs.clone();
        let ns = ns.clone();
        jinja.add_function(
            "env_source",
            move |m: JValue, container: String, name: String| -> Result<JValue, JinjaError> {
                let all = need(&docs)?;
                let m = to_json(&m)?;
                Ok(env_source(&all, &ns, &m, &container, &name)
                    .map(|v| JValue::from_serialize(&v))
                    .unwrap_or_else(none))
            },
        );
    }
}

fn find<'a>(all: &'a [Value], ns: &str, doc_ns: &str, kind: &str, name: &str) -> Option<&'a Value> {
    all.iter().find(|d| {
        document::kind(d) == kind
            && document::name(d) == name
            && document::namespace(d).unwrap_or(ns) == doc_ns
    })
}

fn env_source(all: &[Value], ns: &str, m: &Value, container: &str, var: &str) -> Option<Value> {
    let c = pod_spec(m)?
        .get("containers")?
        .as_array()?
        .iter()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(container))?;
    let doc_ns = document::namespace(m).unwrap_or(ns);
    let config_value = |cm: &str, key: &str| {
        find(all, ns, doc_ns, "ConfigMap", cm)
            .and_then(|d| {
                d.pointer(&format!(
                    "/data/{}",
                    key.replace('~', "~0").replace('/', "~1")
                ))
            })
            .map(crate::patch::scalar_text)
    };
    if let Some(e) = c
        .get("env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .rev()
        .find(|e| e.get("name").and_then(Value::as_str) == Some(var))
    {
        if let Some(v) = e.get("value") {
            return Some(json!({"value": crate::patch::scalar_text(v)}));
        }
        if let Some(r) = e.pointer("/valueFrom/secretKeyRef") {
            return Some(json!({"secretKeyRef": r}));
        }
        if let Some(r) = e.pointer("/valueFrom/configMapKeyRef") {
            let cm = r.get("name").and_then(Value::as_str).unwrap_or("");
            let key = r.get("key").and_then(Value::as_str).unwrap_or("");
            return Some(json!({"value": config_value(cm, key), "configMapKeyRef": r}));
        }
        return Some(json!({"valueFrom": e.get("valueFrom")}));
    }
    for ef in c
        .get("envFrom")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .rev()
    {
        let prefix = ef.get("prefix").and_then(Value::as_str).unwrap_or("");
        let Some(key) = var.strip_prefix(prefix) else {
            continue;
        };
        if let Some(cm) = ef.pointer("/configMapRef/name").and_then(Value::as_str) {
            if let Some(v) = config_value(cm, key) {
                return Some(json!({"value": v, "configMapKeyRef": {"name": cm, "key": key}}));
            }
        }
        if let Some(s) = ef.pointer("/secretRef/name").and_then(Value::as_str) {
            let has = find(all, ns, doc_ns, "Secret", s).is_some_and(|d| {
                ["data", "stringData"]
                    .iter()
                    .any(|f| d.get(*f).and_then(|m| m.get(key)).is_some())
            });
            if has {
                return Some(json!({"secretKeyRef": {"name": s, "key": key}}));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_source_prefers_env_and_never_returns_secret_values() {
        let all = vec![
            json!({"kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"REDIS_HOST": "redis", "A": "cm"}}),
            json!({"kind": "Secret", "metadata": {"name": "s"}, "stringData": {"REDIS_PASSWORD": "hunter2"}}),
        ];
        let d = json!({"kind": "Deployment", "metadata": {"name": "w"}, "spec": {"template": {"spec": {"containers": [
            {"name": "c", "envFrom": [{"configMapRef": {"name": "cm"}}, {"secretRef": {"name": "s"}}],
             "env": [{"name": "A", "value": 3}]}
        ]}}}});
        assert_eq!(
            env_source(&all, "ns", &d, "c", "REDIS_HOST"),
            Some(json!({"value": "redis", "configMapKeyRef": {"name": "cm", "key": "REDIS_HOST"}}))
        );
        assert_eq!(
            env_source(&all, "ns", &d, "c", "REDIS_PASSWORD"),
            Some(json!({"secretKeyRef": {"name": "s", "key": "REDIS_PASSWORD"}}))
        );
        assert_eq!(
            env_source(&all, "ns", &d, "c", "A"),
            Some(json!({"value": "3"}))
        );
        assert_eq!(env_source(&all, "ns", &d, "c", "NOPE"), None);
        assert_eq!(env_source(&all, "ns", &d, "other", "A"), None);
    }
}
