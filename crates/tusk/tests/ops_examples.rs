//! The operations overlays' example projects (examples/keda, …) through the
//! library's build pipeline: project file → renderer → overlays (planned
//! in sequence, env files read with tusk-values) → tusk-validate. The stub
//! renderer replays real helm output of the fixture charts
//! (crates/overlay/tests/inputs, made by scripts/oracle.d/overlay-inputs)
//! rendered with values like the example's.

use std::path::{Path, PathBuf};

use tusk::{
    BuildOptions, Project, RenderError, RenderRequest, Rendered, Renderer, ValidateOptions,
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Replay(&'static str);

impl Renderer for Replay {
    fn render(&self, _req: &RenderRequest) -> Result<Rendered, RenderError> {
        let path = root().join(format!("crates/overlay/tests/inputs/{}.yaml", self.0));
        Ok(Rendered::from_stream(&std::fs::read_to_string(path).unwrap()).unwrap())
    }
}

fn build(example: &str, input: &'static str) -> (String, tusk::BuildOutput) {
    let p = Project::load(&root().join(format!("examples/{example}/tusk.yaml"))).unwrap();
    let chart = p.resolve_path(&p.chart);
    let validator = |r: &Rendered| -> Result<(), String> {
        let report = tusk::validate(r, &ValidateOptions::default());
        if report.findings.is_empty() {
            Ok(())
        } else {
            Err(format!("{:?}", report.findings))
        }
    };
    let opts = BuildOptions {
        validator: Some(&validator),
        ..BuildOptions::default()
    };
    let out = tusk::build(&p, &chart, &Replay(input), &opts).unwrap_or_else(|e| panic!("{e}"));
    (out.rendered.to_stream(), out)
}

#[test]
fn keda_example() {
    let (text, _) = build("keda", "classic-ops");
    assert!(text.contains("kind: ScaledObject"));
    assert!(text.contains("listName: queue:push"));
    assert!(
        !text.contains("listName: queue:mailers"),
        "mailers not in queues"
    );
}

#[test]
fn zero_downtime_example() {
    let (text, _) = build("zero-downtime", "next-ops");
    assert_eq!(text.matches("kind: PodDisruptionBudget").count(), 3);
    assert!(text.contains("- \"15\""));
}

#[test]
fn prometheus_example() {
    let (text, _) = build("prometheus", "next");
    assert!(text.contains("kind: ServiceMonitor"));
    assert!(text.contains("release: kube-prometheus-stack"));
}

#[test]
fn otel_operator_example() {
    let (text, _) = build("otel-operator", "classic");
    assert!(text.contains("kind: Instrumentation"));
    assert!(text.contains("OTEL_EXPORTER_OTLP_ENDPOINT"));
}

#[test]
fn env_from_example_keeps_secrets_out_of_plain_text() {
    let (text, out) = build("env-from", "next");
    assert!(text.contains("SMTP_FROM_ADDRESS: Mastodon <notifications@social.example.com>"));
    for secret in [
        "fake-db-password",
        "fake-secret-key-base",
        "fake-smtp-password",
    ] {
        assert!(!text.contains(secret), "{secret} in plain text");
    }
    // Diffs and logs go through redact: the base64 forms are hidden too.
    let shown = out.applied.redact(&text);
    assert!(shown.contains("DB_PASS: <secret>"), "{shown}");
    assert!(shown.contains("SMTP_LOGIN: <secret>"));
}

#[test]
fn nfs_volume_example() {
    let (text, _) = build("nfs-volume", "classic");
    assert!(text.contains("path: /mnt/tank/share/nfs/k8s/mastodon-mastodon-system"));
    assert!(text.contains("volumeName: mastodon-mastodon-system"));
}
