//! Round trip: `.env` → `tusk values from-env` → helm → every variable
//! reaches the pods unchanged: through the env ConfigMap and Secret of
//! fixtures/charts/mastodon-classic, and through the env ConfigMap, plain env
//! entries and `secretKeyRef`s to the chart's Secrets of
//! fixtures/charts/mastodon-next (laid out like mastodon/helm-charts).
//!
//! helm's output is a golden written by scripts/oracle.d/values (the real
//! helm 3.17.2 renders the values tusk generated); this test stays offline.
//! It first checks that today's code still generates the values helm was
//! given, so the goldens cannot silently go stale.

use std::collections::BTreeMap;

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

fn docs(name: &str) -> Vec<yaml_serde::Value> {
    yaml_serde::Deserializer::from_str(&read(name))
        .map(|d| yaml_serde::Value::deserialize(d).unwrap())
        .collect()
}

/// Where a container's variable comes from.
#[derive(Debug, PartialEq)]
enum Source {
    ConfigMap,
    Env,
    /// Secret name and key.
    SecretRef(String, String),
}

/// The environment of the first container of Deployment `name`, resolved as
/// the kubelet does: envFrom ConfigMaps first, then `env` entries (plain
/// values and `secretKeyRef`s, looked up in the rendered Secrets when the
/// chart renders them).
fn container_env(docs: &[yaml_serde::Value], name: &str) -> BTreeMap<String, (String, Source)> {
    let deployment = docs
        .iter()
        .find(|d| {
            d["kind"].as_str() == Some("Deployment") && d["metadata"]["name"].as_str() == Some(name)
        })
        .unwrap_or_else(|| panic!("no Deployment {name}"));
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    let mut env = BTreeMap::new();
    for from in container["envFrom"].as_sequence().unwrap() {
        let cm = from["configMapRef"]["name"].as_str().unwrap();
        for (k, v) in find(docs, "ConfigMap", cm) {
            env.insert(
                k.as_str().unwrap().to_string(),
                (v.as_str().unwrap().to_string(), Source::ConfigMap),
            );
        }
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    for e in container["env"].as_sequence().unwrap() {
        let var = e["name"].as_str().unwrap().to_string();
        if let Some(v) = e["value"].as_str() {
            env.insert(var, (v.to_string(), Source::Env));
            continue;
        }
        let r = &e["valueFrom"]["secretKeyRef"];
        let (secret, key) = (r["name"].as_str().unwrap(), r["key"].as_str().unwrap());
        let rendered = docs.iter().find(|d| {
            d["kind"].as_str() == Some("Secret") && d["metadata"]["name"].as_str() == Some(secret)
        });
        let value = rendered.map_or(String::new(), |s| {
            let raw = s["data"][key]
                .as_str()
                .unwrap_or_else(|| panic!("{secret} has no {key}"));
            String::from_utf8(b64.decode(raw).unwrap()).unwrap()
        });
        env.insert(var, (value, Source::SecretRef(secret.into(), key.into())));
    }
    env
}

fn next_from_env(target: SecretsTarget) -> (Vec<(String, String)>, tusk_values::from_env::FromEnv) {
    let env = dotenv::parse(&read("next.env"), "next.env").unwrap();
    let out = from_env(
        &env,
        &Options {
            chart: Chart::Next,
            target,
            secret_keys: vec![],
            source: "next.env".into(),
        },
    );
    (env, out)
}

/// The environment Mastodon's pods get: web's, plus what only sidekiq reads
/// (mail credentials).
fn next_pod_env(golden: &str) -> BTreeMap<String, (String, Source)> {
    let docs = docs(golden);
    let mut env = container_env(&docs, "mastodon-web");
    for (k, v) in container_env(&docs, "mastodon-sidekiq-all-queues") {
        env.entry(k).or_insert(v);
    }
    env
}

#[test]
fn next_env_survives_helm() {
    let (env, out) = next_from_env(SecretsTarget::File);
    let stale = "the goldens are stale: run scripts/oracle.d/values";
    assert_eq!(out.values, read("next.values.yaml"), "{stale}");
    assert_eq!(
        out.secrets.as_deref(),
        Some(read("next.secrets.yaml").as_str()),
        "{stale}"
    );
    assert_eq!(out.unmapped, ["STATSD_ADDR"]);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.starts_with("REPLICA_DB_USER, REPLICA_DB_PASS reach no pod")),
        "{:?}",
        out.warnings
    );

    let pods = next_pod_env("next.helm3.yaml");
    let mut counts = BTreeMap::new();
    let mut missing = Vec::new();
    for (k, v) in &env {
        let Some((got, source)) = pods.get(k) else {
            missing.push(k.as_str());
            continue;
        };
        assert_eq!(got, v, "{k} ({source:?})");
        let kind = match source {
            Source::ConfigMap => "configmap",
            Source::Env => "env",
            Source::SecretRef(..) => "secret",
        };
        *counts.entry(kind).or_insert(0) += 1;
        // Secret variables never pass through the ConfigMap or a plain value.
        if tusk_values::mapping::SECRET_KEYS.contains(&k.as_str()) {
            assert!(matches!(source, Source::SecretRef(..)), "{k}: {source:?}");
        }
    }
    // The upstream chart reads the replica's credentials only from an
    // existing Secret; the fixture does the same.
    assert_eq!(missing, ["REPLICA_DB_USER", "REPLICA_DB_PASS"]);
    assert_eq!(
        counts,
        BTreeMap::from([("configmap", 71), ("env", 7), ("secret", 22)])
    );
}

#[test]
fn next_existing_secret_serves_every_secret_variable() {
    let (env, out) = next_from_env(SecretsTarget::Existing("app-env".into()));
    let stale = "the goldens are stale: run scripts/oracle.d/values";
    assert_eq!(out.values, read("next-existing.values.yaml"), "{stale}");
    assert!(out.secrets.is_none());

    let pods = next_pod_env("next-existing.helm3.yaml");
    let mut refs = 0;
    for (k, v) in &env {
        let (got, source) = pods.get(k).unwrap_or_else(|| panic!("{k} reaches no pod"));
        // Secrets, and the user names the chart reads from the same Secret.
        let listed = out
            .required_keys
            .iter()
            .any(|r| r.secret == "app-env" && r.key == *k && r.env == *k);
        assert_eq!(
            listed,
            tusk_values::mapping::SECRET_KEYS.contains(&k.as_str())
                || ["DB_USER", "REPLICA_DB_USER", "ES_USER"].contains(&k.as_str()),
            "{k}"
        );
        if listed {
            // One Secret keyed by variable name.
            assert_eq!(
                source,
                &Source::SecretRef("app-env".into(), k.clone()),
                "{k}"
            );
            refs += 1;
        } else {
            assert_eq!(got, v, "{k} ({source:?})");
        }
    }
    assert_eq!(refs, 24);
    assert_eq!(out.required_keys.len(), 24);
}
