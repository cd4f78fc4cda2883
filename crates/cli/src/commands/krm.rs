//! `tusk krm`: tusk as a kustomize plugin. Without arguments it is a KRM
//! function (a ResourceList on standard input, one on standard output,
//! failures as `results` and exit 1); with a config file argument it is a
//! legacy exec plugin (a YAML stream in and out).

use std::io::{Read, Write};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::args::KrmArgs;

pub fn run(a: KrmArgs) -> anyhow::Result<ExitCode> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading standard input")?;
    let cwd = std::env::current_dir().context("the working directory")?;
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    match a.config {
        Some(config) => {
            let text = tusk::krm::legacy(&config, &input, &cwd)?;
            w.write_all(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let out = tusk::krm::process_resource_list(&input, &cwd);
            w.write_all(out.output.as_bytes())?;
            w.flush()?;
            match out.error {
                None => Ok(ExitCode::SUCCESS),
                Some(e) => {
                    // Also in the ResourceList's results; repeated for
                    // people reading the terminal.
                    eprintln!("Error: {e}");
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}
