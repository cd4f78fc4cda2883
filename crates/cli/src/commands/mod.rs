//! One module per subcommand.

mod template;
pub mod values;

use std::process::ExitCode;

use crate::args::{Cli, Command};

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Template(a) => template::run(a),
        Command::Values(a) => values::run(a),
    }
}
