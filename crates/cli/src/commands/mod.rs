//! One module per subcommand.

mod template;
mod validate;

use std::process::ExitCode;

use crate::args::{Cli, Command};

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Template(a) => template::run(a),
        Command::Validate(a) => validate::run(a),
    }
}
