//! Go's `fmt` package as templates use it: `print`/`printf`/`println`,
//! the `{{ . }}` printing rule, and the helpers sprig-style functions need
//! (`sprint` is Go's `fmt.Sprint`, i.e. sprig's `toString`).
//!
//! Values are formatted as Go formats the corresponding `interface{}`
//! values: `map[a:1 b:2]` with sorted keys, `[a b]` for slices, `<nil>`,
//! floats in shortest `%g` form (`1e+06`), and the error forms
//! `%!d(string=x)`, `%!d(MISSING)`, `%!(EXTRA string=x)`.

use crate::value::Value;

/// Go's `fmt.Sprint`: operands are separated by a space when neither
/// neighbour is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a, Value::String(_));
        if i > 0 && !is_string && !prev_string {
            p.buf.push(' ');
        }
        p.print_arg(a, 'v');
        prev_string = is_string;
    }
    p.buf
}

/// Go's `fmt.Sprintln`: operands always separated by spaces, newline added.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::default();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.print_arg(a, 'v');
    }
    p.buf.push('\n');
    p.buf
}

/// Go's `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::default();
    p.do_printf(format, args);
    p.buf
}

/// Formats one value as `%v` (what `{{ . }}` prints for a non-nil value).
/// The value is addressable here, as text/template's printer sees it, so
/// `String()` methods on pointer receivers apply.
pub fn format_value(v: &Value) -> String {
    let mut p = Printer {
        addressable: true,
        ..Printer::default()
    };
    p.print_arg(v, 'v');
    p.buf
}

/// Go's `%T`: the dynamic type name of a value (`<nil>` for nil).
pub fn type_name(v: &Value) -> String {
    match v {
        Value::Nil => "<nil>".into(),
        Value::Bool(_) => "bool".into(),
        Value::Int(_) => "int".into(),
        Value::Float(_) => "float64".into(),
        Value::String(_) => "string".into(),
        Value::Bytes(_) => "[]uint8".into(),
        Value::List(_) => "[]interface {}".into(),
        Value::Map(_) => "map[string]interface {}".into(),
        Value::Object(o) => o.type_name().to_string(),
    }
}

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        append_escaped(&mut out, c, '"', false);
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteToASCII`.
pub fn quote_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        append_escaped(&mut out, c, '"', true);
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteRune` (and `QuoteRuneToASCII` when `ascii`).
pub fn quote_rune(c: char, ascii: bool) -> String {
    let mut out = String::from("'");
    append_escaped(&mut out, c, '\'', ascii);
    out.push('\'');
    out
}

fn append_escaped(out: &mut String, c: char, quote: char, ascii: bool) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if ascii {
        if (c as u32) < 0x80 && is_print(c) {
            out.push(c);
            return;
        }
    } else if is_print(c) {
        out.push(c);
        return;
    }
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
            out.push_str(&format!("\\x{:02x}", c as u32));
        }
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// Approximates Go's `strconv.IsPrint` / `unicode.IsPrint`: letters,
/// marks, numbers, punctuation, symbols and the ASCII space.
pub fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    // Format characters (Cf), private use, surrogates, noncharacters.
    if matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F
        | 0x2028..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB
        | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFFFE | 0xFFFF | 0xE0001 | 0xE0020..=0xE007F)
    {
        return false;
    }
    true
}

/// `%#U` of a character: `U+0041 'A'` (what Go's lexer errors print).
pub fn format_unicode_sharp(c: char) -> String {
    let mut s = format!("U+{:04X}", c as u32);
    if is_print(c) {
        s.push_str(" '");
        s.push(c);
        s.push('\'');
    }
    s
}

#[derive(Default, Clone, Copy)]
struct Flags {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
    wid: usize,
    wid_present: bool,
    prec: usize,
    prec_present: bool,
}

#[derive(Default)]
struct Printer {
    buf: String,
    f: Flags,
    reordered: bool,
    good_arg_num: bool,
    /// The top-level operand is an addressable template value (`{{ . }}`),
    /// not a copy passed to a function.
    addressable: bool,
}

/// Nesting depth beyond which values are not printed further.
pub const MAX_PRINT_DEPTH: usize = 1000;

const LDIGITS: &[u8; 16] = b"0123456789abcdef";
const UDIGITS: &[u8; 16] = b"0123456789ABCDEF";

fn too_large(x: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&x)
}

fn parsenum(s: &[u8], start: usize, end: usize) -> (usize, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num: i64 = 0;
    let mut isnum = false;
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + (s[i] - b'0') as i64;
        isnum = true;
        i += 1;
    }
    (num as usize, isnum, i)
}

impl Printer {
    // ---- padding ----

    fn write_padding(&mut self, n: usize) {
        let c = if self.f.zero { '0' } else { ' ' };
        for _ in 0..n {
            self.buf.push(c);
        }
    }

    fn pad(&mut self, s: &str) {
        if !self.f.wid_present || self.f.wid == 0 {
            self.buf.push_str(s);
            return;
        }
        let width = s.chars().count();
        if width >= self.f.wid {
            self.buf.push_str(s);
            return;
        }
        let n = self.f.wid - width;
        if !self.f.minus {
            self.write_padding(n);
            self.buf.push_str(s);
        } else {
            self.buf.push_str(s);
            // Right padding is always spaces (zero is cleared by '-').
            for _ in 0..n {
                self.buf.push(' ');
            }
        }
    }

    fn truncate<'s>(&self, s: &'s str) -> &'s str {
        if self.f.prec_present {
            if let Some((i, _)) = s.char_indices().nth(self.f.prec) {
                return &s[..i];
            }
        }
        s
    }

    // ---- printf driver ----

    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &[u8],
        i: usize,
        n: usize,
    ) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok && index >= 0 && (index as usize) < n {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    fn int_from_arg(args: &[Value], arg_num: usize) -> (i64, bool, usize) {
        let mut new = arg_num;
        let mut num = 0;
        let mut is_int = false;
        if arg_num < args.len() {
            if let Value::Int(i) = args[arg_num] {
                num = i;
                is_int = true;
            }
            new = arg_num + 1;
            if too_large(num) {
                num = 0;
                is_int = false;
            }
        }
        (num, is_int, new)
    }

    fn do_printf(&mut self, format: &str, a: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num = 0usize;
        let mut after_index;
        self.reordered = false;
        let mut i = 0usize;
        'outer: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.push_str(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1;
            self.f = Flags::default();
            while i < end {
                let c = fb[i];
                match c {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = !self.f.minus,
                    b'+' => self.f.plus = true,
                    b'-' => {
                        self.f.minus = true;
                        self.f.zero = false;
                    }
                    b' ' => self.f.space = true,
                    _ => {
                        if c.is_ascii_lowercase() && arg_num < a.len() {
                            if c == b'v' {
                                self.f.sharp_v = self.f.sharp;
                                self.f.sharp = false;
                                self.f.plus_v = self.f.plus;
                                self.f.plus = false;
                            }
                            self.print_arg(&a[arg_num], c as char);
                            arg_num += 1;
                            i += 1;
                            continue 'outer;
                        }
                        break;
                    }
                }
                i += 1;
            }
            let r = self.arg_number(arg_num, fb, i, a.len());
            arg_num = r.0;
            i = r.1;
            after_index = r.2;
            if i < end && fb[i] == b'*' {
                i += 1;
                let (w, ok, n) = Self::int_from_arg(a, arg_num);
                arg_num = n;
                self.f.wid_present = ok;
                if !ok {
                    self.buf.push_str("%!(BADWIDTH)");
                }
                if w < 0 {
                    self.f.wid = (-w) as usize;
                    self.f.minus = true;
                    self.f.zero = false;
                } else {
                    self.f.wid = w as usize;
                }
                after_index = false;
            } else {
                let (w, ok, ni) = parsenum(fb, i, end);
                self.f.wid = w;
                self.f.wid_present = ok;
                i = ni;
                if after_index && ok {
                    self.good_arg_num = false;
                }
            }
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    self.good_arg_num = false;
                }
                let r = self.arg_number(arg_num, fb, i, a.len());
                arg_num = r.0;
                i = r.1;
                after_index = r.2;
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let (p, ok, n) = Self::int_from_arg(a, arg_num);
                    arg_num = n;
                    self.f.prec_present = ok;
                    if p < 0 {
                        self.f.prec = 0;
                        self.f.prec_present = false;
                    } else {
                        self.f.prec = p as usize;
                    }
                    if !self.f.prec_present {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (p, ok, ni) = parsenum(fb, i, end);
                    i = ni;
                    self.f.prec = p;
                    self.f.prec_present = true;
                    if !ok {
                        self.f.prec = 0;
                    }
                }
            }
            if !after_index {
                let r = self.arg_number(arg_num, fb, i, a.len());
                arg_num = r.0;
                i = r.1;
            }
            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let verb = format[i..].chars().next().unwrap_or('?');
            i += verb.len_utf8();
            if verb == '%' {
                self.buf.push('%');
            } else if !self.good_arg_num {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(BADINDEX)");
            } else if arg_num >= a.len() {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(MISSING)");
            } else {
                if verb == 'v' {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                self.print_arg(&a[arg_num], verb);
                arg_num += 1;
            }
        }
        if !self.reordered && arg_num < a.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (k, arg) in a[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.push_str(", ");
                }
                if arg.is_nil() {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&type_name(arg));
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    // ---- per-argument ----

    fn bad_verb(&mut self, verb: char, arg: &Value) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        if arg.is_nil() {
            self.buf.push_str("<nil>");
        } else {
            self.buf.push_str(&type_name(arg));
            self.buf.push('=');
            self.print_arg(arg, 'v');
        }
        self.buf.push(')');
    }

    fn print_arg(&mut self, arg: &Value, verb: char) {
        self.print_value(arg, verb, 0);
    }

    fn print_value(&mut self, arg: &Value, verb: char, depth: usize) {
        if depth > MAX_PRINT_DEPTH {
            // Only reachable with self-referencing maps (Go would overflow
            // its stack); never recurse without bound.
            self.buf.push_str("<max depth>");
            return;
        }
        if arg.is_nil() {
            match verb {
                'T' | 'v' => self.pad("<nil>"),
                _ => self.bad_verb(verb, arg),
            }
            return;
        }
        if verb == 'T' {
            let t = type_name(arg);
            self.fmt_s(&t);
            return;
        }
        match arg {
            Value::Nil => {}
            Value::Bool(b) => match verb {
                't' | 'v' => self.pad(if *b { "true" } else { "false" }),
                _ => self.bad_verb(verb, arg),
            },
            Value::Int(i) => self.fmt_integer_verb(*i as u64, true, verb, arg),
            Value::Float(f) => self.fmt_float_verb(*f, verb, arg),
            Value::String(s) => self.fmt_string(s, verb, arg),
            Value::Bytes(b) => self.fmt_bytes(b, verb, depth, arg),
            Value::List(items) => {
                if self.f.sharp_v {
                    self.buf.push_str("[]interface {}{");
                    for (i, it) in items.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        self.print_elem(it, verb, depth + 1);
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (i, it) in items.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        self.print_elem(it, verb, depth + 1);
                    }
                    self.buf.push(']');
                }
            }
            Value::Map(m) => {
                let entries = m.entries();
                if self.f.sharp_v {
                    self.buf.push_str("map[string]interface {}{");
                } else {
                    self.buf.push_str("map[");
                }
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.buf.push_str(", ");
                        } else {
                            self.buf.push(' ');
                        }
                    }
                    self.fmt_string(k, verb, &Value::str(k));
                    self.buf.push(':');
                    self.print_elem(v, verb, depth + 1);
                }
                self.buf.push(if self.f.sharp_v { '}' } else { ']' });
            }
            Value::Object(o) => {
                if matches!(verb, 'v' | 's' | 'q' | 'x' | 'X')
                    && !self.f.sharp_v
                    && (!o.stringer_needs_address() || (depth == 0 && self.addressable))
                    && let Some(st) = o.stringer()
                {
                    self.fmt_string(&st, verb, &Value::str(&st));
                    return;
                }
                if !self.f.sharp_v
                    && let Some(fields) = o.struct_fields()
                {
                    // A pointer to a struct prints `&{...}` at the top
                    // (deeper, Go prints its address, which no one can match).
                    if depth == 0 && o.type_name().starts_with('*') {
                        self.buf.push('&');
                    }
                    self.buf.push('{');
                    for (i, (name, v)) in fields.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        if self.f.plus_v {
                            self.buf.push_str(name);
                            self.buf.push(':');
                        }
                        self.print_elem(v, verb, depth + 1);
                    }
                    self.buf.push('}');
                    return;
                }
                let v = o.collection().unwrap_or_else(|| o.to_value());
                if v.is_nil() {
                    let t = format!("{{{}}}", o.type_name());
                    self.pad(&t);
                } else {
                    self.print_value(&v, verb, depth);
                }
            }
        }
    }

    /// An element of a slice or map: nil interfaces print `<nil>` whatever
    /// the verb (Go's reflect path).
    fn print_elem(&mut self, v: &Value, verb: char, depth: usize) {
        if v.is_nil() {
            if self.f.sharp_v {
                self.buf.push_str("interface {}(nil)");
            } else {
                self.buf.push_str("<nil>");
            }
            return;
        }
        self.print_value(v, verb, depth);
    }

    fn fmt_bytes(&mut self, b: &[u8], verb: char, _depth: usize, arg: &Value) {
        match verb {
            'v' | 'd' => {
                if self.f.sharp_v {
                    self.buf.push_str("[]byte{");
                    for (i, c) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        self.buf.push_str(&format!("0x{c:x}"));
                    }
                    self.buf.push('}');
                    return;
                }
                let f = &self.f;
                let plain = !(f.plus
                    || f.minus
                    || f.sharp
                    || f.space
                    || f.zero
                    || f.wid_present
                    || f.prec_present);
                self.buf.push('[');
                if plain {
                    // What fmt_integer writes without flags, without its
                    // set-up per byte (a chart printing `$` prints every
                    // byte of every file in `.Files`).
                    self.buf.reserve(b.len() * 4);
                    for (i, &c) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        if c >= 100 {
                            self.buf.push((b'0' + c / 100) as char);
                        }
                        if c >= 10 {
                            self.buf.push((b'0' + c / 10 % 10) as char);
                        }
                        self.buf.push((b'0' + c % 10) as char);
                    }
                } else {
                    for (i, c) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        self.fmt_integer(*c as u64, 10, false, verb, LDIGITS);
                    }
                }
                self.buf.push(']');
            }
            's' => {
                let s = String::from_utf8_lossy(b);
                self.fmt_s(&s);
            }
            'x' => self.fmt_sbx(b, LDIGITS),
            'X' => self.fmt_sbx(b, UDIGITS),
            'q' => {
                let s = String::from_utf8_lossy(b);
                self.fmt_q(&s);
            }
            _ => {
                // Go prints each byte with the verb (e.g. %o of []byte).
                self.buf.push('[');
                for (i, c) in b.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(' ');
                    }
                    self.fmt_integer_verb(*c as u64, false, verb, arg);
                }
                self.buf.push(']');
            }
        }
    }

    fn fmt_string(&mut self, s: &str, verb: char, arg: &Value) {
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.fmt_q(s);
                } else {
                    self.fmt_s(s);
                }
            }
            's' => self.fmt_s(s),
            'x' => {
                let b = s.as_bytes().to_vec();
                self.fmt_sbx(&b, LDIGITS)
            }
            'X' => {
                let b = s.as_bytes().to_vec();
                self.fmt_sbx(&b, UDIGITS)
            }
            'q' => self.fmt_q(s),
            _ => self.bad_verb(verb, arg),
        }
    }

    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate(s).to_string();
        self.pad(&s);
    }

    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate(s).to_string();
        if self.f.sharp && can_backquote(&s) {
            self.pad(&format!("`{s}`"));
            return;
        }
        let q = if self.f.plus {
            quote_ascii(&s)
        } else {
            quote(&s)
        };
        self.pad(&q);
    }

    fn fmt_sbx(&mut self, b: &[u8], digits: &[u8; 16]) {
        let mut length = b.len();
        if self.f.prec_present && self.f.prec < length {
            length = self.f.prec;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if self.f.wid_present {
                self.write_padding(self.f.wid);
            }
            return;
        }
        if self.f.wid_present && self.f.wid > width && !self.f.minus {
            self.write_padding(self.f.wid - width);
        }
        let x = if digits[10] == b'a' { 'x' } else { 'X' };
        if self.f.sharp {
            self.buf.push('0');
            self.buf.push(x);
        }
        for (i, c) in b.iter().take(length).enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.push('0');
                    self.buf.push(x);
                }
            }
            self.buf.push(digits[(c >> 4) as usize] as char);
            self.buf.push(digits[(c & 0xF) as usize] as char);
        }
        if self.f.wid_present && self.f.wid > width && self.f.minus {
            self.write_padding(self.f.wid - width);
        }
    }

    fn fmt_integer_verb(&mut self, v: u64, signed: bool, verb: char, arg: &Value) {
        match verb {
            'v' => {
                if self.f.sharp_v && !signed {
                    self.f.sharp = true;
                    self.fmt_integer(v, 16, signed, 'v', LDIGITS);
                } else {
                    self.fmt_integer(v, 10, signed, verb, LDIGITS);
                }
            }
            'd' => self.fmt_integer(v, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(v, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(v, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(v, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(v, 16, signed, verb, UDIGITS),
            'c' => {
                let c = char_of(v, signed);
                let mut b = [0u8; 4];
                let s = c.encode_utf8(&mut b).to_string();
                self.pad(&s);
            }
            'q' => {
                let c = char_of(v, signed);
                let s = quote_rune(c, self.f.plus);
                self.pad(&s);
            }
            'U' => self.fmt_unicode(v),
            _ => self.bad_verb(verb, arg),
        }
    }

    fn fmt_unicode(&mut self, u: u64) {
        let mut prec = 4;
        if self.f.prec_present && self.f.prec > 4 {
            prec = self.f.prec;
        }
        let mut s = format!("U+{:0width$X}", u, width = prec);
        if self.f.sharp
            && u <= 0x10FFFF
            && let Some(c) = char::from_u32(u as u32)
            && is_print(c)
        {
            s.push_str(" '");
            s.push(c);
            s.push('\'');
        }
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = old;
    }

    fn fmt_integer(&mut self, u: u64, base: u64, signed: bool, verb: char, digits: &[u8; 16]) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative {
            (u as i64).unsigned_abs()
        } else {
            u
        };
        let mut prec = 0usize;
        if self.f.prec_present {
            prec = self.f.prec;
            if prec == 0 && u == 0 {
                let old = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.f.wid);
                self.f.zero = old;
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid_present {
            prec = self.f.wid;
            if negative || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1);
            }
        }
        let mut buf: Vec<u8> = Vec::with_capacity(24);
        loop {
            buf.push(digits[(u % base) as usize]);
            u /= base;
            if u == 0 {
                break;
            }
        }
        while buf.len() < prec {
            buf.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => {
                    buf.push(b'b');
                    buf.push(b'0');
                }
                8 if buf.last() != Some(&b'0') => buf.push(b'0'),
                16 => {
                    buf.push(if digits[10] == b'a' { b'x' } else { b'X' });
                    buf.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            buf.push(b'o');
            buf.push(b'0');
        }
        if negative {
            buf.push(b'-');
        } else if self.f.plus {
            buf.push(b'+');
        } else if self.f.space {
            buf.push(b' ');
        }
        buf.reverse();
        let s = String::from_utf8(buf).unwrap_or_default();
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = old;
    }

    fn fmt_float_verb(&mut self, v: f64, verb: char, arg: &Value) {
        match verb {
            'v' => self.fmt_float(v, 'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(v, verb, -1),
            'f' | 'e' | 'E' | 'F' => self.fmt_float(v, verb, 6),
            _ => self.bad_verb(verb, arg),
        }
    }

    fn fmt_float(&mut self, v: f64, verb: char, prec: i64) {
        let prec = if self.f.prec_present {
            self.f.prec as i64
        } else {
            prec
        };
        let body = format_float(v, verb, prec);
        let mut num = if body.starts_with('-') || body.starts_with('+') {
            body
        } else {
            format!("+{body}")
        };
        if self.f.space && num.starts_with('+') && !self.f.plus {
            num.replace_range(0..1, " ");
        }
        let second = num.as_bytes().get(1).copied().unwrap_or(b'0');
        if second == b'I' || second == b'N' {
            let old = self.f.zero;
            self.f.zero = false;
            if second == b'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.pad(&num);
            self.f.zero = old;
            return;
        }
        if self.f.sharp && verb != 'b' {
            let mut digits: i64 = 0;
            if matches!(verb, 'v' | 'g' | 'G' | 'x') {
                digits = prec;
                if digits == -1 {
                    digits = 6;
                }
            }
            let mut tail = String::new();
            let bytes: Vec<u8> = num.bytes().collect();
            let mut cut = bytes.len();
            let mut has_dot = false;
            let mut saw_nonzero = false;
            let mut i = 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'.' => has_dot = true,
                    b'p' | b'P' => {
                        tail = num[i..].to_string();
                        cut = i;
                        break;
                    }
                    b'e' | b'E' if verb != 'x' && verb != 'X' => {
                        tail = num[i..].to_string();
                        cut = i;
                        break;
                    }
                    c => {
                        if c != b'0' {
                            saw_nonzero = true;
                        }
                        if saw_nonzero {
                            digits -= 1;
                        }
                    }
                }
                i += 1;
            }
            num.truncate(cut);
            if !has_dot {
                if num.len() == 2 && num.as_bytes()[1] == b'0' {
                    digits -= 1;
                }
                num.push('.');
            }
            while digits > 0 {
                num.push('0');
                digits -= 1;
            }
            num.push_str(&tail);
        }
        if self.f.plus || !num.starts_with('+') {
            if self.f.zero && self.f.wid_present && self.f.wid > num.len() {
                let sign = num.remove(0);
                self.buf.push(sign);
                let n = self.f.wid - num.len() - 1;
                self.write_padding(n);
                self.buf.push_str(&num);
                return;
            }
            self.pad(&num);
            return;
        }
        let rest = num[1..].to_string();
        self.pad(&rest);
    }
}

fn can_backquote(s: &str) -> bool {
    s.chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !(c < ' ' || c == '\x7f')))
}

fn char_of(v: u64, signed: bool) -> char {
    let v = if signed && (v as i64) < 0 {
        u64::MAX
    } else {
        v
    };
    if v > 0x10FFFF {
        return '\u{FFFD}';
    }
    char::from_u32(v as u32).unwrap_or('\u{FFFD}')
}

fn parse_arg_number(format: &[u8]) -> (i64, usize, bool) {
    if format.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..format.len() {
        if format[i] == b']' {
            let (w, ok, newi) = parsenum(format, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (w as i64 - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// Decimal digits of |v| (no trailing zeros, at least one digit) and the
/// decimal point position: value = 0.DIGITS × 10^dp.
fn decimal_shortest(v: f64) -> (Vec<u8>, i64) {
    if v == 0.0 {
        return (vec![b'0'], 1);
    }
    let (_, d, dp) = shortest_decimal(v.abs(), false);
    (d.into_bytes(), dp as i64)
}

/// The digits and decimal point of a `{:e}` rendering: and decimal-point position of a finite float:
/// value = 0.DIGITS × 10^dp. Zero yields empty digits and dp 0.
fn sci_digits(repr_e: &str) -> (bool, String, i32) {
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

/// Go's shortest round-trip decimal digits of a finite float (`bits32`:
/// as a float32): (negative, digits, dp) with value = 0.DIGITS × 10^dp;
/// zero yields empty digits. Rust's `{:e}` gives the same digits except
/// for exact ties, which Go rounds to even.
pub fn shortest_decimal(f: f64, bits32: bool) -> (bool, String, i32) {
    let (neg, digits, dp) = if bits32 {
        sci_digits(&format!("{:e}", f as f32))
    } else {
        sci_digits(&format!("{:e}", f))
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
    let (_, probe_digits, _) = sci_digits(&probe);
    if probe_digits.len() != n0 + 1 || !probe_digits.ends_with('5') {
        return (neg, digits, dp);
    }
    let exact = if bits32 {
        format!("{:.160e}", f as f32)
    } else {
        format!("{:.800e}", f)
    };
    let (_, exact_digits, exact_dp) = sci_digits(&exact);
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

fn decimal_sig(v: f64, sig: usize) -> (Vec<u8>, i64) {
    if v == 0.0 {
        return (vec![b'0'], 1);
    }
    // Non-zero, so the leading digit is too and trimming zeros leaves some.
    let (_, d, dp) = sci_digits(&format!("{:.*e}", sig.saturating_sub(1), v.abs()));
    (d.into_bytes(), dp as i64)
}

fn fmt_e(neg: bool, d: &[u8], dp: i64, prec: i64, e: char) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let first = if d.is_empty() { b'0' } else { d[0] };
    out.push(first as char);
    if prec > 0 {
        out.push('.');
        let mut i = 1usize;
        let m = (d.len() as i64).min(prec + 1) as usize;
        if i < m {
            out.push_str(std::str::from_utf8(&d[i..m]).unwrap_or(""));
            i = m;
        }
        while (i as i64) <= prec {
            out.push('0');
            i += 1;
        }
    }
    out.push(e);
    let mut exp = dp - 1;
    if d.is_empty() || (d.len() == 1 && d[0] == b'0') {
        exp = 0;
    }
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
    out
}

fn fmt_f(neg: bool, d: &[u8], dp: i64, prec: i64) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if dp > 0 {
        let m = (d.len() as i64).min(dp) as usize;
        out.push_str(std::str::from_utf8(&d[..m]).unwrap_or(""));
        for _ in m as i64..dp {
            out.push('0');
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            let j = dp + i - 1;
            let c = if j < 0 || j >= d.len() as i64 {
                b'0'
            } else {
                d[j as usize]
            };
            out.push(c as char);
        }
    }
    out
}

/// Go's `strconv.FormatFloat(v, verb, prec, 64)` for verbs e E f F g G
/// (`prec` -1 = shortest). Other verbs fall back to `%g`.
pub fn format_float(v: f64, verb: char, prec: i64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let neg = v.is_sign_negative();
    let shortest = prec < 0;
    // Fast path for the common %v of an integral float below 1e6 (ports,
    // replica counts from values files): Go prints it as an integer.
    if shortest && matches!(verb, 'g' | 'G') && v.fract() == 0.0 && v.abs() < 1e6 {
        if v == 0.0 && neg {
            return "-0".into();
        }
        return (v as i64).to_string();
    }
    match verb {
        'b' => format_float_b(v),
        'x' | 'X' => format_float_x(v, verb == 'X'),
        'e' | 'E' => {
            let (d, dp) = if shortest {
                decimal_shortest(v)
            } else {
                decimal_sig(v, (prec + 1) as usize)
            };
            let p = if shortest { d.len() as i64 - 1 } else { prec };
            fmt_e(neg, &d, dp, p, verb)
        }
        'f' | 'F' => {
            if shortest {
                let (d, dp) = decimal_shortest(v);
                let p = (d.len() as i64 - dp).max(0);
                fmt_f(neg, &d, dp, p)
            } else {
                let s = format!("{:.*}", prec as usize, v.abs());
                if neg { format!("-{s}") } else { s }
            }
        }
        _ => {
            // 'g' / 'G'
            let e = if verb == 'G' { 'E' } else { 'e' };
            let (d, dp, mut p) = if shortest {
                let (d, dp) = decimal_shortest(v);
                let n = d.len() as i64;
                (d, dp, n)
            } else {
                let p = if prec == 0 { 1 } else { prec };
                let (d, dp) = decimal_sig(v, p as usize);
                (d, dp, p)
            };
            let nd = d.len() as i64;
            let mut eprec = p;
            if eprec > nd && nd >= dp {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = dp - 1;
            if exp < -4 || exp >= eprec {
                if p > nd {
                    p = nd;
                }
                return fmt_e(neg, &d, dp, p - 1, e);
            }
            if p > dp {
                p = nd;
            }
            fmt_f(neg, &d, dp, (p - dp).max(0))
        }
    }
}

/// strconv's `'b'` format: decimal mantissa and binary exponent.
fn format_float_b(v: f64) -> String {
    let bits = v.to_bits();
    let neg = bits >> 63 != 0;
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        exp = 1;
    } else {
        mant |= 1u64 << 52;
    }
    exp -= 1023 + 52;
    let sign = if neg { "-" } else { "" };
    let esign = if exp >= 0 { "+" } else { "-" };
    format!("{sign}{mant}p{esign}{}", exp.abs())
}

/// strconv's `'x'` format with shortest precision: `0x1.8p+01`.
fn format_float_x(v: f64, upper: bool) -> String {
    let bits = v.to_bits();
    let neg = bits >> 63 != 0;
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    let mut out = String::from(if neg { "-0x" } else { "0x" });
    if exp == 0 && mant == 0 {
        out.push_str("0p+00");
    } else {
        if exp == 0 {
            // Subnormal: normalise.
            exp = -1022;
            while mant & (1u64 << 52) == 0 {
                mant <<= 1;
                exp -= 1;
            }
            mant &= (1u64 << 52) - 1;
        } else {
            exp -= 1023;
        }
        out.push('1');
        if mant != 0 {
            let mut frac = format!("{mant:013x}");
            while frac.ends_with('0') {
                frac.pop();
            }
            out.push('.');
            out.push_str(&frac);
        }
        out.push('p');
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
    }
    if upper { out.to_uppercase() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flag-free fast path for `[]byte` prints what the general one
    /// does (width 1 never pads a byte's digits).
    #[test]
    fn bytes_fast_path_matches_the_general_one() {
        let all: Vec<u8> = (0..=255).collect();
        let v = [Value::Bytes(all.into())];
        for verb in ["v", "d"] {
            let fast = sprintf(&format!("%{verb}"), &v);
            assert_eq!(fast, sprintf(&format!("%1{verb}"), &v));
            assert!(fast.starts_with("[0 1 2 "), "{fast}");
        }
        assert_eq!(sprint(&v), sprintf("%v", &v));
        assert!(sprint(&v).ends_with(" 254 255]"));
    }

    #[test]
    fn floats_like_go() {
        assert_eq!(format_value(&Value::Float(1e6)), "1e+06");
        assert_eq!(format_value(&Value::Float(100000.0)), "100000");
        assert_eq!(format_value(&Value::Float(1.5)), "1.5");
        assert_eq!(format_value(&Value::Float(3.0)), "3");
        assert_eq!(format_value(&Value::Float(1e21)), "1e+21");
        assert_eq!(format_value(&Value::Float(0.0001)), "0.0001");
        assert_eq!(format_value(&Value::Float(0.00001)), "1e-05");
        assert_eq!(format_value(&Value::Float(-2.5)), "-2.5");
        assert_eq!(sprintf("%.2f", &[Value::Float(1.23456)]), "1.23");
        assert_eq!(sprintf("%e", &[Value::Float(1234.5678)]), "1.234568e+03");
        assert_eq!(sprintf("%g", &[Value::Float(1234.5678)]), "1234.5678");
        assert_eq!(sprintf("%.3g", &[Value::Float(1234.5678)]), "1.23e+03");
        assert_eq!(sprintf("%08.3f", &[Value::Float(-1.23456)]), "-001.235");
    }

    #[test]
    fn printf_errors() {
        assert_eq!(sprintf("%d", &[Value::str("x")]), "%!d(string=x)");
        assert_eq!(sprintf("%d", &[]), "%!d(MISSING)");
        assert_eq!(sprintf("a", &[Value::str("x")]), "a%!(EXTRA string=x)");
        assert_eq!(
            sprintf(
                "%5d|%-5d|%05d",
                &[Value::Int(42), Value::Int(42), Value::Int(-42)]
            ),
            "   42|42   |-0042"
        );
        assert_eq!(
            sprintf(
                "%x %X %o %b %#x",
                &[
                    Value::Int(255),
                    Value::Int(255),
                    Value::Int(8),
                    Value::Int(5),
                    Value::Int(255)
                ]
            ),
            "ff FF 10 101 0xff"
        );
        assert_eq!(sprintf("%q", &[Value::str("a\"b\n")]), "\"a\\\"b\\n\"");
        assert_eq!(sprintf("%*d", &[Value::Int(4), Value::Int(7)]), "   7");
    }

    #[test]
    fn print_spacing() {
        assert_eq!(sprint(&[Value::Int(1), Value::Int(2)]), "1 2");
        assert_eq!(sprint(&[Value::str("a"), Value::Int(2)]), "a2");
        assert_eq!(
            sprint(&[Value::Int(1), Value::str("b"), Value::Int(2)]),
            "1b2"
        );
        assert_eq!(sprintln(&[Value::str("a"), Value::str("b")]), "a b\n");
    }
}
