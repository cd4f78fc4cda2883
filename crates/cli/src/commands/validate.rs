//! `tusk validate FILE|DIR|-`: offline checks of manifests.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use tusk::validate::{
    Document, Format, KubeVersion, ValidateOptions, format_report, parse_values, split_stream,
};

use crate::args::{ReportFormat, ValidateArgs};

pub fn run(a: ValidateArgs) -> anyhow::Result<ExitCode> {
    let kube_version = KubeVersion::parse(&a.kube_version)?;
    let values = match &a.values {
        Some(p) => {
            let text =
                tusk::input::read_text(p).with_context(|| format!("reading {}", p.display()))?;
            let v = parse_values(&text).map_err(anyhow::Error::msg);
            Some(v.with_context(|| format!("parsing values {}", p.display()))?)
        }
        None => None,
    };
    let docs = read_input(&a.input)?;
    let report = tusk::validate::validate_documents(
        &docs,
        &ValidateOptions {
            kube_version,
            values,
        },
    );
    let format = match a.format {
        ReportFormat::Human => Format::Human,
        ReportFormat::Json => Format::Json,
        ReportFormat::Sarif => Format::Sarif,
    };
    let text = format_report(&report, format);
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(if report.is_failure(a.warnings_as_errors) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn read_input(input: &Path) -> anyhow::Result<Vec<Document>> {
    if input == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading standard input")?;
        return Ok(split_stream(&text, Some("<stdin>")));
    }
    let meta = std::fs::metadata(input).with_context(|| format!("reading {}", input.display()))?;
    let files = if meta.is_dir() {
        let mut files = Vec::new();
        walk(input, &mut files)?;
        files.sort();
        files
    } else {
        vec![input.to_path_buf()]
    };
    let mut docs = Vec::new();
    for f in files {
        let text =
            tusk::input::read_text(&f).with_context(|| format!("reading {}", f.display()))?;
        docs.extend(split_stream(&text, Some(&f.display().to_string())));
    }
    Ok(docs)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(path);
        }
    }
    Ok(())
}
