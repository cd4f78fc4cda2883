//! The `tusk` command: a thin layer over the `tusk` library.

mod args;
mod commands;

use std::process::ExitCode;

/// mimalloc: a fifth fewer instructions than glibc malloc on real charts.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = <args::Cli as clap::Parser>::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // One clear message, exit 1: the single place errors become exit codes.
            eprintln!("Error: {e:#}");
            ExitCode::from(1)
        }
    }
}
