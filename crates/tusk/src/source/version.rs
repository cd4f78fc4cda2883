//! Chart version constraints in helm's (Masterminds semver) syntax, mapped
//! onto the `semver` crate: `||` alternatives, space- or comma-separated
//! comparators, hyphen ranges, `v` prefixes and partial versions.

use super::SourceError;

/// A parsed `--version` constraint.
#[derive(Debug, Clone)]
pub struct VersionConstraint {
    text: String,
    alternatives: Vec<semver::VersionReq>,
}

/// A chart version, read leniently as helm does (`v1.2`, `1.2` → 1.2.0).
pub fn parse_version(v: &str) -> Option<semver::Version> {
    let v = v.trim().trim_start_matches('v');
    if let Ok(parsed) = semver::Version::parse(v) {
        return Some(parsed);
    }
    // Pad partial versions: split off pre-release/build first.
    let cut = v.find(['-', '+']).unwrap_or(v.len());
    let (core, rest) = v.split_at(cut);
    let parts = core.split('.').count();
    if parts == 0 || parts > 3 {
        return None;
    }
    let padded = format!("{core}{}{rest}", ".0".repeat(3 - parts));
    semver::Version::parse(&padded).ok()
}

impl VersionConstraint {
    /// Parses a constraint; an exact version is a constraint too.
    pub fn parse(text: &str) -> Result<Self, SourceError> {
        let bad =
            |why: &str| SourceError::Invalid(format!("invalid version constraint {text:?}: {why}"));
        let mut alternatives = Vec::new();
        for alt in text.split("||") {
            let alt = alt.trim();
            if alt.is_empty() {
                return Err(bad("empty alternative"));
            }
            let req = if let Some((lo, hi)) = alt.split_once(" - ") {
                format!(">={}, <={}", lo.trim(), hi.trim())
            } else {
                join_comparators(alt)
            };
            let req = req.replace(">=v", ">=").replace("<=v", "<=");
            // A bare exact version means "=" in helm, not semver's default "^".
            let req = match parse_version(&req) {
                Some(v) if !req.contains(['*', 'x', 'X']) => format!("={v}"),
                _ => req,
            };
            alternatives.push(semver::VersionReq::parse(&req).map_err(|e| bad(&e.to_string()))?);
        }
        Ok(VersionConstraint {
            text: text.to_string(),
            alternatives,
        })
    }

    /// Whether `version` satisfies the constraint.
    pub fn matches(&self, version: &semver::Version) -> bool {
        self.alternatives.iter().any(|r| r.matches(version))
    }

    /// The constraint as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// `>=1.2 <2` → `>=1.2, <2` (Masterminds allows spaces between comparators).
fn join_comparators(alt: &str) -> String {
    let mut out = String::new();
    for tok in alt.split([' ', ',']).filter(|t| !t.is_empty()) {
        if !out.is_empty() && !out.ends_with(['>', '<', '=', '~', '^']) {
            out.push_str(", ");
        }
        out.push_str(tok.trim_start_matches('v'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(c: &str, v: &str) -> bool {
        VersionConstraint::parse(c)
            .unwrap()
            .matches(&parse_version(v).unwrap())
    }

    #[test]
    fn helm_style_constraints() {
        assert!(ok("6.2.0", "6.2.0"));
        assert!(!ok("6.2.0", "6.2.1"));
        assert!(ok("^6.2", "6.9.3"));
        assert!(!ok("^6.2", "7.0.0"));
        assert!(ok("~6.2", "6.2.9"));
        assert!(!ok("~6.2", "6.3.0"));
        assert!(ok(">=6 <7", "6.5.0"));
        assert!(ok(">= 6, < 7", "6.5.0"));
        assert!(!ok(">=6 <7", "7.0.0"));
        assert!(ok("5.x || 6.x", "5.1.0"));
        assert!(ok("6.1 - 6.3", "6.2.5"));
        assert!(!ok("6.1 - 6.3", "6.4.0"));
        assert!(ok("v6.2.0", "6.2.0"));
        // Pre-releases only match constraints that name one.
        assert!(!ok(">=6", "7.0.0-rc.1"));
        assert!(ok(">=7.0.0-rc.0", "7.0.0-rc.1"));
    }

    #[test]
    fn lenient_versions() {
        assert_eq!(parse_version("v1.2").unwrap().to_string(), "1.2.0");
        assert_eq!(parse_version("1").unwrap().to_string(), "1.0.0");
        assert_eq!(parse_version("1.2-rc.1").unwrap().to_string(), "1.2.0-rc.1");
        assert!(parse_version("one").is_none());
        assert!(VersionConstraint::parse("||").is_err());
        assert!(VersionConstraint::parse(">=banana").is_err());
    }
}
