//! tusk: render Helm charts natively, overlay the manifests declaratively,
//! validate them, and write them out.
//!
//! This crate is the facade other Rust tooling calls. The pipeline is
//! Chart → Values → Render → Manifests → Overlays → Validate → Output:
//!
//! * [`Renderer`] turns a [`RenderRequest`] (what `helm template` takes) into
//!   a [`Rendered`] list of [`Manifest`]s. Two backends implement it:
//!   [`NativeRenderer`] (tusk's own Rust renderer) and [`HelmRenderer`] (a
//!   `helm` binary, the escape hatch and the oracle).
//! * [`Rendered::to_stream`] prints exactly what `helm template` prints.
//! * [`build()`] runs a [`Project`] (a `tusk.yaml`) through the pipeline:
//!   render, [`overlays`], validation hook, [`Destination`].
//! * [`source`] fetches charts from HTTP repositories and OCI registries.
//! * [`validate()`] checks a [`Rendered`] offline (Kubernetes schemas of a
//!   chosen version, CRDs, Mastodon rules) and returns every finding at once;
//!   see the [`validate`](mod@validate) module. [`values`] writes and
//!   migrates Mastodon values files.
//! * Integrations with the tools operators run: [`postrender`] (helm's
//!   post-renderer protocol, `tusk post-render`), [`krm`] (kustomize KRM
//!   functions and legacy exec plugins, `tusk krm`) and [`argocd`] (Argo
//!   CD's build environment for `tusk build` as a config-management plugin).
//!
//! Errors are typed and `#[non_exhaustive]`: [`RenderError`],
//! [`BuildError`], [`source::SourceError`], [`krm::KrmError`].
//!
//! ```no_run
//! use tusk::{HelmRenderer, RenderRequest, Renderer};
//! let req = RenderRequest::new("mastodon", "fixtures/charts/mastodon-classic");
//! let out = HelmRenderer::locate(None).unwrap().render(&req).unwrap();
//! print!("{}", out.to_stream());
//! ```

#![deny(missing_docs)]

pub mod argocd;
pub mod build;
mod helm;
pub mod input;
pub mod krm;
mod manifest;
mod native;
pub mod overlays;
pub mod postrender;
pub mod project;
mod request;
pub mod source;
pub mod validate;
pub mod values;

pub use build::{BuildError, BuildOptions, BuildOutput, Destination, build};
pub use helm::HelmRenderer;
pub use manifest::{Manifest, Rendered};
pub use native::NativeRenderer;
pub use project::Project;
pub use request::{HelmCompat, Limits, RenderRequest, SetArg, SetKind};
pub use tusk_overlay;
pub use validate::{ValidateOptions, validate, validate_stream};

/// Why rendering failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The renderer reported an error in helm's words (printed after `Error: `).
    #[error("{0}")]
    Failed(String),
    /// The helm backend's binary failed; its standard error is kept verbatim
    /// (it already carries helm's `Error: ` prefix and any warnings).
    #[error("{}", stderr.trim_end())]
    Helm {
        /// helm's standard error, verbatim.
        stderr: String,
        /// helm's exit code.
        code: i32,
    },
    /// The helm binary could not be found or started.
    #[error("cannot run helm ({path}): {source}")]
    HelmNotRunnable {
        /// The binary tried.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A feature the native renderer does not have yet.
    #[error("the native renderer does not implement {0} yet; use --renderer helm")]
    NotImplemented(String),
}

/// Something that renders a chart the way `helm template` does.
pub trait Renderer {
    /// Renders the chart named in `req`.
    fn render(&self, req: &RenderRequest) -> Result<Rendered, RenderError>;
}
