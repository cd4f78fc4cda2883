//! docs/values.md carries the mapping tables generated from the code; this
//! test fails when they drift. `TUSK_UPDATE_DOCS=1` rewrites them.

use tusk_values::mapping::{Chart, markdown_secret_refs, markdown_table};

const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/values.md");

fn splice(doc: &str, name: &str, body: &str) -> Result<String, String> {
    let begin = format!("<!-- BEGIN {name} -->\n");
    let end = format!("<!-- END {name} -->");
    let b = doc.find(&begin).ok_or(format!("no {begin:?} marker"))? + begin.len();
    let e = doc[b..].find(&end).ok_or(format!("no {end:?} marker"))? + b;
    Ok(format!("{}{}{}", &doc[..b], body, &doc[e..]))
}

#[test]
fn docs_tables_match_the_code() {
    let current = std::fs::read_to_string(DOC).expect("docs/values.md");
    let mut want = current.clone();
    for chart in Chart::ALL {
        want = splice(&want, &format!("{chart} mapping"), &markdown_table(chart)).unwrap();
        want = splice(
            &want,
            &format!("{chart} secrets"),
            &markdown_secret_refs(chart),
        )
        .unwrap();
    }
    if std::env::var_os("TUSK_UPDATE_DOCS").is_some() {
        std::fs::write(DOC, &want).unwrap();
        return;
    }
    assert!(
        current == want,
        "docs/values.md is out of date; run TUSK_UPDATE_DOCS=1 cargo test -p tusk-values --test docs"
    );
}

#[test]
fn tables_are_consistent() {
    for chart in Chart::ALL {
        let mut seen = std::collections::HashSet::new();
        for m in chart.mappings() {
            assert!(seen.insert(m.env), "{chart}: {} twice", m.env);
        }
        // Every existing-Secret reference belongs to a known variable.
        for r in chart.secret_refs() {
            assert!(
                chart.mapping(r.env).is_some(),
                "{chart}: ref for unmapped {}",
                r.env
            );
        }
        // Every secret-only variable can be passed through an existing Secret.
        for m in chart.mappings() {
            if m.kind == tusk_values::mapping::Kind::SecretOnly {
                assert!(
                    chart.secret_refs().iter().any(|r| r.env == m.env),
                    "{chart}: {} has no Secret reference",
                    m.env
                );
            }
            // Secret-looking paths belong to secret variables.
            let p = m.path.to_ascii_lowercase();
            if p.contains("password")
                || p.contains(".secrets.")
                || p.contains("secretaccesskey")
                || p.contains("access_secret")
            {
                assert!(
                    tusk_values::mapping::SECRET_KEYS.contains(&m.env),
                    "{chart}: {} ({}) looks secret but is not in SECRET_KEYS",
                    m.env,
                    m.path
                );
            }
        }
    }
}
