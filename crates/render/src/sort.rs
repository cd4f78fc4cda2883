//! helm's install order and hook extraction (`releaseutil.SortManifests`,
//! `kind_sorter.go`): documents are read file by file in path order, hooks
//! (documents with a `helm.sh/hook` annotation) are set aside, and both
//! lists are stably sorted by kind. Hook weights do not reorder `helm
//! template` output.

use std::collections::BTreeMap;

use crate::manifest::{SimpleHead, parse_head, split_manifests};

/// helm's install order of kinds; unknown kinds come after, alphabetically.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
];

/// Kinds helm 4 appends to [`INSTALL_ORDER`] (webhook configurations last,
/// so they exist only once their services do).
pub const INSTALL_ORDER_V4_EXTRA: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// The hook annotation.
pub const HOOK_ANNOTATION: &str = "helm.sh/hook";
/// The hook weight annotation.
pub const HOOK_WEIGHT_ANNOTATION: &str = "helm.sh/hook-weight";
/// The hook delete policy annotation.
pub const HOOK_DELETE_ANNOTATION: &str = "helm.sh/hook-delete-policy";

/// The hook events helm knows (`test-success` is an old name of `test`).
const EVENTS: &[(&str, &str)] = &[
    ("pre-install", "pre-install"),
    ("post-install", "post-install"),
    ("pre-delete", "pre-delete"),
    ("post-delete", "post-delete"),
    ("pre-upgrade", "pre-upgrade"),
    ("post-upgrade", "post-upgrade"),
    ("pre-rollback", "pre-rollback"),
    ("post-rollback", "post-rollback"),
    ("test", "test"),
    ("test-success", "test"),
];

/// A rendered, non-hook document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedManifest {
    /// Template path, e.g. `mychart/templates/web.yaml`.
    pub name: String,
    /// The document text (trimmed).
    pub content: String,
    /// Its head.
    pub head: SimpleHead,
}

/// A hook document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    /// `metadata.name`
    pub name: String,
    /// `kind`
    pub kind: String,
    /// Template path.
    pub path: String,
    /// The document text.
    pub manifest: String,
    /// Events, normalised (`test-success` → `test`).
    pub events: Vec<String>,
    /// `helm.sh/hook-weight` (0 when absent or not an integer).
    pub weight: i64,
    /// `helm.sh/hook-delete-policy` entries.
    pub delete_policies: Vec<String>,
}

impl Hook {
    /// Whether this is a test hook (`--skip-tests` drops it).
    pub fn is_test(&self) -> bool {
        self.events.iter().any(|e| e == "test")
    }
}

/// A document helm could not read; the message is helm's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The template path.
    pub path: String,
    /// The YAML/JSON error text.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "YAML parse error on {}: {}", self.path, self.message)
    }
}

fn kind_rank(kind: &str) -> Option<usize> {
    let extra: &[&str] = if tusk_chart::compat::current().is_v4() {
        INSTALL_ORDER_V4_EXTRA
    } else {
        &[]
    };
    INSTALL_ORDER.iter().chain(extra).position(|k| *k == kind)
}

/// helm's `lessByKind`.
fn less_by_kind(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (kind_rank(a), kind_rank(b)) {
        (None, None) => a.cmp(b),
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => x.cmp(&y),
    }
}

/// Go's `strconv.Atoi`, 0 on failure.
fn atoi_or_zero(s: &str) -> i64 {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    s.parse().unwrap_or(0)
}

/// Splits and sorts rendered files (template path → text), in helm's order.
/// Files whose base name starts with `_` and blank files are skipped.
pub fn sort_manifests(
    files: &BTreeMap<String, String>,
) -> Result<(Vec<Hook>, Vec<SortedManifest>), ParseError> {
    let mut hooks = Vec::new();
    let mut generic = Vec::new();
    let docs: Vec<(&String, String)> = files
        .iter()
        .filter(|(path, content)| {
            let base = path.rsplit('/').next().unwrap_or(path);
            !base.starts_with('_') && !content.trim().is_empty()
        })
        .flat_map(|(path, content)| split_manifests(content).into_iter().map(move |m| (path, m)))
        .collect();
    // Reading heads is pure; the loop below keeps helm's order for the first
    // error and the log lines.
    let bytes: usize = docs.iter().map(|(_, m)| m.len()).sum();
    let heads = tusk_chart::par::map(docs.iter().collect(), bytes, |(_, m)| parse_head(m));
    for ((path, m), head) in docs.into_iter().zip(heads) {
        let head = head.map_err(|message| ParseError {
            path: path.clone(),
            message,
        })?;
        let Some(hook_types) = head.annotations.get(HOOK_ANNOTATION).cloned() else {
            generic.push(SortedManifest {
                name: path.clone(),
                content: m,
                head,
            });
            continue;
        };
        let mut events = Vec::new();
        let mut unknown = false;
        for t in hook_types.split(',') {
            let t = t.trim().to_lowercase();
            match EVENTS.iter().find(|(n, _)| *n == t) {
                Some((_, e)) => events.push(e.to_string()),
                None => {
                    unknown = true;
                    break;
                }
            }
        }
        if unknown {
            tusk_chart::log::log(
                "manifest_sorter.go:190",
                format!(
                    "info: skipping unknown hook: {}",
                    tusk_chart::strvals::go_quote(&hook_types)
                ),
            );
            continue;
        }
        let weight = head
            .annotations
            .get(HOOK_WEIGHT_ANNOTATION)
            .map(|w| atoi_or_zero(w))
            .unwrap_or(0);
        let delete_policies = head
            .annotations
            .get(HOOK_DELETE_ANNOTATION)
            .map(|d| d.split(',').map(|p| p.trim().to_lowercase()).collect())
            .unwrap_or_default();
        hooks.push(Hook {
            name: head.name.clone(),
            kind: head.kind.clone(),
            path: path.clone(),
            manifest: m,
            events,
            weight,
            delete_policies,
        });
    }
    generic.sort_by(|a, b| less_by_kind(&a.head.kind, &b.head.kind));
    hooks.sort_by(|a, b| less_by_kind(&a.kind, &b.kind));
    Ok((hooks, generic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_kind_then_path() {
        let mut files = BTreeMap::new();
        files.insert(
            "c/templates/b.yaml".to_string(),
            "kind: Deployment\n---\nkind: Zed\n---\nkind: Alpha\n".to_string(),
        );
        files.insert(
            "c/templates/a.yaml".to_string(),
            "kind: Service\n---\nkind: Deployment\nmetadata:\n  name: a\n".to_string(),
        );
        files.insert(
            "c/templates/_h.tpl".to_string(),
            "kind: Namespace\n".to_string(),
        );
        files.insert(
            "c/templates/hook.yaml".to_string(),
            "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install,test-success\n    helm.sh/hook-weight: \"-5\"\n---\nkind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: bogus\n".to_string(),
        );
        let (hooks, m) = sort_manifests(&files).unwrap();
        let kinds: Vec<_> = m
            .iter()
            .map(|x| (x.head.kind.as_str(), x.name.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("Service", "c/templates/a.yaml"),
                ("Deployment", "c/templates/a.yaml"),
                ("Deployment", "c/templates/b.yaml"),
                ("Alpha", "c/templates/b.yaml"),
                ("Zed", "c/templates/b.yaml"),
            ]
        );
        assert_eq!(hooks.len(), 1);
        assert_eq!(hooks[0].weight, -5);
        assert!(hooks[0].is_test());
    }

    #[test]
    fn parse_error_names_file() {
        let mut files = BTreeMap::new();
        files.insert("c/templates/a.yaml".to_string(), "hello\n".to_string());
        let e = sort_manifests(&files).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("YAML parse error on c/templates/a.yaml: ")
        );
    }
}
