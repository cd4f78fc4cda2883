//! Whole-chart rendering and the YAML functions charts lean on most.
//!
//! `cargo bench -p tusk-render`. The fixtures are the mastodon charts the
//! byte-for-byte tests use; scripts/bench compares whole processes with
//! helm, these isolate tusk's library time (no process start).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use tusk_chart::UserValues;
use tusk_render::RenderOptions;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/charts")
        .join(name)
}

fn bench(c: &mut Criterion) {
    let user = UserValues::default();
    let opts = RenderOptions::new("bench");
    for name in ["mastodon-classic", "mastodon-next"] {
        let chart = fixture(name);
        let out = tusk_render::template(&chart, &user, &opts).unwrap();
        assert!(!out.manifests.is_empty());
        c.bench_function(&format!("template {name} (load + values + render)"), |b| {
            b.iter(|| tusk_render::template(black_box(&chart), &user, &opts).unwrap())
        });
        let loaded = tusk_chart::load(&chart).unwrap();
        c.bench_function(&format!("load {name}"), |b| {
            b.iter(|| tusk_chart::load(black_box(&chart)).unwrap())
        });
        drop(loaded);
    }

    // toYaml / fromYaml on the classic chart's values (about 500 lines).
    let text = std::fs::read_to_string(fixture("mastodon-classic").join("values.yaml")).unwrap();
    let values = tusk_funcs::yaml::parse_values(&text).unwrap();
    let yaml = tusk_funcs::yaml::to_yaml(&values);
    assert!(yaml.len() > 1000);
    c.bench_function("toYaml mastodon-classic values", |b| {
        b.iter(|| tusk_funcs::yaml::to_yaml(black_box(&values)))
    });
    c.bench_function("fromYaml mastodon-classic values", |b| {
        b.iter(|| tusk_funcs::yaml::parse_values(black_box(&yaml)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
