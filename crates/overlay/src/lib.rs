//! Overlays: declarative, parameterized patches applied to rendered
//! manifests, with expectations that fail loudly when a chart changes.
