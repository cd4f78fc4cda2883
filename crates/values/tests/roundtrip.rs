//! Round trip: `.env` → `tusk values from-env` → helm → the env ConfigMap and
//! Secret of fixtures/charts/mastodon-classic carry every variable unchanged.
//!
//! helm's output is a golden written by scripts/oracle.d/values (the real
//! helm 3.17.2 renders the values tusk generated); this test stays offline.
//! It first checks that today's code still generates the values helm was
//! given, so the goldens cannot silently go stale.
//!
//! The next chart has no round trip yet: fixtures/charts/mastodon-next is
//! laid out differently from mastodon/helm-charts (top-level `localDomain`,
//! `database.*`, `secrets.*`), so values for the real next chart do not
//! drive it.

use base64::Engine;
use serde::Deserialize;
use tusk_values::dotenv;
use tusk_values::from_env::{Options, SecretsTarget, from_env};
use tusk_values::mapping::Chart;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/roundtrip");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn find<'a>(docs: &'a [yaml_serde::Value], kind: &str, name: &str) -> &'a yaml_serde::Mapping {
    docs.iter()
        .find(|d| d["kind"].as_str() == Some(kind) && d["metadata"]["name"].as_str() == Some(name))
        .and_then(|d| d["data"].as_mapping())
        .unwrap_or_else(|| panic!("no {kind} {name} with data in helm's output"))
}

#[test]
fn classic_env_survives_helm() {
    let env = dotenv::parse(&read("classic.env"), "classic.env").unwrap();
    let out = from_env(
        &env,
        &Options {
            chart: Chart::Classic,
            target: SecretsTarget::File,
            secret_keys: vec![],
            source: "classic.env".into(),
        },
    );
    let stale = "the goldens are stale: run scripts/oracle.d/values";
    assert_eq!(out.values, read("classic.values.yaml"), "{stale}");
    assert_eq!(
        out.secrets.as_deref(),
        Some(read("classic.secrets.yaml").as_str()),
        "{stale}"
    );
    assert!(out.unmapped.is_empty(), "{:?}", out.unmapped);

    let rendered = read("classic.helm3.yaml");
    let docs: Vec<yaml_serde::Value> = yaml_serde::Deserializer::from_str(&rendered)
        .map(|d| yaml_serde::Value::deserialize(d).unwrap())
        .collect();
    let config = find(&docs, "ConfigMap", "mastodon-env");
    let secret = find(&docs, "Secret", "mastodon");
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut from_config = 0;
    let mut from_secret = 0;
    for (k, v) in &env {
        let got = if let Some(c) = config.get(k.as_str()) {
            from_config += 1;
            c.as_str()
                .unwrap_or_else(|| panic!("{k}: {c:?} is not a string"))
                .to_string()
        } else if let Some(s) = secret.get(k.as_str()) {
            from_secret += 1;
            let raw = b64.decode(s.as_str().unwrap()).unwrap();
            String::from_utf8(raw).unwrap()
        } else {
            panic!("{k} is neither in the ConfigMap nor in the Secret");
        };
        assert_eq!(&got, v, "{k}");
    }
    assert_eq!((from_config, from_secret), (33, 8));
}
