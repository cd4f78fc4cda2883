//! Times parse_values + toYaml on a YAML file:
//! `cargo run --release -p tusk-funcs --example bench_yaml -- values.yaml`.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: bench_yaml FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).expect("readable file");
    let t = std::time::Instant::now();
    let v = tusk_funcs::yaml::parse_values(&text).expect("valid YAML");
    let parsed = t.elapsed();
    let t = std::time::Instant::now();
    let out = tusk_funcs::yaml::to_yaml(&v);
    println!(
        "parse {parsed:?}, toYaml {:?} ({} bytes)",
        t.elapsed(),
        out.len()
    );
}
