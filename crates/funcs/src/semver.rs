//! `semver` and `semverCompare`: Masterminds/semver v3.3.0 semantics
//! (written from its documented behaviour, not the semver crate, whose
//! range rules differ): loose versions (`v1`, `1.2`), constraints with
//! `=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `~>`, `^`, wildcards `x X *`,
//! hyphen ranges `1 - 2`, `,`/space for AND and `||` for OR, and the rule
//! that prerelease versions only satisfy constraints that carry a
//! prerelease themselves.

use std::cmp::Ordering;
use std::sync::Arc;

use tusk_template::{CallContext, FuncError, Object, Value};

use crate::Env;
use crate::args::{arity, fail, string};
use crate::semver_scan;

type R = Result<Value, FuncError>;

/// A parsed version. Shared by everything in tusk that reads versions
/// (`semverCompare`, chart `kubeVersion` and dependency ranges, chart
/// repository constraints, overlay `when` conditions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

fn only(s: &str, set: impl Fn(char) -> bool) -> bool {
    s.chars().all(set)
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

impl Version {
    /// `semver.NewVersion`: the loose form.
    pub fn parse(v: &str) -> Result<Version, String> {
        let m = semver_scan::version(v).ok_or("Invalid Semantic Version")?;
        let get = |i: usize| m[i].map(|(a, b)| &v[a..b]);
        let seg = |i: usize| -> Result<u64, String> {
            match get(i) {
                None => Ok(0),
                Some(s) => s
                    .trim_start_matches('.')
                    .parse::<u64>()
                    .map_err(|_| format!("Error parsing version segment: strconv.ParseUint: parsing {:?}: value out of range", s.trim_start_matches('.'))),
            }
        };
        let pre = get(5).unwrap_or("").to_string();
        let metadata = get(8).unwrap_or("").to_string();
        for p in pre.split('.').filter(|_| !pre.is_empty()) {
            if only(p, |c| c.is_ascii_digit()) {
                if p.len() > 1 && p.starts_with('0') {
                    return Err("Version segment starts with 0".into());
                }
            } else if !only(p, allowed) {
                return Err("Invalid Prerelease string".into());
            }
        }
        if !metadata.is_empty() && !metadata.split('.').all(|p| only(p, allowed)) {
            return Err("Invalid Metadata string".into());
        }
        Ok(Version {
            major: seg(1)?,
            minor: seg(2)?,
            patch: seg(3)?,
            pre,
            metadata,
            original: v.to_string(),
        })
    }

    /// Major number.
    pub fn major(&self) -> u64 {
        self.major
    }

    /// Minor number.
    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// Patch number.
    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// Pre-release part without the `-`, empty when none.
    pub fn prerelease(&self) -> &str {
        &self.pre
    }

    /// Masterminds' `Compare`: precedence, build metadata ignored.
    pub fn compare(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let sa: Vec<&str> = a.split('.').collect();
    let sb: Vec<&str> = b.split('.').collect();
    for i in 0..sa.len().max(sb.len()) {
        let (x, y) = (
            sa.get(i).copied().unwrap_or(""),
            sb.get(i).copied().unwrap_or(""),
        );
        let d = compare_pre_part(x, y);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(a), Ok(b)) => {
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Constraint {
    con: Version,
    op: String,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn parse_constraint(c: &str) -> Result<Constraint, String> {
    if c.is_empty() {
        return Ok(Constraint {
            con: Version::parse("0.0.0")?,
            op: String::new(),
            minor_dirty: false,
            patch_dirty: false,
            dirty: true,
        });
    }
    let m = semver_scan::constraint(c).ok_or_else(|| format!("improper constraint: {c}"))?;
    let g = |i: usize| m[i].map_or("", |(a, b)| &c[a..b]);
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let ver = if is_x(g(3)) || g(3).is_empty() {
        dirty = true;
        format!("0.0.0{}", g(6))
    } else if is_x(g(4).trim_start_matches('.')) || g(4).is_empty() {
        minor_dirty = true;
        dirty = true;
        format!("{}.0.0{}", g(3), g(6))
    } else if is_x(g(5).trim_start_matches('.')) || g(5).is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{}{}.0{}", g(3), g(4), g(6))
    } else {
        g(2).to_string()
    };
    let con = Version::parse(&ver).map_err(|_| "constraint Parser Error".to_string())?;
    Ok(Constraint {
        con,
        op: g(1).to_string(),
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

fn rewrite_range(i: &str) -> String {
    let mut o = i.to_string();
    for [whole, a, b] in semver_scan::ranges(i) {
        let (a, b) = (&i[a.0..a.1], &i[b.0..b.1]);
        o = o.replacen(&i[whole.0..whole.1], &format!(">= {a}, <= {b} "), 1);
    }
    o
}

/// Parsed constraints: OR of ANDs.
#[derive(Debug, Clone)]
pub struct Constraints(Vec<Vec<Constraint>>);

impl Constraints {
    /// `semver.NewConstraint`.
    pub fn parse(c: &str) -> Result<Constraints, String> {
        let c = rewrite_range(c);
        let mut or = Vec::new();
        for v in c.split("||") {
            if !semver_scan::valid(v) {
                return Err(format!("improper constraint: {v}"));
            }
            let found: Vec<&str> = semver_scan::find(v)
                .into_iter()
                .map(|(a, b)| &v[a..b])
                .collect();
            let parts = if found.is_empty() { vec![v] } else { found };
            or.push(
                parts
                    .into_iter()
                    .map(parse_constraint)
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        Ok(Constraints(or))
    }

    /// Whether `v` satisfies any alternative (Masterminds/semver 3.3, helm
    /// 3): a pre-release version only passes comparators that name a
    /// pre-release themselves (and `!=`).
    pub fn check(&self, v: &Version) -> bool {
        self.0
            .iter()
            .any(|and| and.iter().all(|c| check(c, v, true)))
    }

    /// Masterminds/semver 3.4's rule (helm 4): a pre-release version is
    /// considered only by `||` alternatives in which some comparator names
    /// a pre-release, and then by every comparator of it, `!=` included.
    pub fn check_per_alternative(&self, v: &Version) -> bool {
        self.0.iter().any(|and| {
            let group_pre = and.iter().any(|c| !c.con.pre.is_empty());
            (v.pre.is_empty() || group_pre) && and.iter().all(|c| check(c, v, false))
        })
    }
}

fn check(c: &Constraint, v: &Version, per_comparator_pre: bool) -> bool {
    let pre_block = per_comparator_pre && !v.pre.is_empty() && c.con.pre.is_empty();
    match c.op.as_str() {
        "" | "=" => {
            if pre_block {
                return false;
            }
            if c.dirty {
                return tilde(c, v);
            }
            v.compare(&c.con) == Ordering::Equal
        }
        "!=" => not_equal(c, v),
        ">" => {
            if pre_block {
                return false;
            }
            if !c.dirty {
                return v.compare(&c.con) == Ordering::Greater;
            }
            if v.major > c.con.major {
                true
            } else if v.major < c.con.major || c.minor_dirty {
                false
            } else if c.patch_dirty {
                v.minor > c.con.minor
            } else {
                v.compare(&c.con) == Ordering::Greater
            }
        }
        "<" => !pre_block && v.compare(&c.con) == Ordering::Less,
        ">=" | "=>" => !pre_block && v.compare(&c.con) != Ordering::Less,
        "<=" | "=<" => {
            if pre_block {
                return false;
            }
            if !c.dirty {
                return v.compare(&c.con) != Ordering::Greater;
            }
            !(v.major > c.con.major
                || (v.major == c.con.major && v.minor > c.con.minor && !c.minor_dirty))
        }
        "~" | "~>" => !pre_block && tilde(c, v),
        "^" => {
            if pre_block || v.compare(&c.con) == Ordering::Less {
                return false;
            }
            if c.con.major > 0 || c.minor_dirty {
                return v.major == c.con.major;
            }
            if v.major > 0 {
                return false;
            }
            if c.con.minor > 0 || c.patch_dirty {
                return v.minor == c.con.minor;
            }
            if v.minor > 0 {
                return false;
            }
            c.con.patch == v.patch
        }
        _ => false,
    }
}

fn tilde(c: &Constraint, v: &Version) -> bool {
    if !v.pre.is_empty() && c.con.pre.is_empty() {
        return false;
    }
    if v.compare(&c.con) == Ordering::Less {
        return false;
    }
    if c.con.major == 0 && c.con.minor == 0 && c.con.patch == 0 && !c.minor_dirty && !c.patch_dirty
    {
        return true;
    }
    if v.major != c.con.major {
        return false;
    }
    v.minor == c.con.minor || c.minor_dirty
}

fn not_equal(c: &Constraint, v: &Version) -> bool {
    if c.dirty {
        if !v.pre.is_empty() && c.con.pre.is_empty() {
            return false;
        }
        if c.con.major != v.major {
            return true;
        }
        if c.con.minor != v.minor && !c.minor_dirty {
            return true;
        } else if c.minor_dirty {
            return false;
        } else if c.con.patch != v.patch && !c.patch_dirty {
            return true;
        } else if c.patch_dirty {
            if !v.pre.is_empty() || !c.con.pre.is_empty() {
                return compare_prerelease(&v.pre, &c.con.pre) != Ordering::Equal;
            }
            return false;
        }
    }
    v.compare(&c.con) != Ordering::Equal
}

/// `{{ semverCompare ">=1.2.3-0" .Capabilities.KubeVersion.Version }}`.
pub fn semver_compare(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("semverCompare", a, 2)?;
    let c = Constraints::parse(string(&a[0])?).map_err(fail)?;
    let v = Version::parse(string(&a[1])?).map_err(fail)?;
    Ok(Value::Bool(c.check(&v)))
}

/// The `*semver.Version` object `semver` returns.
#[derive(Debug)]
pub struct VersionObject(pub Version);

impl Object for VersionObject {
    fn type_name(&self) -> &str {
        "*semver.Version"
    }
    fn field(&self, name: &str) -> Option<Value> {
        let v = &self.0;
        Some(match name {
            "Major" => Value::Int(v.major as i64),
            "Minor" => Value::Int(v.minor as i64),
            "Patch" => Value::Int(v.patch as i64),
            "Prerelease" => Value::from(v.pre.clone()),
            "Metadata" => Value::from(v.metadata.clone()),
            "Original" => Value::from(v.original.clone()),
            "String" => Value::from(v.to_string()),
            _ => return None,
        })
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let other = || -> Result<Version, FuncError> {
            match args.first() {
                Some(Value::Object(o)) if o.type_name() == "*semver.Version" => {
                    Version::parse(&crate::gostr::format_v(&o.to_value())).map_err(fail)
                }
                _ => Err(FuncError::BadArgs(
                    "wrong type for value; expected *semver.Version".into(),
                )),
            }
        };
        let r = match name {
            "Compare" => other().map(|o| Value::Int(self.0.compare(&o) as i64)),
            "LessThan" => other().map(|o| Value::Bool(self.0.compare(&o) == Ordering::Less)),
            "GreaterThan" => other().map(|o| Value::Bool(self.0.compare(&o) == Ordering::Greater)),
            "Equal" => other().map(|o| Value::Bool(self.0.compare(&o) == Ordering::Equal)),
            _ => return None,
        };
        Some(r)
    }
    fn to_value(&self) -> Value {
        Value::from(self.0.to_string())
    }
    fn stringer(&self) -> Option<String> {
        Some(self.0.to_string())
    }
    fn collection(&self) -> Option<Value> {
        None
    }
}

/// `{{ (semver "1.2.3-beta.1").Prerelease }}` → `beta.1`.
pub fn semver(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("semver", a, 1)?;
    let v = Version::parse(string(&a[0])?).map_err(fail)?;
    Ok(Value::Object(Arc::new(VersionObject(v))))
}
