//! Offline validation of Kubernetes manifests before anything reaches a
//! cluster: built-in Kubernetes schemas for a chosen version, custom resources
//! against CRDs, and rules for running Mastodon. Every problem is reported at
//! once, rust-analyzer style, as a [`Report`] of [`Finding`]s — validation
//! never stops at the first.
//!
//! * Input: [`Document`]s (YAML text with an optional source path);
//!   [`split_stream`] cuts a `helm template` stream (`---` / `# Source:`) into them.
//! * [`validate`] checks them against [`Options`] (target [`KubeVersion`],
//!   optionally the chart values) and returns a [`Report`].
//! * [`format_report`] prints it as text, JSON or SARIF 2.1.0 ([`Format`]).
//! * [`rules::RULES`] is the catalog: id, severity, why, how to fix.
//!
//! How the parts fit: `yaml` reads each document as kubectl does
//! (sigs.k8s.io/yaml on go-yaml v2: YAML 1.1 scalars, lines kept); `kube`
//! holds the per-version Kubernetes definitions and the API-removal table;
//! `crd` the CRD schemas (from the input and tusk's own); `schema` validates a
//! value against either and reports every violation with a JSON pointer;
//! `workload` and `mastodon` resolve pods, containers and their environment
//! across documents for the cross-document rules; `output` prints reports.
//!
//! Kubernetes schemas come from the upstream OpenAPI definitions of each
//! minor version (see `docs/validation.md` for the data source and its cost);
//! the checks mirror what the API server would reject (`kubectl apply` with
//! strict field validation). Helm itself only validates against a live
//! cluster (`helm install --dry-run`), so there is no offline Helm original.

mod crd;
mod diagnostic;
mod document;
mod kube;
mod mastodon;
mod names;
#[cfg(test)]
mod outline;
mod output;
pub mod rules;
mod schema;
mod workload;
mod yaml;

use std::collections::HashMap;

pub use diagnostic::{Finding, ManifestRef, Report, Severity, dotted};
pub use document::{Document, split_stream};
pub use kube::KubeVersion;
pub use output::{Format, format_report};
pub use serde_json::Value;

/// Why validation could not run at all (as opposed to findings in the input).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidateError {
    /// The Kubernetes version text is not `MAJOR.MINOR[.PATCH]`.
    #[error("invalid Kubernetes version {0:?}: expected e.g. 1.32 or v1.32.0")]
    BadKubeVersion(String),
    /// tusk has no schemas for this version.
    #[error("no schemas for Kubernetes {version}: supported versions are {supported}")]
    UnsupportedKubeVersion {
        /// The version asked for.
        version: String,
        /// The supported range.
        supported: String,
    },
}

/// What to validate against.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Target Kubernetes version (default 1.32, helm 3.17's default).
    pub kube_version: KubeVersion,
    /// The chart's effective values, when known: enables value-level rules
    /// (e.g. `mastodon/otel-values-key` on the documented-but-unread key).
    pub values: Option<Value>,
}

/// Validates every document and returns all findings.
pub fn validate(docs: &[Document], opts: &Options) -> Report {
    let mut report = Report::default();
    let mut parsed: Vec<(usize, Value)> = Vec::new();
    let mut refs: Vec<ManifestRef> = Vec::new();
    let mut per_doc: Vec<Vec<Finding>> = Vec::new();
    let mut lines: Vec<HashMap<String, usize>> = Vec::new();
    for (index, d) in docs.iter().enumerate() {
        let mut mref = ManifestRef {
            index: Some(index),
            source: d.source.clone(),
            file: d.file.clone(),
            ..Default::default()
        };
        let mut findings = Vec::new();
        let mut doc_lines = HashMap::new();
        match yaml::load(&d.text) {
            Ok(yaml::Loaded { value: None, .. }) => {}
            Ok(yaml::Loaded {
                value: Some(v),
                lines,
                duplicates,
            }) => {
                let s = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
                mref.api_version = s("/apiVersion");
                mref.kind = s("/kind");
                mref.name = s("/metadata/name");
                mref.namespace = s("/metadata/namespace");
                report.documents += 1;
                for (path, _) in duplicates {
                    let key = path
                        .rsplit('/')
                        .next()
                        .unwrap_or("")
                        .replace("~1", "/")
                        .replace("~0", "~");
                    findings.push(Finding {
                        rule: "yaml/duplicate-key",
                        severity: Severity::Error,
                        manifest: mref.clone(),
                        message: format!("key {key:?} is defined more than once in this mapping"),
                        path,
                        line: None,
                    });
                }
                doc_lines = lines;
                parsed.push((index, v));
            }
            Err(e) => {
                report.documents += 1;
                findings.push(Finding {
                    rule: "yaml/parse",
                    severity: Severity::Error,
                    manifest: mref.clone(),
                    path: String::new(),
                    message: e.message,
                    line: Some((d.line + e.line).saturating_sub(1)),
                });
            }
        }
        refs.push(mref);
        per_doc.push(findings);
        lines.push(doc_lines);
    }

    // CRDs: tusk's own, overridden by those in the input; built only when
    // a manifest is not of a built-in kind (7 M instructions to parse).
    let crds = std::cell::OnceCell::new();
    let ctx = Ctx {
        data: kube::data(),
        kv: opts.kube_version,
        crds: &|| {
            crds.get_or_init(|| {
                let mut set = crd::own().clone();
                for (_, v) in &parsed {
                    set.add_crd(v);
                }
                set
            })
        },
    };
    let mut seen: HashMap<(String, String, Option<String>, String), usize> = HashMap::new();
    for (index, v) in &parsed {
        let mref = &refs[*index];
        let out = &mut per_doc[*index];
        let mut push = |rule: &'static str, path: String, message: String| {
            out.push(Finding {
                rule,
                severity: rules::lookup(rule).severity,
                manifest: mref.clone(),
                path,
                message,
                line: None,
            });
        };
        let meta = &v["metadata"];
        if let (Some(api_version), Some(kind), Some(n)) = (
            v["apiVersion"].as_str(),
            v["kind"].as_str(),
            meta["name"].as_str(),
        ) {
            let key = (
                api_version.to_string(),
                kind.to_string(),
                meta["namespace"].as_str().map(str::to_string),
                n.to_string(),
            );
            if let Some(first) = seen.insert(key, *index) {
                push(
                    "kube/duplicate",
                    "/metadata/name".into(),
                    format!("{kind}/{n} is also defined by document #{}", first + 1),
                );
            }
        }
        let is_list = v["apiVersion"] == "v1" && v["kind"] == "List";
        if is_list {
            // kubectl applies the items of a v1 List one by one.
            match v["items"].as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if !check_resource(&ctx, item, &format!("/items/{i}"), &mut push) {
                            report.unchecked.push(mref.clone());
                        }
                    }
                }
                None if !v["items"].is_null() => push(
                    "schema/type",
                    "/items".into(),
                    format!("expected a list, found {}", schema::describe(&v["items"])),
                ),
                None => {}
            }
        } else if !check_resource(&ctx, v, "", &mut push) {
            report.unchecked.push(mref.clone());
        }
    }

    // Cross-document rules.
    let docs_view: Vec<workload::Doc<'_>> = parsed
        .iter()
        .map(|(i, v)| workload::Doc {
            index: *i,
            value: v,
        })
        .collect();
    let mut values_findings = Vec::new();
    for raw in mastodon::check(&docs_view, opts.values.as_ref()) {
        let severity = rules::lookup(raw.rule).severity;
        match raw.doc {
            Some(i) => per_doc[i].push(Finding {
                rule: raw.rule,
                severity,
                manifest: refs[i].clone(),
                path: raw.path,
                message: raw.message,
                line: None,
            }),
            None => values_findings.push(Finding {
                rule: raw.rule,
                severity,
                manifest: ManifestRef {
                    source: Some("values".into()),
                    ..Default::default()
                },
                path: raw.path,
                message: raw.message,
                line: None,
            }),
        }
    }
    for (i, findings) in per_doc.iter_mut().enumerate() {
        for f in findings.iter_mut().filter(|f| f.line.is_none()) {
            let mut p = f.path.as_str();
            f.line = loop {
                if let Some(l) = lines[i].get(p) {
                    break Some((docs[i].line + l).saturating_sub(1));
                }
                match p.rfind('/') {
                    Some(cut) => p = &p[..cut],
                    None => break None,
                }
            };
        }
    }
    report.findings = per_doc
        .into_iter()
        .flatten()
        .chain(values_findings)
        .collect();
    report
}

/// Parses chart values (YAML; the first document counts, as in helm) for
/// [`Options::values`].
pub fn parse_values(text: &str) -> Result<Value, String> {
    let first = split_stream(text, None).into_iter().next();
    match first {
        Some(d) => Ok(document::parse_yaml(&d.text)?.unwrap_or(Value::Null)),
        None => Ok(Value::Null),
    }
}

/// Splits a `helm template`-style stream and validates it.
pub fn validate_stream(text: &str, source: Option<&str>, opts: &Options) -> Report {
    validate(&split_stream(text, source), opts)
}

/// What [`check_resource`] checks against.
struct Ctx<'a> {
    data: &'static kube::KubeData,
    kv: KubeVersion,
    crds: &'a dyn Fn() -> &'a crd::CrdSet,
}

/// Checks one resource (a document, or an item of a v1 List at `prefix`).
/// Returns false when no schema is known for its kind.
fn check_resource(
    ctx: &Ctx<'_>,
    v: &Value,
    prefix: &str,
    push: &mut dyn FnMut(&'static str, String, String),
) -> bool {
    let (data, kv, crds) = (ctx.data, ctx.kv, ctx.crds);
    // Items of a List are named in the message; the finding names the List.
    let item = match (v["kind"].as_str(), v["metadata"]["name"].as_str()) {
        _ if prefix.is_empty() => String::new(),
        (Some(k), Some(n)) => format!("{k}/{n}: "),
        (Some(k), None) => format!("{k}: "),
        _ => format!("item {prefix}: "),
    };
    let mut push = |rule: &'static str, path: String, message: String| {
        push(rule, format!("{prefix}{path}"), format!("{item}{message}"))
    };
    let (Some(api_version), Some(kind)) = (v["apiVersion"].as_str(), v["kind"].as_str()) else {
        if !v.is_object() {
            push(
                "kube/missing-type",
                String::new(),
                format!(
                    "a manifest must be a mapping, found {}",
                    schema::describe(v)
                ),
            );
            return true;
        }
        for k in ["apiVersion", "kind"] {
            if !v[k].is_string() {
                push(
                    "kube/missing-type",
                    format!("/{k}"),
                    format!("missing or non-string {k:?}"),
                );
            }
        }
        return true;
    };
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let gvk = (group.to_string(), version.to_string(), kind.to_string());
    for viol in names::check(kind, v) {
        push(viol.rule, viol.path, viol.message);
    }
    let meta = &v["metadata"];
    let name = meta["name"].as_str();
    if name.is_none() && meta["generateName"].as_str().is_none() && !kind.ends_with("List") {
        push(
            "kube/missing-name",
            "/metadata/name".into(),
            "missing metadata.name".into(),
        );
    }
    if let Some(schema) = data.resource(kv, &gvk) {
        if let Some(r) = kube::removal(api_version, kind) {
            if kv.minor < r.removed_in && kv.major == 1 {
                push(
                    "kube/deprecated-api",
                    "/apiVersion".into(),
                    format!(
                        "{api_version} {kind} is removed in Kubernetes 1.{}; use {}",
                        r.removed_in, r.replacement
                    ),
                );
            }
        }
        let resolve = |name: &str| data.def(kv, name);
        let mut val = schema::Validator::new(&resolve, schema::Closure::Explicit);
        val.check(schema, v, "");
        for viol in val.out {
            push(viol.rule, viol.path, viol.message);
        }
        return true;
    }
    if let Some(r) =
        kube::removal(api_version, kind).filter(|r| kv.major == 1 && kv.minor >= r.removed_in)
    {
        push(
            "kube/removed-api",
            "/apiVersion".into(),
            format!(
                "{api_version} {kind} was removed in Kubernetes 1.{} (target {kv}); use {}",
                r.removed_in, r.replacement
            ),
        );
        return true;
    }
    if let Some(schema) = crds().get(&gvk) {
        // Metadata as the API server sees it; the rest by the CRD schema.
        let resolve = |name: &str| data.def(kv, name);
        let mut val = schema::Validator::new(&resolve, schema::Closure::Explicit);
        if let Some(om) = data.def(kv, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta") {
            val.check(om, meta, "/metadata");
        }
        for viol in val.out {
            push(viol.rule, viol.path, viol.message);
        }
        let mut body = v.clone();
        if let Some(m) = body.as_object_mut() {
            m.remove("apiVersion");
            m.remove("kind");
            m.remove("metadata");
        }
        let none = |_: &str| None;
        let mut val = schema::Validator::new(&none, schema::Closure::Structural);
        val.check(schema, &body, "");
        for viol in val.out {
            if !["/apiVersion", "/kind", "/metadata"].contains(&viol.path.as_str()) {
                push(viol.rule, viol.path, viol.message);
            }
        }
        return true;
    }
    if data.is_builtin_group(group) {
        let served = data.served_in(&gvk);
        let alts = data.alternatives(kv, group, kind);
        let mut msg = if served.is_empty() {
            format!("Kubernetes {kv} has no {kind} in {api_version}")
        } else {
            let first = served[0];
            let last = served[served.len() - 1];
            if kv < first {
                format!(
                    "{api_version} {kind} is not served before Kubernetes {first} (target {kv})"
                )
            } else {
                format!(
                    "{api_version} {kind} is no longer served in Kubernetes {kv} (last served in {last})"
                )
            }
        };
        if !alts.is_empty() {
            msg.push_str(&format!("; available: {}", alts.join(", ")));
        } else if served.is_empty() {
            let kinds = data.kinds(kv, group);
            if let Some(near) = schema::nearest(kind, kinds.iter()) {
                msg.push_str(&format!(" (did you mean {near:?}?)"));
            }
        }
        push("kube/unknown-api", "/kind".into(), msg);
        return true;
    }
    let known = crds().knows_kind(group, kind);
    if !known.is_empty() {
        push(
            "kube/unknown-api",
            "/apiVersion".into(),
            format!(
                "no schema for {api_version} {kind}; its CRD serves {}",
                known.join(", ")
            ),
        );
        return true;
    }
    false
}
