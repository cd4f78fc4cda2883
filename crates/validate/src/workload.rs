//! A view of the workloads in the input: pod templates, containers, and where
//! each container's environment variables come from (plain values, ConfigMaps
//! and Secrets found in the input, or sources outside it).

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostic::push_pointer;

/// A parsed input document, as the cross-document rules see it.
pub(crate) struct Doc<'a> {
    pub index: usize,
    pub value: &'a Value,
}

impl<'a> Doc<'a> {
    pub fn kind(&self) -> &'a str {
        self.value["kind"].as_str().unwrap_or("")
    }
    pub fn api_version(&self) -> &'a str {
        self.value["apiVersion"].as_str().unwrap_or("")
    }
    pub fn name(&self) -> &'a str {
        self.value["metadata"]["name"].as_str().unwrap_or("")
    }
    pub fn namespace(&self) -> Option<&'a str> {
        self.value["metadata"]["namespace"].as_str()
    }
}

/// Mastodon's processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Component {
    Web,
    Sidekiq,
    Streaming,
    /// A Mastodon image running something else (migrations, tootctl jobs).
    Other,
}

impl Component {
    pub fn name(self) -> &'static str {
        match self {
            Component::Web => "web",
            Component::Sidekiq => "sidekiq",
            Component::Streaming => "streaming",
            Component::Other => "job",
        }
    }
    /// The Ruby processes (the OTel operator cannot instrument them).
    pub fn is_ruby(self) -> bool {
        matches!(self, Component::Web | Component::Sidekiq)
    }
}

/// One container of a workload.
pub(crate) struct Container<'a> {
    pub doc: usize,
    /// JSON pointer of the container within its document.
    pub ptr: String,
    pub value: &'a Value,
    /// Set for Mastodon containers.
    pub component: Option<Component>,
}

impl Container<'_> {
    pub fn name(&self) -> &str {
        self.value["name"].as_str().unwrap_or("")
    }
    pub fn image(&self) -> &str {
        self.value["image"].as_str().unwrap_or("")
    }
    /// `command` then `args`, as one list of words.
    pub fn argv(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for k in ["command", "args"] {
            if let Some(a) = self.value[k].as_array() {
                out.extend(a.iter().filter_map(Value::as_str));
            }
        }
        out
    }
}

/// A workload: something with a pod template.
pub(crate) struct Workload<'a> {
    pub doc: usize,
    pub value: &'a Value,
    pub containers: Vec<Container<'a>>,
}

impl<'a> Workload<'a> {
    pub fn kind(&self) -> &str {
        self.value["kind"].as_str().unwrap_or("")
    }
    pub fn name(&self) -> &str {
        self.value["metadata"]["name"].as_str().unwrap_or("")
    }
    pub fn namespace(&self) -> Option<&'a str> {
        self.value["metadata"]["namespace"].as_str()
    }
    pub fn display(&self) -> String {
        format!("{}/{}", self.kind(), self.name())
    }
}

pub(crate) fn pod_spec_ptr(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => "/spec/template/spec",
        "CronJob" => "/spec/jobTemplate/spec/template/spec",
        "Pod" => "/spec",
        _ => return None,
    })
}

fn pod_labels<'a>(w: &'a Value, spec_ptr: &str) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    let tmpl_meta = spec_ptr
        .strip_suffix("/spec")
        .map(|p| format!("{p}/metadata/labels"));
    for p in ["/metadata/labels".to_string()]
        .into_iter()
        .chain(tmpl_meta)
    {
        if let Some(m) = w.pointer(&p).and_then(Value::as_object) {
            out.extend(
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.as_str(), v))),
            );
        }
    }
    out
}

fn is_mastodon_image(image: &str) -> bool {
    let repo = image.split('@').next().unwrap_or(image);
    let repo = match repo.rfind(':') {
        Some(i) if !repo[i..].contains('/') => &repo[..i],
        _ => repo,
    };
    let last = repo.rsplit('/').next().unwrap_or(repo);
    matches!(last, "mastodon" | "mastodon-streaming")
        || repo.ends_with("/glitch-soc")
        || repo.contains("mastodon/mastodon")
}

/// Decides whether a container runs Mastodon and which part of it, from the
/// command line first, then the image, labels and container name — so both
/// mastodon/chart and mastodon/helm-charts (and hand-written manifests) match.
fn classify(c: &Value, labels: &[(&str, &str)]) -> Option<Component> {
    let image = c["image"].as_str().unwrap_or("");
    let name = c["name"].as_str().unwrap_or("");
    let label = |k: &str| {
        labels
            .iter()
            .rev()
            .find(|(lk, _)| *lk == k)
            .map(|(_, v)| *v)
    };
    let by_image = is_mastodon_image(image);
    let by_label = label("app.kubernetes.io/name") == Some("mastodon");
    if !by_image && !by_label {
        return None;
    }
    let argv: Vec<&str> = ["command", "args"]
        .iter()
        .filter_map(|k| c[*k].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let line = argv.join(" ");
    let has_word = |w: &str| {
        line.split(|ch: char| ch.is_whitespace() || ch == '/')
            .any(|x| x == w)
    };
    if has_word("sidekiq") {
        return Some(Component::Sidekiq);
    }
    if has_word("puma") || line.contains("rails s") || line.contains("rails server") {
        return Some(Component::Web);
    }
    if line.contains("streaming") {
        return Some(Component::Streaming);
    }
    if !argv.is_empty() {
        // Some other command (db:migrate, tootctl): a Mastodon job.
        return by_image.then_some(Component::Other);
    }
    if image.contains("mastodon-streaming") {
        return Some(Component::Streaming);
    }
    let from_word = |w: &str| -> Option<Component> {
        if w.starts_with("sidekiq") || w.ends_with("-sidekiq") || w.contains("-sidekiq-") {
            Some(Component::Sidekiq)
        } else if w == "web" || w.ends_with("-web") {
            Some(Component::Web)
        } else if w.starts_with("streaming") || w.ends_with("-streaming") {
            Some(Component::Streaming)
        } else {
            None
        }
    };
    label("app.kubernetes.io/component")
        .and_then(from_word)
        .or_else(|| from_word(name))
        .or(by_image.then_some(Component::Other))
}

/// Every workload in the input with its containers (init containers too).
pub(crate) fn workloads<'a>(docs: &[Doc<'a>]) -> Vec<Workload<'a>> {
    let mut out = Vec::new();
    for d in docs {
        let Some(spec_ptr) = pod_spec_ptr(d.kind()) else {
            continue;
        };
        let Some(spec) = d.value.pointer(spec_ptr) else {
            continue;
        };
        let labels = pod_labels(d.value, spec_ptr);
        let mut containers = Vec::new();
        for key in ["initContainers", "containers"] {
            let Some(list) = spec[key].as_array() else {
                continue;
            };
            for (i, c) in list.iter().enumerate() {
                containers.push(Container {
                    doc: d.index,
                    ptr: format!("{spec_ptr}/{key}/{i}"),
                    value: c,
                    component: if key == "containers" {
                        classify(c, &labels)
                    } else {
                        None
                    },
                });
            }
        }
        out.push(Workload {
            doc: d.index,
            value: d.value,
            containers,
        });
    }
    out
}

/// Where an environment variable's value is.
#[derive(Debug, Clone)]
pub(crate) enum EnvSource<'a> {
    /// `env[].value` in the container (None when the value is null/absent).
    Plain {
        value: Option<&'a str>,
        doc: usize,
        ptr: String,
    },
    /// A key of a ConfigMap in the input.
    ConfigMap {
        value: Option<&'a str>,
        doc: usize,
        ptr: String,
        name: String,
    },
    /// A key of a Secret in the input (`present`: key exists and is non-empty).
    Secret { present: bool },
    /// A Secret or ConfigMap not in the input, or a fieldRef: value unknown.
    Outside,
}

/// ConfigMaps and Secrets of the input, by (namespace, name).
pub(crate) struct Stores<'a> {
    config_maps: HashMap<(Option<&'a str>, &'a str), (usize, &'a Value)>,
    secrets: HashMap<(Option<&'a str>, &'a str), &'a Value>,
}

impl<'a> Stores<'a> {
    pub fn new(docs: &[Doc<'a>]) -> Self {
        let mut config_maps = HashMap::new();
        let mut secrets = HashMap::new();
        for d in docs {
            if d.api_version() != "v1" {
                continue;
            }
            match d.kind() {
                "ConfigMap" => {
                    config_maps.insert((d.namespace(), d.name()), (d.index, d.value));
                }
                "Secret" => {
                    secrets.insert((d.namespace(), d.name()), d.value);
                }
                _ => {}
            }
        }
        Stores {
            config_maps,
            secrets,
        }
    }

    fn config_map(&self, ns: Option<&'a str>, name: &str) -> Option<(usize, &'a Value)> {
        self.config_maps.get(&(ns, name)).copied()
    }

    fn secret_has(&self, ns: Option<&'a str>, name: &str, key: &str) -> Option<bool> {
        let s = self.secrets.get(&(ns, name))?;
        let non_empty = |v: &Value| v.as_str().is_some_and(|s| !s.is_empty());
        Some(non_empty(&s["data"][key]) || non_empty(&s["stringData"][key]))
    }

    fn secret_keys(&self, ns: Option<&'a str>, name: &str) -> Option<Vec<(&'a str, bool)>> {
        let s = self.secrets.get(&(ns, name))?;
        let mut out = Vec::new();
        for k in ["data", "stringData"] {
            if let Some(m) = s[k].as_object() {
                out.extend(
                    m.iter()
                        .map(|(k, v)| (k.as_str(), v.as_str().is_some_and(|s| !s.is_empty()))),
                );
            }
        }
        Some(out)
    }
}

/// A container's environment: each variable's winning source, plus whether
/// the set is complete (no envFrom source outside the input).
pub(crate) struct Env<'a> {
    pub vars: Vec<(String, EnvSource<'a>)>,
    pub complete: bool,
}

impl<'a> Env<'a> {
    pub fn get(&self, name: &str) -> Option<&EnvSource<'a>> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }
}

/// Resolves a container's environment the way the kubelet does: `envFrom`
/// in order, then `env` entries overriding them.
pub(crate) fn environment<'a>(
    c: &Container<'a>,
    ns: Option<&'a str>,
    stores: &Stores<'a>,
) -> Env<'a> {
    let mut vars: Vec<(String, EnvSource<'a>)> = Vec::new();
    let mut complete = true;
    if let Some(list) = c.value["envFrom"].as_array() {
        for ef in list {
            let prefix = ef["prefix"].as_str().unwrap_or("");
            if let Some(name) = ef["configMapRef"]["name"].as_str() {
                match stores.config_map(ns, name) {
                    Some((doc, cm)) => {
                        if let Some(data) = cm["data"].as_object() {
                            for (k, v) in data {
                                vars.push((
                                    format!("{prefix}{k}"),
                                    EnvSource::ConfigMap {
                                        value: v.as_str(),
                                        doc,
                                        ptr: push_pointer("/data", k),
                                        name: name.to_string(),
                                    },
                                ));
                            }
                        }
                    }
                    None => complete = false,
                }
            } else if let Some(name) = ef["secretRef"]["name"].as_str() {
                match stores.secret_keys(ns, name) {
                    Some(keys) => {
                        for (k, present) in keys {
                            vars.push((format!("{prefix}{k}"), EnvSource::Secret { present }));
                        }
                    }
                    None => complete = false,
                }
            }
        }
    }
    if let Some(list) = c.value["env"].as_array() {
        for (i, e) in list.iter().enumerate() {
            let Some(name) = e["name"].as_str() else {
                continue;
            };
            let ptr = format!("{}/env/{i}", c.ptr);
            let vf = &e["valueFrom"];
            let src = if let Some(r) = vf.get("secretKeyRef").filter(|r| r.is_object()) {
                match (r["name"].as_str(), r["key"].as_str()) {
                    (Some(n), Some(k)) => match stores.secret_has(ns, n, k) {
                        Some(present) => EnvSource::Secret { present },
                        None => EnvSource::Outside,
                    },
                    _ => EnvSource::Outside,
                }
            } else if let Some(r) = vf.get("configMapKeyRef").filter(|r| r.is_object()) {
                match (r["name"].as_str(), r["key"].as_str()) {
                    (Some(n), Some(k)) => match stores.config_map(ns, n) {
                        Some((doc, cm)) => EnvSource::ConfigMap {
                            value: cm["data"][k].as_str(),
                            doc,
                            ptr: push_pointer("/data", k),
                            name: n.to_string(),
                        },
                        None => EnvSource::Outside,
                    },
                    _ => EnvSource::Outside,
                }
            } else if vf.is_object() {
                EnvSource::Outside
            } else {
                EnvSource::Plain {
                    value: e["value"].as_str(),
                    doc: c.doc,
                    ptr,
                }
            };
            vars.push((name.to_string(), src));
        }
    }
    Env { vars, complete }
}
