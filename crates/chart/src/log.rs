//! helm's log lines (`log.Printf` with `Lshortfile`, e.g.
//! `coalesce.go:237: warning: ...`), collected per thread so the caller can
//! print them where helm does (standard error, before any error).

use std::cell::RefCell;

use tusk_template::Value;

thread_local! {
    static LINES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Records a log line; `origin` is helm's `file.go:LINE`.
pub fn log(origin: &str, msg: impl AsRef<str>) {
    LINES.with(|l| l.borrow_mut().push(format!("{origin}: {}", msg.as_ref())));
}

/// Records a line printed without a source prefix (helm's `warning()`).
pub fn log_raw(line: impl Into<String>) {
    LINES.with(|l| l.borrow_mut().push(line.into()));
}

/// Takes the lines logged on this thread so far.
pub fn take() -> Vec<String> {
    LINES.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

/// Go's `%v` of a value (as helm's log messages print them).
pub fn go_v(v: &Value) -> String {
    match v {
        Value::Nil => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => go_float(*f),
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => format!("{:?}", b.as_ref()),
        Value::List(l) => format!("[{}]", l.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        Value::Map(m) => format!(
            "map[{}]",
            m.entries()
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_v(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Value::Object(o) => go_v(&o.to_value()),
    }
}

/// Go's `%v` of a float64: shortest digits, exponent form below 1e-4 and
/// from 1e21.
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let e = format!("{f:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..21).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_like_go() {
        assert_eq!(go_float(1e6), "1000000");
        assert_eq!(go_float(1e21), "1e+21");
        assert_eq!(go_float(0.00001), "1e-05");
        assert_eq!(go_float(1.5), "1.5");
    }

    #[test]
    fn collects_per_thread() {
        take();
        log("x.go:1", "a");
        assert_eq!(take(), vec!["x.go:1: a".to_string()]);
        assert!(take().is_empty());
    }
}
