//! Date functions (sprig date.go) over a Go-like `time.Time` value, with
//! a translator for Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`)
//! for both formatting and parsing. Time zones come from the system tz
//! database through jiff, as Go's `time.LoadLocation` does.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tusk_template::{CallContext, FuncError, Object, Value};

use crate::Env;
use crate::args::{arity, fail, go_type, s, string};

type R = Result<Value, FuncError>;

/// A Go `time.Time`: an instant plus a location.
#[derive(Debug, Clone)]
pub struct GoTime {
    /// Nanoseconds since the Unix epoch.
    pub nanos: i128,
    /// The location.
    pub zone: Zone,
}

/// A Go `*time.Location`.
#[derive(Debug, Clone)]
pub struct Zone {
    /// Go's location name (`Local`, `UTC`, `America/New_York`, or "" for
    /// a fixed zone).
    pub name: String,
    tz: TimeZone,
}

impl Zone {
    /// UTC.
    pub fn utc() -> Zone {
        Zone {
            name: "UTC".into(),
            tz: TimeZone::UTC,
        }
    }

    /// `time.LoadLocation`: "" and "UTC" are UTC, "Local" the local zone.
    pub fn load(name: &str, env: &Env) -> Option<Zone> {
        match name {
            "" | "UTC" => Some(Zone::utc()),
            "Local" => Some(local(env)),
            _ => TimeZone::get(name).ok().map(|tz| Zone {
                name: name.to_string(),
                tz,
            }),
        }
    }

    fn fixed(offset_secs: i32) -> Zone {
        let off = jiff::tz::Offset::from_seconds(offset_secs).unwrap_or(jiff::tz::Offset::UTC);
        Zone {
            name: String::new(),
            tz: TimeZone::fixed(off),
        }
    }
}

/// Go's `time.Local`.
pub fn local(env: &Env) -> Zone {
    let name = env
        .options()
        .local_zone
        .clone()
        .or_else(|| std::env::var("TZ").ok());
    let tz = match name.as_deref() {
        Some("") | Some("UTC") => TimeZone::UTC,
        Some(n) => TimeZone::get(n.trim_start_matches(':')).unwrap_or(TimeZone::UTC),
        None => TimeZone::system(),
    };
    LOCAL_TZ.with(|t| *t.borrow_mut() = Some(tz.clone()));
    Zone {
        name: "Local".into(),
        tz,
    }
}

/// Broken-down civil time in a zone.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    weekday: u32, // 0 = Sunday
    yday: u32,
    offset: i32,
    abbrev: String,
}

fn div_floor(a: i128, b: i128) -> i128 {
    a.div_euclid(b)
}

/// Days since 1970-01-01 → (year, month, day) (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

impl GoTime {
    /// From a `SystemTime` in a zone.
    pub fn from_system(t: SystemTime, zone: Zone) -> GoTime {
        let nanos = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        GoTime { nanos, zone }
    }

    fn unix(&self) -> i64 {
        div_floor(self.nanos, 1_000_000_000) as i64
    }

    fn offset_info(&self) -> (i32, String) {
        let Ok(ts) = Timestamp::from_second(self.unix().clamp(-377_705_116_800, 253_402_207_200))
        else {
            return (0, "UTC".into());
        };
        let info = self.zone.tz.to_offset_info(ts);
        let off = info.offset().seconds();
        // Go's fixed zones from parsing have no name: "MST" prints -0700.
        let abbr = if self.zone.name.is_empty() {
            String::new()
        } else {
            info.abbreviation().to_string()
        };
        (off, abbr)
    }

    fn civil(&self) -> Civil {
        let (offset, abbrev) = self.offset_info();
        let local = self.nanos + offset as i128 * 1_000_000_000;
        let secs = div_floor(local, 1_000_000_000) as i64;
        let nanos = (local - secs as i128 * 1_000_000_000) as u32;
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        let weekday = (days + 4).rem_euclid(7) as u32;
        let yday = (days - days_from_civil(year, 1, 1) + 1) as u32;
        Civil {
            year,
            month,
            day,
            hour: sod / 3600,
            minute: sod % 3600 / 60,
            second: sod % 60,
            nanos,
            weekday,
            yday,
            offset,
            abbrev,
        }
    }

    /// Go's `Time.Format`.
    pub fn format(&self, layout: &str) -> String {
        format_layout(&self.civil(), layout)
    }

    /// Go's `Time.String` (without the monotonic clock reading).
    pub fn go_string(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }

    fn with_zone(&self, zone: Zone) -> GoTime {
        GoTime {
            nanos: self.nanos,
            zone,
        }
    }
}

impl Object for GoTime {
    fn type_name(&self) -> &str {
        "time.Time"
    }
    fn field(&self, name: &str) -> Option<Value> {
        let c = self.civil();
        Some(match name {
            "Unix" => Value::Int(self.unix()),
            "UnixNano" => Value::Int(self.nanos as i64),
            "UnixMilli" => Value::Int(div_floor(self.nanos, 1_000_000) as i64),
            "Year" => Value::Int(c.year),
            "Month" => Value::from(MONTHS[(c.month - 1) as usize]),
            "Day" => Value::Int(c.day as i64),
            "Hour" => Value::Int(c.hour as i64),
            "Minute" => Value::Int(c.minute as i64),
            "Second" => Value::Int(c.second as i64),
            "Nanosecond" => Value::Int(c.nanos as i64),
            "YearDay" => Value::Int(c.yday as i64),
            "Weekday" => Value::from(DAYS[c.weekday as usize]),
            "UTC" => Value::Object(Arc::new(self.with_zone(Zone::utc()))),
            "IsZero" => Value::Bool(self.nanos == ZERO_NANOS),
            "String" => Value::from(self.go_string()),
            HIDDEN_NANOS => Value::from(self.nanos.to_string()),
            HIDDEN_ZONE => Value::from(self.zone.name.clone()),
            HIDDEN_OFFSET => Value::Int(self.offset_info().0 as i64),
            _ => return None,
        })
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        Some(match name {
            "Format" => match args {
                [Value::String(l)] => Ok(Value::from(self.format(l))),
                _ => Err(FuncError::BadArgs(
                    "wrong number of args for Format: want 1".into(),
                )),
            },
            "Add" => match args {
                [Value::Int(d)] => Ok(Value::Object(Arc::new(GoTime {
                    nanos: self.nanos + *d as i128,
                    zone: self.zone.clone(),
                }))),
                _ => Err(FuncError::BadArgs(
                    "wrong type for value; expected time.Duration".into(),
                )),
            },
            _ => return None,
        })
    }
    fn to_value(&self) -> Value {
        Value::from(self.go_string())
    }
    fn stringer(&self) -> Option<String> {
        Some(self.go_string())
    }
    fn collection(&self) -> Option<Value> {
        None
    }
}

/// Go's zero `time.Time` (0001-01-01 00:00:00 UTC) in Unix nanoseconds.
pub const ZERO_NANOS: i128 = -62_135_596_800 * 1_000_000_000;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// One element of a Go layout.
#[derive(Debug, Clone, PartialEq)]
enum Std {
    Lit(String),
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    Tz,
    /// Numeric zone: (iso "Z" form, colon, with seconds, hours only)
    NumTz {
        iso: bool,
        colon: bool,
        secs: bool,
        short: bool,
    },
    /// Fractional seconds: digits, trim trailing zeros (9s), separator.
    Frac {
        n: usize,
        trim: bool,
        sep: char,
    },
}

/// Go's `nextStdChunk`, applied over the whole layout.
fn parse_layout(layout: &str) -> Vec<Std> {
    let b = layout.as_bytes();
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    let starts = |i: usize, p: &str| layout[i..].starts_with(p);
    let lower_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_lowercase);
    while i < b.len() {
        let (std, len) = match b[i] {
            // Go: "Jan"/"Mon" followed by a lowercase letter are text.
            b'J' if starts(i, "January") => (Some(Std::LongMonth), 7),
            b'J' if starts(i, "Jan") && !lower_at(i + 3) => (Some(Std::Month), 3),
            b'M' if starts(i, "Monday") => (Some(Std::LongWeekDay), 6),
            b'M' if starts(i, "Mon") && !lower_at(i + 3) => (Some(Std::WeekDay), 3),
            b'M' if starts(i, "MST") => (Some(Std::Tz), 3),
            b'0' if starts(i, "002") => (Some(Std::ZeroYearDay), 3),
            b'0' if i + 1 < b.len() && (b'1'..=b'6').contains(&b[i + 1]) => (
                Some(match b[i + 1] {
                    b'1' => Std::ZeroMonth,
                    b'2' => Std::ZeroDay,
                    b'3' => Std::ZeroHour12,
                    b'4' => Std::ZeroMinute,
                    b'5' => Std::ZeroSecond,
                    _ => Std::Year,
                }),
                2,
            ),
            b'1' if starts(i, "15") => (Some(Std::Hour), 2),
            b'1' => (Some(Std::NumMonth), 1),
            b'2' if starts(i, "2006") => (Some(Std::LongYear), 4),
            b'2' => (Some(Std::Day), 1),
            b'_' if starts(i, "_2006") => {
                lit.push('_');
                (Some(Std::LongYear), 5)
            }
            b'_' if starts(i, "__2") => (Some(Std::UnderYearDay), 3),
            b'_' if starts(i, "_2") => (Some(Std::UnderDay), 2),
            b'3' => (Some(Std::Hour12), 1),
            b'4' => (Some(Std::Minute), 1),
            b'5' => (Some(Std::Second), 1),
            b'P' if starts(i, "PM") => (Some(Std::PM), 2),
            b'p' if starts(i, "pm") => (Some(Std::Pm), 2),
            b'-' | b'Z' => {
                let iso = b[i] == b'Z';
                let rest = &layout[i + 1..];
                if rest.starts_with("07:00:00") {
                    (
                        Some(Std::NumTz {
                            iso,
                            colon: true,
                            secs: true,
                            short: false,
                        }),
                        9,
                    )
                } else if rest.starts_with("070000") {
                    (
                        Some(Std::NumTz {
                            iso,
                            colon: false,
                            secs: true,
                            short: false,
                        }),
                        7,
                    )
                } else if rest.starts_with("07:00") {
                    (
                        Some(Std::NumTz {
                            iso,
                            colon: true,
                            secs: false,
                            short: false,
                        }),
                        6,
                    )
                } else if rest.starts_with("0700") {
                    (
                        Some(Std::NumTz {
                            iso,
                            colon: false,
                            secs: false,
                            short: false,
                        }),
                        5,
                    )
                } else if rest.starts_with("07") {
                    (
                        Some(Std::NumTz {
                            iso,
                            colon: false,
                            secs: false,
                            short: true,
                        }),
                        3,
                    )
                } else {
                    (None, 1)
                }
            }
            c @ (b'.' | b',') if i + 1 < b.len() && (b[i + 1] == b'0' || b[i + 1] == b'9') => {
                let ch = b[i + 1];
                let mut j = i + 1;
                while j < b.len() && b[j] == ch {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_digit() {
                    (None, 1)
                } else {
                    (
                        Some(Std::Frac {
                            n: j - i - 1,
                            trim: ch == b'9',
                            sep: c as char,
                        }),
                        j - i,
                    )
                }
            }
            _ => (None, 1),
        };
        match std {
            Some(s) => {
                if !lit.is_empty() {
                    out.push(Std::Lit(std::mem::take(&mut lit)));
                }
                out.push(s);
                i += len;
            }
            None => {
                let ch_len = layout[i..].chars().next().map_or(1, char::len_utf8);
                lit.push_str(&layout[i..i + ch_len]);
                i += ch_len;
            }
        }
    }
    if !lit.is_empty() {
        out.push(Std::Lit(lit));
    }
    out
}

fn format_layout(c: &Civil, layout: &str) -> String {
    let mut o = String::new();
    for el in parse_layout(layout) {
        match el {
            Std::Lit(s) => o.push_str(&s),
            Std::LongMonth => o.push_str(MONTHS[(c.month - 1) as usize]),
            Std::Month => o.push_str(&MONTHS[(c.month - 1) as usize][..3]),
            Std::NumMonth => o.push_str(&c.month.to_string()),
            Std::ZeroMonth => o.push_str(&format!("{:02}", c.month)),
            Std::LongWeekDay => o.push_str(DAYS[c.weekday as usize]),
            Std::WeekDay => o.push_str(&DAYS[c.weekday as usize][..3]),
            Std::Day => o.push_str(&c.day.to_string()),
            Std::UnderDay => o.push_str(&format!("{:>2}", c.day)),
            Std::ZeroDay => o.push_str(&format!("{:02}", c.day)),
            Std::UnderYearDay => o.push_str(&format!("{:>3}", c.yday)),
            Std::ZeroYearDay => o.push_str(&format!("{:03}", c.yday)),
            Std::Hour => o.push_str(&format!("{:02}", c.hour)),
            Std::Hour12 | Std::ZeroHour12 => {
                let h = match c.hour % 12 {
                    0 => 12,
                    h => h,
                };
                if el == Std::Hour12 {
                    o.push_str(&h.to_string())
                } else {
                    o.push_str(&format!("{h:02}"))
                }
            }
            Std::Minute => o.push_str(&c.minute.to_string()),
            Std::ZeroMinute => o.push_str(&format!("{:02}", c.minute)),
            Std::Second => o.push_str(&c.second.to_string()),
            Std::ZeroSecond => o.push_str(&format!("{:02}", c.second)),
            Std::LongYear => {
                if c.year < 0 {
                    o.push_str(&format!("-{:04}", -c.year))
                } else {
                    o.push_str(&format!("{:04}", c.year))
                }
            }
            Std::Year => o.push_str(&format!("{:02}", c.year.rem_euclid(100))),
            Std::PM => o.push_str(if c.hour >= 12 { "PM" } else { "AM" }),
            Std::Pm => o.push_str(if c.hour >= 12 { "pm" } else { "am" }),
            Std::Tz => {
                if !c.abbrev.is_empty() {
                    o.push_str(&c.abbrev);
                } else {
                    let z = c.offset / 60;
                    o.push(if z < 0 { '-' } else { '+' });
                    o.push_str(&format!("{:02}{:02}", z.abs() / 60, z.abs() % 60));
                }
            }
            Std::NumTz {
                iso,
                colon,
                secs,
                short,
            } => {
                if iso && c.offset == 0 {
                    o.push('Z');
                    continue;
                }
                let off = c.offset;
                o.push(if off < 0 { '-' } else { '+' });
                let a = off.abs();
                o.push_str(&format!("{:02}", a / 3600));
                if !short {
                    if colon {
                        o.push(':');
                    }
                    o.push_str(&format!("{:02}", a % 3600 / 60));
                }
                if secs {
                    if colon {
                        o.push(':');
                    }
                    o.push_str(&format!("{:02}", a % 60));
                }
            }
            Std::Frac { n, trim, sep } => {
                let digits = format!("{:09}", c.nanos);
                let mut d = digits[..n.min(9)].to_string();
                if trim {
                    d = d.trim_end_matches('0').to_string();
                    if d.is_empty() {
                        continue;
                    }
                }
                o.push(sep);
                o.push_str(&d);
            }
        }
    }
    o
}

fn go_quote(s: &str) -> String {
    crate::gostr::go_quote(s)
}

/// Go's `time.ParseInLocation` for the layout elements above.
pub fn parse_in(layout: &str, value: &str, loc: &Zone) -> Result<GoTime, String> {
    let err = |elem: &str, rest: &str, extra: &str| {
        if extra.is_empty() {
            format!(
                "parsing time {} as {}: cannot parse {} as {}",
                go_quote(value),
                go_quote(layout),
                go_quote(rest),
                go_quote(elem)
            )
        } else {
            format!("parsing time {}{extra}", go_quote(value))
        }
    };
    // Go: elements missing from the layout are zero, or one where zero is
    // impossible (the year defaults to 0, month and day to 1).
    let (mut year, mut month, mut day, mut hour, mut min, mut sec, mut nanos) =
        (0i64, 1u32, 1u32, 0u32, 0u32, 0u32, 0u32);
    let mut pm: Option<bool> = None;
    let mut yday: Option<u32> = None;
    let mut offset: Option<i32> = None;
    let mut zone_abbr: Option<String> = None;
    let mut v = value;
    let num = |v: &mut &str, min: usize, max: usize| -> Option<u32> {
        let n = v.bytes().take(max).take_while(u8::is_ascii_digit).count();
        if n < min {
            return None;
        }
        let r = v[..n].parse().ok();
        *v = &v[n..];
        r
    };
    let elems = parse_layout(layout);
    let mut range_err: Option<&str> = None;
    for (idx, el) in elems.iter().cloned().enumerate() {
        let next_is_frac = matches!(elems.get(idx + 1), Some(Std::Frac { .. }));
        let before = v;
        let name = layout_elem_name(&el);
        let ok = match &el {
            Std::Lit(l) => {
                if let Some(r) = v.strip_prefix(l.as_str()) {
                    v = r;
                    true
                } else {
                    return Err(err(l, v, ""));
                }
            }
            Std::LongYear => {
                if v.len() >= 4 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
                    year = v[..4].parse().unwrap_or(0);
                    v = &v[4..];
                    true
                } else {
                    false
                }
            }
            Std::Year => num(&mut v, 2, 2)
                .map(|y| {
                    year = if y >= 69 {
                        1900 + y as i64
                    } else {
                        2000 + y as i64
                    }
                })
                .is_some(),
            Std::ZeroMonth | Std::NumMonth => {
                match num(&mut v, if el == Std::ZeroMonth { 2 } else { 1 }, 2) {
                    Some(m) => {
                        if !(1..=12).contains(&m) {
                            range_err.get_or_insert("month");
                        }
                        month = m;
                        true
                    }
                    None => false,
                }
            }
            Std::LongMonth | Std::Month => {
                let found = MONTHS.iter().position(|m| {
                    let m = if el == Std::Month { &m[..3] } else { m };
                    v.len() >= m.len() && v[..m.len()].eq_ignore_ascii_case(m)
                });
                match found {
                    Some(i) => {
                        let l = if el == Std::Month { 3 } else { MONTHS[i].len() };
                        v = &v[l..];
                        month = i as u32 + 1;
                        true
                    }
                    None => false,
                }
            }
            Std::LongWeekDay | Std::WeekDay => {
                let found = DAYS.iter().find(|d| {
                    let d = if el == Std::WeekDay { &d[..3] } else { d };
                    v.len() >= d.len() && v[..d.len()].eq_ignore_ascii_case(d)
                });
                match found {
                    Some(d) => {
                        v = &v[if el == Std::WeekDay { 3 } else { d.len() }..];
                        true
                    }
                    None => false,
                }
            }
            Std::Day | Std::ZeroDay | Std::UnderDay => {
                if el == Std::UnderDay && v.starts_with(' ') {
                    v = &v[1..];
                }
                num(&mut v, if el == Std::ZeroDay { 2 } else { 1 }, 2)
                    .map(|d| day = d)
                    .is_some()
            }
            // Go reads "15" with one or two digits (not fixed width).
            Std::Hour => match num(&mut v, 1, 2) {
                Some(h) => {
                    if h >= 24 {
                        range_err.get_or_insert("hour");
                    }
                    hour = h;
                    true
                }
                None => false,
            },
            Std::Hour12 | Std::ZeroHour12 => {
                num(&mut v, if el == Std::ZeroHour12 { 2 } else { 1 }, 2)
                    .filter(|h| *h <= 12)
                    .map(|h| hour = h)
                    .is_some()
            }
            Std::Minute | Std::ZeroMinute => {
                match num(&mut v, if el == Std::ZeroMinute { 2 } else { 1 }, 2) {
                    Some(m) => {
                        if m >= 60 {
                            range_err.get_or_insert("minute");
                        }
                        min = m;
                        true
                    }
                    None => false,
                }
            }
            Std::Second | Std::ZeroSecond => {
                let r = match num(&mut v, if el == Std::ZeroSecond { 2 } else { 1 }, 2) {
                    Some(x) => {
                        if x >= 60 {
                            range_err.get_or_insert("second");
                        }
                        sec = x;
                        true
                    }
                    None => false,
                };
                // Go accepts fractional seconds after seconds even when the
                // layout has none.
                if r && !next_is_frac
                    && (v.starts_with('.') || v.starts_with(','))
                    && v.as_bytes().get(1).is_some_and(u8::is_ascii_digit)
                {
                    let n = v[1..].bytes().take_while(u8::is_ascii_digit).count();
                    let digits = &v[1..1 + n];
                    nanos = format!("{:0<9}", &digits[..n.min(9)]).parse().unwrap_or(0);
                    v = &v[1 + n..];
                }
                r
            }
            Std::PM | Std::Pm => {
                let up = v.get(..2).map(str::to_ascii_uppercase);
                match up.as_deref() {
                    Some("PM") => {
                        pm = Some(true);
                        v = &v[2..];
                        true
                    }
                    Some("AM") => {
                        pm = Some(false);
                        v = &v[2..];
                        true
                    }
                    _ => false,
                }
            }
            Std::NumTz {
                iso,
                colon,
                secs,
                short,
            } => {
                if *iso && v.starts_with('Z') {
                    v = &v[1..];
                    offset = Some(0);
                    true
                } else {
                    let sign = match v.as_bytes().first() {
                        Some(b'+') => 1,
                        Some(b'-') => -1,
                        _ => 0,
                    };
                    if sign == 0 {
                        false
                    } else {
                        v = &v[1..];
                        let h = num(&mut v, 2, 2);
                        let mut m = Some(0);
                        let mut s = Some(0);
                        if !short {
                            if *colon {
                                v = v.strip_prefix(':').unwrap_or("#");
                            }
                            m = num(&mut v, 2, 2);
                        }
                        if *secs {
                            if *colon {
                                v = v.strip_prefix(':').unwrap_or("#");
                            }
                            s = num(&mut v, 2, 2);
                        }
                        match (h, m, s) {
                            (Some(h), Some(m), Some(s)) => {
                                offset = Some(sign * (h * 3600 + m * 60 + s) as i32);
                                true
                            }
                            _ => false,
                        }
                    }
                }
            }
            Std::Tz => {
                // Go's parseTimeZone: "UTC" first, then 3 to 5 capitals
                // (4 and 5 must end in T, or be WITA).
                if v.starts_with("UTC") {
                    v = &v[3..];
                    offset = Some(0);
                    true
                } else {
                    let n = v.bytes().take(6).take_while(u8::is_ascii_uppercase).count();
                    let ok = match n {
                        3 => true,
                        4 => v.as_bytes()[3] == b'T' || &v[..4] == "WITA",
                        5 => v.as_bytes()[4] == b'T',
                        _ => false,
                    };
                    if ok {
                        zone_abbr = Some(v[..n].to_string());
                        v = &v[n..];
                    }
                    ok
                }
            }
            Std::Frac { n, .. } => {
                if v.starts_with('.') || v.starts_with(',') {
                    let k = v[1..].bytes().take_while(u8::is_ascii_digit).count();
                    if k == 0 || (!matches!(el, Std::Frac { trim: true, .. }) && k != *n) {
                        false
                    } else {
                        nanos = format!("{:0<9}", &v[1..1 + k.min(9)]).parse().unwrap_or(0);
                        v = &v[1 + k..];
                        true
                    }
                } else {
                    matches!(el, Std::Frac { trim: true, .. })
                }
            }
            Std::UnderYearDay | Std::ZeroYearDay => {
                if el == Std::UnderYearDay {
                    v = v.trim_start_matches(' ');
                }
                match num(&mut v, if el == Std::ZeroYearDay { 3 } else { 1 }, 3) {
                    Some(d) => {
                        yday = Some(d);
                        true
                    }
                    None => false,
                }
            }
        };
        if !ok {
            return Err(err(&name, before, ""));
        }
        if let Some(what) = range_err {
            return Err(format!(
                "parsing time {}: {what} out of range",
                go_quote(value)
            ));
        }
    }
    if !v.is_empty() {
        return Err(err("", "", &format!(": extra text: {}", go_quote(v))));
    }
    if let Some(p) = pm {
        if p && hour < 12 {
            hour += 12;
        } else if !p && hour == 12 {
            hour = 0;
        }
    }
    if let Some(yd) = yday {
        // Go: a day of the year fixes month and day.
        let max = if is_leap(year) { 366 } else { 365 };
        if yd < 1 || yd > max {
            return Err(format!(
                "parsing time {}: day-of-year out of range",
                go_quote(value)
            ));
        }
        let days = days_from_civil(year, 1, 1) + yd as i64 - 1;
        let (_, m, d) = civil_from_days(days);
        month = m;
        day = d;
    }
    let dim = match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > dim {
        return Err(format!(
            "parsing time {}: day out of range",
            go_quote(value)
        ));
    }
    let local_secs =
        days_from_civil(year, month, day) * 86_400 + (hour * 3600 + min * 60 + sec) as i64;
    let local_nanos = local_secs as i128 * 1_000_000_000 + nanos as i128;
    if let Some(off) = offset {
        let t = GoTime {
            nanos: local_nanos - off as i128 * 1_000_000_000,
            zone: loc.clone(),
        };
        // Go keeps the location if it has this offset at that instant,
        // otherwise a fixed zone.
        if t.offset_info().0 == off {
            return Ok(t);
        }
        return Ok(GoTime {
            nanos: t.nanos,
            zone: Zone::fixed(off),
        });
    }
    let _ = zone_abbr;
    // No zone in the input: the civil time is in `loc`.
    let guess = GoTime {
        nanos: local_nanos,
        zone: loc.clone(),
    };
    let off = guess.offset_info().0;
    let t = GoTime {
        nanos: local_nanos - off as i128 * 1_000_000_000,
        zone: loc.clone(),
    };
    let off2 = t.offset_info().0;
    Ok(GoTime {
        nanos: local_nanos - off2 as i128 * 1_000_000_000,
        zone: loc.clone(),
    })
}

fn layout_elem_name(el: &Std) -> String {
    match el {
        Std::Lit(s) => s.clone(),
        Std::LongMonth => "January".into(),
        Std::Month => "Jan".into(),
        Std::NumMonth => "1".into(),
        Std::ZeroMonth => "01".into(),
        Std::LongWeekDay => "Monday".into(),
        Std::WeekDay => "Mon".into(),
        Std::Day => "2".into(),
        Std::UnderDay => "_2".into(),
        Std::ZeroDay => "02".into(),
        Std::UnderYearDay => "__2".into(),
        Std::ZeroYearDay => "002".into(),
        Std::Hour => "15".into(),
        Std::Hour12 => "3".into(),
        Std::ZeroHour12 => "03".into(),
        Std::Minute => "4".into(),
        Std::ZeroMinute => "04".into(),
        Std::Second => "5".into(),
        Std::ZeroSecond => "05".into(),
        Std::LongYear => "2006".into(),
        Std::Year => "06".into(),
        Std::PM => "PM".into(),
        Std::Pm => "pm".into(),
        Std::Tz => "MST".into(),
        Std::NumTz {
            iso,
            colon,
            secs,
            short,
        } => {
            let mut s = String::from(if *iso { "Z07" } else { "-07" });
            if !short {
                s.push_str(if *colon { ":00" } else { "00" });
            }
            if *secs {
                s.push_str(if *colon { ":00" } else { "00" });
            }
            s
        }
        Std::Frac { n, trim, sep } => format!("{sep}{}", if *trim { "9" } else { "0" }.repeat(*n)),
    }
}

/// Go's `time.Duration.String`.
pub fn duration_string(d: i64) -> String {
    if d == 0 {
        return "0s".into();
    }
    let neg = d < 0;
    let u = d.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        // Sub-second: ns, µs or ms with a fraction.
        let (unit, div) = if u < 1_000 {
            ("ns", 1)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        out.push_str(&frac(u, div));
        out.push_str(unit);
    } else {
        let secs = u / 1_000_000_000;
        let h = secs / 3600;
        let m = secs % 3600 / 60;
        let sec_part = frac(u % 60_000_000_000, 1_000_000_000);
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if h > 0 || m > 0 {
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&sec_part);
        out.push('s');
    }
    if neg { format!("-{out}") } else { out }
}

fn frac(v: u64, div: u64) -> String {
    let whole = v / div;
    let rem = v % div;
    if rem == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let f = format!("{rem:0width$}");
    format!("{whole}.{}", f.trim_end_matches('0'))
}

/// Go's `Duration.Round(m)`, saturating on overflow.
fn round_duration(d: i64, m: i64) -> i64 {
    let less_than_half = |x: i64| (x as u64).wrapping_add(x as u64) < m as u64;
    let mut r = d % m;
    if d < 0 {
        r = -r;
        if less_than_half(r) {
            return d + r;
        }
        let d1 = d.wrapping_sub(m).wrapping_add(r);
        if d1 < d { d1 } else { i64::MIN }
    } else {
        if less_than_half(r) {
            return d - r;
        }
        let d1 = d.wrapping_add(m).wrapping_sub(r);
        if d1 > d { d1 } else { i64::MAX }
    }
}

/// Go's `time.ParseDuration`.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let orig = s;
    let bad = || format!("time: invalid duration {}", go_quote(orig));
    let (neg, mut s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !s.is_empty() {
        let n = s
            .bytes()
            .take_while(|c| c.is_ascii_digit() || *c == b'.')
            .count();
        if n == 0 {
            return Err(bad());
        }
        let num: f64 = s[..n].parse().map_err(|_| bad())?;
        s = &s[n..];
        let u = s
            .bytes()
            .take_while(|c| !(c.is_ascii_digit() || *c == b'.'))
            .count();
        if u == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(orig)));
        }
        let mult = match &s[..u] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            unit => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_quote(unit),
                    go_quote(orig)
                ));
            }
        };
        total += num * mult;
        s = &s[u..];
    }
    if total > i64::MAX as f64 {
        return Err(bad());
    }
    let t = total.round() as i64;
    Ok(if neg { -t } else { t })
}

/// Recovers a [`GoTime`] from a template value: objects are opaque, so
/// a time object exposes its instant and zone through hidden fields.
fn as_time(v: &Value) -> Option<GoTime> {
    let Value::Object(o) = v else { return None };
    if o.type_name() != "time.Time" {
        return None;
    }
    let nanos: i128 = o.field(HIDDEN_NANOS)?.as_str()?.parse().ok()?;
    let name = o.field(HIDDEN_ZONE)?.as_str()?.to_string();
    let off = match o.field(HIDDEN_OFFSET) {
        Some(Value::Int(i)) => i as i32,
        _ => 0,
    };
    let zone = match name.as_str() {
        "" => Zone::fixed(off),
        "UTC" => Zone::utc(),
        "Local" => Zone {
            name,
            tz: LOCAL_TZ
                .with(|t| t.borrow().clone())
                .unwrap_or(TimeZone::UTC),
        },
        n => TimeZone::get(n)
            .map(|tz| Zone {
                name: n.to_string(),
                tz,
            })
            .unwrap_or_else(|_| Zone::utc()),
    };
    Some(GoTime { nanos, zone })
}

thread_local! {
    /// The local zone last resolved on this thread (time objects only keep
    /// the name "Local").
    static LOCAL_TZ: std::cell::RefCell<Option<TimeZone>> = const { std::cell::RefCell::new(None) };
}

const HIDDEN_NANOS: &str = "\u{0}tusk_nanos";
const HIDDEN_ZONE: &str = "\u{0}tusk_zone";
const HIDDEN_OFFSET: &str = "\u{0}tusk_offset";

fn time_param(v: &Value) -> Result<GoTime, FuncError> {
    as_time(v).ok_or_else(|| {
        let got = if v.is_nil() {
            "interface {}".to_string()
        } else {
            go_type(v)
        };
        FuncError::BadArgs(format!(
            "wrong type for value; expected time.Time; got {got}"
        ))
    })
}

fn time_value(t: GoTime) -> Value {
    Value::Object(Arc::new(t))
}

/// sprig's date argument: a time, or Unix seconds as an int; anything else
/// means now.
fn date_arg(env: &Env, v: &Value) -> GoTime {
    if let Some(t) = as_time(v) {
        return t;
    }
    match v {
        Value::Int(i) => GoTime {
            nanos: *i as i128 * 1_000_000_000,
            zone: local(env),
        },
        _ => GoTime::from_system(env.now(), local(env)),
    }
}

/// `{{ now }}`: the current time in the local zone (see [`crate::Options::now`]).
pub fn now(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("now", a, 0)?;
    Ok(time_value(GoTime::from_system(env.now(), local(env))))
}

fn date_in_zone_impl(env: &Env, layout: &str, date: &Value, zone: &str) -> String {
    let t = date_arg(env, date);
    let loc = Zone::load(zone, env).unwrap_or_else(Zone::utc);
    t.with_zone(loc).format(layout)
}

/// `{{ now | date "2006-01-02" }}` formats in the local zone.
pub fn date(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("date", a, 2)?;
    Ok(s(date_in_zone_impl(env, string(&a[0])?, &a[1], "Local")))
}

/// `{{ dateInZone "15:04" (now) "UTC" }}`.
pub fn date_in_zone(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("dateInZone", a, 3)?;
    Ok(s(date_in_zone_impl(
        env,
        string(&a[0])?,
        &a[1],
        string(&a[2])?,
    )))
}

/// `{{ htmlDate now }}` → `2024-01-02`.
pub fn html_date(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("htmlDate", a, 1)?;
    Ok(s(date_in_zone_impl(env, "2006-01-02", &a[0], "Local")))
}

/// `{{ htmlDateInZone now "UTC" }}`.
pub fn html_date_in_zone(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("htmlDateInZone", a, 2)?;
    Ok(s(date_in_zone_impl(
        env,
        "2006-01-02",
        &a[0],
        string(&a[1])?,
    )))
}

/// `{{ now | dateModify "-1.5h" }}`; an invalid duration leaves the date.
pub fn date_modify(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("dateModify", a, 2)?;
    let d = string(&a[0])?;
    let t = time_param(&a[1])?;
    Ok(time_value(match parse_duration(d) {
        Ok(n) => GoTime {
            nanos: t.nanos + n as i128,
            zone: t.zone,
        },
        Err(_) => t,
    }))
}

/// `{{ mustDateModify "1h" now }}`: invalid durations are errors.
pub fn must_date_modify(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mustDateModify", a, 2)?;
    let d = parse_duration(string(&a[0])?).map_err(fail)?;
    let t = time_param(&a[1])?;
    Ok(time_value(GoTime {
        nanos: t.nanos + d as i128,
        zone: t.zone,
    }))
}

/// `{{ ago .t }}`: time since, rounded to seconds.
pub fn ago(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("ago", a, 1)?;
    let t = date_arg(env, &a[0]);
    let now = GoTime::from_system(env.now(), local(env));
    // time.Since saturates at the Duration limits; Round(time.Second) too.
    let d = (now.nanos - t.nanos).clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    Ok(s(duration_string(round_duration(d, 1_000_000_000))))
}

/// `{{ duration "95" }}` → `1m35s` (a string or int64 of seconds; other
/// types give `0s` as in sprig). Template integers are taken as int64
/// (Go would give `0s` for an untyped `int` constant: see
/// COMPATIBILITY.md).
pub fn duration(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("duration", a, 1)?;
    let n = match &a[0] {
        Value::String(v) => v.parse::<i64>().unwrap_or(0),
        Value::Int(i) => *i,
        _ => 0,
    };
    Ok(s(duration_string(n.saturating_mul(1_000_000_000))))
}

/// `{{ durationRound "2h10m5s" }}` → `2h`.
pub fn duration_round(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("durationRound", a, 1)?;
    let d: i64 = match &a[0] {
        Value::String(v) => parse_duration(v).unwrap_or(0),
        Value::Int(i) => *i,
        v => match as_time(v) {
            Some(t) => (GoTime::from_system(env.now(), Zone::utc()).nanos - t.nanos)
                .clamp(i64::MIN as i128, i64::MAX as i128) as i64,
            None => 0,
        },
    };
    let u = d.unsigned_abs();
    const H: u64 = 3_600_000_000_000;
    let (year, month, day, hour, minute, second) = (
        H * 24 * 365,
        H * 24 * 30,
        H * 24,
        H,
        60_000_000_000,
        1_000_000_000,
    );
    let out = if u > year {
        format!("{}y", u / year)
    } else if u > month {
        format!("{}mo", u / month)
    } else if u > day {
        format!("{}d", u / day)
    } else if u > hour {
        format!("{}h", u / hour)
    } else if u > minute {
        format!("{}m", u / minute)
    } else if u > second {
        format!("{}s", u / second)
    } else {
        "0s".into()
    };
    Ok(s(out))
}

/// `{{ toDate "2006-01-02" "2017-12-31" }}`: parses in the local zone; the
/// zero time on error.
pub fn to_date(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("toDate", a, 2)?;
    let t = parse_in(string(&a[0])?, string(&a[1])?, &local(env)).unwrap_or(GoTime {
        nanos: ZERO_NANOS,
        zone: Zone::utc(),
    });
    Ok(time_value(t))
}

/// `{{ mustToDate "2006-01-02" "2017-12-31" }}`: parse errors are errors.
pub fn must_to_date(env: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("mustToDate", a, 2)?;
    parse_in(string(&a[0])?, string(&a[1])?, &local(env))
        .map(time_value)
        .map_err(fail)
}

/// `{{ now | unixEpoch }}` → Unix seconds as a string.
pub fn unix_epoch(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("unixEpoch", a, 1)?;
    Ok(s(time_param(&a[0])?.unix().to_string()))
}
