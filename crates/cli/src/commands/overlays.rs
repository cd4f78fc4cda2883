//! `tusk overlays list|show`, and `--overlay/--param` for `tusk template`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use tusk::overlays::{apply_plans, chart_info, effective_values, load_overlay, plan_all};
use tusk::tusk_overlay::{Env, Overlay, ParamInputs, ParamType, RawParam};
use tusk::{HelmRenderer, NativeRenderer, RenderRequest, Rendered, Renderer};

use crate::args::{OverlaysCommand, RendererKind, TemplateArgs};

pub fn run(c: OverlaysCommand) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match c {
        OverlaysCommand::List => {
            for name in tusk::tusk_overlay::builtin_names() {
                let o = load_overlay(name, Path::new("."))?;
                writeln!(out, "{name:<10} {}", o.description)?;
            }
        }
        OverlaysCommand::Show { name, raw } => {
            if raw {
                match tusk::tusk_overlay::builtin(&name) {
                    Some(text) => out.write_all(text.as_bytes())?,
                    None => out.write_all(
                        std::fs::read(&name)
                            .with_context(|| format!("unknown overlay {name:?}"))?
                            .as_slice(),
                    )?,
                }
                return Ok(ExitCode::SUCCESS);
            }
            let o = load_overlay(&name, Path::new("."))?;
            write!(out, "{}", describe(&o))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn type_name(t: ParamType, items: Option<ParamType>) -> String {
    let base = |t: ParamType| match t {
        ParamType::String => "string",
        ParamType::Int => "int",
        ParamType::Bool => "bool",
        ParamType::List => "list",
        ParamType::Map => "map",
        ParamType::Secret => "secret",
    };
    match (t, items) {
        (ParamType::List | ParamType::Map, Some(i)) => format!("{} of {}", base(t), base(i)),
        _ => base(t).to_string(),
    }
}

/// The text of `tusk overlays show`.
pub fn describe(o: &Overlay) -> String {
    let mut s = format!("{}: {}\n", o.name, o.description);
    if !o.docs.is_empty() {
        s.push('\n');
        s.push_str(o.docs.trim_end());
        s.push('\n');
    }
    s.push_str("\nParameters (--param ");
    s.push_str(&o.name);
    s.push_str(".KEY=VALUE):\n");
    for p in o.params() {
        let mut attrs = vec![type_name(p.spec.ty, p.spec.items)];
        if p.spec.required {
            attrs.push("required".into());
        }
        if let Some(d) = &p.spec.default {
            attrs.push(format!("default {}", show(d)));
        }
        if let Some(e) = &p.spec.allowed {
            let v: Vec<String> = e.iter().map(show).collect();
            attrs.push(format!("one of {}", v.join(", ")));
        }
        s.push_str(&format!("  {} ({})\n", p.name, attrs.join("; ")));
        if let Some(d) = &p.spec.description {
            s.push_str(&format!("      {d}\n"));
        }
    }
    s
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(show).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// Splits `--param OVERLAY.KEY=VALUE` arguments by overlay name.
pub fn group_params(args: &[String], names: &[String]) -> anyhow::Result<Vec<ParamInputs>> {
    let mut out = vec![ParamInputs::default(); names.len()];
    for a in args {
        let Some((lhs, value)) = a.split_once('=') else {
            bail!("--param {a}: expected OVERLAY.KEY=VALUE");
        };
        let Some((overlay, key)) = lhs.split_once('.') else {
            bail!("--param {lhs}=…: expected OVERLAY.KEY=VALUE");
        };
        let Some(i) = names.iter().position(|n| n == overlay) else {
            bail!(
                "--param {lhs}=…: no overlay {overlay:?} was given with --overlay (given: {})",
                if names.is_empty() {
                    "none".into()
                } else {
                    names.join(", ")
                }
            );
        };
        out[i].push(key, RawParam::Text(value.to_string()));
    }
    Ok(out)
}

/// Applies `--overlay`s to what `tusk template` rendered.
pub fn apply_ad_hoc(
    a: &TemplateArgs,
    req: &RenderRequest,
    rendered: Rendered,
) -> anyhow::Result<Rendered> {
    let o = &a.overlays;
    if o.overlay.is_empty() {
        if !o.param.is_empty() {
            bail!("--param needs --overlay");
        }
        return Ok(rendered);
    }
    let cwd = PathBuf::from(".");
    let mut loaded = Vec::new();
    for spec in &o.overlay {
        loaded.push(load_overlay(spec, &cwd)?);
    }
    let names: Vec<String> = loaded.iter().map(|o| o.name.clone()).collect();
    let params = group_params(&o.param, &names)?;
    let files: Vec<PathBuf> = req
        .values_files
        .iter()
        .filter(|f| *f != "-")
        .map(PathBuf::from)
        .collect();
    let env = Env {
        chart: chart_info(&req.chart),
        release: req.release.clone(),
        namespace: req.namespace.clone().unwrap_or_else(|| "default".into()),
        values: effective_values(&req.chart, &files, None),
        base_dir: cwd,
        allow_literal_secrets: o.allow_literal_secrets,
    };
    let pairs: Vec<(Overlay, ParamInputs)> = loaded.into_iter().zip(params).collect();
    let plans = plan_all(&pairs, &env)?;
    let (out, applied) = apply_plans(&rendered, &plans)?;
    applied.report.check()?;
    Ok(out)
}

/// The renderer a command asked for.
pub fn renderer(
    kind: RendererKind,
    helm_bin: Option<PathBuf>,
) -> anyhow::Result<Box<dyn Renderer>> {
    Ok(match kind {
        RendererKind::Native => Box::new(NativeRenderer::new()),
        RendererKind::Helm => Box::new(HelmRenderer::locate(helm_bin)?),
    })
}
