use tusk_template::{FuncError, FuncMap, Map, MissingKey, Options, Templates, Value};

fn data() -> Value {
    let values = Map::new();
    values.insert("name", Value::str("web"));
    values.insert("replicas", Value::Float(3.0));
    values.insert("list", Value::list(vec![Value::str("a"), Value::str("b")]));
    let nested = Map::new();
    nested.insert("x", Value::Int(1));
    values.insert("nested", Value::Map(nested));
    values.insert("nothing", Value::Nil);
    let root = Map::new();
    root.insert("Values", Value::Map(values));
    Value::Map(root)
}

fn funcs() -> FuncMap {
    let mut f = FuncMap::new();
    f.register("include", |ctx, args| {
        let name = args[0].as_str().unwrap_or_default().to_string();
        ctx.execute_template(&name, &args[1]).map(Value::from)
    });
    f.register("tpl", |ctx, args| {
        let text = args[0].as_str().unwrap_or_default().to_string();
        ctx.execute_text(&text, &args[1]).map(Value::from)
    });
    f.register("fail", |_ctx, args| {
        Err(FuncError::Failed(
            args[0].as_str().unwrap_or("").to_string(),
        ))
    });
    f
}

fn run(text: &str) -> String {
    run_opts(text, Options::helm())
}

fn run_opts(text: &str, opts: Options) -> String {
    let mut set = Templates::new(funcs())
        .with_name("gotpl")
        .with_options(opts);
    match set.parse("t", text) {
        Ok(()) => {}
        Err(e) => return format!("PARSE: {e}"),
    }
    match set.execute("t", &data()) {
        Ok(s) => s,
        Err(e) => format!("EXEC: {e}"),
    }
}

#[test]
fn basics() {
    assert_eq!(run("{{ .Values.name }}"), "web");
    assert_eq!(run("{{ .Values.replicas }}"), "3");
    assert_eq!(run("{{ .Values.missing }}"), "<no value>");
    assert_eq!(run("{{ .Values.nothing }}"), "<no value>");
    assert_eq!(run("{{ print .Values.missing }}"), "<nil>");
    assert_eq!(
        run("{{ .Values.missing.y }}"),
        "EXEC: template: t:1:10: executing \"t\" at <.Values.missing.y>: nil pointer evaluating interface {}.y"
    );
    assert_eq!(
        run_opts("{{ .Values.missing.y }}", Options::default()),
        "<no value>"
    );
    assert_eq!(run("{{ range .Values.list }}[{{ . }}]{{ end }}"), "[a][b]");
    assert_eq!(
        run("{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }};{{ end }}"),
        "0=a;1=b;"
    );
    assert_eq!(
        run("{{- if eq .Values.name \"web\" -}}  yes  {{- end }}"),
        "yes"
    );
    assert_eq!(
        run("{{ define \"x\" }}X{{ . }}{{ end }}{{ template \"x\" 1 }}{{ include \"x\" 2 }}"),
        "X1X2"
    );
    assert_eq!(run("{{ tpl \"{{ .Values.name }}\" . }}"), "web");
    assert_eq!(run("{{ printf \"%d-%s\" 3 \"a\" }}"), "3-a");
    assert_eq!(run("{{ len .Values.list }}"), "2");
    assert_eq!(run("{{ index .Values.list 1 }}"), "b");
    assert_eq!(run("{{ .Values.nested }}"), "map[x:1]");
    assert_eq!(
        run("{{ and 1 0 }} {{ or 0 \"\" 3 }} {{ not 1 }}"),
        "0 3 false"
    );
    assert!(run("{{ range 3 }}{{ . }}{{ end }}").ends_with("range can't iterate over 3"));
    assert_eq!(
        run("{{ with .Values.missing }}a{{ else with .Values.name }}{{ . }}{{ end }}"),
        "web"
    );
    assert_eq!(
        run("{{ foo }}"),
        "PARSE: template: t:1: function \"foo\" not defined"
    );
    assert_eq!(run("{{ if true }}"), "PARSE: template: t:1: unexpected EOF");
    assert_eq!(
        run("{{ fail \"boom\" }}"),
        "EXEC: template: t:1:3: executing \"t\" at <fail \"boom\">: error calling fail: boom"
    );
    assert_eq!(
        run("{{ eq .Values.replicas 3 }}"),
        "EXEC: template: t:1:3: executing \"t\" at <eq .Values.replicas 3>: error calling eq: incompatible types for comparison"
    );
    let _ = MissingKey::Zero;
}

#[test]
fn recursion_is_bounded() {
    let out = run("{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}");
    assert!(
        out.contains("rendering template has a nested reference name: r"),
        "{out}"
    );
    let out = run("{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}");
    assert!(
        out.contains("exceeded maximum template depth (100000)"),
        "{out}"
    );
}
