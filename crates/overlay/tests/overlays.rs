//! The built-in overlays and the engine's failure modes, on manifests the
//! real helm rendered from the fixture charts (tests/inputs/*.yaml, made by
//! scripts/oracle.d/overlay-inputs). Every case goes through `run`, and
//! snapshots show the report and each manifest an overlay changed or added.

use std::path::Path;

mod common;
use common::*;

use tusk_overlay::{Applied, Doc, ErrorKind, Overlay, ParamInputs, RawParam, apply};

/// Plans and applies; checks untouched documents kept their bytes.
fn run(case: &str, overlays: &[(Overlay, ParamInputs)]) -> Result<Applied, tusk_overlay::Error> {
    let (docs, env) = load(case);
    let mut plans = Vec::new();
    for (o, p) in overlays {
        plans.push(o.plan(p, &env)?);
    }
    let out = apply(docs.clone(), &plans)?;
    for d in &out.manifests {
        if let Some(orig) = docs.iter().find(|o| o.content == d.content) {
            assert_eq!(orig.source, d.source);
        }
    }
    Ok(out)
}

fn snap(case: &str, overlays: &[(Overlay, ParamInputs)]) -> String {
    let out = run(case, overlays).unwrap_or_else(|e| panic!("{e}"));
    out.report.check().unwrap_or_else(|e| panic!("{e}"));
    summary(case, &out)
}

fn err(case: &str, overlays: &[(Overlay, ParamInputs)]) -> tusk_overlay::Error {
    match run(case, overlays) {
        Ok(out) => out.report.check().expect_err("expected a failure"),
        Err(e) => e,
    }
}

// ---- otel ------------------------------------------------------------------

#[test]
fn otel_containers_classic() {
    let p = params(&[
        ("endpoint", "http://alloy.monitoring.svc:4318"),
        ("headers", "file:fake-api-key.txt"),
        ("serviceNamePrefix", "mastodon-prod"),
    ]);
    let out = snap("classic", &[(overlay("otel"), p)]);
    assert!(!out.contains("FAKE-KEY"), "secret leaked in plain text");
    insta::assert_snapshot!(out);
}

#[test]
fn otel_containers_next_with_streaming() {
    let p = params(&[
        ("endpoint", "http://alloy.monitoring.svc:4318"),
        ("components", "web,sidekiq,streaming"),
    ]);
    insta::assert_snapshot!(snap("next", &[(overlay("otel"), p)]));
}

#[test]
fn otel_env_secret_classic() {
    let p = params(&[
        ("endpoint", "https://api.honeycomb.io"),
        ("headers", "file:fake-api-key.txt"),
        ("placement", "envSecret"),
    ]);
    let out = run("classic", &[(overlay("otel"), p)]).unwrap();
    out.report.check().unwrap();
    let text: String = out
        .manifests
        .iter()
        .map(|d| d.content.clone() + "\n")
        .collect();
    // base64("x-honeycomb-team=FAKE-KEY-0000-for-tests-only")
    assert!(text.contains("eC1ob25leWNvbWItdGVhbT1GQUtFLUtFWS0wMDAwLWZvci10ZXN0cy1vbmx5"));
    let redacted = out.redact(&text);
    assert!(!redacted.contains("eC1ob25leWNvbWItdGVhbT1GQUtFLUtFWS0wMDAwLWZvci10ZXN0cy1vbmx5"));
    assert!(redacted.contains("OTEL_EXPORTER_OTLP_HEADERS: <secret>"));
    insta::assert_snapshot!(out.redact(&summary("classic", &out)));
}

/// mastodon/helm-charts reads its secrets key by key (`secretKeyRef`), so
/// there is no Secret every pod reads with envFrom: envSecret cannot apply,
/// and the failure names the Secrets the chart does render.
#[test]
fn otel_env_secret_next_has_no_env_secret() {
    let p = params(&[
        ("endpoint", "https://api.honeycomb.io"),
        ("placement", "envSecret"),
    ]);
    let e = err("next", &[(overlay("otel"), p)]);
    assert_eq!(e.kind(), ErrorKind::Expectation);
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn otel_fixes_documented_key_mismatch_classic() {
    let p = params(&[("endpoint", "http://alloy.monitoring.svc:4318")]);
    let out = snap("classic-otel", &[(overlay("otel"), p)]);
    assert!(out.contains("OTEL_EXPORTER_OTLP_ENDPOINT: http://alloy.monitoring.svc:4318"));
    insta::assert_snapshot!(out);
}

#[test]
fn otel_fixes_documented_key_mismatch_next() {
    let p = params(&[("endpoint", "http://alloy.monitoring.svc:4318")]);
    insta::assert_snapshot!(snap("next-otel", &[(overlay("otel"), p)]));
}

// ---- image -----------------------------------------------------------------

#[test]
fn image_everything_classic() {
    let p = params(&[
        (
            "repository",
            "registry.gitlab.com/brownfield-dev/public/images/mastodon-bfd",
        ),
        ("tag", "v4.0.2"),
        ("pullPolicy", "Always"),
    ]);
    insta::assert_snapshot!(snap("classic", &[(overlay("image"), p)]));
}

#[test]
fn image_digest_next_per_component() {
    let p = params(&[
        (
            "digest",
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ),
        ("components", "web,streaming"),
        (
            "streamingRepository",
            "registry.example/me/mastodon-streaming",
        ),
    ]);
    insta::assert_snapshot!(snap("next", &[(overlay("image"), p)]));
}

// ---- env -------------------------------------------------------------------

#[test]
fn env_plain_and_secret_classic() {
    let p = params(&[
        ("vars.RAILS_LOG_LEVEL", "debug"),
        ("vars.WEB_CONCURRENCY", "4"),
        ("secretVars.DEEPL_API_KEY", "env:CARGO_PKG_NAME"),
        ("components", "web,sidekiq,jobs"),
    ]);
    let out = run("classic", &[(overlay("env"), p)]).unwrap();
    out.report.check().unwrap();
    // base64("tusk-overlay") is in the new Secret, redacted for display.
    assert!(
        out.manifests
            .iter()
            .any(|d| d.content.contains("dHVzay1vdmVybGF5"))
    );
    insta::assert_snapshot!(out.redact(&summary("classic", &out)));
}

#[test]
fn env_next_streaming() {
    let p = params(&[
        ("vars", "{STREAMING_CLUSTER_NUM: 2}"),
        ("components", "streaming"),
    ]);
    insta::assert_snapshot!(snap("next", &[(overlay("env"), p)]));
}

#[test]
fn overlays_compose_in_order() {
    let otel = params(&[
        ("endpoint", "https://api.honeycomb.io"),
        ("headers", "file:fake-api-key.txt"),
    ]);
    let img = params(&[("tag", "v4.3.3"), ("pullPolicy", "Always")]);
    let out = run("next", &[(overlay("otel"), otel), (overlay("image"), img)]).unwrap();
    out.report.check().unwrap();
    insta::assert_snapshot!(out.redact(&summary("next", &out)));
}

// ---- failure modes -----------------------------------------------------------

const CUSTOM: &str = "\
name: custom
params:
  count: {type: int, default: 1}
  kind: {type: string, default: Secret}
---
targets:
  - id: env-secret
    select: {kind: {{ kind | yaml }}, name: does-not-exist}
    count: {{ count }}
    patches:
      - addAnnotations: {a: b}
";

fn custom(p: &[(&str, &str)]) -> (Overlay, ParamInputs) {
    (Overlay::parse("custom.yaml", CUSTOM).unwrap(), params(p))
}

#[test]
fn err_no_match_names_what_the_chart_has() {
    let e = err("classic", &[custom(&[])]);
    assert_eq!(e.kind(), ErrorKind::Expectation);
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn err_no_match_of_a_kind_the_chart_lacks() {
    let e = err("next", &[custom(&[("kind", "StatefulSet")])]);
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn err_wrong_count() {
    let o = Overlay::parse(
        "count.yaml",
        "name: count\n---\ntargets:\n  - id: deployments\n    select: {kind: Deployment}\n    count: 1\n",
    )
    .unwrap();
    let e = err("classic", &[(o, ParamInputs::default())]);
    assert_eq!(e.kind(), ErrorKind::Expectation);
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn err_max_exceeded_and_optional_passes() {
    let o = Overlay::parse(
        "max.yaml",
        "name: max\n---\ntargets:\n  - id: some\n    select: {kind: Service}\n    max: 2\n  - id: none\n    select: {kind: Nothing}\n    optional: true\n",
    )
    .unwrap();
    let e = err("classic", &[(o, ParamInputs::default())]);
    let msg = e.to_string();
    assert!(
        !msg.contains("\"none\""),
        "optional target must pass: {msg}"
    );
    insta::assert_snapshot!(msg);
}

#[test]
fn err_container_selector_lists_containers() {
    let o = Overlay::parse(
        "c.yaml",
        "name: c\n---\ntargets:\n  - id: web\n    select: {kind: Deployment, containers: web}\n    patches:\n      - setImage: {tag: x}\n",
    )
    .unwrap();
    // The classic chart names its containers mastodon-*, so `web` matches nothing.
    insta::assert_snapshot!(err("classic", &[(o, ParamInputs::default())]).to_string());
}

#[test]
fn err_bad_param_type() {
    let e = err("classic", &[custom(&[("count", "three")])]);
    assert_eq!(e.kind(), ErrorKind::BadParam);
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn err_param_outside_enum() {
    let e = err(
        "classic",
        &[(
            overlay("otel"),
            params(&[("endpoint", "http://x:4317"), ("protocol", "grpc")]),
        )],
    );
    assert_eq!(e.kind(), ErrorKind::BadParam);
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn err_missing_required_param() {
    let e = err("classic", &[(overlay("otel"), ParamInputs::default())]);
    assert_eq!(e.kind(), ErrorKind::MissingParam);
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn err_unknown_param() {
    let e = err(
        "classic",
        &[(overlay("otel"), params(&[("endpiont", "http://x")]))],
    );
    assert_eq!(e.kind(), ErrorKind::UnknownParam);
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn err_missing_secret_env() {
    let p = params(&[
        ("endpoint", "http://x"),
        ("headers", "env:TUSK_TEST_VARIABLE_THAT_IS_NOT_SET"),
    ]);
    let e = err("classic", &[(overlay("otel"), p)]);
    assert_eq!(e.kind(), ErrorKind::Secret);
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn err_missing_secret_file() {
    let p = params(&[
        ("endpoint", "http://x"),
        ("headers", "file:no-such-file.txt"),
    ]);
    let e = err("classic", &[(overlay("otel"), p)]);
    assert_eq!(e.kind(), ErrorKind::Secret);
    let msg = e
        .to_string()
        .replace(&inputs().display().to_string(), "[inputs]");
    insta::assert_snapshot!(msg.split(": No such file").next().unwrap().to_string());
}

#[test]
fn err_literal_secret_refused_and_not_echoed() {
    let p = params(&[
        ("endpoint", "http://x"),
        ("headers", "x-honeycomb-team=LITERAL"),
    ]);
    let e = err("classic", &[(overlay("otel"), p)]);
    assert_eq!(e.kind(), ErrorKind::Secret);
    assert!(!e.to_string().contains("LITERAL"));
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn err_secret_into_plain_text_refused() {
    let o = Overlay::parse(
        "leak.yaml",
        "name: leak\nparams:\n  key: {type: secret}\n---\ntargets:\n  - id: web\n    select: {kind: Deployment, name: mastodon-web}\n    patches:\n      - setEnv: [{name: KEY, value: {{ key | yaml }}}]\n",
    )
    .unwrap();
    let e = err(
        "classic",
        &[(o, params(&[("key", "file:fake-api-key.txt")]))],
    );
    assert_eq!(e.kind(), ErrorKind::Secret);
    assert!(!e.to_string().contains("FAKE-KEY"));
    insta::assert_snapshot!(e.to_string());
}

#[test]
fn err_unknown_op_and_bad_header() {
    let bad_op = Overlay::parse("op.yaml", "name: op\n---\ntargets:\n  - id: x\n    select: {kind: Secret}\n    patches:\n      - frobnicate: {}\n")
        .unwrap();
    let e1 = err("classic", &[(bad_op, ParamInputs::default())]);
    let e2 = Overlay::parse("hdr.yaml", "name: hdr\nparms: {}\n---\n").unwrap_err();
    let e3 = Overlay::parse("nosep.yaml", "name: x\n").unwrap_err();
    assert_eq!(e2.kind(), ErrorKind::Syntax);
    insta::assert_snapshot!(format!("{e1}\n{e2}\n{e3}"));
}

#[test]
fn err_template_and_fail() {
    let e1 = err("classic", &[(overlay("image"), ParamInputs::default())]);
    let o = Overlay::parse(
        "t.yaml",
        "name: t\n---\ntargets:\n  - id: {{ nosuchvar }}\n",
    )
    .unwrap();
    let e2 = err("classic", &[(o, ParamInputs::default())]);
    assert_eq!(e2.kind(), ErrorKind::Template);
    insta::assert_snapshot!(format!("{e1}\n{e2}"));
}

#[test]
fn err_json_patch_test_fails() {
    let o = Overlay::parse(
        "jp.yaml",
        "name: jp\n---\ntargets:\n  - id: web\n    select: {kind: Deployment, name: mastodon-web}\n    patches:\n      - jsonPatch:\n          - {op: test, path: /spec/replicas, value: 5}\n",
    )
    .unwrap();
    let e = err("classic", &[(o, ParamInputs::default())]);
    assert_eq!(e.kind(), ErrorKind::Patch);
    insta::assert_snapshot!(e.to_string());
}

// ---- generic operations and conditions -----------------------------------------

#[test]
fn generic_operations() {
    let o = Overlay::parse(
        "generic.yaml",
        r#"name: generic
---
targets:
  - id: web
    select: {apiVersion: apps/v1, kind: Deployment, name: "*-web", labels: {app.kubernetes.io/component: web}}
    count: 1
    patches:
      - jsonPatch:
          - {op: replace, path: /spec/replicas, value: 3}
          - {op: add, path: /spec/template/spec/priorityClassName, value: high}
      - mergePatch: {spec: {revisionHistoryLimit: 2, strategy: {type: Recreate}}}
      - strategicMerge:
          spec:
            template:
              spec:
                volumes:
                  - {name: tmp, emptyDir: {}}
                  - {name: assets, $patch: delete}
                containers:
                  - name: mastodon-web
                    ports: [{containerPort: 3000, name: http, protocol: TCP, hostPort: 3000}]
                    volumeMounts: [{name: tmp, mountPath: /tmp}]
      - mergeContainer: {envFrom: [{configMapRef: {name: extra}}]}
      - unsetEnv: WEB_CONCURRENCY
      - setEnv:
          - {name: PORT, value: 3001}
          - {name: DB_PASS2, secretKeyRef: {name: db, key: password}}
      - addLabels: {team: social}
      - addAnnotations: {note: "true"}
      - addPodAnnotations: {instrumentation.opentelemetry.io/inject-nodejs: "false"}
      - remove: [/spec/template/metadata/annotations/checksum~1config-secrets, /spec/nothing/here]
  - id: cron
    select: {kind: CronJob}
    patches:
      - setImage: {tag: v9}
      - addPodLabels: {cron: "yes"}
  - id: env-config
    select: {kind: ConfigMap, envFromOf: {kind: Deployment, name: mastodon-web}}
    count: 1
    patches:
      - setData: {EXTRA: 1}
  - id: skipped
    when: {version: "<6"}
    select: {kind: Nothing}
resources:
  - id: pdb
    when: {chart: mastodon, version: ">=6.0.0 <7", values: {mastodon.web.port: 3000}, valuesUnset: [nothing.here]}
    manifest:
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: mastodon-web}
      spec: {minAvailable: 1}
"#,
    )
    .unwrap();
    insta::assert_snapshot!(snap("classic", &[(o, ParamInputs::default())]));
}

#[test]
fn overlay_level_when_skips() {
    let o = Overlay::parse(
        "w.yaml",
        "name: w\nwhen: {version: \">=2\"}\n---\ntargets:\n  - id: x\n    select: {kind: Nothing}\n",
    )
    .unwrap();
    let out = run("next", &[(o, ParamInputs::default())]).unwrap();
    out.report.check().unwrap();
    assert!(!out.report.overlays[0].active);
    let (docs, _) = load("next");
    assert_eq!(out.manifests, docs);
}

/// The emitter touched documents go through reproduces helm's `toYaml`
/// (tests/inputs/emit.yaml is helm's rendering of tests/emit-chart).
#[test]
fn emitter_matches_helm_to_yaml() {
    let values = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/emit-chart/values.yaml"),
    )
    .unwrap();
    let helm = std::fs::read_to_string(inputs().join("emit.yaml")).unwrap();
    let docs = split_stream(&helm);
    let ours = tusk_overlay::normalize(&values).unwrap();
    assert_eq!(ours, docs[0].content.trim_end());
}

#[test]
fn engine_edge_cases() {
    // A leading `---`, CRLF line ends, literal secrets allowed by the
    // overlay itself, project-style secret maps, init containers, and a
    // stringData Secret written through a secret token.
    let text = "---\r\nname: edge\r\nallowLiteralSecrets: true\r\nparams:\r\n  keys: {type: map, items: secret}\r\n---\r\n\
targets:\r\n  - id: init\r\n    select: {kind: Pod, containers: '*', initContainers: true}\r\n    optional: true\r\n    patches:\r\n      - setImage: {tag: x}\r\n\
resources:\r\n  - id: s\r\n    manifest:\r\n      apiVersion: v1\r\n      kind: Secret\r\n      metadata: {name: edge}\r\n      stringData:\r\n{% for k, v in keys|items %}        {{ k }}: {{ v | yaml }}\r\n{% endfor %}";
    let o = Overlay::parse("edge.yaml", text).unwrap();
    let mut p = ParamInputs::default();
    p.push(
        "keys",
        RawParam::Value(
            serde_json::json!({"A": {"file": "fake-api-key.txt"}, "B": "literal-b-value"}),
        ),
    );
    let out = run("classic", &[(o, p)]).unwrap();
    out.report.check().unwrap();
    let added = out.manifests.last().unwrap();
    assert_eq!(added.source, "tusk-overlay/edge/s.yaml");
    assert!(
        added
            .content
            .contains("A: x-honeycomb-team=FAKE-KEY-0000-for-tests-only")
    );
    assert!(added.content.contains("B: literal-b-value"));
    assert_eq!(
        out.redact(&added.content),
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: edge\nstringData:\n  A: <secret>\n  B: <secret>"
    );
    // The test Pod (busybox) is the only Pod; its image got the tag.
    let pod = out
        .manifests
        .iter()
        .find(|d| d.content.contains("kind: Pod"))
        .unwrap();
    assert!(pod.content.contains("image: busybox:x"), "{}", pod.content);
}

/// mastodon/chart labels web and streaming Deployments without a component
/// label; only their pod templates carry it. The built-ins must find them
/// there (regression: they selected on the Deployment's own labels).
#[test]
fn builtins_find_components_by_pod_labels() {
    let deployment = |name: &str, component: &str| Doc {
        source: format!("mastodon/templates/deployment-{component}.yaml"),
        content: format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels:\n    app.kubernetes.io/name: mastodon\nspec:\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: mastodon\n        app.kubernetes.io/component: {component}\n    spec:\n      containers:\n      - name: mastodon\n        image: ghcr.io/mastodon/mastodon:v4.3.2"
        ),
    };
    let docs = vec![
        deployment("mastodon-web", "web"),
        deployment("mastodon-sidekiq-all-queues", "sidekiq-all-queues"),
        deployment("mastodon-streaming", "streaming"),
    ];
    let (_, env) = load("classic");
    for (name, p) in [
        (
            "image",
            params(&[("tag", "v4.3.3"), ("components", "web,sidekiq,streaming")]),
        ),
        (
            "env",
            params(&[
                ("vars", "{\"A\": \"b\"}"),
                ("components", "web,sidekiq,streaming"),
            ]),
        ),
    ] {
        let plan = overlay(name).plan(&p, &env).unwrap();
        let out = apply(docs.clone(), &[plan]).unwrap();
        out.report
            .check()
            .unwrap_or_else(|e| panic!("overlay {name}: {e}"));
        assert!(
            out.manifests.iter().all(|d| d.content != docs[0].content),
            "overlay {name} changed nothing"
        );
    }
}
