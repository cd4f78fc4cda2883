//! The operations overlays (keda, otel-operator, env-from, nfs-volume,
//! zero-downtime, prometheus) on manifests the real helm rendered from both
//! fixture charts (tests/inputs/*.yaml, made by
//! scripts/oracle.d/overlay-inputs), planned in sequence with
//! `apply_overlays` like `tusk build` does. Snapshots show the report and
//! every manifest an overlay changed or added; every successful output is
//! also run through tusk-validate, which must find nothing.

mod common;
use common::*;

use tusk_overlay::{
    Applied, Doc, EnvFile, ErrorKind, Overlay, ParamInputs, RawParam, Secret, apply_overlays,
};

/// An env file as tusk's facade passes it: parsed with tusk-values'
/// compose-compatible parser, every value wrapped as a secret.
fn env_file(name: &str) -> RawParam {
    let text = std::fs::read_to_string(inputs().join(name)).unwrap();
    let entries = tusk_values::dotenv::parse(&text, name)
        .map(|es| es.into_iter().map(|(k, v)| (k, Secret::new(v))).collect())
        .map_err(|e| e.to_string());
    RawParam::EnvFile(EnvFile {
        path: name.into(),
        entries,
    })
}

/// Plans in sequence and applies; checks untouched documents kept their
/// bytes.
fn run_docs(
    case: &str,
    docs: Vec<Doc>,
    overlays: &[(Overlay, ParamInputs)],
) -> Result<Applied, tusk_overlay::Error> {
    let (_, env) = load(case);
    let pairs: Vec<(&Overlay, &ParamInputs)> = overlays.iter().map(|(o, p)| (o, p)).collect();
    let out = apply_overlays(docs.clone(), &pairs, &env)?;
    for d in &out.manifests {
        if let Some(orig) = docs.iter().find(|o| o.content == d.content) {
            assert_eq!(orig.source, d.source);
        }
    }
    Ok(out)
}

fn run(case: &str, overlays: &[(Overlay, ParamInputs)]) -> Result<Applied, tusk_overlay::Error> {
    run_docs(case, load(case).0, overlays)
}

/// Validates the whole output with tusk-validate (Kubernetes 1.32 schemas
/// and the CRD schemas it ships for KEDA, the OpenTelemetry operator and
/// the Prometheus operator): no findings allowed.
fn assert_valid(out: &Applied) {
    let stream: String = out
        .manifests
        .iter()
        .map(|d| format!("---\n# Source: {}\n{}\n", d.source, d.content))
        .collect();
    let report = tusk_validate::validate_stream(&stream, None, &tusk_validate::Options::default());
    let text = tusk_validate::format_report(&report, tusk_validate::Format::Human);
    assert!(report.findings.is_empty(), "validation findings:\n{text}");
}

fn snap(case: &str, overlays: &[(Overlay, ParamInputs)]) -> String {
    let out = run(case, overlays).unwrap_or_else(|e| panic!("{e}"));
    out.report.check().unwrap_or_else(|e| panic!("{e}"));
    assert_valid(&out);
    out.redact(&summary(case, &out))
}

fn err_docs(
    case: &str,
    docs: Vec<Doc>,
    overlays: &[(Overlay, ParamInputs)],
) -> tusk_overlay::Error {
    match run_docs(case, docs, overlays) {
        Ok(out) => out.report.check().expect_err("expected a failure"),
        Err(e) => e,
    }
}

fn err(case: &str, overlays: &[(Overlay, ParamInputs)]) -> tusk_overlay::Error {
    err_docs(case, load(case).0, overlays)
}

// ---- keda --------------------------------------------------------------------

#[test]
fn keda_classic_split_scheduler() {
    let out = snap("classic-ops", &[(overlay("keda"), params(&[]))]);
    // The scheduler worker is pinned, not scaled.
    assert!(!out.contains("name: mastodon-sidekiq-scheduler\n  namespace"));
    insta::assert_snapshot!(out);
}

#[test]
fn keda_next_prometheus_and_queues() {
    let p = params(&[
        ("webMetric", "prometheus"),
        (
            "prometheusServerAddress",
            "http://prometheus-operated.monitoring.svc:9090",
        ),
        ("queues", "default,ingress"),
        ("webMinReplicas", "3"),
        ("sidekiqMaxReplicas", "4"),
        ("cooldownSeconds", "120"),
    ]);
    insta::assert_snapshot!(snap("next-ops", &[(overlay("keda"), p)]));
}

#[test]
fn keda_web_only_on_default_charts() {
    let p = params(&[("components", "web")]);
    insta::assert_snapshot!(snap("next", &[(overlay("keda"), p)]));
}

#[test]
fn keda_refuses_when_every_sidekiq_runs_the_scheduler() {
    // Both charts' defaults run every queue, scheduler included, in one
    // sidekiq Deployment.
    for case in ["classic", "next"] {
        let e = err(
            case,
            &[(overlay("keda"), params(&[("components", "sidekiq")]))],
        );
        assert_eq!(e.kind(), ErrorKind::Template, "{case}: {e}");
        insta::assert_snapshot!(format!("keda_only_scheduler_{case}"), e.to_string());
    }
}

#[test]
fn keda_refuses_existing_hpa() {
    // The fixture charts render no HPA; add one for web as a chart would.
    let (mut docs, _) = load("next-ops");
    docs.push(Doc {
        source: "mastodon/templates/hpa.yaml".into(),
        content: "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: mastodon-web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: mastodon-web\n  minReplicas: 2\n  maxReplicas: 5".into(),
    });
    let e = err_docs("next-ops", docs, &[(overlay("keda"), params(&[]))]);
    assert!(
        e.to_string()
            .contains("HorizontalPodAutoscaler mastodon-web"),
        "{e}"
    );
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn keda_refuses_utilization_without_requests_and_bad_params() {
    let e1 = err(
        "classic",
        &[(overlay("keda"), params(&[("components", "web")]))],
    );
    let e2 = err(
        "next-ops",
        &[(
            overlay("keda"),
            params(&[("webMinReplicas", "5"), ("webMaxReplicas", "2")]),
        )],
    );
    let e3 = err(
        "next-ops",
        &[(overlay("keda"), params(&[("webMetric", "prometheus")]))],
    );
    let e4 = err(
        "next-ops",
        &[(
            overlay("keda"),
            params(&[("queues", "default,nosuchqueue")]),
        )],
    );
    let e5 = err(
        "next-ops",
        &[(overlay("keda"), params(&[("webMetric", "rps")]))],
    );
    assert_eq!(e5.kind(), ErrorKind::BadParam);
    insta::assert_snapshot!(format!("{e1}\n{e2}\n{e3}\n{e4}\n{e5}"));
}

#[test]
fn keda_missing_targets_name_what_the_chart_has() {
    // A chart without a web Deployment: the expectation names what it has.
    let (docs, _) = load("next-ops");
    let docs: Vec<Doc> = docs
        .into_iter()
        .filter(|d| !d.source.ends_with("/deployment-web.yaml"))
        .collect();
    let e = err_docs("next-ops", docs, &[(overlay("keda"), params(&[]))]);
    assert_eq!(e.kind(), ErrorKind::Expectation);
    insta::assert_snapshot!(e.to_string());
}

// ---- zero-downtime -------------------------------------------------------------

#[test]
fn zero_downtime_classic() {
    let out = snap("classic-ops", &[(overlay("zero-downtime"), params(&[]))]);
    // The scheduler keeps Recreate and gets no budget.
    assert!(
        !out.contains("kind: PodDisruptionBudget\nmetadata:\n  name: mastodon-sidekiq-scheduler")
    );
    insta::assert_snapshot!(out);
}

#[test]
fn zero_downtime_next_without_streaming_probe_check() {
    let p = params(&[
        ("requireReadinessProbes", "false"),
        ("preStopSeconds", "25"),
        ("maxSurge", "2"),
    ]);
    insta::assert_snapshot!(snap("next-ops", &[(overlay("zero-downtime"), p)]));
}

#[test]
fn zero_downtime_failures() {
    // mastodon-next's streaming container has no readinessProbe.
    let e1 = err("next-ops", &[(overlay("zero-downtime"), params(&[]))]);
    assert!(
        e1.to_string()
            .contains("container mastodon-streaming of Deployment mastodon-streaming")
    );
    // One web replica: a budget of 1 would block drains.
    let e2 = err("classic", &[(overlay("zero-downtime"), params(&[]))]);
    let e3 = err(
        "classic-ops",
        &[(
            overlay("zero-downtime"),
            params(&[("minAvailable", "many")]),
        )],
    );
    assert_eq!(e3.kind(), ErrorKind::BadParam);
    // A chart without streaming: the expectation names what it has.
    let (docs, _) = load("classic-ops");
    let docs: Vec<Doc> = docs
        .into_iter()
        .filter(|d| !d.source.ends_with("deployment-streaming.yaml"))
        .collect();
    let e4 = err_docs(
        "classic-ops",
        docs,
        &[(overlay("zero-downtime"), params(&[]))],
    );
    assert_eq!(e4.kind(), ErrorKind::Expectation);
    insta::assert_snapshot!(format!("{e1}\n{e2}\n{e3}\n{e4}"));
}

#[test]
fn zero_downtime_refuses_a_second_budget() {
    // mastodon/chart can render its own budget for web; add one as it would.
    let (mut docs, _) = load("classic-ops");
    docs.push(Doc {
        source: "mastodon/templates/pdb-web.yaml".into(),
        content: "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: mastodon-web\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: mastodon\n      app.kubernetes.io/instance: mastodon\n      app.kubernetes.io/component: web".into(),
    });
    let e = err_docs(
        "classic-ops",
        docs.clone(),
        &[(overlay("zero-downtime"), params(&[]))],
    );
    assert!(
        e.to_string().contains("PodDisruptionBudget mastodon-web"),
        "{e}"
    );
    insta::assert_snapshot!(e.to_string());
    // Leaving web out is the way around it.
    let p = params(&[("components", "streaming,sidekiq")]);
    let out = run_docs("classic-ops", docs, &[(overlay("zero-downtime"), p)]).unwrap();
    out.report.check().unwrap();
}

#[test]
fn keda_then_zero_downtime() {
    // KEDA removes replicas; the budget check then trusts KEDA's minimum.
    let out = snap(
        "next-ops",
        &[
            (overlay("keda"), params(&[])),
            (
                overlay("zero-downtime"),
                params(&[("requireReadinessProbes", "false")]),
            ),
        ],
    );
    assert!(out.contains("kind: ScaledObject"));
    assert!(out.contains("kind: PodDisruptionBudget"));
}

// ---- prometheus -------------------------------------------------------------------

#[test]
fn prometheus_pod_monitor_classic() {
    insta::assert_snapshot!(snap("classic-ops", &[(overlay("prometheus"), params(&[]))]));
}

#[test]
fn prometheus_service_monitor_next() {
    let p = params(&[
        ("kind", "ServiceMonitor"),
        ("interval", "1m"),
        ("detailedMetrics", "true"),
        ("monitorLabels.release", "kube-prometheus-stack"),
    ]);
    insta::assert_snapshot!(snap("next", &[(overlay("prometheus"), p)]));
}

#[test]
fn prometheus_failures() {
    let e1 = err(
        "next",
        &[(overlay("prometheus"), params(&[("interval", "soon")]))],
    );
    let e2 = err(
        "next",
        &[(overlay("prometheus"), params(&[("kind", "Probe")]))],
    );
    assert_eq!(e2.kind(), ErrorKind::BadParam);
    let (docs, _) = load("next");
    let docs: Vec<Doc> = docs
        .into_iter()
        .filter(|d| !d.source.ends_with("/deployment-sidekiq.yaml"))
        .collect();
    let e3 = err_docs("next", docs, &[(overlay("prometheus"), params(&[]))]);
    assert_eq!(e3.kind(), ErrorKind::Expectation);
    insta::assert_snapshot!(format!("{e1}\n{e2}\n{e3}"));
}

// ---- otel-operator ------------------------------------------------------------------

#[test]
fn otel_operator_classic_and_next() {
    for case in ["classic", "next"] {
        let p = params(&[
            ("endpoint", "http://otel-collector.monitoring.svc:4318"),
            ("samplerArg", "0.25"),
        ]);
        insta::assert_snapshot!(
            format!("otel_operator_{case}"),
            snap(case, &[(overlay("otel-operator"), p)])
        );
    }
}

#[test]
fn otel_operator_with_otel_for_ruby() {
    // The recommended pair: the otel overlay for web and sidekiq (Ruby),
    // the operator's agent for streaming (Node.js).
    let out = snap(
        "next",
        &[
            (
                overlay("otel"),
                params(&[("endpoint", "http://otel-collector.monitoring.svc:4318")]),
            ),
            (
                overlay("otel-operator"),
                params(&[
                    ("endpoint", "http://otel-collector.monitoring.svc:4318"),
                    ("propagators", "tracecontext,baggage,b3"),
                    ("sampler", "always_on"),
                ]),
            ),
        ],
    );
    assert!(out.contains("OTEL_EXPORTER_OTLP_ENDPOINT"));
    assert!(
        out.contains("instrumentation.opentelemetry.io/inject-nodejs: mastodon-instrumentation")
    );
}

#[test]
fn otel_operator_failures() {
    let ep = ("endpoint", "http://otel-collector.monitoring.svc:4318");
    let e1 = err(
        "classic",
        &[(
            overlay("otel-operator"),
            params(&[ep, ("languages", "nodejs,ruby")]),
        )],
    );
    assert_eq!(e1.kind(), ErrorKind::Template);
    assert!(e1.to_string().contains("no Ruby"), "{e1}");
    let e2 = err(
        "classic",
        &[(
            overlay("otel-operator"),
            params(&[ep, ("languages", "python")]),
        )],
    );
    assert_eq!(e2.kind(), ErrorKind::BadParam);
    let e3 = err(
        "classic",
        &[(
            overlay("otel-operator"),
            params(&[ep, ("samplerArg", "lots")]),
        )],
    );
    let e4 = err("classic", &[(overlay("otel-operator"), params(&[]))]);
    assert_eq!(e4.kind(), ErrorKind::MissingParam);
    let (docs, _) = load("classic");
    let docs: Vec<Doc> = docs
        .into_iter()
        .filter(|d| !d.source.ends_with("deployment-streaming.yaml"))
        .collect();
    let e5 = err_docs(
        "classic",
        docs,
        &[(overlay("otel-operator"), params(&[ep]))],
    );
    assert_eq!(e5.kind(), ErrorKind::Expectation);
    insta::assert_snapshot!(format!("{e1}\n{e2}\n{e3}\n{e4}\n{e5}"));
}

// ---- nfs-volume -------------------------------------------------------------------------

#[test]
fn nfs_volume_classic_binds_the_charts_claims() {
    let p = params(&[
        ("server", "192.168.8.253"),
        ("path", "/mnt/tank/share/nfs/k8s/"),
        ("volumes", "system,assets"),
        ("capacity", "50Gi"),
    ]);
    let out = snap("classic", &[(overlay("nfs-volume"), p)]);
    assert!(out.contains("- nfsvers=3"));
    insta::assert_snapshot!(out);
}

#[test]
fn nfs_volume_next_adds_claims_and_mounts() {
    let p = params(&[
        ("server", "nfs.home.arpa"),
        ("path", "/export/k8s"),
        ("nfsVersion", "4.1"),
        ("mountOptions", "hard,noatime"),
        ("accessModes", "ReadWriteOnce"),
    ]);
    insta::assert_snapshot!(snap("next", &[(overlay("nfs-volume"), p)]));
}

#[test]
fn nfs_volume_failures() {
    let e1 = err(
        "next",
        &[(
            overlay("nfs-volume"),
            params(&[("server", "nfs"), ("path", "export")]),
        )],
    );
    let e2 = err(
        "next",
        &[(
            overlay("nfs-volume"),
            params(&[("server", "nfs"), ("path", "/e"), ("nfsVersion", "5")]),
        )],
    );
    assert_eq!(e2.kind(), ErrorKind::BadParam);
    let e3 = err(
        "next",
        &[(overlay("nfs-volume"), params(&[("path", "/e")]))],
    );
    assert_eq!(e3.kind(), ErrorKind::MissingParam);
    // The chart's claim for system is gone although the pods still mount it.
    let (docs, _) = load("classic");
    let docs: Vec<Doc> = docs
        .into_iter()
        .filter(|d| !d.content.contains("name: mastodon-system\n  labels"))
        .collect();
    let e4 = err_docs(
        "classic",
        docs,
        &[(
            overlay("nfs-volume"),
            params(&[("server", "nfs"), ("path", "/e")]),
        )],
    );
    assert_eq!(e4.kind(), ErrorKind::Expectation);
    insta::assert_snapshot!(format!("{e1}\n{e2}\n{e3}\n{e4}"));
}

// ---- env-from ------------------------------------------------------------------------------

const FAKE_SECRETS: &[&str] = &[
    "fake-db-pass-0001",
    "fake-secret-key-base-0002",
    "fake-otp-secret-0003",
    "fake-vapid-private-0004",
    "fake-ar-primary-0005",
    "fake-smtp-pass-0006",
    "fake-aws-secret-0007",
    "fake-deepl-0008",
];

fn env_from_params(extra: &[(&str, &str)]) -> ParamInputs {
    let mut p = params(extra);
    p.push("file", env_file("compose.env.production"));
    p
}

#[test]
fn env_from_classic_and_next() {
    for case in ["classic", "next"] {
        let out = run(case, &[(overlay("env-from"), env_from_params(&[]))]).unwrap();
        out.report.check().unwrap();
        assert_valid(&out);
        let text: String = out
            .manifests
            .iter()
            .map(|d| d.content.clone() + "\n")
            .collect();
        // Secret values only base64-encoded in the Secret, and redacted.
        let b64 = |s: &str| {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.encode(s)
        };
        for s in FAKE_SECRETS {
            assert!(!text.contains(s), "{s} in plain text");
            assert!(text.contains(&b64(s)), "{s} not in the Secret");
        }
        let shown = out.redact(&summary(case, &out));
        for s in FAKE_SECRETS {
            assert!(!shown.contains(&b64(s)), "{s} not redacted");
        }
        assert!(shown.contains("STREAMING_API_BASE_URL: wss://social.example.com"));
        insta::assert_snapshot!(format!("env_from_{case}"), shown);
    }
}

#[test]
fn env_from_extra_secret_keys_and_components() {
    let p = env_from_params(&[
        ("secretKeys", "SMTP_LOGIN,AWS_ACCESS_KEY_ID"),
        ("components", "web,sidekiq"),
    ]);
    let out = run("next", &[(overlay("env-from"), p)]).unwrap();
    out.report.check().unwrap();
    assert_valid(&out);
    let cm = out
        .manifests
        .iter()
        .find(|d| d.source == "tusk-overlay/env-from/configmap.yaml")
        .unwrap();
    assert!(!cm.content.contains("SMTP_LOGIN"));
    assert!(!cm.content.contains("AWS_ACCESS_KEY_ID"));
    assert!(cm.content.contains("LOCAL_DOMAIN: social.example.com"));
    let secret = out
        .manifests
        .iter()
        .find(|d| d.source == "tusk-overlay/env-from/secret.yaml")
        .unwrap();
    assert!(secret.content.contains("SMTP_LOGIN: "));
    // streaming was not asked for.
    let streaming = out
        .manifests
        .iter()
        .find(|d| {
            d.content.contains("name: mastodon-streaming\n  labels")
                && d.content.contains("kind: Deployment")
        })
        .unwrap();
    assert!(!streaming.content.contains("env-from"));
}

#[test]
fn env_from_failures_never_show_values() {
    let mut p = ParamInputs::default();
    p.push("file", env_file("malformed.env.production"));
    let e1 = err("classic", &[(overlay("env-from"), p)]);
    assert_eq!(e1.kind(), ErrorKind::BadParam);
    assert!(!e1.to_string().contains("fake-unterminated"), "{e1}");
    // A path given as text (an application that did not read the file).
    let e2 = err(
        "classic",
        &[(overlay("env-from"), params(&[("file", ".env.production")]))],
    );
    assert_eq!(e2.kind(), ErrorKind::BadParam);
    let e3 = err("classic", &[(overlay("env-from"), ParamInputs::default())]);
    assert_eq!(e3.kind(), ErrorKind::MissingParam);
    // A chart without streaming: the expectation names what it has; the
    // secret values are nowhere in the message.
    let (docs, _) = load("classic");
    let docs: Vec<Doc> = docs
        .into_iter()
        .filter(|d| !d.source.ends_with("deployment-streaming.yaml"))
        .collect();
    let e4 = err_docs(
        "classic",
        docs,
        &[(overlay("env-from"), env_from_params(&[]))],
    );
    assert_eq!(e4.kind(), ErrorKind::Expectation);
    let all = format!("{e1}\n{e2}\n{e3}\n{e4}");
    for s in FAKE_SECRETS {
        assert!(!all.contains(s));
    }
    insta::assert_snapshot!(all);
}

// ---- engine: overlays that read manifests ----------------------------------------------

#[test]
fn reading_manifests_needs_plan_on() {
    let (_, env) = load("next-ops");
    let e = overlay("keda").plan(&params(&[]), &env).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Template);
    assert!(
        e.to_string().contains("plan it with Overlay::plan_on"),
        "{e}"
    );
}

#[test]
fn every_new_overlay_composes_on_the_next_chart() {
    // All six in one build, each planned against the previous output.
    let mut env_from = ParamInputs::default();
    env_from.push("file", env_file("compose.env.production"));
    let out = snap(
        "next-ops",
        &[
            (overlay("env-from"), env_from),
            (
                overlay("nfs-volume"),
                params(&[("server", "nfs"), ("path", "/export")]),
            ),
            (overlay("prometheus"), params(&[])),
            (
                overlay("otel-operator"),
                params(&[("endpoint", "http://collector:4318")]),
            ),
            (
                overlay("zero-downtime"),
                params(&[("requireReadinessProbes", "false")]),
            ),
            (overlay("keda"), params(&[])),
        ],
    );
    for kind in [
        "kind: ScaledObject",
        "kind: TriggerAuthentication",
        "kind: Instrumentation",
        "kind: PodMonitor",
        "kind: PodDisruptionBudget",
        "kind: PersistentVolume\n",
        "name: mastodon-env-from",
    ] {
        assert!(out.contains(kind), "{kind}");
    }
    for s in FAKE_SECRETS {
        assert!(!out.contains(s));
    }
}

/// mastodon/chart labels web's and streaming's pods, not their
/// Deployments, with the component: the overlays select by pod labels.
#[test]
fn components_found_by_pod_labels() {
    let (docs, _) = load("classic-ops");
    let docs: Vec<Doc> = docs
        .into_iter()
        .map(|mut d| {
            if d.content.contains("\nkind: Deployment\n") {
                let lines: Vec<&str> = d
                    .content
                    .lines()
                    .filter(|l| !l.starts_with("    app.kubernetes.io/component: "))
                    .collect();
                d.content = lines.join("\n");
            }
            d
        })
        .collect();
    assert!(
        !docs
            .iter()
            .any(|d| d.content.contains("\nkind: Deployment\n")
                && d.content.contains("\n    app.kubernetes.io/component: web"))
    );
    let mut env_from = ParamInputs::default();
    env_from.push("file", env_file("compose.env.production"));
    let out = run_docs(
        "classic-ops",
        docs,
        &[
            (overlay("keda"), params(&[])),
            (overlay("zero-downtime"), params(&[])),
            (overlay("prometheus"), params(&[])),
            (
                overlay("otel-operator"),
                params(&[("endpoint", "http://c:4318")]),
            ),
            (
                overlay("nfs-volume"),
                params(&[("server", "nfs"), ("path", "/e")]),
            ),
            (overlay("env-from"), env_from),
        ],
    )
    .unwrap();
    out.report.check().unwrap();
    assert_valid(&out);
}
