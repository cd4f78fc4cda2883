//! Chart version constraints in helm's (Masterminds semver) syntax, using
//! the same implementation as `semverCompare` (`tusk_funcs::semver`).

use tusk_funcs::semver::{Constraints, Version};

use super::SourceError;

/// A parsed `--version` constraint.
#[derive(Debug, Clone)]
pub struct VersionConstraint {
    text: String,
    constraints: Constraints,
}

/// A chart version, read leniently as helm does (`v1.2`, `1.2` → 1.2.0).
pub fn parse_version(v: &str) -> Option<Version> {
    Version::parse(v).ok()
}

impl VersionConstraint {
    /// Parses a constraint; an exact version is a constraint too.
    pub fn parse(text: &str) -> Result<Self, SourceError> {
        let constraints = Constraints::parse(text).map_err(|e| {
            SourceError::Invalid(format!("invalid version constraint {text:?}: {e}"))
        })?;
        Ok(VersionConstraint {
            text: text.to_string(),
            constraints,
        })
    }

    /// Whether `version` satisfies the constraint.
    pub fn matches(&self, version: &Version) -> bool {
        self.constraints.check(version)
    }

    /// The constraint as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// The newest of `versions` that satisfies `constraint` (the newest stable
/// one without a constraint), with its item.
pub fn newest<'a, T>(
    versions: impl IntoIterator<Item = (&'a str, T)>,
    constraint: Option<&VersionConstraint>,
) -> Option<(Version, T)> {
    versions
        .into_iter()
        .filter_map(|(v, item)| parse_version(v).map(|v| (v, item)))
        .filter(|(v, _)| match constraint {
            Some(c) => c.matches(v),
            None => v.prerelease().is_empty(),
        })
        .max_by(|a, b| a.0.compare(&b.0))
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
    fn newest_picks_by_precedence() {
        let list = [
            ("0.3.0", 'a'),
            ("0.10.0", 'b'),
            ("1.0.0-rc.1", 'c'),
            ("bad", 'd'),
        ];
        assert_eq!(newest(list, None).unwrap().1, 'b');
        let c = VersionConstraint::parse(">=1.0.0-0").unwrap();
        assert_eq!(newest(list, Some(&c)).unwrap().1, 'c');
    }

    #[test]
    fn lenient_versions() {
        assert_eq!(parse_version("v1.2").unwrap().to_string(), "1.2.0");
        assert_eq!(parse_version("1").unwrap().to_string(), "1.0.0");
        assert!(parse_version("one").is_none());
        assert!(VersionConstraint::parse("||").is_err());
        assert!(VersionConstraint::parse(">=banana").is_err());
    }
}
