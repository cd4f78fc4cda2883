//! Printing a [`Report`]: for people, as JSON, and as SARIF 2.1.0 for CI
//! code-scanning annotations.

use serde_json::{Value, json};

use crate::diagnostic::{Finding, Report, Severity};
use crate::rules::RULES;

/// Output format of [`format_report`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Compiler-style text.
    Human,
    /// tusk's JSON report.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

/// Renders a report. Text ends with a newline.
pub fn format_report(report: &Report, format: Format) -> String {
    match format {
        Format::Human => human(report),
        Format::Json => pretty(&json_report(report)),
        Format::Sarif => pretty(&sarif(report)),
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn location(f: &Finding) -> String {
    let m = &f.manifest;
    let mut s = match (&m.file, f.line) {
        (Some(file), Some(l)) => format!("{file}:{l}"),
        (Some(file), None) => file.clone(),
        (None, _) => m.source.clone().unwrap_or_else(|| "<input>".into()),
    };
    let p = f.dotted_path();
    if !p.is_empty() {
        s.push_str(": ");
        s.push_str(&p);
    }
    if let (Some(src), Some(_)) = (&m.source, &m.file) {
        if Some(src) != m.file.as_ref() {
            s.push_str(&format!(" (# Source: {src})"));
        }
    }
    s
}

fn human(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let r = f.rule_info();
        out.push_str(&format!(
            "{}[{}]: {}: {}\n  --> {}\n   = fix: {}\n",
            f.severity,
            f.rule,
            f.manifest.display_name(),
            f.message,
            location(f),
            r.fix
        ));
    }
    let (e, w, n) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Note),
    );
    out.push_str(&format!(
        "{} document{} checked: {e} error{}, {w} warning{}",
        report.documents,
        plural(report.documents),
        plural(e),
        plural(w)
    ));
    if n > 0 {
        out.push_str(&format!(", {n} note{}", plural(n)));
    }
    if !report.unchecked.is_empty() {
        let names: Vec<String> = report
            .unchecked
            .iter()
            .map(|m| {
                format!(
                    "{} {}",
                    m.api_version.as_deref().unwrap_or(""),
                    m.display_name()
                )
            })
            .collect();
        out.push_str(&format!("; no schema for {}", names.join(", ")));
    }
    out.push('\n');
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn manifest_json(m: &crate::diagnostic::ManifestRef) -> Value {
    json!({
        "index": m.index,
        "apiVersion": m.api_version,
        "kind": m.kind,
        "name": m.name,
        "namespace": m.namespace,
        "source": m.source,
        "file": m.file,
    })
}

fn json_report(report: &Report) -> Value {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let r = f.rule_info();
            json!({
                "rule": f.rule,
                "severity": f.severity.as_str(),
                "manifest": manifest_json(&f.manifest),
                "path": f.path,
                "field": f.dotted_path(),
                "message": f.message,
                "line": f.line,
                "why": r.why,
                "fix": r.fix,
            })
        })
        .collect();
    json!({
        "documents": report.documents,
        "errors": report.count(Severity::Error),
        "warnings": report.count(Severity::Warning),
        "notes": report.count(Severity::Note),
        "findings": findings,
        "unchecked": report.unchecked.iter().map(manifest_json).collect::<Vec<_>>(),
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn sarif(report: &Report) -> Value {
    let rules_json: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.why},
                "help": {"text": r.fix},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let p = f.dotted_path();
            let fqn = if p.is_empty() {
                f.manifest.display_name()
            } else {
                format!("{}.{p}", f.manifest.display_name())
            };
            let mut loc = json!({
                "logicalLocations": [{"fullyQualifiedName": fqn, "kind": "resource"}],
            });
            // The input file (with the line) when known, else the template path.
            if let Some(file) = &f.manifest.file {
                loc["physicalLocation"] = json!({"artifactLocation": {"uri": file}});
                if let Some(l) = f.line {
                    loc["physicalLocation"]["region"] = json!({"startLine": l});
                }
            } else if let Some(src) = &f.manifest.source {
                loc["physicalLocation"] = json!({"artifactLocation": {"uri": src}});
            }
            json!({
                "ruleId": f.rule,
                "ruleIndex": RULES.iter().position(|r| r.id == f.rule),
                "level": level(f.severity),
                "message": {"text": format!("{}: {}", f.manifest.display_name(), f.message)},
                "locations": [loc],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "tusk",
                "informationUri": "https://github.com/tusk-dev/tusk",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules_json,
            }},
            "results": results,
        }],
    })
}
