//! Validate a manifest stream (a file, or standard input with `-`) the way
//! `tusk validate` does, and print the findings.
//!
//! ```sh
//! helm template mastodon ./chart | cargo run -p tusk --example validate -- -
//! ```

use std::io::Read;

use tusk::validate::{Format, KubeVersion, format_report};
use tusk::{ValidateOptions, validate_stream};

/// Validates `text` for Kubernetes `kube`; returns the report as text and
/// whether it fails (errors only).
fn check(text: &str, kube: &str) -> Result<(String, bool), Box<dyn std::error::Error>> {
    let opts = ValidateOptions {
        kube_version: KubeVersion::parse(kube)?,
        ..Default::default()
    };
    let report = validate_stream(text, Some("<input>"), &opts);
    Ok((
        format_report(&report, Format::Human),
        report.is_failure(false),
    ))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: validate FILE|-")?;
    let text = if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        s
    } else {
        std::fs::read_to_string(&path)?
    };
    let (report, failed) = check(&text, "1.32")?;
    print!("{report}");
    std::process::exit(i32::from(failed));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_wrongly_typed_field() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1\n";
        let (report, failed) = check(text, "1.32").unwrap();
        assert!(failed);
        assert!(report.contains("data.a"), "{report}");
        let ok = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"1\"\n";
        assert!(!check(ok, "1.32").unwrap().1);
    }
}
