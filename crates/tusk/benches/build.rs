//! `tusk build`'s stages on the example project (examples/mastodon):
//! native render, render + overlays, and validation of the result.
//!
//! `cargo bench -p tusk`. Validation's first call also loads the embedded
//! Kubernetes schemas once per process; that one-time cost is measured
//! separately by scripts/bench (whole processes), not here.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use tusk::{BuildOptions, NativeRenderer, Project, ValidateOptions};

fn bench(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let project = Project::load(&root.join("examples/mastodon/tusk.yaml")).unwrap();
    let chart = project.resolve_path(project.chart.as_str());
    let native = NativeRenderer::new();
    let raw_only = BuildOptions {
        skip_overlays: true,
        ..Default::default()
    };
    let with_overlays = BuildOptions::default();
    let out = tusk::build(&project, &chart, &native, &with_overlays).unwrap();
    assert_ne!(out.raw.to_stream(), out.rendered.to_stream());

    c.bench_function("render mastodon project (native, no overlays)", |b| {
        b.iter(|| tusk::build(&project, black_box(&chart), &native, &raw_only).unwrap())
    });
    c.bench_function("render + overlays mastodon project", |b| {
        b.iter(|| tusk::build(&project, black_box(&chart), &native, &with_overlays).unwrap())
    });
    let opts = ValidateOptions::default();
    let report = tusk::validate(&out.rendered, &opts);
    assert!(!report.is_failure(false), "{report:?}");
    c.bench_function("validate mastodon project output", |b| {
        b.iter(|| tusk::validate(black_box(&out.rendered), &opts))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
