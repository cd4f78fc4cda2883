//! The rule catalog: every rule's id, default severity, why it matters and
//! how to fix it. Findings point here by id.

use crate::diagnostic::Severity;

/// One rule's documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id (`group/name`).
    pub id: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// One-line summary.
    pub summary: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

macro_rules! rule {
    ($id:literal, $sev:ident, $summary:literal, $why:literal, $fix:literal) => {
        Rule {
            id: $id,
            severity: Severity::$sev,
            summary: $summary,
            why: $why,
            fix: $fix,
        }
    };
}

/// Every rule, in documentation order.
pub const RULES: &[Rule] = &[
    rule!(
        "yaml/parse",
        Error,
        "The document is not valid YAML.",
        "kubectl and the API server cannot read it; nothing in it is applied.",
        "Fix the YAML syntax at the position given (often indentation produced by a template)."
    ),
    rule!(
        "yaml/duplicate-key",
        Error,
        "A mapping defines the same key twice.",
        "kubectl's strict decoding rejects the document; tools that accept it keep only one of the values, silently.",
        "Remove one of the keys (often a value set both by the chart and by an extra-values block)."
    ),
    rule!(
        "kube/missing-type",
        Error,
        "The document has no apiVersion or kind, or they are not strings.",
        "The API server cannot tell what resource it is.",
        "Add `apiVersion:` and `kind:` at the top level."
    ),
    rule!(
        "kube/removed-api",
        Error,
        "The API version of this kind is no longer served by the target Kubernetes version.",
        "The API server answers `no matches for kind`; the resource is never created.",
        "Move to the replacement API version named in the message (check the field changes in the Kubernetes deprecated-API migration guide)."
    ),
    rule!(
        "kube/deprecated-api",
        Warning,
        "The API version still works in the target version but is removed in a later one.",
        "The manifest breaks on the next cluster upgrade.",
        "Move to the replacement API version named in the message."
    ),
    rule!(
        "kube/unknown-api",
        Error,
        "A built-in API group does not serve this version or kind in the target Kubernetes version.",
        "The API server answers `no matches for kind`.",
        "Fix the spelling of `kind`/`apiVersion`, or use one of the versions named in the message."
    ),
    rule!(
        "kube/duplicate",
        Error,
        "Two documents define the same resource.",
        "The later one silently replaces the earlier one on apply.",
        "Give them different names or namespaces, or drop one."
    ),
    rule!(
        "kube/missing-name",
        Error,
        "The resource has neither metadata.name nor metadata.generateName.",
        "The API server rejects objects without a name.",
        "Set metadata.name."
    ),
    rule!(
        "kube/invalid-name",
        Error,
        "An object name or namespace breaks the API server's naming rules.",
        "The API server rejects the object (`metadata.name: Invalid value`), often because a release name with capitals or a long name went into a template.",
        "Use lower-case letters, digits and '-' (and '.' where subdomains are allowed) within the length limit (Service and Namespace names 63, CronJob names 52, others 253); shorten the release name or set fullnameOverride."
    ),
    rule!(
        "kube/invalid-label",
        Error,
        "A label key or value, or an annotation key, breaks the API server's syntax.",
        "The API server rejects the object; label values over 63 characters are a common result of long release or chart names.",
        "Keep label values to 63 characters of letters, digits, '-', '_', '.' starting and ending alphanumerically (or empty); keys as `prefix/name` with a DNS subdomain prefix."
    ),
    rule!(
        "schema/unknown-field",
        Error,
        "A field the schema does not know.",
        "With kubectl's default strict field validation the apply fails; with looser validation the field is silently dropped and its setting does nothing.",
        "Fix the field name (a suggestion is given when one is close) or its indentation."
    ),
    rule!(
        "schema/type",
        Error,
        "A value has the wrong type.",
        "The API server cannot decode the object (e.g. `cannot unmarshal string into Go struct field`).",
        "Give the field a value of the expected type; quote or unquote it in the template."
    ),
    rule!(
        "schema/required",
        Error,
        "A required field is missing or null.",
        "The API server rejects the object (`Required value`).",
        "Set the field."
    ),
    rule!(
        "schema/enum",
        Error,
        "A value is not one of the allowed values.",
        "The API server rejects the object (`Unsupported value`).",
        "Use one of the values listed in the message (they are case-sensitive)."
    ),
    rule!(
        "schema/format",
        Error,
        "A value does not have the required format.",
        "Secret `data` values must be base64; the API server cannot decode anything else.",
        "Encode the value with base64 (`b64enc` in templates) or move it to `stringData`."
    ),
    rule!(
        "schema/constraint",
        Error,
        "A value breaks a schema constraint (range, length, pattern, item count).",
        "The API server or the CRD's validation rejects the object.",
        "Change the value to satisfy the constraint in the message."
    ),
    rule!(
        "mastodon/otlp-grpc",
        Error,
        "A Mastodon Ruby component (web, sidekiq) is configured to export OTLP over gRPC.",
        "Mastodon's Ruby OpenTelemetry exporter speaks only OTLP over HTTP (http/protobuf, port 4318); pointed at gRPC (port 4317) it fails to export and no traces arrive.",
        "Set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf and point OTEL_EXPORTER_OTLP_ENDPOINT at the collector's HTTP port (4318)."
    ),
    rule!(
        "mastodon/otlp-secret-in-plain",
        Error,
        "OTLP headers or an API key/password are in a ConfigMap or a plain env value.",
        "ConfigMaps and pod specs are readable by anyone who can read the namespace and end up in Git and CI logs; exporter headers usually carry vendor API keys.",
        "Put the value in a Secret and reference it with `valueFrom.secretKeyRef` (or `envFrom.secretRef`); tusk's otel overlay does this with `headers=env:NAME`."
    ),
    rule!(
        "mastodon/otel-values-key",
        Warning,
        "OpenTelemetry is enabled but the exporter endpoint is empty: the chart documents `otel.exporterUri`, its templates read `otel.endpointUri`.",
        "The documented value silently does nothing: the OTEL endpoint env var renders empty and no traces are exported.",
        "Set `otel.endpointUri` (in the same place as `exporterUri`), or use tusk's otel overlay."
    ),
    rule!(
        "mastodon/otel-operator-ruby",
        Warning,
        "A Mastodon web or sidekiq pod asks the OpenTelemetry operator for auto-instrumentation.",
        "The operator has no Ruby agent: the annotation injects a Node.js/Java/… agent that never loads (or nothing at all), so the Rails processes stay uninstrumented.",
        "Remove the inject annotation from web and sidekiq (keep it on streaming, which is Node.js) and configure Mastodon's own exporter with OTEL_EXPORTER_OTLP_* variables (tusk's otel overlay), or use `inject-sdk` for the environment only."
    ),
    rule!(
        "mastodon/sidekiq-scheduler-replicas",
        Error,
        "A sidekiq Deployment processing the `scheduler` queue runs (or may scale to) more than one replica.",
        "Mastodon's scheduler queue must be processed by exactly one sidekiq process; several run every scheduled job several times.",
        "Give the scheduler queue its own sidekiq Deployment with replicas: 1 and no autoscaler, or keep this one at one replica."
    ),
    rule!(
        "mastodon/missing-secret",
        Error,
        "A Mastodon component lacks a required secret environment variable.",
        "Mastodon refuses to boot (or loses sessions, 2FA or Web Push) without SECRET_KEY_BASE, OTP_SECRET (before 4.3), the Active Record encryption keys (4.3 and later), the VAPID keys and a database password.",
        "Provide the variable from a Secret the pods read (the chart's secrets values or an existing Secret)."
    ),
    rule!(
        "image/latest-if-not-present",
        Warning,
        "A container uses the `latest` tag (or no tag) with imagePullPolicy IfNotPresent.",
        "Nodes keep whichever `latest` they pulled first: pods on different nodes run different versions and upgrades never arrive.",
        "Pin a version tag or digest, or use imagePullPolicy Always."
    ),
    rule!(
        "keda/replicas-with-scaledobject",
        Warning,
        "A Deployment sets spec.replicas while a KEDA ScaledObject scales it.",
        "Every GitOps sync or `kubectl apply` resets the replica count the autoscaler chose (keda#4578), causing scale flapping.",
        "Remove spec.replicas from the Deployment (tusk's keda overlay does this) and let the ScaledObject's min/max replica counts govern it."
    ),
];

/// The catalog entry for `id`; an id not in the catalog (a bug, caught by the tests) gets a placeholder.
pub fn lookup(id: &str) -> &'static Rule {
    RULES.iter().find(|r| r.id == id).unwrap_or(&UNKNOWN)
}

const UNKNOWN: Rule = rule!("unknown", Error, "Unknown rule.", "", "");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_documented() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
        let doc = include_str!("../../../docs/validation.md");
        for r in RULES {
            assert!(!r.why.is_empty() && !r.fix.is_empty(), "{}", r.id);
            assert!(
                doc.contains(&format!("`{}`", r.id)),
                "docs/validation.md lacks {}",
                r.id
            );
        }
    }
}
