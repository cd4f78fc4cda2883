//! Semantic versions and ranges as helm uses them (Masterminds semver v3),
//! for dependency ranges and `kubeVersion`. The implementation is
//! `tusk_funcs::semver` (the one behind `semverCompare`), so every version
//! check in tusk agrees with helm in the same way.

pub use tusk_funcs::semver::{Constraints, Version};

/// helm's `IsCompatibleRange`: false when either side does not parse. Helm
/// 4 (Masterminds/semver 3.4, [`crate::compat::current`]) judges
/// pre-release versions per `||` alternative instead of per comparator.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Constraints::parse(constraint), Version::parse(version)) {
        (Ok(c), Ok(v)) if crate::compat::current().is_v4() => c.check_per_alternative(&v),
        (Ok(c), Ok(v)) => c.check(&v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm4_prereleases_by_alternative() {
        let v4 = |c: &str, v: &str| {
            crate::compat::scoped(crate::HelmCompat::V4, || is_compatible_range(c, v))
        };
        assert!(is_compatible_range("!=1.2.3", "1.2.3-beta.1"));
        assert!(!v4("!=1.2.3", "1.2.3-beta.1"));
        assert!(!is_compatible_range("1.2.3-beta.0 - 1.2.4", "1.2.3-beta.1"));
        assert!(v4("1.2.3-beta.0 - 1.2.4", "1.2.3-beta.1"));
        assert!(v4(">=1.0.0", "1.2.3"));
        assert!(!v4(">=1.0.0", "1.2.3-beta.1"));
    }

    #[test]
    fn ranges() {
        assert!(is_compatible_range("^1.2.0", "1.9.3"));
        assert!(!is_compatible_range("^1.2.0", "2.0.0"));
        assert!(is_compatible_range("~1.2.3", "1.2.9"));
        assert!(!is_compatible_range("~1.2.3", "1.3.0"));
        assert!(is_compatible_range("1.x", "1.5.0"));
        assert!(is_compatible_range("*", "3.0.0"));
        assert!(is_compatible_range(">= 1.2, < 2", "1.4.0"));
        assert!(is_compatible_range("<1 || >=3", "3.1.0"));
        assert!(is_compatible_range("1.0 - 2.0", "2.0.5"));
        assert!(!is_compatible_range("1.0 - 2.0", "2.1.0"));
        assert!(is_compatible_range(">=1.20.0-0", "v1.32.0"));
        assert!(!is_compatible_range(">=1.20.0", "1.32.0-beta.1"));
        assert!(is_compatible_range("1.2.3", "1.2.3"));
        assert!(!is_compatible_range("bogus", "1.2.3"));
        assert!(!is_compatible_range("1.2.3-beta.0 - 1.2.4", "1.2.3-beta.1"));
        assert!(is_compatible_range("!=1.2.3", "1.2.3-beta.1"));
    }
}
