//! The vendored saphyr-parser scans a `&str` bytewise where the original
//! went char by char: plain scalars, comments and runs of spaces
//! (third_party/README.md). Its char-by-char input, which keeps the
//! original loops, must see exactly the same events, spans and errors.

use saphyr_parser::Parser;

#[path = "../src/testgen.rs"]
mod testgen;

fn events<T: std::fmt::Debug>(it: impl Iterator<Item = T>) -> Vec<String> {
    it.take(200).map(|r| format!("{r:?}")).collect()
}

fn both(text: &str) -> (Vec<String>, Vec<String>) {
    (
        events(Parser::new_from_str(text)),
        events(Parser::new_from_iter(text.chars())),
    )
}

#[test]
fn byte_scan_matches_char_scan_on_known_cases() {
    for text in [
        "a: b:c d\n",
        "k: http://x.y:80/z?q=1#f\n",
        "k: a:\n",
        "k: [a:b, c:, d:[e], f]\n",
        "k: {a: b:c, d:e}\n",
        "k: é:ü x\u{feff}y\n",
        "k: a#b #c\n",
        "- a,b\n- [a,b]\n",
        "k: a\n  b:c\n  d\n",
        "k: a:\u{e9}\n",
        "k: ab\u{0}cd\n",
        "k: tab\there\n",
        "# c é\nk:   v   # c2 \u{feff}x\n  # c3\r\n    \n  l: 1\n",
        "a:\n    b: 1\n  c: 2\n",
        "a:\n \t b: 1\n",
        "- a\n  # c\n  -  b\n",
        "# a\u{0}b\nk: v\n",
        "k: v # é\u{feff}\u{0}\rx\n",
    ] {
        let (s, c) = both(text);
        assert_eq!(s, c, "{text:?}");
        assert!(!s.is_empty());
    }
}

#[test]
fn byte_scan_matches_char_scan_on_generated_text() {
    const ALPHABET: [&str; 22] = [
        "a", "b1", ":", " ", "\n", ",", "[", "]", "{", "}", "#", "-", "é", "\u{feff}", "\t", "\"",
        "?", "  ", "\n  ", "# c", "\r\n", "\r",
    ];
    for body in testgen::strings(&ALPHABET, 0x9e37_79b9_7f4a_7c15, 20_000, 4, 35) {
        let text = format!("k: {body}");
        let (s, c) = both(&text);
        assert_eq!(s, c, "{text:?}");
    }
}
