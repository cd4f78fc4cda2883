//! Parse and execute benchmarks on a large, helm-like template.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tusk_template::{FuncMap, Map, Options, Templates, Value};

const HELPERS: &str = r#"
{{- define "app.name" -}}{{ .Values.name }}{{- end -}}
{{- define "app.labels" -}}
app.kubernetes.io/name: {{ template "app.name" . }}
app.kubernetes.io/instance: {{ .Values.instance | printf "%s-%s" "rel" }}
{{- range $k, $v := .Values.labels }}
{{ $k }}: {{ $v | printf "%q" }}
{{- end }}
{{- end -}}
"#;

const DEPLOYMENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "app.name" . }}-{{ .Values.component }}
  labels:
{{ include "app.labels" . | indent4 }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      containers:
      {{- range $i, $c := .Values.containers }}
        - name: {{ $c.name }}
          image: "{{ $c.image.repository }}:{{ $c.image.tag | default "latest" }}"
          {{- if $c.ports }}
          ports:
          {{- range $c.ports }}
            - containerPort: {{ .port }}
              name: {{ .name | printf "%.15s" }}
          {{- end }}
          {{- end }}
          env:
          {{- range $k, $v := $.Values.env }}
            - name: {{ $k }}
              value: {{ $v | printf "%v" | printf "%q" }}
          {{- end }}
          {{- with $c.resources }}
          resources:
            limits: {{ .limits }}
          {{- else }}
          resources: {}
          {{- end }}
      {{- end }}
"#;

fn funcs() -> FuncMap {
    let mut f = FuncMap::new();
    f.register("include", |ctx, args| {
        let name = args[0].as_str().unwrap_or_default().to_string();
        ctx.execute_template(&name, &args[1]).map(Value::from)
    });
    f.register("indent4", |_ctx, args| {
        let s = args[0].as_str().unwrap_or_default();
        Ok(Value::from(
            s.lines()
                .map(|l| format!("    {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ))
    });
    f.register("default", |_ctx, args| {
        let given = args.get(1).cloned().unwrap_or(Value::Nil);
        Ok(if tusk_template::exec::eval::is_true(&given) {
            given
        } else {
            args[0].clone()
        })
    });
    f
}

fn big_text(copies: usize) -> String {
    let mut s = String::new();
    for _ in 0..copies {
        s.push_str(DEPLOYMENT);
        s.push_str("---\n");
    }
    s
}

fn data() -> Value {
    let v = Map::new();
    v.insert("name", Value::str("mastodon"));
    v.insert("instance", Value::str("prod"));
    v.insert("component", Value::str("web"));
    v.insert("replicas", Value::Float(3.0));
    let labels = Map::new();
    for i in 0..5 {
        labels.insert(format!("label{i}"), Value::str(format!("value{i}")));
    }
    v.insert("labels", Value::Map(labels));
    let env = Map::new();
    for i in 0..20 {
        env.insert(format!("ENV_{i}"), Value::Float(i as f64));
    }
    v.insert("env", Value::Map(env));
    let mut containers = Vec::new();
    for i in 0..3 {
        let c = Map::new();
        c.insert("name", Value::str(format!("c{i}")));
        let img = Map::new();
        img.insert("repository", Value::str("ghcr.io/mastodon/mastodon"));
        if i > 0 {
            img.insert("tag", Value::str("v4.3.0"));
        }
        c.insert("image", Value::Map(img));
        let ports: Vec<Value> = (0..3)
            .map(|p| {
                let m = Map::new();
                m.insert("port", Value::Float(3000.0 + p as f64));
                m.insert("name", Value::str(format!("http-port-number-{p}")));
                Value::Map(m)
            })
            .collect();
        c.insert("ports", Value::list(ports));
        containers.push(Value::Map(c));
    }
    v.insert("containers", Value::list(containers));
    let root = Map::new();
    root.insert("Values", Value::Map(v));
    Value::Map(root)
}

fn bench(c: &mut Criterion) {
    let text = big_text(100);
    c.bench_function("parse 100 deployments (3.5k lines, 96 KB)", |b| {
        b.iter(|| {
            let mut set = Templates::new(funcs());
            set.parse("helpers.tpl", HELPERS).unwrap();
            set.parse("big.yaml", black_box(&text)).unwrap();
            set
        })
    });
    c.bench_function("parse 100 deployments on the caller's thread", |b| {
        b.iter(|| {
            let mut opts = Options::helm();
            opts.stack_size = 0;
            let mut set = Templates::new(funcs()).with_options(opts);
            set.parse("helpers.tpl", HELPERS).unwrap();
            set.parse("big.yaml", black_box(&text)).unwrap();
            set
        })
    });
    let mut set = Templates::new(funcs()).with_options(Options::helm());
    set.parse("helpers.tpl", HELPERS).unwrap();
    set.parse("big.yaml", &text).unwrap();
    let d = data();
    let out = set.execute("big.yaml", &d).unwrap();
    assert!(out.contains("containerPort: 3002"));
    c.bench_function("execute 100 deployments (17k lines, 446 KB out)", |b| {
        b.iter(|| set.execute("big.yaml", black_box(&d)).unwrap())
    });
    let mut small = Templates::new(funcs()).with_options(Options::helm());
    small.parse("helpers.tpl", HELPERS).unwrap();
    small.parse("one.yaml", DEPLOYMENT).unwrap();
    c.bench_function("execute 1 deployment (thread spawn included)", |b| {
        b.iter(|| small.execute("one.yaml", black_box(&d)).unwrap())
    });
    // What a renderer does: many executions on one with_stack worker.
    let size = small.options().stack_size;
    c.bench_function("execute 1 deployment on a with_stack worker", |b| {
        b.iter_custom(|iters| {
            tusk_template::with_stack(size, || {
                let start = std::time::Instant::now();
                for _ in 0..iters {
                    black_box(small.execute("one.yaml", black_box(&d)).unwrap());
                }
                start.elapsed()
            })
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
