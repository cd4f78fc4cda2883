//! The template engine glue (helm's `pkg/engine`): one shared template
//! namespace for the chart and its subcharts, helm's parse order, the
//! per-chart top-level values, `include`/`tpl`/`required`/`fail`, and
//! `<no value>` stripping.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use tusk_chart::Chart;
use tusk_funcs::flow::{WARN_END, WARN_START};
use tusk_template::{Error as TemplateError, FuncMap, Map, Options, Templates, Value};

use crate::capabilities::Capabilities;
use crate::release::{ChartObject, ReleaseOptions};

/// One template to parse (and, unless a partial, execute).
#[derive(Debug, Clone)]
pub struct Renderable {
    /// The template's bytes, shared with the chart's file (UTF-8 expected;
    /// invalid sequences are parsed as U+FFFD).
    pub data: Arc<[u8]>,
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
/// Template and `.Files` contents are shared with `chart`, not copied.
pub fn collect_templates(
    chart: &Chart,
    full_path: &str,
    parent: &Map,
    is_root: bool,
    out: &mut BTreeMap<String, Renderable>,
) -> Map {
    let subcharts = Map::new();
    let next = Map::new();
    let chart_value = if tusk_chart::compat::current().is_v4() {
        crate::release::chart_map_v4(&chart.metadata, is_root)
    } else {
        Value::Object(Arc::new(ChartObject {
            metadata: chart.metadata.clone(),
            is_root,
        }))
    };
    next.insert("Chart", chart_value);
    next.insert(
        "Files",
        tusk_funcs::files::Files::new(chart.files.iter().map(|f| (f.name.clone(), f.data.clone())))
            .into_value(),
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
        let sub = collect_templates(child, &child_path, &next, false, out);
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
                data: t.data.clone(),
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
    // Depth counted once per name, not per comparison.
    let mut keys: Vec<(usize, String)> = names
        .map(|n| (n.bytes().filter(|&b| b == b'/').count(), n.clone()))
        .collect();
    keys.sort_unstable_by(|(da, a), (db, b)| db.cmp(da).then_with(|| b.cmp(a)));
    keys.into_iter().map(|(_, n)| n).collect()
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

/// The function map helm gives templates: sprig and helm's functions,
/// including the engine-level `include`, `tpl`, `required`, `fail`,
/// `lookup` (an empty map: `helm template` talks to no cluster) and
/// `getHostByName` (empty: DNS is off), all from `tusk-funcs`.
pub fn func_map() -> FuncMap {
    func_map_with(tusk_funcs::Options::default())
}

/// [`func_map`] with explicit function options (a seed for the random
/// functions).
pub fn func_map_with(opts: tusk_funcs::Options) -> FuncMap {
    let mut funcs = FuncMap::new();
    tusk_funcs::register_with(&mut funcs, opts);
    funcs
}

/// The name of helm's root template (`tpl` parses under it).
const TEMPLATE_SET_NAME: &str = "gotpl";

/// Renders every template of `chart` with the coalesced `values`; returns
/// template path → output (partials excluded, `<no value>` removed). The
/// error is helm's message (before the `--debug` hint). The chart is
/// consumed so that its template texts are freed once parsed.
pub fn render(
    chart: Chart,
    values: &Map,
    release: &ReleaseOptions,
    caps: &Capabilities,
) -> Result<BTreeMap<String, String>, String> {
    render_with(
        chart,
        values,
        release,
        caps,
        &Options::helm(),
        &tusk_funcs::Options::default(),
    )
}

/// [`render`] with explicit engine options (limits) and function options
/// (the random seed).
pub fn render_with(
    chart: Chart,
    values: &Map,
    release: &ReleaseOptions,
    caps: &Capabilities,
    engine: &Options,
    funcs: &tusk_funcs::Options,
) -> Result<BTreeMap<String, String>, String> {
    let top = Map::new();
    top.insert("Release", release.to_value());
    top.insert("Capabilities", Value::Object(Arc::new(caps.clone())));
    top.insert("Values", Value::Map(values.clone()));
    let mut tpls = BTreeMap::new();
    collect_templates(&chart, chart.name(), &top, true, &mut tpls);
    // What templates need of the chart is now in `tpls` (`.Files` holds
    // its own references): the rest, e.g. default values, goes.
    drop(chart);
    let order = parse_order(tpls.keys());

    let mut set = Templates::new(func_map_with(funcs.clone()))
        .with_name(TEMPLATE_SET_NAME)
        .with_options(engine.clone());
    // One large-stack thread for every parse and execution below, instead
    // of one per template (see `tusk_template::with_stack`).
    let stack = set.options().stack_size;
    let (out, log) = tusk_template::with_stack(stack, move || {
        let out = parse_and_execute(&mut set, tpls, &order);
        // helm's log is kept per thread: hand the worker's lines back.
        (out, tusk_chart::log::take())
    });
    log.into_iter().for_each(tusk_chart::log::log_raw);
    out
}

/// Parses every template in helm's order, then executes the non-partials.
fn parse_and_execute(
    set: &mut Templates,
    mut tpls: BTreeMap<String, Renderable>,
    order: &[String],
) -> Result<BTreeMap<String, String>, String> {
    {
        let texts: Vec<(&str, Cow<'_, str>)> = order
            .iter()
            .map(|name| (name.as_str(), tusk_chart::text_of(&tpls[name].data)))
            .collect();
        let files: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (*n, &**t)).collect();
        // Parsing is independent per file; up to 4 threads (more rarely pay).
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        set.parse_all(&files, threads)
            .map_err(|(i, e)| cleanup_parse_error(files[i].0, &e.to_string()))?;
    }
    // The parsed trees keep their own copy of each text.
    let empty: Arc<[u8]> = Arc::default();
    for r in tpls.values_mut() {
        r.data = empty.clone();
    }
    let mut rendered = BTreeMap::new();
    for name in order {
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
