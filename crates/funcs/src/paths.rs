//! Slash-separated path functions (Go's `path`; `filepath` on Linux is the
//! same, so the `os*` forms share the implementations).

use tusk_template::{CallContext, FuncError, Value};

use crate::Env;
use crate::args::{arity, s, string};

type R = Result<Value, FuncError>;

/// Go's `path.Clean`.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// Go's `path.Base`.
pub fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// Go's `path.Dir`.
pub fn dir(p: &str) -> String {
    let i = p.rfind('/').map(|i| i + 1).unwrap_or(0);
    clean(&p[..i])
}

/// Go's `path.Ext`.
pub fn ext(p: &str) -> String {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return p[i..].to_string();
        }
    }
    String::new()
}

/// `{{ base "a/b.txt" }}` → `b.txt` (also `osBase`).
pub fn base_fn(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("base", a, 1)?;
    Ok(s(base(string(&a[0])?)))
}

/// `{{ dir "a/b.txt" }}` → `a` (also `osDir`).
pub fn dir_fn(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("dir", a, 1)?;
    Ok(s(dir(string(&a[0])?)))
}

/// `{{ clean "a//b/../c" }}` → `a/c` (also `osClean`).
pub fn clean_fn(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("clean", a, 1)?;
    Ok(s(clean(string(&a[0])?)))
}

/// `{{ ext "a/b.txt" }}` → `.txt` (also `osExt`).
pub fn ext_fn(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("ext", a, 1)?;
    Ok(s(ext(string(&a[0])?)))
}

/// `{{ isAbs "/a" }}` → `true` (also `osIsAbs`).
pub fn is_abs(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("isAbs", a, 1)?;
    Ok(Value::Bool(string(&a[0])?.starts_with('/')))
}
