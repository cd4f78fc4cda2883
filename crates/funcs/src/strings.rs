//! String functions (sprig strings.go, goutils, xstrings, regex.go).
//!
//! Go strings are byte strings; functions that slice by byte (`substr`,
//! `trunc`, `abbrev`, `wrap`) cut on byte offsets like Go and repair a
//! split UTF-8 sequence with U+FFFD. Case mapping uses Go's simple
//! one-rune mappings.

use tusk_template::{CallContext, FuncError, Map, Value};

use crate::Env;
use crate::args::{arity, fail, int, s, string, strings, sval};
use crate::gostr::{format_v, go_quote};

type R = Result<Value, FuncError>;

/// Go's `unicode.ToUpper` (simple mapping: one rune to one rune).
pub(crate) fn upper_rune(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToLower`.
pub(crate) fn lower_rune(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.IsSpace`.
pub(crate) fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    ) || (c as u32 > 0xff && c.is_whitespace())
}

fn bytes_to_string(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `{{ trim "  x  " }}` → `x` (strings.TrimSpace).
pub fn trim(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("trim", a, 1)?;
    Ok(s(string(&a[0])?.trim_matches(is_space)))
}

/// `{{ trimAll "$" "$5.00$" }}` → `5.00` (strings.Trim with a cutset).
pub fn trim_all(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("trimAll", a, 2)?;
    let cut: Vec<char> = string(&a[0])?.chars().collect();
    Ok(s(string(&a[1])?.trim_matches(|c| cut.contains(&c))))
}

/// `{{ trimPrefix "-" "-x" }}` → `x`.
pub fn trim_prefix(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("trimPrefix", a, 2)?;
    let (p, v) = (string(&a[0])?, string(&a[1])?);
    Ok(s(v.strip_prefix(p).unwrap_or(v)))
}

/// `{{ trimSuffix "-" "x-" }}` → `x`.
pub fn trim_suffix(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("trimSuffix", a, 2)?;
    let (p, v) = (string(&a[0])?, string(&a[1])?);
    Ok(s(v.strip_suffix(p).unwrap_or(v)))
}

/// `{{ upper "abc" }}` → `ABC`.
pub fn upper(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("upper", a, 1)?;
    Ok(s(string(&a[0])?
        .chars()
        .map(upper_rune)
        .collect::<String>()))
}

/// `{{ lower "ABC" }}` → `abc`.
pub fn lower(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("lower", a, 1)?;
    Ok(s(string(&a[0])?
        .chars()
        .map(lower_rune)
        .collect::<String>()))
}

fn title_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphabetic() || c.is_numeric() {
        return false;
    }
    is_space(c)
}

/// `{{ title "hello world" }}` → `Hello World` (strings.Title).
pub fn title(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("title", a, 1)?;
    let mut prev = ' ';
    let out: String = string(&a[0])?
        .chars()
        .map(|c| {
            let r = if title_separator(prev) {
                upper_rune(c)
            } else {
                c
            };
            prev = c;
            r
        })
        .collect();
    Ok(s(out))
}

/// `{{ untitle "Hello World" }}` → `hello world` (goutils Uncapitalize:
/// the first rune of every whitespace-separated word lowered).
pub fn untitle(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("untitle", a, 1)?;
    let mut next = true;
    let out: String = string(&a[0])?
        .chars()
        .map(|c| {
            if is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                lower_rune(c)
            } else {
                c
            }
        })
        .collect();
    Ok(s(out))
}

/// `{{ repeat 3 "ab" }}` → `ababab`.
pub fn repeat(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("repeat", a, 2)?;
    let n = int(&a[0])?;
    let v = string(&a[1])?;
    if n < 0 {
        return Err(fail("strings: negative Repeat count"));
    }
    if (v.len() as u128) * (n as u128) > (1u128 << 31) {
        return Err(fail("strings: Repeat output length overflow"));
    }
    Ok(s(v.repeat(n as usize)))
}

fn slice_err(lo: i64, hi: i64, len: usize) -> FuncError {
    if hi as i128 > len as i128 {
        fail(format!(
            "runtime error: slice bounds out of range [:{hi}] with length {len}"
        ))
    } else {
        fail(format!(
            "runtime error: slice bounds out of range [{lo}:{hi}]"
        ))
    }
}

/// `{{ substr 0 5 "hello world" }}` → `hello` (byte offsets; start < 0
/// means from 0, end < 0 or past the end means to the end).
pub fn substr(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("substr", a, 3)?;
    let (start, end, v) = (int(&a[0])?, int(&a[1])?, string(&a[2])?);
    let b = v.as_bytes();
    let len = b.len() as i64;
    if start < 0 {
        if end < 0 || end > len {
            return Err(slice_err(0, end, b.len()));
        }
        return Ok(s(bytes_to_string(&b[..end as usize])));
    }
    if end < 0 || end > len {
        if start > len {
            return Err(fail(format!(
                "runtime error: slice bounds out of range [{start}:{len}]"
            )));
        }
        return Ok(s(bytes_to_string(&b[start as usize..])));
    }
    if start > end {
        return Err(slice_err(start, end, b.len()));
    }
    Ok(s(bytes_to_string(&b[start as usize..end as usize])))
}

/// Latin-1 `unicode.IsSpace` on a byte treated as a rune (goutils
/// iterates bytes, not runes).
fn byte_is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

/// `{{ nospace "a b  c" }}` → `abc`. Like goutils it walks bytes, so
/// non-ASCII text comes out re-encoded as Latin-1 runes when any space is
/// removed.
pub fn nospace(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("nospace", a, 1)?;
    let v = string(&a[0])?;
    let b = v.as_bytes();
    if !b.iter().any(|c| byte_is_space(*c)) {
        return Ok(s(v));
    }
    Ok(s(b
        .iter()
        .filter(|c| !byte_is_space(**c))
        .map(|c| *c as char)
        .collect::<String>()))
}

/// `{{ trunc 5 "hello world" }}` → `hello`; negative counts keep the tail.
pub fn trunc(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("trunc", a, 2)?;
    let (c, v) = (int(&a[0])?, string(&a[1])?);
    let b = v.as_bytes();
    let len = b.len() as i64;
    if c < 0 && len + c > 0 {
        return Ok(s(bytes_to_string(&b[(len + c) as usize..])));
    }
    if c >= 0 && len > c {
        return Ok(s(bytes_to_string(&b[..c as usize])));
    }
    Ok(s(v))
}

/// goutils `AbbreviateFull`, on bytes like Go (a split UTF-8 sequence is
/// repaired only when the result becomes text).
fn abbreviate_full(v: &str, offset: i64, max: i64) -> Option<String> {
    abbreviate_bytes(v.as_bytes(), offset, max).map(|b| bytes_to_string(&b))
}

fn abbreviate_bytes(b: &[u8], offset: i64, max: i64) -> Option<Vec<u8>> {
    let len = b.len() as i64;
    if b.is_empty() {
        return Some(Vec::new());
    }
    if max < 4 {
        return None;
    }
    if len <= max {
        return Some(b.to_vec());
    }
    let mut offset = offset.min(len);
    if len - offset < max - 3 {
        offset = len - (max - 3);
    }
    if offset <= 4 {
        let mut out = b[..(max - 3) as usize].to_vec();
        out.extend_from_slice(b"...");
        return Some(out);
    }
    if max < 7 {
        return None;
    }
    if offset + max - 3 < len {
        let rest = abbreviate_bytes(&b[offset as usize..], 0, max - 3)?;
        let mut out = b"...".to_vec();
        out.extend(rest);
        return Some(out);
    }
    let mut out = b"...".to_vec();
    out.extend_from_slice(&b[(len - (max - 3)) as usize..]);
    Some(out)
}

/// `{{ abbrev 5 "hello world" }}` → `he...`.
pub fn abbrev(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("abbrev", a, 2)?;
    let (w, v) = (int(&a[0])?, string(&a[1])?);
    if w < 4 {
        return Ok(s(v));
    }
    Ok(s(abbreviate_full(v, 0, w).unwrap_or_default()))
}

/// `{{ abbrevboth 5 10 "1234 5678 9123" }}` → `...5678...`.
pub fn abbrevboth(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("abbrevboth", a, 3)?;
    let (l, r, v) = (int(&a[0])?, int(&a[1])?, string(&a[2])?);
    if r < 4 || (l > 0 && r < 7) {
        return Ok(s(v));
    }
    Ok(s(abbreviate_full(v, l, r).unwrap_or_default()))
}

/// `{{ initials "First Try" }}` → `FT` (bytes after whitespace).
pub fn initials(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("initials", a, 1)?;
    let v = string(&a[0])?;
    let mut out = String::new();
    let mut gap = true;
    for &b in v.as_bytes() {
        if byte_is_space(b) {
            gap = true;
        } else if gap {
            out.push(b as char);
            gap = false;
        }
    }
    Ok(s(out))
}

/// goutils `WrapCustom` on bytes.
fn wrap_custom(v: &str, len: i64, nl: &str, long_words: bool) -> String {
    if v.is_empty() {
        return String::new();
    }
    let nl = if nl.is_empty() { "\n" } else { nl };
    let len = len.max(1) as usize;
    let b = v.as_bytes();
    let total = b.len();
    let mut off = 0usize;
    let mut out: Vec<u8> = Vec::new();
    while total - off > len {
        if b[off] == b' ' {
            off += 1;
            continue;
        }
        let end = len + off + 1;
        let space = b[off..end]
            .iter()
            .rposition(|c| *c == b' ')
            .map(|p| p + off);
        match space {
            Some(sp) => {
                out.extend_from_slice(&b[off..sp]);
                out.extend_from_slice(nl.as_bytes());
                off = sp + 1;
            }
            None if long_words => {
                out.extend_from_slice(&b[off..len + off]);
                out.extend_from_slice(nl.as_bytes());
                off += len;
            }
            None => {
                let end = len + off;
                match b[end..].iter().position(|c| *c == b' ') {
                    None => {
                        out.extend_from_slice(&b[off..]);
                        off = total;
                    }
                    Some(i) => {
                        let sp = i + end;
                        out.extend_from_slice(&b[off..sp]);
                        out.extend_from_slice(nl.as_bytes());
                        off = sp + 1;
                    }
                }
            }
        }
    }
    out.extend_from_slice(&b[off..]);
    bytes_to_string(&out)
}

/// `{{ wrap 10 "a long line of text" }}` wraps at spaces.
pub fn wrap(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("wrap", a, 2)?;
    Ok(s(wrap_custom(string(&a[1])?, int(&a[0])?, "", false)))
}

/// `{{ wrapWith 5 "\t" "Hello World" }}` wraps with a custom separator,
/// breaking long words.
pub fn wrap_with(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("wrapWith", a, 3)?;
    Ok(s(wrap_custom(
        string(&a[2])?,
        int(&a[0])?,
        string(&a[1])?,
        true,
    )))
}

/// `{{ contains "cat" "catch" }}` → `true`.
pub fn contains(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("contains", a, 2)?;
    Ok(Value::Bool(string(&a[1])?.contains(string(&a[0])?)))
}

/// `{{ hasPrefix "cat" "catch" }}` → `true`.
pub fn has_prefix(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("hasPrefix", a, 2)?;
    Ok(Value::Bool(string(&a[1])?.starts_with(string(&a[0])?)))
}

/// `{{ hasSuffix "ch" "catch" }}` → `true`.
pub fn has_suffix(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("hasSuffix", a, 2)?;
    Ok(Value::Bool(string(&a[1])?.ends_with(string(&a[0])?)))
}

/// `{{ quote "a" 1 }}` → `"a" "1"` (Go %q of each non-nil argument).
pub fn quote(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    Ok(s(a
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| go_quote(&sval(v)))
        .collect::<Vec<_>>()
        .join(" ")))
}

/// `{{ squote "a" }}` → `'a'` (%v of each non-nil argument).
pub fn squote(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    Ok(s(a
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| format!("'{}'", format_v(v)))
        .collect::<Vec<_>>()
        .join(" ")))
}

/// `{{ cat "a" 1 nil "b" }}` → `a 1 b`.
pub fn cat(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    Ok(s(a
        .iter()
        .filter(|v| !v.is_nil())
        .map(format_v)
        .collect::<Vec<_>>()
        .join(" ")))
}

fn indent_str(n: i64, v: &str) -> Result<String, FuncError> {
    check_text(n.saturating_mul(v.matches('\n').count() as i64 + 1))?;
    Ok(indent_str_unchecked(n, v))
}

fn indent_str_unchecked(n: i64, v: &str) -> String {
    let pad = " ".repeat(n.max(0) as usize);
    format!("{pad}{}", v.replace('\n', &format!("\n{pad}")))
}

/// `{{ indent 2 "a\nb" }}` → `  a\n  b`.
pub fn indent(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("indent", a, 2)?;
    Ok(s(indent_str(int(&a[0])?, string(&a[1])?)?))
}

/// `{{ nindent 2 "a" }}` → `\n  a`.
pub fn nindent(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("nindent", a, 2)?;
    Ok(s(format!("\n{}", indent_str(int(&a[0])?, string(&a[1])?)?)))
}

/// `{{ replace " " "-" "a b c" }}` → `a-b-c`.
pub fn replace(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("replace", a, 3)?;
    let (old, new, src) = (string(&a[0])?, string(&a[1])?, string(&a[2])?);
    if old.is_empty() {
        // Go inserts `new` around every rune.
        let mut out = String::from(new);
        for c in src.chars() {
            out.push(c);
            out.push_str(new);
        }
        return Ok(s(out));
    }
    Ok(s(src.replace(old, new)))
}

/// `{{ plural "one" "many" 2 }}` → `many`.
pub fn plural(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("plural", a, 3)?;
    let (one, many, n) = (string(&a[0])?, string(&a[1])?, int(&a[2])?);
    Ok(s(if n == 1 { one } else { many }))
}

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_space(c)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_alphabet(c: char) -> bool {
    c.is_alphabetic() && !is_cjk(c)
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~')
        || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace() && !c.is_control())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alpha,
    Connector,
    Punct,
    Other,
}

/// xstrings `nextWord`: splits off the next word of `s`.
fn next_word(s: &str) -> (Word, &str, &str) {
    let Some(r) = s.chars().next() else {
        return (Word::Invalid, "", "");
    };
    let end_at = |n: usize| (&s[..n], &s[n..]);
    let first_end = r.len_utf8();
    let scan = |start: usize, pred: &dyn Fn(char) -> bool| {
        let mut e = start;
        for (i, c) in s[start..].char_indices() {
            if !pred(c) {
                return start + i;
            }
            e = start + i + c.len_utf8();
        }
        e
    };
    if is_connector(r) {
        let e = scan(first_end, &is_connector);
        let (w, rest) = end_at(e);
        return (Word::Connector, w, rest);
    }
    if is_punct(r) {
        let e = scan(first_end, &is_punct);
        let (w, rest) = end_at(e);
        return (Word::Punct, w, rest);
    }
    if r.is_uppercase() {
        let Some(c1) = s[first_end..].chars().next() else {
            return (Word::Upper, s, "");
        };
        if c1.is_uppercase() {
            // A run of capitals; when a lowercase letter follows, the last
            // capital starts the next word ("HTTPServer" → "HTTP", "Server").
            let mut off = first_end;
            let mut prev_size = 0;
            let mut next_c = None;
            for c in s[first_end..].chars() {
                if !c.is_uppercase() {
                    next_c = Some(c);
                    break;
                }
                prev_size = c.len_utf8();
                off += prev_size;
            }
            if next_c.is_some_and(is_alphabet) {
                off -= prev_size;
            }
            return (Word::Upper, &s[..off], &s[off..]);
        }
        if is_alphabet(c1) {
            let e = scan(first_end + c1.len_utf8(), &|c: char| {
                is_alphabet(c) && !c.is_uppercase()
            });
            let (w, rest) = end_at(e);
            return (Word::Upper, w, rest);
        }
        let (w, rest) = end_at(first_end);
        return (Word::Upper, w, rest);
    }
    if is_alphabet(r) {
        let e = scan(first_end, &|c: char| is_alphabet(c) && !c.is_uppercase());
        let (w, rest) = end_at(e);
        return (Word::Alpha, w, rest);
    }
    if r.is_numeric() {
        let e = scan(first_end, &|c: char| c.is_numeric());
        let (w, rest) = end_at(e);
        return (Word::Number, w, rest);
    }
    let e = scan(first_end, &|c: char| {
        !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c))
    });
    let (w, rest) = end_at(e);
    (Word::Other, w, rest)
}

fn to_lower_word(buf: &mut String, wt: Word, w: &str, conn: char) {
    if wt != Word::Upper && wt != Word::Connector {
        buf.push_str(w);
        return;
    }
    for c in w.chars() {
        if is_connector(c) {
            buf.push(conn);
        } else if c.is_uppercase() {
            buf.push(lower_rune(c));
        } else {
            buf.push(c);
        }
    }
}

/// xstrings `camelCaseToLowerCase` (snakecase / kebabcase).
fn camel_to_lower(v: &str, conn: char) -> String {
    if v.is_empty() {
        return String::new();
    }
    let mut buf = String::new();
    let (mut wt, mut word, mut rem) = next_word(v);
    while !rem.is_empty() {
        if wt != Word::Connector {
            to_lower_word(&mut buf, wt, word, conn);
        }
        let prev = wt;
        let last = word;
        (wt, word, rem) = next_word(rem);
        match prev {
            Word::Number => {
                while wt == Word::Alpha || wt == Word::Number {
                    to_lower_word(&mut buf, wt, word, conn);
                    (wt, word, rem) = next_word(rem);
                }
                if wt != Word::Invalid && wt != Word::Punct && wt != Word::Connector {
                    buf.push(conn);
                }
            }
            Word::Connector => to_lower_word(&mut buf, prev, last, conn),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(conn);
                    }
                    continue;
                }
                if rem.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, rem) = next_word(rem);
                if wt != Word::Alpha {
                    to_lower_word(&mut buf, Word::Number, last, conn);
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(conn);
                    }
                    continue;
                }
                buf.push(conn);
                to_lower_word(&mut buf, Word::Number, last, conn);
                while wt == Word::Alpha || wt == Word::Number {
                    to_lower_word(&mut buf, wt, word, conn);
                    (wt, word, rem) = next_word(rem);
                }
                if wt != Word::Invalid && wt != Word::Connector && wt != Word::Punct {
                    buf.push(conn);
                }
            }
        }
    }
    to_lower_word(&mut buf, wt, word, conn);
    buf
}

/// `{{ snakecase "FirstName" }}` → `first_name`.
pub fn snakecase(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("snakecase", a, 1)?;
    Ok(s(camel_to_lower(string(&a[0])?, '_')))
}

/// `{{ kebabcase "FirstName" }}` → `first-name`.
pub fn kebabcase(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("kebabcase", a, 1)?;
    Ok(s(camel_to_lower(string(&a[0])?, '-')))
}

/// `{{ camelcase "http_server" }}` → `HttpServer` (xstrings.ToPascalCase).
pub fn camelcase(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("camelcase", a, 1)?;
    let v = string(&a[0])?;
    let mut chars = v.chars();
    let mut buf = String::new();
    let mut r0 = '\0';
    let mut first_upper = false;
    let mut any = false;
    // Leading connectors are copied; xstrings then writes the last rune
    // read once more when nothing follows (so "_" becomes "__").
    for c in chars.by_ref() {
        any = true;
        if !is_connector(c) {
            first_upper = c.is_uppercase();
            r0 = upper_rune(c);
            break;
        }
        buf.push(c);
        r0 = c;
    }
    let rest: Vec<char> = chars.collect();
    if rest.is_empty() {
        if any {
            buf.push(r0);
        }
        return Ok(s(buf));
    }
    for c in rest {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            buf.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = r0.is_uppercase();
            r0 = upper_rune(r0);
        } else {
            if first_upper {
                if r0.is_uppercase() {
                    r0 = lower_rune(r0);
                } else {
                    first_upper = false;
                }
            }
            buf.push(r1);
        }
    }
    buf.push(r0);
    Ok(s(buf))
}

/// `{{ swapcase "Hello World" }}` → `hELLO wORLD`.
pub fn swapcase(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("swapcase", a, 1)?;
    let mut ws = true;
    let out: String = string(&a[0])?
        .chars()
        .map(|c| {
            if c.is_uppercase() {
                ws = false;
                lower_rune(c)
            } else if c.is_lowercase() {
                let r = upper_rune(c);
                ws = false;
                r
            } else {
                ws = is_space(c);
                c
            }
        })
        .collect();
    let _ = ws;
    Ok(s(out))
}

/// `{{ shuffle "hello" }}` → the runes in random order (seedable).
pub fn shuffle(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("shuffle", a, 1)?;
    let mut runes: Vec<char> = string(&a[0])?.chars().collect();
    for i in (1..runes.len()).rev() {
        let j = env.rand_below((i + 1) as u64) as usize;
        runes.swap(i, j);
    }
    Ok(s(runes.into_iter().collect::<String>()))
}

/// Go's strings.Split: an empty separator splits into runes.
pub(crate) fn go_split(v: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let runes: Vec<String> = v.chars().map(String::from).collect();
        if n > 0 && (runes.len() as i64) > n {
            let mut out: Vec<String> = runes[..(n - 1) as usize].to_vec();
            let consumed: usize = out.iter().map(String::len).sum();
            out.push(v[consumed..].to_string());
            return out;
        }
        return runes;
    }
    if n < 0 {
        v.split(sep).map(String::from).collect()
    } else {
        v.splitn(n as usize, sep).map(String::from).collect()
    }
}

fn index_map(parts: Vec<String>) -> Value {
    let m = Map::new();
    for (i, p) in parts.into_iter().enumerate() {
        m.insert(format!("_{i}"), Value::from(p));
    }
    Value::Map(m)
}

/// `{{ (split "$" "a$b").__0 }}` → `a` (map with keys `_0`, `_1`, ...).
pub fn split(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("split", a, 2)?;
    Ok(index_map(go_split(string(&a[1])?, string(&a[0])?, -1)))
}

/// `{{ splitList "," "a,b" }}` → `[a b]`.
pub fn split_list(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("splitList", a, 2)?;
    Ok(strings(go_split(string(&a[1])?, string(&a[0])?, -1)))
}

/// `{{ splitn "$" 2 "a$b$c" }}` → `map[_0:a _1:b$c]`.
pub fn splitn(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("splitn", a, 3)?;
    Ok(index_map(go_split(
        string(&a[2])?,
        string(&a[0])?,
        int(&a[1])?,
    )))
}

/// sprig `strslice`: a list's non-nil elements as strings, a scalar as a
/// one-element list, nil as an empty list.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l) => l.iter().filter(|x| !x.is_nil()).map(sval).collect(),
        Value::Bytes(b) => b.iter().map(|x| x.to_string()).collect(),
        Value::Nil => Vec::new(),
        other => vec![sval(other)],
    }
}

/// `{{ join "," (list 1 2) }}` → `1,2`.
pub fn join(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("join", a, 2)?;
    Ok(s(strslice(&a[1]).join(string(&a[0])?)))
}

/// `{{ toStrings (list 1 2) }}` → `[1 2]` as strings.
pub fn to_strings(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("toStrings", a, 1)?;
    Ok(strings(strslice(&a[0])))
}

/// `{{ toString 1.5 }}` → `1.5`.
pub fn to_string(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("toString", a, 1)?;
    Ok(s(sval(&a[0])))
}

/// `{{ sortAlpha (list "b" "a") }}` → `[a b]` (byte order).
pub fn sort_alpha(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("sortAlpha", a, 1)?;
    match &a[0] {
        Value::List(_) | Value::Bytes(_) => {
            let mut v = strslice(&a[0]);
            v.sort();
            Ok(strings(v))
        }
        other => Ok(strings(vec![sval(other)])),
    }
}

/// Longest text the rand* and indent functions build (Go has no limit but
/// would exhaust memory).
const MAX_TEXT: i64 = 100_000_000;

fn check_text(n: i64) -> Result<(), FuncError> {
    if n > MAX_TEXT {
        return Err(fail(format!(
            "tusk: refusing to build a text of {n} bytes (limit {MAX_TEXT})"
        )));
    }
    Ok(())
}

fn rand_string(env: &Env, n: i64, alphabet: &[u8]) -> String {
    (0..n.max(0))
        .map(|_| alphabet[env.rand_below(alphabet.len() as u64) as usize] as char)
        .collect()
}

const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const NUM: &[u8] = b"0123456789";

/// `{{ randAlphaNum 10 }}` → 10 random letters and digits.
pub fn rand_alpha_num(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("randAlphaNum", a, 1)?;
    let n = int(&a[0])?;
    check_text(n)?;
    Ok(s(rand_string(env, n, ALNUM)))
}

/// `{{ randAlpha 10 }}` → 10 random letters.
pub fn rand_alpha(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("randAlpha", a, 1)?;
    let n = int(&a[0])?;
    check_text(n)?;
    Ok(s(rand_string(env, n, ALPHA)))
}

/// `{{ randNumeric 6 }}` → 6 random digits.
pub fn rand_numeric(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("randNumeric", a, 1)?;
    let n = int(&a[0])?;
    check_text(n)?;
    Ok(s(rand_string(env, n, NUM)))
}

/// `{{ randAscii 8 }}` → 8 random printable ASCII characters (32..126).
pub fn rand_ascii(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("randAscii", a, 1)?;
    let n = int(&a[0])?;
    check_text(n)?;
    Ok(s((0..n.max(0))
        .map(|_| (32 + env.rand_below(95) as u8) as char)
        .collect::<String>()))
}

// ---- regular expressions -------------------------------------------------

/// Compiles a Go (RE2) pattern: Perl classes `\d \w \s \b` are ASCII-only in
/// Go but Unicode-aware in Rust's regex, so they are translated.
pub(crate) fn compile(pattern: &str) -> Result<std::rc::Rc<regex::Regex>, String> {
    // Charts call regex functions with the same few literal patterns in every
    // loop iteration; compiling each time was ~14% of a real chart's render.
    // A small per-thread cache (cleared when full) keeps it bounded. It hands
    // out shared references: a cloned `Regex` gets a new, empty match cache,
    // and rebuilding that on every call cost as much as compiling.
    type Cache = std::collections::HashMap<String, std::rc::Rc<regex::Regex>>;
    thread_local! {
        static CACHE: std::cell::RefCell<Cache> = std::cell::RefCell::new(Cache::new());
    }
    if let Some(re) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(re);
    }
    let re = std::rc::Rc::new(compile_uncached(pattern)?);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 256 {
            c.clear();
        }
        c.insert(pattern.to_string(), re.clone());
    });
    Ok(re)
}

fn compile_uncached(pattern: &str) -> Result<regex::Regex, String> {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(d @ ('d' | 'D' | 'w' | 'W' | 's' | 'S')) => {
                    let class = match d.to_ascii_lowercase() {
                        'd' => "0-9",
                        'w' => "0-9A-Za-z_",
                        _ => "\\t\\n\\f\\r ",
                    };
                    let neg = d.is_ascii_uppercase();
                    if in_class {
                        if neg {
                            out.push_str(&format!("[^{class}]"));
                        } else {
                            out.push_str(class);
                        }
                    } else {
                        out.push_str(&format!("[{}{class}]", if neg { "^" } else { "" }));
                    }
                }
                Some('b') if !in_class => out.push_str("(?-u:\\b)"),
                Some('B') if !in_class => out.push_str("(?-u:\\B)"),
                Some('z') => out.push_str("\\z"),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
            continue;
        }
        if in_class {
            if c == '[' && chars.peek() == Some(&':') {
                // POSIX class [:alpha:]: copy through to the closing ]
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == ']' {
                        break;
                    }
                }
                continue;
            }
            if c == ']' {
                in_class = false;
            }
            out.push(c);
            continue;
        }
        if c == '[' {
            in_class = true;
            out.push(c);
            // A leading ] or ^] is literal.
            if chars.peek() == Some(&'^') {
                out.push(chars.next().unwrap_or('^'));
            }
            if chars.peek() == Some(&']') {
                chars.next();
                out.push_str("\\]");
            }
            continue;
        }
        out.push(c);
    }
    regex::Regex::new(&out).map_err(|e| go_regex_error(pattern, &e))
}

/// Go's regexp error text for the common cases.
fn go_regex_error(pattern: &str, e: &regex::Error) -> String {
    let msg = e.to_string();
    let what = if msg.contains("unclosed group") {
        format!("missing closing ): `{pattern}`")
    } else if msg.contains("unopened group") {
        format!("unexpected ): `{pattern}`")
    } else if msg.contains("unclosed character class") {
        let from = pattern.rfind('[').unwrap_or(0);
        format!("missing closing ]: `{}`", &pattern[from..])
    } else if msg.contains("repetition operator missing expression") {
        let op = pattern
            .chars()
            .find(|c| matches!(c, '*' | '+' | '?'))
            .unwrap_or('*');
        format!("missing argument to repetition operator: `{op}`")
    } else if msg.contains("escape sequence") {
        format!("invalid escape sequence: `{pattern}`")
    } else {
        format!("invalid regexp: `{pattern}`")
    };
    format!("error parsing regexp: {what}")
}

fn must_compile(name: &str, pattern: &str) -> Result<std::rc::Rc<regex::Regex>, FuncError> {
    let _ = name;
    compile(pattern).map_err(|e| fail(format!("regexp: Compile({}): {e}", go_backquote(pattern))))
}

fn go_backquote(s: &str) -> String {
    if s.contains('`') {
        go_quote(s)
    } else {
        format!("`{s}`")
    }
}

fn compile_or_fail(pattern: &str) -> Result<std::rc::Rc<regex::Regex>, FuncError> {
    compile(pattern).map_err(fail)
}

/// `{{ regexMatch "^a" "abc" }}` → `true` (false on a bad pattern).
pub fn regex_match(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("regexMatch", a, 2)?;
    Ok(Value::Bool(
        compile(string(&a[0])?)
            .map(|r| r.is_match(string(&a[1]).unwrap_or("")))
            .unwrap_or(false),
    ))
}

/// `{{ mustRegexMatch "^a" "abc" }}`; a bad pattern is an error.
pub fn must_regex_match(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mustRegexMatch", a, 2)?;
    let r = compile_or_fail(string(&a[0])?)?;
    Ok(Value::Bool(r.is_match(string(&a[1])?)))
}

fn find_all(r: &regex::Regex, v: &str, n: i64) -> Vec<String> {
    let it = r.find_iter(v).map(|m| m.as_str().to_string());
    if n < 0 {
        it.collect()
    } else {
        it.take(n as usize).collect()
    }
}

/// `{{ regexFindAll "[0-9]" "a1b2" -1 }}` → `[1 2]`.
pub fn regex_find_all(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("regexFindAll", a, 3)?;
    let r = must_compile("regexFindAll", string(&a[0])?)?;
    Ok(list_or_nil(find_all(&r, string(&a[1])?, int(&a[2])?)))
}

fn list_or_nil(v: Vec<String>) -> Value {
    // Go returns a nil []string when nothing matched; it prints as [].
    strings(v)
}

/// `{{ mustRegexFindAll "[0-9]" "a1b2" -1 }}`.
pub fn must_regex_find_all(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mustRegexFindAll", a, 3)?;
    let r = compile_or_fail(string(&a[0])?)?;
    Ok(list_or_nil(find_all(&r, string(&a[1])?, int(&a[2])?)))
}

/// `{{ regexFind "[0-9]+" "ab12cd" }}` → `12`.
pub fn regex_find(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("regexFind", a, 2)?;
    let r = must_compile("regexFind", string(&a[0])?)?;
    Ok(s(r.find(string(&a[1])?).map(|m| m.as_str()).unwrap_or("")))
}

/// `{{ mustRegexFind "[0-9]+" "ab12cd" }}`.
pub fn must_regex_find(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mustRegexFind", a, 2)?;
    let r = compile_or_fail(string(&a[0])?)?;
    Ok(s(r.find(string(&a[1])?).map(|m| m.as_str()).unwrap_or("")))
}

/// `{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}` → `-W-xxW-`.
pub fn regex_replace_all(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("regexReplaceAll", a, 3)?;
    let r = must_compile("regexReplaceAll", string(&a[0])?)?;
    Ok(s(r
        .replace_all(string(&a[1])?, string(&a[2])?)
        .into_owned()))
}

/// `{{ mustRegexReplaceAll "a" "aba" "c" }}`.
pub fn must_regex_replace_all(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mustRegexReplaceAll", a, 3)?;
    let r = compile_or_fail(string(&a[0])?)?;
    Ok(s(r
        .replace_all(string(&a[1])?, string(&a[2])?)
        .into_owned()))
}

/// `{{ regexReplaceAllLiteral "a" "aba" "$1" }}` → `$1b$1`.
pub fn regex_replace_all_literal(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("regexReplaceAllLiteral", a, 3)?;
    let r = must_compile("regexReplaceAllLiteral", string(&a[0])?)?;
    Ok(s(r
        .replace_all(string(&a[1])?, regex::NoExpand(string(&a[2])?))
        .into_owned()))
}

/// `{{ mustRegexReplaceAllLiteral "a" "aba" "$1" }}`.
pub fn must_regex_replace_all_literal(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mustRegexReplaceAllLiteral", a, 3)?;
    let r = compile_or_fail(string(&a[0])?)?;
    Ok(s(r
        .replace_all(string(&a[1])?, regex::NoExpand(string(&a[2])?))
        .into_owned()))
}

/// Go's `Regexp.Split`.
fn go_regex_split(r: &regex::Regex, pattern: &str, v: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if !pattern.is_empty() && v.is_empty() {
        return vec![String::new()];
    }
    let matches: Vec<(usize, usize)> = {
        let it = r.find_iter(v).map(|m| (m.start(), m.end()));
        if n < 0 {
            it.collect()
        } else {
            it.take(n as usize).collect()
        }
    };
    let mut out = Vec::new();
    let (mut beg, mut end) = (0, 0);
    for (ms, me) in matches {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = ms;
        if me != 0 {
            out.push(v[beg..end].to_string());
        }
        beg = me;
    }
    if end != v.len() {
        out.push(v[beg..].to_string());
    }
    out
}

/// `{{ regexSplit "z+" "pizza" -1 }}` → `[pi a]`.
pub fn regex_split(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("regexSplit", a, 3)?;
    let p = string(&a[0])?;
    let r = must_compile("regexSplit", p)?;
    Ok(strings(go_regex_split(&r, p, string(&a[1])?, int(&a[2])?)))
}

/// `{{ mustRegexSplit "z+" "pizza" -1 }}`.
pub fn must_regex_split(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mustRegexSplit", a, 3)?;
    let p = string(&a[0])?;
    let r = compile_or_fail(p)?;
    Ok(strings(go_regex_split(&r, p, string(&a[1])?, int(&a[2])?)))
}

/// `{{ regexQuoteMeta "1.2" }}` → `1\.2`.
pub fn regex_quote_meta(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("regexQuoteMeta", a, 1)?;
    let mut out = String::new();
    for c in string(&a[0])?.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(s(out))
}

/// `{{ hello }}` → `Hello!`.
pub fn hello(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("hello", a, 0)?;
    Ok(s("Hello!"))
}
