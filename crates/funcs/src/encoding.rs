//! Encodings (base64, base32) and the JSON/YAML/TOML conversions templates
//! call (sprig's json functions; helm's toYaml/fromYaml family).

use base64::Engine;
use tusk_template::{CallContext, FuncError, Value};

use crate::Env;
use crate::args::{arity, fail, s, string};
use crate::{helm, json, yaml};

type R = Result<Value, FuncError>;

/// `{{ b64enc "hello" }}` → `aGVsbG8=`.
pub fn b64enc(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("b64enc", a, 1)?;
    Ok(s(
        base64::engine::general_purpose::STANDARD.encode(string(&a[0])?)
    ))
}

/// Go's base64 error text: the offset of the first bad byte, or of the
/// start of an incomplete final quantum.
fn b64_error(input: &[u8]) -> String {
    let alphabet = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/';
    let mut j = 0; // characters in the current quantum
    let mut quantum_start = 0;
    let mut i = 0;
    while i < input.len() {
        let c = input[i];
        if c == b'\n' || c == b'\r' {
            i += 1;
            continue;
        }
        if j == 0 {
            quantum_start = i;
        }
        if c == b'=' {
            // Padding is valid only as the 3rd/4th char of the last quantum.
            let rest: Vec<u8> = input[i..]
                .iter()
                .copied()
                .filter(|c| *c != b'\n' && *c != b'\r')
                .collect();
            let ok = (j == 2 && rest == b"==") || (j == 3 && rest == b"=");
            return if ok {
                String::new()
            } else {
                format!("illegal base64 data at input byte {i}")
            };
        }
        if !alphabet(c) {
            return format!("illegal base64 data at input byte {i}");
        }
        j = (j + 1) % 4;
        i += 1;
    }
    if j != 0 {
        return format!("illegal base64 data at input byte {quantum_start}");
    }
    String::new()
}

/// Go's error text for invalid base64 input.
pub(crate) fn b64_error_text(input: &[u8]) -> String {
    let e = b64_error(input);
    if e.is_empty() {
        "illegal base64 data at input byte 0".to_string()
    } else {
        e
    }
}

/// `{{ b64dec "aGVsbG8=" }}` → `hello`; invalid input gives Go's error text.
pub fn b64dec(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("b64dec", a, 1)?;
    let v = string(&a[0])?;
    let cleaned: String = v.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    match base64::engine::general_purpose::STANDARD.decode(cleaned.as_bytes()) {
        Ok(b) => Ok(s(String::from_utf8_lossy(&b).into_owned())),
        Err(_) => {
            let e = b64_error(v.as_bytes());
            Ok(s(if e.is_empty() {
                "illegal base64 data at input byte 0".to_string()
            } else {
                e
            }))
        }
    }
}

const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// `{{ b32enc "hello" }}` → `NBSWY3DP`.
pub fn b32enc(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("b32enc", a, 1)?;
    let data = string(&a[0])?.as_bytes();
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let nchars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < nchars {
                out.push(B32[((bits >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    Ok(s(out))
}

/// `{{ b32dec "NBSWY3DP" }}` → `hello`; invalid input gives Go's error text.
pub fn b32dec(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("b32dec", a, 1)?;
    let v = string(&a[0])?;
    let input: Vec<(usize, u8)> = v
        .bytes()
        .enumerate()
        .filter(|(_, c)| *c != b'\n' && *c != b'\r')
        .collect();
    let bad = |i: usize| Ok(s(format!("illegal base32 data at input byte {i}")));
    // Invalid characters first, in order, as Go's decoder meets them.
    let mut padding = None;
    for (k, &(i, c)) in input.iter().enumerate() {
        if c == b'=' {
            padding.get_or_insert(k);
            continue;
        }
        if padding.is_some() || !B32.contains(&c) {
            return bad(i);
        }
    }
    if input.len() % 8 != 0 {
        return bad(input
            .get(input.len() / 8 * 8)
            .map(|x| x.0)
            .unwrap_or(v.len()));
    }
    let mut out = Vec::new();
    for q in input.chunks(8) {
        let mut bits: u64 = 0;
        let mut n = 0;
        for &(_, c) in q {
            bits <<= 5;
            if let Some(p) = B32.iter().position(|x| *x == c) {
                bits |= p as u64;
                n += 1;
            }
        }
        let nbytes = match n {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => return bad(q[n].0),
        };
        for k in 0..nbytes {
            out.push(((bits >> (32 - k * 8)) & 0xff) as u8);
        }
    }
    Ok(s(String::from_utf8_lossy(&out).into_owned()))
}

/// `{{ toJson .Values.x }}` (helm's: "" when encoding fails).
pub fn to_json(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("toJson", a, 1)?;
    Ok(s(json::to_json(&a[0]).unwrap_or_default()))
}

/// `{{ mustToJson .Values.x }}`: encoding errors are errors.
pub fn must_to_json(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mustToJson", a, 1)?;
    json::to_json(&a[0]).map(s).map_err(|e| fail(e.to_string()))
}

/// `{{ toPrettyJson .Values.x }}` (two-space indent).
pub fn to_pretty_json(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("toPrettyJson", a, 1)?;
    Ok(s(json::to_pretty_json(&a[0]).unwrap_or_default()))
}

/// `{{ mustToPrettyJson .Values.x }}`.
pub fn must_to_pretty_json(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mustToPrettyJson", a, 1)?;
    json::to_pretty_json(&a[0])
        .map(s)
        .map_err(|e| fail(e.to_string()))
}

/// `{{ toRawJson .Values.x }}` (no HTML escaping; errors are errors).
pub fn to_raw_json(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("toRawJson", a, 1)?;
    json::to_raw_json(&a[0])
        .map(s)
        .map_err(|e| fail(e.to_string()))
}

/// `{{ fromJson "{\"a\":1}" }}` (helm's: errors under the "Error" key).
pub fn from_json(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("fromJson", a, 1)?;
    Ok(helm::from_json(string(&a[0])?))
}

/// `{{ fromJsonArray "[1,2]" }}`.
pub fn from_json_array(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("fromJsonArray", a, 1)?;
    Ok(helm::from_json_array(string(&a[0])?))
}

/// `{{ mustFromJson "[1]" }}`: any JSON value; errors are errors.
pub fn must_from_json(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mustFromJson", a, 1)?;
    json::parse(string(&a[0])?).map_err(|e| fail(e.to_string()))
}

/// `{{ toYaml .Values.x }}` (helm's: "" on error, trailing newline cut).
pub fn to_yaml(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("toYaml", a, 1)?;
    Ok(s(yaml::to_yaml(&a[0])))
}

/// `{{ toYamlPretty .Values.x }}` (go-yaml v3 style, helm 3.17+).
pub fn to_yaml_pretty(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("toYamlPretty", a, 1)?;
    Ok(s(yaml::to_yaml_pretty(&a[0])))
}

/// `{{ fromYaml "a: 1" }}` (errors under the "Error" key).
pub fn from_yaml(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("fromYaml", a, 1)?;
    Ok(helm::from_yaml(string(&a[0])?))
}

/// `{{ fromYamlArray "- 1" }}`.
pub fn from_yaml_array(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("fromYamlArray", a, 1)?;
    Ok(helm::from_yaml_array(string(&a[0])?))
}
