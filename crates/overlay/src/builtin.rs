//! The overlays shipped inside the binary (`overlays/*.yaml` in the
//! repository).

/// Name and text of every built-in overlay.
const BUILTINS: &[(&str, &str)] = &[
    ("env", include_str!("../../../overlays/env.yaml")),
    ("image", include_str!("../../../overlays/image.yaml")),
    ("otel", include_str!("../../../overlays/otel.yaml")),
];

/// The text of a built-in overlay.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Names of the built-in overlays, sorted.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|(n, _)| *n).collect()
}
