//! `toToml` (BurntSushi/toml v1.4.0's encoder layout, reproduced) and
//! `fromToml` (parsed with the `toml` crate; values typed as BurntSushi
//! decodes them into `map[string]interface{}`).

use tusk_template::{CallContext, FuncError, Map, Value};

use crate::Env;
use crate::args::{arity, string};
use crate::gofloat::format_float;

type R = Result<Value, FuncError>;

fn quote(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\u{8}' => o.push_str("\\b"),
            '\t' => o.push_str("\\t"),
            '\n' => o.push_str("\\n"),
            '\u{c}' => o.push_str("\\f"),
            '\r' => o.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                o.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn bare_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        quote(k)
    }
}

#[derive(PartialEq)]
enum Kind {
    Nil,
    Scalar,
    Array,
    Table,
    ArrayOfTables,
}

fn kind(v: &Value) -> Result<Kind, String> {
    Ok(match v {
        Value::Nil => Kind::Nil,
        Value::Map(_) => Kind::Table,
        Value::Object(o) => return kind(&o.to_value()),
        Value::List(l) => {
            if l.is_empty() {
                Kind::Array
            } else {
                let mut all = true;
                for x in l.iter() {
                    match kind(x)? {
                        Kind::Nil => {
                            return Err("toml: cannot encode array with nil element".into());
                        }
                        Kind::Table => {}
                        _ => all = false,
                    }
                }
                if all {
                    Kind::ArrayOfTables
                } else {
                    Kind::Array
                }
            }
        }
        _ => Kind::Scalar,
    })
}

struct Enc {
    out: String,
}

impl Enc {
    fn wf(&mut self, s: &str) {
        self.out.push_str(s);
    }
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }
    fn indent(key: &[String]) -> String {
        "  ".repeat(key.len().saturating_sub(1))
    }
    fn key_str(key: &[String]) -> String {
        key.iter()
            .map(|k| bare_key(k))
            .collect::<Vec<_>>()
            .join(".")
    }

    fn element(&mut self, v: &Value) -> Result<(), String> {
        match v {
            Value::String(s) => self.wf(&quote(s)),
            Value::Bool(b) => self.wf(if *b { "true" } else { "false" }),
            Value::Int(i) => self.wf(&i.to_string()),
            Value::Float(f) => {
                if f.is_nan() {
                    self.wf(if f.is_sign_negative() { "-nan" } else { "nan" })
                } else if f.is_infinite() {
                    self.wf(if *f < 0.0 { "-inf" } else { "inf" })
                } else {
                    let s = format_float(*f, 'f', false);
                    self.wf(&s);
                    if !s.contains('.') {
                        self.wf(".0");
                    }
                }
            }
            Value::Bytes(b) => {
                // []byte is a slice of uint8.
                let items: Vec<String> = b.iter().map(|x| x.to_string()).collect();
                self.wf(&format!("[{}]", items.join(", ")));
            }
            Value::List(l) => {
                self.wf("[");
                for (i, x) in l.iter().enumerate() {
                    self.element(x)?;
                    if i != l.len() - 1 {
                        self.wf(", ");
                    }
                }
                self.wf("]");
            }
            Value::Map(m) => self.map(&[], m, true)?,
            Value::Object(o) => self.element(&o.to_value())?,
            Value::Nil => return Err("unexpected type: <nil>".into()),
        }
        Ok(())
    }

    fn key_value(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), String> {
        if key.is_empty() {
            return self.element(v);
        }
        let last = bare_key(&key[key.len() - 1]);
        self.wf(&format!("{}{} = ", Self::indent(key), last));
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn encode(&mut self, key: &[String], v: &Value) -> Result<(), String> {
        match kind(v)? {
            Kind::Nil => Ok(()),
            Kind::Scalar | Kind::Array => self.key_value(key, v, false),
            Kind::ArrayOfTables => {
                let Value::List(l) = v else { return Ok(()) };
                for t in l.iter() {
                    self.newline();
                    self.wf(&format!("{}[[{}]]", Self::indent(key), Self::key_str(key)));
                    self.newline();
                    if let Value::Map(m) = t {
                        self.map(key, m, false)?;
                    }
                }
                Ok(())
            }
            Kind::Table => {
                let m = match v {
                    Value::Map(m) => m.clone(),
                    Value::Object(o) => match o.to_value() {
                        Value::Map(m) => m,
                        _ => return Ok(()),
                    },
                    _ => return Ok(()),
                };
                if key.len() == 1 {
                    self.newline();
                }
                if !key.is_empty() {
                    self.wf(&format!("{}[{}]", Self::indent(key), Self::key_str(key)));
                    self.newline();
                }
                self.map(key, &m, false)
            }
        }
    }

    fn map(&mut self, key: &[String], m: &Map, inline: bool) -> Result<(), String> {
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in m.entries() {
            match kind(&v)? {
                Kind::Table | Kind::ArrayOfTables => sub.push((k, v)),
                _ => direct.push((k, v)),
            }
        }
        if inline {
            self.wf("{");
        }
        let has_sub = !sub.is_empty();
        for (group, trail) in [(direct, has_sub), (sub, false)] {
            let n = group.len();
            for (i, (k, v)) in group.into_iter().enumerate() {
                if v.is_nil() {
                    continue;
                }
                if inline {
                    self.key_value(&[k], &v, true)?;
                    if trail || i != n - 1 {
                        self.wf(", ");
                    }
                } else {
                    let mut kk = key.to_vec();
                    kk.push(k);
                    self.encode(&kk, &v)?;
                }
            }
        }
        if inline {
            self.wf("}");
        }
        Ok(())
    }
}

/// BurntSushi/toml's `Encoder.Encode(v)` output, or its error text.
pub fn to_toml_string(v: &Value) -> String {
    let mut e = Enc { out: String::new() };
    match e.encode(&[], v) {
        Ok(()) => e.out,
        Err(msg) => msg,
    }
}

/// `{{ toToml .Values.x }}` (helm: the error text on failure).
pub fn to_toml(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("toToml", a, 1)?;
    Ok(Value::from(to_toml_string(&a[0])))
}

fn from_toml_value(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::from(s),
        toml::Value::Integer(i) => Value::Int(i),
        toml::Value::Float(f) => Value::Float(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::from(d.to_string()),
        toml::Value::Array(a) => Value::list(a.into_iter().map(from_toml_value).collect()),
        toml::Value::Table(t) => {
            let m = Map::new();
            for (k, v) in t {
                m.insert(k, from_toml_value(v));
            }
            Value::Map(m)
        }
    }
}

/// `{{ fromToml "a = 1" }}`: a map; errors under the "Error" key.
pub fn from_toml(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("fromToml", a, 1)?;
    let src = string(&a[0])?;
    let m = Map::new();
    match src.parse::<toml::Table>() {
        Ok(t) => {
            for (k, v) in t {
                m.insert(k, from_toml_value(v));
            }
        }
        Err(e) => {
            m.insert("Error", Value::from(format!("toml: {}", e.message())));
        }
    }
    Ok(Value::Map(m))
}
