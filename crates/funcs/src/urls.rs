//! URL functions (sprig url.go over Go's net/url) and getHostByName.

use tusk_template::{CallContext, FuncError, Map, Value};

use crate::Env;
use crate::args::{arity, fail, go_kind, map, s, string};

type R = Result<Value, FuncError>;

fn unhex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Go's `unescape` for paths and fragments (`%XX` only).
fn unescape(v: &str, what: &str) -> Result<String, String> {
    let b = v.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            match (
                b.get(i + 1).and_then(|c| unhex(*c)),
                b.get(i + 2).and_then(|c| unhex(*c)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => {
                    let end = (i + 3).min(b.len());
                    let _ = what;
                    return Err(format!(
                        "invalid URL escape {:?}",
                        String::from_utf8_lossy(&b[i..end])
                    ));
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

struct Url {
    scheme: String,
    opaque: String,
    user: Option<String>,
    host: String,
    path: String,
    raw_query: String,
    fragment: String,
}

fn parse(raw: &str) -> Result<Url, String> {
    let (rest, fragment) = match raw.split_once('#') {
        Some((r, f)) => (r, unescape(f, "fragment")?),
        None => (raw, String::new()),
    };
    let mut u = Url {
        scheme: String::new(),
        opaque: String::new(),
        user: None,
        host: String::new(),
        path: String::new(),
        raw_query: String::new(),
        fragment,
    };
    // Scheme: letter then letters, digits, + - . up to ':'.
    let mut rest = rest;
    if let Some(i) = rest.find(':') {
        let cand = &rest[..i];
        let valid = !cand.is_empty()
            && cand.as_bytes()[0].is_ascii_alphabetic()
            && cand
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
        if valid {
            u.scheme = cand.to_ascii_lowercase();
            rest = &rest[i + 1..];
        } else if i == 0 {
            return Err(format!("parse {:?}: missing protocol scheme", raw));
        }
    }
    if let Some((r, q)) = rest.split_once('?') {
        u.raw_query = q.to_string();
        rest = r;
    }
    if !rest.starts_with('/') && !u.scheme.is_empty() {
        u.opaque = rest.to_string();
        return Ok(u);
    }
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        rest = &after[end..];
        let host = match authority.rsplit_once('@') {
            Some((user, host)) => {
                u.user = Some(user.to_string());
                host
            }
            None => authority,
        };
        u.host = unescape(host, "host")?;
    }
    u.path = unescape(rest, "path")?;
    Ok(u)
}

fn hostname(host: &str) -> String {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("").to_string();
    }
    match host.rfind(':') {
        Some(i) if host[i + 1..].bytes().all(|c| c.is_ascii_digit()) => host[..i].to_string(),
        _ => host.to_string(),
    }
}

/// `{{ (urlParse "https://u@h:1/p?q=1#f").host }}` → `h:1`; keys scheme,
/// host, hostname, path, query, opaque, fragment, userinfo.
pub fn url_parse(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("urlParse", a, 1)?;
    let v = string(&a[0])?;
    let u = parse(v).map_err(|e| fail(format!("unable to parse url: {e}")))?;
    let m = Map::new();
    m.insert("scheme", s(&u.scheme));
    m.insert("host", s(&u.host));
    m.insert("hostname", s(hostname(&u.host)));
    m.insert("path", s(&u.path));
    m.insert("query", s(&u.raw_query));
    m.insert("opaque", s(&u.opaque));
    m.insert("fragment", s(&u.fragment));
    m.insert("userinfo", s(u.user.unwrap_or_default()));
    Ok(Value::Map(m))
}

/// Go's `shouldEscape` for paths (RFC 3986 unreserved plus sub-delims that
/// Go keeps in paths).
fn escape(v: &str, keep: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || keep.as_bytes().contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `{{ urlJoin (dict "scheme" "https" "host" "h" "path" "/p") }}` → `https://h/p`.
pub fn url_join(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("urlJoin", a, 1)?;
    let d = map(&a[0])?;
    let get = |k: &str| -> Result<String, FuncError> {
        match d.get(k) {
            None => Ok(String::new()),
            Some(Value::String(v)) => Ok(v.to_string()),
            Some(other) => Err(fail(format!(
                "unable to parse {k} key, must be of type string, but {} found",
                go_kind(&other)
            ))),
        }
    };
    let (scheme, host, path, query, opaque, fragment, userinfo) = (
        get("scheme")?,
        get("host")?,
        get("path")?,
        get("query")?,
        get("opaque")?,
        get("fragment")?,
        get("userinfo")?,
    );
    let mut out = String::new();
    if !scheme.is_empty() {
        out.push_str(&scheme);
        out.push(':');
    }
    if !opaque.is_empty() {
        out.push_str(&opaque);
    } else {
        if !scheme.is_empty() || !host.is_empty() || !userinfo.is_empty() {
            if !host.is_empty() || !path.is_empty() || !userinfo.is_empty() {
                out.push_str("//");
            }
            if !userinfo.is_empty() {
                out.push_str(&userinfo);
                out.push('@');
            }
            out.push_str(&escape(&host, "!$&'()*+,;=:[]"));
        }
        if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
            out.push('/');
        }
        out.push_str(&escape(&path, "!$&'()*+,;=:@/"));
    }
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(&escape(&fragment, "!$&'()*+,;=:@/?"));
    }
    Ok(s(out))
}

/// `{{ getHostByName "example.com" }}` → `""`: helm template disables DNS
/// lookups (helm's default without --enable-dns) and so does tusk.
pub fn get_host_by_name(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("getHostByName", a, 1)?;
    string(&a[0])?;
    Ok(s(""))
}
