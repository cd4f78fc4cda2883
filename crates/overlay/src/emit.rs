//! A small go-yaml v2 style emitter for JSON values (block style, keys in
//! the value's own order), used to re-emit manifests an overlay touched.
//!
//! Stop-gap until `tusk_funcs::yaml::emit_json` lands: the caller goes
//! through [`crate::document::emit`], so switching is one line. The quirks
//! copied from go-yaml v2 (and the libyaml emitter it ports):
//! * strings that would read back as another type (`"true"`, `"1"`, `"on"`,
//!   `""`, `"1:20"`) are double-quoted;
//! * strings that cannot be plain (leading indicator, `: `, ` #`, leading or
//!   trailing space) are single-quoted;
//! * strings with control characters are double-quoted with escapes;
//! * multi-line strings are literal blocks (`|`, `|-`, `|+`);
//! * plain and single-quoted strings are folded at spaces past column 80;
//! * sequences in mappings are not indented (`key:\n- a`);
//! * floats print like Go's `strconv.FormatFloat(f, 'g', -1, 64)`.

use serde_json::{Map, Number, Value};

const WIDTH: usize = 80;

/// Emits `value` as a YAML document ending in a newline.
pub fn emit(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => seq(&mut out, a, 0),
        other => {
            scalar(&mut out, other, 0, 0);
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn column(out: &str) -> usize {
    out.len() - out.rfind('\n').map_or(0, |i| i + 1)
}

fn map(out: &mut String, m: &Map<String, Value>, indent: usize) {
    let mut first = true;
    for (k, v) in m {
        // The first key of a mapping inside a sequence item shares the `- ` line.
        if !first || column(out) == 0 {
            if column(out) != 0 {
                out.push('\n');
            }
            pad(out, indent);
        }
        first = false;
        string(out, k, indent, true);
        out.push(':');
        value_after_key(out, v, indent);
    }
}

fn value_after_key(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            map(out, m, indent + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            seq(out, a, indent);
        }
        other => {
            out.push(' ');
            scalar(out, other, indent + 2, indent);
            out.push('\n');
        }
    }
}

fn seq(out: &mut String, a: &[Value], indent: usize) {
    for item in a {
        if column(out) != 0 {
            // `- - x`: a nested sequence starts on its parent's dash line.
            if !out.ends_with("- ") {
                out.push('\n');
                pad(out, indent);
            }
        } else {
            pad(out, indent);
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => map(out, m, indent + 2),
            Value::Array(inner) if !inner.is_empty() => seq(out, inner, indent + 2),
            other => {
                scalar(out, other, indent + 2, indent);
                out.push('\n');
            }
        }
    }
}

/// Writes a scalar; `cont` is the indentation of continuation lines,
/// `block` that of the owning key (literal blocks go two deeper).
fn scalar(out: &mut String, v: &Value, cont: usize, block: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number(n)),
        Value::String(s) => {
            if s.contains('\n') && literal_ok(s) {
                literal(out, s, block + 2);
            } else {
                string(out, s, cont, false);
            }
        }
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
    }
}

fn number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    go_float(f)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`.
fn go_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+.inf".into()
        } else {
            "-.inf".into()
        };
    }
    if f == 0.0 {
        return "0".into();
    }
    let e = format!("{f:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

fn string(out: &mut String, s: &str, cont: usize, key: bool) {
    if resolves_to_non_string(s) || s.chars().any(|c| !printable(c)) || (key && s.contains('\n')) {
        double_quoted(out, s);
    } else if plain_ok(s) {
        folded(out, s, cont, key);
    } else {
        out.push('\'');
        folded(out, &s.replace('\'', "''"), cont, key);
        out.push('\'');
    }
}

/// Writes text, breaking at a single space once past the width (libyaml's
/// `write_plain`/`write_single_quoted` with breaks allowed).
fn folded(out: &mut String, s: &str, cont: usize, key: bool) {
    let chars: Vec<char> = s.chars().collect();
    let mut prev_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next_is_space = chars.get(i + 1).is_none_or(|n| *n == ' ');
            if !key && !prev_space && column(out) > WIDTH && !next_is_space {
                out.push('\n');
                pad(out, cont);
            } else {
                out.push(' ');
            }
            prev_space = true;
        } else {
            out.push(c);
            prev_space = false;
        }
    }
}

fn double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if !printable(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02X}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04X}"));
                } else {
                    out.push_str(&format!("\\U{n:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn literal(out: &mut String, s: &str, indent: usize) {
    out.push('|');
    if s.starts_with(' ') {
        out.push('2');
    }
    let trailing = s.len() - s.trim_end_matches('\n').len();
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    let body = if trailing == 1 { &s[..s.len() - 1] } else { s };
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
    }
    if trailing > 1 {
        // The `+` keeps the final breaks; the last split piece was empty.
        out.pop();
    }
}

/// libyaml refuses block scalars with trailing spaces on a line or spaces
/// right after a break before more text (then it double-quotes).
fn literal_ok(s: &str) -> bool {
    !s.chars().any(|c| c != '\n' && !printable(c)) && !s.split('\n').any(|l| l.ends_with(' '))
}

fn printable(c: char) -> bool {
    let n = c as u32;
    matches!(n, 0x0A | 0x85 | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..)
        && n != 0xFEFF
}

/// Whether libyaml would allow the string as a block plain scalar.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    let blank_after = |i: usize| chars.get(i + 1).is_none_or(|c| *c == ' ' || *c == '\n');
    if "#,[]{}&*!|>'\"%@`".contains(first) {
        return false;
    }
    if "-?:".contains(first) && blank_after(0) {
        return false;
    }
    for (i, &c) in chars.iter().enumerate() {
        if c == ':' && blank_after(i) && i > 0 {
            return false;
        }
        if c == '#' && i > 0 && chars[i - 1] == ' ' {
            return false;
        }
    }
    true
}

/// go-yaml v2's `resolve`: would this plain text read back as something
/// other than a string? Also its `isBase60Float` check.
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true",
        "True", "TRUE", "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let Some(first) = s.chars().next() else {
        return true;
    };
    if !"-+.0123456789".contains(first) {
        return false;
    }
    let plain = s.replace('_', "");
    go_int(&plain) || yaml_float(&plain) || base60(s)
}

/// `strconv.ParseInt(s, 0, 64)` / `ParseUint` syntax (range aside: out of
/// range decimal integers still resolve as floats).
fn go_int(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let digits = |t: &str, radix: u32| !t.is_empty() && t.chars().all(|c| c.is_digit(radix));
    if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        return digits(h, 16);
    }
    if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        return digits(o, 8);
    }
    if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        return digits(b, 2);
    }
    if body.len() > 1 && body.starts_with('0') {
        return digits(&body[1..], 8);
    }
    digits(body, 10)
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_float(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mant, exp) = match b.find(['e', 'E']) {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let all = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    let mant_ok = if let Some(frac) = mant.strip_prefix('.') {
        !frac.is_empty() && all(frac)
    } else {
        match mant.split_once('.') {
            Some((i, f)) => !i.is_empty() && all(i) && all(f),
            None => !mant.is_empty() && all(mant),
        }
    };
    let exp_ok = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && all(e)
        }
    };
    mant_ok && exp_ok
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn base60(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (main, frac) = match b.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (b, None),
    };
    if let Some(f) = frac {
        if !f.chars().all(|c| c.is_ascii_digit() || c == '_') {
            return false;
        }
    }
    let mut parts = main.split(':');
    let head = parts.next().unwrap_or("");
    if !head.starts_with(|c: char| c.is_ascii_digit())
        || !head.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return false;
    }
    let mut n = 0;
    for p in parts {
        n += 1;
        let ok = match p.len() {
            1 => p.chars().all(|c| c.is_ascii_digit()),
            2 => {
                let mut cs = p.chars();
                matches!(cs.next(), Some('0'..='5')) && cs.all(|c| c.is_ascii_digit())
            }
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    n > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quoting() {
        let v = json!({
            "a": "true", "b": "1", "c": "", "d": "on", "e": "1:20", "f": "*.example.com",
            "g": "a: b", "h": "plain text", "i": "0755", "j": "1e3", "k": "-", "l": "x #y",
            "m": "tab\there", "n": " lead", "o": "it's", "p": "v4.3.0", "q": "1.2.3"
        });
        let want = "a: \"true\"\nb: \"1\"\nc: \"\"\nd: \"on\"\ne: \"1:20\"\nf: '*.example.com'\n\
            g: 'a: b'\nh: plain text\ni: \"0755\"\nj: \"1e3\"\nk: '-'\nl: 'x #y'\n\
            m: \"tab\\there\"\n\"n\": ' lead'\no: it's\np: v4.3.0\nq: 1.2.3\n";
        assert_eq!(emit(&v), want);
    }

    #[test]
    fn nesting_and_blocks() {
        let v = json!({
            "spec": {"containers": [{"name": "web", "args": ["a", "b"], "env": []}],
                     "empty": {}},
            "s": "line1\nline2\n", "t": "x\ny", "n": [[1, 2], 3], "f": 1000000.0, "g": 0.5
        });
        let want = "spec:\n  containers:\n  - name: web\n    args:\n    - a\n    - b\n    env: []\n  \
            empty: {}\ns: |\n  line1\n  line2\nt: |-\n  x\n  y\n\"n\":\n- - 1\n  - 2\n- 3\nf: 1e+06\ng: 0.5\n";
        assert_eq!(emit(&v), want);
    }

    #[test]
    fn folding() {
        let long = "word ".repeat(30).trim_end().to_string();
        let out = emit(&json!({ "k": long }));
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1, "{out}");
        assert!(lines[1].starts_with("  word"));
        let back: Value = yaml_serde::from_str(&out).unwrap();
        assert_eq!(back["k"], json!(long));
    }
}
