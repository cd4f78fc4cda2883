//! `tusk diff`: what changes between two renders of a project — two chart
//! paths or versions, or the chart without and with overlays — as a
//! unified diff per manifest, plus every overlay target whose matches
//! changed. Secret values are redacted as `<secret>`.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use similar::TextDiff;
use tusk::tusk_overlay::Report;
use tusk::{BuildOptions, BuildOutput, Project};

use super::build::{chart_path, project_renderer, render_failure};
use crate::args::{ColorChoice, DiffArgs};

/// One side of the diff.
struct Side {
    label: String,
    /// Identity (`Kind/namespace/name`) → (source, content), in output order.
    docs: Vec<(String, String, String)>,
    report: Option<Report>,
}

fn identity(content: &str, source: &str, seen: &mut BTreeMap<String, usize>) -> String {
    let v: Option<serde_json::Value> = yaml_serde_free_parse(content);
    let base = match v {
        Some(v) => {
            let kind = v.get("kind").and_then(|k| k.as_str()).unwrap_or("?");
            let name = v
                .pointer("/metadata/name")
                .and_then(|k| k.as_str())
                .unwrap_or("?");
            match v.pointer("/metadata/namespace").and_then(|k| k.as_str()) {
                Some(ns) => format!("{kind}/{ns}/{name}"),
                None => format!("{kind}/{name}"),
            }
        }
        None => source.to_string(),
    };
    let n = seen.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n > 1 { format!("{base} #{n}") } else { base }
}

/// Reads `kind` and `metadata` with a tiny line scan (the documents are
/// helm output or tusk's re-emission: top-level keys at column 0).
fn yaml_serde_free_parse(content: &str) -> Option<serde_json::Value> {
    let mut kind = None;
    let mut name = None;
    let mut ns = None;
    let mut in_meta = false;
    for line in content.lines() {
        if !line.starts_with(' ') {
            in_meta = line.trim_end() == "metadata:";
            if let Some(k) = line.strip_prefix("kind:") {
                kind = Some(unquote(k));
            }
            continue;
        }
        if in_meta {
            if let Some(n) = line.strip_prefix("  name:") {
                name.get_or_insert(unquote(n));
            } else if let Some(n) = line.strip_prefix("  namespace:") {
                ns.get_or_insert(unquote(n));
            }
        }
    }
    let kind = kind?;
    let mut meta = serde_json::Map::new();
    if let Some(n) = name {
        meta.insert("name".into(), n.into());
    }
    if let Some(n) = ns {
        meta.insert("namespace".into(), n.into());
    }
    Some(serde_json::json!({"kind": kind, "metadata": meta}))
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches('"').trim_matches('\'').to_string()
}

fn side(label: &str, out: &BuildOutput, raw: bool, show_secrets: bool) -> Side {
    let r = if raw { &out.raw } else { &out.rendered };
    let mut seen = BTreeMap::new();
    let docs = r
        .manifests
        .iter()
        .map(|m| {
            (
                identity(&m.content, &m.source, &mut seen),
                m.source.clone(),
                if show_secrets {
                    m.content.clone()
                } else {
                    out.applied.redact(&m.content)
                },
            )
        })
        .collect();
    Side {
        label: label.to_string(),
        docs,
        report: (!raw).then(|| out.applied.report.clone()),
    }
}

fn build_side(p: &Project, spec: &str, a: &DiffArgs) -> anyhow::Result<Result<Side, ExitCode>> {
    let renderer = project_renderer(p, a.renderer, a.helm_bin.clone())?;
    let (chart, raw) = match spec {
        "@raw" => (chart_path(p, None)?, true),
        "@project" => (chart_path(p, None)?, false),
        s if Path::new(s).exists() => (Path::new(s).to_path_buf(), false),
        s if s.starts_with(|c: char| c.is_ascii_digit() || c == 'v' || "^~<>=".contains(c)) => {
            if p.chart_is_local() {
                anyhow::bail!(
                    "--from/--to {s}: a chart version needs a repository or OCI chart in the project; give a chart path instead"
                );
            }
            (chart_path(p, Some(s))?, false)
        }
        s => anyhow::bail!(
            "--from/--to {s}: no such chart path (and not a version, @raw or @project)"
        ),
    };
    let opts = BuildOptions {
        skip_overlays: raw,
        keep_going: true,
        ..Default::default()
    };
    match tusk::build(p, &chart, renderer.as_ref(), &opts) {
        Ok(out) => Ok(Ok(side(spec, &out, raw, a.show_secrets))),
        Err(e) => match render_failure(&e) {
            Some(code) => Ok(Err(code)),
            None => Err(e.into()),
        },
    }
}

struct Colors {
    on: bool,
}

impl Colors {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

pub fn run(a: DiffArgs) -> anyhow::Result<ExitCode> {
    let project = Project::load(&a.file)?;
    let from = match build_side(&project, &a.from, &a)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let to = match build_side(&project, &a.to, &a)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let colors = Colors {
        on: match a.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal(),
        },
    };
    let text = render_diff(&from, &to, a.context, &colors);
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    w.write_all(text.as_bytes())?;
    Ok(if a.exit_code && !text.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn render_diff(from: &Side, to: &Side, context: usize, c: &Colors) -> String {
    let mut out = String::new();
    let old: BTreeMap<&str, (&str, &str)> = from
        .docs
        .iter()
        .map(|(i, s, t)| (i.as_str(), (s.as_str(), t.as_str())))
        .collect();
    let new: BTreeMap<&str, (&str, &str)> = to
        .docs
        .iter()
        .map(|(i, s, t)| (i.as_str(), (s.as_str(), t.as_str())))
        .collect();
    // Order: the new side's, then what only the old side had.
    let mut ids: Vec<&str> = to.docs.iter().map(|(i, _, _)| i.as_str()).collect();
    ids.extend(
        from.docs
            .iter()
            .map(|(i, _, _)| i.as_str())
            .filter(|i| !new.contains_key(i)),
    );
    for id in ids {
        let (o, n) = (old.get(id), new.get(id));
        let (otext, ntext) = (o.map_or("", |x| x.1), n.map_or("", |x| x.1));
        if o.is_some() && n.is_some() && otext == ntext {
            continue;
        }
        // Overlays re-emit what they touch; compare both sides in that form
        // so the diff shows content, not formatting.
        let (otext, ntext) = match (o.is_some() && n.is_some()).then(|| {
            (
                tusk::tusk_overlay::normalize(otext),
                tusk::tusk_overlay::normalize(ntext),
            )
        }) {
            Some((Some(a), Some(b))) => {
                if a == b {
                    continue;
                }
                (a, b)
            }
            _ => (otext.to_string(), ntext.to_string()),
        };
        let oname = o.map_or("/dev/null".to_string(), |(s, _)| format!("a/{id} ({s})"));
        let nname = n.map_or("/dev/null".to_string(), |(s, _)| format!("b/{id} ({s})"));
        out.push_str(&c.paint("1", &format!("--- {oname}\n+++ {nname}\n")));
        let ot = format!("{otext}\n");
        let nt = format!("{ntext}\n");
        let ot = if o.is_some() { ot } else { String::new() };
        let nt = if n.is_some() { nt } else { String::new() };
        let diff = TextDiff::from_lines(&ot, &nt);
        for hunk in diff.unified_diff().context_radius(context).iter_hunks() {
            out.push_str(&c.paint("36", &format!("{}\n", hunk.header())));
            for change in hunk.iter_changes() {
                let (sign, color) = match change.tag() {
                    similar::ChangeTag::Delete => ("-", "31"),
                    similar::ChangeTag::Insert => ("+", "32"),
                    similar::ChangeTag::Equal => (" ", ""),
                };
                let line = format!("{sign}{}", change.value().trim_end_matches('\n'));
                if color.is_empty() {
                    out.push_str(&line);
                } else {
                    out.push_str(&c.paint(color, &line));
                }
                out.push('\n');
            }
        }
    }
    out.push_str(&overlay_changes(from, to, c));
    out
}

/// Targets whose matches differ between the sides, and failed expectations.
fn overlay_changes(from: &Side, to: &Side, c: &Colors) -> String {
    let mut lines = Vec::new();
    let key = |r: &Report| -> BTreeMap<(String, String), Vec<String>> {
        r.overlays
            .iter()
            .flat_map(|o| {
                o.targets
                    .iter()
                    .filter(|t| t.active)
                    .map(move |t| ((o.overlay.clone(), t.id.clone()), t.matched.clone()))
            })
            .collect()
    };
    if let (Some(fr), Some(tr)) = (&from.report, &to.report) {
        let (a, b) = (key(fr), key(tr));
        let mut all: Vec<&(String, String)> = a.keys().chain(b.keys()).collect();
        all.sort();
        all.dedup();
        for k in all {
            let (ma, mb) = (a.get(k), b.get(k));
            if ma != mb {
                let fmt = |m: Option<&Vec<String>>| match m {
                    None => "not planned".to_string(),
                    Some(v) if v.is_empty() => "0".to_string(),
                    Some(v) => format!("{} ({})", v.len(), v.join(", ")),
                };
                lines.push(format!(
                    "overlay {}, target {:?}: matched {} in {} → {} in {}",
                    k.0,
                    k.1,
                    fmt(ma),
                    from.label,
                    fmt(mb),
                    to.label
                ));
            }
        }
    }
    for (side, r) in [(&from.label, &from.report), (&to.label, &to.report)] {
        if let Some(r) = r {
            for f in r.failures() {
                lines.push(format!("{side}: {f}"));
            }
        }
    }
    if lines.is_empty() {
        return String::new();
    }
    let mut s = c.paint("1", "\noverlay matches changed:\n");
    for l in lines {
        s.push_str(&c.paint("33", &l));
        s.push('\n');
    }
    s
}
