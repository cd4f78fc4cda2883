//! Overlay errors: every one names the overlay (and the target or
//! parameter) it is about, and none ever carries a secret's value.

use std::fmt;

/// An overlay error: what went wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    /// The overlay it concerns (`otel`, or a file path), if any.
    overlay: Option<String>,
    /// The target, parameter or resource within it, if any.
    item: Option<String>,
    detail: String,
}

/// The kinds of overlay error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The overlay file is not valid YAML or not in the overlay format.
    Syntax,
    /// No built-in overlay or file of that name.
    UnknownOverlay,
    /// A parameter not declared by the overlay.
    UnknownParam,
    /// A required parameter was not given.
    MissingParam,
    /// A parameter value has the wrong type or is outside its `enum`.
    BadParam,
    /// A secret parameter's source (`env:`/`file:`) could not be read, or a
    /// literal secret was given where literals are not allowed.
    Secret,
    /// The overlay body failed to render with minijinja.
    Template,
    /// A target matched a different number of manifests than expected.
    Expectation,
    /// A patch could not be applied to a manifest.
    Patch,
    /// A `when` condition is malformed (e.g. a bad semver constraint).
    Condition,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "invalid overlay",
            ErrorKind::UnknownOverlay => "unknown overlay",
            ErrorKind::UnknownParam => "unknown parameter",
            ErrorKind::MissingParam => "missing required parameter",
            ErrorKind::BadParam => "bad parameter",
            ErrorKind::Secret => "secret parameter",
            ErrorKind::Template => "template error",
            ErrorKind::Expectation => "expectation failed",
            ErrorKind::Patch => "patch failed",
            ErrorKind::Condition => "bad condition",
        }
    }
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        Error {
            kind,
            overlay: None,
            item: None,
            detail: detail.into(),
        }
    }

    pub(crate) fn overlay(mut self, name: &str) -> Self {
        if self.overlay.is_none() {
            self.overlay = Some(name.to_string());
        }
        self
    }

    pub(crate) fn item(mut self, item: impl Into<String>) -> Self {
        if self.item.is_none() {
            self.item = Some(item.into());
        }
        self
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The overlay the error is about.
    pub fn overlay_name(&self) -> Option<&str> {
        self.overlay.as_deref()
    }

    /// The message without the overlay/target prefix.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.overlay, &self.item) {
            (Some(o), Some(i)) => write!(f, "overlay {o}, {i}: {}", self.detail),
            (Some(o), None) => write!(f, "overlay {o}: {}", self.detail),
            (None, Some(i)) => write!(f, "{i}: {}", self.detail),
            // Expectation failures already name overlay and target per line.
            (None, None) if self.kind == ErrorKind::Expectation => f.write_str(&self.detail),
            (None, None) => write!(f, "{}: {}", self.kind.describe(), self.detail),
        }
    }
}

impl std::error::Error for Error {}

/// Shorthand for overlay results.
pub type Result<T, E = Error> = std::result::Result<T, E>;
