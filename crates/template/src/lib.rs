//! Go `text/template`, re-implemented in Rust to behave exactly like Go 1.23's
//! as helm 3.17.2 uses it.
//!
//! The pipeline is lexer → parser → AST → executor over a dynamic [`Value`]
//! model that mirrors Go's `interface{}` values: maps are shared by reference
//! (so sprig's `set` is visible to every holder, as in Go), everything is
//! reference-counted and cheap to clone.
//!
//! Functions are not built in beyond Go's own builtins: crates such as
//! `tusk-funcs` fill a [`FuncMap`] that the parser and executor consult.
//!
//! This crate knows nothing about Helm.

pub mod func;
pub mod value;

pub use func::{CallContext, Func, FuncError, FuncMap};
pub use value::{Map, Object, Value};
