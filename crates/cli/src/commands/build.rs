//! `tusk build`: a project file in, manifests out.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use tusk::project::RendererChoice;
use tusk::source::{ChartRef, FetchOptions, resolve};
use tusk::{BuildOptions, Destination, Project, RenderError};

use crate::args::{BuildArgs, RendererKind};

/// The project's chart as a local path (downloading remote charts), with
/// `version` overriding the project's.
pub fn chart_path(p: &Project, version: Option<&str>) -> anyhow::Result<PathBuf> {
    if p.chart_is_local() && version.is_none() {
        return Ok(p.resolve_path(&p.chart));
    }
    let mut opts = FetchOptions::new();
    opts.version = version.map(str::to_string).or_else(|| p.version.clone());
    let chart = if p.chart_is_local() {
        p.resolve_path(&p.chart).display().to_string()
    } else {
        p.chart.clone()
    };
    Ok(resolve(&ChartRef::parse(&chart, p.repo.as_deref()), &opts)?)
}

/// The renderer: the command line's choice, else the project's.
pub fn project_renderer(
    p: &Project,
    flag: Option<RendererKind>,
    helm_bin: Option<PathBuf>,
) -> anyhow::Result<Box<dyn tusk::Renderer>> {
    let kind = flag.unwrap_or(match p.renderer {
        RendererChoice::Native => RendererKind::Native,
        RendererChoice::Helm => RendererKind::Helm,
    });
    let bin = helm_bin.or_else(|| p.helm_bin.as_ref().map(|b| p.resolve_path(b)));
    super::overlays::renderer(kind, bin)
}

/// helm's own errors pass through verbatim, like `tusk template`.
pub fn render_failure(e: &tusk::BuildError) -> Option<ExitCode> {
    if let tusk::BuildError::Render {
        error: RenderError::Helm { stderr, .. },
        ..
    } = e
    {
        eprint!("{stderr}");
        return Some(ExitCode::from(1));
    }
    None
}

pub fn run(a: BuildArgs) -> anyhow::Result<ExitCode> {
    // Under Argo CD's cmp-server its build environment sets defaults.
    let mut project = tusk::argocd::load_project(&a.file, &tusk::argocd::ArgoEnv::from_process())?;
    if let Some(c) = a.helm_compat {
        project.helm_compat = c;
    }
    let chart = chart_path(&project, None)?;
    let renderer = project_renderer(&project, a.renderer, a.helm_bin.clone())?;
    let validate_opts = validate_options(&project)?;
    let warnings_as_errors = a.warnings_as_errors;
    // Validation runs on exactly what will be written; findings go to
    // stderr, and errors (or warnings, if asked) fail the build.
    let validator = move |r: &tusk::Rendered| -> Result<(), String> {
        let report = tusk::validate(r, &validate_opts);
        if report.findings.is_empty() {
            return Ok(());
        }
        let text = tusk::validate::format_report(&report, tusk::validate::Format::Human);
        if report.is_failure(warnings_as_errors) {
            Err(format!("validation failed\n{}", text.trim_end()))
        } else {
            eprint!("{text}");
            Ok(())
        }
    };
    let mut limits = tusk::RenderRequest::default();
    a.limits.apply(&mut limits);
    let opts = BuildOptions {
        validator: (!a.no_validate).then_some(&validator as tusk::build::Validator),
        seed: limits.seed,
        limits: limits.limits,
        ..Default::default()
    };
    let out = match tusk::build(&project, &chart, renderer.as_ref(), &opts) {
        Ok(o) => o,
        Err(e) => match render_failure(&e) {
            Some(code) => return Ok(code),
            None => return Err(e.into()),
        },
    };
    if a.verbose {
        eprint!("{}", report_text(&out.applied.report));
    }
    let dest = match &a.output_dir {
        Some(d) => Destination::Dir(d.clone()),
        None => Destination::from_project(&project),
    };
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    match dest {
        Destination::Stdout => w.write_all(out.rendered.to_stream().as_bytes())?,
        other => {
            for path in other.write(&out.rendered)? {
                writeln!(w, "wrote {path}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Validation settings from the project: its kube version (helm's default
/// otherwise).
fn validate_options(p: &Project) -> anyhow::Result<tusk::ValidateOptions> {
    let mut o = tusk::ValidateOptions::default();
    if let Some(v) = &p.kube_version {
        o.kube_version = tusk::validate::KubeVersion::parse(v)?;
    }
    Ok(o)
}

/// One line per overlay target: what it matched.
pub fn report_text(r: &tusk::tusk_overlay::Report) -> String {
    let mut s = String::new();
    for o in &r.overlays {
        if !o.active {
            s.push_str(&format!("overlay {}: skipped (when)\n", o.overlay));
            continue;
        }
        for t in &o.targets {
            if !t.active {
                s.push_str(&format!(
                    "overlay {}, target {:?}: skipped (when)\n",
                    o.overlay, t.id
                ));
            } else {
                s.push_str(&format!(
                    "overlay {}, target {:?}: matched {} ({})\n",
                    o.overlay,
                    t.id,
                    t.matched.len(),
                    t.matched.join(", ")
                ));
            }
        }
        for a in &o.added {
            s.push_str(&format!("overlay {}: added {a}\n", o.overlay));
        }
    }
    s
}
