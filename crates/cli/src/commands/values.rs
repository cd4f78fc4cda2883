//! `tusk values`: generate and check values for the Mastodon charts.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use tusk::values::{self, FromEnvOptions, MastodonChart, SecretsTarget};

#[derive(Debug, Args)]
pub struct ValuesArgs {
    #[command(subcommand)]
    pub command: ValuesCommand,
}

/// The chart a values file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartArg {
    /// mastodon/chart, the deprecated classic chart.
    Classic,
    /// mastodon/helm-charts, its successor.
    Next,
}

impl From<ChartArg> for MastodonChart {
    fn from(c: ChartArg) -> Self {
        match c {
            ChartArg::Classic => MastodonChart::Classic,
            ChartArg::Next => MastodonChart::Next,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ValuesCommand {
    /// Values for a chart from a docker-compose `.env` file (values on
    /// stdout, secrets to a separate file or an existing Secret).
    FromEnv(FromEnvArgs),
    /// A starter values file with freshly generated secrets.
    Init(InitArgs),
    /// Classic chart values → next chart values (report on stderr).
    Migrate(MigrateArgs),
    /// The coalesced values helm would use, with each leaf's origin.
    Effective(CheckArgs),
    /// Keys set by the user that the chart never declares or reads.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct FromEnvArgs {
    /// The `.env` file (`-` reads standard input).
    pub file: String,
    /// Which chart to write values for.
    #[arg(long, value_enum)]
    pub chart: ChartArg,
    /// Write secret values to this values file (created with mode 0600).
    #[arg(long, conflicts_with = "existing_secret")]
    pub secrets_out: Option<PathBuf>,
    /// Reference secrets from this existing Secret instead of writing them.
    #[arg(long)]
    pub existing_secret: Option<String>,
    /// More variables to treat as secret; commas separate several.
    #[arg(long = "secret-key", value_delimiter = ',')]
    pub secret_keys: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Which chart to write values for.
    #[arg(long, value_enum)]
    pub chart: ChartArg,
    /// Seed the random generator (repeatable output, for tests only).
    #[arg(long)]
    pub seed: Option<u64>,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// A values file for the classic chart (`-` reads standard input).
    pub file: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Release name.
    pub release: String,
    /// Chart: a directory, a `.tgz`, REPO/NAME, `oci://...`, or NAME with `--repo`.
    pub chart: String,
    #[command(flatten)]
    pub value_flags: crate::args::ValueFlags,
    #[command(flatten)]
    pub source: crate::args::SourceArgs,
}

pub fn run(a: ValuesArgs) -> anyhow::Result<ExitCode> {
    match a.command {
        ValuesCommand::FromEnv(a) => from_env(a),
        ValuesCommand::Init(a) => init(a),
        ValuesCommand::Migrate(a) => migrate(a),
        ValuesCommand::Effective(a) => effective(a),
        ValuesCommand::Check(a) => check(a),
    }
}

fn read_input(file: &str) -> anyhow::Result<(String, String)> {
    if file == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read standard input")?;
        return Ok((s, "<stdin>".to_string()));
    }
    let text = tusk::input::read_text(std::path::Path::new(file))
        .with_context(|| format!("cannot read {file}"))?;
    Ok((text, file.to_string()))
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn from_env(a: FromEnvArgs) -> anyhow::Result<ExitCode> {
    let (text, origin) = read_input(&a.file)?;
    let parsed = values::dotenv::parse_detailed(&text, &origin, &|_| None)?;
    for u in &parsed.unset {
        eprintln!(
            "warning: {origin}:{}: ${{{}}} is not set; it expanded to an empty string",
            u.line, u.name
        );
    }
    let chart: MastodonChart = a.chart.into();
    let is_secret =
        |k: &str| values::SECRET_KEYS.contains(&k) || a.secret_keys.iter().any(|s| s == k);
    let secrets: Vec<&str> = parsed
        .entries
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| is_secret(k))
        .collect();
    let target = match (&a.secrets_out, &a.existing_secret) {
        (_, Some(name)) => SecretsTarget::Existing(name.clone()),
        (Some(_), None) => SecretsTarget::File,
        (None, None) if secrets.is_empty() => SecretsTarget::File,
        (None, None) => bail!(
            "{origin} has secret variables ({}); pass --secrets-out FILE or --existing-secret NAME",
            secrets.join(", ")
        ),
    };
    let source = Path::new(&origin)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| origin.clone());
    let out = values::from_env(
        &parsed.entries,
        &FromEnvOptions {
            chart,
            target,
            secret_keys: a.secret_keys.clone(),
            source,
        },
    );
    for w in &out.warnings {
        eprintln!("warning: {w}");
    }
    if let (Some(path), Some(text)) = (&a.secrets_out, &out.secrets) {
        write_private(path, text)?;
        eprintln!("wrote secret values to {}", path.display());
    }
    if !out.required_keys.is_empty() {
        eprintln!("the values reference existing Secrets; create them with these keys:");
        let mut current = "";
        for k in &out.required_keys {
            if k.secret != current {
                eprintln!("  Secret {}:", k.secret);
                current = &k.secret;
            }
            if k.key == k.env {
                eprintln!("    {}", k.key);
            } else {
                eprintln!("    {} (the value of {})", k.key, k.env);
            }
        }
    }
    eprintln!(
        "mapped {} of {} variables to {} chart values; {} went to {}",
        out.mapped,
        parsed.entries.len(),
        chart,
        out.unmapped.len(),
        chart.extra_env_path()
    );
    std::io::stdout().write_all(out.values.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn init(a: InitArgs) -> anyhow::Result<ExitCode> {
    let text = values::init(a.chart.into(), a.seed)?;
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn migrate(a: MigrateArgs) -> anyhow::Result<ExitCode> {
    let (text, origin) = read_input(&a.file)?;
    let out = values::migrate_values(&text, &origin)?;
    for n in &out.changed {
        eprintln!("note: {}: {}", n.path, n.message);
    }
    for n in &out.unmapped {
        eprintln!("not migrated: {}: {}", n.path, n.message);
    }
    eprintln!(
        "migrated {} values; {} could not be mapped",
        out.moved,
        out.unmapped.len()
    );
    std::io::stdout().write_all(out.values.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves the chart as `tusk template` does (repositories, OCI, the cache).
fn request(a: &CheckArgs) -> anyhow::Result<values::ValuesRequest> {
    Ok(values::ValuesRequest {
        chart: super::template::chart_path(&a.chart, &a.source)?,
        files: a.value_flags.values.clone(),
        sets: a
            .value_flags
            .sets()
            .into_iter()
            .map(|s| (s.kind, s.expr))
            .collect(),
    })
}

fn effective(a: CheckArgs) -> anyhow::Result<ExitCode> {
    let out = values::effective_values(&request(&a)?)?;
    for w in &out.warnings {
        eprintln!("{w}");
    }
    std::io::stdout().write_all(out.yaml.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn check(a: CheckArgs) -> anyhow::Result<ExitCode> {
    let unknown = values::check_values(&request(&a)?)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for u in &unknown {
        let mut line = format!(
            "{}: the chart never declares or reads this key",
            u.unknown.path
        );
        if !u.origin.is_empty() {
            line = format!("{} (set by {})", line, u.origin);
        }
        if let Some(s) = &u.unknown.suggestion {
            line.push_str(&format!("; did you mean {s}?"));
        }
        writeln!(out, "{line}")?;
    }
    if unknown.is_empty() {
        eprintln!("every key set is declared or read by the chart");
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "Error: {} key(s) the chart never declares or reads",
        unknown.len()
    );
    Ok(ExitCode::from(1))
}
