//! `from-env` on a realistic compose `.env.production`, for both charts and
//! both ways of handling secrets.

use tusk_values::dotenv;
use tusk_values::from_env::{FromEnv, Options, SecretsTarget, from_env};
use tusk_values::mapping::{Chart, Kind, SECRET_KEYS};
use tusk_values::yaml::{self, Map, Node};

fn entries() -> Vec<(String, String)> {
    dotenv::parse(include_str!("data/env.production"), "env.production").unwrap()
}

fn run(chart: Chart, target: SecretsTarget) -> FromEnv {
    from_env(
        &entries(),
        &Options {
            chart,
            target,
            secret_keys: vec![],
            source: "env.production".into(),
        },
    )
}

fn parse(text: &str) -> Map {
    match yaml::from_yaml(&yaml_serde::from_str(text).unwrap()) {
        Node::Map(m) => m,
        other => panic!("not a map: {other:?}"),
    }
}

/// Everything a person sees: the files and the report.
fn transcript(out: &FromEnv) -> String {
    let mut s = format!("--- values\n{}", out.values);
    if let Some(sec) = &out.secrets {
        s.push_str(&format!("--- secrets\n{sec}"));
    }
    s.push_str("--- warnings\n");
    for w in &out.warnings {
        s.push_str(&format!("{w}\n"));
    }
    s.push_str("--- required keys\n");
    for k in &out.required_keys {
        s.push_str(&format!("{} {} <- {}\n", k.secret, k.key, k.env));
    }
    s
}

#[test]
fn snapshots() {
    for chart in Chart::ALL {
        let file = run(chart, SecretsTarget::File);
        insta::assert_snapshot!(format!("{chart}_secrets_file"), transcript(&file));
        let existing = run(chart, SecretsTarget::Existing("mastodon-env".into()));
        insta::assert_snapshot!(format!("{chart}_existing_secret"), transcript(&existing));
    }
}

#[test]
fn secret_values_never_reach_the_plain_file() {
    let e = entries();
    for chart in Chart::ALL {
        for target in [SecretsTarget::File, SecretsTarget::Existing("s".into())] {
            let out = run(chart, target.clone());
            for (k, v) in &e {
                if SECRET_KEYS.contains(&k.as_str()) {
                    assert!(
                        !out.values.contains(v.as_str()),
                        "{chart} {target:?}: value of {k} leaked into the values file"
                    );
                }
            }
            if let SecretsTarget::Existing(_) = target {
                assert!(out.secrets.is_none());
            }
        }
    }
}

#[test]
fn every_mapped_variable_lands_at_its_path() {
    let e = entries();
    for chart in Chart::ALL {
        let out = run(chart, SecretsTarget::File);
        let plain = parse(&out.values);
        let secrets = parse(out.secrets.as_deref().unwrap());
        let mut checked = 0;
        for (k, v) in &e {
            let Some(m) = chart.mapping(k) else { continue };
            if m.path.is_empty() {
                continue;
            }
            let doc = if SECRET_KEYS.contains(&k.as_str()) {
                &secrets
            } else {
                &plain
            };
            let got = doc
                .get_path(m.path)
                .unwrap_or_else(|| panic!("{chart}: {k} missing at {}", m.path));
            let expected = match (m.kind, got) {
                (Kind::List, Node::Seq(items)) => items
                    .iter()
                    .map(|i| match i {
                        Node::Str(s) => s.clone(),
                        other => panic!("{other:?}"),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                (Kind::Host { .. }, Node::Str(s)) => format!("https://{s}"),
                (_, Node::Str(s)) => s.clone(),
                (_, Node::Int(i)) => i.to_string(),
                (_, Node::Bool(b)) => b.to_string(),
                (_, other) => panic!("{chart}: {k}: unexpected {other:?}"),
            };
            assert_eq!(&expected, v, "{chart}: {k} at {}", m.path);
            checked += 1;
        }
        assert!(checked > 40, "{chart}: only {checked} checked");
        // Unmapped plain variables are in the extra-env map, as strings.
        let extra = plain.get_path(chart.extra_env_path()).unwrap();
        let Node::Map(extra) = extra else { panic!() };
        assert_eq!(
            extra.get("IP_RETENTION_PERIOD"),
            Some(&Node::Str("31556952".into()))
        );
        assert!(
            out.unmapped
                .contains(&"SESSION_RETENTION_PERIOD".to_string())
        );
        assert!(
            out.warnings
                .iter()
                .any(|w| w.contains("IP_RETENTION_PERIOD") && w.contains("extraEnvVars"))
        );
    }
}

#[test]
fn extra_secret_keys_are_kept_out_of_the_plain_file() {
    let out = from_env(
        &entries(),
        &Options {
            chart: Chart::Next,
            target: SecretsTarget::File,
            secret_keys: vec!["SMTP_FROM_ADDRESS".into(), "IP_RETENTION_PERIOD".into()],
            source: "x".into(),
        },
    );
    assert!(!out.values.contains("notifications@example.social"));
    assert!(!out.values.contains("IP_RETENTION_PERIOD"));
    let secrets = parse(out.secrets.as_deref().unwrap());
    assert_eq!(
        secrets.get_path("mastodon.smtp.fromAddress"),
        Some(&Node::Str("Mastodon <notifications@example.social>".into()))
    );
    assert_eq!(
        secrets.get_path("mastodon.extraEnvVars.IP_RETENTION_PERIOD"),
        Some(&Node::Str("31556952".into()))
    );
}

#[test]
fn output_is_deterministic() {
    for chart in Chart::ALL {
        let a = run(chart, SecretsTarget::File);
        let b = run(chart, SecretsTarget::File);
        assert_eq!(a.values, b.values);
        assert_eq!(a.secrets, b.secrets);
    }
}

#[test]
fn type_conversions_and_their_warnings() {
    let e = dotenv::parse(
        "DB_PORT=five\nSINGLE_USER_MODE=1\nRAILS_ENV=development\nES_HOST=http://es\n",
        "t.env",
    )
    .unwrap();
    let out = from_env(
        &e,
        &Options {
            chart: Chart::Classic,
            target: SecretsTarget::File,
            secret_keys: vec![],
            source: "t.env".into(),
        },
    );
    let plain = parse(&out.values);
    assert_eq!(
        plain.get_path("postgresql.postgresqlPort"),
        Some(&Node::Str("five".into()))
    );
    assert_eq!(
        plain.get_path("mastodon.singleUserMode"),
        Some(&Node::Str("1".into()))
    );
    assert_eq!(
        plain.get_path("elasticsearch.hostname"),
        Some(&Node::Str("es".into()))
    );
    assert_eq!(
        plain.get_path("elasticsearch.tls"),
        Some(&Node::Bool(false))
    );
    let w = out.warnings.join("\n");
    assert!(w.contains("DB_PORT=\"five\" is not an integer"), "{w}");
    assert!(
        w.contains("SINGLE_USER_MODE=\"1\" is not true or false"),
        "{w}"
    );
    assert!(w.contains("always sets RAILS_ENV=\"production\""), "{w}");
    assert!(out.secrets.is_none());
}

#[test]
fn next_without_s3_turns_volumes_on() {
    let e = dotenv::parse("LOCAL_DOMAIN=a.example\n", "t.env").unwrap();
    let out = from_env(
        &e,
        &Options {
            chart: Chart::Next,
            target: SecretsTarget::File,
            secret_keys: vec![],
            source: "t.env".into(),
        },
    );
    let plain = parse(&out.values);
    assert_eq!(
        plain.get_path("mastodon.s3.enabled"),
        Some(&Node::Bool(false))
    );
    assert_eq!(
        plain.get_path("mastodon.pvc.enabled"),
        Some(&Node::Bool(true))
    );
}

#[test]
fn shuffled_env_gives_the_same_files() {
    let mut e = entries();
    e.reverse();
    for chart in Chart::ALL {
        let opts = Options {
            chart,
            target: SecretsTarget::File,
            secret_keys: vec![],
            source: "env.production".into(),
        };
        let a = from_env(&entries(), &opts);
        let b = from_env(&e, &opts);
        assert_eq!(a.values, b.values);
        assert_eq!(a.secrets, b.secrets);
    }
}

#[test]
fn extra_secret_without_a_secret_reference_is_dropped_with_a_warning() {
    let out = from_env(
        &entries(),
        &Options {
            chart: Chart::Classic,
            target: SecretsTarget::Existing("s".into()),
            secret_keys: vec!["SMTP_FROM_ADDRESS".into()],
            source: "x".into(),
        },
    );
    assert!(!out.values.contains("notifications@example.social"));
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("SMTP_FROM_ADDRESS") && w.contains("not written")),
        "{:?}",
        out.warnings
    );
}
