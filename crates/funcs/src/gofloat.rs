//! Go's `strconv.FormatFloat` with precision -1 (shortest round-trip digits),
//! which `encoding/json`, go-yaml and `fmt` all build on.
//!
//! Rust's `{:e}` formatting yields the same shortest digit string as Go's
//! shortest mode (both pick the closest shortest representation), so only
//! the layout differs and is reproduced here.

/// Shortest decimal digits and decimal-point position of a finite float:
/// value = 0.DIGITS × 10^dp. Zero yields empty digits and dp 0.
fn shortest_digits(repr_e: &str) -> (bool, String, i32) {
    // repr_e looks like "-1.2345e-7" or "0e0".
    let (neg, rest) = match repr_e.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, repr_e),
    };
    let (mant, exp) = rest.split_once('e').unwrap_or((rest, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0').to_string();
    if digits.is_empty() {
        return (neg, String::new(), 0);
    }
    (neg, digits, exp + 1)
}

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
    let (neg, digits, dp) = if bits32 {
        shortest_digits(&format!("{:e}", f as f32))
    } else {
        shortest_digits(&format!("{:e}", f))
    };
    // When the exact value lies exactly halfway between the two shortest
    // candidates, Go rounds half to even; Rust may pick the other one.
    // Cheap pre-check: a tie needs digit n+1 to be 5 and nothing after it.
    let n0 = digits.len();
    let probe = if bits32 {
        format!("{:.*e}", n0 + 20, f as f32)
    } else {
        format!("{:.*e}", n0 + 20, f)
    };
    let (_, probe_digits, _) = shortest_digits(&probe);
    if probe_digits.len() != n0 + 1 || !probe_digits.ends_with('5') {
        return (neg, digits, dp);
    }
    let exact = if bits32 {
        format!("{:.160e}", f as f32)
    } else {
        format!("{:.800e}", f)
    };
    let (_, exact_digits, exact_dp) = shortest_digits(&exact);
    let n = digits.len();
    if exact_dp == dp && exact_digits.len() == n + 1 && exact_digits.ends_with('5') {
        let mut d: Vec<u8> = exact_digits.as_bytes()[..n].to_vec();
        let last = d[n - 1] - b'0';
        if last % 2 == 1 {
            // Round up to the even neighbour, carrying.
            let mut i = n;
            loop {
                if i == 0 {
                    d.insert(0, b'1');
                    return (neg, String::from_utf8(d).unwrap_or_default(), dp + 1);
                }
                i -= 1;
                if d[i] == b'9' {
                    d[i] = b'0';
                } else {
                    d[i] += 1;
                    break;
                }
            }
        }
        let s = String::from_utf8(d).unwrap_or_default();
        let s = s.trim_end_matches('0').to_string();
        return (neg, s, dp);
    }
    (neg, digits, dp)
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
