//! The native backend: tusk's own Rust renderer (`tusk-chart` loads the
//! chart and values, `tusk-render` renders them like `helm template`).

use tusk_chart::values::{SetKind as ChartSetKind, UserValues};
use tusk_render::{OutputOptions, RenderOptions};

use crate::{Manifest, RenderError, RenderRequest, Rendered, Renderer, SetKind};

/// Renders with tusk's own template engine, without a helm binary.
///
/// helm's log lines (coalescing warnings, skipped hooks, deprecation
/// notices) come back in [`Rendered::warnings`]; when rendering fails they
/// are written to standard error before the error is returned, as helm
/// prints them before its error message.
#[derive(Debug, Clone, Default)]
pub struct NativeRenderer {
    stdin: Option<Vec<u8>>,
}

impl NativeRenderer {
    /// A native renderer with default settings.
    pub fn new() -> Self {
        NativeRenderer::default()
    }

    /// Uses `data` as standard input for `-f -` instead of the process's.
    pub fn with_stdin(mut self, data: Vec<u8>) -> Self {
        self.stdin = Some(data);
        self
    }
}

fn set_kind(k: SetKind) -> ChartSetKind {
    match k {
        SetKind::Json => ChartSetKind::Json,
        SetKind::Set => ChartSetKind::Set,
        SetKind::String => ChartSetKind::String,
        SetKind::File => ChartSetKind::File,
        SetKind::Literal => ChartSetKind::Literal,
    }
}

impl Renderer for NativeRenderer {
    fn render(&self, req: &RenderRequest) -> Result<Rendered, RenderError> {
        let user = UserValues {
            files: req.values_files.clone(),
            sets: req
                .sets
                .iter()
                .map(|s| (set_kind(s.kind), s.expr.clone()))
                .collect(),
            stdin: self.stdin.clone(),
        };
        let mut opts = RenderOptions::new(req.release.clone());
        if let Some(ns) = &req.namespace {
            opts.release.namespace = ns.clone();
        }
        opts.release.is_upgrade = req.is_upgrade;
        opts.kube_version = req.kube_version.clone();
        opts.api_versions = req.api_versions.clone();
        opts.helm_compat = req.helm_compat;
        opts.output = OutputOptions {
            include_crds: req.include_crds,
            skip_tests: req.skip_tests,
            no_hooks: req.no_hooks,
            show_only: req.show_only.clone(),
        };
        opts.funcs.seed = req.seed;
        if let Some(n) = req.limits.max_steps {
            opts.engine.max_steps = n;
        }
        if let Some(n) = req.limits.max_chart_size {
            opts.load_limits.max_chart_size = n;
        }
        if let Some(n) = req.limits.max_file_size {
            opts.load_limits.max_file_size = n;
        }
        if let Some(n) = req.limits.max_template_depth {
            opts.engine.max_template_depth = n;
        }
        let out = tusk_render::template(&req.chart, &user, &opts);
        // helm logs warnings to standard error as it goes.
        let warnings: String = tusk_render::take_log()
            .into_iter()
            .map(|l| l + "\n")
            .collect();
        let out = match out {
            Ok(out) => out,
            Err(e) => {
                // The warnings come before helm's error message, which the
                // caller prints; the error variant has no room for them.
                eprint!("{warnings}");
                return Err(RenderError::Failed(e.message().to_string()));
            }
        };
        if let Some(max) = req.limits.max_output_size {
            let size: usize = out
                .manifests
                .iter()
                .map(|m| m.source.len() + m.content.len())
                .sum();
            if size as u64 > max {
                eprint!("{warnings}");
                return Err(RenderError::Failed(format!(
                    "{}: rendered manifests ({size} bytes) are larger than --max-output-size {max}",
                    req.chart.display()
                )));
            }
        }
        Ok(Rendered {
            release_empty: out.release_empty,
            manifests: out
                .manifests
                .into_iter()
                .map(|m| Manifest {
                    source: m.source,
                    content: m.content,
                })
                .collect(),
            warnings,
        })
    }
}
