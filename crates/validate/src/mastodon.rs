//! Cross-document rules: Mastodon's operational pitfalls, image pull policy,
//! and KEDA ownership of replica counts.

use serde_json::Value;

use crate::workload::{
    Component, Doc, EnvSource, Stores, Workload, environment, pod_spec_ptr, workloads,
};

/// A finding before it is attached to its manifest. `doc: None` is about the
/// chart values.
pub(crate) struct Raw {
    pub rule: &'static str,
    pub doc: Option<usize>,
    pub path: String,
    pub message: String,
}

pub(crate) fn check(docs: &[Doc<'_>], values: Option<&Value>) -> Vec<Raw> {
    let stores = Stores::new(docs);
    let wls = workloads(docs);
    let mut out = Vec::new();
    otel_and_secrets(&wls, &stores, &mut out);
    scheduler_replicas(&wls, docs, &mut out);
    latest_if_not_present(&wls, &mut out);
    keda_replicas(&wls, docs, &mut out);
    operator_ruby(&wls, &mut out);
    if let Some(v) = values {
        otel_values(v, &mut out);
    }
    // One ConfigMap read by several containers yields one finding.
    let mut seen = std::collections::HashSet::new();
    out.retain(|r| seen.insert((r.rule, r.doc, r.path.clone(), r.message.clone())));
    out
}

const PROTOCOL_VARS: &[&str] = &[
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
];
const ENDPOINT_VARS: &[&str] = &[
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
];

/// Names whose values are credentials: they belong in a Secret.
fn is_sensitive(name: &str) -> bool {
    if name.ends_with("_FILE") || name.ends_with("_ID") {
        return false;
    }
    if name.starts_with("OTEL_EXPORTER_OTLP") && name.ends_with("_HEADERS") {
        return true;
    }
    const EXACT: &[&str] = &[
        "SECRET_KEY_BASE",
        "OTP_SECRET",
        "VAPID_PRIVATE_KEY",
        "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
        "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
        "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
    ];
    const SUFFIXES: &[&str] = &[
        "API_KEY",
        "APIKEY",
        "_TOKEN",
        "_SECRET",
        "_PASSWORD",
        "_PASS",
        "SECRET_ACCESS_KEY",
        "_PRIVATE_KEY",
        "_SECRET_KEY",
    ];
    EXACT.contains(&name) || SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// The port of an OTLP endpoint (`http://host:4317/v1/traces`, `host:4317`).
fn endpoint_port(url: &str) -> Option<u16> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let hostport = authority.rsplit('@').next()?;
    let (_, port) = hostport.rsplit_once(':')?;
    if hostport.ends_with(']') {
        return None; // bare IPv6 address, no port
    }
    port.parse().ok()
}

fn where_of<'a>(src: &EnvSource<'a>) -> Option<(usize, String, Option<&'a str>)> {
    match src {
        EnvSource::Plain { doc, ptr, value } => Some((*doc, format!("{ptr}/value"), *value)),
        EnvSource::ConfigMap {
            doc, ptr, value, ..
        } => Some((*doc, ptr.clone(), *value)),
        _ => None,
    }
}

fn otel_and_secrets(wls: &[Workload<'_>], stores: &Stores<'_>, out: &mut Vec<Raw>) {
    for w in wls {
        for c in &w.containers {
            let Some(comp) = c.component else { continue };
            let env = environment(c, w.namespace(), stores);
            let who = format!("{} container {:?} ({})", w.display(), c.name(), comp.name());
            // OTLP over gRPC for the Ruby exporter.
            if comp.is_ruby() {
                for var in PROTOCOL_VARS {
                    let Some((doc, path, Some(v))) = env.get(var).and_then(where_of) else {
                        continue;
                    };
                    if v.trim().eq_ignore_ascii_case("grpc") {
                        out.push(Raw {
                            rule: "mastodon/otlp-grpc",
                            doc: Some(doc),
                            path,
                            message: format!(
                                "{var}={v} for {who}: Mastodon's Ruby exporter only speaks http/protobuf"
                            ),
                        });
                    }
                }
                for var in ENDPOINT_VARS {
                    let Some((doc, path, value)) = env.get(var).and_then(where_of) else {
                        continue;
                    };
                    match value.map(str::trim) {
                        Some(v) if endpoint_port(v) == Some(4317) => out.push(Raw {
                            rule: "mastodon/otlp-grpc",
                            doc: Some(doc),
                            path,
                            message: format!(
                                "{var}={v} for {who} targets port 4317, the OTLP gRPC port; Mastodon's Ruby exporter needs the HTTP port 4318"
                            ),
                        }),
                        None | Some("") if *var == "OTEL_EXPORTER_OTLP_ENDPOINT" => out.push(Raw {
                            rule: "mastodon/otel-values-key",
                            doc: Some(doc),
                            path,
                            message: format!(
                                "{var} is empty for {who}: OpenTelemetry is enabled but no endpoint reached the template (the charts document `otel.exporterUri` but read `otel.endpointUri`)"
                            ),
                        }),
                        _ => {}
                    }
                }
            }
            // Credentials in plain env values or ConfigMaps.
            for (name, src) in &env.vars {
                if !is_sensitive(name) {
                    continue;
                }
                // Only the winning definition counts.
                if !std::ptr::eq(env.get(name).unwrap_or(src), src) {
                    continue;
                }
                let (doc, path, where_) = match src {
                    EnvSource::Plain {
                        value: Some(v),
                        doc,
                        ptr,
                    } if !v.is_empty() => (
                        *doc,
                        format!("{ptr}/value"),
                        "a plain env value".to_string(),
                    ),
                    EnvSource::ConfigMap {
                        value: Some(v),
                        doc,
                        ptr,
                        name: cm,
                    } if !v.is_empty() => (*doc, ptr.clone(), format!("ConfigMap {cm:?}")),
                    _ => continue,
                };
                out.push(Raw {
                    rule: "mastodon/otlp-secret-in-plain",
                    doc: Some(doc),
                    path,
                    message: format!("{name} for {who} is a credential stored in {where_}"),
                });
            }
            // Required secrets for the Rails processes.
            if comp.is_ruby() && env.complete {
                let missing = missing_secrets(&env, c.image());
                if !missing.is_empty() {
                    out.push(Raw {
                        rule: "mastodon/missing-secret",
                        doc: Some(c.doc),
                        path: c.ptr.clone(),
                        message: format!("{who} has no {}", missing.join(", ")),
                    });
                }
            }
        }
    }
}

/// Mastodon `vMAJOR.MINOR` from an image tag, if the tag says.
fn mastodon_version(image: &str) -> Option<(u32, u32)> {
    let tag = image_tag(image)?;
    let t = tag.trim_start_matches('v');
    let mut it = t.split(['.', '-']);
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    Some((major, minor))
}

fn missing_secrets(env: &crate::workload::Env<'_>, image: &str) -> Vec<String> {
    let has = |n: &str| match env.get(n) {
        None => false,
        Some(EnvSource::Secret { present }) => *present,
        Some(EnvSource::Plain { value, .. }) | Some(EnvSource::ConfigMap { value, .. }) => {
            value.is_some_and(|v| !v.is_empty())
        }
        Some(EnvSource::Outside) => true,
    };
    let mut need: Vec<&str> = vec!["SECRET_KEY_BASE", "VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY"];
    match mastodon_version(image) {
        Some(v) if v < (4, 3) => need.push("OTP_SECRET"),
        Some(_) => need.extend([
            "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
            "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
            "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
        ]),
        None => {}
    }
    let mut out: Vec<String> = need
        .into_iter()
        .filter(|n| !has(n))
        .map(str::to_string)
        .collect();
    if !has("DB_PASS") && !has("DATABASE_URL") {
        out.push("DB_PASS (nor DATABASE_URL)".to_string());
    }
    out
}

/// The sidekiq queues a command line processes; `None` when it names none
/// (then Mastodon's config/sidekiq.yml applies, which includes `scheduler`).
fn sidekiq_queues(argv: &[&str]) -> Option<Vec<String>> {
    let mut qs = Vec::new();
    let mut it = argv.iter().flat_map(|a| a.split_whitespace()).peekable();
    while let Some(a) = it.next() {
        let q = if a == "-q" || a == "--queue" {
            it.next().map(str::to_string)
        } else if let Some(v) = a.strip_prefix("--queue=").or_else(|| a.strip_prefix("-q=")) {
            Some(v.to_string())
        } else {
            a.strip_prefix("-q")
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        if let Some(q) = q {
            qs.push(
                q.trim_matches(['"', '\''])
                    .split(',')
                    .next()
                    .unwrap_or("")
                    .to_string(),
            );
        }
    }
    (!qs.is_empty()).then_some(qs)
}

fn scheduler_replicas(wls: &[Workload<'_>], docs: &[Doc<'_>], out: &mut Vec<Raw>) {
    for w in wls {
        if !matches!(
            w.kind(),
            "Deployment" | "StatefulSet" | "ReplicaSet" | "DaemonSet"
        ) {
            continue;
        }
        let Some(c) = w.containers.iter().find(|c| {
            c.component == Some(Component::Sidekiq)
                && sidekiq_queues(&c.argv()).is_none_or(|q| q.iter().any(|q| q == "scheduler"))
        }) else {
            continue;
        };
        let who = format!("{} (container {:?})", w.display(), c.name());
        if w.kind() == "DaemonSet" {
            out.push(Raw {
                rule: "mastodon/sidekiq-scheduler-replicas",
                doc: Some(w.doc),
                path: String::new(),
                message: format!(
                    "{who} processes the scheduler queue as a DaemonSet: one replica per node"
                ),
            });
            continue;
        }
        if let Some(n) = w.value["spec"]["replicas"].as_f64().filter(|n| *n > 1.0) {
            out.push(Raw {
                rule: "mastodon/sidekiq-scheduler-replicas",
                doc: Some(w.doc),
                path: "/spec/replicas".into(),
                message: format!("{who} processes the scheduler queue with {n} replicas"),
            });
        }
        // Autoscalers targeting it.
        for d in docs {
            if d.namespace() != w.namespace() {
                continue;
            }
            let (target, max_ptr, default_max) = match (d.api_version().split('/').next(), d.kind())
            {
                (Some("autoscaling"), "HorizontalPodAutoscaler") => (
                    &d.value["spec"]["scaleTargetRef"],
                    "/spec/maxReplicas",
                    None,
                ),
                (Some("keda.sh"), "ScaledObject") => (
                    &d.value["spec"]["scaleTargetRef"],
                    "/spec/maxReplicaCount",
                    Some(100.0),
                ),
                _ => continue,
            };
            let tkind = target["kind"].as_str().unwrap_or("Deployment");
            if target["name"].as_str() != Some(w.name()) || tkind != w.kind() {
                continue;
            }
            let max = d
                .value
                .pointer(max_ptr)
                .and_then(Value::as_f64)
                .or(default_max);
            if let Some(max) = max.filter(|m| *m > 1.0) {
                out.push(Raw {
                    rule: "mastodon/sidekiq-scheduler-replicas",
                    doc: Some(d.index),
                    path: max_ptr.into(),
                    message: format!(
                        "{} {} may scale {who}, which processes the scheduler queue, to {max} replicas",
                        d.kind(),
                        d.name()
                    ),
                });
            }
        }
    }
}

/// The tag of an image reference; `None` for digests. No tag means `latest`.
fn image_tag(image: &str) -> Option<&str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    Some(last.split_once(':').map_or("latest", |(_, t)| t))
}

fn latest_if_not_present(wls: &[Workload<'_>], out: &mut Vec<Raw>) {
    for w in wls {
        for c in &w.containers {
            if c.value["imagePullPolicy"].as_str() != Some("IfNotPresent") || c.image().is_empty() {
                continue;
            }
            if image_tag(c.image()) == Some("latest") {
                out.push(Raw {
                    rule: "image/latest-if-not-present",
                    doc: Some(c.doc),
                    path: format!("{}/imagePullPolicy", c.ptr),
                    message: format!(
                        "container {:?} of {} runs {:?} (tag latest) with imagePullPolicy IfNotPresent",
                        c.name(),
                        w.display(),
                        c.image()
                    ),
                });
            }
        }
    }
}

fn keda_replicas(wls: &[Workload<'_>], docs: &[Doc<'_>], out: &mut Vec<Raw>) {
    for so in docs
        .iter()
        .filter(|d| d.kind() == "ScaledObject" && d.api_version().starts_with("keda.sh/"))
    {
        let target = &so.value["spec"]["scaleTargetRef"];
        let kind = target["kind"].as_str().unwrap_or("Deployment");
        let Some(name) = target["name"].as_str() else {
            continue;
        };
        for w in wls {
            if w.kind() != kind || w.name() != name || w.namespace() != so.namespace() {
                continue;
            }
            if let Some(r) = w.value["spec"].get("replicas").filter(|r| !r.is_null()) {
                out.push(Raw {
                    rule: "keda/replicas-with-scaledobject",
                    doc: Some(w.doc),
                    path: "/spec/replicas".into(),
                    message: format!(
                        "{} sets replicas: {r} but ScaledObject {} scales it",
                        w.display(),
                        so.name()
                    ),
                });
            }
        }
    }
}

/// OTel operator injection annotations on the Ruby processes: the operator
/// has no Ruby agent. `inject-sdk` (environment only) is fine: Mastodon's
/// exporter reads those variables.
fn operator_ruby(wls: &[Workload<'_>], out: &mut Vec<Raw>) {
    const PREFIX: &str = "instrumentation.opentelemetry.io/inject-";
    for w in wls {
        let Some(c) = w
            .containers
            .iter()
            .find(|c| c.component.is_some_and(Component::is_ruby))
        else {
            continue;
        };
        let Some(spec_ptr) = pod_spec_ptr(w.kind()) else {
            continue;
        };
        let meta_ptr = match spec_ptr.strip_suffix("/spec") {
            Some(t) if !t.is_empty() => format!("{t}/metadata/annotations"),
            _ => "/metadata/annotations".to_string(),
        };
        let Some(ann) = w.value.pointer(&meta_ptr).and_then(Value::as_object) else {
            continue;
        };
        for (k, v) in ann {
            let Some(lang) = k.strip_prefix(PREFIX) else {
                continue;
            };
            let off = v.as_str().is_some_and(|v| v.eq_ignore_ascii_case("false"));
            if lang == "sdk" || lang.is_empty() || off {
                continue;
            }
            out.push(Raw {
                rule: "mastodon/otel-operator-ruby",
                doc: Some(w.doc),
                path: crate::diagnostic::push_pointer(&meta_ptr, k),
                message: format!(
                    "{} asks the OpenTelemetry operator to inject {lang} instrumentation, but container {:?} runs Mastodon's Ruby {}",
                    w.display(),
                    c.name(),
                    c.component.map(Component::name).unwrap_or("")
                ),
            });
        }
    }
}

/// Values-level check: the documented `otel.exporterUri` set where the
/// templates read `otel.endpointUri` (both mastodon charts).
fn otel_values(values: &Value, out: &mut Vec<Raw>) {
    for base in [
        "/mastodon/otel",
        "/mastodon/web/otel",
        "/mastodon/sidekiq/otel",
    ] {
        let Some(otel) = values.pointer(base).and_then(Value::as_object) else {
            continue;
        };
        let set = |k: &str| {
            otel.get(k)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
        };
        if set("exporterUri") && !set("endpointUri") {
            out.push(Raw {
                rule: "mastodon/otel-values-key",
                doc: None,
                path: format!("{base}/exporterUri"),
                message: format!(
                    "{} is set, but the chart's templates read {} (unset): the exporter endpoint is ignored",
                    crate::diagnostic::dotted(&format!("{base}/exporterUri")),
                    crate::diagnostic::dotted(&format!("{base}/endpointUri"))
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_ports() {
        assert_eq!(endpoint_port("http://otel:4317"), Some(4317));
        assert_eq!(
            endpoint_port("https://u:p@otel.example:4318/v1/traces"),
            Some(4318)
        );
        assert_eq!(endpoint_port("otel:4317"), Some(4317));
        assert_eq!(endpoint_port("http://otel"), None);
        assert_eq!(endpoint_port("http://[::1]"), None);
    }

    #[test]
    fn queues_and_tags() {
        assert_eq!(
            sidekiq_queues(&[
                "bundle",
                "exec",
                "sidekiq",
                "-q",
                "default,8",
                "-q",
                "scheduler"
            ]),
            Some(vec!["default".to_string(), "scheduler".to_string()])
        );
        assert_eq!(sidekiq_queues(&["bundle exec sidekiq"]), None);
        assert_eq!(image_tag("ghcr.io/mastodon/mastodon"), Some("latest"));
        assert_eq!(image_tag("localhost:5000/mastodon:v4.3.1"), Some("v4.3.1"));
        assert_eq!(image_tag("x@sha256:abc"), None);
        assert_eq!(
            mastodon_version("ghcr.io/mastodon/mastodon:v4.2.10"),
            Some((4, 2))
        );
        assert!(is_sensitive("OTEL_EXPORTER_OTLP_TRACES_HEADERS"));
        assert!(is_sensitive("DB_PASS"));
        assert!(!is_sensitive("AWS_ACCESS_KEY_ID"));
        assert!(!is_sensitive("VAPID_PUBLIC_KEY"));
        assert!(!is_sensitive("HCAPTCHA_SITE_KEY"));
        assert!(is_sensitive("HCAPTCHA_SECRET_KEY"));
    }
}
