//! `check` on the fixture charts, loaded here by a few lines of file
//! reading (the real command loads charts with tusk-chart).

use std::path::Path;

use tusk_values::check::{ChartKeys, Unknown};
use tusk_values::yaml::{self, Map, Node};

fn map(text: &str) -> Map {
    match yaml::from_yaml(&yaml_serde::from_str(text).unwrap()) {
        Node::Map(m) => m,
        Node::Null => Map::new(),
        other => panic!("{other:?}"),
    }
}

fn add_chart(keys: &mut ChartKeys, prefix: &str, dir: &Path) {
    if let Ok(v) = std::fs::read_to_string(dir.join("values.yaml")) {
        keys.declare(prefix, &map(&v));
    }
    let mut stack = vec![dir.join("templates")];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                keys.scan_template(prefix, &std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    if let Ok(rd) = std::fs::read_dir(dir.join("charts")) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let sub = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}.{name}")
            };
            add_chart(keys, &sub, &e.path());
        }
    }
}

fn keys(chart: &str) -> ChartKeys {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/charts")
        .join(chart);
    let mut k = ChartKeys::new();
    add_chart(&mut k, "", &dir);
    k
}

fn unknown(path: &str, suggestion: Option<&str>) -> Unknown {
    Unknown {
        path: path.into(),
        suggestion: suggestion.map(Into::into),
    }
}

#[test]
fn classic_fixture() {
    let k = keys("mastodon-classic");
    let user = map(r#"
mastodon:
  localDomain: typo.example          # the next chart's spelling
  local_domain: ok.example
  otel:
    endpointUri: http://x             # read by templates, not declared
    exporterUri: http://y             # declared, not read
  smtp:
    sever: smtp.example               # typo
  s3:
    enabled: true
podAnnotations:
  anything.example/goes: "yes"        # free-form map
resources:
  limits:
    cpu: "1"
postgresql:
  auth:
    password: secret
  primery: {}                          # typo, subchart values
global:
  whatever: 1
completelyNew:
  nested: true
"#);
    assert_eq!(
        k.check(&user),
        [
            unknown("mastodon.localDomain", Some("mastodon.local_domain")),
            unknown("mastodon.smtp.sever", Some("mastodon.smtp.server")),
            unknown("postgresql.primery", Some("postgresql.primary")),
            unknown("completelyNew", None),
        ]
    );
}

#[test]
fn next_fixture_relative_reads() {
    let k = keys("mastodon-next");
    // endpointUri is read (`.Values.mastodon.otel.endpointUri`) though only
    // exporterUri is declared; extraEnvVars is a free-form map.
    let user = map(r#"
mastodon:
  localDomian: a.example
  otel:
    endpointUri: http://x
  web:
    otel:
      endpointUri: http://y
    extraEnvVars:
      A: b
  smtp:
    bulk:
      sever: x
postgresql:
  hostnme: db
elasticsearch:
  preset: small_cluster
"#);
    assert_eq!(
        k.check(&user),
        [
            unknown("mastodon.localDomian", Some("mastodon.localDomain")),
            unknown(
                "mastodon.smtp.bulk.sever",
                Some("mastodon.smtp.bulk.server")
            ),
            unknown("postgresql.hostnme", Some("postgresql.hostname")),
        ]
    );
}
