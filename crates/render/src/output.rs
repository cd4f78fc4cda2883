//! Assembling what `helm template` prints: CRDs (with `--include-crds`),
//! resources in install order, the trailing trim helm applies, hooks (unless
//! `--no-hooks`, tests unless `--skip-tests`), and `--show-only` filtering.

use std::sync::LazyLock;

use regex::Regex;

use crate::manifest::split_manifests;
use crate::sort::{Hook, SortedManifest};
use crate::{Output, OutputManifest, RenderError};

/// The output switches of `helm template`.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// `--include-crds`
    pub include_crds: bool,
    /// `--skip-tests`
    pub skip_tests: bool,
    /// `--no-hooks`
    pub no_hooks: bool,
    /// `--show-only` patterns.
    pub show_only: Vec<String>,
}

static SOURCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"# Source: [^/]+/(.+)").expect("static regex"));

/// Builds the printed documents. `crds` are (file name, raw contents).
pub fn assemble(
    crds: Vec<(String, String)>,
    manifests: Vec<SortedManifest>,
    hooks: Vec<Hook>,
    opts: &OutputOptions,
) -> Result<Output, RenderError> {
    let mut out: Vec<OutputManifest> = Vec::new();
    if opts.include_crds {
        for (name, data) in crds {
            out.push(OutputManifest {
                source: name,
                content: data,
            });
        }
    }
    for m in manifests {
        out.push(OutputManifest {
            source: m.name,
            content: m.content,
        });
    }
    // helm prints strings.TrimSpace(manifest) + "\n": only the end of the
    // last resource can carry trailing whitespace (raw CRD files).
    if let Some(last) = out.last_mut() {
        let t = last.content.trim_end().len();
        last.content.truncate(t);
    }
    let release_empty = out.is_empty() && opts.show_only.is_empty();
    if !opts.no_hooks {
        for h in hooks {
            if opts.skip_tests && h.is_test() {
                continue;
            }
            out.push(OutputManifest {
                source: h.path,
                content: h.manifest,
            });
        }
    }
    Ok(Output {
        manifests: show_only(out, &opts.show_only)?,
        release_empty,
    })
}

/// helm's `--show-only`: keeps the documents whose template path (chart
/// name stripped) matches one of `patterns`, in pattern order; a pattern
/// that matches nothing is helm's error. Public because helm applies it
/// after post-rendering, and tusk's overlays are post-rendering.
pub fn show_only(
    out: Vec<OutputManifest>,
    patterns: &[String],
) -> Result<Vec<OutputManifest>, RenderError> {
    if patterns.is_empty() {
        return Ok(out);
    }
    // helm re-splits its own output stream and matches each document's
    // `# Source:` line (chart name stripped) against the patterns.
    let mut stream = String::new();
    for m in &out {
        stream.push_str("---\n# Source: ");
        stream.push_str(&m.source);
        stream.push('\n');
        stream.push_str(&m.content);
        stream.push('\n');
    }
    let docs = split_manifests(&stream);
    let mut shown = Vec::new();
    for f in patterns {
        let mut missing = true;
        for doc in &docs {
            let Some(c) = SOURCE.captures(doc) else {
                continue;
            };
            let path = &c[1];
            if !tusk_chart::ignore::go_match(f, path).unwrap_or(false) {
                continue;
            }
            missing = false;
            let (source, content) = match doc.strip_prefix("# Source: ") {
                Some(rest) => match rest.split_once('\n') {
                    Some((s, c)) => (s.to_string(), c.to_string()),
                    None => (rest.to_string(), String::new()),
                },
                None => (String::new(), doc.clone()),
            };
            shown.push(OutputManifest { source, content });
        }
        if missing {
            return Err(RenderError::new(format!(
                "could not find template {f} in chart"
            )));
        }
    }
    Ok(shown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::SimpleHead;

    fn m(name: &str, content: &str) -> SortedManifest {
        SortedManifest {
            name: name.into(),
            content: content.into(),
            head: SimpleHead::default(),
        }
    }

    fn hook(path: &str, event: &str) -> Hook {
        Hook {
            name: String::new(),
            kind: "Pod".into(),
            path: path.into(),
            manifest: format!("kind: Pod # {event}"),
            events: vec![event.into()],
            weight: 0,
            delete_policies: Vec::new(),
        }
    }

    #[test]
    fn crds_first_last_resource_trimmed_hooks_after() {
        let out = assemble(
            vec![("c/crds/a.yaml".into(), "kind: CRD\n\n".into())],
            vec![],
            vec![hook("c/templates/t.yaml", "test")],
            &OutputOptions {
                include_crds: true,
                ..Default::default()
            },
        )
        .unwrap()
        .manifests;
        assert_eq!(out[0].content, "kind: CRD");
        assert_eq!(out[1].source, "c/templates/t.yaml");
    }

    #[test]
    fn skip_tests_and_no_hooks() {
        let hooks = vec![
            hook("c/templates/t.yaml", "test"),
            hook("c/templates/p.yaml", "pre-install"),
        ];
        let opts = OutputOptions {
            skip_tests: true,
            ..Default::default()
        };
        let out = assemble(
            vec![],
            vec![m("c/templates/a.yaml", "a: 1")],
            hooks.clone(),
            &opts,
        )
        .unwrap();
        assert!(!out.release_empty);
        let out = out.manifests;
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].source, "c/templates/p.yaml");
        let opts = OutputOptions {
            no_hooks: true,
            ..Default::default()
        };
        let out = assemble(
            vec![],
            vec![m("c/templates/a.yaml", "a: 1")],
            hooks.clone(),
            &opts,
        )
        .unwrap()
        .manifests;
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn release_empty_when_only_hooks_or_nothing() {
        let hooks = vec![hook("c/templates/t.yaml", "test")];
        let out = assemble(vec![], vec![], hooks, &OutputOptions::default()).unwrap();
        assert!(out.release_empty);
        assert_eq!(out.manifests.len(), 1);
        let out = assemble(vec![], vec![], vec![], &OutputOptions::default()).unwrap();
        assert!(out.release_empty);
        let crds = vec![("c/crds/a.yaml".to_string(), "kind: CRD".to_string())];
        let opts = OutputOptions {
            include_crds: true,
            ..Default::default()
        };
        assert!(!assemble(crds, vec![], vec![], &opts).unwrap().release_empty);
    }

    #[test]
    fn show_only_matches_without_chart_name() {
        let opts = OutputOptions {
            show_only: vec!["templates/b*".into()],
            ..Default::default()
        };
        let out = assemble(
            vec![],
            vec![
                m("c/templates/a.yaml", "a: 1"),
                m("c/templates/b.yaml", "b: 1"),
            ],
            vec![],
            &opts,
        )
        .unwrap();
        assert!(!out.release_empty);
        assert_eq!(
            out.manifests,
            vec![OutputManifest {
                source: "c/templates/b.yaml".into(),
                content: "b: 1".into()
            }]
        );
        let opts = OutputOptions {
            show_only: vec!["templates/x.yaml".into()],
            ..Default::default()
        };
        let err =
            assemble(vec![], vec![m("c/templates/a.yaml", "a: 1")], vec![], &opts).unwrap_err();
        assert_eq!(
            err.message(),
            "could not find template templates/x.yaml in chart"
        );
    }
}
