//! Decompresses the embedded Kubernetes schema file and records its
//! outline (where each definition's text is, the definition names, each
//! version's table of definition ids) as Rust constants, so that a run
//! neither inflates nor scans 645 KB before validating (19 M
//! instructions, a quarter of a `tusk build`).

use std::io::Read;
use std::path::PathBuf;

#[path = "src/outline.rs"]
mod outline;

fn main() {
    const SRC: &str = "data/k8s-schemas.json.gz";
    println!("cargo:rerun-if-changed={SRC}");
    println!("cargo:rerun-if-changed=src/outline.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let gz = std::fs::read(SRC).expect("schema data");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .expect("schema data is gzipped UTF-8");
    let top = outline::object_entries(&text).expect("schema data is a JSON object");
    let range = |key: &str| {
        let v = top
            .iter()
            .find(|(k, _)| *k == key)
            .unwrap_or_else(|| panic!("schema data has {key:?}"))
            .1;
        let start = v.as_ptr() as usize - text.as_ptr() as usize;
        (start, start + v.len())
    };
    let (names, versions, defs) = (range("names"), range("versions"), range("defs"));
    // Definition names and each version's id table, as Rust literals.
    let mut names_rs = String::new();
    for n in outline::array_items(&text[names.0..names.1]).expect("names is an array") {
        let n = n.strip_prefix('"').and_then(|n| n.strip_suffix('"'));
        let n = n.filter(|n| !n.contains('\\')).expect("plain name strings");
        names_rs.push_str(&format!("{n:?},"));
    }
    let mut versions_rs = String::new();
    for (k, v) in outline::object_entries(&text[versions.0..versions.1]).expect("versions") {
        let ids = outline::array_items(v).expect("an id array");
        let ids: Vec<i32> = ids.iter().map(|i| i.parse().expect("an id")).collect();
        versions_rs.push_str(&format!("({k:?}, &{ids:?}),"));
    }
    let items = outline::array_items(&text[defs.0..defs.1]).expect("defs is an array");
    let mut table = String::new();
    let mut gvks = String::new();
    for item in items {
        let start = item.as_ptr() as usize - text.as_ptr() as usize;
        table.push_str(&format!("({start}, {}),", start + item.len()));
        gvks.push_str(&match gvk_of_definition(item) {
            Some((g, v, k)) => format!("Some(({g:?}, {v:?}, {k:?})),"),
            None => "None,".to_string(),
        });
    }
    std::fs::write(out.join("k8s-schemas.json"), &text).expect("write OUT_DIR");
    std::fs::write(
        out.join("k8s-outline.rs"),
        format!(
            "const NAMES: &[&str] = &[{names_rs}];\n\
             const VERSIONS: &[(&str, &[i32])] = &[{versions_rs}];\n\
             const DEFS: &[(u32, u32)] = &[{table}];\n\
             const GVKS: &[Option<(&str, &str, &str)>] = &[{gvks}];\n"
        ),
    )
    .expect("write OUT_DIR");
}

/// A definition's single group/version/kind (`x-kubernetes-group-version-kind`
/// with exactly one entry), read once here rather than on every run.
fn gvk_of_definition(def: &str) -> Option<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_str(def).expect("a definition is JSON");
    let list = v.get("x-kubernetes-group-version-kind")?.as_array()?;
    let [g] = list.as_slice() else {
        return None;
    };
    let field = |k: &str| g[k].as_str().unwrap_or("").to_string();
    Some((field("group"), field("version"), field("kind")))
}
