//! `.helmignore` rules, mirroring helm's `pkg/ignore`: one pattern a line,
//! `#` comments, `!` negation, a trailing `/` for directories only, a leading
//! `/` or any `/` inside for whole-path matches, otherwise the base name is
//! matched; Go `filepath.Match` syntax; `**` is refused. helm adds the
//! default `templates/.?*` (dotfiles in templates/).

/// The name of the ignore file.
pub const HELM_IGNORE: &str = ".helmignore";

#[derive(Debug, Clone)]
struct Pattern {
    rule: String,
    negate: bool,
    must_dir: bool,
    kind: MatchKind,
}

#[derive(Debug, Clone, Copy)]
enum MatchKind {
    Root,
    Path,
    Base,
}

/// A parsed set of ignore rules.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

impl Rules {
    /// No rules.
    pub fn empty() -> Rules {
        Rules::default()
    }

    /// Parses the contents of a `.helmignore`.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut r = Rules::empty();
        for line in text.lines() {
            r.parse_rule(line)?;
        }
        Ok(r)
    }

    /// Adds helm's default rules.
    pub fn add_defaults(&mut self) {
        let _ = self.parse_rule("templates/.?*");
    }

    fn parse_rule(&mut self, rule: &str) -> Result<(), String> {
        let rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".into());
        }
        if go_match(rule, "abc").is_err() {
            return Err("syntax error in pattern".into());
        }
        let mut r = rule;
        let negate = r.starts_with('!');
        if negate {
            r = &r[1..];
        }
        let must_dir = r.ends_with('/');
        if must_dir {
            r = &r[..r.len() - 1];
        }
        let (kind, r) = if let Some(rest) = r.strip_prefix('/') {
            (MatchKind::Root, rest)
        } else if r.contains('/') {
            (MatchKind::Path, r)
        } else {
            (MatchKind::Base, r)
        };
        self.patterns.push(Pattern {
            rule: r.to_string(),
            negate,
            must_dir,
            kind,
        });
        Ok(())
    }

    /// Whether `path` (slash-separated, relative to the chart) is ignored.
    /// helm's quirk is kept: a negated rule that does not match ignores.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            let matched = || {
                let target = match p.kind {
                    MatchKind::Base => path.rsplit('/').next().unwrap_or(path),
                    _ => path,
                };
                go_match(&p.rule, target).unwrap_or(false)
            };
            if p.negate {
                if p.must_dir && !is_dir {
                    return true;
                }
                if !matched() {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if matched() {
                return true;
            }
        }
        false
    }
}

/// Go's `filepath.ErrBadPattern`: the pattern is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPattern;

/// Go's `path/filepath.Match` (on `/`-separated names): `*`, `?`,
/// `[a-z]`, `[^x]`, `\` escapes. Errors on malformed patterns.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n)
}

fn match_from(p: &[char], n: &[char]) -> Result<bool, BadPattern> {
    // Straightforward backtracking over segments of the pattern.
    let mut pi = 0;
    let mut ni = 0;
    let mut star: Option<(usize, usize)> = None;
    let mut bad = false;
    loop {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' => {
                    if ni < n.len() && n[ni] != '/' {
                        pi += 1;
                        ni += 1;
                        continue;
                    }
                }
                '[' => match class(p, pi + 1, n.get(ni).copied()) {
                    Err(BadPattern) => return Err(BadPattern),
                    Ok((ok, next)) => {
                        if ok && ni < n.len() && n[ni] != '/' {
                            pi = next;
                            ni += 1;
                            continue;
                        }
                    }
                },
                '\\' => {
                    if pi + 1 >= p.len() {
                        return Err(BadPattern);
                    }
                    if ni < n.len() && n[ni] == p[pi + 1] {
                        pi += 2;
                        ni += 1;
                        continue;
                    }
                }
                c => {
                    if ni < n.len() && n[ni] == c {
                        pi += 1;
                        ni += 1;
                        continue;
                    }
                }
            }
        } else if ni == n.len() {
            return if bad { Err(BadPattern) } else { Ok(true) };
        }
        // Mismatch: let the last star swallow one more (non-separator) char.
        match star {
            Some((sp, sn)) if sn < n.len() && n[sn] != '/' => {
                star = Some((sp, sn + 1));
                pi = sp + 1;
                ni = sn + 1;
            }
            _ => {
                // Go still reports malformed patterns later in the string.
                bad = check_rest(&p[pi.min(p.len())..]).is_err();
                return if bad { Err(BadPattern) } else { Ok(false) };
            }
        }
    }
}

fn check_rest(p: &[char]) -> Result<(), BadPattern> {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '[' => {
                let (_, next) = class(p, i + 1, None)?;
                i = next;
            }
            '\\' => {
                if i + 1 >= p.len() {
                    return Err(BadPattern);
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

/// Parses a `[...]` class starting after `[`; returns whether `c` matches
/// and the index after `]`.
fn class(p: &[char], mut i: usize, c: Option<char>) -> Result<(bool, usize), BadPattern> {
    let negated = p.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let ch = *p.get(i).ok_or(BadPattern)?;
        if ch == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let lo = escaped(p, &mut i)?;
        let hi = if p.get(i) == Some(&'-') && p.get(i + 1) != Some(&']') {
            i += 1;
            escaped(p, &mut i)?
        } else {
            lo
        };
        if let Some(c) = c
            && lo <= c
            && c <= hi
        {
            matched = true;
        }
    }
    Ok((matched != negated, i))
}

fn escaped(p: &[char], i: &mut usize) -> Result<char, BadPattern> {
    let ch = *p.get(*i).ok_or(BadPattern)?;
    if ch == '-' || ch == ']' {
        return Err(BadPattern);
    }
    if ch == '\\' {
        let n = *p.get(*i + 1).ok_or(BadPattern)?;
        *i += 2;
        return Ok(n);
    }
    *i += 1;
    Ok(ch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_match_basics() {
        assert_eq!(go_match("*.txt", "a.txt"), Ok(true));
        assert_eq!(go_match("*.txt", "d/a.txt"), Ok(false));
        assert_eq!(go_match("a?c", "abc"), Ok(true));
        assert_eq!(go_match("[a-c]x", "bx"), Ok(true));
        assert_eq!(go_match("[^a-c]x", "bx"), Ok(false));
        assert_eq!(go_match("templates/*.yaml", "templates/a.yaml"), Ok(true));
        assert!(go_match("[", "x").is_err());
    }

    #[test]
    fn rules() {
        let mut r = Rules::parse("# c\n*.bak\n/secret.txt\ndocs/\nsub/*.md\n").unwrap();
        r.add_defaults();
        assert!(r.ignore("x/y.bak", false));
        assert!(r.ignore("secret.txt", false));
        assert!(!r.ignore("a/secret.txt", false));
        assert!(r.ignore("docs", true));
        assert!(!r.ignore("docs", false));
        assert!(r.ignore("sub/a.md", false));
        assert!(r.ignore("templates/.hidden", false));
        assert!(!r.ignore("templates/a.yaml", false));
        assert!(Rules::parse("a/**/b\n").is_err());
    }
}
