//! Shell-style name globs (`*` any run of characters, `?` one character),
//! used for kinds, names, namespaces, label values and container names.

/// Whether `text` matches `pattern` (whole string, case-sensitive).
pub fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with one backtrack point: linear enough for names.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn globs() {
        assert!(matches("*", ""));
        assert!(matches("mastodon-*", "mastodon-web"));
        assert!(matches("*-web", "mastodon-web"));
        assert!(!matches("*-web", "mastodon-web-x"));
        assert!(matches("m?stodon", "mastodon"));
        assert!(matches("*sidekiq*", "mastodon-sidekiq-all-queues"));
        assert!(!matches("Secret", "secret"));
        assert!(matches("a*b*c", "aXbYbc"));
    }
}
