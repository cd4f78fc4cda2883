//! Lexing and parsing of Go template text into [`ast::Tree`]s.

pub mod ast;
pub mod lexer;
pub mod parser;
pub mod strconv;
pub mod tokens;
