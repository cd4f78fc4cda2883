//! Go's `strconv.FormatFloat` with precision -1 (shortest round-trip digits),
//! which `encoding/json`, go-yaml and `fmt` all build on.
//!
//! The digits come from `tusk_template::gofmt::shortest_decimal` (Go's
//! shortest digits, ties rounded as Go does); only the layout is here.

fn special(f: f64) -> Option<String> {
    if f.is_nan() {
        Some("NaN".into())
    } else if f.is_infinite() {
        Some(if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        })
    } else {
        None
    }
}

fn digits_of(f: f64, bits32: bool) -> (bool, String, i32) {
    tusk_template::gofmt::shortest_decimal(f, bits32)
}

fn fmt_e(neg: bool, digits: &str, dp: i32) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    let d = if digits.is_empty() { "0" } else { digits };
    s.push_str(&d[..1]);
    if d.len() > 1 {
        s.push('.');
        s.push_str(&d[1..]);
    }
    let exp = if digits.is_empty() { 0 } else { dp - 1 };
    s.push('e');
    s.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        s.push('0');
    }
    s.push_str(&a.to_string());
    s
}

fn fmt_f(neg: bool, digits: &str, dp: i32) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    if digits.is_empty() {
        s.push('0');
        return s;
    }
    let nd = digits.len() as i32;
    if dp <= 0 {
        s.push_str("0.");
        for _ in 0..(-dp) {
            s.push('0');
        }
        s.push_str(digits);
    } else if dp >= nd {
        s.push_str(digits);
        for _ in 0..(dp - nd) {
            s.push('0');
        }
    } else {
        s.push_str(&digits[..dp as usize]);
        s.push('.');
        s.push_str(&digits[dp as usize..]);
    }
    s
}

/// `strconv.FormatFloat(f, fmt, -1, bits)` for fmt in `e`, `f`, `g`.
pub fn format_float(f: f64, fmt: char, bits32: bool) -> String {
    // With bitSize 32 Go formats float32(f): large values become ±Inf.
    let f = if bits32 { f as f32 as f64 } else { f };
    if let Some(s) = special(f) {
        return s;
    }
    let (neg, digits, dp) = digits_of(f, bits32);
    match fmt {
        'e' => fmt_e(neg, &digits, dp),
        'f' => fmt_f(neg, &digits, dp),
        _ => {
            // Go: shortest %g switches to %e when exp < -4 || exp >= 6
            // (precision 6 is used for the decision in shortest mode).
            let exp = dp - 1;
            if !(-4..6).contains(&exp) {
                fmt_e(neg, &digits, dp)
            } else {
                fmt_f(neg, &digits, dp)
            }
        }
    }
}

/// A float64 as Go's `encoding/json` writes it: `f` format unless the
/// magnitude is below 1e-6 or at least 1e21, then `e` with a one-digit
/// minimum exponent (`1e-7`, `1e+21`). `None` for NaN and infinities, which
/// encoding/json refuses.
pub fn json_float(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut s = format_float(f, 'e', false);
        // Go cleans up e-09 to e-9.
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        Some(s)
    } else {
        Some(format_float(f, 'f', false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        assert_eq!(format_float(1234567.0, 'g', false), "1.234567e+06");
        assert_eq!(format_float(100000.0, 'g', false), "100000");
        assert_eq!(format_float(0.0001, 'g', false), "0.0001");
        assert_eq!(format_float(0.00001, 'g', false), "1e-05");
        assert_eq!(format_float(0.0, 'g', false), "0");
        assert_eq!(format_float(-0.0, 'g', false), "-0");
        assert_eq!(format_float(1.5, 'g', false), "1.5");
        assert_eq!(format_float(3.0, 'e', false), "3e+00");
        assert_eq!(format_float(0.1, 'g', true), "0.1");
        assert_eq!(json_float(1e21).unwrap(), "1e+21");
        assert_eq!(json_float(1e-7).unwrap(), "1e-7");
        assert_eq!(json_float(1e20).unwrap(), "100000000000000000000");
        assert_eq!(json_float(0.000001).unwrap(), "0.000001");
        assert_eq!(json_float(-0.0).unwrap(), "-0");
        // A tie between two shortest forms: Go rounds half to even.
        assert_eq!(
            format_float(9007199254740992.0 / 10.0, 'g', false),
            "9.007199254740992e+14"
        );
    }
}
