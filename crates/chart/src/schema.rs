//! `values.schema.json` validation, mirroring helm's `ValidateAgainstSchema`
//! and the gojsonschema library it uses: the values (as JSON) are checked
//! against the chart's schema, then every subchart's values against its own
//! schema; failures are listed per chart as `- FIELD: MESSAGE` in
//! gojsonschema's words and order.
//!
//! Supported keywords: `type`, `enum`, `const`, `properties`,
//! `patternProperties`, `additionalProperties`, `required`,
//! `minProperties`/`maxProperties`, `items` (single and tuple),
//! `additionalItems`, `minItems`/`maxItems`, `uniqueItems`, `contains`,
//! `minLength`/`maxLength`, `pattern`, `minimum`/`maximum`,
//! `exclusiveMinimum`/`exclusiveMaximum` (number and draft-4 bool forms),
//! `multipleOf`, `allOf`/`anyOf`/`oneOf`/`not`, `if`/`then`/`else`,
//! `dependencies`, boolean schemas and local `$ref`s (`#/...`). Remote
//! references and `format` are not checked.
//!
//! gojsonschema visits an object's `properties` in Go map order, so helm
//! lists errors of sibling properties in a random order; this validator
//! uses the schema's own order (errors are the same, their order may
//! differ from a given helm run).

use serde_json::Value as J;
use tusk_template::{Map, Value};

use crate::Chart;

/// Checks `values` against the schema of `chart` and of every subchart.
/// The error is helm's list (`CHART:\n- path: message\n`...).
pub fn validate_against_schema(chart: &Chart, values: &Map) -> Result<(), String> {
    let mut sb = String::new();
    if let Some(schema) = &chart.schema {
        if let Err(e) = validate_single(values, schema) {
            sb.push_str(&format!("{}:\n{e}", chart.name()));
        }
    }
    for sub in &chart.dependencies {
        let sv = match values.get(sub.name()) {
            Some(Value::Map(m)) => m,
            _ => Map::new(),
        };
        if let Err(e) = validate_against_schema(sub, &sv) {
            sb.push_str(&e);
        }
    }
    if sb.is_empty() { Ok(()) } else { Err(sb) }
}

/// Checks one values tree against one schema document.
pub fn validate_single(values: &Map, schema: &[u8]) -> Result<(), String> {
    let schema: J = serde_json::from_slice(schema).map_err(|e| e.to_string())?;
    let doc = to_json(&Value::Map(values.clone()));
    let mut v = Validator {
        root: &schema,
        depth: 0,
    };
    let mut errs = Vec::new();
    v.validate(&schema, &doc, &mut Vec::new(), &mut errs);
    if errs.is_empty() {
        return Ok(());
    }
    if crate::compat::current().is_v4()
        && let Some(text) = errors_v4(&errs)
    {
        return Err(text);
    }
    let mut sb = String::new();
    for e in errs {
        sb.push_str(&format!("- {e}\n"));
    }
    Err(sb)
}

/// helm 4 (santhosh-tekuri/jsonschema v6) wording for gojsonschema's
/// errors: `- at '/json/pointer': message`, missing and additional
/// properties of one object in one line, several errors at one place under
/// `validation failed`, an object's own errors around those of its
/// properties. `None` when an error has no translation yet (helm 3's text
/// is kept). helm 4 orders the properties' errors by Go map iteration, so
/// several of them can come in another order there.
fn errors_v4(errs: &[String]) -> Option<String> {
    #[derive(PartialEq)]
    enum Kind {
        Required,
        Additional,
        Other,
    }
    let mut entries: Vec<(String, Kind, Vec<String>)> = Vec::new();
    for e in errs {
        let (f, rest) = e.split_once(": ")?;
        let ptr = if f == "(root)" {
            String::new()
        } else {
            format!("/{}", f.replace('.', "/"))
        };
        let (kind, msg) = if let Some(t) = rest.strip_prefix("Invalid type. Expected: ") {
            let (want, given) = t.split_once(", given: ")?;
            if want.starts_with('[') {
                return None;
            }
            let given = if given == "integer" { "number" } else { given };
            (Kind::Other, format!("got {given}, want {want}"))
        } else if let Some(l) = rest.strip_prefix(&format!("{f} must be one of the following: ")) {
            let items: Vec<J> = serde_json::from_str(&format!("[{l}]")).ok()?;
            let items: Vec<String> = items.iter().map(quote_v4).collect();
            (
                Kind::Other,
                format!("value must be one of {}", items.join(", ")),
            )
        } else if let Some(c) = rest.strip_prefix(&format!("{f} does not match: ")) {
            let c: J = serde_json::from_str(c).ok()?;
            (Kind::Other, format!("value must be {}", quote_v4(&c)))
        } else if let Some(k) = rest
            .strip_prefix("Additional property ")
            .and_then(|r| r.strip_suffix(" is not allowed"))
        {
            (Kind::Additional, format!("'{k}'"))
        } else if let Some(k) = rest.strip_suffix(" is required") {
            (Kind::Required, format!("'{k}'"))
        } else {
            return None;
        };
        // Missing and additional properties of one object share a line.
        if kind != Kind::Other
            && let Some(entry) = entries.iter_mut().find(|(p, k, _)| *p == ptr && *k == kind)
        {
            entry.2.push(msg);
            continue;
        }
        entries.push((ptr, kind, vec![msg]));
    }
    // An object's additional properties come after its properties' errors.
    let mut ordered: Vec<(String, Kind, Vec<String>)> = Vec::new();
    let mut additional: Vec<(String, Kind, Vec<String>)> = Vec::new();
    for entry in entries {
        if entry.1 == Kind::Additional {
            additional.push(entry);
        } else {
            ordered.push(entry);
        }
    }
    for entry in additional {
        let inside = format!("{}/", entry.0);
        let at = ordered
            .iter()
            .rposition(|(p, _, _)| *p == entry.0 || p.starts_with(&inside))
            .map_or(ordered.len(), |i| i + 1);
        ordered.insert(at, entry);
    }
    let line = |(ptr, kind, msgs): &(String, Kind, Vec<String>)| match kind {
        Kind::Required if msgs.len() == 1 => format!("at '{ptr}': missing property {}", msgs[0]),
        Kind::Required => format!("at '{ptr}': missing properties {}", msgs.join(", ")),
        Kind::Additional => format!(
            "at '{ptr}': additional properties {} not allowed",
            msgs.join(", ")
        ),
        Kind::Other => format!("at '{ptr}': {}", msgs[0]),
    };
    let mut sb = String::new();
    let mut i = 0;
    while i < ordered.len() {
        let ptr = &ordered[i].0;
        let n = ordered[i..]
            .iter()
            .take_while(|(p, k, _)| p == ptr && *k == Kind::Other)
            .count();
        if n > 1 {
            sb.push_str(&format!("- at '{ptr}': validation failed\n"));
            for e in &ordered[i..i + n] {
                sb.push_str(&format!("  - {}\n", line(e)));
            }
            i += n;
        } else {
            sb.push_str(&format!("- {}\n", line(&ordered[i])));
            i += 1;
        }
    }
    Some(sb)
}

/// A value in a jsonschema v6 message: strings in single quotes.
fn quote_v4(v: &J) -> String {
    match v {
        J::String(s) => format!("'{s}'"),
        other => canon(other),
    }
}

/// Values as helm hands them to gojsonschema (through YAML and JSON).
fn to_json(v: &Value) -> J {
    match v {
        Value::Nil => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(J::Number)
            .unwrap_or(J::Null),
        Value::String(s) => J::String(s.to_string()),
        Value::Bytes(b) => J::String(String::from_utf8_lossy(b).into_owned()),
        Value::List(l) => J::Array(l.iter().map(to_json).collect()),
        Value::Map(m) => J::Object(
            m.entries()
                .into_iter()
                .map(|(k, v)| (k, to_json(&v)))
                .collect(),
        ),
        Value::Object(o) => to_json(&o.to_value()),
    }
}

fn is_int(n: &serde_json::Number) -> bool {
    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
}

fn num(v: &J) -> Option<f64> {
    v.as_f64()
}

/// Go's `%v` of a big.Float holding a schema bound.
fn fmt_num(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// gojsonschema's `marshalWithoutNumber`: JSON with numbers normalised.
fn canon(v: &J) -> String {
    match v {
        J::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            Some(f) => format!("{f}"),
            None => n.to_string(),
        },
        J::Array(a) => format!("[{}]", a.iter().map(canon).collect::<Vec<_>>().join(",")),
        J::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            format!(
                "{{{}}}",
                keys.iter()
                    .map(|k| format!("{}:{}", J::String((*k).clone()), canon(&o[*k])))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        }
        other => other.to_string(),
    }
}

struct Validator<'a> {
    root: &'a J,
    /// Current nesting of `validate` calls: `$ref` cycles (`{"$ref": "#"}`)
    /// would otherwise recurse until the stack overflows.
    depth: usize,
}

/// Deepest schema nesting followed (values are far shallower).
const MAX_SCHEMA_DEPTH: usize = 500;

fn field(path: &[String]) -> String {
    if path.is_empty() {
        "(root)".to_string()
    } else {
        path.join(".")
    }
}

fn type_name(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "boolean",
        J::Number(n) => {
            if is_int(n) {
                "integer"
            } else {
                "number"
            }
        }
        J::String(_) => "string",
        J::Array(_) => "array",
        J::Object(_) => "object",
    }
}

impl<'a> Validator<'a> {
    fn resolve(&self, r: &str) -> Option<&'a J> {
        let ptr = r.strip_prefix('#')?;
        if ptr.is_empty() {
            return Some(self.root);
        }
        self.root.pointer(ptr)
    }

    fn sub_valid(&mut self, s: &J, v: &J, path: &mut Vec<String>) -> Vec<String> {
        let mut e = Vec::new();
        self.validate(s, v, path, &mut e);
        e
    }

    fn validate(&mut self, s: &J, v: &J, path: &mut Vec<String>, errs: &mut Vec<String>) {
        if self.depth >= MAX_SCHEMA_DEPTH {
            errs.push(format!(
                "{}: schema nested deeper than {MAX_SCHEMA_DEPTH} levels (a $ref cycle?)",
                field(path)
            ));
            return;
        }
        self.depth += 1;
        self.validate_node(s, v, path, errs);
        self.depth -= 1;
    }

    fn validate_node(&mut self, s: &J, v: &J, path: &mut Vec<String>, errs: &mut Vec<String>) {
        let f = field(path);
        let so = match s {
            J::Bool(true) => return,
            J::Bool(false) => {
                errs.push(format!("{f}: False always fails validation"));
                return;
            }
            J::Object(o) => o,
            _ => return,
        };
        if let Some(J::String(r)) = so.get("$ref") {
            if let Some(target) = self.resolve(r) {
                self.validate(target, v, path, errs);
            }
            return;
        }
        // type
        let types: Vec<&str> = match so.get("type") {
            Some(J::String(t)) => vec![t.as_str()],
            Some(J::Array(a)) => a.iter().filter_map(|t| t.as_str()).collect(),
            _ => Vec::new(),
        };
        if !types.is_empty() {
            let given = type_name(v);
            let ok = types
                .iter()
                .any(|t| *t == given || (*t == "number" && given == "integer"));
            if !ok {
                let expected = if types.len() > 1 {
                    format!("[{}]", types.join(","))
                } else {
                    types[0].to_string()
                };
                errs.push(format!(
                    "{f}: Invalid type. Expected: {expected}, given: {given}"
                ));
                return;
            }
        }
        self.combinators(so, v, path, errs);
        match v {
            J::Number(n) => {
                self.number(so, n, &f, errs);
                self.common(so, v, &f, errs);
            }
            J::String(st) => {
                self.common(so, v, &f, errs);
                self.string(so, st, &f, errs);
            }
            J::Array(a) => {
                self.array(so, a, path, errs);
                self.common(so, v, &f, errs);
            }
            J::Object(o) => {
                self.object(so, o, path, errs);
                self.common(so, v, &f, errs);
                if let Some(J::Object(props)) = so.get("properties") {
                    for (k, ps) in props {
                        if let Some(nv) = o.get(k) {
                            path.push(k.clone());
                            self.validate(ps, nv, path, errs);
                            path.pop();
                        }
                    }
                }
            }
            _ => self.common(so, v, &f, errs),
        }
    }

    fn combinators(
        &mut self,
        so: &serde_json::Map<String, J>,
        v: &J,
        path: &mut Vec<String>,
        errs: &mut Vec<String>,
    ) {
        let f = field(path);
        if let Some(J::Array(any)) = so.get("anyOf") {
            let mut best: Option<Vec<String>> = None;
            let mut ok = false;
            for s in any {
                let e = self.sub_valid(s, v, path);
                if e.is_empty() {
                    ok = true;
                    break;
                }
                if best.is_none() {
                    best = Some(e);
                }
            }
            if !ok {
                errs.push(format!("{f}: Must validate at least one schema (anyOf)"));
                errs.extend(best.unwrap_or_default());
            }
        }
        if let Some(J::Array(one)) = so.get("oneOf") {
            let mut n = 0;
            let mut best: Option<Vec<String>> = None;
            for s in one {
                let e = self.sub_valid(s, v, path);
                if e.is_empty() {
                    n += 1;
                } else if n == 0 && best.is_none() {
                    best = Some(e);
                }
            }
            if n != 1 {
                errs.push(format!(
                    "{f}: Must validate one and only one schema (oneOf)"
                ));
                if n == 0 {
                    errs.extend(best.unwrap_or_default());
                }
            }
        }
        if let Some(J::Array(all)) = so.get("allOf") {
            let mut n = 0;
            for s in all {
                let e = self.sub_valid(s, v, path);
                if e.is_empty() {
                    n += 1;
                }
                errs.extend(e);
            }
            if n != all.len() {
                errs.push(format!("{f}: Must validate all the schemas (allOf)"));
            }
        }
        if let Some(not) = so.get("not")
            && self.sub_valid(not, v, path).is_empty()
        {
            errs.push(format!("{f}: Must not validate the schema (not)"));
        }
        if let (Some(J::Object(deps)), J::Object(o)) = (so.get("dependencies"), v) {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            for k in keys {
                match deps.get(k) {
                    Some(J::Array(req)) => {
                        for r in req.iter().filter_map(|r| r.as_str()) {
                            if !o.contains_key(r) {
                                errs.push(format!("{f}: Has a dependency on {r}"));
                            }
                        }
                    }
                    Some(s @ J::Object(_)) => self.validate(s, v, path, errs),
                    _ => {}
                }
            }
        }
        if let Some(cond) = so.get("if") {
            let ok = self.sub_valid(cond, v, path).is_empty();
            if ok && let Some(t) = so.get("then") {
                let e = self.sub_valid(t, v, path);
                if !e.is_empty() {
                    errs.push(format!("{f}: Must validate \"then\" as \"if\" was valid"));
                    errs.extend(e);
                }
            }
            if !ok && let Some(t) = so.get("else") {
                let e = self.sub_valid(t, v, path);
                if !e.is_empty() {
                    errs.push(format!(
                        "{f}: Must validate \"else\" as \"if\" was not valid"
                    ));
                    errs.extend(e);
                }
            }
        }
    }

    fn common(&mut self, so: &serde_json::Map<String, J>, v: &J, f: &str, errs: &mut Vec<String>) {
        if let Some(c) = so.get("const")
            && canon(c) != canon(v)
        {
            errs.push(format!("{f}: {f} does not match: {}", canon(c)));
        }
        if let Some(J::Array(e)) = so.get("enum") {
            let cv = canon(v);
            if !e.iter().any(|x| canon(x) == cv) {
                let allowed: Vec<String> = e.iter().map(canon).collect();
                errs.push(format!(
                    "{f}: {f} must be one of the following: {}",
                    allowed.join(", ")
                ));
            }
        }
    }

    fn string(
        &mut self,
        so: &serde_json::Map<String, J>,
        s: &str,
        f: &str,
        errs: &mut Vec<String>,
    ) {
        let n = s.chars().count() as f64;
        if let Some(min) = so.get("minLength").and_then(num)
            && n < min
        {
            errs.push(format!(
                "{f}: String length must be greater than or equal to {}",
                fmt_num(min)
            ));
        }
        if let Some(max) = so.get("maxLength").and_then(num)
            && n > max
        {
            errs.push(format!(
                "{f}: String length must be less than or equal to {}",
                fmt_num(max)
            ));
        }
        if let Some(J::String(p)) = so.get("pattern")
            && let Ok(re) = regex::Regex::new(p)
            && !re.is_match(s)
        {
            errs.push(format!("{f}: Does not match pattern '{p}'"));
        }
    }

    fn number(
        &mut self,
        so: &serde_json::Map<String, J>,
        n: &serde_json::Number,
        f: &str,
        errs: &mut Vec<String>,
    ) {
        let x = n.as_f64().unwrap_or(0.0);
        if let Some(m) = so.get("multipleOf").and_then(num)
            && m != 0.0
            && (x / m).fract() != 0.0
        {
            errs.push(format!("{f}: Must be a multiple of {}", fmt_num(m)));
        }
        let excl_max_bool = matches!(so.get("exclusiveMaximum"), Some(J::Bool(true)));
        let excl_min_bool = matches!(so.get("exclusiveMinimum"), Some(J::Bool(true)));
        if let Some(max) = so.get("maximum").and_then(num) {
            if excl_max_bool {
                if x >= max {
                    errs.push(format!("{f}: Must be less than {}", fmt_num(max)));
                }
            } else if x > max {
                errs.push(format!(
                    "{f}: Must be less than or equal to {}",
                    fmt_num(max)
                ));
            }
        }
        if let Some(max) = so.get("exclusiveMaximum").and_then(num)
            && x >= max
        {
            errs.push(format!("{f}: Must be less than {}", fmt_num(max)));
        }
        if let Some(min) = so.get("minimum").and_then(num) {
            if excl_min_bool {
                if x <= min {
                    errs.push(format!("{f}: Must be greater than {}", fmt_num(min)));
                }
            } else if x < min {
                errs.push(format!(
                    "{f}: Must be greater than or equal to {}",
                    fmt_num(min)
                ));
            }
        }
        if let Some(min) = so.get("exclusiveMinimum").and_then(num)
            && x <= min
        {
            errs.push(format!("{f}: Must be greater than {}", fmt_num(min)));
        }
    }

    fn array(
        &mut self,
        so: &serde_json::Map<String, J>,
        a: &[J],
        path: &mut Vec<String>,
        errs: &mut Vec<String>,
    ) {
        let f = field(path);
        match so.get("items") {
            Some(J::Array(tuple)) => {
                for (i, (s, v)) in tuple.iter().zip(a.iter()).enumerate() {
                    path.push(i.to_string());
                    self.validate(s, v, path, errs);
                    path.pop();
                }
                if tuple.len() < a.len() {
                    match so.get("additionalItems") {
                        Some(J::Bool(false)) => {
                            errs.push(format!("{f}: No additional items allowed on array"))
                        }
                        Some(s @ J::Object(_)) => {
                            for (i, v) in a.iter().enumerate().skip(tuple.len()) {
                                path.push(i.to_string());
                                self.validate(s, v, path, errs);
                                path.pop();
                            }
                        }
                        _ => {}
                    }
                }
            }
            Some(s @ (J::Object(_) | J::Bool(_))) => {
                for (i, v) in a.iter().enumerate() {
                    path.push(i.to_string());
                    self.validate(s, v, path, errs);
                    path.pop();
                }
            }
            _ => {}
        }
        let n = a.len() as f64;
        if let Some(min) = so.get("minItems").and_then(num)
            && n < min
        {
            errs.push(format!(
                "{f}: Array must have at least {} items",
                fmt_num(min)
            ));
        }
        if let Some(max) = so.get("maxItems").and_then(num)
            && n > max
        {
            errs.push(format!(
                "{f}: Array must have at most {} items",
                fmt_num(max)
            ));
        }
        if matches!(so.get("uniqueItems"), Some(J::Bool(true))) {
            let mut seen: Vec<String> = Vec::new();
            for (j, v) in a.iter().enumerate() {
                let c = canon(v);
                if let Some(i) = seen.iter().rposition(|s| *s == c) {
                    errs.push(format!("{f}: array items[{i},{j}] must be unique"));
                }
                seen.push(c);
            }
        }
        if let Some(c) = so.get("contains") {
            let mut best = None;
            let mut ok = false;
            for (i, v) in a.iter().enumerate() {
                path.push(i.to_string());
                let e = self.sub_valid(c, v, path);
                path.pop();
                if e.is_empty() {
                    ok = true;
                    break;
                }
                if best.is_none() {
                    best = Some(e);
                }
            }
            if !ok {
                errs.push(format!("{f}: At least one of the items must match"));
                errs.extend(best.unwrap_or_default());
            }
        }
    }

    fn object(
        &mut self,
        so: &serde_json::Map<String, J>,
        o: &serde_json::Map<String, J>,
        path: &mut Vec<String>,
        errs: &mut Vec<String>,
    ) {
        let f = field(path);
        let n = o.len() as f64;
        if let Some(min) = so.get("minProperties").and_then(num)
            && n < min
        {
            errs.push(format!(
                "{f}: Must have at least {} properties",
                fmt_num(min)
            ));
        }
        if let Some(max) = so.get("maxProperties").and_then(num)
            && n > max
        {
            errs.push(format!(
                "{f}: Must have at most {} properties",
                fmt_num(max)
            ));
        }
        if let Some(J::Array(req)) = so.get("required") {
            for r in req.iter().filter_map(|r| r.as_str()) {
                if !o.contains_key(r) {
                    errs.push(format!("{f}: {r} is required"));
                }
            }
        }
        let props = so.get("properties").and_then(|p| p.as_object());
        let pattern_props = so.get("patternProperties").and_then(|p| p.as_object());
        let mut keys: Vec<&String> = o.keys().collect();
        keys.sort();
        for k in keys {
            let found = props.is_some_and(|p| p.contains_key(k));
            let mut pp_match = false;
            if let Some(pp) = pattern_props {
                for (pat, ps) in pp {
                    if regex::Regex::new(pat).is_ok_and(|re| re.is_match(k)) {
                        pp_match = true;
                        path.push(k.clone());
                        self.validate(ps, &o[k], path, errs);
                        path.pop();
                    }
                }
            }
            if !found && !pp_match {
                match so.get("additionalProperties") {
                    Some(J::Bool(false)) => {
                        errs.push(format!("{f}: Additional property {k} is not allowed"))
                    }
                    Some(s @ J::Object(_)) => {
                        path.push(k.clone());
                        self.validate(s, &o[k], path, errs);
                        path.pop();
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_like_jsonschema_v6_for_helm4() {
        let schema = br#"{"type":"object","required":["need","need2"],"additionalProperties":false,
          "properties":{"mode":{"enum":["a","b"]},"c":{"const":"x"},"zz":{"type":"boolean"},
          "aa":{"type":"object","required":["q"]},"need":{},"need2":{}}}"#;
        let vals =
            crate::parse_values(b"mode: q\nextra: 1\nother: 2\nzz: 3\naa: {b: 1}\n").unwrap();
        let err = crate::compat::scoped(crate::HelmCompat::V4, || validate_single(&vals, schema))
            .unwrap_err();
        // Each line is what helm 4.1.4 prints for these values; it orders the
        // properties' errors randomly, tusk in schema order.
        assert_eq!(
            err,
            "- at '': missing properties 'need', 'need2'\n- at '/mode': value must be one of 'a', 'b'\n- at '/zz': got number, want boolean\n- at '/aa': missing property 'q'\n- at '': additional properties 'extra', 'other' not allowed\n"
        );
        // Untranslated wording keeps helm 3's text.
        let schema = br#"{"properties":{"port":{"minimum":10}}}"#;
        let vals = crate::parse_values(b"port: 5\n").unwrap();
        let err = crate::compat::scoped(crate::HelmCompat::V4, || validate_single(&vals, schema))
            .unwrap_err();
        assert_eq!(err, "- port: Must be greater than or equal to 10\n");
    }

    #[test]
    fn reports_like_gojsonschema() {
        let schema = br#"{"type":"object","required":["name"],"additionalProperties":false,
          "properties":{"image":{"type":"object","properties":{"tag":{"type":"string"},"pull":{"enum":["Always","Never"]}}},
          "replicas":{"type":"integer","minimum":1,"maximum":5},"ports":{"type":"array","items":{"type":"integer"},"maxItems":2},"name":{"type":"string"}}}"#;
        let vals = crate::parse_values(
            b"image:\n  tag: 1\n  pull: Sometimes\nreplicas: 7\nports: [1, a, 3]\nextra: 1\n",
        )
        .unwrap();
        let err = validate_single(&vals, schema).unwrap_err();
        assert_eq!(
            err,
            "- (root): name is required\n- (root): Additional property extra is not allowed\n- image.tag: Invalid type. Expected: string, given: integer\n- image.pull: image.pull must be one of the following: \"Always\", \"Never\"\n- replicas: Must be less than or equal to 5\n- ports.1: Invalid type. Expected: integer, given: string\n- ports: Array must have at most 2 items\n"
        );
        let ok = crate::parse_values(b"name: x\nreplicas: 2\n").unwrap();
        assert!(validate_single(&ok, schema).is_ok());
    }
}
