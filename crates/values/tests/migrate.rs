//! `tusk values migrate`: classic values → next values.

use tusk_values::migrate::migrate;
use tusk_values::yaml::{self, Map, Node};

fn run() -> tusk_values::migrate::Migrated {
    migrate(
        include_str!("data/classic-values.yaml"),
        "classic-values.yaml",
    )
    .unwrap()
}

fn parse(text: &str) -> Map {
    match yaml::from_yaml(&yaml_serde::from_str(text).unwrap()) {
        Node::Map(m) => m,
        other => panic!("not a map: {other:?}"),
    }
}

fn s(v: &str) -> Node {
    Node::Str(v.into())
}

#[test]
fn snapshot_with_report() {
    let out = run();
    let mut t = format!("--- values\n{}--- changed\n", out.values);
    for n in &out.changed {
        t.push_str(&format!("{}: {}\n", n.path, n.message));
    }
    t.push_str("--- not migrated\n");
    for n in &out.unmapped {
        t.push_str(&format!("{}: {}\n", n.path, n.message));
    }
    insta::assert_snapshot!("migrate_classic_values", t);
}

#[test]
fn values_move_to_next_paths() {
    let out = run();
    let v = parse(&out.values);
    let expect = [
        ("mastodon.localDomain", s("example.social")),
        ("mastodon.webDomain", s("mastodon.example.social")),
        (
            "mastodon.alternateDomains",
            Node::Seq(vec![s("example.org")]),
        ),
        ("mastodon.authorizedFetch", Node::Bool(true)),
        (
            "mastodon.smtp.fromAddress",
            s("notifications@example.social"),
        ),
        ("mastodon.smtp.enableStartTls", s("auto")),
        ("mastodon.smtp.existingSecret", s("mastodon-smtp")),
        ("mastodon.smtp.existingSecretKeys.username", s("login")),
        (
            "mastodon.streaming.baseUrl",
            s("wss://streaming.example.social"),
        ),
        ("mastodon.streaming.workers", Node::Int(2)),
        ("mastodon.pvc.enabled", Node::Bool(true)),
        ("mastodon.pvc.assets.accessMode", s("ReadWriteMany")),
        ("mastodon.pvc.system.existingClaim", s("mastodon-system")),
        ("mastodon.s3.enabled", Node::Bool(false)),
        (
            "mastodon.otel.endpointUri",
            s("http://alloy.monitoring.svc:4318"),
        ),
        ("mastodon.secrets.existingSecret", s("mastodon-secrets")),
        (
            "mastodon.secrets.existingSecretKeys.secretKeyBase",
            s("SECRET_KEY_BASE"),
        ),
        ("mastodon.web.replicas", Node::Int(2)),
        ("mastodon.web.resources.requests.cpu", s("500m")),
        ("mastodon.extraEnvVars.IP_RETENTION_PERIOD", s("31556952")),
        ("postgresql.hostname", s("db.internal")),
        ("postgresql.port", Node::Int(5432)),
        ("postgresql.database", s("mastodon_production")),
        ("postgresql.username", s("mastodon")),
        ("postgresql.existingSecret", s("mastodon-db")),
        ("redis.hostname", s("redis.internal")),
        ("redis.existingSecret", s("mastodon-redis")),
        ("redis.existingSecretKeys.password", s("password")),
        ("elasticsearch.enabled", Node::Bool(true)),
        ("elasticsearch.hostname", s("search.internal")),
        ("elasticsearch.tls", Node::Bool(true)),
        ("ingress.className", s("nginx")),
        ("image.tag", s("v4.3.2")),
    ];
    for (path, value) in expect {
        assert_eq!(v.get_path(path), Some(&value), "{path}");
    }
    // Annotation keys with dots survive as keys of a copied subtree.
    let Some(Node::Map(ann)) = v.get_path("ingress.annotations") else {
        panic!("annotations")
    };
    assert_eq!(
        ann.get("nginx.ingress.kubernetes.io/proxy-body-size"),
        Some(&s("40m"))
    );
    // Nothing from the classic-only spelling is left behind.
    for gone in [
        "local_domain",
        "postgresqlHostname",
        "ingressClassName",
        "persistence",
    ] {
        assert!(!out.values.contains(gone), "{gone} in output");
    }
}

#[test]
fn the_report_names_what_could_not_be_mapped() {
    let out = run();
    let paths: Vec<&str> = out.unmapped.iter().map(|n| n.path.as_str()).collect();
    for p in [
        "mastodon.cron",
        "mastodon.metrics.statsd",
        "mastodon.web.customDatabaseConfigYml",
        "elasticsearch.master",
        "externalAuth",
    ] {
        assert!(paths.contains(&p), "{p} not reported: {paths:?}");
    }
    // Bundled services switched off are simply consumed.
    assert!(!paths.contains(&"postgresql.enabled"));
    let changed: Vec<&str> = out.changed.iter().map(|n| n.path.as_str()).collect();
    assert!(changed.contains(&"mastodon.otel.exporterUri"));
    assert!(changed.contains(&"postgresql.auth.existingSecret"));
}

#[test]
fn bundled_services_are_reported() {
    let out = migrate(
        "postgresql:\n  enabled: true\nredis:\n  enabled: true\n",
        "v.yaml",
    )
    .unwrap();
    let msgs: Vec<String> = out.unmapped.iter().map(|n| n.message.clone()).collect();
    assert!(msgs[0].contains("no bundled postgresql"), "{msgs:?}");
    assert!(msgs[1].contains("no bundled redis"), "{msgs:?}");
}

#[test]
fn bad_yaml_names_the_file() {
    let err = migrate("a: [1\n", "broken.yaml").unwrap_err().to_string();
    assert!(err.starts_with("broken.yaml: "), "{err}");
    let err = migrate("- 1\n", "list.yaml").unwrap_err().to_string();
    assert_eq!(err, "list.yaml: the top level is not a mapping");
}
