//! Renders a loaded chart into manifests exactly as `helm template` does:
//! the shared template namespace, `.Release`/`.Chart`/`.Capabilities`,
//! document splitting and helm's install order. Mirrors helm's
//! `pkg/engine` and `pkg/releaseutil`.
