//! The lexer: splits template text into items exactly as Go 1.23's
//! `text/template/parse` lexer does (trim markers, comments, numbers,
//! `break`/`continue` keywords unless shadowed by functions).

use super::tokens::{Item, ItemType, Pos};

const LEFT_DELIM: &str = "{{";
const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
const TRIM_MARKER_LEN: usize = 2;

/// Go's isSpace inside actions (newlines are allowed in actions).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

#[inline]
fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c == '_' || c.is_ascii_alphanumeric();
    }
    c.is_alphabetic() || is_nd(c)
}

/// unicode.IsDigit beyond ASCII: decimal digits (Nd).
fn is_nd(c: char) -> bool {
    // Common decimal-digit blocks beyond ASCII (Arabic-Indic, Devanagari,
    // fullwidth ...): each block's digits are contiguous from a zero.
    const ZEROS: &[u32] = &[
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
        0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
        0xAA50, 0xABF0, 0xFF10,
    ];
    let u = c as u32;
    ZEROS.iter().any(|z| u >= *z && u < z + 10)
}

/// Byte offset of the first occurrence of a two-byte ASCII `needle`
/// (memchr for its first byte: much cheaper than `str::find`'s set-up for
/// the many short searches of a template).
fn find2(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let mut from = 0;
    while let Some(i) = memchr::memchr(n[0], &h[from..]) {
        let at = from + i;
        if h.get(at + 1) == Some(&n[1]) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn has_left_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

fn right_trim_length(s: &str) -> usize {
    s.len() - s.trim_end_matches(is_space).len()
}

fn left_trim_length(s: &str) -> usize {
    s.len() - s.trim_start_matches(is_space).len()
}

/// Lexer options decided by the parser.
#[derive(Clone, Copy, Debug, Default)]
pub struct LexOptions {
    /// `break` is a keyword (no function named `break`).
    pub break_ok: bool,
    /// `continue` is a keyword (no function named `continue`).
    pub continue_ok: bool,
}

/// The lexer. Call [`Lexer::next_item`] repeatedly; after EOF or an error
/// it keeps returning EOF.
pub struct Lexer<'a> {
    input: &'a str,
    pos: Pos,
    start: Pos,
    paren_depth: i32,
    inside_action: bool,
    done: bool,
    opts: LexOptions,
    /// Comments lexed so far: the offset just past each `*/` and the
    /// newlines inside it, which Go's lexer never counts (so parse errors
    /// after a multi-line comment report a smaller line number).
    comments: Vec<(Pos, usize)>,
}

enum Step<'a> {
    Emit(Item<'a>),
    Continue(State),
}

#[derive(Clone, Copy)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
}

impl<'a> Lexer<'a> {
    /// A lexer over `input`.
    pub fn new(input: &'a str, opts: LexOptions) -> Self {
        Lexer {
            input,
            pos: 0,
            start: 0,
            paren_depth: 0,
            inside_action: false,
            done: false,
            opts,
            comments: Vec::new(),
        }
    }

    /// 1-based line of a byte offset, as Go's lexer counts it (without the
    /// newlines of comments that end before it).
    pub fn line_of(&self, pos: Pos) -> usize {
        let pos = pos.min(self.input.len());
        let lines = 1 + memchr::memchr_iter(b'\n', &self.input.as_bytes()[..pos]).count();
        let lost: usize = self
            .comments
            .iter()
            .take_while(|(end, _)| *end <= pos)
            .map(|(_, n)| n)
            .sum();
        lines.saturating_sub(lost).max(1)
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    #[inline]
    fn next_char(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    #[inline]
    fn peek_char(&self) -> Option<char> {
        match self.input.as_bytes().get(self.pos) {
            Some(&b) if b.is_ascii() => Some(b as char),
            Some(_) => self.rest().chars().next(),
            None => None,
        }
    }

    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos -= c.len_utf8();
        }
    }

    fn item(&mut self, typ: ItemType) -> Item<'a> {
        let it = Item {
            typ,
            pos: self.start,
            val: std::borrow::Cow::Borrowed(&self.input[self.start..self.pos]),
            line_pos: self.start,
        };
        self.start = self.pos;
        it
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn error(&mut self, msg: String) -> Step<'a> {
        let it = Item {
            typ: ItemType::Error,
            pos: self.start,
            val: msg.into(),
            line_pos: self.start,
        };
        self.done = true;
        Step::Emit(it)
    }

    /// The next item.
    pub fn next_item(&mut self) -> Item<'a> {
        if self.done {
            return Item {
                typ: ItemType::Eof,
                pos: self.pos,
                val: "EOF".into(),
                line_pos: self.start,
            };
        }
        let mut state = if self.inside_action {
            State::InsideAction
        } else {
            State::Text
        };
        loop {
            let step = match state {
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Comment => self.lex_comment(),
                State::RightDelim => self.lex_right_delim(),
                State::InsideAction => self.lex_inside_action(),
            };
            match step {
                Step::Emit(it) => {
                    if it.typ == ItemType::Eof {
                        self.done = true;
                    }
                    return it;
                }
                Step::Continue(s) => state = s,
            }
        }
    }

    fn lex_text(&mut self) -> Step<'a> {
        if let Some(x) = find2(self.rest(), LEFT_DELIM) {
            if x > 0 {
                self.pos += x;
                let delim_end = self.pos + LEFT_DELIM.len();
                let trim = if has_left_trim_marker(&self.input[delim_end..]) {
                    right_trim_length(&self.input[self.start..self.pos])
                } else {
                    0
                };
                self.pos -= trim;
                let it = self.item(ItemType::Text);
                self.pos += trim;
                self.ignore();
                if !it.val.is_empty() {
                    return Step::Emit(it);
                }
            }
            return Step::Continue(State::LeftDelim);
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            return Step::Emit(self.item(ItemType::Text));
        }
        Step::Emit(self.item(ItemType::Eof))
    }

    fn lex_left_delim(&mut self) -> Step<'a> {
        self.pos += LEFT_DELIM.len();
        let trim = has_left_trim_marker(self.rest());
        let after = if trim { TRIM_MARKER_LEN } else { 0 };
        if self.input[self.pos + after..].starts_with(LEFT_COMMENT) {
            self.pos += after;
            self.ignore();
            return Step::Continue(State::Comment);
        }
        let it = self.item(ItemType::LeftDelim);
        self.inside_action = true;
        self.pos += after;
        self.ignore();
        self.paren_depth = 0;
        Step::Emit(it)
    }

    fn lex_comment(&mut self) -> Step<'a> {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = find2(self.rest(), RIGHT_COMMENT) else {
            return self.error("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        let lost = memchr::memchr_iter(b'\n', &self.input.as_bytes()[self.start..self.pos]).count();
        if lost > 0 {
            self.comments.push((self.pos, lost));
        }
        if trim {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += RIGHT_DELIM.len();
        if trim {
            self.pos += left_trim_length(self.rest());
        }
        self.ignore();
        Step::Continue(State::Text)
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let r = self.rest();
        if has_right_trim_marker(r) && r[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM) {
            return (true, true);
        }
        if r.starts_with(RIGHT_DELIM) {
            return (true, false);
        }
        (false, false)
    }

    fn lex_right_delim(&mut self) -> Step<'a> {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += RIGHT_DELIM.len();
        let it = self.item(ItemType::RightDelim);
        if trim {
            self.pos += left_trim_length(self.rest());
            self.ignore();
        }
        self.inside_action = false;
        Step::Emit(it)
    }

    fn lex_inside_action(&mut self) -> Step<'a> {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return Step::Continue(State::RightDelim);
            }
            return self.error("unclosed left paren".into());
        }
        let r = self.next_char();
        let Some(c) = r else {
            return self.error("unclosed action".into());
        };
        match c {
            c if is_space(c) => {
                self.backup(r);
                self.lex_space()
            }
            '=' => Step::Emit(self.item(ItemType::Assign)),
            ':' => {
                if self.next_char() != Some('=') {
                    return self.error("expected :=".into());
                }
                Step::Emit(self.item(ItemType::Declare))
            }
            '|' => Step::Emit(self.item(ItemType::Pipe)),
            '"' => self.lex_quote(),
            '`' => self.lex_raw_quote(),
            '$' => self.lex_variable(),
            '\'' => self.lex_char(),
            '.' => {
                if let Some(&b) = self.input.as_bytes().get(self.pos)
                    && !b.is_ascii_digit()
                {
                    return self.lex_field_or_variable(ItemType::Field);
                }
                self.backup(r);
                self.lex_number()
            }
            '+' | '-' | '0'..='9' => {
                self.backup(r);
                self.lex_number()
            }
            c if is_alnum(c) => {
                self.backup(r);
                self.lex_identifier()
            }
            '(' => {
                self.paren_depth += 1;
                Step::Emit(self.item(ItemType::LeftParen))
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.error("unexpected right paren".into());
                }
                Step::Emit(self.item(ItemType::RightParen))
            }
            c if c.is_ascii() && !c.is_ascii_control() => Step::Emit(self.item(ItemType::Char)),
            c => self.error(format!(
                "unrecognized character in action: {}",
                crate::gofmt::format_unicode_sharp(c)
            )),
        }
    }

    fn lex_space(&mut self) -> Step<'a> {
        let mut n = 0;
        while let Some(c) = self.peek_char() {
            if !is_space(c) {
                break;
            }
            self.pos += c.len_utf8();
            n += 1;
        }
        // A trim-marked right delimiter starts with a space: " -}}".
        let before = &self.input[self.pos - 1..];
        if has_right_trim_marker(before) && before[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM) {
            self.pos -= 1;
            if n == 1 {
                return Step::Continue(State::RightDelim);
            }
        }
        Step::Emit(self.item(ItemType::Space))
    }

    fn at_terminator(&self) -> bool {
        match self.peek_char() {
            None => true,
            Some(c) if is_space(c) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            Some(_) => self.rest().starts_with(RIGHT_DELIM),
        }
    }

    /// Advances over a run of alphanumeric characters (bytewise for ASCII).
    fn skip_alnum(&mut self) {
        let b = self.input.as_bytes();
        while let Some(&c) = b.get(self.pos) {
            if c == b'_' || c.is_ascii_alphanumeric() {
                self.pos += 1;
            } else if c.is_ascii() {
                return;
            } else {
                match self.peek_char() {
                    Some(ch) if is_alnum(ch) => self.pos += ch.len_utf8(),
                    _ => return,
                }
            }
        }
    }

    fn lex_identifier(&mut self) -> Step<'a> {
        self.skip_alnum();
        let r = self.peek_char();
        if !self.at_terminator() {
            let c = r.unwrap_or('\u{FFFD}');
            return self.error(format!(
                "bad character {}",
                crate::gofmt::format_unicode_sharp(c)
            ));
        }
        let word = &self.input[self.start..self.pos];
        let typ = match ItemType::keyword(word) {
            Some(ItemType::Break) if !self.opts.break_ok => ItemType::Identifier,
            Some(ItemType::Continue) if !self.opts.continue_ok => ItemType::Identifier,
            Some(k) => k,
            None if word == "true" || word == "false" => ItemType::Bool,
            None => ItemType::Identifier,
        };
        Step::Emit(self.item(typ))
    }

    fn lex_variable(&mut self) -> Step<'a> {
        if self.at_terminator() {
            return Step::Emit(self.item(ItemType::Variable));
        }
        self.lex_field_or_variable(ItemType::Variable)
    }

    fn lex_field_or_variable(&mut self, typ: ItemType) -> Step<'a> {
        if self.at_terminator() {
            let t = if typ == ItemType::Variable {
                ItemType::Variable
            } else {
                ItemType::Dot
            };
            return Step::Emit(self.item(t));
        }
        self.skip_alnum();
        let last = self.peek_char();
        if !self.at_terminator() {
            let c = last.unwrap_or('\u{FFFD}');
            return self.error(format!(
                "bad character {}",
                crate::gofmt::format_unicode_sharp(c)
            ));
        }
        Step::Emit(self.item(typ))
    }

    fn lex_char(&mut self) -> Step<'a> {
        loop {
            match self.next_char() {
                Some('\\') => match self.next_char() {
                    None | Some('\n') => {
                        return self.error("unterminated character constant".into());
                    }
                    _ => {}
                },
                None | Some('\n') => return self.error("unterminated character constant".into()),
                Some('\'') => break,
                _ => {}
            }
        }
        Step::Emit(self.item(ItemType::CharConstant))
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek_char() {
            Some(c) if valid.contains(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if let Some(c) = self.peek_char()
            && is_alnum(c)
        {
            self.pos += c.len_utf8();
            return false;
        }
        true
    }

    fn lex_number(&mut self) -> Step<'a> {
        if !self.scan_number() {
            let s = self.input[self.start..self.pos].to_string();
            return self.error(format!("bad number syntax: {}", crate::gofmt::quote(&s)));
        }
        if let Some('+' | '-') = self.peek_char() {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let s = self.input[self.start..self.pos].to_string();
                return self.error(format!("bad number syntax: {}", crate::gofmt::quote(&s)));
            }
            return Step::Emit(self.item(ItemType::Complex));
        }
        Step::Emit(self.item(ItemType::Number))
    }

    fn lex_quote(&mut self) -> Step<'a> {
        // Jumps between the three bytes that matter (all ASCII, so never
        // inside a multi-byte character).
        let b = self.input.as_bytes();
        loop {
            let Some(k) = memchr::memchr3(b'\\', b'\n', b'"', &b[self.pos..]) else {
                self.pos = b.len();
                return self.error("unterminated quoted string".into());
            };
            self.pos += k + 1;
            match b[self.pos - 1] {
                b'"' => break,
                b'\\' => match self.next_char() {
                    None | Some('\n') => return self.error("unterminated quoted string".into()),
                    _ => {}
                },
                _ => return self.error("unterminated quoted string".into()),
            }
        }
        Step::Emit(self.item(ItemType::String))
    }

    fn lex_raw_quote(&mut self) -> Step<'a> {
        match memchr::memchr(b'`', &self.input.as_bytes()[self.pos..]) {
            Some(k) => self.pos += k + 1,
            None => {
                self.pos = self.input.len();
                return self.error("unterminated raw quoted string".into());
            }
        }
        Step::Emit(self.item(ItemType::RawString))
    }
}
