//! Go `text/template`, re-implemented in Rust to behave exactly like Go 1.23's
//! as helm 3.17.2 uses it.
//!
//! The pipeline is lexer → parser → AST ([`syntax`]) → executor ([`exec`])
//! over a dynamic [`Value`] model that mirrors Go's `interface{}` values:
//! maps are shared by reference (so sprig's `set` is visible to every holder,
//! as in Go), everything is reference-counted and cheap to clone.
//!
//! Main types:
//! - [`Templates`]: a set of named templates sharing one namespace (Go's
//!   `*template.Template` with its associated templates). Parse files into it
//!   by name with [`Templates::parse`] (later `define`s of a name replace
//!   earlier ones), then [`Templates::execute`] a template by name.
//! - [`FuncMap`]: functions beyond Go's builtins, given at construction; the
//!   parser rejects unknown function names as Go does. Functions registered
//!   with a Go [`Signature`] ([`FuncMap::register_typed`]) get Go's exact
//!   argument conversion and error messages.
//! - [`CallContext`]: what a function may ask of the running engine
//!   (`include`/`tpl` execute named templates and parse+execute text).
//! - [`gofmt`]: Go's `fmt` (`Sprint`, `Sprintf`, `%v` of values) for reuse by
//!   function crates.
//! - [`Error`]: parse and execution errors whose `Display` is Go's text.
//! - [`Object`]: struct-like values (`.Files`, `.Capabilities`) with fields,
//!   methods, Go `Stringer` and slice/map behaviour.
//!
//! Executions run on a thread with a large stack ([`Options::stack_size`])
//! and stop with an error on runaway recursion or loops, never overflowing
//! the stack or hanging. A caller running many executions wraps them in
//! [`with_stack`] so that they share one such thread.
//!
//! Options ([`Options`]) choose Go's `missingkey` mode (helm uses `zero`) and
//! limits (template depth, helm's include depth, a step budget, the stack
//! guard). See `COMPATIBILITY.md` for known divergences from Go.
//!
//! This crate knows nothing about Helm beyond [`Options::helm`].

pub mod error;
pub mod exec;
pub mod func;
pub mod gofmt;
pub mod syntax;
pub mod template;
pub mod value;

pub use error::{Error, ExecError, ParseError};
pub use exec::eval::is_true;
pub use func::{CallContext, Func, FuncError, FuncMap, ParamType, Signature, TextError};
pub use template::{MissingKey, Options, Templates, parallel_map, with_stack};
pub use value::{JsonForm, Map, Object, Value};
