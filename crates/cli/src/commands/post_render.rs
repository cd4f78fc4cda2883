//! `tusk post-render`: helm's post-renderer protocol. helm writes the
//! rendered manifests to our standard input and reads the result from our
//! standard output; a non-zero exit fails the helm command.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use tusk::Project;
use tusk::overlays::{chart_info, effective_values, load_overlay};
use tusk::postrender::{Context, ManifestStream, post_render, project_overlays};

use crate::args::PostRenderArgs;

pub fn run(a: PostRenderArgs) -> anyhow::Result<ExitCode> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading manifests from standard input")?;
    let stream = ManifestStream::parse(&input);

    let (mut ctx, mut overlays) = match &a.file {
        Some(f) => {
            let p = Project::load(f)?;
            (Context::from_project(&p), project_overlays(&p)?)
        }
        None => (Context::default(), Vec::new()),
    };
    if let Some(r) = &a.release {
        ctx.release = r.clone();
    }
    if let Some(n) = &a.namespace {
        ctx.namespace = n.clone();
    }
    if let Some(c) = &a.chart {
        ctx.chart = chart_info(c);
        ctx.values = effective_values(c, &[], None);
    }
    ctx.infer_from(&stream);
    ctx.allow_literal_secrets |= a.overlays.allow_literal_secrets;

    // Command-line overlays run after the project's, their files relative
    // to the working directory.
    let o = &a.overlays;
    if o.overlay.is_empty() && !o.param.is_empty() {
        anyhow::bail!("--param needs --overlay");
    }
    let mut loaded = Vec::new();
    for spec in &o.overlay {
        loaded.push(load_overlay(spec, Path::new("."))?);
    }
    let names: Vec<String> = loaded.iter().map(|o| o.name.clone()).collect();
    let params = super::overlays::group_params(&o.param, &names)?;
    if !loaded.is_empty() && a.file.is_none() {
        ctx.base_dir = PathBuf::from(".");
    }
    overlays.extend(loaded.into_iter().zip(params));

    let out = post_render(&stream, &overlays, &ctx)?;
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    w.write_all(out.stream.to_text().as_bytes())?;
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
