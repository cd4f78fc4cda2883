//! `tusk template`: render like `helm template`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use tusk::{HelmRenderer, NativeRenderer, RenderError, RenderRequest, Renderer};

use tusk::source::{ChartRef, FetchOptions, resolve};

use crate::args::{RendererKind, SourceArgs, TemplateArgs};

/// Resolves the CHART argument to a local path, downloading remote charts.
pub fn chart_path(chart: &str, s: &SourceArgs) -> anyhow::Result<PathBuf> {
    let mut opts = FetchOptions::new();
    opts.version = s.version.clone();
    opts.offline = s.offline;
    opts.username = s.username.clone();
    opts.password = s.password.clone();
    opts.progress = std::io::stderr().is_terminal();
    if let Some(dir) = &s.cache_dir {
        opts.cache_dir = dir.clone();
    }
    Ok(resolve(&ChartRef::parse(chart, s.repo.as_deref()), &opts)?)
}

/// Builds the library request from the command line.
pub fn request(a: &TemplateArgs, chart: PathBuf) -> RenderRequest {
    let mut req = RenderRequest::new(a.release.clone(), chart);
    req.namespace = a.namespace.clone();
    req.values_files = a.value_flags.values.clone();
    req.sets = a.value_flags.sets();
    req.kube_version = a.kube_version.clone();
    req.api_versions = a.api_versions.clone();
    req.show_only = a.show_only.clone();
    req.include_crds = a.include_crds;
    req.skip_tests = a.skip_tests;
    req.no_hooks = a.no_hooks;
    req.is_upgrade = a.is_upgrade;
    a.limits.apply(&mut req);
    req.helm_compat = a.helm_compat;
    req
}

pub fn run(a: TemplateArgs) -> anyhow::Result<ExitCode> {
    let mut req = request(&a, chart_path(&a.chart, &a.source)?);
    // helm applies --show-only after post-rendering: with overlays, render
    // everything, patch, then select.
    let late_show_only = !a.overlays.overlay.is_empty() && !req.show_only.is_empty();
    if late_show_only {
        req.show_only.clear();
    }
    let result = match a.renderer {
        RendererKind::Native => NativeRenderer::new().render(&req),
        RendererKind::Helm => HelmRenderer::locate(a.helm_bin.clone())?.render(&req),
    };
    let rendered = match result {
        Ok(r) => r,
        // helm's own stderr is passed through verbatim so both backends read alike.
        Err(RenderError::Helm { stderr, .. }) => {
            eprint!("{stderr}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    // helm's warnings (coalescing, unknown hooks) go to stderr as helm prints them.
    eprint!("{}", rendered.warnings);
    let mut rendered = super::overlays::apply_ad_hoc(&a, &req, rendered)?;
    if late_show_only {
        rendered = rendered.show_only(&a.show_only)?;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match &a.output_dir {
        Some(dir) => {
            let written = rendered
                .write_output_dir(dir)
                .map_err(|e| anyhow::anyhow!("--output-dir {}: {e}", dir.display()))?;
            for path in written {
                writeln!(out, "wrote {path}")?;
            }
            // helm prints its (empty) manifest buffer after the list.
            writeln!(out)?;
        }
        None => out.write_all(rendered.to_stream().as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
