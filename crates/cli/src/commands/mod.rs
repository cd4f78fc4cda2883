//! One module per subcommand.

mod build;
mod diff;
mod overlays;
mod template;
mod validate;
pub mod values;

use std::process::ExitCode;

use crate::args::{Cli, Command};

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Template(a) => template::run(a),
        Command::Build(a) => build::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Overlays(c) => overlays::run(c),
        Command::Validate(a) => validate::run(a),
        Command::Values(a) => values::run(a),
    }
}
