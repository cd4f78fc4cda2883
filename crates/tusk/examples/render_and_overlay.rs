//! Render a chart and apply built-in overlays through the library, the way
//! `tusk template --overlay image --param image.tag=…` does.
//!
//! ```sh
//! HELM_BIN=$(scripts/install-helm 3) cargo run -p tusk --example render_and_overlay -- \
//!     fixtures/charts/mastodon-classic v4.3.2
//! ```
//!
//! The helm backend renders (the native renderer is still being finished);
//! swap in `tusk::NativeRenderer::new()` once it renders your chart.

use std::path::Path;

use tusk::postrender::{Context, ManifestStream, post_render};
use tusk::tusk_overlay::{ParamInputs, RawParam};
use tusk::{HelmRenderer, RenderRequest, Rendered, Renderer};

/// Applies the built-in `image` overlay with `tag` to the containers of
/// `components` (e.g. `web,sidekiq,streaming,jobs`). Every component must
/// be found, or the overlay's expectations fail.
fn retag(
    rendered: Rendered,
    release: &str,
    tag: &str,
    components: &str,
) -> Result<Rendered, tusk::BuildError> {
    let overlay = tusk::overlays::load_overlay("image", Path::new("."))?;
    let mut params = ParamInputs::default();
    params.push("tag", RawParam::Text(tag.to_string()));
    params.push("components", RawParam::Text(components.to_string()));
    let mut ctx = Context::default();
    ctx.release = release.to_string();
    let stream = ManifestStream { rendered };
    // Fills the chart name and version from helm's `helm.sh/chart` labels.
    ctx.infer_from(&stream);
    let out = post_render(&stream, &[(overlay, params)], &ctx)?;
    // What each target matched, for the curious.
    for o in &out.applied.report.overlays {
        for t in &o.targets {
            eprintln!("{} / {}: {}", o.overlay, t.id, t.matched.join(", "));
        }
    }
    Ok(out.stream.rendered)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let chart = args.next().ok_or("usage: render_and_overlay CHART TAG")?;
    let tag = args.next().ok_or("usage: render_and_overlay CHART TAG")?;
    let mut req = RenderRequest::new("mastodon", chart);
    req.namespace = Some("mastodon".into());
    let rendered = HelmRenderer::locate(None)?.render(&req)?;
    let out = retag(rendered, &req.release, &tag, "web,sidekiq,streaming,jobs")?;
    print!("{}", out.to_stream());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in renderer: what helm renders for one web Deployment.
    struct Fixed;

    impl Renderer for Fixed {
        fn render(&self, req: &RenderRequest) -> Result<Rendered, tusk::RenderError> {
            let text = format!(
                "---\n# Source: mastodon/templates/web.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {0}-web\n  labels:\n    app.kubernetes.io/name: mastodon\n    app.kubernetes.io/instance: {0}\n    app.kubernetes.io/component: web\nspec:\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/component: web\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/mastodon/mastodon:v4.3.1\n",
                req.release
            );
            Rendered::from_stream(&text).ok_or_else(|| tusk::RenderError::Failed("bad".into()))
        }
    }

    #[test]
    fn retags_the_web_container() {
        let rendered = Fixed
            .render(&RenderRequest::new("social", "chart"))
            .unwrap();
        let err = retag(rendered.clone(), "social", "v4.3.2", "web,sidekiq").unwrap_err();
        assert!(
            err.to_string().contains("target \"sidekiq\": matched 0"),
            "{err}"
        );
        let out = retag(rendered, "social", "v4.3.2", "web").unwrap();
        let text = out.to_stream();
        assert!(
            text.contains("image: ghcr.io/mastodon/mastodon:v4.3.2"),
            "{text}"
        );
        assert!(text.starts_with("---\n# Source: mastodon/templates/web.yaml\n"));
    }
}
