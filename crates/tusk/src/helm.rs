//! The `helm` backend: runs a real helm binary with the same inputs.

use std::path::PathBuf;
use std::process::Command;

use crate::{RenderError, RenderRequest, Rendered, Renderer};

/// Renders by running `helm template`.
#[derive(Debug, Clone)]
pub struct HelmRenderer {
    bin: PathBuf,
}

impl HelmRenderer {
    /// Uses `explicit` if given, else `$HELM_BIN`, else `helm` from `PATH`.
    pub fn locate(explicit: Option<PathBuf>) -> Result<Self, RenderError> {
        let bin = explicit
            .or_else(|| std::env::var_os("HELM_BIN").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("helm"));
        Ok(HelmRenderer { bin })
    }

    /// The binary this backend runs.
    pub fn bin(&self) -> &std::path::Path {
        &self.bin
    }
}

impl Renderer for HelmRenderer {
    fn render(&self, req: &RenderRequest) -> Result<Rendered, RenderError> {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("template").arg(&req.release).arg(&req.chart);
        cmd.args(req.helm_flags());
        // `-f -` reads values from our standard input.
        cmd.stdin(std::process::Stdio::inherit());
        let out = cmd
            .output()
            .map_err(|source| RenderError::HelmNotRunnable {
                path: self.bin.display().to_string(),
                source,
            })?;
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if !out.status.success() {
            return Err(RenderError::Helm {
                stderr,
                code: out.status.code().unwrap_or(1),
            });
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        let mut rendered = Rendered::from_stream(&stdout).ok_or_else(|| {
            RenderError::Failed(format!(
                "helm printed output tusk cannot split into manifests ({} bytes)",
                stdout.len()
            ))
        })?;
        rendered.warnings = stderr;
        Ok(rendered)
    }
}
