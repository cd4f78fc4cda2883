//! Semantic versions and ranges as helm uses them (Masterminds semver v3):
//! lenient versions (`v1`, `1.2`), and constraints with `=`, `!=`, `<`,
//! `<=`, `>`, `>=`, `~`, `^`, wildcards (`1.2.x`, `*`), hyphen ranges,
//! `,`/space for "and" and `||` for "or". Used to match dependencies to the
//! subcharts present and for `kubeVersion`.

use std::cmp::Ordering;

/// A parsed version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
    /// Pre-release (without `-`), empty when none.
    pub pre: String,
}

impl Version {
    /// Parses leniently, as Masterminds' `NewVersion`.
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let s = s.split_once('+').map(|(a, _)| a).unwrap_or(s);
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) => (c, p.to_string()),
            None => (s, String::new()),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        let mut nums = [0u64; 3];
        for (i, p) in parts.iter().enumerate() {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            nums[i] = p.parse().ok()?;
        }
        if !pre.is_empty()
            && !pre.split('.').all(|id| {
                !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
        {
            return None;
        }
        Some(Version {
            major: nums[0],
            minor: nums[1],
            patch: nums[2],
            pre,
        })
    }

    fn cmp_core(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| cmp_pre(&self.pre, &o.pre))
    }
}

fn cmp_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => {
            let mut ai = a.split('.');
            let mut bi = b.split('.');
            loop {
                match (ai.next(), bi.next()) {
                    (None, None) => return Ordering::Equal,
                    (None, Some(_)) => return Ordering::Less,
                    (Some(_), None) => return Ordering::Greater,
                    (Some(x), Some(y)) => {
                        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                            (Ok(p), Ok(q)) => p.cmp(&q),
                            (Ok(_), Err(_)) => Ordering::Less,
                            (Err(_), Ok(_)) => Ordering::Greater,
                            (Err(_), Err(_)) => x.cmp(y),
                        };
                        if o != Ordering::Equal {
                            return o;
                        }
                    }
                }
            }
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_core(other)
    }
}

/// One bound: a version where parts may be wildcards (`None`).
#[derive(Debug, Clone)]
struct Partial {
    major: Option<u64>,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: String,
}

impl Partial {
    fn parse(s: &str) -> Option<Partial> {
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let s = s.split_once('+').map(|(a, _)| a).unwrap_or(s);
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) => (c, p.to_string()),
            None => (s, String::new()),
        };
        let mut out = [None; 3];
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() > 3 || core.is_empty() {
            return None;
        }
        for (i, p) in parts.iter().enumerate() {
            out[i] = match *p {
                "x" | "X" | "*" => None,
                p if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                    Some(p.parse().ok()?)
                }
                _ => return None,
            };
            if out[i].is_none() {
                break;
            }
        }
        Some(Partial {
            major: out[0],
            minor: out[1],
            patch: out[2],
            pre,
        })
    }

    fn floor(&self) -> Version {
        Version {
            major: self.major.unwrap_or(0),
            minor: self.minor.unwrap_or(0),
            patch: self.patch.unwrap_or(0),
            pre: self.pre.clone(),
        }
    }

    fn v(major: u64, minor: u64, patch: u64) -> Version {
        Version {
            major,
            minor,
            patch,
            pre: String::new(),
        }
    }
}

/// `[lo, hi)` style checks built from one comparator.
#[derive(Debug, Clone)]
enum Check {
    Any,
    Ge(Version),
    Gt(Version),
    Lt(Version),
    Le(Version),
    Eq(Version),
    Ne(Version),
    Range(Version, Version),
    Outside(Version, Version),
}

impl Check {
    fn ok(&self, v: &Version) -> bool {
        match self {
            Check::Any => true,
            Check::Ge(b) => v >= b,
            Check::Gt(b) => v > b,
            Check::Lt(b) => v < b,
            Check::Le(b) => v <= b,
            Check::Eq(b) => v == b,
            Check::Ne(b) => v != b,
            Check::Range(lo, hi) => v >= lo && v < hi,
            Check::Outside(lo, hi) => v < lo || v >= hi,
        }
    }
}

/// A parsed constraint: alternatives (`||`) of conjunctions.
#[derive(Debug, Clone)]
pub struct Constraint {
    alternatives: Vec<Vec<(Check, bool, bool)>>,
}

/// The exclusive upper bound for a partial version given as `=1.2` etc.
fn wildcard_range(p: &Partial) -> Check {
    match (p.major, p.minor, p.patch) {
        (None, _, _) => Check::Any,
        (Some(m), None, _) => Check::Range(Partial::v(m, 0, 0), Partial::v(m + 1, 0, 0)),
        (Some(m), Some(n), None) => Check::Range(Partial::v(m, n, 0), Partial::v(m, n + 1, 0)),
        _ => Check::Eq(p.floor()),
    }
}

fn comparator(op: &str, ver: &str) -> Option<Check> {
    let p = Partial::parse(ver)?;
    let f = p.floor();
    Some(match op {
        "" | "=" => wildcard_range(&p),
        "!=" => match wildcard_range(&p) {
            Check::Range(a, b) => Check::Outside(a, b),
            Check::Eq(v) => Check::Ne(v),
            Check::Any => Check::Ne(Partial::v(u64::MAX, 0, 0)),
            other => other,
        },
        ">" => match (p.major, p.minor, p.patch) {
            (Some(m), None, _) => Check::Ge(Partial::v(m + 1, 0, 0)),
            (Some(m), Some(n), None) => Check::Ge(Partial::v(m, n + 1, 0)),
            _ => Check::Gt(f),
        },
        ">=" | "=>" => Check::Ge(f),
        "<" => Check::Lt(f),
        "<=" | "=<" => match (p.major, p.minor, p.patch) {
            (Some(m), None, _) => Check::Lt(Partial::v(m + 1, 0, 0)),
            (Some(m), Some(n), None) => Check::Lt(Partial::v(m, n + 1, 0)),
            _ => Check::Le(f),
        },
        "~" | "~>" => match (p.major, p.minor) {
            (None, _) => Check::Any,
            (Some(m), None) => Check::Range(f, Partial::v(m + 1, 0, 0)),
            (Some(m), Some(n)) => Check::Range(f, Partial::v(m, n + 1, 0)),
        },
        "^" => match (p.major, p.minor, p.patch) {
            (None, _, _) => Check::Any,
            (Some(0), None, _) => Check::Lt(Partial::v(1, 0, 0)),
            (Some(0), Some(0), None) => Check::Lt(Partial::v(0, 1, 0)),
            (Some(0), Some(0), Some(z)) => Check::Range(f, Partial::v(0, 0, z + 1)),
            (Some(0), Some(n), _) => Check::Range(f, Partial::v(0, n + 1, 0)),
            (Some(m), _, _) => Check::Range(f, Partial::v(m + 1, 0, 0)),
        },
        _ => return None,
    })
}

impl Constraint {
    /// Parses a range; `None` when it is not valid.
    pub fn parse(s: &str) -> Option<Constraint> {
        let mut alternatives = Vec::new();
        for alt in s.split("||") {
            let alt = alt.trim();
            let mut checks = Vec::new();
            // Hyphen ranges: "1.2 - 1.4".
            let tokens: Vec<String> = alt
                .replace(',', " ")
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let mut i = 0;
            // Glue operators written apart from their version (">= 1.2").
            let mut merged: Vec<String> = Vec::new();
            while i < tokens.len() {
                let t = &tokens[i];
                if t.chars().all(|c| "<>=!~^".contains(c)) && i + 1 < tokens.len() {
                    merged.push(format!("{t}{}", tokens[i + 1]));
                    i += 2;
                } else {
                    merged.push(t.clone());
                    i += 1;
                }
            }
            let mut j = 0;
            while j < merged.len() {
                if j + 2 < merged.len() && merged[j + 1] == "-" {
                    let lo = Partial::parse(&merged[j])?;
                    let hi = Partial::parse(&merged[j + 2])?;
                    checks.push((
                        Check::Ge(lo.floor()),
                        !lo.pre.is_empty(),
                        !lo.pre.is_empty(),
                    ));
                    checks.push((
                        comparator("<=", &merged[j + 2])?,
                        !hi.pre.is_empty(),
                        !hi.pre.is_empty(),
                    ));
                    j += 3;
                    continue;
                }
                let t = &merged[j];
                let split = t.find(|c: char| !"<>=!~^".contains(c)).unwrap_or(t.len());
                let (op, ver) = t.split_at(split);
                // `!=` is the one comparator that accepts pre-releases
                // whatever its own version.
                let own_pre = Partial::parse(ver).map(|p| !p.pre.is_empty())?;
                checks.push((comparator(op, ver)?, op == "!=" || own_pre, own_pre));
                j += 1;
            }
            if checks.is_empty() {
                return None;
            }
            alternatives.push(checks);
        }
        Some(Constraint { alternatives })
    }

    /// Whether `v` satisfies the range. A pre-release version only matches
    /// comparators that name a pre-release themselves (and `!=`); helm 4
    /// (Masterminds/semver 3.4, [`crate::compat::current`]) accepts it in
    /// every comparator of an `||` alternative where any one names a
    /// pre-release, `!=` included, and in none otherwise.
    pub fn check(&self, v: &Version) -> bool {
        let v4 = crate::compat::current().is_v4();
        self.alternatives.iter().any(|checks| {
            let group_pre = checks.iter().any(|(_, _, own_pre)| *own_pre);
            checks.iter().all(|(c, has_pre, _)| {
                let pre_ok = if v4 { group_pre } else { *has_pre };
                (v.pre.is_empty() || pre_ok) && c.ok(v)
            })
        })
    }
}

/// helm's `IsCompatibleRange`: false when either side does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    let Some(v) = Version::parse(version) else {
        return false;
    };
    let Some(c) = Constraint::parse(constraint) else {
        return false;
    };
    c.check(&v)
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
