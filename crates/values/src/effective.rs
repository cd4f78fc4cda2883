//! Where each effective value came from.
//!
//! Given the values helm would use (user values coalesced over the chart's
//! defaults, computed by `tusk-chart`) and each user source on its own (every
//! `-f` file and `--set` flag, in helm's order of precedence), every leaf is
//! annotated with the last source that sets it, or "chart default".

use crate::yaml::{self, Map, Node};

/// One user-supplied source of values.
#[derive(Debug, Clone)]
pub struct Source {
    /// How to name it (`-f values.yaml`, `--set a.b=c`).
    pub label: String,
    /// The values it sets, on its own.
    pub tree: Map,
}

/// The origin of a leaf that no source sets.
pub const CHART_DEFAULT: &str = "chart default";

/// Whether `tree` sets the value at `path` (the path exists as is).
fn sets(tree: &Map, path: &[&str]) -> bool {
    let mut cur = tree;
    for (i, seg) in path.iter().enumerate() {
        let Some(v) = cur.get(seg) else { return false };
        if i + 1 == path.len() {
            return true;
        }
        match v {
            Node::Map(m) => cur = m,
            _ => return false,
        }
    }
    false
}

fn annotate_map(m: &mut Map, path: &mut Vec<String>, sources: &[Source]) {
    for e in m.entries_mut() {
        path.push(e.key.clone());
        match &mut e.value {
            Node::Map(child) if !child.is_empty() => annotate_map(child, path, sources),
            _ => {
                let parts: Vec<&str> = path.iter().map(String::as_str).collect();
                let origin = sources
                    .iter()
                    .rev()
                    .find(|s| sets(&s.tree, &parts))
                    .map_or(CHART_DEFAULT, |s| s.label.as_str());
                e.trailing = Some(origin.to_string());
            }
        }
        path.pop();
    }
}

/// The effective values with each leaf's origin as a line comment.
/// `sources` are in increasing precedence (later wins).
pub fn annotate(effective: &Map, sources: &[Source]) -> Map {
    let mut out = effective.clone();
    annotate_map(&mut out, &mut Vec::new(), sources);
    out
}

/// [`annotate`] written as YAML.
pub fn render(effective: &Map, sources: &[Source], header: &[String]) -> String {
    yaml::emit(header, &annotate(effective, sources))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str) -> Map {
        match yaml::from_yaml(&yaml_serde::from_str(text).unwrap()) {
            Node::Map(m) => m,
            _ => panic!(),
        }
    }

    #[test]
    fn last_source_wins_and_defaults_are_named() {
        let effective = map("a:\n  b: 2\n  c: x\nlist: [1]\nempty: {}\n");
        let sources = [
            Source {
                label: "-f one.yaml".into(),
                tree: map("a:\n  b: 1\nlist: [1]\n"),
            },
            Source {
                label: "--set a.b=2".into(),
                tree: map("a:\n  b: 2\n"),
            },
        ];
        assert_eq!(
            render(&effective, &sources, &[]),
            "a:\n  b: 2  # --set a.b=2\n  c: x  # chart default\nlist:  # -f one.yaml\n  - 1\nempty: {}  # chart default\n"
        );
    }
}
