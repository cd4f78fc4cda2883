//! A kustomize KRM function in a few lines: read a `ResourceList` on
//! standard input, let tusk apply the `TuskBuild` function config, print the
//! resulting `ResourceList` (failures are `results` with severity `error`
//! and a non-zero exit) — what `tusk krm` does.

use std::io::Read;

fn main() {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("reading standard input: {e}");
        std::process::exit(1);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let out = tusk::krm::process_resource_list(&input, &cwd);
    print!("{}", out.output);
    if let Some(e) = out.error {
        eprintln!("Error: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_missing_function_config_is_an_error_result() {
        let out = tusk::krm::process_resource_list(
            "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n",
            std::path::Path::new("."),
        );
        assert!(!out.ok());
        assert!(out.output.contains("severity: error"), "{}", out.output);
    }
}
