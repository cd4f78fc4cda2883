//! Go's `encoding/json` as templates see it: [`encode`] writes a value like
//! `json.Marshal` / `MarshalIndent` / an `Encoder` without HTML escaping;
//! [`parse`] reads like `json.Unmarshal` into `interface{}` (every number a
//! float64) with Go's error wording.

use std::collections::BTreeMap;

use tusk_template::{JsonForm, Map, Value};

use crate::gofloat::{format_float, json_float};

/// An encoding/json error, worded like Go's.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// NaN or an infinity (`json: unsupported value: NaN`).
    #[error("json: unsupported value: {0}")]
    Unsupported(String),
    /// A syntax error (`invalid character 'x' looking for beginning of value`).
    #[error("{0}")]
    Syntax(String),
    /// A well-formed document of the wrong shape for the target type.
    #[error("json: cannot unmarshal {found} into Go value of type {target}")]
    Type {
        /// What was found (`array`, `number 1e400`, ...).
        found: String,
        /// The Go type wanted.
        target: String,
    },
}

/// Options for [`encode`].
#[derive(Debug, Clone, Copy, Default)]
pub struct EncodeOptions<'a> {
    /// Escape `<`, `>`, `&` as `\u003c` etc. (json.Marshal does).
    pub escape_html: bool,
    /// `MarshalIndent` indent string (prefix is always empty here).
    pub indent: Option<&'a str>,
}

/// `json.Marshal(v)`.
pub fn to_json(v: &Value) -> Result<String, JsonError> {
    encode(
        v,
        EncodeOptions {
            escape_html: true,
            indent: None,
        },
    )
}

/// `json.MarshalIndent(v, "", "  ")` (sprig's toPrettyJson).
pub fn to_pretty_json(v: &Value) -> Result<String, JsonError> {
    encode(
        v,
        EncodeOptions {
            escape_html: true,
            indent: Some("  "),
        },
    )
}

/// An Encoder with `SetEscapeHTML(false)`, trailing newline trimmed
/// (sprig's toRawJson).
pub fn to_raw_json(v: &Value) -> Result<String, JsonError> {
    encode(
        v,
        EncodeOptions {
            escape_html: false,
            indent: None,
        },
    )
}

/// Encodes `v` as Go's encoding/json would.
pub fn encode(v: &Value, opts: EncodeOptions<'_>) -> Result<String, JsonError> {
    let mut out = String::new();
    enc(v, &opts, 0, &mut out)?;
    Ok(out)
}

fn newline(out: &mut String, opts: &EncodeOptions<'_>, depth: usize) {
    if let Some(ind) = opts.indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn enc(
    v: &Value,
    opts: &EncodeOptions<'_>,
    depth: usize,
    out: &mut String,
) -> Result<(), JsonError> {
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => match json_float(*f) {
            Some(s) => out.push_str(&s),
            None => return Err(JsonError::Unsupported(format_float(*f, 'g', false))),
        },
        Value::String(s) => quote_into(s, opts.escape_html, out),
        Value::Bytes(b) => {
            use base64::Engine;
            out.push('"');
            out.push_str(&base64::engine::general_purpose::STANDARD.encode(b));
            out.push('"');
        }
        Value::List(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, opts, depth + 1);
                enc(item, opts, depth + 1, out)?;
            }
            newline(out, opts, depth);
            out.push(']');
        }
        Value::Map(m) => {
            let entries = m.entries();
            enc_entries(
                entries.iter().map(|(k, v)| (k.as_str(), v)),
                opts,
                depth,
                out,
            )?
        }
        Value::Object(o) => match o.json_form() {
            Some(JsonForm::Null) => out.push_str("null"),
            Some(JsonForm::Fields(fields)) => {
                // Go structs marshal in field order, not sorted.
                enc_entries(
                    fields.iter().map(|(k, v)| (k.as_str(), v)),
                    opts,
                    depth,
                    out,
                )?
            }
            None => enc(&o.to_value(), opts, depth, out)?,
        },
    }
    Ok(())
}

/// A JSON object from entries in the order given.
fn enc_entries<'a>(
    entries: impl ExactSizeIterator<Item = (&'a str, &'a Value)>,
    opts: &EncodeOptions<'_>,
    depth: usize,
    out: &mut String,
) -> Result<(), JsonError> {
    if entries.len() == 0 {
        out.push_str("{}");
        return Ok(());
    }
    out.push('{');
    for (i, (k, item)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        newline(out, opts, depth + 1);
        quote_into(k, opts.escape_html, out);
        out.push(':');
        if opts.indent.is_some() {
            out.push(' ');
        }
        enc(item, opts, depth + 1, out)?;
    }
    newline(out, opts, depth);
    out.push('}');
    Ok(())
}

/// Go's JSON string quoting.
pub fn quote_into(s: &str, escape_html: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `json.Unmarshal` into `interface{}`.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let mut p = P {
        depth: 0,
        b: text.as_bytes(),
        s: text,
        i: 0,
    };
    p.ws();
    if p.i >= p.b.len() {
        return Err(JsonError::Syntax("unexpected end of JSON input".into()));
    }
    // Go checks the whole document's syntax before decoding, so a syntax
    // error anywhere wins over a number-range error.
    let v = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.bad("after top-level value"));
    }
    v.finish()
}

/// `json.Unmarshal` into `map[string]interface{}` (fromJson). Null leaves
/// the map empty.
pub fn parse_map(text: &str) -> Result<Map, JsonError> {
    match parse(text)? {
        Value::Map(m) => Ok(m),
        Value::Nil => Ok(Map::new()),
        other => Err(JsonError::Type {
            found: kind(&other).into(),
            target: "map[string]interface {}".into(),
        }),
    }
}

/// `json.Unmarshal` into `[]interface{}` (fromJsonArray).
pub fn parse_list(text: &str) -> Result<Vec<Value>, JsonError> {
    match parse(text)? {
        Value::List(l) => Ok(l.as_ref().clone()),
        Value::Nil => Ok(Vec::new()),
        other => Err(JsonError::Type {
            found: kind(&other).into(),
            target: "[]interface {}".into(),
        }),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "array",
        Value::Map(_) => "object",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Float(_) => "number",
        _ => "value",
    }
}

/// A parsed value that may still carry a deferred number-range error (Go
/// reports those only after the syntax check).
enum Parsed {
    Ok(Value),
    List(Vec<Parsed>),
    Map(Vec<(String, Parsed)>),
    BadNumber(String),
}

impl Parsed {
    fn finish(self) -> Result<Value, JsonError> {
        match self {
            Parsed::Ok(v) => Ok(v),
            Parsed::BadNumber(n) => Err(JsonError::Type {
                found: format!("number {n}"),
                target: "float64".into(),
            }),
            Parsed::List(items) => Ok(Value::list(
                items
                    .into_iter()
                    .map(Parsed::finish)
                    .collect::<Result<Vec<_>, _>>()?,
            )),
            Parsed::Map(pairs) => {
                let mut m = BTreeMap::new();
                for (k, v) in pairs {
                    m.insert(k, v.finish()?);
                }
                Ok(Value::Map(Map::from_btree(m)))
            }
        }
    }
}

struct P<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
    depth: usize,
}

/// Go's `quoteChar`.
fn quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        c => {
            let q = crate::gostr::go_quote(&c.to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

impl P<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn cur(&self) -> Option<char> {
        self.s.get(self.i..).and_then(|r| r.chars().next())
    }
    fn bad(&self, ctx: &str) -> JsonError {
        match self.cur() {
            None => JsonError::Syntax("unexpected end of JSON input".into()),
            Some(c) => JsonError::Syntax(format!("invalid character {} {ctx}", quote_char(c))),
        }
    }
    fn value(&mut self) -> Result<Parsed, JsonError> {
        // encoding/json refuses documents nested deeper than 10000.
        if self.depth >= 10_000 {
            return Err(JsonError::Syntax("exceeded max depth".into()));
        }
        self.depth += 1;
        let r = self.value_inner();
        self.depth -= 1;
        r
    }

    fn value_inner(&mut self) -> Result<Parsed, JsonError> {
        match self.b.get(self.i) {
            None => Err(self.bad("looking for beginning of value")),
            Some(b'{') => {
                self.i += 1;
                let mut pairs = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Parsed::Map(pairs));
                }
                loop {
                    self.ws();
                    if self.b.get(self.i) != Some(&b'"') {
                        return Err(self.bad("looking for beginning of object key string"));
                    }
                    let k = self.string()?;
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return Err(self.bad("after object key"));
                    }
                    self.i += 1;
                    self.ws();
                    let v = self.value()?;
                    pairs.push((k, v));
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Parsed::Map(pairs));
                        }
                        _ => return Err(self.bad("after object key:value pair")),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Parsed::List(items));
                }
                loop {
                    self.ws();
                    items.push(self.value()?);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Parsed::List(items));
                        }
                        _ => return Err(self.bad("after array element")),
                    }
                }
            }
            Some(b'"') => Ok(Parsed::Ok(Value::from(self.string()?))),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Nil),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.bad("looking for beginning of value")),
        }
    }
    fn literal(&mut self, word: &str, v: Value) -> Result<Parsed, JsonError> {
        for (k, want) in word.bytes().enumerate() {
            if self.b.get(self.i) != Some(&want) {
                return Err(self.bad(&format!("in literal {word} (expecting '{}')", want as char)));
            }
            let _ = k;
            self.i += 1;
        }
        Ok(Parsed::Ok(v))
    }
    fn number(&mut self) -> Result<Parsed, JsonError> {
        let st = self.i;
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.i < p.b.len() && p.b[p.i].is_ascii_digit() {
                p.i += 1;
            }
            p.i - s
        };
        if self.b[self.i] == b'-' {
            self.i += 1;
        }
        match self.b.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.bad("in numeric literal")),
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return Err(self.bad("after decimal point in numeric literal"));
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(self.bad("in exponent of numeric literal"));
            }
        }
        let text = &self.s[st..self.i];
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Parsed::Ok(Value::Float(f))),
            _ => Ok(Parsed::BadNumber(text.to_string())),
        }
    }
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0;
        for _ in 0..4 {
            match self.b.get(self.i).and_then(|c| (*c as char).to_digit(16)) {
                Some(d) => {
                    v = v * 16 + d;
                    self.i += 1;
                }
                None => return Err(self.bad("in \\u hexadecimal character escape")),
            }
        }
        Ok(v)
    }
    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let Some(c) = self.cur() else {
                return Err(JsonError::Syntax("unexpected end of JSON input".into()));
            };
            match c {
                '"' => {
                    self.i += 1;
                    return Ok(out);
                }
                '\\' => {
                    self.i += 1;
                    let Some(e) = self.cur() else {
                        return Err(JsonError::Syntax("unexpected end of JSON input".into()));
                    };
                    self.i += 1;
                    match e {
                        '"' => out.push('"'),
                        '\\' => out.push('\\'),
                        '/' => out.push('/'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi) {
                                // A surrogate pair, if the next escape completes it.
                                let save = self.i;
                                if self.b.get(self.i) == Some(&b'\\')
                                    && self.b.get(self.i + 1) == Some(&b'u')
                                {
                                    self.i += 2;
                                    if let Ok(lo) = self.hex4()
                                        && (0xDC00..0xE000).contains(&lo)
                                    {
                                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                        out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                                        continue;
                                    }
                                }
                                self.i = save;
                                out.push('\u{FFFD}');
                            } else {
                                out.push(char::from_u32(hi).unwrap_or('\u{FFFD}'));
                            }
                        }
                        _ => {
                            self.i -= e.len_utf8();
                            return Err(self.bad("in string escape code"));
                        }
                    }
                }
                c if (c as u32) < 0x20 => return Err(self.bad("in string literal")),
                c => {
                    out.push(c);
                    self.i += c.len_utf8();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_errors() {
        assert_eq!(
            parse("{").unwrap_err().to_string(),
            "unexpected end of JSON input"
        );
        assert_eq!(
            parse("{\"a\" 1}").unwrap_err().to_string(),
            "invalid character '1' after object key"
        );
        assert_eq!(
            parse("x").unwrap_err().to_string(),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(
            parse("1e400").unwrap_err().to_string(),
            "json: cannot unmarshal number 1e400 into Go value of type float64"
        );
    }

    #[test]
    fn encodes_like_go() {
        let v = parse("{\"b\":[1,2.5,\"<&>\"],\"a\":{}}").unwrap();
        assert_eq!(
            to_json(&v).unwrap(),
            "{\"a\":{},\"b\":[1,2.5,\"\\u003c\\u0026\\u003e\"]}"
        );
        assert_eq!(to_raw_json(&v).unwrap(), "{\"a\":{},\"b\":[1,2.5,\"<&>\"]}");
        assert_eq!(
            to_pretty_json(&v).unwrap(),
            "{\n  \"a\": {},\n  \"b\": [\n    1,\n    2.5,\n    \"\\u003c\\u0026\\u003e\"\n  ]\n}"
        );
    }
}

#[cfg(test)]
mod depth_tests {
    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        // Run where templates run: on a thread with a large stack.
        let h = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(|| super::parse(&"[".repeat(200_000)).is_err())
            .unwrap();
        assert!(h.join().unwrap());
    }
}
