//! A tiny evaluator for the pipelines in fixtures/funcs/cases/*.cases, so
//! functions can be checked against helm without the template engine:
//! `fn arg... | fn arg...` with string, raw-string, number, bool and nil
//! literals, `.Values.a.b` / `.` / `$` and parenthesized sub-pipelines.
#![allow(dead_code)]

use tusk_template::{CallContext, FuncError, FuncMap, Value};

/// A context for functions that never reach the engine.
pub struct NoEngine;

impl CallContext for NoEngine {
    fn execute_template(&mut self, name: &str, _: &Value) -> Result<String, FuncError> {
        Err(FuncError::Failed(format!("no engine for include {name}")))
    }
    fn execute_text(&mut self, _: &str, _: &Value) -> Result<String, FuncError> {
        Err(FuncError::Failed("no engine for tpl".into()))
    }
    fn current_template(&self) -> &str {
        "t/templates/cases.yaml"
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Field(Vec<String>),
    /// A field chained directly onto a parenthesized pipeline: `(x).Y`.
    Chain(Vec<String>),
    Dollar,
    Dot,
    Str(String),
    Int(i64),
    Float(f64),
    LParen,
    RParen,
    Pipe,
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let c: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < c.len() {
        let ch = c[i];
        match ch {
            ' ' | '\t' => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1
            }
            '|' => {
                out.push(Tok::Pipe);
                i += 1
            }
            '$' => {
                out.push(Tok::Dollar);
                i += 1
            }
            '"' => {
                i += 1;
                let mut s = String::new();
                while i < c.len() && c[i] != '"' {
                    if c[i] == '\\' {
                        i += 1;
                        match c.get(i) {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some('r') => s.push('\r'),
                            Some('\\') => s.push('\\'),
                            Some('"') => s.push('"'),
                            Some('x') => {
                                let h: String = c[i + 1..i + 3].iter().collect();
                                s.push(
                                    u8::from_str_radix(&h, 16).map_err(|e| e.to_string())? as char
                                );
                                i += 2;
                            }
                            Some('u') => {
                                let h: String = c[i + 1..i + 5].iter().collect();
                                s.push(
                                    char::from_u32(
                                        u32::from_str_radix(&h, 16).map_err(|e| e.to_string())?,
                                    )
                                    .unwrap(),
                                );
                                i += 4;
                            }
                            other => return Err(format!("bad escape {other:?}")),
                        }
                    } else {
                        s.push(c[i]);
                    }
                    i += 1;
                }
                i += 1;
                out.push(Tok::Str(s));
            }
            '`' => {
                i += 1;
                let st = i;
                while i < c.len() && c[i] != '`' {
                    i += 1;
                }
                out.push(Tok::Str(c[st..i].iter().collect()));
                i += 1;
            }
            '.' if i + 1 < c.len() && (c[i + 1].is_alphabetic() || c[i + 1] == '_') => {
                let mut path = Vec::new();
                while i < c.len() && c[i] == '.' {
                    i += 1;
                    let st = i;
                    while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                        i += 1;
                    }
                    path.push(c[st..i].iter().collect());
                }
                if out.last() == Some(&Tok::RParen)
                    && c[i
                        - path
                            .iter()
                            .map(|p: &String| p.chars().count() + 1)
                            .sum::<usize>()
                        - 1]
                        == ')'
                {
                    out.push(Tok::Chain(path));
                } else {
                    out.push(Tok::Field(path));
                }
            }
            '.' if i + 1 >= c.len() || !c[i + 1].is_ascii_digit() => {
                out.push(Tok::Dot);
                i += 1;
            }
            _ if ch.is_ascii_digit() || ch == '-' || ch == '+' || ch == '.' => {
                let st = i;
                i += 1;
                while i < c.len()
                    && (c[i].is_ascii_alphanumeric()
                        || c[i] == '.'
                        || ((c[i] == '-' || c[i] == '+') && (c[i - 1] == 'e' || c[i - 1] == 'E')))
                {
                    i += 1;
                }
                let t: String = c[st..i].iter().collect();
                let body = t.trim_start_matches(['-', '+']);
                let neg = t.starts_with('-');
                if let Some(h) = body.strip_prefix("0x") {
                    let v = i64::from_str_radix(h, 16).map_err(|e| e.to_string())?;
                    out.push(Tok::Int(if neg { -v } else { v }));
                } else if let Ok(v) = t.parse::<i64>() {
                    out.push(Tok::Int(v));
                } else {
                    let f: f64 = t.parse().map_err(|_| format!("bad number {t}"))?;
                    // Go treats integral float constants as ints where needed;
                    // keep the float (what the template literal is).
                    out.push(Tok::Float(f));
                }
            }
            _ if ch.is_alphabetic() || ch == '_' => {
                let st = i;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
                out.push(Tok::Ident(c[st..i].iter().collect()));
            }
            other => return Err(format!("unexpected {other:?} in {src:?}")),
        }
    }
    Ok(out)
}

pub struct Eval<'a> {
    pub funcs: &'a FuncMap,
    pub dot: Value,
}

impl Eval<'_> {
    pub fn eval(&self, src: &str) -> Result<Value, FuncError> {
        let toks = lex(src).map_err(FuncError::Failed)?;
        let mut pos = 0;
        let v = self.pipeline(&toks, &mut pos)?;
        if pos != toks.len() {
            return Err(FuncError::Failed(format!("trailing tokens in {src:?}")));
        }
        Ok(v)
    }

    fn pipeline(&self, t: &[Tok], pos: &mut usize) -> Result<Value, FuncError> {
        let mut v = self.command(t, pos, None)?;
        while *pos < t.len() && t[*pos] == Tok::Pipe {
            *pos += 1;
            v = self.command(t, pos, Some(v))?;
        }
        Ok(v)
    }

    fn operand(&self, t: &[Tok], pos: &mut usize) -> Result<Value, FuncError> {
        let tok = t[*pos].clone();
        *pos += 1;
        Ok(match tok {
            Tok::Str(s) => Value::from(s),
            Tok::Int(i) => Value::Int(i),
            Tok::Float(f) => Value::Float(f),
            Tok::Dot | Tok::Dollar => self.dot.clone(),
            Tok::Field(path) => {
                let mut v = self.dot.clone();
                for p in path {
                    v = match v {
                        Value::Map(m) => m.get(&p).unwrap_or(Value::Nil),
                        Value::Object(o) => o.field(&p).unwrap_or(Value::Nil),
                        _ => Value::Nil,
                    };
                }
                v
            }
            Tok::LParen => {
                let mut v = self.pipeline(t, pos)?;
                *pos += 1; // ')'
                if let Some(Tok::Chain(path)) = t.get(*pos) {
                    *pos += 1;
                    for p in path {
                        v = match v {
                            Value::Map(m) => m.get(p).unwrap_or(Value::Nil),
                            Value::Object(o) => o.field(p).unwrap_or(Value::Nil),
                            _ => Value::Nil,
                        };
                    }
                }
                v
            }
            Tok::Ident(name) => match name.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "nil" => Value::Nil,
                _ => self.call(&name, vec![])?,
            },
            other => return Err(FuncError::Failed(format!("unexpected token {other:?}"))),
        })
    }

    fn call(&self, name: &str, args: Vec<Value>) -> Result<Value, FuncError> {
        // The Go builtins the cases use.
        match name {
            "len" => {
                return Ok(Value::Int(match &args[0] {
                    Value::String(s) => s.len() as i64,
                    Value::List(l) => l.len() as i64,
                    Value::Map(m) => m.len() as i64,
                    Value::Bytes(b) => b.len() as i64,
                    _ => return Err(FuncError::Failed("len of bad type".into())),
                }));
            }
            "eq" => {
                return Ok(Value::Bool(tusk_funcs::reflect::deep_equal(
                    &args[0], &args[1],
                )));
            }
            "print" => {
                return Ok(Value::from(
                    args.iter()
                        .map(tusk_funcs::gostr::format_v)
                        .collect::<Vec<_>>()
                        .join(""),
                ));
            }
            _ => {}
        }
        let f = self
            .funcs
            .get(name)
            .ok_or_else(|| FuncError::Failed(format!("function {name:?} not defined")))?;
        f(&mut NoEngine, &args)
    }

    fn command(
        &self,
        t: &[Tok],
        pos: &mut usize,
        piped: Option<Value>,
    ) -> Result<Value, FuncError> {
        if let Tok::Ident(name) = &t[*pos]
            && !matches!(name.as_str(), "true" | "false" | "nil")
        {
            *pos += 1;
            let mut args = Vec::new();
            while *pos < t.len() && !matches!(t[*pos], Tok::Pipe | Tok::RParen) {
                args.push(self.operand(t, pos)?);
            }
            if let Some(p) = piped {
                args.push(p);
            }
            return self.call(name, args);
        }
        let v = self.operand(t, pos)?;
        if piped.is_some() {
            return Err(FuncError::Failed("can't pipe into a non-function".into()));
        }
        Ok(v)
    }
}
