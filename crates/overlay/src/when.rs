//! `when` conditions: apply an overlay, target or resource only for some
//! charts (name glob, semver constraint on the version) or values.

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::glob;

/// A condition; every field given must hold.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct When {
    /// Glob on the chart's name.
    #[serde(default)]
    pub chart: Option<String>,
    /// Semver constraint on the chart's version, e.g. `>=5.0.0 <7` or
    /// `^6.0 || ^7.0` (Masterminds style: spaces or commas separate ANDed
    /// comparators, `||` separates alternatives).
    #[serde(default)]
    pub version: Option<String>,
    /// Values that must equal the given ones; keys are dotted paths
    /// (`otel.enabled`).
    #[serde(default)]
    pub values: serde_json::Map<String, Value>,
    /// Dotted value paths that must be set (present and not null).
    #[serde(default)]
    pub values_set: Vec<String>,
    /// Dotted value paths that must be unset (absent or null).
    #[serde(default)]
    pub values_unset: Vec<String>,
}

/// What a condition is evaluated against.
#[derive(Debug, Clone, Default)]
pub struct ChartInfo {
    /// `name` from Chart.yaml.
    pub name: String,
    /// `version` from Chart.yaml.
    pub version: String,
    /// `appVersion` from Chart.yaml.
    pub app_version: Option<String>,
}

/// Looks up a dotted path (`a.b.c`) in values.
pub fn lookup<'a>(values: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = values;
    for part in path.split('.') {
        cur = cur.as_object()?.get(part)?;
    }
    Some(cur)
}

impl When {
    /// Whether the condition holds.
    pub fn holds(&self, chart: &ChartInfo, values: &Value) -> Result<bool> {
        if let Some(g) = &self.chart {
            if !glob::matches(g, &chart.name) {
                return Ok(false);
            }
        }
        if let Some(c) = &self.version {
            if !version_matches(c, &chart.version)? {
                return Ok(false);
            }
        }
        for (path, want) in &self.values {
            if lookup(values, path) != Some(want) {
                return Ok(false);
            }
        }
        for path in &self.values_set {
            if matches!(lookup(values, path), None | Some(Value::Null)) {
                return Ok(false);
            }
        }
        for path in &self.values_unset {
            if !matches!(lookup(values, path), None | Some(Value::Null)) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Checks `version` against a Masterminds-style constraint.
pub fn version_matches(constraint: &str, version: &str) -> Result<bool> {
    let v = semver::Version::parse(version.trim_start_matches('v')).map_err(|e| {
        Error::new(
            ErrorKind::Condition,
            format!("chart version {version:?} is not semver: {e}"),
        )
    })?;
    for alt in constraint.split("||") {
        let comparators: Vec<String> = split_comparators(alt);
        if comparators.is_empty() {
            return Err(Error::new(
                ErrorKind::Condition,
                format!("empty version constraint in {constraint:?}"),
            ));
        }
        let req = semver::VersionReq::parse(&comparators.join(", ")).map_err(|e| {
            Error::new(
                ErrorKind::Condition,
                format!("bad version constraint {constraint:?}: {e}"),
            )
        })?;
        if req.matches(&v) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Splits `>= 1.2, <2` / `>=1.2 <2` into comparators, gluing an operator
/// written apart from its version back on.
fn split_comparators(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pending_op = String::new();
    for tok in s.split(|c: char| c == ',' || c.is_whitespace()) {
        if tok.is_empty() {
            continue;
        }
        if tok.chars().all(|c| "<>=~^!".contains(c)) {
            pending_op.push_str(tok);
            continue;
        }
        out.push(format!("{pending_op}{}", tok.trim_start_matches('v')));
        pending_op.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints() {
        assert!(version_matches(">=5.0.0 <7", "6.2.1").unwrap());
        assert!(!version_matches(">=5.0.0 <7", "7.0.0").unwrap());
        assert!(version_matches("^4 || >= 6", "6.0.0").unwrap());
        assert!(version_matches(">= 6.0.0, < 6.1", "6.0.3").unwrap());
        assert!(version_matches("<1", "1.2.3").is_ok());
        assert_eq!(
            version_matches("banana", "1.0.0").unwrap_err().kind(),
            ErrorKind::Condition
        );
    }

    #[test]
    fn values() {
        let w: When = serde_json::from_value(serde_json::json!({
            "chart": "masto*", "values": {"otel.enabled": true}, "valuesUnset": ["x"]
        }))
        .unwrap();
        let chart = ChartInfo {
            name: "mastodon".into(),
            version: "6.0.0".into(),
            app_version: None,
        };
        assert!(
            w.holds(&chart, &serde_json::json!({"otel": {"enabled": true}}))
                .unwrap()
        );
        assert!(
            !w.holds(&chart, &serde_json::json!({"otel": {"enabled": false}}))
                .unwrap()
        );
    }
}
