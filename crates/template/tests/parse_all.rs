//! `Templates::parse_all` must leave the set exactly as consecutive
//! `parse` calls do, whatever the threads and however texts repeat.

use tusk_template::{FuncMap, Templates, Value};

/// Files with repeated texts (a library vendored twice), defines that later
/// files override (and an empty one that must not), and more than the 128 KiB
/// of distinct text that takes the parallel path.
fn files() -> Vec<(String, String)> {
    let lib = "{{- define \"lib.name\" -}}{{ .n | printf \"%v\" }}{{- end -}}\n\
               {{- define \"lib.empty\" }}keep{{ end -}}\n{{/* a comment */}}"
        .to_string();
    let mut out = vec![
        ("c/charts/a/charts/lib/templates/_n.tpl".into(), lib.clone()),
        ("c/charts/b/charts/lib/templates/_n.tpl".into(), lib.clone()),
        (
            "c/templates/_over.tpl".into(),
            "{{ define \"lib.name\" }}over{{ end }}{{ define \"lib.empty\" }}  {{ end }}".into(),
        ),
        // Names its own file in its text: must not be shared by the copy.
        (
            "c/templates/self.yaml".into(),
            "{{ define \"c/templates/self.yaml\" }}inner{{ end }}".into(),
        ),
        (
            "c/templates/self2.yaml".into(),
            "{{ define \"c/templates/self.yaml\" }}inner{{ end }}".into(),
        ),
    ];
    for i in 0..200 {
        let body = format!(
            "{{{{/* {i} */}}}}\nkind: {{{{ template \"lib.name\" . }}}}\n{}",
            "x: {{ if .a }}{{ range $k, $v := .m }}{{ $k }}={{ $v | printf \"%q\" }}{{ end }}{{ end }}\n"
                .repeat(12)
        );
        out.push((format!("c/templates/f{}.yaml", i % 150), body));
    }
    let distinct: usize = out.iter().skip(5).take(150).map(|(_, t)| t.len()).sum();
    assert!(distinct > 128 << 10, "{distinct}");
    out
}

fn dump(set: &Templates) -> Vec<String> {
    let mut names: Vec<&str> = set.names();
    names.sort();
    names
        .iter()
        .map(|n| {
            let t = set.tree(n).unwrap();
            format!("{n} [{}] {}", t.parse_name, t.root)
        })
        .collect()
}

fn refs(files: &[(String, String)]) -> Vec<(&str, &str)> {
    files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect()
}

#[test]
fn same_set_as_sequential_parses() {
    let files = files();
    let mut seq = Templates::new(FuncMap::new());
    for (n, t) in &files {
        seq.parse(n, t).unwrap();
    }
    let want = dump(&seq);
    assert!(
        want.iter()
            .any(|l| l.starts_with("lib.name [c/templates/_over.tpl]"))
    );
    assert!(
        want.iter()
            .any(|l| l.starts_with("lib.empty [c/charts/b/charts/lib"))
    );
    for threads in [1, 2, 4] {
        let mut all = Templates::new(FuncMap::new());
        all.parse_all(&refs(&files), threads).unwrap();
        assert_eq!(dump(&all), want, "threads {threads}");
        let out = all.execute("c/templates/f3.yaml", &Value::Nil).unwrap();
        assert!(out.contains("kind: over"), "{out}");
    }
}

#[test]
fn first_error_in_order_whatever_the_threads() {
    let mut files = files();
    files.insert(
        7,
        ("c/templates/bad1.yaml".into(), "{{ nosuchfunc }}".into()),
    );
    files.push(("c/templates/bad2.yaml".into(), "{{ if }}".into()));
    let mut seq = Templates::new(FuncMap::new());
    let want = files
        .iter()
        .find_map(|(n, t)| seq.parse(n, t).err())
        .unwrap()
        .to_string();
    for threads in [1, 2, 4] {
        let mut all = Templates::new(FuncMap::new());
        let (i, e) = all.parse_all(&refs(&files), threads).unwrap_err();
        assert_eq!(i, 7);
        assert_eq!(e.to_string(), want);
    }
}
