//! The build pipeline through the library: project file → renderer →
//! overlays → validation hook, with a stub renderer replaying real helm
//! output (crates/overlay/tests/inputs/classic.yaml).

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use tusk::{BuildError, BuildOptions, Project, RenderError, RenderRequest, Rendered, Renderer};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Release, namespace and the values files' contents of one request.
type Seen = (String, Option<String>, Vec<String>);

#[derive(Default)]
struct Stub {
    /// (release, namespace, values files' contents) of each request.
    seen: RefCell<Vec<Seen>>,
}

impl Renderer for Stub {
    fn render(&self, req: &RenderRequest) -> Result<Rendered, RenderError> {
        let files = req
            .values_files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap_or_else(|e| format!("unreadable {f}: {e}")))
            .collect();
        self.seen
            .borrow_mut()
            .push((req.release.clone(), req.namespace.clone(), files));
        let text = std::fs::read_to_string(root().join("crates/overlay/tests/inputs/classic.yaml"))
            .unwrap();
        Ok(Rendered::from_stream(&text).unwrap())
    }
}

fn project(extra: &str) -> Project {
    let text = format!(
        "chart: fixtures/charts/mastodon-classic\nnamespace: social\nvalues: {{mastodon: {{local_domain: x.example}}}}\n{extra}"
    );
    Project::parse(&text, &root()).unwrap()
}

#[test]
fn build_applies_overlays_and_passes_inline_values() {
    let p = project(
        "overlays:\n  - name: image\n    params: {tag: v4.3.3}\n  - name: env\n    params: {vars: {A: b}, components: [web]}\n",
    );
    let stub = Stub::default();
    let chart = p.resolve_path(&p.chart);
    let out = tusk::build(&p, &chart, &stub, &BuildOptions::default()).unwrap();
    let seen = stub.seen.borrow();
    assert_eq!(seen[0].0, "mastodon");
    assert_eq!(seen[0].1.as_deref(), Some("social"));
    assert_eq!(
        seen[0].2,
        vec![r#"{"mastodon":{"local_domain":"x.example"}}"#.to_string()]
    );
    assert_eq!(out.raw.manifests.len(), out.rendered.manifests.len());
    let stream = out.rendered.to_stream();
    assert!(stream.contains("image: ghcr.io/mastodon/mastodon:v4.3.3"));
    assert!(stream.contains("- name: A\n          value: b"));
    // Untouched documents are byte-identical.
    let untouched = out
        .raw
        .manifests
        .iter()
        .zip(&out.rendered.manifests)
        .filter(|(a, b)| a == b)
        .count();
    assert!(untouched > 10, "{untouched}");
}

#[test]
fn expectations_fail_the_build_but_not_keep_going() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("x.yaml"),
        "name: x\n---\ntargets:\n  - id: hpa\n    select: {kind: HorizontalPodAutoscaler}\n",
    )
    .unwrap();
    let mut p = project(&format!(
        "overlays:\n  - path: {}\n",
        dir.path().join("x.yaml").display()
    ));
    p.base_dir = root();
    let chart = p.resolve_path(&p.chart);
    let err = tusk::build(&p, &chart, &Stub::default(), &BuildOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "overlay x, target \"hpa\": matched 0 HorizontalPodAutoscalers; the chart renders no HorizontalPodAutoscalers"
    );
    let opts = BuildOptions {
        keep_going: true,
        ..Default::default()
    };
    let out = tusk::build(&p, &chart, &Stub::default(), &opts).unwrap();
    assert_eq!(out.applied.report.failures().len(), 1);
}

#[test]
fn validation_hook_sees_the_final_manifests() {
    let p = project("overlays:\n  - name: image\n    params: {pullPolicy: Always}\n");
    let chart = p.resolve_path(&p.chart);
    let check = |r: &Rendered| -> Result<(), String> {
        let n = r.to_stream().matches("imagePullPolicy: Always").count();
        Err(format!("{n} containers pull Always"))
    };
    let opts = BuildOptions {
        validator: Some(&check),
        ..Default::default()
    };
    match tusk::build(&p, &chart, &Stub::default(), &opts) {
        Err(BuildError::Validate(m)) => assert_eq!(m, "6 containers pull Always"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_overlay_and_atomic_file_output() {
    let err = tusk::overlays::load_overlay("nope", Path::new(".")).unwrap_err();
    assert!(err.to_string().starts_with("unknown overlay \"nope\""));
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("sub/all.yaml");
    let r = Rendered::from_stream("---\n# Source: c/templates/a.yaml\na: 1\n").unwrap();
    tusk::Destination::File(f.clone()).write(&r).unwrap();
    assert_eq!(std::fs::read_to_string(&f).unwrap(), r.to_stream());
    // No temporary siblings are left behind.
    assert_eq!(
        std::fs::read_dir(dir.path().join("sub")).unwrap().count(),
        1
    );
}
