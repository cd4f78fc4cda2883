//! Arithmetic and number conversion (sprig numeric.go, spf13/cast,
//! shopspring/decimal for the `*f` functions).

use tusk_template::{CallContext, FuncError, Value};

use crate::Env;
use crate::args::{arity, arity_min, cast_f64, fail, float, int, string, to_f64, to_i64};
use crate::gofloat::format_float;
use crate::gostr::format_v;

type R = Result<Value, FuncError>;

/// `{{ add 1 2 3 }}` → `6` (int64, arguments cast).
pub fn add(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    Ok(Value::Int(
        a.iter().map(to_i64).fold(0i64, i64::wrapping_add),
    ))
}

/// `{{ add1 1 }}` → `2`.
pub fn add1(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("add1", a, 1)?;
    Ok(Value::Int(to_i64(&a[0]).wrapping_add(1)))
}

/// `{{ sub 5 2 }}` → `3`.
pub fn sub(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("sub", a, 2)?;
    Ok(Value::Int(to_i64(&a[0]).wrapping_sub(to_i64(&a[1]))))
}

/// `{{ mul 2 3 4 }}` → `24`.
pub fn mul(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("mul", a, 1)?;
    Ok(Value::Int(
        a[1..]
            .iter()
            .map(to_i64)
            .fold(to_i64(&a[0]), i64::wrapping_mul),
    ))
}

/// `{{ div 7 2 }}` → `3` (truncating).
pub fn div(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("div", a, 2)?;
    let (x, y) = (to_i64(&a[0]), to_i64(&a[1]));
    if y == 0 {
        return Err(fail("runtime error: integer divide by zero"));
    }
    Ok(Value::Int(x.wrapping_div(y)))
}

/// `{{ mod 7 2 }}` → `1`.
pub fn modulo(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mod", a, 2)?;
    let (x, y) = (to_i64(&a[0]), to_i64(&a[1]));
    if y == 0 {
        return Err(fail("runtime error: integer divide by zero"));
    }
    Ok(Value::Int(x.wrapping_rem(y)))
}

/// `{{ max 1 5 3 }}` → `5` (also `biggest`).
pub fn max(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("max", a, 1)?;
    Ok(Value::Int(a.iter().map(to_i64).max().unwrap_or(0)))
}

/// `{{ min 1 5 3 }}` → `1`.
pub fn min(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("min", a, 1)?;
    Ok(Value::Int(a.iter().map(to_i64).min().unwrap_or(0)))
}

/// Go's math.Max (NaN wins, +0 beats -0).
fn go_max(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x > 0.0 || y.is_infinite() && y > 0.0 {
        return f64::INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { y } else { x };
    }
    if x > y { x } else { y }
}

fn go_min(x: f64, y: f64) -> f64 {
    if x.is_infinite() && x < 0.0 || y.is_infinite() && y < 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { x } else { y };
    }
    if x < y { x } else { y }
}

/// `{{ maxf 1.5 2.5 }}` → `2.5`.
pub fn maxf(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("maxf", a, 1)?;
    Ok(Value::Float(
        a[1..].iter().map(to_f64).fold(to_f64(&a[0]), go_max),
    ))
}

/// `{{ minf 1.5 2.5 }}` → `1.5`.
pub fn minf(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("minf", a, 1)?;
    Ok(Value::Float(
        a[1..].iter().map(to_f64).fold(to_f64(&a[0]), go_min),
    ))
}

/// `{{ floor 1.7 }}` → `1`.
pub fn floor(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("floor", a, 1)?;
    Ok(Value::Float(to_f64(&a[0]).floor()))
}

/// `{{ ceil 1.2 }}` → `2`.
pub fn ceil(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("ceil", a, 1)?;
    Ok(Value::Float(to_f64(&a[0]).ceil()))
}

/// `{{ round 3.14159 2 }}` → `3.14`; optional third argument is the
/// rounding threshold (default .5).
pub fn round(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    if a.len() < 2 {
        return Err(FuncError::BadArgs(format!(
            "wrong number of args for round: want at least 2 got {}",
            a.len()
        )));
    }
    let places = int(&a[1])? as f64;
    let round_on = if a.len() > 2 { float(&a[2])? } else { 0.5 };
    let val = to_f64(&a[0]);
    let pow = 10f64.powf(places);
    let digit = pow * val;
    let frac = digit - digit.trunc();
    let r = if frac >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::Float(r / pow))
}

/// A shopspring decimal: mantissa × 10^exp.
#[derive(Clone, Copy, Debug)]
struct Dec {
    m: i128,
    e: i32,
}

impl Dec {
    /// `decimal.NewFromFloat`: the shortest decimal that round-trips.
    fn from_f64(f: f64) -> Option<Dec> {
        if !f.is_finite() {
            return None;
        }
        let repr = format!("{:e}", f);
        let (mant, exp) = repr.split_once('e')?;
        let exp: i32 = exp.parse().ok()?;
        let neg = mant.starts_with('-');
        let mant = mant.trim_start_matches('-');
        let (ip, fp) = mant.split_once('.').unwrap_or((mant, ""));
        let digits = format!("{ip}{fp}");
        let m: i128 = digits.parse().ok()?;
        Some(Dec {
            m: if neg { -m } else { m },
            e: exp - fp.len() as i32,
        })
    }

    fn align(a: Dec, b: Dec) -> Option<(i128, i128, i32)> {
        let e = a.e.min(b.e);
        let sa = a.m.checked_mul(10i128.checked_pow((a.e - e) as u32)?)?;
        let sb = b.m.checked_mul(10i128.checked_pow((b.e - e) as u32)?)?;
        Some((sa, sb, e))
    }

    fn to_f64(self) -> f64 {
        format!("{}e{}", self.m, self.e).parse().unwrap_or(f64::NAN)
    }
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Exact decimal arithmetic like sprig's `execDecimalOp`; falls back to
/// binary floating point only if the i128 mantissa would overflow.
fn dec_op(x: f64, y: f64, op: Op) -> Result<f64, FuncError> {
    if let Op::Div = op
        && y == 0.0
    {
        return Err(fail("decimal division by 0"));
    }
    // shopspring/decimal panics on NaN and infinities.
    for f in [x, y] {
        if !f.is_finite() {
            return Err(fail(format!(
                "Cannot create a Decimal from {}",
                format_float(f, 'g', false)
            )));
        }
    }
    let (Some(a), Some(b)) = (Dec::from_f64(x), Dec::from_f64(y)) else {
        return Ok(match op {
            Op::Add => x + y,
            Op::Sub => x - y,
            Op::Mul => x * y,
            Op::Div => x / y,
        });
    };
    let exact = match op {
        Op::Add => Dec::align(a, b).and_then(|(p, q, e)| {
            Some(Dec {
                m: p.checked_add(q)?,
                e,
            })
        }),
        Op::Sub => Dec::align(a, b).and_then(|(p, q, e)| {
            Some(Dec {
                m: p.checked_sub(q)?,
                e,
            })
        }),
        Op::Mul => a.m.checked_mul(b.m).map(|m| Dec { m, e: a.e + b.e }),
        Op::Div => {
            // Quotient rounded half away from zero to 16 decimal places
            // (decimal.DivisionPrecision).
            let shift = a.e - b.e + 16;
            let (num, den) = if shift >= 0 {
                (
                    10i128
                        .checked_pow(shift as u32)
                        .and_then(|p| a.m.checked_mul(p)),
                    Some(b.m),
                )
            } else {
                (
                    Some(a.m),
                    10i128
                        .checked_pow((-shift) as u32)
                        .and_then(|p| b.m.checked_mul(p)),
                )
            };
            match (num, den) {
                (Some(n), Some(d)) if d != 0 => {
                    let q = n / d;
                    let r = n % d;
                    let q = if (r.abs() * 2) >= d.abs() {
                        q + if (n < 0) != (d < 0) { -1 } else { 1 }
                    } else {
                        q
                    };
                    Some(Dec { m: q, e: -16 })
                }
                _ => None,
            }
        }
    };
    Ok(match exact {
        Some(d) => d.to_f64(),
        None => match op {
            Op::Add => x + y,
            Op::Sub => x - y,
            Op::Mul => x * y,
            Op::Div => x / y,
        },
    })
}

fn dec_fold(first: f64, rest: &[Value], op: Op) -> R {
    let mut acc = first;
    for v in rest {
        acc = dec_op(acc, to_f64(v), op)?;
    }
    Ok(Value::Float(acc))
}

/// `{{ addf 1.1 2.2 }}` → `3.3` (exact decimal addition).
pub fn addf(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    dec_fold(0.0, a, Op::Add)
}

/// `{{ add1f 1.5 }}` → `2.5`.
pub fn add1f(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("add1f", a, 1)?;
    dec_fold(to_f64(&a[0]), &[Value::Int(1)], Op::Add)
}

/// `{{ subf 5.5 1.1 }}` → `4.4`.
pub fn subf(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("subf", a, 1)?;
    dec_fold(to_f64(&a[0]), &a[1..], Op::Sub)
}

/// `{{ mulf 1.1 3 }}` → `3.3`.
pub fn mulf(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("mulf", a, 1)?;
    dec_fold(to_f64(&a[0]), &a[1..], Op::Mul)
}

/// `{{ divf 10 4 }}` → `2.5`.
pub fn divf(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity_min("divf", a, 1)?;
    dec_fold(to_f64(&a[0]), &a[1..], Op::Div)
}

/// `{{ atoi "42" }}` → `42` (0 when not a decimal integer).
pub fn atoi(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("atoi", a, 1)?;
    let v = string(&a[0])?;
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    let ok = !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit());
    Ok(Value::Int(if ok {
        v.parse::<i64>().unwrap_or(0)
    } else {
        0
    }))
}

/// `{{ int "42" }}` → `42` (cast.ToInt: strings in base 0, floats truncate).
pub fn to_int(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("int", a, 1)?;
    Ok(Value::Int(to_i64(&a[0])))
}

/// `{{ int64 "42" }}` → `42`.
pub fn to_int64(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("int64", a, 1)?;
    Ok(Value::Int(to_i64(&a[0])))
}

/// `{{ float64 "1.5" }}` → `1.5`.
pub fn to_float64(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("float64", a, 1)?;
    Ok(Value::Float(cast_f64(&a[0]).unwrap_or(0.0)))
}

/// `{{ toDecimal "0777" }}` → `511` (the %v text read as octal).
pub fn to_decimal(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("toDecimal", a, 1)?;
    let text = format_v(&a[0]);
    let (neg, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let v = if !digits.is_empty() && digits.bytes().all(|c| (b'0'..=b'7').contains(&c)) {
        i64::from_str_radix(digits, 8)
            .map(|v| if neg { -v } else { v })
            .unwrap_or(0)
    } else {
        0
    };
    Ok(Value::Int(v))
}

#[allow(dead_code)]
fn _fmt(f: f64) -> String {
    format_float(f, 'g', false)
}
