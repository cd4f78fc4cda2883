//! Values files for the Mastodon charts: `.env` parsing, generation from a
//! docker-compose `.env`, starter values with fresh secrets, classic → next
//! migration (re-exported from the `tusk-values` crate), and the two
//! questions that need a loaded chart — the effective values with their
//! origins ([`effective_values`]) and keys the chart never uses
//! ([`check_values`]) — answered here with `tusk-chart`'s loader and
//! helm's values coalescing.

pub use tusk_values::ValuesError;
pub use tusk_values::dotenv;
pub use tusk_values::from_env::{
    FromEnv, Options as FromEnvOptions, RequiredKey, SecretsTarget, from_env,
};
pub use tusk_values::init::{Secrets, generate as generate_secrets, init};
pub use tusk_values::mapping::{
    Chart as MastodonChart, Kind as MappingKind, Mapping, SECRET_KEYS, SecretRef,
};
pub use tusk_values::migrate::{Migrated, Note as MigrateNote, migrate};

// ---- effective / check: glue between tusk-chart and tusk-values ----

use std::path::PathBuf;

use tusk_chart::values::{SetKind as ChartSetKind, UserValues};
use tusk_chart::{Chart as LoadedChart, Value};
use tusk_values::check::{ChartKeys, Unknown};
use tusk_values::effective::Source;
use tusk_values::yaml::{Map as YamlMap, Node};

use crate::SetKind;

/// The values-related flags of `helm template`, for [`effective_values`]
/// and [`check_values`].
#[derive(Debug, Clone, Default)]
pub struct ValuesRequest {
    /// A chart directory or `.tgz` archive.
    pub chart: PathBuf,
    /// `-f` files in order (`-` is standard input).
    pub files: Vec<String>,
    /// `--set*` flags, in command-line order.
    pub sets: Vec<(SetKind, String)>,
}

/// What [`effective_values`] produces.
#[derive(Debug, Clone)]
pub struct Effective {
    /// The coalesced values as YAML, each leaf commented with its origin.
    pub yaml: String,
    /// helm's warnings while coalescing.
    pub warnings: Vec<String>,
}

/// A key nobody reads, and who set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// The key and the suggestion.
    pub unknown: Unknown,
    /// The `-f` file or `--set` flag that set it.
    pub origin: String,
}

fn chart_kind(k: SetKind) -> ChartSetKind {
    match k {
        SetKind::Json => ChartSetKind::Json,
        SetKind::Set => ChartSetKind::Set,
        SetKind::String => ChartSetKind::String,
        SetKind::File => ChartSetKind::File,
        SetKind::Literal => ChartSetKind::Literal,
    }
}

fn flag(k: SetKind) -> &'static str {
    match k {
        SetKind::Json => "--set-json",
        SetKind::Set => "--set",
        SetKind::String => "--set-string",
        SetKind::File => "--set-file",
        SetKind::Literal => "--set-literal",
    }
}

fn node(v: &Value) -> Node {
    match v {
        Value::Nil => Node::Null,
        Value::Bool(b) => Node::Bool(*b),
        Value::Int(i) => Node::Int(*i),
        // Values files give every number as a float; whole ones read better as integers.
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Node::Int(*f as i64),
        Value::Float(f) => Node::Float(*f),
        Value::String(s) => Node::Str(s.to_string()),
        Value::Bytes(b) => Node::Str(String::from_utf8_lossy(b).into_owned()),
        Value::List(l) => Node::Seq(l.iter().map(node).collect()),
        Value::Map(m) => Node::Map(map_node(m)),
        Value::Object(_) => Node::Null,
    }
}

fn map_node(m: &tusk_chart::Map) -> YamlMap {
    let mut out = YamlMap::new();
    for (k, v) in m.entries() {
        out.insert(&k, node(&v));
    }
    out
}

fn chart_err(e: impl std::fmt::Display) -> ValuesError {
    ValuesError::Chart(e.to_string())
}

impl ValuesRequest {
    /// Standard input, read once when a `-f -` needs it (every merge below
    /// sees the same bytes).
    fn stdin(&self) -> Result<Option<Vec<u8>>, ValuesError> {
        if !self.files.iter().any(|f| f.trim() == "-") {
            return Ok(None);
        }
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(chart_err)?;
        Ok(Some(buf))
    }

    fn user(&self, stdin: &Option<Vec<u8>>) -> UserValues {
        UserValues {
            files: self.files.clone(),
            sets: self
                .sets
                .iter()
                .map(|(k, e)| (chart_kind(*k), e.clone()))
                .collect(),
            stdin: stdin.clone(),
        }
    }

    /// Each source on its own, in helm's order of precedence.
    fn sources(&self, stdin: &Option<Vec<u8>>) -> Result<Vec<Source>, ValuesError> {
        let mut out = Vec::new();
        for f in &self.files {
            let one = UserValues {
                files: vec![f.clone()],
                sets: vec![],
                stdin: stdin.clone(),
            };
            out.push(Source {
                label: format!("-f {f}"),
                tree: map_node(&one.merge().map_err(chart_err)?),
            });
        }
        for kind in [
            SetKind::Json,
            SetKind::Set,
            SetKind::String,
            SetKind::File,
            SetKind::Literal,
        ] {
            for (_, e) in self.sets.iter().filter(|(k, _)| *k == kind) {
                let one = UserValues {
                    files: vec![],
                    sets: vec![(chart_kind(kind), e.clone())],
                    stdin: stdin.clone(),
                };
                out.push(Source {
                    label: format!("{} {e}", flag(kind)),
                    tree: map_node(&one.merge().map_err(chart_err)?),
                });
            }
        }
        Ok(out)
    }
}

/// The values helm would render `req.chart` with — user values coalesced
/// over the chart's and subcharts' defaults — each leaf commented with where
/// it came from (`chart default`, `-f FILE`, `--set EXPR`).
pub fn effective_values(req: &ValuesRequest) -> Result<Effective, ValuesError> {
    let stdin = req.stdin()?;
    let user = req.user(&stdin).merge().map_err(chart_err)?;
    let mut chart = tusk_chart::load(&req.chart).map_err(chart_err)?;
    tusk_chart::log::take();
    tusk_chart::process_dependencies(&mut chart, &user).map_err(chart_err)?;
    let values = tusk_chart::coalesce_values(&chart, &user).map_err(chart_err)?;
    let warnings = tusk_chart::log::take();
    let sources = req.sources(&stdin)?;
    let header = vec![format!(
        "Effective values of {} {}, each leaf with its origin.",
        chart.metadata.name, chart.metadata.version
    )];
    Ok(Effective {
        yaml: tusk_values::effective::render(&map_node(&values), &sources, &header),
        warnings,
    })
}

fn collect_keys(chart: &LoadedChart, prefix: &str, keys: &mut ChartKeys) {
    keys.declare(prefix, &map_node(&chart.values));
    for t in &chart.templates {
        keys.scan_template(prefix, &String::from_utf8_lossy(&t.data));
    }
    for dep in &chart.dependencies {
        // A library's helpers run with the including chart's values.
        if dep.is_library() {
            for t in &dep.templates {
                keys.scan_template(prefix, &String::from_utf8_lossy(&t.data));
            }
        }
        let mut names: Vec<&str> = chart
            .metadata
            .dependencies
            .iter()
            .flatten()
            .filter(|d| d.name == dep.name())
            .map(|d| {
                if d.alias.is_empty() {
                    d.name.as_str()
                } else {
                    d.alias.as_str()
                }
            })
            .collect();
        if names.is_empty() {
            names.push(dep.name());
        }
        for name in names {
            let sub = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}.{name}")
            };
            collect_keys(dep, &sub, keys);
        }
    }
}

/// Keys the user sets (with `-f` and `--set*`) that neither the chart nor
/// its subcharts declare in their defaults or read in their templates.
pub fn check_values(req: &ValuesRequest) -> Result<Vec<UnknownKey>, ValuesError> {
    let stdin = req.stdin()?;
    let user = req.user(&stdin).merge().map_err(chart_err)?;
    let chart = tusk_chart::load(&req.chart).map_err(chart_err)?;
    let mut keys = ChartKeys::new();
    collect_keys(&chart, "", &mut keys);
    let sources = req.sources(&stdin)?;
    Ok(keys
        .check(&map_node(&user))
        .into_iter()
        .map(|unknown| {
            let parts: Vec<&str> = unknown.path.split('.').collect();
            let origin = sources
                .iter()
                .rev()
                .find(|s| s.tree.get_path(&parts.join(".")).is_some())
                .map_or_else(String::new, |s| s.label.clone());
            UnknownKey { unknown, origin }
        })
        .collect())
}

/// [`migrate`] reading the file with helm's own YAML rules (`tusk-chart`),
/// so every file helm accepts — duplicate keys included — migrates.
pub fn migrate_values(text: &str, origin: &str) -> Result<Migrated, ValuesError> {
    let parsed =
        tusk_chart::parse_values(text.as_bytes()).map_err(|message| ValuesError::Yaml {
            origin: origin.to_string(),
            message,
        })?;
    Ok(tusk_values::migrate::migrate_map(
        &map_node(&parsed),
        origin,
    ))
}
