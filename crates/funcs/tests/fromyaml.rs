//! fromYaml / fromYamlArray of tricky documents (typing, anchors, merge
//! keys, block scalars, tags, errors), compared with helm 3.17.2 through
//! `toJson` (fixtures/funcs/fromyaml.golden).

mod common;

use common::{Report, fixtures, read_golden};
use tusk_funcs::{helm, json, yaml};

#[test]
fn from_yaml_matches_helm() {
    let golden = read_golden("fromyaml.golden");
    let text = std::fs::read_to_string(fixtures().join("fromyaml/values.yaml")).unwrap();
    let values = yaml::parse_values(&text).expect("values parse");
    let docs = values.as_map().unwrap().get("docs").unwrap();
    let mut r = Report::default();
    for (k, v) in docs.as_map().unwrap().entries() {
        let src = v.as_str().unwrap();
        r.check(
            &format!("{k} fromYaml"),
            &json::to_json(&helm::from_yaml(src)).unwrap(),
            &golden[&format!("{k}_map")],
        );
        r.check(
            &format!("{k} fromYamlArray"),
            &json::to_json(&helm::from_yaml_array(src)).unwrap(),
            &golden[&format!("{k}_arr")],
        );
    }
    r.finish(80);
}
