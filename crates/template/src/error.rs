//! Errors with Go's exact text. `Display` prints what Go's `err.Error()`
//! prints, so callers (and helm-compatible renderers) can compare strings.

use crate::gofmt::quote;

/// A parse error: `template: NAME:LINE: MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("template: {name}:{line}: {message}")]
pub struct ParseError {
    /// The name of the template (file) being parsed.
    pub name: String,
    /// 1-based line of the token where parsing failed.
    pub line: usize,
    /// Go's message, e.g. `function "x" not defined` or `unexpected EOF`.
    pub message: String,
}

/// An execution error, shaped like Go's `ExecError`:
/// `template: FILE:LINE:COL: executing "NAME" at <NODE>: MESSAGE`, or
/// `template: NAME: MESSAGE` when no node is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecError {
    /// Name of the template that was executing.
    pub name: String,
    /// `FILE:LINE:COL` of the failing node (None before any node).
    pub location: Option<String>,
    /// Go's `Node.String()` of the failing node.
    pub context: String,
    /// The message.
    pub message: String,
}

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.location {
            Some(loc) => write!(
                f,
                "template: {loc}: executing {} at <{}>: {}",
                quote(&self.name),
                self.context,
                self.message
            ),
            None => write!(f, "template: {}: {}", self.name, self.message),
        }
    }
}

impl std::error::Error for ExecError {}

/// Any error from this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Parsing failed.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// Execution failed.
    #[error(transparent)]
    Exec(#[from] ExecError),
    /// `ExecuteTemplate` with an unknown name.
    #[error("template: no template {} associated with template {}", quote(.name), quote(.set))]
    NoTemplate {
        /// The requested name.
        name: String,
        /// The set's name.
        set: String,
    },
    /// An error returned by a function as-is ([`crate::FuncError::Nested`]).
    #[error("{0}")]
    Raw(String),
}
