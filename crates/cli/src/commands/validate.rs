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
    let mut report = tusk::validate::validate_documents(
        &docs,
        &ValidateOptions {
            kube_version,
            values,
        },
    );
    // Findings about the values point at the values file.
    if let Some(p) = &a.values {
        for f in report
            .findings
            .iter_mut()
            .filter(|f| f.manifest.index.is_none())
        {
            f.manifest.file = Some(p.display().to_string());
            f.manifest.source = Some(p.display().to_string());
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(input: PathBuf, warnings_as_errors: bool) -> ValidateArgs {
        ValidateArgs {
            input,
            kube_version: "1.32".into(),
            format: ReportFormat::Json,
            warnings_as_errors,
            values: None,
        }
    }

    const OK: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n";
    const WARN: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n      imagePullPolicy: IfNotPresent\n";
    const BAD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: 1\n";

    #[test]
    fn exit_codes_follow_severity() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let ok = write("ok.yaml", OK);
        let warn = write("warn.yaml", WARN);
        let bad = write("bad.yaml", BAD);
        assert_eq!(run(args(ok, true)).unwrap(), ExitCode::SUCCESS);
        assert_eq!(run(args(warn.clone(), false)).unwrap(), ExitCode::SUCCESS);
        assert_eq!(run(args(warn, true)).unwrap(), ExitCode::from(1));
        assert_eq!(run(args(bad, false)).unwrap(), ExitCode::from(1));
        // A directory: every YAML file below it, in path order.
        let docs = read_input(dir.path()).unwrap();
        let files: Vec<_> = docs.iter().map(|d| d.file.clone().unwrap()).collect();
        assert_eq!(docs.len(), 3);
        assert!(
            files[0].ends_with("bad.yaml") && files[2].ends_with("warn.yaml"),
            "{files:?}"
        );
        assert_eq!(
            run(args(dir.path().to_path_buf(), false)).unwrap(),
            ExitCode::from(1)
        );
    }

    #[test]
    fn bad_version_and_missing_input_are_errors() {
        let mut a = args(PathBuf::from("/nonexistent/x.yaml"), false);
        assert!(run(a).is_err());
        a = args(PathBuf::from("."), false);
        a.kube_version = "1.99".into();
        let e = run(a).unwrap_err().to_string();
        assert!(e.contains("supported versions"), "{e}");
    }
}
