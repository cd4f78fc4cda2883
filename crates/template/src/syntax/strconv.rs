//! The parts of Go's `strconv` the parser needs: `Unquote`, `UnquoteChar`
//! and base-0 integer / float parsing with Go literal syntax.

/// Go's `strconv.ErrSyntax` / `ErrRange` distinction is not needed by the
/// template parser: it only reports "invalid syntax" for bad literals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxError;

/// Unquotes a Go string literal (`"..."` or `` `...` ``). Byte escapes
/// (`\xff`) that do not form UTF-8 are replaced by U+FFFD (Rust strings
/// must be UTF-8; Go would keep the raw bytes).
pub fn unquote(s: &str) -> Result<String, SyntaxError> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return Err(SyntaxError);
    }
    let q = b[0];
    if q != b[b.len() - 1] {
        return Err(SyntaxError);
    }
    let inner = &s[1..s.len() - 1];
    match q {
        b'`' => {
            if inner.contains('`') {
                return Err(SyntaxError);
            }
            Ok(inner.replace('\r', ""))
        }
        b'"' | b'\'' => {
            if inner.contains('\n') {
                return Err(SyntaxError);
            }
            // Most literals hold no escape: each byte stands for itself.
            if q == b'"' && !inner.bytes().any(|c| c == b'\\' || c == b'"') {
                return Ok(inner.to_string());
            }
            let mut out: Vec<u8> = Vec::with_capacity(inner.len());
            let mut rest = inner;
            while !rest.is_empty() {
                let (piece, tail) = unquote_char(rest, q as char)?;
                match piece {
                    Piece::Char(c) => {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                    Piece::Byte(x) => out.push(x),
                }
                rest = tail;
                if q == b'\'' && !rest.is_empty() {
                    return Err(SyntaxError);
                }
            }
            Ok(String::from_utf8_lossy(&out).into_owned())
        }
        _ => Err(SyntaxError),
    }
}

/// One decoded unit of a quoted literal.
#[derive(Debug, Clone, Copy)]
pub enum Piece {
    /// A Unicode character.
    Char(char),
    /// A raw byte from `\x` or octal escapes (only in strings).
    Byte(u8),
}

impl Piece {
    /// The numeric value.
    pub fn value(self) -> u32 {
        match self {
            Piece::Char(c) => c as u32,
            Piece::Byte(b) => b as u32,
        }
    }
}

fn hexval(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

/// Go's `strconv.UnquoteChar`: decodes the first character or escape of
/// `s`, which is inside a literal quoted with `quote`.
pub fn unquote_char(s: &str, quote: char) -> Result<(Piece, &str), SyntaxError> {
    let mut chars = s.chars();
    let c = chars.next().ok_or(SyntaxError)?;
    if c == quote && (quote == '\'' || quote == '"') {
        return Err(SyntaxError);
    }
    if c != '\\' {
        return Ok((Piece::Char(c), chars.as_str()));
    }
    let b = s.as_bytes();
    if b.len() <= 1 {
        return Err(SyntaxError);
    }
    let e = b[1];
    let rest = s.get(2..).ok_or(SyntaxError)?;
    let simple = |c: char| Ok((Piece::Char(c), rest));
    match e {
        b'a' => simple('\x07'),
        b'b' => simple('\x08'),
        b'f' => simple('\x0c'),
        b'n' => simple('\n'),
        b'r' => simple('\r'),
        b't' => simple('\t'),
        b'v' => simple('\x0b'),
        b'\\' => simple('\\'),
        b'\'' | b'"' => {
            if e as char != quote {
                return Err(SyntaxError);
            }
            simple(e as char)
        }
        b'x' | b'u' | b'U' => {
            let n = match e {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let rb = rest.as_bytes();
            if rb.len() < n {
                return Err(SyntaxError);
            }
            let mut v: u32 = 0;
            for &d in &rb[..n] {
                v = (v << 4) | hexval(d).ok_or(SyntaxError)?;
            }
            let tail = &rest[n..];
            if e == b'x' {
                if quote == '\'' {
                    // In a character literal \x is a rune value.
                    return Ok((Piece::Char(char::from_u32(v).ok_or(SyntaxError)?), tail));
                }
                return Ok((Piece::Byte(v as u8), tail));
            }
            let c = char::from_u32(v).ok_or(SyntaxError)?;
            Ok((Piece::Char(c), tail))
        }
        b'0'..=b'7' => {
            let rb = s.as_bytes();
            if rb.len() < 4 {
                return Err(SyntaxError);
            }
            let mut v: u32 = 0;
            for &d in &rb[1..4] {
                if !(b'0'..=b'7').contains(&d) {
                    return Err(SyntaxError);
                }
                v = v * 8 + (d - b'0') as u32;
            }
            if v > 255 {
                return Err(SyntaxError);
            }
            let tail = &s[4..];
            if quote == '\'' {
                return Ok((Piece::Char(char::from_u32(v).ok_or(SyntaxError)?), tail));
            }
            Ok((Piece::Byte(v as u8), tail))
        }
        _ => Err(SyntaxError),
    }
}

/// Go's `underscoreOK`: underscores only between digits or after a base
/// prefix.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') {
        i = 1;
    }
    let mut hex = false;
    if b.len() - i >= 2 && b[i] == b'0' {
        let p = b[i + 1] | 0x20;
        if p == b'b' || p == b'o' || p == b'x' {
            hex = p == b'x';
            i += 2;
            saw = b'0';
        }
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && (c | 0x20).is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// Go's `strconv.ParseUint(s, 0, 64)`.
pub fn parse_uint(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let (base, digits) = if b[0] == b'0' && b.len() >= 2 {
        match b[1] | 0x20 {
            b'x' => (16, &s[2..]),
            b'o' => (8, &s[2..]),
            b'b' => (2, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else {
        (10, s)
    };
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let mut v: u64 = 0;
    let mut any = false;
    for c in digits.bytes() {
        if c == b'_' {
            continue;
        }
        let d = (c as char).to_digit(base)?;
        v = v.checked_mul(base as u64)?.checked_add(d as u64)?;
        any = true;
    }
    if !any {
        return None;
    }
    Some(v)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub fn parse_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint(body)?;
    if neg {
        if u > (i64::MAX as u64) + 1 {
            return None;
        }
        Some((u as i64).wrapping_neg())
    } else {
        if u > i64::MAX as u64 {
            return None;
        }
        Some(u as i64)
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for the literal forms the lexer can
/// produce (decimal with optional exponent, hex with `p` exponent,
/// underscores). Out-of-range values are errors, as in Go.
pub fn parse_float(s: &str) -> Option<f64> {
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let clean: String = s.chars().filter(|c| *c != '_').collect();
    let (neg, body) = match clean.as_bytes().first() {
        Some(b'+') => (false, &clean[1..]),
        Some(b'-') => (true, &clean[1..]),
        _ => (false, &clean[..]),
    };
    let v = if body.len() > 2 && (body.starts_with("0x") || body.starts_with("0X")) {
        parse_hex_float(&body[2..])?
    } else {
        let b = body.as_bytes();
        // Rust accepts "inf"/"nan"; the lexer never produces them, but be strict.
        if b.is_empty() || !(b[0].is_ascii_digit() || b[0] == b'.') {
            return None;
        }
        body.parse::<f64>().ok()?
    };
    if v.is_infinite() {
        return None;
    }
    Some(if neg { -v } else { v })
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = match s.find(['p', 'P']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let mut v = 0f64;
    let mut scale = 0i32;
    let mut seen_dot = false;
    let mut any = false;
    for c in mant.chars() {
        if c == '.' {
            if seen_dot {
                return None;
            }
            seen_dot = true;
            continue;
        }
        let d = c.to_digit(16)?;
        v = v * 16.0 + d as f64;
        any = true;
        if seen_dot {
            scale -= 4;
        }
    }
    if !any {
        return None;
    }
    Some(v * 2f64.powi(exp + scale))
}
