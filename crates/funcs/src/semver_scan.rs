//! Hand-written matchers for the regular expressions Masterminds/semver
//! reads versions and constraints with. Compiling those regexes cost more
//! than the rest of a small chart's rendering (docs/performance.md); each
//! function here matches exactly what its regex does (leftmost-first, as
//! Go's regexp), which the tests below check against the regexes
//! themselves on generated text.
//!
//! The pieces, in the regexes' notation:
//! - `CV` = `v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?`
//!   `(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`
//!   (a version's digits only `[0-9]`);
//! - `OPS` = `=||!=|>|<|>=|=>|<=|=<|~|~>|\^` (in this order);
//! - `\s` = Go's `[\t\n\f\r ]`.

/// A capture: byte range in the text, when the group took part.
pub(crate) type Span = Option<(usize, usize)>;

const OPS: [&str; 12] = [
    "=", "", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^",
];

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

fn is_wild_num(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'|' | b'x' | b'X' | b'*')
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

fn run(b: &[u8], mut i: usize, f: fn(u8) -> bool) -> usize {
    while i < b.len() && f(b[i]) {
        i += 1;
    }
    i
}

fn skip_ws(b: &[u8], i: usize) -> usize {
    run(b, i, is_ws)
}

/// `(\.[class]+)?` at `i`: where it ends, if it matched.
fn dotted(b: &[u8], i: usize, f: fn(u8) -> bool) -> Option<usize> {
    (b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(|&c| f(c))).then(|| run(b, i + 1, f))
}

/// `[0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*` after the `lead` byte at `i`.
fn ident_part(b: &[u8], i: usize, lead: u8) -> Option<usize> {
    if b.get(i) != Some(&lead) || !b.get(i + 1).is_some_and(|&c| is_ident(c)) {
        return None;
    }
    let mut end = run(b, i + 1, is_ident);
    while let Some(e) = dotted(b, end, is_ident) {
        end = e;
    }
    Some(end)
}

/// A version matched at some position, greedily (every later part of the
/// regexes either needs a byte no group takes, or is optional).
struct Cv {
    end: usize,
    major: (usize, usize),
    minor: Span,
    patch: Span,
    /// With its `-`.
    pre: Span,
    /// With its `+`.
    meta: Span,
}

fn cv_at(b: &[u8], start: usize, num: fn(u8) -> bool) -> Option<Cv> {
    // `v?`: taking the `v` is the only way on, as no class holds it.
    let i = if b.get(start) == Some(&b'v') {
        start + 1
    } else {
        start
    };
    let major_end = run(b, i, num);
    if major_end == i {
        return None;
    }
    let mut end = major_end;
    let mut part = |f: &dyn Fn(&[u8], usize) -> Option<usize>| -> Span {
        let e = f(b, end)?;
        let s = (end, e);
        end = e;
        Some(s)
    };
    let minor = part(&|b, i| dotted(b, i, num));
    let patch = part(&|b, i| dotted(b, i, num));
    let pre = part(&|b, i| ident_part(b, i, b'-'));
    let meta = part(&|b, i| ident_part(b, i, b'+'));
    Some(Cv {
        end,
        major: (i, major_end),
        minor,
        patch,
        pre,
        meta,
    })
}

/// The span without its first byte (the `.`, `-` or `+`).
fn body(s: Span) -> Span {
    s.map(|(a, b)| (a + 1, b))
}

/// `^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-(…))?(\+(…))?$`: groups 1 (major),
/// 2 (`.minor`), 3 (`.patch`), 5 (pre-release) and 8 (metadata).
pub(crate) fn version(v: &str) -> Option<[Span; 9]> {
    let b = v.as_bytes();
    let cv = cv_at(b, 0, |c| c.is_ascii_digit())?;
    if cv.end != b.len() {
        return None;
    }
    let mut g = [None; 9];
    g[0] = Some((0, b.len()));
    g[1] = Some(cv.major);
    g[2] = cv.minor;
    g[3] = cv.patch;
    g[4] = cv.pre;
    g[5] = body(cv.pre);
    g[7] = cv.meta;
    g[8] = body(cv.meta);
    Some(g)
}

/// `(OPS)\s*(CV)` at `i`, trying the operators in the regex's order.
fn item_at(b: &[u8], i: usize) -> Option<((usize, usize), Cv)> {
    OPS.iter().find_map(|op| {
        if !b[i..].starts_with(op.as_bytes()) {
            return None;
        }
        let op_end = i + op.len();
        let cv = cv_at(b, skip_ws(b, op_end), is_wild_num)?;
        Some(((i, op_end), cv))
    })
}

/// `^\s*(OPS)\s*(CV)\s*$`: groups 1 (operator), 2 (the version), 3
/// (major), 4 (`.minor`), 5 (`.patch`) and 6 (`-pre-release`).
pub(crate) fn constraint(c: &str) -> Option<[Span; 7]> {
    let b = c.as_bytes();
    let start = skip_ws(b, 0);
    // Operators in order; the first whose remainder matches wins.
    OPS.iter().find_map(|op| {
        if !b[start..].starts_with(op.as_bytes()) {
            return None;
        }
        let op_end = start + op.len();
        let cv_start = skip_ws(b, op_end);
        let cv = cv_at(b, cv_start, is_wild_num)?;
        if skip_ws(b, cv.end) != b.len() {
            return None;
        }
        Some([
            Some((0, b.len())),
            Some((start, op_end)),
            Some((cv_start, cv.end)),
            Some(cv.major),
            cv.minor,
            cv.patch,
            cv.pre,
        ])
    })
}

/// The matches of `\s*(CV)\s+-\s+(CV)\s*`, left to right: the whole match
/// and the two versions.
pub(crate) fn ranges(s: &str) -> Vec<[(usize, usize); 3]> {
    let b = s.as_bytes();
    let at = |p: usize| -> Option<[(usize, usize); 3]> {
        let a_start = skip_ws(b, p);
        let a = cv_at(b, a_start, is_wild_num)?;
        let dash = skip_ws(b, a.end);
        if dash == a.end || b.get(dash) != Some(&b'-') {
            return None;
        }
        let b_start = skip_ws(b, dash + 1);
        if b_start == dash + 1 {
            return None;
        }
        let v = cv_at(b, b_start, is_wild_num)?;
        Some([(p, skip_ws(b, v.end)), (a_start, a.end), (b_start, v.end)])
    };
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        match at(p) {
            Some(m) => {
                p = m[0].1;
                out.push(m);
            }
            None => p += 1,
        }
    }
    out
}

/// `^(\s*(OPS)\s*(CV)\s*)((?:\s+|,\s*)(OPS)\s*(CV)\s*)*$`.
pub(crate) fn valid(v: &str) -> bool {
    let b = v.as_bytes();
    let mut i = skip_ws(b, 0);
    let Some((_, cv)) = item_at(b, i) else {
        return false;
    };
    i = cv.end;
    loop {
        let after = skip_ws(b, i);
        if after == b.len() {
            return true;
        }
        // A separator: the blanks just skipped, or a comma and blanks.
        i = if b[after] == b',' {
            skip_ws(b, after + 1)
        } else if after > i {
            after
        } else {
            return false;
        };
        let Some((_, cv)) = item_at(b, i) else {
            return false;
        };
        i = cv.end;
    }
}

/// The matches of `(OPS)\s*(CV)`, left to right (non-overlapping).
pub(crate) fn find(v: &str) -> Vec<(usize, usize)> {
    let b = v.as_bytes();
    let mut out = Vec::new();
    let mut p = 0;
    while p < b.len() {
        match item_at(b, p) {
            Some((op, cv)) => {
                out.push((op.0, cv.end));
                p = cv.end.max(p + 1);
            }
            None => p += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! The regexes these matchers replace are the reference.

    use super::*;
    use regex_lite::Regex;

    const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
    const WS: &str = r"[\t\n\f\r ]";
    const OPS_RE: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

    struct Reference {
        version: Regex,
        constraint: Regex,
        range: Regex,
        find: Regex,
        valid: Regex,
    }

    fn reference() -> Reference {
        Reference {
            version: Regex::new(r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$").unwrap(),
            constraint: Regex::new(&format!(r"^{WS}*({OPS_RE}){WS}*({CV}){WS}*$")).unwrap(),
            range: Regex::new(&format!(r"{WS}*({CV}){WS}+-{WS}+({CV}){WS}*")).unwrap(),
            find: Regex::new(&format!(r"({OPS_RE}){WS}*({CV})")).unwrap(),
            valid: Regex::new(&format!(
                r"^({WS}*({OPS_RE}){WS}*({CV}){WS}*)((?:{WS}+|,{WS}*)({OPS_RE}){WS}*({CV}){WS}*)*$"
            ))
            .unwrap(),
        }
    }

    fn spans(c: &regex_lite::Captures<'_>, groups: &[usize]) -> Vec<Span> {
        groups
            .iter()
            .map(|&i| c.get(i).map(|m| (m.start(), m.end())))
            .collect()
    }

    fn check(r: &Reference, s: &str) {
        let want = r.version.captures(s).map(|c| spans(&c, &[1, 2, 3, 5, 8]));
        let got = version(s).map(|g| vec![g[1], g[2], g[3], g[5], g[8]]);
        assert_eq!(got, want, "version {s:?}");

        let want = r
            .constraint
            .captures(s)
            .map(|c| spans(&c, &[1, 2, 3, 4, 5, 6]));
        let got = constraint(s).map(|g| g[1..].to_vec());
        assert_eq!(got, want, "constraint {s:?}");

        let want: Vec<Vec<Span>> = r
            .range
            .captures_iter(s)
            .map(|c| spans(&c, &[0, 1, 11]))
            .collect();
        let got: Vec<Vec<Span>> = ranges(s)
            .iter()
            .map(|m| m.iter().map(|&x| Some(x)).collect())
            .collect();
        assert_eq!(got, want, "range {s:?}");

        let want: Vec<(usize, usize)> = r.find.find_iter(s).map(|m| (m.start(), m.end())).collect();
        assert_eq!(find(s), want, "find {s:?}");

        assert_eq!(valid(s), r.valid.is_match(s), "valid {s:?}");
    }

    #[test]
    fn known_cases() {
        let r = reference();
        for s in [
            "",
            "1",
            "v1",
            "1.2",
            "1.2.3",
            "v1.2.3-rc.1+b.5",
            "1.2.3.4",
            "01.2",
            "x",
            "1.x",
            "1.2.*",
            "^1.2",
            "~1.2.3",
            "~>1.2",
            ">= 1.2, < 2",
            ">=1.2 <2",
            "1.2 - 2.3",
            "1.2 - 2.3 || 5",
            " >= 1.0 - 2.0 ",
            "=>1",
            "=<1",
            "!=1",
            "!1",
            "1,,2",
            "1 , 2",
            "1-",
            "1.2-",
            "1+",
            "1.2.3-a..b",
            "1|2",
            "vv1",
            "v",
            "a1.0 - 2",
            "1.0 -- 2",
            "1 -2",
            "1.0-rc - 2.0-rc.1+m",
            "  ",
            ">",
            ">=",
            "1 >2 <=3,~4 ^5",
            "1\u{b}2",
            "é1",
        ] {
            check(&r, s);
        }
    }

    #[test]
    fn generated_text() {
        const ALPHABET: [&str; 22] = [
            "1", "0", "23", ".", "-", "+", "x", "*", "|", "v", "a", " ", ",", "=", "<", ">", "~",
            "^", "!", "\t", "é", "||",
        ];
        let r = reference();
        for s in crate::testgen::strings(&ALPHABET, 0x2545_f491_4f6c_dd1d, 30_000, 1, 16) {
            check(&r, &s);
        }
    }
}
