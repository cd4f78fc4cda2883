//! Behaviour that the helm goldens cannot show: Go's other missingkey
//! modes, objects with methods, limits, full parse-error texts, the
//! CallContext (include/tpl) plumbing.

use std::sync::Arc;

use tusk_template::{
    CallContext, Error, FuncError, FuncMap, Map, MissingKey, Object, Options, Templates, Value,
};

#[derive(Debug)]
struct Files;
impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        match name {
            "Get" => Some(match args {
                [Value::String(s)] if &**s == "missing" => {
                    Err(FuncError::Failed("no such file".into()))
                }
                [Value::String(s)] => Ok(Value::from(format!("content of {s}"))),
                _ => Err(FuncError::BadArgs(format!(
                    "wrong number of args for Get: want 1 got {}",
                    args.len()
                ))),
            }),
            _ => None,
        }
    }
}

#[derive(Debug)]
struct ApiVersions(Vec<&'static str>);
impl Object for ApiVersions {
    fn type_name(&self) -> &str {
        "chartutil.VersionSet"
    }
    fn collection(&self) -> Option<Value> {
        Some(Value::list(self.0.iter().map(Value::str).collect()))
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        (name == "Has").then(|| {
            let want = args.first().and_then(Value::as_str).unwrap_or("");
            Ok(Value::Bool(self.0.contains(&want)))
        })
    }
}

#[derive(Debug)]
struct KubeVersion;
impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        "*chartutil.KubeVersion"
    }
    fn field(&self, name: &str) -> Option<Value> {
        (name == "Major").then(|| Value::str("1"))
    }
    fn stringer(&self) -> Option<String> {
        Some("v1.32.0".into())
    }
}

#[derive(Debug)]
struct Capabilities;
impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "*chartutil.Capabilities"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "APIVersions" => Some(Value::Object(Arc::new(ApiVersions(vec!["v1", "apps/v1"])))),
            "KubeVersion" => Some(Value::str("v1.32.0")),
            "Kube" => Some(Value::Object(Arc::new(KubeVersion))),
            _ => None,
        }
    }
}

fn data() -> Value {
    let root = Map::new();
    root.insert("Files", Value::Object(Arc::new(Files)));
    root.insert("Capabilities", Value::Object(Arc::new(Capabilities)));
    let values = Map::new();
    values.insert("a", Value::str("x"));
    root.insert("Values", Value::Map(values));
    Value::Map(root)
}

fn helpers() -> FuncMap {
    let mut f = FuncMap::new();
    f.register("include", |ctx, args| {
        if args.len() != 2 {
            return Err(FuncError::BadArgs(format!(
                "wrong number of args for include: want 2 got {}",
                args.len()
            )));
        }
        let name = args[0].as_str().unwrap_or_default().to_string();
        ctx.execute_template(&name, &args[1]).map(Value::from)
    });
    f.register("tpl", |ctx, args| {
        let text = args[0].as_str().unwrap_or_default().to_string();
        ctx.execute_text(&text, &args[1]).map(Value::from)
    });
    f.register("current", |ctx: &mut dyn CallContext, _args| {
        Ok(Value::str(ctx.current_template()))
    });
    f.register("abort", |_ctx, _args| {
        Err(FuncError::Nested("raw failure".into()))
    });
    f
}

fn run(text: &str, opts: Options) -> Result<String, Error> {
    let mut set = Templates::new(helpers())
        .with_name("gotpl")
        .with_options(opts);
    set.parse("t", text)?;
    set.execute("t", &data())
}

fn ok(text: &str) -> String {
    run(text, Options::helm()).unwrap_or_else(|e| format!("ERR {e}"))
}

#[test]
fn objects_fields_and_methods() {
    assert_eq!(ok(r#"{{ .Files.Get "a.txt" }}"#), "content of a.txt");
    assert_eq!(ok(r#"{{ "b" | .Files.Get }}"#), "content of b");
    assert_eq!(
        ok(r#"{{ .Capabilities.APIVersions.Has "apps/v1" }}"#),
        "true"
    );
    assert_eq!(ok(r#"{{ .Capabilities.APIVersions.Has "x/v9" }}"#), "false");
    assert_eq!(ok(r#"{{ .Capabilities.KubeVersion }}"#), "v1.32.0");
    assert_eq!(
        ok(r#"{{ .Files.Get "missing" }}"#),
        r#"ERR template: t:1:9: executing "t" at <.Files.Get>: error calling Get: no such file"#
    );
    assert_eq!(
        ok(r#"{{ .Files.Get }}"#),
        r#"ERR template: t:1:9: executing "t" at <.Files.Get>: wrong number of args for Get: want 1 got 0"#
    );
    assert_eq!(
        ok(r#"{{ .Capabilities.Nope }}"#),
        r#"ERR template: t:1:16: executing "t" at <.Capabilities.Nope>: can't evaluate field Nope in type interface {}"#
    );
    assert_eq!(
        ok(r#"{{ .Capabilities.KubeVersion.Major }}"#),
        r#"ERR template: t:1:16: executing "t" at <.Capabilities.KubeVersion.Major>: can't evaluate field Major in type string"#
    );
    assert_eq!(ok(r#"{{ if .Capabilities }}obj-true{{ end }}"#), "obj-true");
    // fmt.Stringer and slice-typed objects.
    assert_eq!(
        ok(r#"{{ .Capabilities.Kube }} {{ .Capabilities.Kube.Major }}"#),
        "v1.32.0 1"
    );
    assert_eq!(
        ok(r#"{{ printf "%s|%q|%5v" .Capabilities.Kube .Capabilities.Kube "x" }}"#),
        r#"v1.32.0|"v1.32.0"|    x"#
    );
    assert_eq!(
        ok(r#"{{ range .Capabilities.APIVersions }}[{{ . }}]{{ end }}"#),
        "[v1][apps/v1]"
    );
    assert_eq!(
        ok(r#"{{ len .Capabilities.APIVersions }} {{ index .Capabilities.APIVersions 1 }}"#),
        "2 apps/v1"
    );
    assert_eq!(ok(r#"{{ .Capabilities.APIVersions }}"#), "[v1 apps/v1]");
    assert_eq!(
        ok(r#"{{ if .Capabilities.APIVersions }}yes{{ end }}"#),
        "yes"
    );
}

#[test]
fn missingkey_modes() {
    let def = Options::default();
    assert_eq!(
        run("{{ .Values.nope }}", def.clone()).unwrap(),
        "<no value>"
    );
    assert_eq!(
        run("{{ .Values.nope.deeper }}", def.clone()).unwrap(),
        "<no value>"
    );
    let mut err = Options::default();
    err.missing_key = MissingKey::Error;
    assert_eq!(
        run("{{ .Values.nope }}", err.clone())
            .unwrap_err()
            .to_string(),
        r#"template: t:1:10: executing "t" at <.Values.nope>: map has no entry for key "nope""#
    );
    let mut set = Templates::new(FuncMap::new()).with_options(err);
    set.parse("t", "{{ .x }}").unwrap();
    assert_eq!(
        set.execute("t", &Value::Nil).unwrap_err().to_string(),
        r#"template: t:1:3: executing "t" at <.x>: nil data; no entry for key "x""#
    );
    // Zero (helm): a missing key is a nil interface.
    assert_eq!(
        run("{{ .Values.nope.deeper }}", Options::helm())
            .unwrap_err()
            .to_string(),
        r#"template: t:1:10: executing "t" at <.Values.nope.deeper>: nil pointer evaluating interface {}.deeper"#
    );
}

#[test]
fn include_tpl_and_context() {
    assert_eq!(
        ok(r#"{{ define "h" }}[{{ .a }}]{{ end }}{{ include "h" .Values }}"#),
        "[x]"
    );
    assert_eq!(
        ok(r#"{{ tpl "{{ .Values.a }}-{{ current }}" . }}"#),
        "x-gotpl"
    );
    assert_eq!(
        ok(r#"{{ define "h" }}{{ current }}{{ end }}{{ include "h" . }}"#),
        "h"
    );
    // tpl's defines do not leak into the calling set.
    let out = ok(
        r#"{{ tpl "{{ define \"new\" }}N{{ end }}{{ template \"new\" }}" . }}{{ include "new" . }}"#,
    );
    assert!(
        out.ends_with(
            r#"error calling include: template: no template "new" associated with template "gotpl""#
        ),
        "{out}"
    );
    assert_eq!(
        ok(r#"{{ tpl "{{ define \"n2\" }}N{{ end }}{{ template \"n2\" }}" . }}"#),
        "N"
    );
    assert_eq!(
        ok(r#"{{ include "nope" . }}"#),
        r#"ERR template: t:1:3: executing "t" at <include "nope" .>: error calling include: template: no template "nope" associated with template "gotpl""#
    );
    assert_eq!(
        ok(r#"{{ tpl "{{ .Values.a.b }}" . }}"#),
        r#"ERR template: t:1:3: executing "t" at <tpl "{{ .Values.a.b }}" .>: error calling tpl: template: gotpl:1:10: executing "gotpl" at <.Values.a.b>: can't evaluate field b in type interface {}"#
    );
    assert_eq!(ok("{{ abort }}"), "ERR raw failure");
    assert_eq!(
        ok(r#"{{ include "x" }}"#),
        r#"ERR template: t:1:3: executing "t" at <include>: wrong number of args for include: want 2 got 1"#
    );
}

#[test]
fn parse_errors_full_text() {
    let p = |t: &str| {
        let mut set = Templates::new(FuncMap::new());
        set.parse("f.yaml", t).unwrap_err().to_string()
    };
    assert_eq!(
        p("a\n{{ nosuch }}"),
        r#"template: f.yaml:2: function "nosuch" not defined"#
    );
    assert_eq!(
        p("{{ if true }}\n\nx"),
        "template: f.yaml:3: unexpected EOF"
    );
    assert_eq!(p("{{ end }}"), "template: f.yaml:1: unexpected {{end}}");
    assert_eq!(
        p("{{ .x\n\n"),
        "template: f.yaml:3: unclosed action started at f.yaml:1"
    );
    assert_eq!(
        p("{{ .x |\n\n"),
        "template: f.yaml:3: unclosed action started at f.yaml:1"
    );
    assert_eq!(
        p("{{ $x }}"),
        r#"template: f.yaml:1: undefined variable "$x""#
    );
    assert_eq!(
        p(r#"{{ define "a" }}1{{ end }}{{ define "a" }}2{{ end }}"#),
        r#"template: f.yaml:1: template: multiple definition of template "a""#
    );
    assert_eq!(
        p(r#"{{ "a" | "b" }}"#),
        "template: f.yaml:1: non executable command in pipeline stage 2"
    );
    assert_eq!(
        p("{{ 3k }}"),
        r#"template: f.yaml:1: bad number syntax: "3k""#
    );
    assert_eq!(
        p(r#"{{ printf "a" := }}"#),
        r#"template: f.yaml:1: unexpected ":=" in operand"#
    );
    let e = {
        let mut set = Templates::new(FuncMap::new());
        set.parse("f.yaml", "x\n{{ if }}").unwrap_err()
    };
    match e {
        Error::Parse(pe) => {
            assert_eq!(pe.name, "f.yaml");
            assert_eq!(pe.line, 2);
            assert_eq!(pe.message, "missing value for if");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn set_semantics() {
    let mut set = Templates::new(FuncMap::new()).with_name("gotpl");
    set.parse("a", r#"{{ define "x" }}from-a{{ end }}{{ template "x" }}"#)
        .unwrap();
    set.parse("b", r#"{{ define "x" }}from-b{{ end }}"#)
        .unwrap();
    // The later definition wins for every caller.
    assert_eq!(set.execute("a", &Value::Nil).unwrap(), "from-b");
    // An empty redefinition does not replace a non-empty one.
    set.parse("c", r#"{{ define "x" }}  {{ end }}"#).unwrap();
    assert_eq!(set.execute("a", &Value::Nil).unwrap(), "from-b");
    assert!(set.contains("x") && set.contains("c"));
    assert_eq!(set.names(), vec!["a", "b", "c", "x"]);
    assert_eq!(
        set.execute("zz", &Value::Nil).unwrap_err().to_string(),
        r#"template: no template "zz" associated with template "gotpl""#
    );
    // A function shadows a builtin of the same name.
    let mut f = FuncMap::new();
    f.register("len", |_c, _a| Ok(Value::Int(99)));
    let mut s2 = Templates::new(f);
    s2.parse("t", r#"{{ len "abc" }}"#).unwrap();
    assert_eq!(s2.execute("t", &Value::Nil).unwrap(), "99");
    // A function named like a keyword turns the keyword into a call.
    let mut f = FuncMap::new();
    f.register("break", |_c, _a| Ok(Value::str("called")));
    let mut s3 = Templates::new(f);
    s3.parse("t", "{{ break }}").unwrap();
    assert_eq!(s3.execute("t", &Value::Nil).unwrap(), "called");
}

#[test]
fn limits_never_overflow_the_stack() {
    // {{template}} recursion ends in Go's depth error.
    let out = ok(r#"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}"#);
    assert!(
        out.contains("exceeded maximum template depth (100000)"),
        "{out}"
    );
    // include recursion ends in helm's error.
    let out = ok(r#"{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}"#);
    assert!(
        out.contains(
            "error calling include: rendering template has a nested reference name: r: unable to execute template"
        ),
        "{out}"
    );
    // Without the include limit, the stack guard still stops it.
    let out = run(
        r#"{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}"#,
        Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(out.contains("exceeded maximum template depth"), "{out}");
    // Deep nesting in the parser is refused, not overflowed.
    let deep = format!("{{{{ {}1{} }}}}", "(".repeat(5000), ")".repeat(5000));
    let mut set = Templates::new(FuncMap::new());
    let e = set.parse("t", &deep).unwrap_err().to_string();
    assert!(e.contains("exceeded maximum nesting depth"), "{e}");
    let deep_if = "{{ if true }}".repeat(3000);
    let e = set.parse("t", &deep_if).unwrap_err().to_string();
    assert!(e.contains("exceeded maximum nesting depth"), "{e}");
    // A runaway loop ends on the step budget.
    let mut opts = Options::default();
    opts.max_steps = 10_000;
    let big: Vec<Value> = (0..100_000).map(Value::Int).collect();
    let root = Map::new();
    root.insert("l", Value::list(big));
    let mut set = Templates::new(FuncMap::new()).with_options(opts);
    set.parse(
        "t",
        "{{ range .l }}{{ range $.l }}{{ . }}{{ end }}{{ end }}",
    )
    .unwrap();
    let e = set.execute("t", &Value::Map(root)).unwrap_err().to_string();
    assert!(
        e.contains("exceeded maximum execution steps (10000)"),
        "{e}"
    );
}

#[test]
fn self_referencing_map_does_not_overflow() {
    let m = Map::new();
    m.insert("self", Value::Map(m.clone()));
    let root = Map::new();
    root.insert("m", Value::Map(m));
    let mut set = Templates::new(FuncMap::new());
    set.parse("t", "{{ .m }}").unwrap();
    let out = set.execute("t", &Value::Map(root)).unwrap();
    assert!(out.starts_with("map[self:map[self:") && out.contains("<max depth>"));
}

#[test]
fn caller_thread_mode() {
    let mut opts = Options::helm();
    opts.stack_size = 0;
    let mut set = Templates::new(helpers()).with_options(opts);
    set.parse(
        "t",
        r#"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}"#,
    )
    .unwrap();
    let e = set.execute("t", &Value::Nil).unwrap_err().to_string();
    assert!(e.contains("exceeded maximum template depth"), "{e}");
}

#[test]
fn go_builtins_not_reachable_through_helm() {
    // Go's slice builtin (helm replaces it with sprig's).
    let r = |t: &str| {
        let mut set = Templates::new(FuncMap::new());
        set.parse("t", t).unwrap();
        let root = Map::new();
        root.insert(
            "l",
            Value::list(vec![Value::str("a"), Value::str("b"), Value::str("c")]),
        );
        set.execute("t", &Value::Map(root))
            .unwrap_or_else(|e| e.to_string())
    };
    assert_eq!(
        r("{{ slice .l 1 }} {{ slice .l 0 2 }} {{ slice \"abcd\" 1 3 }}"),
        "[b c] [a b] bc"
    );
    assert!(r("{{ slice .l 2 1 }}").ends_with("error calling slice: invalid slice index: 2 > 1"));
    assert!(r("{{ slice .l 0 9 }}").ends_with("error calling slice: index out of range: 9"));
    assert!(
        r("{{ slice \"ab\" 0 1 2 }}")
            .ends_with("error calling slice: cannot 3-index slice a string")
    );
    assert!(r("{{ slice 5 }}").ends_with("error calling slice: can't slice item of type int"));
}

#[test]
fn node_strings_are_go_strings() {
    // Go's Node.String(), used in "executing ... at <...>".
    let cases = [
        (
            "{{ if .a }}x{{ else }}y{{ end }}",
            "{{if .a}}x{{else}}y{{end}}",
        ),
        (
            "{{- range $i, $v := .l -}} {{ $v }} {{- end }}",
            "{{range $i, $v := .l}}{{$v}}{{end}}",
        ),
        ("{{ with $x := 1 }}{{ end }}", "{{with $x := 1}}{{end}}"),
        ("{{ $x := 1 }}{{ $x = 2 }}", "{{$x := 1}}{{$x = 2}}"),
        (
            r#"{{ template "x" . }}{{ template "y" }}"#,
            r#"{{template "x" .}}{{template "y"}}"#,
        ),
        (r#"{{ (1 | printf "%d").x }}"#, r#"{{(1 | printf "%d").x}}"#),
        (
            r#"{{ printf "%s" (len .a) | print }}"#,
            r#"{{printf "%s" (len .a) | print}}"#,
        ),
        (
            "{{ `raw` }} {{ 'c' }} {{ 0x1F }} {{ nil | print }}",
            "{{`raw`}} {{'c'}} {{0x1F}} {{nil | print}}",
        ),
        (
            "{{ $.a.b }}{{ .a.b }}{{ true }}",
            "{{$.a.b}}{{.a.b}}{{true}}",
        ),
        (
            "{{ if 1 }}a{{ else if 2 }}b{{ end }}",
            "{{if 1}}a{{else}}{{if 2}}b{{end}}{{end}}",
        ),
        (r#"{{ block "b" . }}B{{ end }}"#, r#"{{template "b" .}}"#),
        (
            "{{ range . }}{{ break }}{{ continue }}{{ end }}",
            "{{range .}}{{break}}{{continue}}{{end}}",
        ),
    ];
    for (src, want) in cases {
        let mut set = Templates::new(FuncMap::new());
        set.parse("t", src).unwrap();
        assert_eq!(set.tree("t").unwrap().root.to_string(), want, "{src}");
    }
}

#[test]
fn set_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Templates>();
    assert_send_sync::<Value>();
    assert_send_sync::<Error>();
    let mut set = Templates::new(FuncMap::new());
    set.parse("t", "{{ . }}").unwrap();
    let set = Arc::new(set);
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let set = set.clone();
            std::thread::spawn(move || set.execute("t", &Value::Int(i)).unwrap())
        })
        .collect();
    let outs: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(outs, vec!["0", "1", "2", "3"]);
}
