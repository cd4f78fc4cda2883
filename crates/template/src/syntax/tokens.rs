//! Lexical items, as Go's `text/template/parse` lexer produces them.

/// Byte offset into the template text.
pub type Pos = usize;

/// The kind of a lexical item. Keywords sort after [`ItemType::Keyword`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemType {
    /// A lexing error; the value is the message.
    Error,
    /// `true` / `false`.
    Bool,
    /// A printable ASCII character not otherwise classified (e.g. `,`).
    Char,
    /// A character constant such as `'a'`.
    CharConstant,
    /// A comment (only emitted internally; comments are dropped).
    Comment,
    /// A complex constant such as `1+2i`.
    Complex,
    /// `=`.
    Assign,
    /// `:=`.
    Declare,
    /// End of input.
    Eof,
    /// `.Name`.
    Field,
    /// A bare identifier (function name).
    Identifier,
    /// `{{` (possibly with a trim marker).
    LeftDelim,
    /// `(`.
    LeftParen,
    /// A number.
    Number,
    /// `|`.
    Pipe,
    /// A raw string including its back quotes.
    RawString,
    /// `}}` (possibly with a trim marker).
    RightDelim,
    /// `)`.
    RightParen,
    /// A run of spaces inside an action.
    Space,
    /// A quoted string including its quotes.
    String,
    /// Plain text outside actions.
    Text,
    /// `$` or `$name`.
    Variable,
    /// Marker: keywords sort after this.
    Keyword,
    /// `block`.
    Block,
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// `.`.
    Dot,
    /// `define`.
    Define,
    /// `else`.
    Else,
    /// `end`.
    End,
    /// `if`.
    If,
    /// `nil`.
    Nil,
    /// `range`.
    Range,
    /// `template`.
    Template,
    /// `with`.
    With,
}

impl ItemType {
    /// The keyword item for a word, if it is one.
    pub fn keyword(word: &str) -> Option<ItemType> {
        Some(match word {
            "." => ItemType::Dot,
            "block" => ItemType::Block,
            "break" => ItemType::Break,
            "continue" => ItemType::Continue,
            "define" => ItemType::Define,
            "else" => ItemType::Else,
            "end" => ItemType::End,
            "if" => ItemType::If,
            "range" => ItemType::Range,
            "nil" => ItemType::Nil,
            "template" => ItemType::Template,
            "with" => ItemType::With,
            _ => return None,
        })
    }
}

/// One lexical item. Its text borrows from the template source (errors
/// own their message), so the parser's look-ahead copies cost nothing.
#[derive(Clone, Debug)]
pub struct Item<'a> {
    /// Kind.
    pub typ: ItemType,
    /// Byte offset of its start.
    pub pos: Pos,
    /// Its text (or the error message).
    pub val: std::borrow::Cow<'a, str>,
    /// The byte offset whose line Go reports for this item (its start;
    /// for the EOF after an error, the error's start). Lines are computed
    /// only when an error needs one: [`super::lexer::Lexer::line_of`].
    pub line_pos: Pos,
}

impl Item<'_> {
    /// Go's `item.String()`, used in parse error messages.
    pub fn describe(&self) -> String {
        match self.typ {
            ItemType::Eof => "EOF".to_string(),
            ItemType::Error => self.val.to_string(),
            t if t > ItemType::Keyword => format!("<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    // Go: fmt.Sprintf("%.10q...", val): quote the first 10 runes.
                    let head: String = self.val.chars().take(10).collect();
                    format!("{}...", crate::gofmt::quote(&head))
                } else {
                    crate::gofmt::quote(&self.val)
                }
            }
        }
    }
}
