//! Overlay files (parse) and turning one into a [`Plan`] for a given chart
//! and parameters (plan): resolve parameters, evaluate `when`, render the
//! body with minijinja, read targets and resources from it.

use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::params::{self, ParamInputs, ParamSpec, SecretTable};
use crate::patch::Op;
use crate::selector::{Expect, Select};
use crate::when::{ChartInfo, When};

/// A parsed overlay file: a header document (name, docs, parameters) and a
/// body document (targets and resources) that is a minijinja template.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The overlay's name.
    pub name: String,
    /// Where it came from (`builtin:otel` or a path), for messages.
    pub origin: String,
    /// One-line summary.
    pub description: String,
    /// Longer documentation (Markdown).
    pub docs: String,
    params: Vec<(String, ParamSpec)>,
    when: Option<When>,
    allow_literal_secrets: bool,
    body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Header {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    docs: String,
    #[serde(default)]
    params: Map<String, Value>,
    #[serde(default)]
    when: Option<When>,
    #[serde(default)]
    allow_literal_secrets: bool,
}

#[derive(Default)]
struct Body {
    targets: Vec<TargetSpec>,
    resources: Vec<ResourceSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TargetSpec {
    id: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    when: Option<When>,
    #[serde(default)]
    select: Select,
    #[serde(default)]
    count: Option<usize>,
    #[serde(default)]
    min: Option<usize>,
    #[serde(default)]
    max: Option<usize>,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    patches: Vec<Op>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ResourceSpec {
    id: String,
    #[serde(default)]
    when: Option<When>,
    manifest: Value,
}

/// What an overlay is planned against.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// The chart (for `when` and the template's `chart`).
    pub chart: ChartInfo,
    /// Release name (`release.name`).
    pub release: String,
    /// Release namespace (`release.namespace`; manifests without a
    /// namespace are in it).
    pub namespace: String,
    /// The chart's effective values, as far as known (`values`).
    pub values: Value,
    /// Directory that relative `file:` secrets are read from.
    pub base_dir: PathBuf,
    /// Allow literal secret values (project-wide opt-in).
    pub allow_literal_secrets: bool,
}

/// A documented parameter, for listings.
#[derive(Debug, Clone)]
pub struct ParamDoc<'a> {
    /// Name.
    pub name: &'a str,
    /// Declaration.
    pub spec: &'a ParamSpec,
}

/// One target of a plan.
#[derive(Debug, Clone)]
pub struct Target {
    /// The target's id.
    pub id: String,
    /// Its description.
    pub description: Option<String>,
    /// Which manifests.
    pub select: Select,
    /// How many.
    pub expect: Expect,
    /// What to do to them.
    pub patches: Vec<Op>,
    /// False when its `when` did not hold (then it is reported as skipped).
    pub active: bool,
}

/// A manifest an overlay adds.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The resource's id.
    pub id: String,
    /// The manifest.
    pub manifest: Value,
    /// False when its `when` did not hold.
    pub active: bool,
}

/// An overlay made concrete for one chart and parameter set.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Overlay name.
    pub overlay: String,
    /// False when the overlay's own `when` did not hold.
    pub active: bool,
    /// Targets in file order.
    pub targets: Vec<Target>,
    /// Added manifests.
    pub resources: Vec<Resource>,
    /// Release namespace.
    pub namespace: String,
    pub(crate) secrets: SecretTable,
}

fn syntax(origin: &str, what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Syntax, format!("{origin}: {what}: {e}"))
}

impl Overlay {
    /// Parses an overlay file. `origin` names it in messages.
    pub fn parse(origin: &str, text: &str) -> Result<Overlay> {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let start = usize::from(lines.first().is_some_and(|l| l.trim_end() == "---"));
        let sep = lines[start..]
            .iter()
            .position(|l| l.trim_end() == "---")
            .map(|i| i + start)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Syntax,
                    format!(
                        "{origin}: an overlay file is a header document, a `---` line, then the body"
                    ),
                )
            })?;
        let header_text: String = lines[start..sep].concat();
        let hv: Value = yaml_serde::from_str(&header_text)
            .map_err(|e| syntax(origin, "header", shift_line(&e.to_string(), start)))?;
        let header: Header = serde_json::from_value(hv).map_err(|e| syntax(origin, "header", e))?;
        let mut params = Vec::new();
        for (k, v) in header.params {
            let spec: ParamSpec = serde_json::from_value(v)
                .map_err(|e| syntax(origin, &format!("parameter {k}"), e))?;
            params.push((k, spec));
        }
        // Blank lines in front keep the body's line numbers those of the file.
        let body = "\n".repeat(sep + 1) + &lines[sep + 1..].concat();
        Ok(Overlay {
            name: header.name,
            origin: origin.to_string(),
            description: header.description,
            docs: header.docs,
            params,
            when: header.when,
            allow_literal_secrets: header.allow_literal_secrets,
            body,
        })
    }

    /// The declared parameters, in file order.
    pub fn params(&self) -> Vec<ParamDoc<'_>> {
        self.params
            .iter()
            .map(|(name, spec)| ParamDoc { name, spec })
            .collect()
    }

    /// The overlay-level condition, if any.
    pub fn when(&self) -> Option<&When> {
        self.when.as_ref()
    }

    /// Makes a plan: checks and resolves parameters, evaluates conditions,
    /// renders the body and reads it.
    pub fn plan(&self, inputs: &ParamInputs, env: &Env) -> Result<Plan> {
        let allow_literal = env.allow_literal_secrets || self.allow_literal_secrets;
        let (params, secrets) = params::resolve(
            &self.name,
            &self.params,
            inputs,
            &env.base_dir,
            allow_literal,
        )?;
        let on = |w: &Option<When>| -> Result<bool> {
            match w {
                Some(w) => w
                    .holds(&env.chart, &env.values)
                    .map_err(|e| e.overlay(&self.name)),
                None => Ok(true),
            }
        };
        let active = on(&self.when)?;
        let mut plan = Plan {
            overlay: self.name.clone(),
            active,
            targets: Vec::new(),
            resources: Vec::new(),
            namespace: env.namespace.clone(),
            secrets,
        };
        if !active {
            return Ok(plan);
        }
        let rendered = self.render(&params, env)?;
        let bv: Value = yaml_serde::from_str(&rendered).map_err(|e| {
            Error::new(
                ErrorKind::Syntax,
                format!("body: {e} (lines of the rendered body)"),
            )
            .overlay(&self.name)
        })?;
        let body = read_body(bv).map_err(|e| e.overlay(&self.name))?;
        for t in body.targets {
            let expect = if t.optional {
                Expect {
                    min: 0,
                    max: t.max.or(t.count),
                }
            } else if let Some(n) = t.count {
                Expect {
                    min: n,
                    max: Some(n),
                }
            } else {
                Expect {
                    min: t.min.unwrap_or(1),
                    max: t.max,
                }
            };
            let active = on(&t.when)?;
            plan.targets.push(Target {
                id: t.id,
                description: t.description,
                select: t.select,
                expect,
                patches: t.patches,
                active,
            });
        }
        for r in body.resources {
            if !r.manifest.is_object() {
                return Err(Error::new(
                    ErrorKind::Syntax,
                    "a resource's manifest must be a mapping",
                )
                .overlay(&self.name)
                .item(format!("resource {:?}", r.id)));
            }
            let active = on(&r.when)?;
            plan.resources.push(Resource {
                id: r.id,
                manifest: r.manifest,
                active,
            });
        }
        Ok(plan)
    }

    fn render(&self, params: &Map<String, Value>, env: &Env) -> Result<String> {
        let mut jinja = minijinja::Environment::new();
        jinja.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        jinja.set_trim_blocks(true);
        jinja.set_lstrip_blocks(true);
        jinja.set_keep_trailing_newline(true);
        // YAML-safe quoting of any value: JSON is YAML.
        jinja.add_filter(
            "yaml",
            |v: minijinja::Value| -> std::result::Result<String, minijinja::Error> {
                serde_json::to_string(&v).map_err(|e| {
                    minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
                })
            },
        );
        // `value("a.b")`: a chart value or none, without strict-undefined
        // errors for charts that lack the key.
        let values = env.values.clone();
        jinja.add_function("value", move |path: String| -> minijinja::Value {
            crate::when::lookup(&values, &path)
                .filter(|v| !v.is_null())
                .map(minijinja::Value::from_serialize)
                .unwrap_or(minijinja::Value::from(()))
        });
        // `fail("why")`: stop with a message (parameter combinations the
        // declarations cannot express).
        jinja.add_function(
            "fail",
            |msg: String| -> std::result::Result<String, minijinja::Error> {
                Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    msg,
                ))
            },
        );
        let mut ctx = params.clone();
        ctx.insert("params".into(), Value::Object(params.clone()));
        ctx.insert(
            "chart".into(),
            serde_json::json!({
                "name": env.chart.name,
                "version": env.chart.version,
                "appVersion": env.chart.app_version,
            }),
        );
        ctx.insert(
            "release".into(),
            serde_json::json!({"name": env.release, "namespace": env.namespace}),
        );
        ctx.insert("values".into(), env.values.clone());
        jinja
            .render_str(&self.body, Value::Object(ctx))
            .map_err(|e| {
                let line = e
                    .line()
                    .map(|l| format!(" at line {l}"))
                    .unwrap_or_default();
                Error::new(
                    ErrorKind::Template,
                    format!(
                        "{}{line}: {}",
                        self.origin,
                        e.detail().unwrap_or(&e.kind().to_string())
                    ),
                )
                .overlay(&self.name)
            })
    }
}

/// Reads the rendered body item by item, so errors say which target or
/// resource is wrong.
fn read_body(bv: Value) -> Result<Body> {
    let mut body = Body::default();
    let Value::Object(mut m) = bv else {
        return if bv.is_null() {
            Ok(body)
        } else {
            Err(Error::new(
                ErrorKind::Syntax,
                "body: expected a mapping with targets and resources",
            ))
        };
    };
    for (k, v) in m.iter() {
        if k != "targets" && k != "resources" {
            return Err(Error::new(
                ErrorKind::Syntax,
                format!("body: unknown field `{k}`, expected `targets` or `resources`"),
            ));
        }
        if !(v.is_array() || v.is_null()) {
            return Err(Error::new(
                ErrorKind::Syntax,
                format!("body: `{k}` must be a list"),
            ));
        }
    }
    let item_name = |v: &Value, i: usize| {
        v.get("id")
            .and_then(Value::as_str)
            .map(|id| format!("{id:?}"))
            .unwrap_or_else(|| format!("#{}", i + 1))
    };
    if let Some(Value::Array(ts)) = m.remove("targets") {
        for (i, t) in ts.into_iter().enumerate() {
            let name = item_name(&t, i);
            body.targets.push(serde_json::from_value(t).map_err(|e| {
                Error::new(ErrorKind::Syntax, e.to_string()).item(format!("target {name}"))
            })?);
        }
    }
    if let Some(Value::Array(rs)) = m.remove("resources") {
        for (i, r) in rs.into_iter().enumerate() {
            let name = item_name(&r, i);
            body.resources.push(serde_json::from_value(r).map_err(|e| {
                Error::new(ErrorKind::Syntax, e.to_string()).item(format!("resource {name}"))
            })?);
        }
    }
    Ok(body)
}

/// Adds `offset` to a `line N` in a YAML error message (the header is
/// parsed without the leading `---`).
fn shift_line(msg: &str, offset: usize) -> String {
    if offset == 0 {
        return msg.to_string();
    }
    let Some(i) = msg.find("line ") else {
        return msg.to_string();
    };
    let rest = &msg[i + 5..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    match digits.parse::<usize>() {
        Ok(n) => format!("{}line {}{}", &msg[..i], n + offset, &rest[digits.len()..]),
        Err(_) => msg.to_string(),
    }
}
