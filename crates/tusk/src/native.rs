//! The native backend: tusk's own Rust renderer.

use crate::{RenderError, RenderRequest, Rendered, Renderer};

/// Renders with tusk's own template engine, without a helm binary.
#[derive(Debug, Clone, Default)]
pub struct NativeRenderer {}

impl NativeRenderer {
    /// A native renderer with default settings.
    pub fn new() -> Self {
        NativeRenderer {}
    }
}

impl Renderer for NativeRenderer {
    fn render(&self, _req: &RenderRequest) -> Result<Rendered, RenderError> {
        Err(RenderError::NotImplemented("chart rendering".into()))
    }
}
