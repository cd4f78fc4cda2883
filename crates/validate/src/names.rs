//! Object names, label keys and values, and annotation keys: the syntax the
//! API server enforces (DNS-1123 subdomains and labels, DNS-1035 labels,
//! qualified names), which schemas do not express.

use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

use crate::diagnostic::push_pointer;
use crate::schema::Violation;

struct Patterns {
    dns1123_label: Regex,
    dns1035_label: Regex,
    dns1123_subdomain: Regex,
    qualified_name: Regex,
    label_value: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // Fixed patterns: compiling them cannot fail.
        let re = |p: &str| Regex::new(p).expect("valid built-in pattern");
        Patterns {
            dns1123_label: re("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"),
            dns1035_label: re("^[a-z]([-a-z0-9]*[a-z0-9])?$"),
            dns1123_subdomain: re(
                "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
            ),
            qualified_name: re("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"),
            label_value: re("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"),
        }
    })
}

/// The name rule of a kind: (description, pattern, max length).
fn name_rule(kind: &str) -> Option<(&'static str, &'static Regex, usize)> {
    let p = patterns();
    Some(match kind {
        "Service" => (
            "a DNS-1035 label (lower-case letters, digits, '-', starting with a letter)",
            &p.dns1035_label,
            63,
        ),
        "Namespace" => (
            "a DNS-1123 label (lower-case letters, digits, '-')",
            &p.dns1123_label,
            63,
        ),
        // The controller appends an 11-character suffix to the Job names.
        "CronJob" => (
            "a DNS-1123 subdomain (lower-case letters, digits, '-', '.')",
            &p.dns1123_subdomain,
            52,
        ),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "Pod"
        | "ConfigMap"
        | "Secret"
        | "PersistentVolumeClaim"
        | "PersistentVolume"
        | "ServiceAccount"
        | "Ingress"
        | "IngressClass"
        | "PodDisruptionBudget"
        | "HorizontalPodAutoscaler"
        | "NetworkPolicy"
        | "StorageClass"
        | "PriorityClass" => (
            "a DNS-1123 subdomain (lower-case letters, digits, '-', '.')",
            &p.dns1123_subdomain,
            253,
        ),
        _ => return None,
    })
}

fn check_name(kind: &str, name: &str, path: &str, out: &mut Vec<Violation>) {
    let Some((what, re, max)) = name_rule(kind) else {
        return;
    };
    let mut problems = Vec::new();
    if name.len() > max {
        problems.push(format!(
            "is {} characters long, at most {max} allowed",
            name.len()
        ));
    }
    if !re.is_match(name) {
        problems.push(format!("must be {what}"));
    }
    if !problems.is_empty() {
        out.push(Violation {
            rule: "kube/invalid-name",
            path: path.to_string(),
            message: format!("{kind} name {name:?} {}", problems.join(" and ")),
        });
    }
}

/// Problems with a label or annotation key (`prefix/name`).
fn key_problems(key: &str) -> Vec<String> {
    let p = patterns();
    let mut out = Vec::new();
    let (prefix, name) = match key.rsplit_once('/') {
        Some((pre, n)) => (Some(pre), n),
        None => (None, key),
    };
    if let Some(pre) = prefix {
        if pre.is_empty() || pre.len() > 253 || !p.dns1123_subdomain.is_match(pre) {
            out.push(format!("prefix {pre:?} must be a DNS-1123 subdomain"));
        }
    }
    if name.is_empty() || name.len() > 63 || !p.qualified_name.is_match(name) {
        out.push(format!(
            "name part {name:?} must be 1–63 characters of letters, digits, '-', '_', '.', starting and ending with a letter or digit"
        ));
    }
    out
}

fn check_labels(
    labels: &serde_json::Map<String, Value>,
    path: &str,
    values_too: bool,
    out: &mut Vec<Violation>,
) {
    let p = patterns();
    for (k, v) in labels {
        let kp = push_pointer(path, k);
        let problems = key_problems(k);
        if !problems.is_empty() {
            out.push(Violation {
                rule: "kube/invalid-label",
                path: kp.clone(),
                message: format!("key {k:?}: {}", problems.join("; ")),
            });
        }
        if !values_too {
            continue;
        }
        if let Some(s) = v.as_str() {
            if s.len() > 63 || !p.label_value.is_match(s) {
                out.push(Violation {
                    rule: "kube/invalid-label",
                    path: kp,
                    message: format!(
                        "value {s:?} of {k:?} must be at most 63 characters of letters, digits, '-', '_', '.', starting and ending with a letter or digit (it is {} long)",
                        s.len()
                    ),
                });
            }
        }
    }
}

/// Checks the object's name (for kinds with a known rule), its namespace,
/// and every `metadata.labels`, `metadata.annotations` key and `matchLabels`
/// inside it.
pub(crate) fn check(kind: &str, v: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    if let Some(name) = v["metadata"]["name"].as_str() {
        check_name(kind, name, "/metadata/name", &mut out);
    }
    if let Some(ns) = v["metadata"]["namespace"].as_str() {
        if ns.len() > 63 || !patterns().dns1123_label.is_match(ns) {
            out.push(Violation {
                rule: "kube/invalid-name",
                path: "/metadata/namespace".into(),
                message: format!(
                    "namespace {ns:?} must be a DNS-1123 label of at most 63 characters"
                ),
            });
        }
    }
    walk(v, "", false, 0, &mut out);
    out
}

fn walk(v: &Value, path: &str, parent_is_metadata: bool, depth: usize, out: &mut Vec<Violation>) {
    if depth > 32 {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = push_pointer(path, k);
                match (k.as_str(), child) {
                    ("labels", Value::Object(l)) if parent_is_metadata => {
                        check_labels(l, &p, true, out)
                    }
                    ("annotations", Value::Object(a)) if parent_is_metadata => {
                        check_labels(a, &p, false, out)
                    }
                    ("matchLabels", Value::Object(l)) => check_labels(l, &p, true, out),
                    _ => walk(child, &p, k == "metadata", depth + 1, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, it) in items.iter().enumerate() {
                walk(
                    it,
                    &push_pointer(path, &i.to_string()),
                    false,
                    depth + 1,
                    out,
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(kind: &str, v: Value) -> Vec<(String, String)> {
        check(kind, &v)
            .into_iter()
            .map(|x| (x.rule.to_string(), x.path))
            .collect()
    }

    #[test]
    fn names_and_labels() {
        assert!(rules("Deployment", json!({"metadata": {"name": "web.v1", "labels": {"app.kubernetes.io/name": "mastodon", "v": ""}}})).is_empty());
        assert_eq!(
            rules("Service", json!({"metadata": {"name": "1web"}})),
            vec![("kube/invalid-name".into(), "/metadata/name".into())]
        );
        assert_eq!(
            rules("Deployment", json!({"metadata": {"name": "Web"}})).len(),
            1
        );
        assert_eq!(
            rules("CronJob", json!({"metadata": {"name": "a".repeat(53)}})).len(),
            1
        );
        assert!(rules("ClusterRole", json!({"metadata": {"name": "system:thing"}})).is_empty());
        let long = "x".repeat(64);
        let r = rules(
            "Deployment",
            json!({"metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"release": long}},
            "template": {"metadata": {"labels": {"bad key!": "v"}, "annotations": {"ok/an-annotation": "any value at all !"}}}}}),
        );
        assert_eq!(
            r,
            vec![
                (
                    "kube/invalid-label".into(),
                    "/spec/selector/matchLabels/release".into()
                ),
                (
                    "kube/invalid-label".into(),
                    "/spec/template/metadata/labels/bad key!".into()
                ),
            ]
        );
        // ConfigMap data that happens to use the word "labels" is not metadata.
        assert!(
            rules(
                "ConfigMap",
                json!({"metadata": {"name": "c"}, "data": {"labels": "x y"}})
            )
            .is_empty()
        );
    }
}
