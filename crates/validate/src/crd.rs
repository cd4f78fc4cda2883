//! Custom resources: schemas from CustomResourceDefinitions in the input, and
//! tusk's own schemas (in `schemas/`) for the kinds tusk's overlays emit.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::document::parse_yaml;
use crate::kube::Gvk;

/// tusk's own CRDs, embedded.
const OWN: &[&str] = &[
    include_str!("../schemas/keda.yaml"),
    include_str!("../schemas/opentelemetry.yaml"),
    include_str!("../schemas/prometheus-operator.yaml"),
];

/// Schemas by group/version/kind.
#[derive(Debug, Default, Clone)]
pub(crate) struct CrdSet {
    schemas: HashMap<Gvk, Value>,
}

impl CrdSet {
    /// Adds every served version of a `CustomResourceDefinition` object.
    /// Returns false when the object is not a usable apiextensions.k8s.io/v1 CRD.
    pub fn add_crd(&mut self, crd: &Value) -> bool {
        if crd["apiVersion"] != "apiextensions.k8s.io/v1"
            || crd["kind"] != "CustomResourceDefinition"
        {
            return false;
        }
        let spec = &crd["spec"];
        let (Some(group), Some(kind)) = (spec["group"].as_str(), spec["names"]["kind"].as_str())
        else {
            return false;
        };
        let Some(versions) = spec["versions"].as_array() else {
            return false;
        };
        for v in versions {
            let Some(name) = v["name"].as_str() else {
                continue;
            };
            // A version without a schema accepts anything.
            let schema = v["schema"]["openAPIV3Schema"].clone();
            let schema = if schema.is_object() {
                schema
            } else {
                serde_json::json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true})
            };
            self.schemas.insert(
                (group.to_string(), name.to_string(), kind.to_string()),
                schema,
            );
        }
        true
    }

    pub fn get(&self, gvk: &Gvk) -> Option<&Value> {
        self.schemas.get(gvk)
    }

    /// Whether some version of this group/kind is known.
    pub fn knows_kind(&self, group: &str, kind: &str) -> Vec<String> {
        let mut v: Vec<String> = self
            .schemas
            .keys()
            .filter(|(g, _, k)| g == group && k == kind)
            .map(|(g, v, _)| format!("{g}/{v}"))
            .collect();
        v.sort();
        v
    }
}

/// tusk's own schemas (KEDA, OTel operator, prometheus-operator).
pub(crate) fn own() -> &'static CrdSet {
    static OWN_SET: OnceLock<CrdSet> = OnceLock::new();
    OWN_SET.get_or_init(|| {
        let mut set = CrdSet::default();
        for text in OWN {
            // Embedded and tested (see below): a failure here is a build bug.
            let list = parse_yaml(text)
                .expect("embedded CRD list parses")
                .expect("non-empty");
            for crd in list["items"].as_array().expect("a v1 List") {
                assert!(set.add_crd(crd), "embedded CRD is apiextensions.k8s.io/v1");
            }
        }
        set
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_schemas_cover_overlay_kinds() {
        let own = own();
        for (g, v, k) in [
            ("keda.sh", "v1alpha1", "ScaledObject"),
            ("keda.sh", "v1alpha1", "TriggerAuthentication"),
            ("keda.sh", "v1alpha1", "ClusterTriggerAuthentication"),
            ("opentelemetry.io", "v1alpha1", "Instrumentation"),
            ("monitoring.coreos.com", "v1", "ServiceMonitor"),
            ("monitoring.coreos.com", "v1", "PodMonitor"),
        ] {
            let s = own
                .get(&(g.into(), v.into(), k.into()))
                .unwrap_or_else(|| panic!("{k}"));
            assert!(s["properties"]["spec"]["properties"].is_object(), "{k}");
        }
    }
}
