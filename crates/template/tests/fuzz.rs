//! A deterministic smoke fuzz: random token soups must parse or fail
//! cleanly, and execute or fail cleanly — never panic or hang.

use tusk_template::{FuncMap, Map, Options, Templates, Value};

const PIECES: &[&str] = &[
    "{{",
    "}}",
    "{{-",
    "-}}",
    " ",
    "\n",
    "\t",
    ".",
    ".a",
    ".b",
    ".list",
    "$",
    "$x",
    ":=",
    "=",
    "|",
    "(",
    ")",
    ",",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
    "nil",
    "true",
    "false",
    "\"s\"",
    "`r`",
    "'c'",
    "1",
    "-2",
    "0x1f",
    "1.5",
    "1e3",
    "len",
    "index",
    "print",
    "printf",
    "\"%d %s %v\"",
    "and",
    "or",
    "not",
    "eq",
    "lt",
    "slice",
    "html",
    "js",
    "urlquery",
    "call",
    "\"x\"",
    "/*",
    "*/",
    "é",
    "\\",
    "\"\\x\"",
    "'\\é'",
    "\"\\é\"",
    "text",
    "{",
    "}",
    "%",
    "0",
    "$.a",
    ".a.b.c",
    "(.a).b",
    "$x.a",
    "9999999999999999999",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

const OPERANDS: &[&str] = &[
    ".",
    ".a",
    ".b.c",
    ".list",
    ".missing.x",
    "$",
    "$.a",
    "1",
    "-2",
    "1.5",
    "\"s\"",
    "`r`",
    "'c'",
    "true",
    "nil",
    "(.a)",
    "(.b).c",
    "0x10",
];
const FUNCS: &[&str] = &[
    "len",
    "index",
    "print",
    "printf \"%v|%d|%s|%5.2f|%q\"",
    "and",
    "or",
    "not",
    "eq",
    "ne",
    "lt",
    "ge",
    "slice",
    "html",
    "js",
    "urlquery",
    "println",
];

fn pick<'a>(rng: &mut Rng, from: &[&'a str]) -> &'a str {
    from[(rng.next() % from.len() as u64) as usize]
}

fn gen_pipeline(rng: &mut Rng, out: &mut String) {
    let cmds = 1 + rng.next() % 3;
    for i in 0..cmds {
        if i > 0 {
            out.push_str(" | ");
        }
        if rng.next() % 2 == 0 {
            out.push_str(pick(rng, FUNCS));
            for _ in 0..rng.next() % 3 {
                out.push(' ');
                out.push_str(pick(rng, OPERANDS));
            }
        } else if i == 0 {
            out.push_str(pick(rng, OPERANDS));
        } else {
            out.push_str(pick(rng, FUNCS));
        }
    }
}

fn gen_list(rng: &mut Rng, out: &mut String, depth: usize) {
    for _ in 0..1 + rng.next() % 4 {
        match rng.next() % 8 {
            0 | 1 => out.push_str(pick(rng, &["text", " ", "\n", "é", "{", "}"])),
            2 if depth < 3 => {
                let kw = pick(rng, &["if", "range", "with"]);
                out.push_str(&format!("{{{{ {kw} "));
                if kw == "range" && rng.next() % 2 == 0 {
                    out.push_str("$i, $v := ");
                }
                gen_pipeline(rng, out);
                out.push_str(" }}");
                gen_list(rng, out, depth + 1);
                if rng.next() % 2 == 0 {
                    out.push_str("{{ else }}");
                    gen_list(rng, out, depth + 1);
                }
                out.push_str("{{ end }}");
            }
            3 => {
                out.push_str("{{- $x := ");
                gen_pipeline(rng, out);
                out.push_str(" -}}");
            }
            4 if depth == 0 => {
                out.push_str("{{ define \"d\" }}");
                gen_list(rng, out, depth + 1);
                out.push_str("{{ end }}{{ template \"d\" . }}");
            }
            _ => {
                out.push_str("{{ ");
                gen_pipeline(rng, out);
                out.push_str(" }}");
            }
        }
    }
}

#[test]
fn random_templates_never_panic() {
    let data = {
        let m = Map::new();
        m.insert("a", Value::str("x"));
        m.insert(
            "list",
            Value::list(vec![Value::Int(1), Value::Nil, Value::str("s")]),
        );
        let b = Map::new();
        b.insert("c", Value::Float(2.5));
        m.insert("b", Value::Map(b));
        Value::Map(m)
    };
    let mut opts = Options::helm();
    opts.max_steps = 100_000;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0;
    for _ in 0..3000 {
        let mut text = String::new();
        gen_list(&mut rng, &mut text, 0);
        // Sometimes splice in a random piece to break the structure.
        if rng.next() % 3 == 0 && !text.is_empty() {
            let mut at = (rng.next() % text.len() as u64) as usize;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert_str(at, PIECES[(rng.next() % PIECES.len() as u64) as usize]);
        }
        let mut set = Templates::new(FuncMap::new()).with_options(opts.clone());
        if set.parse("t", &text).is_ok() {
            parsed += 1;
            let _ = set.execute("t", &data);
        }
    }
    assert!(parsed > 100, "only {parsed} random templates parsed");
}
