//! `.Capabilities`: the Kubernetes version, API versions and helm version
//! that `helm template` pretends (helm's `chartutil.Capabilities`).

use std::sync::Arc;

use tusk_chart::HelmCompat;
use tusk_template::{FuncError, Map, Object, Value};

/// helm 3.17.2's default Kubernetes version.
pub const DEFAULT_KUBE_VERSION: &str = "v1.32.0";

/// helm 3.17.2's built-in API versions, in its order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1alpha1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1alpha1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// helm 4.1.4's default Kubernetes version.
pub const DEFAULT_KUBE_VERSION_V4: &str = "v1.35.0";

/// helm 4.1.4's built-in API versions, in its order: helm 3.17.2's without
/// `networking.k8s.io/v1alpha1`, with `resource.k8s.io/v1` and `v1beta2`,
/// and `storagemigration.k8s.io/v1beta1` for `v1alpha1`.
pub const DEFAULT_API_VERSIONS_V4: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// helm 4.1.4's build information (`helm version`).
const HELM4_VERSION: &str = "v4.1.4";
const HELM4_GIT_COMMIT: &str = "05fa37973dc9e42b76e1d2883494c87174b6074f";
const HELM4_GO_VERSION: &str = "go1.25.9";
const HELM4_KUBE_CLIENT_VERSION: &str = "v1.35";

/// helm's build information for v3.17.2.
pub const HELM_VERSION: &str = "v3.17.2";
const HELM_GIT_COMMIT: &str = "cc0bbbd6d6276b83880042c1ecb34087e84d41eb";
const HELM_GIT_TREE_STATE: &str = "clean";
const HELM_GO_VERSION: &str = "go1.23.7";

/// `.Capabilities.KubeVersion`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeVersion {
    /// `v1.32.0`
    pub version: String,
    /// `1`
    pub major: String,
    /// `32`
    pub minor: String,
}

impl KubeVersion {
    /// helm's `ParseKubeVersion` (lenient semver, `v` added). The error is
    /// what helm prints for `--kube-version`.
    pub fn parse(s: &str) -> Result<KubeVersion, String> {
        let v = tusk_chart::semver::Version::parse(s)
            .map_err(|_| format!("invalid kube version '{s}': Invalid Semantic Version"))?;
        let pre = if v.prerelease().is_empty() {
            String::new()
        } else {
            format!("-{}", v.prerelease())
        };
        let meta = s
            .split_once('+')
            .map(|(_, m)| format!("+{m}"))
            .unwrap_or_default();
        Ok(KubeVersion {
            version: format!("v{}.{}.{}{pre}{meta}", v.major(), v.minor(), v.patch()),
            major: v.major().to_string(),
            minor: v.minor().to_string(),
        })
    }
}

impl KubeVersion {
    /// [`KubeVersion::parse`] with the error text of the given helm.
    pub fn parse_for(s: &str, compat: HelmCompat) -> Result<KubeVersion, String> {
        KubeVersion::parse(s).map_err(|e| match compat {
            HelmCompat::V4 => format!(
                "invalid kube version '{s}': could not parse {} as version",
                tusk_chart::strvals::go_quote(s)
            ),
            _ => e,
        })
    }

    /// The Kubernetes version the given helm assumes without `--kube-version`.
    pub fn default_for(compat: HelmCompat) -> KubeVersion {
        match compat {
            HelmCompat::V4 => KubeVersion {
                version: DEFAULT_KUBE_VERSION_V4.into(),
                major: "1".into(),
                minor: "35".into(),
            },
            _ => KubeVersion::default(),
        }
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion {
            version: DEFAULT_KUBE_VERSION.into(),
            major: "1".into(),
            minor: "32".into(),
        }
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        // A struct field of *Capabilities, not a pointer.
        "chartutil.KubeVersion"
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "Version" | "String" | "GitVersion" => Value::from(self.version.as_str()),
            "Major" => Value::from(self.major.as_str()),
            "Minor" => Value::from(self.minor.as_str()),
            _ => return None,
        })
    }
    /// `*KubeVersion` has `String()`; helm's field is addressable, so
    /// `{{ .Capabilities.KubeVersion }}` prints the version.
    fn stringer(&self) -> Option<String> {
        Some(self.version.clone())
    }
    fn to_value(&self) -> Value {
        let m = Map::new();
        m.insert("Version", Value::from(self.version.as_str()));
        m.insert("Major", Value::from(self.major.as_str()));
        m.insert("Minor", Value::from(self.minor.as_str()));
        Value::Map(m)
    }
}

/// `.Capabilities.APIVersions` (helm's `VersionSet`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSet(pub Vec<String>);

impl Object for VersionSet {
    fn type_name(&self) -> &str {
        "chartutil.VersionSet"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        if name != "Has" {
            return None;
        }
        Some(match args {
            [Value::String(s)] => Ok(Value::Bool(self.0.iter().any(|v| v == s.as_ref()))),
            [_] => Err(FuncError::BadArgs(
                "wrong type for value; expected string".into(),
            )),
            _ => Err(FuncError::BadArgs(format!(
                "wrong number of args for Has: want 1 got {}",
                args.len()
            ))),
        })
    }
    fn to_value(&self) -> Value {
        Value::list(self.0.iter().map(|s| Value::from(s.as_str())).collect())
    }
    /// `VersionSet` is a `[]string`.
    fn collection(&self) -> Option<Value> {
        Some(self.to_value())
    }
}

/// `.Capabilities.HelmVersion` of the helm being reproduced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmVersion(pub HelmCompat);

impl Object for HelmVersion {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }
    fn field(&self, name: &str) -> Option<Value> {
        if self.0.is_v4() {
            return Some(Value::from(match name {
                "Version" => HELM4_VERSION,
                "GitCommit" => HELM4_GIT_COMMIT,
                "GitTreeState" => HELM_GIT_TREE_STATE,
                "GoVersion" => HELM4_GO_VERSION,
                "KubeClientVersion" => HELM4_KUBE_CLIENT_VERSION,
                _ => return None,
            }));
        }
        Some(Value::from(match name {
            "Version" => HELM_VERSION,
            "GitCommit" => HELM_GIT_COMMIT,
            "GitTreeState" => HELM_GIT_TREE_STATE,
            "GoVersion" => HELM_GO_VERSION,
            _ => return None,
        }))
    }
    fn to_value(&self) -> Value {
        let m = Map::new();
        if self.0.is_v4() {
            m.insert("version", Value::from(HELM4_VERSION));
            m.insert("git_commit", Value::from(HELM4_GIT_COMMIT));
            m.insert("git_tree_state", Value::from(HELM_GIT_TREE_STATE));
            m.insert("go_version", Value::from(HELM4_GO_VERSION));
            m.insert(
                "kube_client_version",
                Value::from(HELM4_KUBE_CLIENT_VERSION),
            );
            return Value::Map(m);
        }
        m.insert("version", Value::from(HELM_VERSION));
        m.insert("git_commit", Value::from(HELM_GIT_COMMIT));
        m.insert("git_tree_state", Value::from(HELM_GIT_TREE_STATE));
        m.insert("go_version", Value::from(HELM_GO_VERSION));
        Value::Map(m)
    }
}

/// `.Capabilities`.
#[derive(Debug, Clone)]
pub struct Capabilities {
    /// Kubernetes version.
    pub kube_version: Arc<KubeVersion>,
    /// API versions: helm's defaults, then `--api-versions`.
    pub api_versions: Arc<VersionSet>,
    /// The helm whose `.Capabilities.HelmVersion` templates see.
    pub helm: HelmCompat,
}

impl Capabilities {
    /// helm's defaults plus the given overrides.
    pub fn new(kube_version: Option<KubeVersion>, extra_apis: &[String]) -> Capabilities {
        Capabilities::for_compat(kube_version, extra_apis, HelmCompat::V3)
    }

    /// The given helm's defaults plus the given overrides.
    pub fn for_compat(
        kube_version: Option<KubeVersion>,
        extra_apis: &[String],
        compat: HelmCompat,
    ) -> Capabilities {
        let defaults = match compat {
            HelmCompat::V4 => DEFAULT_API_VERSIONS_V4,
            _ => DEFAULT_API_VERSIONS,
        };
        let mut apis: Vec<String> = defaults.iter().map(|s| s.to_string()).collect();
        apis.extend(extra_apis.iter().cloned());
        Capabilities {
            kube_version: Arc::new(
                kube_version.unwrap_or_else(|| KubeVersion::default_for(compat)),
            ),
            api_versions: Arc::new(VersionSet(apis)),
            helm: compat,
        }
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "*chartutil.Capabilities"
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "KubeVersion" => Value::Object(self.kube_version.clone()),
            "APIVersions" => Value::Object(self.api_versions.clone()),
            "HelmVersion" => Value::Object(Arc::new(HelmVersion(self.helm))),
            _ => return None,
        })
    }
    fn to_value(&self) -> Value {
        let m = Map::new();
        m.insert("KubeVersion", self.kube_version.to_value());
        m.insert("APIVersions", self.api_versions.to_value());
        m.insert("HelmVersion", HelmVersion(self.helm).to_value());
        Value::Map(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_version_parse() {
        let k = KubeVersion::parse("1.29").unwrap();
        assert_eq!(k.version, "v1.29.0");
        assert_eq!(k.minor, "29");
        assert!(KubeVersion::parse("abc").is_err());
    }

    #[test]
    fn has() {
        let c = Capabilities::new(None, &["x/v1".into()]);
        let r = c
            .api_versions
            .call_method("Has", &[Value::from("x/v1")])
            .unwrap()
            .unwrap();
        assert!(matches!(r, Value::Bool(true)));
        assert_eq!(c.api_versions.0.len(), DEFAULT_API_VERSIONS.len() + 1);
    }
}
