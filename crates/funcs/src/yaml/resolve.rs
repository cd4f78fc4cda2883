//! go-yaml v2's implicit scalar typing (`resolve`), used both when reading
//! (plain scalars become bools, ints, floats, nulls) and when writing (a
//! string that would read back as another type gets quoted).

/// What a plain scalar resolves to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    /// Too large for int64 but fits uint64.
    Uint(u64),
    Float(f64),
    /// Looks like a YAML timestamp; go-yaml v2 keeps these as strings when
    /// decoding into interface{}, but quotes them when encoding.
    Timestamp,
    Merge,
    Str,
}

fn map_lookup(s: &str) -> Option<Resolved> {
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Resolved::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        "<<" => Resolved::Merge,
        _ => return None,
    })
}

/// go-yaml v2 `resolve("", s)`: the implicit type of a plain scalar.
pub fn resolve(s: &str) -> Resolved {
    let hint = match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint == 0 {
        return Resolved::Str;
    }
    if let Some(r) = map_lookup(s) {
        return r;
    }
    match hint {
        b'.' => {
            if let Some(f) = go_parse_float(s) {
                return Resolved::Float(f);
            }
        }
        b'D' | b'S' => {
            if is_timestamp(s) {
                return Resolved::Timestamp;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if let Some(i) = go_parse_int(&plain) {
                return Resolved::Int(i);
            }
            if let Some(u) = go_parse_uint(&plain) {
                return Resolved::Uint(u);
            }
            if yaml_style_float(&plain)
                && let Some(f) = go_parse_float(&plain)
            {
                return Resolved::Float(f);
            }
            // go-yaml's explicit 0b / -0b handling is subsumed by Go's
            // base-0 ParseInt, which already accepts 0b.
        }
        _ => {}
    }
    Resolved::Str
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseUint(s, 0, 64)` digits part (no sign): base prefixes
/// 0x, 0o, 0b, and a leading 0 meaning octal.
fn parse_unsigned_base0(s: &str) -> Option<u64> {
    let (digits, base) = if let Some(r) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (r, 16)
    } else if let Some(r) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
        (r, 8)
    } else if let Some(r) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
        (r, 2)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    u64::from_str_radix(digits, base).ok()
}

/// Go's `strconv.ParseInt(s, 0, 64)` (underscores already removed).
pub fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_unsigned_base0(rest)?;
    if neg {
        if u <= i64::MAX as u64 + 1 {
            Some((u as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else if u <= i64::MAX as u64 {
        Some(u as i64)
    } else {
        None
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`: no sign allowed.
pub fn go_parse_uint(s: &str) -> Option<u64> {
    if s.starts_with(['+', '-']) {
        return None;
    }
    parse_unsigned_base0(s)
}

/// Go's `strconv.ParseFloat(s, 64)` for the decimal forms go-yaml feeds it;
/// out-of-range values fail as in Go (Go returns ErrRange).
pub fn go_parse_float(s: &str) -> Option<f64> {
    let body = s.trim_start_matches(['+', '-']);
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" || lower == "nan" {
        if s.len() - body.len() > 1 {
            return None;
        }
        return s.parse::<f64>().ok();
    }
    // Rust accepts the same decimal syntax; reject anything else Rust might.
    if !body
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    if s.len() - body.len() > 1 {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    if f.is_infinite() {
        return None;
    }
    Some(f)
}

/// go-yaml v2 `parseTimestamp`: YYYY- prefix then one of the accepted
/// layouts (`2006-1-2T15:4:5.999999999Z07:00`, with `t`, space-separated
/// without zone, or date only).
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if i != 4 || i == b.len() || b[i] != b'-' {
        return false;
    }
    parse_timestamp(s).is_some()
}

/// Parsed parts of a YAML timestamp (year, month, day, h, m, s, nanos,
/// zone offset seconds if any).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timestamp {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanos: u32,
    pub offset: Option<i32>,
}

struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}
impl Cur<'_> {
    /// Go layout elements "1", "2", "15", "4", "5": one or two digits
    /// (Go's `getnum` with fixed=false; "2006" is four digits).
    fn num(&mut self, min: usize, max: usize) -> Option<u32> {
        let st = self.i;
        while self.i < self.b.len() && self.i - st < max && self.b[self.i].is_ascii_digit() {
            self.i += 1;
        }
        if self.i - st < min {
            return None;
        }
        std::str::from_utf8(&self.b[st..self.i]).ok()?.parse().ok()
    }
    fn lit(&mut self, c: u8) -> Option<()> {
        if self.i < self.b.len() && self.b[self.i] == c {
            self.i += 1;
            Some(())
        } else {
            None
        }
    }
    fn done(&self) -> bool {
        self.i == self.b.len()
    }
}

fn days_in(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

/// Parses the layouts go-yaml accepts via `time.Parse`.
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let mut c = Cur {
        b: s.as_bytes(),
        i: 0,
    };
    let year = c.num(4, 4)? as i32;
    c.lit(b'-')?;
    let month = c.num(1, 2)?;
    c.lit(b'-')?;
    let day = c.num(1, 2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in(year, month) {
        return None;
    }
    let mut ts = Timestamp {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        offset: None,
    };
    if c.done() {
        return Some(ts);
    }
    let sep = *c.b.get(c.i)?;
    c.i += 1;
    let with_zone = match sep {
        b'T' | b't' => true,
        b' ' => false,
        _ => return None,
    };
    ts.hour = c.num(1, 2)?;
    c.lit(b':')?;
    ts.minute = c.num(1, 2)?;
    c.lit(b':')?;
    ts.second = c.num(1, 2)?;
    if ts.hour > 23 || ts.minute > 59 || ts.second > 59 {
        return None;
    }
    // Fractional seconds (".999999999": optional).
    if c.i < c.b.len() && c.b[c.i] == b'.' {
        c.i += 1;
        let st = c.i;
        while c.i < c.b.len() && c.b[c.i].is_ascii_digit() {
            c.i += 1;
        }
        if c.i == st {
            return None;
        }
        let frac = std::str::from_utf8(&c.b[st..c.i]).ok()?;
        let mut n: u64 = 0;
        for (k, ch) in frac.bytes().enumerate() {
            if k < 9 {
                n = n * 10 + u64::from(ch - b'0');
            }
        }
        for _ in frac.len()..9 {
            n *= 10;
        }
        ts.nanos = n as u32;
    }
    if with_zone {
        if c.lit(b'Z').is_some() {
            ts.offset = Some(0);
        } else {
            let sign = match c.b.get(c.i)? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            c.i += 1;
            let h = c.num(2, 2)?;
            c.lit(b':')?;
            let m = c.num(2, 2)?;
            ts.offset = Some(sign * (h * 3600 + m * 60) as i32);
        }
    }
    if !c.done() {
        return None;
    }
    Some(ts)
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`;
/// such strings are quoted on output for YAML 1.1 readers.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || !(b[0] == b'+' || b[0] == b'-' || b[0].is_ascii_digit()) || !s.contains(':')
    {
        return false;
    }
    let mut i = 0;
    if b[0] == b'+' || b[0] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]
        let st = i;
        while i < b.len() && b[i].is_ascii_digit() && i - st < 2 {
            i += 1;
        }
        match i - st {
            1 => {}
            2 => {
                if b[st] > b'5' {
                    // "[0-5]?[0-9]" backtracks to one digit, leaving a digit
                    // that nothing else can consume.
                    return false;
                }
            }
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_go_yaml_v2() {
        assert_eq!(resolve("yes"), Resolved::Bool(true));
        assert_eq!(resolve("Off"), Resolved::Bool(false));
        assert_eq!(resolve("~"), Resolved::Null);
        assert_eq!(resolve("0x1f"), Resolved::Int(31));
        assert_eq!(resolve("017"), Resolved::Int(15));
        assert_eq!(resolve("08"), Resolved::Float(8.0));
        assert_eq!(resolve("1_000"), Resolved::Int(1000));
        assert_eq!(resolve("1e3"), Resolved::Float(1000.0));
        assert_eq!(resolve("18446744073709551615"), Resolved::Uint(u64::MAX));
        assert_eq!(resolve("2024-01-01"), Resolved::Timestamp);
        assert_eq!(resolve("2024-13-01"), Resolved::Str);
        assert_eq!(resolve(".5"), Resolved::Float(0.5));
        assert_eq!(resolve("1e400"), Resolved::Str);
        assert_eq!(resolve("abc"), Resolved::Str);
        assert!(is_base60_float("1:20"));
        assert!(!is_base60_float("1:2a"));
        assert!(is_base60_float("190:20:30.15"));
    }
}
