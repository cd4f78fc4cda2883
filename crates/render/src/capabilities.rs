//! `.Capabilities`: the Kubernetes version, API versions and helm version
//! that `helm template` pretends (helm's `chartutil.Capabilities`).

use std::sync::Arc;

use tusk_chart::HelmCompat;
use tusk_template::{FuncError, JsonForm, Map, Object, Value};

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
    /// helm 4's unexported `normalizedVersion` (numeric components only),
    /// which its `String()` returns and `kubeVersion` ranges are checked
    /// against; `None` for helm 3.
    pub normalized: Option<String>,
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
            normalized: None,
        })
    }

    /// helm 4's `ParseKubeVersion`: Kubernetes' generic version parser
    /// (`v?N.N[.N...]`, anything after the numbers ignored), the input kept
    /// as the version with a `v` added, the numbers alone as the
    /// normalized version.
    pub fn parse_v4(s: &str) -> Result<KubeVersion, String> {
        let fail = |why: String| format!("invalid kube version '{s}': {why}");
        let quoted = tusk_chart::strvals::go_quote(s);
        let rest = s.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let rest = rest.strip_prefix('v').unwrap_or(rest);
        let digits_end = |t: &str| t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        // The numbers: digit runs separated by single dots.
        let mut end = digits_end(rest);
        if end == 0 {
            return Err(fail(format!("could not parse {quoted} as version")));
        }
        while rest[end..].starts_with('.') && digits_end(&rest[end + 1..]) > 0 {
            end += 1 + digits_end(&rest[end + 1..]);
        }
        let components: Vec<&str> = rest[..end].split('.').collect();
        if components.len() < 2 {
            return Err(fail(format!("illegal version string {quoted}")));
        }
        let mut numbers = Vec::with_capacity(components.len());
        for (i, c) in components.iter().enumerate() {
            if i == 0 && c.starts_with('0') && *c != "0" {
                return Err(fail(format!(
                    "illegal zero-prefixed version component {} in {quoted}",
                    tusk_chart::strvals::go_quote(c)
                )));
            }
            let n: u64 = c.parse().map_err(|_| {
                fail(format!(
                    "illegal non-numeric version component {} in {quoted}: strconv.ParseUint: parsing {}: value out of range",
                    tusk_chart::strvals::go_quote(c),
                    tusk_chart::strvals::go_quote(c)
                ))
            })?;
            numbers.push(n.to_string());
        }
        Ok(KubeVersion {
            version: if s.starts_with('v') {
                s.to_string()
            } else {
                format!("v{s}")
            },
            major: numbers[0].clone(),
            minor: numbers[1].clone(),
            normalized: Some(format!("v{}", numbers.join("."))),
        })
    }

    /// What helm's `String()` returns: the version `kubeVersion` ranges are
    /// checked against.
    pub fn constraint_version(&self) -> &str {
        self.normalized.as_deref().unwrap_or(&self.version)
    }
}

impl KubeVersion {
    /// [`KubeVersion::parse`] with the error text of the given helm.
    pub fn parse_for(s: &str, compat: HelmCompat) -> Result<KubeVersion, String> {
        match compat {
            HelmCompat::V4 => KubeVersion::parse_v4(s),
            _ => KubeVersion::parse(s),
        }
    }

    /// The Kubernetes version the given helm assumes without `--kube-version`.
    pub fn default_for(compat: HelmCompat) -> KubeVersion {
        match compat {
            HelmCompat::V4 => KubeVersion {
                version: DEFAULT_KUBE_VERSION_V4.into(),
                major: "1".into(),
                minor: "35".into(),
                normalized: Some(DEFAULT_KUBE_VERSION_V4.into()),
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
            normalized: None,
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
            "Version" | "GitVersion" => Value::from(self.version.as_str()),
            "String" => Value::from(self.constraint_version()),
            "Major" => Value::from(self.major.as_str()),
            "Minor" => Value::from(self.minor.as_str()),
            _ => return None,
        })
    }
    /// `*KubeVersion` has `String()`; helm's field is addressable, so
    /// `{{ .Capabilities.KubeVersion }}` prints the version.
    fn stringer(&self) -> Option<String> {
        Some(self.constraint_version().to_string())
    }
    fn stringer_needs_address(&self) -> bool {
        true
    }
    fn to_value(&self) -> Value {
        let m = Map::new();
        m.insert("Version", Value::from(self.version.as_str()));
        m.insert("Major", Value::from(self.major.as_str()));
        m.insert("Minor", Value::from(self.minor.as_str()));
        Value::Map(m)
    }
    fn collection(&self) -> Option<Value> {
        None
    }
    fn struct_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        let mut f = vec![("Version", Value::from(self.version.as_str()))];
        if let Some(n) = &self.normalized {
            f.push(("normalizedVersion", Value::from(n.as_str())));
        }
        f.push(("Major", Value::from(self.major.as_str())));
        f.push(("Minor", Value::from(self.minor.as_str())));
        Some(f)
    }
    fn json_form(&self) -> Option<JsonForm> {
        Some(JsonForm::Fields(vec![
            ("Version".into(), Value::from(self.version.as_str())),
            ("Major".into(), Value::from(self.major.as_str())),
            ("Minor".into(), Value::from(self.minor.as_str())),
        ]))
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

impl HelmVersion {
    /// `version.BuildInfo`'s fields in order: Go name, JSON name, value.
    fn fields(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        if self.0.is_v4() {
            return vec![
                ("Version", "version", HELM4_VERSION),
                ("GitCommit", "git_commit", HELM4_GIT_COMMIT),
                ("GitTreeState", "git_tree_state", HELM_GIT_TREE_STATE),
                ("GoVersion", "go_version", HELM4_GO_VERSION),
                (
                    "KubeClientVersion",
                    "kube_client_version",
                    HELM4_KUBE_CLIENT_VERSION,
                ),
            ];
        }
        vec![
            ("Version", "version", HELM_VERSION),
            ("GitCommit", "git_commit", HELM_GIT_COMMIT),
            ("GitTreeState", "git_tree_state", HELM_GIT_TREE_STATE),
            ("GoVersion", "go_version", HELM_GO_VERSION),
        ]
    }
}

impl Object for HelmVersion {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.fields()
            .into_iter()
            .find(|(go, _, _)| *go == name)
            .map(|(_, _, v)| Value::from(v))
    }
    fn to_value(&self) -> Value {
        let m = Map::new();
        for (_, json, v) in self.fields() {
            m.insert(json, Value::from(v));
        }
        Value::Map(m)
    }
    fn collection(&self) -> Option<Value> {
        None
    }
    fn struct_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        Some(
            self.fields()
                .into_iter()
                .map(|(go, _, v)| (go, Value::from(v)))
                .collect(),
        )
    }
    fn json_form(&self) -> Option<JsonForm> {
        Some(JsonForm::Fields(
            self.fields()
                .into_iter()
                .map(|(_, json, v)| (json.to_string(), Value::from(v)))
                .collect(),
        ))
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
    fn collection(&self) -> Option<Value> {
        None
    }
    fn struct_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        Some(vec![
            ("KubeVersion", Value::Object(self.kube_version.clone())),
            ("APIVersions", Value::Object(self.api_versions.clone())),
            (
                "HelmVersion",
                Value::Object(Arc::new(HelmVersion(self.helm))),
            ),
        ])
    }
    fn json_form(&self) -> Option<JsonForm> {
        Some(JsonForm::Fields(vec![
            (
                "KubeVersion".into(),
                Value::Object(self.kube_version.clone()),
            ),
            (
                "APIVersions".into(),
                Value::Object(self.api_versions.clone()),
            ),
            (
                "HelmVersion".into(),
                Value::Object(Arc::new(HelmVersion(self.helm))),
            ),
        ]))
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
