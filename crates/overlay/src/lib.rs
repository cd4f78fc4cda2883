//! Overlays: declarative, parameterized patches applied to rendered
//! manifests, with expectations that fail loudly when a chart changes.
//!
//! Helm's answer to "the chart does not expose what I need" is a
//! post-renderer, usually kustomize, whose patches silently match nothing
//! after a chart upgrade (kustomize#4379, #5093). A tusk overlay is a YAML
//! file with typed parameters whose every target states how many manifests
//! it expects to match; a mismatch is an error naming the overlay, the
//! target and what the chart renders instead.
//!
//! # Brief overview
//!
//! The stages follow the pipeline, each reading only the previous one's
//! output:
//!
//! 1. **parse** — [`Overlay::parse`] reads an overlay file: a header
//!    document (name, docs, [`ParamSpec`]s, an optional [`When`]), a `---`
//!    line, and a body that is a minijinja template of `targets` and
//!    `resources`. [`builtin`] gives the overlays shipped in the binary.
//! 2. **plan** — [`Overlay::plan`] checks the user's [`ParamInputs`]
//!    against the declarations (types, `required`, `default`, `enum`),
//!    reads secret parameters from `env:`/`file:` into [`Secret`]s (present
//!    in the template only as opaque tokens), evaluates `when` against the
//!    chart ([`Env`]), renders the body and reads it into a [`Plan`] of
//!    [`Target`]s (a [`Select`]or, an [`Expect`]ation, [`Op`]s).
//! 3. **apply** — [`apply`] runs plans over [`Doc`]s in order, records what
//!    each target matched in a [`Report`], swaps secret tokens for values
//!    inside Secret data (base64-encoded by the tool), and re-emits only
//!    touched documents; untouched ones keep their exact bytes.
//!
//! ```
//! use tusk_overlay::{apply, Doc, Env, Overlay, ParamInputs, RawParam};
//! let overlay = Overlay::parse("example", "\
//! name: pull-always
//! params:
//!   policy: {type: string, default: Always}
//! ---
//! targets:
//!   - id: web
//!     select: {kind: Deployment, containers: web}
//!     patches:
//!       - setImage: {pullPolicy: {{ policy | yaml }}}
//! ").unwrap();
//! let plan = overlay.plan(&ParamInputs::default(), &Env::default()).unwrap();
//! let doc = Doc {
//!     source: "c/templates/web.yaml".into(),
//!     content: "kind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: m:v4".into(),
//! };
//! let out = apply(vec![doc], &[plan]).unwrap();
//! out.report.check().unwrap();
//! assert!(out.manifests[0].content.ends_with("image: m:v4\n        imagePullPolicy: Always"));
//! ```
//!
//! The format is documented with examples in `docs/overlays.md`.
#![deny(missing_docs)]

mod apply;
mod builtin;
mod document;
mod error;
mod glob;
mod overlay;
mod params;
mod patch;
mod secret;
mod selector;
mod when;

pub use apply::{Applied, Doc, OverlayReport, Report, TargetReport, apply};
pub use builtin::{builtin, builtin_names};
pub use document::normalize;
pub use error::{Error, ErrorKind, Result};
pub use overlay::{Env, Overlay, ParamDoc, Plan, Resource, Target};
pub use params::{ParamInputs, ParamSpec, ParamType, RawParam};
pub use patch::{EnvVar, ImageSpec, Op};
pub use secret::{Secret, SecretSource};
pub use selector::{Expect, OneOrMany, Select};
pub use when::{ChartInfo, When};
