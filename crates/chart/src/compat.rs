//! Which helm major version tusk reproduces. helm 3 (3.17.2) is the
//! default; helm 4 (4.1.4) differs in defaults (Kubernetes version, API
//! versions), in how it logs (`log/slog` lines instead of `file.go:LINE`)
//! and in the wording of several errors.

use std::str::FromStr;

/// The helm whose `helm template` output tusk reproduces byte for byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HelmCompat {
    /// helm v3.17.2 (the default).
    #[default]
    V3,
    /// helm v4.1.4.
    V4,
}

impl HelmCompat {
    /// The major version number (`3` or `4`).
    pub fn major(self) -> u8 {
        match self {
            HelmCompat::V3 => 3,
            HelmCompat::V4 => 4,
        }
    }

    /// The compat mode for a major version number, if tusk has one.
    pub fn from_major(major: u64) -> Option<HelmCompat> {
        match major {
            3 => Some(HelmCompat::V3),
            4 => Some(HelmCompat::V4),
            _ => None,
        }
    }

    /// True for helm 4.
    pub fn is_v4(self) -> bool {
        self == HelmCompat::V4
    }
}

impl std::fmt::Display for HelmCompat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.major())
    }
}

/// Why a `--helm-compat` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported helm compatibility {0:?}: expected 3 or 4")]
pub struct UnknownHelmCompat(pub String);

impl FromStr for HelmCompat {
    type Err = UnknownHelmCompat;

    /// Accepts `3`, `4`, `v3`, `v4`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
        t.parse::<u64>()
            .ok()
            .and_then(HelmCompat::from_major)
            .ok_or_else(|| UnknownHelmCompat(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_major_versions() {
        assert_eq!("4".parse::<HelmCompat>().unwrap(), HelmCompat::V4);
        assert_eq!("v3".parse::<HelmCompat>().unwrap(), HelmCompat::V3);
        assert!("5".parse::<HelmCompat>().is_err());
        assert!("".parse::<HelmCompat>().is_err());
        assert_eq!(HelmCompat::default(), HelmCompat::V3);
        assert_eq!(HelmCompat::V4.to_string(), "4");
    }

    #[test]
    fn scoped_sets_and_restores() {
        assert_eq!(current(), HelmCompat::V3);
        let inner = scoped(HelmCompat::V4, current);
        assert_eq!(inner, HelmCompat::V4);
        assert_eq!(current(), HelmCompat::V3);
    }
}

thread_local! {
    static CURRENT: std::cell::Cell<HelmCompat> = const { std::cell::Cell::new(HelmCompat::V3) };
}

/// The helm reproduced by chart code running on this thread (set by
/// [`scoped`]; helm 3 otherwise). Thread-local like [`crate::log`], so the
/// loading and coalescing functions keep helm's signatures.
pub fn current() -> HelmCompat {
    CURRENT.with(|c| c.get())
}

/// Runs `f` with [`current`] returning `compat`, restoring the previous
/// setting afterwards (also when `f` panics).
pub fn scoped<T>(compat: HelmCompat, f: impl FnOnce() -> T) -> T {
    struct Restore(HelmCompat);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.replace(compat)));
    f()
}
