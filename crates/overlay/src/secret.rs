//! Secret parameter values: read from `env:NAME` or `file:PATH`, carried in
//! a wrapper that never prints its content.

use std::fmt;
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};

/// Largest secret file read (keys, tokens and certificates are far smaller).
pub const MAX_SECRET_FILE_SIZE: u64 = 1024 * 1024;

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
                let err = |why: String| {
                    Error::new(
                        ErrorKind::Secret,
                        format!("cannot read secret file {}: {why}", path.display()),
                    )
                };
                // Bounded: `file:/dev/zero` must not eat all memory.
                let mut raw = Vec::new();
                std::fs::File::open(&path)
                    .and_then(|f| {
                        std::io::Read::read_to_end(
                            &mut std::io::Read::take(f, MAX_SECRET_FILE_SIZE + 1),
                            &mut raw,
                        )
                    })
                    .map_err(|e| err(e.to_string()))?;
                if raw.len() as u64 > MAX_SECRET_FILE_SIZE {
                    return Err(err(format!("larger than {MAX_SECRET_FILE_SIZE} bytes")));
                }
                let text = String::from_utf8(raw)
                    .map_err(|_| err("stream did not contain valid UTF-8".into()))?;
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
