//! `.env` → values for one chart.
//!
//! Each variable is looked up in the chart's [mapping table](crate::mapping).
//! Plain values go into the values file; secret values go into a separate
//! secrets values file, or are replaced by references to an existing
//! Kubernetes Secret. Variables without a mapping land in the chart's
//! `mastodon.extraEnvVars` and are reported.

use std::collections::{BTreeMap, BTreeSet};

use crate::mapping::{Chart, Kind, Mapping, SECRET_KEYS};
use crate::yaml::{self, Map, Node};

/// Where secret values go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretsTarget {
    /// Into a second values file (its text is [`FromEnv::secrets`]).
    File,
    /// Nowhere: the values reference an existing Secret of this name, and
    /// [`FromEnv::required_keys`] lists what that Secret must hold.
    Existing(String),
}

/// Options of [`from_env`].
#[derive(Debug, Clone)]
pub struct Options {
    /// The chart to write values for.
    pub chart: Chart,
    /// Where secret values go.
    pub target: SecretsTarget,
    /// Variables to treat as secret on top of [`SECRET_KEYS`].
    pub secret_keys: Vec<String>,
    /// The `.env` file's name, for the header comment.
    pub source: String,
}

/// A key an existing Secret must contain.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RequiredKey {
    /// The Secret's name.
    pub secret: String,
    /// The key.
    pub key: String,
    /// The variable whose value belongs there.
    pub env: String,
}

/// The result of [`from_env`].
#[derive(Debug, Clone)]
pub struct FromEnv {
    /// The plain values file (never holds a secret value).
    pub values: String,
    /// The secrets values file (with [`SecretsTarget::File`] and at least
    /// one secret).
    pub secrets: Option<String>,
    /// Keys the existing Secret(s) must contain.
    pub required_keys: Vec<RequiredKey>,
    /// Variables without a mapping (they went to the extra-env values, or
    /// were dropped when secret and no secrets file is written).
    pub unmapped: Vec<String>,
    /// How many variables were mapped to chart values.
    pub mapped: usize,
    /// Things a human should look at.
    pub warnings: Vec<String>,
}

fn convert(kind: Kind, env: &str, value: &str, warnings: &mut Vec<String>) -> Node {
    match kind {
        Kind::Int => match value.trim().parse::<i64>() {
            Ok(i) => Node::Int(i),
            Err(_) => {
                warnings.push(format!(
                    "{env}={value:?} is not an integer; written as a string"
                ));
                Node::Str(value.to_string())
            }
        },
        // Mastodon compares these with the exact string "true".
        Kind::Bool => match value {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => {
                warnings.push(format!(
                    "{env}={value:?} is not true or false; written as a string"
                ));
                Node::Str(value.to_string())
            }
        },
        Kind::List => Node::Seq(
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Node::Str(s.to_string()))
                .collect(),
        ),
        _ => Node::Str(value.to_string()),
    }
}

fn from_comment(m: &Mapping) -> String {
    if m.note.is_empty() {
        m.env.to_string()
    } else {
        format!("{} ({})", m.env, m.note)
    }
}

/// Converts `.env` entries (as from [`crate::dotenv::parse`]) to values for
/// `opts.chart`.
pub fn from_env(entries: &[(String, String)], opts: &Options) -> FromEnv {
    let chart = opts.chart;
    let mut plain = Map::new();
    let mut secret = Map::new();
    let mut warnings = Vec::new();
    let mut required: BTreeSet<RequiredKey> = BTreeSet::new();
    let mut extra_plain: BTreeMap<String, String> = BTreeMap::new();
    let mut extra_secret: BTreeMap<String, String> = BTreeMap::new();
    let mut unmapped = Vec::new();
    let mut dropped_secrets = Vec::new();
    let mut mapped = 0;
    let is_secret =
        |env: &str| SECRET_KEYS.contains(&env) || opts.secret_keys.iter().any(|k| k == env);
    let has = |env: &str| entries.iter().any(|(k, _)| k == env);
    let value_of = |env: &str| {
        entries
            .iter()
            .find(|(k, _)| k == env)
            .map(|(_, v)| v.as_str())
    };

    // Table order, not file order: related values stay together and the
    // output does not change when the .env's lines are shuffled.
    let table = chart.mappings();
    let mut ordered: Vec<(usize, &(String, String))> = entries
        .iter()
        .map(|e| {
            let rank = table
                .iter()
                .position(|m| m.env == e.0)
                .unwrap_or(usize::MAX);
            (rank, e)
        })
        .collect();
    ordered.sort_by_key(|(rank, _)| *rank);
    for (_, (env, value)) in ordered {
        let env = env.as_str();
        let secret_var = is_secret(env);
        // With an existing Secret, the chart's reference replaces the value.
        let mut referenced = false;
        if let SecretsTarget::Existing(name) = &opts.target {
            if let Some(r) = chart.secret_refs().iter().find(|r| r.env == env) {
                let secret_name = format!("{name}{}", r.suffix);
                plain.set_path(
                    r.name_path,
                    Node::Str(secret_name.clone()),
                    Some("an existing Secret (see the key list tusk printed)"),
                );
                if !r.key_path.is_empty() {
                    plain.set_path(r.key_path, Node::Str(r.key.to_string()), Some(env));
                }
                required.insert(RequiredKey {
                    secret: secret_name,
                    key: r.key.to_string(),
                    env: env.to_string(),
                });
                referenced = true;
            }
        }
        let Some(m) = chart.mapping(env) else {
            unmapped.push(env.to_string());
            match (secret_var, &opts.target) {
                (false, _) => {
                    extra_plain.insert(env.to_string(), value.clone());
                }
                (true, SecretsTarget::File) => {
                    extra_secret.insert(env.to_string(), value.clone());
                }
                (true, SecretsTarget::Existing(_)) => dropped_secrets.push(env.to_string()),
            }
            continue;
        };
        mapped += 1;
        for (path, on) in m.also {
            plain.set_path(path, Node::Bool(*on), Some(&format!("needed by {}", m.env)));
        }
        match m.kind {
            Kind::Fixed(fixed) => {
                if value != fixed {
                    warnings.push(format!(
                        "{env}={value:?} is ignored: the {chart} chart always sets {env}={fixed:?}"
                    ));
                }
                continue;
            }
            Kind::Implied => continue,
            Kind::SecretOnly => {
                if !referenced {
                    warnings.push(format!(
                        "{env} is not written: the {chart} chart reads it only from an existing Secret ({}); use --existing-secret",
                        m.note.trim_start_matches("read only from ")
                    ));
                }
                continue;
            }
            _ => {}
        }
        let mut node = convert(m.kind, env, value, &mut warnings);
        if let Kind::Host { tls } = m.kind {
            let (host, on) = match value.strip_prefix("https://") {
                Some(h) => (h, true),
                None => (value.strip_prefix("http://").unwrap_or(value), false),
            };
            node = Node::Str(host.to_string());
            plain.set_path(tls, Node::Bool(on), Some(&format!("from {env}'s scheme")));
        }
        if !secret_var {
            plain.set_path(m.path, node, Some(&from_comment(m)));
        } else if referenced {
            // The value lives in the existing Secret only.
        } else if opts.target == SecretsTarget::File {
            secret.set_path(m.path, node, Some(&from_comment(m)));
        } else {
            dropped_secrets.push(env.to_string());
        }
    }

    // Chart-wide settings the generated file depends on.
    match chart {
        Chart::Classic => {
            if !has("ES_HOST") {
                plain.set_path(
                    "elasticsearch.enabled",
                    Node::Bool(false),
                    Some("no ES_HOST: the bundled Elasticsearch stays off"),
                );
            }
        }
        Chart::Next => {
            if value_of("S3_ENABLED") != Some("true") {
                plain.set_path(
                    "mastodon.s3.enabled",
                    Node::Bool(false),
                    Some("S3_ENABLED is not true: media go to volumes"),
                );
                plain.set_path(
                    "mastodon.pvc.enabled",
                    Node::Bool(true),
                    Some("the chart needs either S3 or volumes"),
                );
            }
            let replica: Vec<&str> = ["REPLICA_DB_USER", "REPLICA_DB_PASS"]
                .into_iter()
                .filter(|v| has(v))
                .collect();
            if opts.target == SecretsTarget::File && !replica.is_empty() {
                warnings.push(format!(
                    "{} reach no pod: the next chart reads them only from postgresql.readReplica.existingSecret; use --existing-secret",
                    replica.join(", ")
                ));
            }
        }
    }

    let extra = chart.extra_env_path();
    if !extra_plain.is_empty() {
        let mut m = Map::new();
        for (k, v) in &extra_plain {
            m.insert(k, Node::Str(v.clone()));
        }
        plain.set_path(
            extra,
            Node::Map(m),
            Some("variables without a chart value of their own"),
        );
    }
    if !extra_secret.is_empty() {
        let mut m = Map::new();
        for (k, v) in &extra_secret {
            m.insert(k, Node::Str(v.clone()));
        }
        secret.set_path(
            extra,
            Node::Map(m),
            Some("secret variables without a chart value of their own;\nthe chart renders these into its ConfigMap, not a Secret"),
        );
    }

    if !unmapped.is_empty() {
        let mut names = unmapped.clone();
        names.sort();
        warnings.push(format!(
            "{} variable(s) have no {chart} chart value and go to {extra}: {}",
            names.len(),
            names.join(", ")
        ));
    }
    if !extra_secret.is_empty() {
        warnings.push(format!(
            "secret variable(s) {} have no chart value; they are in the secrets file under {extra}, which the chart renders into a ConfigMap",
            extra_secret.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if !dropped_secrets.is_empty() {
        warnings.push(format!(
            "secret variable(s) {} are not written: the {chart} chart cannot read them from an existing Secret",
            dropped_secrets.join(", ")
        ));
    }

    let mut header = vec![
        format!(
            "Values for {}, generated by `tusk values from-env {}`.",
            chart.source(),
            opts.source
        ),
        "Comments name the variable each value came from.".to_string(),
    ];
    match &opts.target {
        SecretsTarget::File => {
            header.push("Secret values are in a separate file; pass both with -f.".to_string())
        }
        SecretsTarget::Existing(name) => header.push(format!(
            "Secret values are read from the existing Secret {name:?} (and the Secrets named after it)."
        )),
    }
    let values = yaml::emit(&header, &plain);
    let secrets = (opts.target == SecretsTarget::File && !secret.is_empty()).then(|| {
        yaml::emit(
            &[
                format!(
                    "Secret values for {}, generated by `tusk values from-env {}`.",
                    chart.source(),
                    opts.source
                ),
                "Keep this file out of version control.".to_string(),
            ],
            &secret,
        )
    });
    FromEnv {
        values,
        secrets,
        required_keys: required.into_iter().collect(),
        unmapped,
        mapped,
        warnings,
    }
}
