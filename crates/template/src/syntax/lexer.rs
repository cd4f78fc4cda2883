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

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || is_go_digit(c)
}

/// unicode.IsDigit: decimal digits (Nd).
fn is_go_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && is_nd(c))
}

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
    line_starts: Vec<usize>,
    /// Newlines inside comments, which Go's lexer never counts (so parse
    /// errors after a multi-line comment report a smaller line number).
    lost: usize,
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
        let mut line_starts = vec![0];
        for (i, b) in input.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        Lexer {
            input,
            pos: 0,
            start: 0,
            paren_depth: 0,
            inside_action: false,
            done: false,
            opts,
            line_starts,
            lost: 0,
        }
    }

    /// 1-based line of a byte offset, as Go's lexer counts it.
    pub fn line_of(&self, pos: Pos) -> usize {
        let l = match self.line_starts.binary_search(&pos) {
            Ok(i) => i + 1,
            Err(i) => i,
        };
        l.saturating_sub(self.lost).max(1)
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.rest().chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn peek_char(&self) -> Option<char> {
        self.rest().chars().next()
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
            line: self.line_of(self.start),
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
            line: self.line_of(self.start),
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
                line: self.line_of(self.start),
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
        if let Some(x) = self.rest().find(LEFT_DELIM) {
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
        let Some(x) = self.rest().find(RIGHT_COMMENT) else {
            return self.error("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        self.lost += self.input[self.start..self.pos].matches('\n').count();
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

    fn lex_identifier(&mut self) -> Step<'a> {
        loop {
            let r = self.next_char();
            if let Some(c) = r
                && is_alnum(c)
            {
                continue;
            }
            self.backup(r);
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
            return Step::Emit(self.item(typ));
        }
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
        let mut last;
        loop {
            last = self.next_char();
            match last {
                Some(c) if is_alnum(c) => {}
                _ => {
                    self.backup(last);
                    break;
                }
            }
        }
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
        loop {
            match self.next_char() {
                Some('\\') => match self.next_char() {
                    None | Some('\n') => return self.error("unterminated quoted string".into()),
                    _ => {}
                },
                None | Some('\n') => return self.error("unterminated quoted string".into()),
                Some('"') => break,
                _ => {}
            }
        }
        Step::Emit(self.item(ItemType::String))
    }

    fn lex_raw_quote(&mut self) -> Step<'a> {
        loop {
            match self.next_char() {
                None => return self.error("unterminated raw quoted string".into()),
                Some('`') => break,
                _ => {}
            }
        }
        Step::Emit(self.item(ItemType::RawString))
    }
}
