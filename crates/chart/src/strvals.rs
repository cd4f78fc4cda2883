//! The `--set` family of parsers, mirroring helm's `pkg/strvals`:
//! `a.b=c,d[0]=e,f={x,y}` with helm's typing (`--set`: int64 integers,
//! booleans, `null`; `--set-string`: always strings), `--set-json` (JSON
//! values), `--set-file` (file contents) and `--set-literal` (the rest of the
//! argument verbatim). Backslash escapes the next character except in
//! literals. List indexes are capped at 65536 and name nesting at 30 levels,
//! as in helm.

use tusk_template::{Map, Value};

/// helm's upper bound on a list index.
pub const MAX_INDEX: i64 = 65536;
/// helm's upper bound on `a.b.c…` nesting.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;
/// tusk's bound on `a[0][0]…` nesting (helm has none; this keeps absurd
/// arguments from exhausting the stack).
pub const MAX_NESTED_LIST_LEVEL: usize = 100;

/// Reads the value of a `--set-file` entry (the argument is the path).
pub type FileReader<'a> = dyn FnMut(&str) -> Result<Value, String> + 'a;

/// `--set`: parses `expr` into `dest` with helm's typing.
pub fn parse_into(expr: &str, dest: &Map) -> Result<(), String> {
    Parser::new(expr, Mode::Typed { strings: false }).parse(dest)
}

/// `--set-string`: parses `expr` into `dest`, every value a string.
pub fn parse_into_string(expr: &str, dest: &Map) -> Result<(), String> {
    Parser::new(expr, Mode::Typed { strings: true }).parse(dest)
}

/// `--set-json`: values are JSON documents.
pub fn parse_json(expr: &str, dest: &Map) -> Result<(), String> {
    Parser::new(expr, Mode::Json).parse(dest)
}

/// `--set-file`: values are paths handed to `reader`.
pub fn parse_into_file(expr: &str, dest: &Map, reader: &mut FileReader<'_>) -> Result<(), String> {
    Parser::new(expr, Mode::File(reader)).parse(dest)
}

/// `--set-literal`: the value is everything after the first `=`.
pub fn parse_literal_into(expr: &str, dest: &Map) -> Result<(), String> {
    Parser::new(expr, Mode::Literal).parse(dest)
}

/// `--set` into a fresh map.
pub fn parse(expr: &str) -> Result<Map, String> {
    let m = Map::new();
    parse_into(expr, &m)?;
    Ok(m)
}

/// helm's `typedVal`: `true`/`false`/`null` (any case), `0`, and integers
/// without a leading zero become typed values; everything else a string.
pub fn typed_val(s: &str, strings: bool) -> Value {
    if strings {
        return Value::from(s);
    }
    if s.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if s.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if s.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if s == "0" {
        return Value::Int(0);
    }
    if !s.is_empty()
        && !s.starts_with('0')
        && let Some(i) = parse_go_int(s)
    {
        return Value::Int(i);
    }
    Value::from(s)
}

/// Go's `strconv.ParseInt(s, 10, 64)` success cases.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// Go's `strconv.Atoi` with its error text.
fn atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            go_quote(s)
        ));
    }
    s.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing {}: value out of range", go_quote(s)))
}

/// Go's `%q` for the strings these messages quote.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

enum Mode<'a> {
    Typed { strings: bool },
    Json,
    File(&'a mut FileReader<'a>),
    Literal,
}

/// Why a step stopped: the input ended (not an error at top level) or a
/// real error.
enum Stop {
    Eof,
    Err(String),
}

impl From<String> for Stop {
    fn from(s: String) -> Self {
        Stop::Err(s)
    }
}

impl Stop {
    fn message(self) -> String {
        match self {
            Stop::Eof => "EOF".into(),
            Stop::Err(s) => s,
        }
    }
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    mode: Mode<'a>,
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Nil => "nil",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int64",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        _ => "interface {}",
    }
}

fn not_a(v: &Value, want: &str) -> Stop {
    Stop::Err(format!(
        "unable to parse key: interface conversion: interface {{}} is {}, not {want}",
        go_type(v)
    ))
}

impl<'a> Parser<'a> {
    fn new(s: &str, mode: Mode<'a>) -> Self {
        Parser {
            chars: s.chars().collect(),
            pos: 0,
            mode,
        }
    }

    fn literal(&self) -> bool {
        matches!(self.mode, Mode::Literal)
    }

    fn parse(&mut self, data: &Map) -> Result<(), String> {
        loop {
            match self.key(data, 0) {
                Ok(()) => continue,
                Err(Stop::Eof) => return Ok(()),
                Err(Stop::Err(e)) => return Err(e),
            }
        }
    }

    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos -= 1;
    }

    /// Reads up to one of `stop`; returns the text and the stop character
    /// (`None` at the end of input). Backslash escapes except in literals.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut v = String::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some('\\') if !self.literal() => match self.read() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(c) => v.push(c),
            }
        }
    }

    fn convert(&mut self, s: &str) -> Result<Value, Stop> {
        match &mut self.mode {
            Mode::Typed { strings } => Ok(typed_val(s, *strings)),
            Mode::File(reader) => reader(s).map_err(Stop::Err),
            Mode::Literal | Mode::Json => Ok(Value::from(s)),
        }
    }

    fn key(&mut self, data: &Map, mut level: usize) -> Result<(), Stop> {
        let stop: &[char] = if self.literal() {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (k, last) = self.until(stop);
        match last {
            None => {
                if k.is_empty() {
                    Err(Stop::Eof)
                } else {
                    Err(Stop::Err(format!("key {} has no value", go_quote(&k))))
                }
            }
            Some('[') => {
                let i = self
                    .key_index()
                    .map_err(|e| Stop::Err(format!("error parsing index: {}", e.message())))?;
                let list = match data.get(&k) {
                    None => Vec::new(),
                    Some(Value::List(l)) => l.as_ref().clone(),
                    Some(other) => return Err(not_a(&other, "[]interface {}")),
                };
                let (list, res) = self.list_item(list, i, level, 0);
                set(data, &k, Value::list(list));
                res
            }
            Some('=') => {
                if matches!(self.mode, Mode::Json) {
                    let (v, empty) = self.json_value()?;
                    set(data, &k, v);
                    if !empty {
                        self.empty_val();
                    }
                    return Ok(());
                }
                if self.literal() {
                    let (v, _) = self.until(&[]);
                    set(data, &k, Value::from(v));
                    return Ok(());
                }
                match self.val_list() {
                    Ok(vl) => {
                        set(data, &k, Value::list(vl));
                        Ok(())
                    }
                    Err(ListErr::Eof) => {
                        set(data, &k, Value::from(""));
                        Err(Stop::Eof)
                    }
                    Err(ListErr::NotList) => {
                        let (rs, _) = self.until(&[',']);
                        let v = self.convert(&rs);
                        match v {
                            Ok(v) => {
                                set(data, &k, v);
                                Ok(())
                            }
                            Err(e) => {
                                set(data, &k, Value::Nil);
                                Err(e)
                            }
                        }
                    }
                    Err(ListErr::Err(e)) => Err(Stop::Err(e)),
                }
            }
            Some(',') => {
                set(data, &k, Value::from(""));
                Err(Stop::Err(format!(
                    "key {} has no value (cannot end with ,)",
                    go_quote(&k)
                )))
            }
            Some(_) => {
                // '.'
                level += 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(Stop::Err(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let inner = match data.get(&k) {
                    None => Map::new(),
                    Some(Value::Map(m)) => m,
                    Some(other) => return Err(not_a(&other, "map[string]interface {}")),
                };
                let e = self.key(&inner, level);
                if e.is_ok() && inner.is_empty() {
                    return Err(Stop::Err(format!("key map {} has no value", go_quote(&k))));
                }
                if !inner.is_empty() {
                    set(data, &k, Value::Map(inner));
                }
                e
            }
        }
    }

    fn key_index(&mut self) -> Result<i64, Stop> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            return Err(Stop::Eof);
        }
        atoi(&v).map_err(Stop::Err)
    }

    fn list_item(
        &mut self,
        mut list: Vec<Value>,
        i: i64,
        level: usize,
        depth: usize,
    ) -> (Vec<Value>, Result<(), Stop>) {
        if depth > MAX_NESTED_LIST_LEVEL {
            return (
                list,
                Err(Stop::Err(format!(
                    "list nesting level is greater than the maximum supported level of {MAX_NESTED_LIST_LEVEL}"
                ))),
            );
        }
        if i < 0 {
            return (
                list,
                Err(Stop::Err(format!("negative {i} index not allowed"))),
            );
        }
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return (
                list,
                Err(Stop::Err(format!(
                    "unexpected data at end of array index: {}",
                    go_quote(&k)
                ))),
            );
        }
        match last {
            None => (list, Err(Stop::Eof)),
            Some('=') => {
                if matches!(self.mode, Mode::Json) {
                    let (v, empty) = match self.json_value() {
                        Ok(v) => v,
                        Err(e) => return (list, Err(e)),
                    };
                    let list = match set_index(list, i, v) {
                        Ok(l) => l,
                        Err((l, e)) => return (l, Err(Stop::Err(e))),
                    };
                    if !empty {
                        self.empty_val();
                    }
                    return (list, Ok(()));
                }
                if self.literal() {
                    let (v, _) = self.until(&[]);
                    return wrap_set(set_index(list, i, Value::from(v)));
                }
                match self.val_list() {
                    Ok(vl) => wrap_set(set_index(list, i, Value::list(vl))),
                    Err(ListErr::Eof) => wrap_set(set_index(list, i, Value::from(""))),
                    Err(ListErr::NotList) => {
                        let (rs, _) = self.until(&[',']);
                        match self.convert(&rs) {
                            Ok(v) => wrap_set(set_index(list, i, v)),
                            Err(e) => (list, Err(e)),
                        }
                    }
                    Err(ListErr::Err(e)) => (list, Err(Stop::Err(e))),
                }
            }
            Some('[') => {
                let next = match self.key_index() {
                    Ok(n) => n,
                    Err(e) => {
                        return (
                            list,
                            Err(Stop::Err(format!("error parsing index: {}", e.message()))),
                        );
                    }
                };
                let current = match list.get(i as usize) {
                    None | Some(Value::Nil) => Vec::new(),
                    Some(Value::List(l)) => l.as_ref().clone(),
                    Some(other) => {
                        let e = not_a(other, "[]interface {}");
                        return (list, Err(e));
                    }
                };
                let (l2, r) = self.list_item(current, next, level, depth + 1);
                if let Err(e) = r {
                    return (list, Err(e));
                }
                wrap_set(set_index(list, i, Value::list(l2)))
            }
            Some(_) => {
                // '.'
                let inner = match list.get(i as usize) {
                    None => Map::new(),
                    Some(Value::Map(m)) => m.clone(),
                    Some(_) => {
                        let m = Map::new();
                        list[i as usize] = Value::Map(m.clone());
                        m
                    }
                };
                if let Err(e) = self.key(&inner, level) {
                    return (list, Err(e));
                }
                wrap_set(set_index(list, i, Value::Map(inner)))
            }
        }
    }

    fn val_list(&mut self) -> Result<Vec<Value>, ListErr> {
        match self.read() {
            None => return Err(ListErr::Eof),
            Some('{') => {}
            Some(_) => {
                self.unread();
                return Err(ListErr::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}']);
            match last {
                None => return Err(ListErr::Err("list must terminate with '}'".into())),
                Some('}') => {
                    if let Some(c) = self.read()
                        && c != ','
                    {
                        self.unread();
                    }
                    let v = self.convert(&rs).map_err(|e| ListErr::Err(e.message()))?;
                    list.push(v);
                    return Ok(list);
                }
                Some(_) => {
                    let v = self.convert(&rs).map_err(|e| ListErr::Err(e.message()))?;
                    list.push(v);
                }
            }
        }
    }

    /// helm's `emptyVal`: skips whitespace; true at the end or a comma.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => continue,
                Some(_) => {
                    self.unread();
                    return false;
                }
            }
        }
    }

    /// A JSON value; `true` when the value was empty (then `null`).
    fn json_value(&mut self) -> Result<(Value, bool), Stop> {
        if self.empty_val() {
            return Ok((Value::Nil, true));
        }
        let rest: String = self.chars[self.pos..].iter().collect();
        let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<serde_json::Value>();
        match stream.next() {
            Some(Ok(v)) => {
                let used = stream.byte_offset();
                self.pos += rest[..used].chars().count();
                Ok((json_to_value(v), false))
            }
            Some(Err(e)) => Err(Stop::Err(e.to_string())),
            None => Err(Stop::Err("EOF".into())),
        }
    }
}

enum ListErr {
    Eof,
    NotList,
    Err(String),
}

fn wrap_set(r: Result<Vec<Value>, (Vec<Value>, String)>) -> (Vec<Value>, Result<(), Stop>) {
    match r {
        Ok(l) => (l, Ok(())),
        Err((l, e)) => (l, Err(Stop::Err(e))),
    }
}

fn set(data: &Map, key: &str, v: Value) {
    if !key.is_empty() {
        data.insert(key, v);
    }
}

fn set_index(
    mut list: Vec<Value>,
    index: i64,
    v: Value,
) -> Result<Vec<Value>, (Vec<Value>, String)> {
    if index < 0 {
        return Err((list, format!("negative {index} index not allowed")));
    }
    if index > MAX_INDEX {
        return Err((
            list,
            format!("index of {index} is greater than maximum supported index of {MAX_INDEX}"),
        ));
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Value::Nil);
    }
    list[i] = v;
    Ok(list)
}

/// A JSON value as Go's `encoding/json` decodes into `interface{}`
/// (numbers are float64).
pub fn json_to_value(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::from(s),
        serde_json::Value::Array(a) => Value::list(a.into_iter().map(json_to_value).collect()),
        serde_json::Value::Object(o) => {
            let m = Map::new();
            for (k, v) in o {
                m.insert(k, json_to_value(v));
            }
            Value::Map(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(m: &Map, path: &str) -> Value {
        let mut cur = Value::Map(m.clone());
        for p in path.split('.') {
            cur = match (&cur, p.parse::<usize>()) {
                (Value::List(l), Ok(i)) => l[i].clone(),
                (Value::Map(m), _) => m.get(p).unwrap_or(Value::Nil),
                _ => Value::Nil,
            };
        }
        cur
    }

    #[test]
    fn typing() {
        let m = parse("a=1,b=true,c=null,d=0,e=012,f=1.5,g=-3,h=FALSE,i=").unwrap();
        assert!(matches!(get(&m, "a"), Value::Int(1)));
        assert!(matches!(get(&m, "b"), Value::Bool(true)));
        assert!(matches!(get(&m, "c"), Value::Nil));
        assert!(m.contains_key("c"));
        assert!(matches!(get(&m, "d"), Value::Int(0)));
        assert_eq!(get(&m, "e").as_str(), Some("012"));
        assert_eq!(get(&m, "f").as_str(), Some("1.5"));
        assert!(matches!(get(&m, "g"), Value::Int(-3)));
        assert!(matches!(get(&m, "h"), Value::Bool(false)));
        assert_eq!(get(&m, "i").as_str(), Some(""));
    }

    #[test]
    fn strings_mode() {
        let m = Map::new();
        parse_into_string("a=1,b=true", &m).unwrap();
        assert_eq!(get(&m, "a").as_str(), Some("1"));
        assert_eq!(get(&m, "b").as_str(), Some("true"));
    }

    #[test]
    fn nesting_lists_and_escapes() {
        let m = parse("a.b[1].c=x,l={p,q},e=a\\,b,n[0][1]=2").unwrap();
        assert!(matches!(get(&m, "a.b.0"), Value::Nil));
        assert_eq!(get(&m, "a.b.1.c").as_str(), Some("x"));
        assert_eq!(get(&m, "l.1").as_str(), Some("q"));
        assert_eq!(get(&m, "e").as_str(), Some("a,b"));
        assert!(matches!(get(&m, "n.0.1"), Value::Int(2)));
    }

    #[test]
    fn errors() {
        assert_eq!(parse("a").unwrap_err(), "key \"a\" has no value");
        assert_eq!(
            parse("a,b=1").unwrap_err(),
            "key \"a\" has no value (cannot end with ,)"
        );
        assert_eq!(
            parse("a[65537]=1").unwrap_err(),
            "index of 65537 is greater than maximum supported index of 65536"
        );
        assert!(parse("a[65536]=1").is_ok());
        assert_eq!(
            parse("a[x]=1").unwrap_err(),
            "error parsing index: strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(parse("a.=1").unwrap_err(), "key map \"a\" has no value");
        assert!(parse("a={x,y").unwrap_err().contains("list must terminate"));
        let deep = format!("a{}=1", "[0]".repeat(500));
        assert!(parse(&deep).unwrap_err().contains("list nesting level"));
    }

    #[test]
    fn json_and_literal() {
        let m = Map::new();
        parse_json("a={\"x\":[1,2]},b=null", &m).unwrap();
        assert!(matches!(get(&m, "a.x.1"), Value::Float(f) if f == 2.0));
        assert!(matches!(get(&m, "b"), Value::Nil));
        let m = Map::new();
        parse_literal_into("a.b=x,y=z\\n", &m).unwrap();
        assert_eq!(get(&m, "a.b").as_str(), Some("x,y=z\\n"));
    }

    #[test]
    fn file_reader() {
        let m = Map::new();
        let mut r = |p: &str| -> Result<Value, String> { Ok(Value::from(format!("<{p}>"))) };
        parse_into_file("a=f.txt", &m, &mut r).unwrap();
        assert_eq!(get(&m, "a").as_str(), Some("<f.txt>"));
    }
}
