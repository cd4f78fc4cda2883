//! Secret parameter values: read from `env:NAME` or `file:PATH`, carried in
//! a wrapper that never prints its content.

use std::fmt;
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};

/// A secret value. `Debug` and `Display` print `<secret>`; only
/// [`Secret::expose`] gives the text, and only the apply stage calls it when
/// writing Secret data.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value that must not be printed.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<secret>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<secret>")
    }
}

/// Where a secret comes from, as written by the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// `env:NAME`: an environment variable.
    Env(String),
    /// `file:PATH`: a file (relative paths from the project directory); one
    /// trailing newline is dropped.
    File(String),
    /// A literal value; refused unless literals are explicitly allowed.
    Literal(Secret),
}

impl SecretSource {
    /// Reads `env:NAME`, `file:PATH`, or anything else as a literal.
    pub fn parse(text: &str) -> SecretSource {
        if let Some(n) = text.strip_prefix("env:") {
            SecretSource::Env(n.to_string())
        } else if let Some(p) = text.strip_prefix("file:") {
            SecretSource::File(p.to_string())
        } else {
            SecretSource::Literal(Secret::new(text))
        }
    }

    /// Fetches the value. `base` resolves relative file paths.
    pub fn resolve(&self, base: &Path, allow_literal: bool) -> Result<Secret> {
        match self {
            SecretSource::Env(name) => match std::env::var(name) {
                Ok(v) => Ok(Secret::new(v)),
                Err(std::env::VarError::NotPresent) => Err(Error::new(
                    ErrorKind::Secret,
                    format!("environment variable {name} is not set"),
                )),
                Err(std::env::VarError::NotUnicode(_)) => Err(Error::new(
                    ErrorKind::Secret,
                    format!("environment variable {name} is not valid UTF-8"),
                )),
            },
            SecretSource::File(p) => {
                let path = base.join(p);
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    Error::new(
                        ErrorKind::Secret,
                        format!("cannot read secret file {}: {e}", path.display()),
                    )
                })?;
                let text = text
                    .strip_suffix("\r\n")
                    .or_else(|| text.strip_suffix('\n'))
                    .unwrap_or(&text);
                Ok(Secret::new(text))
            }
            SecretSource::Literal(s) => {
                if allow_literal {
                    Ok(s.clone())
                } else {
                    Err(Error::new(
                        ErrorKind::Secret,
                        "a literal value was given; use env:NAME or file:PATH (or allow \
                         literals explicitly: allowLiteralSecrets: true in the project, \
                         --allow-literal-secrets on the command line)",
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s} {s:?}"), "<secret> <secret>");
        let src = SecretSource::parse("hunter2");
        assert!(!format!("{src:?}").contains("hunter2"));
    }

    #[test]
    fn literal_refused_unless_allowed() {
        let src = SecretSource::parse("hunter2");
        let err = src.resolve(Path::new("."), false).unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
        assert_eq!(
            src.resolve(Path::new("."), true).unwrap().expose(),
            "hunter2"
        );
    }
}
