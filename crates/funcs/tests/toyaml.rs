//! toYaml / toJson / toPrettyJson / toRawJson of tricky values, compared
//! byte for byte with helm 3.17.2 (fixtures/funcs/toyaml.golden, generated
//! by scripts/oracle.d/funcs from fixtures/funcs/toyaml/). The values are
//! read by our own parser, so this also tests helm's value typing.

mod common;

use common::{Report, fixtures, read_golden};
use tusk_funcs::{json, yaml};

#[test]
fn to_yaml_and_json_match_helm() {
    let golden = read_golden("toyaml.golden");
    let text = std::fs::read_to_string(fixtures().join("toyaml/values.yaml")).unwrap();
    let values = yaml::parse_values(&text).expect("values parse");
    let values = values.as_map().expect("map").clone();
    let cases = values.get("cases").expect("cases");
    let mut r = Report::default();
    for (k, v) in cases.as_map().expect("cases map").entries() {
        let want = |suffix: &str| {
            golden
                .get(&format!("{k}_{suffix}"))
                .cloned()
                .unwrap_or_else(|| panic!("no golden for {k}_{suffix}"))
        };
        r.check(&format!("{k} toYaml"), &yaml::to_yaml(&v), &want("yaml"));
        r.check(
            &format!("{k} toJson"),
            &json::to_json(&v).unwrap_or_default(),
            &want("json"),
        );
        r.check(
            &format!("{k} toPrettyJson"),
            &json::to_pretty_json(&v).unwrap_or_default(),
            &want("pretty"),
        );
        r.check(
            &format!("{k} toRawJson"),
            &json::to_raw_json(&v).unwrap_or_default(),
            &want("raw"),
        );
    }
    for (k, v) in values.get("whole").unwrap().as_map().unwrap().entries() {
        r.check(
            &format!("whole {k}"),
            &yaml::to_yaml(&v),
            &golden[&format!("whole_{k}")],
        );
    }
    r.finish(4 * 150);
}
