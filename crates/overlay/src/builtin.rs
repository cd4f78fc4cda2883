//! The overlays shipped inside the binary (`overlays/*.yaml` in the
//! repository).

/// Name and text of every built-in overlay.
const BUILTINS: &[(&str, &str)] = &[
    ("env", include_str!("../../../overlays/env.yaml")),
    ("env-from", include_str!("../../../overlays/env-from.yaml")),
    ("image", include_str!("../../../overlays/image.yaml")),
    ("keda", include_str!("../../../overlays/keda.yaml")),
    (
        "nfs-volume",
        include_str!("../../../overlays/nfs-volume.yaml"),
    ),
    ("otel", include_str!("../../../overlays/otel.yaml")),
    (
        "otel-operator",
        include_str!("../../../overlays/otel-operator.yaml"),
    ),
    (
        "prometheus",
        include_str!("../../../overlays/prometheus.yaml"),
    ),
    (
        "zero-downtime",
        include_str!("../../../overlays/zero-downtime.yaml"),
    ),
];

/// The text of a built-in overlay.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Names of the built-in overlays, sorted.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|(n, _)| *n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_are_sorted_and_parse() {
        let names = builtin_names();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        for n in names {
            let o = crate::Overlay::parse(&format!("builtin:{n}"), builtin(n).unwrap()).unwrap();
            assert_eq!(o.name, n);
            assert!(!o.description.is_empty() && !o.docs.is_empty(), "{n}");
            for p in o.params() {
                assert!(p.spec.description.is_some(), "{n}.{}", p.name);
            }
        }
    }
}
