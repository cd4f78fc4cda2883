//! The template engine glue (helm's `pkg/engine`): one shared template
//! namespace for the chart and its subcharts, helm's parse order, the
//! per-chart top-level values, `include`/`tpl`/`required`/`fail`, and
//! `<no value>` stripping.

use std::collections::BTreeMap;
use std::sync::Arc;

use tusk_chart::Chart;
use tusk_template::{
    CallContext, Error as TemplateError, FuncError, FuncMap, Map, Options, Templates, Value,
};

use crate::capabilities::Capabilities;
use crate::files::Files;
use crate::release::{ChartObject, ReleaseOptions};

/// One template to parse (and, unless a partial, execute).
#[derive(Debug, Clone)]
pub struct Renderable {
    /// The template text.
    pub text: String,
    /// The chart's top-level object (`.Values`, `.Chart`, ...), shared by
    /// every template of that chart.
    pub vals: Map,
    /// `.Template.BasePath`, e.g. `parent/charts/sub/templates`.
    pub base_path: String,
}

/// Go's `path.Join` for the two segments used here.
fn join(a: &str, b: &str) -> String {
    tusk_chart::archive::clean(&format!("{a}/{b}"))
}

/// helm's `recAllTpls`: collects the templates of `chart` (path
/// `full_path`) and its subcharts; returns the chart's top-level object.
pub fn collect_templates(
    chart: &Chart,
    full_path: &str,
    parent: &Map,
    is_root: bool,
    to_yaml: &crate::files::ToYaml,
    out: &mut BTreeMap<String, Renderable>,
) -> Map {
    let subcharts = Map::new();
    let next = Map::new();
    next.insert(
        "Chart",
        Value::Object(Arc::new(ChartObject {
            metadata: chart.metadata.clone(),
            is_root,
        })),
    );
    next.insert(
        "Files",
        Value::Object(Arc::new(Files::new(&chart.files, to_yaml.clone()))),
    );
    next.insert("Release", parent.get("Release").unwrap_or_default());
    next.insert(
        "Capabilities",
        parent.get("Capabilities").unwrap_or_default(),
    );
    next.insert("Values", Value::Map(Map::new()));
    next.insert("Subcharts", Value::Map(subcharts.clone()));
    if is_root {
        next.insert("Values", parent.get("Values").unwrap_or_default());
    } else if let Some(Value::Map(pv)) = parent.get("Values")
        && let Some(Value::Map(vs)) = pv.get(chart.name())
    {
        next.insert("Values", Value::Map(vs));
    }
    for child in &chart.dependencies {
        let child_path = format!("{full_path}/charts/{}", child.name());
        let sub = collect_templates(child, &child_path, &next, false, to_yaml, out);
        subcharts.insert(child.name(), Value::Map(sub));
    }
    for t in &chart.templates {
        let base = t.name.rsplit('/').next().unwrap_or(&t.name);
        if chart.is_library() && !base.starts_with('_') {
            continue;
        }
        out.insert(
            join(full_path, &t.name),
            Renderable {
                text: String::from_utf8_lossy(&t.data).into_owned(),
                vals: next.clone(),
                base_path: join(full_path, "templates"),
            },
        );
    }
    next
}

/// helm's `sortTemplates`: deepest paths first, then reverse lexical order.
/// Parsing in this order makes the shallowest (parent) `define` win.
pub fn parse_order<'a>(names: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut keys: Vec<String> = names.cloned().collect();
    keys.sort_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
    keys
}

/// helm's `cleanupParseError`.
pub fn cleanup_parse_error(filename: &str, err: &str) -> String {
    let tokens: Vec<&str> = err.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({filename}): {err}");
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

const WARN_START: &str = "HELM_ERR_START";
const WARN_END: &str = "HELM_ERR_END";

/// Wraps a `fail`/`required` message so that [`cleanup_exec_error`] can
/// find it again (helm's `warnWrap`).
pub fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

/// helm's `cleanupExecError` for execution errors (`template: NAME:L:C:
/// executing ...`): `fail`/`required` messages become `execution error at
/// (NAME:L:C): MSG`; other errors are kept.
pub fn cleanup_exec_error(filename: &str, err: &str) -> String {
    let tokens: Vec<&str> = err.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({filename}): {err}");
    }
    if let Some(s) = tokens[2].find(WARN_START)
        && let Some(e) = tokens[2].rfind(WARN_END)
        && e >= s + WARN_START.len()
    {
        return format!(
            "execution error at ({}): {}",
            tokens[1],
            &tokens[2][s + WARN_START.len()..e]
        );
    }
    err.to_string()
}

/// The function map helm gives templates: sprig and helm's functions from
/// `tusk-funcs`, with the engine's own `required`, `fail` (their messages
/// marked for [`cleanup_exec_error`]), `lookup` (an empty map: `helm
/// template` talks to no cluster) and `getHostByName` (empty: DNS is off).
pub fn func_map() -> FuncMap {
    let mut funcs = FuncMap::new();
    tusk_funcs::register(&mut funcs);
    funcs.register("required", |_ctx, args| {
        let [warn, val] = args else {
            return Err(FuncError::BadArgs(format!(
                "wrong number of args for required: want 2 got {}",
                args.len()
            )));
        };
        let Value::String(warn) = warn else {
            return Err(FuncError::BadArgs(
                "wrong type for value; expected string".into(),
            ));
        };
        match val {
            Value::Nil => Err(FuncError::Failed(warn_wrap(warn))),
            Value::String(s) if s.is_empty() => Err(FuncError::Failed(warn_wrap(warn))),
            v => Ok(v.clone()),
        }
    });
    funcs.register("fail", |_ctx, args| {
        let [Value::String(msg)] = args else {
            return Err(FuncError::BadArgs(format!(
                "wrong number of args for fail: want 1 got {}",
                args.len()
            )));
        };
        Err(FuncError::Failed(warn_wrap(msg)))
    });
    if !funcs.contains("include") {
        funcs.register("include", |ctx, args| {
            let [Value::String(name), data] = args else {
                return Err(FuncError::BadArgs(format!(
                    "wrong number of args for include: want 2 got {}",
                    args.len()
                )));
            };
            ctx.execute_template(name, data).map(Value::from)
        });
    }
    if !funcs.contains("tpl") {
        funcs.register("tpl", |ctx, args| {
            let [Value::String(text), data] = args else {
                return Err(FuncError::BadArgs(format!(
                    "wrong number of args for tpl: want 2 got {}",
                    args.len()
                )));
            };
            tpl(ctx, text, data)
        });
    }
    funcs.register("lookup", |_ctx, _args| Ok(Value::Map(Map::new())));
    funcs.register("getHostByName", |_ctx, _args| Ok(Value::from("")));
    funcs
}

/// helm's `tpl`: `text` is parsed as a template named `gotpl` (the name of
/// helm's root template) in a copy of the set and executed with `data`;
/// `<no value>` is removed from the result.
fn tpl(ctx: &mut dyn CallContext, text: &str, data: &Value) -> Result<Value, FuncError> {
    match ctx.execute_text_named(TEMPLATE_SET_NAME, text, data) {
        Ok(out) => Ok(Value::from(out.replace("<no value>", ""))),
        Err(FuncError::Failed(e)) => {
            let q = tusk_chart::strvals::go_quote(text);
            if is_parse_error(&e) {
                Err(FuncError::Failed(format!("cannot parse template {q}: {e}")))
            } else {
                Err(FuncError::Failed(format!(
                    "error during tpl function execution for {q}: {e}"
                )))
            }
        }
        Err(other) => Err(other),
    }
}

/// Parse errors read `template: NAME:LINE: ...`; execution errors carry a
/// column (`NAME:LINE:COL`).
fn is_parse_error(e: &str) -> bool {
    let Some(rest) = e.strip_prefix(&format!("template: {TEMPLATE_SET_NAME}:")) else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && rest[digits..].starts_with(": ")
}

/// The name of helm's root template.
const TEMPLATE_SET_NAME: &str = "gotpl";

/// Renders every template of `chart` with the coalesced `values`; returns
/// template path → output (partials excluded, `<no value>` removed). The
/// error is helm's message (before the `--debug` hint).
pub fn render(
    chart: &Chart,
    values: &Map,
    release: &ReleaseOptions,
    caps: &Capabilities,
) -> Result<BTreeMap<String, String>, String> {
    let top = Map::new();
    top.insert("Release", release.to_value());
    top.insert("Capabilities", Value::Object(Arc::new(caps.clone())));
    top.insert("Values", Value::Map(values.clone()));
    let to_yaml: crate::files::ToYaml = Arc::new(|v: &Value| tusk_funcs::yaml::to_yaml(v));
    let mut tpls = BTreeMap::new();
    collect_templates(chart, chart.name(), &top, true, &to_yaml, &mut tpls);
    let order = parse_order(tpls.keys());

    let mut set = Templates::new(func_map())
        .with_name(TEMPLATE_SET_NAME)
        .with_options(Options::helm());
    for name in &order {
        let r = &tpls[name];
        set.parse(name, &r.text)
            .map_err(|e| cleanup_parse_error(name, &e.to_string()))?;
    }
    let mut rendered = BTreeMap::new();
    for name in &order {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') {
            continue;
        }
        let r = &tpls[name];
        let tm = Map::new();
        tm.insert("Name", Value::from(name.as_str()));
        tm.insert("BasePath", Value::from(r.base_path.as_str()));
        r.vals.insert("Template", Value::Map(tm));
        let out = set
            .execute(name, &Value::Map(r.vals.clone()))
            .map_err(|e| match e {
                TemplateError::Exec(_) => cleanup_exec_error(name, &e.to_string()),
                other => other.to_string(),
            })?;
        rendered.insert(name.clone(), out.replace("<no value>", ""));
    }
    Ok(rendered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_order_deepest_first_reverse_lexical() {
        let names = [
            "p/templates/a.yaml".to_string(),
            "p/templates/_h.tpl".to_string(),
            "p/charts/s/templates/_h.tpl".to_string(),
            "p/templates/b.yaml".to_string(),
        ];
        assert_eq!(
            parse_order(names.iter()),
            vec![
                "p/charts/s/templates/_h.tpl",
                "p/templates/b.yaml",
                "p/templates/a.yaml",
                "p/templates/_h.tpl",
            ]
        );
    }

    #[test]
    fn error_cleanup() {
        assert_eq!(
            cleanup_parse_error(
                "c/templates/a.yaml",
                "template: c/templates/a.yaml:3: function \"x\" not defined"
            ),
            "parse error at (c/templates/a.yaml:3): function \"x\" not defined"
        );
        let e = format!(
            "template: c/templates/a.yaml:2:4: executing \"c/templates/a.yaml\" at <fail \"x\">: error calling fail: {}",
            warn_wrap("boom")
        );
        assert_eq!(
            cleanup_exec_error("c/templates/a.yaml", &e),
            "execution error at (c/templates/a.yaml:2:4): boom"
        );
        let plain = "template: c/templates/a.yaml:2:4: executing \"c\" at <.x>: nil pointer";
        assert_eq!(cleanup_exec_error("c/templates/a.yaml", plain), plain);
    }
}
