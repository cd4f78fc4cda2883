//! Parses every template of a chart directory with tusk's engine and
//! functions (a smoke check that every function a chart calls exists):
//! `cargo run -p tusk-funcs --example parse_chart -- path/to/chart`.
use tusk_template::{FuncMap, Templates};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse_chart CHART_DIR");
        std::process::exit(2);
    };
    let mut fm = FuncMap::new();
    tusk_funcs::register(&mut fm);
    let mut set = Templates::new(fm);
    let mut n = 0;
    let mut failed = 0;
    for path in walk(&std::path::Path::new(&dir).join("templates")) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Err(err) = set.parse(&path.to_string_lossy(), &text) {
            println!("{}: {err}", path.display());
            failed += 1;
        }
        n += 1;
    }
    println!("parsed {n} templates, {failed} failed");
}

fn walk(d: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(d) {
        for e in rd.flatten() {
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            } else {
                out.push(e.path());
            }
        }
    }
    out
}
