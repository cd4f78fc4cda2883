//! Applying plans to rendered manifests: select, check expectations, patch,
//! add resources, put secrets into Secret data, and re-emit only what
//! changed.

use base64::Engine as _;
use serde_json::Value;

use crate::document;
use crate::error::{Error, ErrorKind, Result};
use crate::overlay::Plan;
use crate::params::{self, SecretTable};
use crate::selector::Expect;

/// One manifest: the template it came from and its text (helm's
/// `# Source:` and document, without the trailing newline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Template path, e.g. `mastodon/templates/web.yaml`.
    pub source: String,
    /// Document text.
    pub content: String,
}

/// What one target matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetReport {
    /// Target id.
    pub id: String,
    /// `Kind/name` of every matched manifest, in output order.
    pub matched: Vec<String>,
    /// The expectation.
    pub expect: Expect,
    /// False when the target's `when` did not hold.
    pub active: bool,
    /// The expectation failure, if any (already names overlay and target).
    pub failure: Option<String>,
}

/// What one overlay did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayReport {
    /// Overlay name.
    pub overlay: String,
    /// False when the overlay's `when` did not hold.
    pub active: bool,
    /// Per target.
    pub targets: Vec<TargetReport>,
    /// `Kind/name` of each manifest it added.
    pub added: Vec<String>,
}

/// What all overlays did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Per overlay, in application order.
    pub overlays: Vec<OverlayReport>,
}

impl Report {
    /// Every expectation failure, one per line.
    pub fn failures(&self) -> Vec<&str> {
        self.overlays
            .iter()
            .flat_map(|o| o.targets.iter())
            .filter_map(|t| t.failure.as_deref())
            .collect()
    }

    /// Fails when any target matched a different number of manifests than
    /// expected; the error lists every failure.
    pub fn check(&self) -> Result<()> {
        let f = self.failures();
        if f.is_empty() {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::Expectation, f.join("\n")))
        }
    }
}

/// The manifests after overlays, with the report and what to redact.
#[derive(Debug, Clone)]
pub struct Applied {
    /// Manifests in output order (added ones after the chart's).
    pub manifests: Vec<Doc>,
    /// What matched what.
    pub report: Report,
    redact: Vec<String>,
}

impl Applied {
    /// `text` with every secret value (and every Secret data value that
    /// holds one) replaced by `<secret>`, for diffs and logs.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.redact {
            if !s.is_empty() {
                out = out.replace(s.as_str(), "<secret>");
            }
        }
        out
    }
}

struct Entry {
    source: String,
    content: String,
    value: Option<Value>,
    touched: bool,
}

fn label(v: &Value) -> String {
    format!("{}/{}", document::kind(v), document::name(v))
}

/// Applies the plans in order to the manifests.
///
/// Patch errors fail at once; expectation failures are collected in the
/// report (call [`Report::check`] to fail on them) so `tusk diff` can show
/// them side by side.
pub fn apply(docs: Vec<Doc>, plans: &[Plan]) -> Result<Applied> {
    let mut entries: Vec<Entry> = docs
        .into_iter()
        .map(|d| Entry {
            value: document::parse(&d.content),
            source: d.source,
            content: d.content,
            touched: false,
        })
        .collect();
    let mut report = Report::default();
    let mut secrets = SecretTable::default();
    for plan in plans {
        secrets.extend(&plan.secrets);
        let mut orep = OverlayReport {
            overlay: plan.overlay.clone(),
            active: plan.active,
            targets: Vec::new(),
            added: Vec::new(),
        };
        if !plan.active {
            report.overlays.push(orep);
            continue;
        }
        // Resources first, so the overlay's own targets can patch them.
        for r in plan.resources.iter().filter(|r| r.active) {
            orep.added.push(label(&r.manifest));
            entries.push(Entry {
                source: format!("tusk-overlay/{}/{}.yaml", plan.overlay, r.id),
                content: String::new(),
                value: Some(r.manifest.clone()),
                touched: true,
            });
        }
        for t in &plan.targets {
            let mut trep = TargetReport {
                id: t.id.clone(),
                matched: Vec::new(),
                expect: t.expect,
                active: t.active,
                failure: None,
            };
            if !t.active {
                orep.targets.push(trep);
                continue;
            }
            let refs = t.select.env_from_of.as_ref().map(|inner| {
                let all: Vec<&Value> = entries.iter().filter_map(|e| e.value.as_ref()).collect();
                inner.env_from_refs(&all, &plan.namespace)
            });
            let hits: Vec<usize> = entries
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.value.as_ref().is_some_and(|v| {
                        t.select.matches(v, &plan.namespace)
                            && refs.as_ref().is_none_or(|r| {
                                r.iter()
                                    .any(|(k, n)| k == document::kind(v) && n == document::name(v))
                            })
                    })
                })
                .map(|(i, _)| i)
                .collect();
            trep.matched = hits
                .iter()
                .filter_map(|i| entries[*i].value.as_ref().map(label))
                .collect();
            if !t.expect.allows(hits.len()) {
                let all: Vec<&Value> = entries.iter().filter_map(|e| e.value.as_ref()).collect();
                let n = hits.len();
                let names: Vec<String> = hits
                    .iter()
                    .filter_map(|i| entries[*i].value.as_ref())
                    .map(|v| document::name(v).to_string())
                    .collect();
                let detail = if n < t.expect.min {
                    t.select.what_chart_has(&all)
                } else {
                    format!("({})", names.join(", "))
                };
                let expected = if t.expect == (Expect { min: 1, max: None }) {
                    String::new()
                } else {
                    format!(", expected {}", t.expect.describe())
                };
                let sep = if n < t.expect.min { ";" } else { "" };
                let with = match &t.select.containers {
                    Some(c) => format!(" with a container named {}", c.items().join(" or ")),
                    None => String::new(),
                };
                trep.failure = Some(format!(
                    "overlay {}, target {:?}: matched {n} {}{with}{expected}{sep} {detail}",
                    plan.overlay,
                    t.id,
                    t.select.noun(n),
                ));
            }
            for i in hits {
                let e = &mut entries[i];
                let Some(v) = e.value.as_mut() else { continue };
                for op in &t.patches {
                    let who = label(v);
                    op.apply(v, &t.select).map_err(|m| {
                        Error::new(ErrorKind::Patch, format!("{} on {who}: {m}", op.name()))
                            .overlay(&plan.overlay)
                            .item(format!("target {:?}", t.id))
                    })?;
                }
                e.touched = true;
            }
            orep.targets.push(trep);
        }
        report.overlays.push(orep);
    }

    // Whole Secret data values holding a secret are always redacted (below);
    // bare secret values only when long enough not to garble unrelated text.
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut redact: Vec<String> = Vec::new();
    for s in secrets.values().filter(|s| s.expose().len() >= 4) {
        redact.push(s.expose().to_string());
        redact.push(b64.encode(s.expose()));
    }
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        if !e.touched {
            out.push(Doc {
                source: e.source,
                content: e.content,
            });
            continue;
        }
        let mut v = e.value.unwrap_or(Value::Null);
        if document::kind(&v) == "Secret" {
            for (field, encode) in [("data", true), ("stringData", false)] {
                let Some(m) = v.get_mut(field).and_then(Value::as_object_mut) else {
                    continue;
                };
                for val in m.values_mut() {
                    let Some(s) = val.as_str() else { continue };
                    let (plain, any) = secrets.substitute(s);
                    if any {
                        let stored = if encode {
                            b64.encode(plain.as_bytes())
                        } else {
                            plain.clone()
                        };
                        redact.push(stored.clone());
                        redact.push(plain);
                        *val = Value::String(stored);
                    }
                }
            }
        }
        let text = document::emit(&v);
        if params::has_token(&text) {
            let which = secrets.label_in(&text).unwrap_or("?.?");
            let (overlay, param) = which.split_once('.').unwrap_or((which, "?"));
            return Err(Error::new(
                ErrorKind::Secret,
                format!(
                    "would be written in plain text into {} ({}); secrets may only go into Secret data or stringData",
                    label(&v),
                    e.source
                ),
            )
            .overlay(overlay)
            .item(format!("parameter {param}")));
        }
        out.push(Doc {
            source: e.source,
            content: text,
        });
    }
    // Longest first, so a value containing another is redacted whole.
    redact.sort_by_key(|s| std::cmp::Reverse(s.len()));
    redact.dedup();
    Ok(Applied {
        manifests: out,
        report,
        redact,
    })
}
