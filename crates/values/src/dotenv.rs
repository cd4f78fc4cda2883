//! A `.env` parser with docker compose's rules.
//!
//! The rules are docker compose's documented `.env` syntax (compose-go's
//! `dotenv` package is the reference implementation):
//!
//! * blank lines and lines starting with `#` are skipped; `export ` before a
//!   key is allowed and ignored; spaces around the key and after `=` are
//!   ignored;
//! * unquoted values end at the end of the line; ` #` (space, hash) starts an
//!   inline comment; trailing whitespace is trimmed; backslashes are literal;
//! * single-quoted values are literal (no escapes except `\'`, no
//!   interpolation) and may span lines;
//! * double-quoted values understand `\n`, `\r`, `\t`, `\\`, `\"` and `\$`
//!   (a literal `$`); any other `\x` stands for `x`; they may span lines and
//!   are interpolated;
//! * interpolation (unquoted and double-quoted values): `$VAR`, `${VAR}`,
//!   `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`,
//!   `${VAR:?message}`, `${VAR?message}`, and `$$` for a literal `$`.
//!   Variables come from the optional lookup (the process environment, for
//!   compose) first, then from the keys defined earlier in the same file;
//!   unset variables expand to the empty string and are reported in
//!   [`Parsed::unset`];
//! * a bare `KEY` line (no `=`) takes `KEY` from the lookup, and is dropped
//!   when the lookup has no value;
//! * a key defined twice keeps its first position and its last value.
//!
//! Where compose is lenient about text after a closing quote (it starts
//! parsing the next statement there), this parser reports an error instead,
//! because such a line is almost always a mistake.

use std::fmt;

/// Where a problem was found in a `.env` file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}:{line}:{column}: {kind}")]
pub struct DotenvError {
    /// The file name (or other origin) given to the parser.
    pub origin: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub kind: DotenvErrorKind,
}

/// The kinds of `.env` syntax errors.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DotenvErrorKind {
    /// A line has `=` but nothing before it.
    EmptyKey,
    /// A character that cannot be part of a variable name.
    InvalidKeyChar(char),
    /// A quoted value without its closing quote.
    UnterminatedQuote(char),
    /// Something other than a comment follows a closing quote.
    TextAfterQuote(char),
    /// `${` without the matching `}`.
    UnterminatedBrace,
    /// `${...}` that is not a valid substitution.
    BadSubstitution(String),
    /// `${VAR?message}` or `${VAR:?message}` with `VAR` unset (or empty).
    Required {
        /// The variable.
        name: String,
        /// The message written after `?`.
        message: String,
    },
}

impl fmt::Display for DotenvErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyKey => write!(f, "missing variable name before '='"),
            Self::InvalidKeyChar(c) => write!(f, "unexpected character {c:?} in variable name"),
            Self::UnterminatedQuote(q) => write!(f, "unterminated quoted value (missing {q})"),
            Self::TextAfterQuote(c) => {
                write!(f, "unexpected character {c:?} after the closing quote")
            }
            Self::UnterminatedBrace => write!(f, "unterminated '${{' (missing '}}')"),
            Self::BadSubstitution(s) => write!(f, "bad substitution '${{{s}}}'"),
            Self::Required { name, message } if message.is_empty() => {
                write!(f, "required variable {name} is missing a value")
            }
            Self::Required { name, message } => write!(f, "{name}: {message}"),
        }
    }
}

/// A variable that interpolation found unset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unset {
    /// The variable's name.
    pub name: String,
    /// 1-based line of the value that referenced it.
    pub line: usize,
}

/// The result of [`parse_detailed`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Keys and values, in the order the keys first appear.
    pub entries: Vec<(String, String)>,
    /// Variables referenced while unset (they expanded to "").
    pub unset: Vec<Unset>,
}

/// Parses a `.env` file's text; `origin` names it in errors.
/// Interpolation sees only keys defined earlier in the same text.
pub fn parse(text: &str, origin: &str) -> Result<Vec<(String, String)>, DotenvError> {
    Ok(parse_detailed(text, origin, &|_| None)?.entries)
}

/// Parses like [`parse`]; `lookup` is consulted before the file's own keys,
/// as compose consults the process environment first.
pub fn parse_detailed(
    text: &str,
    origin: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Parsed, DotenvError> {
    let chars: Vec<char> = text.chars().filter(|&c| c != '\r').collect();
    let mut p = Parser {
        chars: &chars,
        pos: 0,
        line: 1,
        col: 1,
        origin,
        lookup,
        out: Parsed::default(),
    };
    p.run()?;
    Ok(p.out)
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    line: usize,
    col: usize,
    origin: &'a str,
    lookup: &'a dyn Fn(&str) -> Option<String>,
    out: Parsed,
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn err(&self, line: usize, column: usize, kind: DotenvErrorKind) -> DotenvError {
        DotenvError {
            origin: self.origin.to_string(),
            line,
            column,
            kind,
        }
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
    }

    fn skip_to_eol(&mut self) {
        while let Some(c) = self.bump() {
            if c == '\n' {
                break;
            }
        }
    }

    fn run(&mut self) -> Result<(), DotenvError> {
        loop {
            self.skip_blanks();
            match self.peek() {
                None => return Ok(()),
                Some('\n') => {
                    self.bump();
                }
                Some('#') => self.skip_to_eol(),
                Some(_) => self.statement()?,
            }
        }
    }

    fn statement(&mut self) -> Result<(), DotenvError> {
        let rest: String = self.chars[self.pos..].iter().take(7).collect();
        if rest.starts_with("export") && matches!(rest.chars().nth(6), Some(' ' | '\t')) {
            for _ in 0..6 {
                self.bump();
            }
            self.skip_blanks();
        }
        let (key_line, key_col) = (self.line, self.col);
        let mut key = String::new();
        while let Some(c) = self.peek() {
            if is_key_char(c) {
                key.push(c);
                self.bump();
            } else {
                break;
            }
        }
        self.skip_blanks();
        match self.peek() {
            Some('=') if key.is_empty() => {
                return Err(self.err(key_line, key_col, DotenvErrorKind::EmptyKey));
            }
            Some('=') => {
                self.bump();
            }
            // A bare KEY: inherited from the lookup, as compose does.
            None | Some('\n') | Some('#') if !key.is_empty() => {
                self.skip_to_eol();
                if let Some(v) = (self.lookup)(&key) {
                    self.set(key, v);
                }
                return Ok(());
            }
            Some(c) if c != '\n' => {
                return Err(self.err(self.line, self.col, DotenvErrorKind::InvalidKeyChar(c)));
            }
            // `export` followed by nothing.
            _ => return Err(self.err(key_line, key_col, DotenvErrorKind::EmptyKey)),
        }
        self.skip_blanks();
        let value = match self.peek() {
            Some(q @ ('\'' | '"')) => self.quoted(q)?,
            _ => self.unquoted()?,
        };
        self.set(key, value);
        Ok(())
    }

    fn set(&mut self, key: String, value: String) {
        match self.out.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.out.entries.push((key, value)),
        }
    }

    fn unquoted(&mut self) -> Result<String, DotenvError> {
        let (line, col) = (self.line, self.col);
        let mut raw = String::new();
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            // " #" starts an inline comment; "a#b" does not.
            if c == '#' && raw.ends_with(' ') {
                break;
            }
            raw.push(c);
            self.bump();
        }
        self.skip_to_eol();
        let raw = raw.trim_end();
        let chars: Vec<(char, bool)> = raw.chars().map(|c| (c, false)).collect();
        self.interpolate(&chars, line, col)
    }

    fn quoted(&mut self, q: char) -> Result<String, DotenvError> {
        let (qline, qcol) = (self.line, self.col);
        self.bump();
        // Characters of the value; `true` marks a `$` that must stay literal.
        let mut body: Vec<(char, bool)> = Vec::new();
        let (vline, vcol) = (self.line, self.col);
        loop {
            let Some(c) = self.bump() else {
                return Err(self.err(qline, qcol, DotenvErrorKind::UnterminatedQuote(q)));
            };
            if c == q {
                break;
            }
            if c == '\\' {
                match (q, self.peek()) {
                    ('\'', Some('\'')) => {
                        self.bump();
                        body.push(('\'', false));
                    }
                    ('\'', _) => body.push(('\\', false)),
                    ('"', Some(e)) => {
                        self.bump();
                        match e {
                            'n' => body.push(('\n', false)),
                            'r' => body.push(('\r', false)),
                            't' => body.push(('\t', false)),
                            '$' => body.push(('$', true)),
                            other => body.push((other, false)),
                        }
                    }
                    _ => body.push(('\\', false)),
                }
                continue;
            }
            body.push((c, false));
        }
        // Only blanks or a comment may follow the closing quote.
        self.skip_blanks();
        match self.peek() {
            None | Some('\n') => {}
            Some('#') => self.skip_to_eol(),
            Some(c) => {
                return Err(self.err(self.line, self.col, DotenvErrorKind::TextAfterQuote(c)));
            }
        }
        if q == '\'' {
            return Ok(body.into_iter().map(|(c, _)| c).collect());
        }
        self.interpolate(&body, vline, vcol)
    }

    fn var(&self, name: &str) -> Option<String> {
        if let Some(v) = (self.lookup)(name) {
            return Some(v);
        }
        self.out
            .entries
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    fn note_unset(&mut self, name: &str, line: usize) {
        if !self.out.unset.iter().any(|u| u.name == name) {
            self.out.unset.push(Unset {
                name: name.to_string(),
                line,
            });
        }
    }

    /// Expands `$` references in `s`; (line, col) is where `s` starts, for errors.
    fn interpolate(
        &mut self,
        s: &[(char, bool)],
        line: usize,
        col: usize,
    ) -> Result<String, DotenvError> {
        // Position of s[i] for error messages (values may span lines).
        let pos_of = |i: usize| {
            let (mut l, mut c) = (line, col);
            for (ch, _) in &s[..i] {
                if *ch == '\n' {
                    l += 1;
                    c = 1;
                } else {
                    c += 1;
                }
            }
            (l, c)
        };
        let mut out = String::new();
        let mut i = 0;
        while i < s.len() {
            let (c, literal) = s[i];
            if c != '$' || literal {
                out.push(c);
                i += 1;
                continue;
            }
            let next = s.get(i + 1).map(|x| x.0);
            match next {
                Some('$') => {
                    out.push('$');
                    i += 2;
                }
                Some('{') => {
                    let start = i;
                    // Find the matching brace, allowing nested ${...} in defaults.
                    let mut depth = 0usize;
                    let mut j = i + 1;
                    let mut end = None;
                    while j < s.len() {
                        match s[j].0 {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    end = Some(j);
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    let Some(end) = end else {
                        let (l, c) = pos_of(start);
                        return Err(self.err(l, c, DotenvErrorKind::UnterminatedBrace));
                    };
                    let inner = &s[i + 2..end];
                    let (l, c) = pos_of(start);
                    let v = self.braced(inner, l, c)?;
                    out.push_str(&v);
                    i = end + 1;
                }
                Some(n) if is_name_start(n) => {
                    let mut j = i + 1;
                    let mut name = String::new();
                    while j < s.len() && is_name_char(s[j].0) {
                        name.push(s[j].0);
                        j += 1;
                    }
                    let (l, _) = pos_of(i);
                    match self.var(&name) {
                        Some(v) => out.push_str(&v),
                        None => self.note_unset(&name, l),
                    }
                    i = j;
                }
                // A lone `$` (end of value, or before a non-name character) is literal.
                _ => {
                    out.push('$');
                    i += 1;
                }
            }
        }
        Ok(out)
    }

    /// Evaluates the inside of `${...}`.
    fn braced(
        &mut self,
        inner: &[(char, bool)],
        line: usize,
        col: usize,
    ) -> Result<String, DotenvError> {
        let text: String = inner.iter().map(|x| x.0).collect();
        let name_len = inner.iter().take_while(|x| is_name_char(x.0)).count();
        let name: String = text.chars().take(name_len).collect();
        if name.is_empty() || !name.starts_with(is_name_start) {
            return Err(self.err(line, col, DotenvErrorKind::BadSubstitution(text)));
        }
        let rest = &inner[name_len..];
        let value = self.var(&name);
        if rest.is_empty() {
            if value.is_none() {
                self.note_unset(&name, line);
            }
            return Ok(value.unwrap_or_default());
        }
        // Operator: optional ':' then one of - + ?
        let (colon, op_at) = if rest[0].0 == ':' {
            (true, 1)
        } else {
            (false, 0)
        };
        let Some(&(op, _)) = rest.get(op_at) else {
            return Err(self.err(line, col, DotenvErrorKind::BadSubstitution(text)));
        };
        let arg = &rest[op_at + 1..];
        // With ':', an empty value counts as unset.
        let set = match &value {
            Some(v) => !(colon && v.is_empty()),
            None => false,
        };
        // The argument is itself interpolated (nested ${...} or $VAR).
        let arg_col = col + 2 + name_len + op_at + 1;
        match op {
            '-' => {
                if set {
                    Ok(value.unwrap_or_default())
                } else {
                    self.interpolate(arg, line, arg_col)
                }
            }
            '+' => {
                if set {
                    self.interpolate(arg, line, arg_col)
                } else {
                    Ok(String::new())
                }
            }
            '?' => {
                if set {
                    Ok(value.unwrap_or_default())
                } else {
                    let message = self.interpolate(arg, line, arg_col)?;
                    Err(self.err(line, col, DotenvErrorKind::Required { name, message }))
                }
            }
            _ => Err(self.err(line, col, DotenvErrorKind::BadSubstitution(text))),
        }
    }
}
