//! The function registry that `tusk-funcs` fills and the executor calls.

// Fx: keys are short names looked up on every call; no DoS concern in a CLI.
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::value::Value;

/// An error raised by a function. The executor adds the template name, line,
/// column and the failing node, giving Go's
/// `template: NAME:LINE:COL: executing "NAME" at <fn>: error calling fn: MSG`.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FuncError {
    /// The function failed; the message is what Go's function returns as `err`.
    #[error("{0}")]
    Failed(String),
    /// The arguments do not fit the function's Go signature (Go reports these
    /// as "wrong number of args" or "wrong type for value" before calling).
    #[error("{0}")]
    BadArgs(String),
    /// An error to be reported as the whole execution error, verbatim (no
    /// `template: ...: error calling fn:` prefix). Go has no such case:
    /// `include`/`tpl` failures are wrapped by Go (`error calling include:
    /// ...`), so they use [`FuncError::Failed`].
    #[error("{0}")]
    Nested(String),
}

/// Why [`CallContext::execute_text_split`] failed: helm's `tpl` wraps parse
/// and execution failures differently.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum TextError {
    /// The text did not parse; Go's parse error text.
    #[error("{0}")]
    Parse(String),
    /// Execution failed; Go's execution error text (or a function's error).
    #[error("{0}")]
    Exec(FuncError),
}

/// What a function may ask of the running template engine. `include` and
/// `tpl` need to execute other templates; everything else ignores it.
pub trait CallContext {
    /// Executes the named template with `data` and returns its output
    /// (`include`; Go's `ExecuteTemplate`: a fresh variable scope, `$` is
    /// `data`). Unknown names fail with Go's
    /// `template: no template "x" associated with template "gotpl"`; when
    /// `Options::max_include_depth` is set, nesting a name deeper fails with
    /// helm's `rendering template has a nested reference name: x: unable to
    /// execute template`. Errors are returned as `FuncError::Failed` with
    /// the inner error's Go text, so the executor reports
    /// `error calling include: <inner>` as Go does.
    fn execute_template(&mut self, name: &str, data: &Value) -> Result<String, FuncError>;

    /// Parses `text` as a new template in a copy of the current set and
    /// executes it with `data` (`tpl`). As helm 3's `tpl` does, the text is
    /// named after the set itself (`gotpl` in helm), its `define`s are only
    /// visible to this call, and the include-depth count is shared.
    /// Errors are the Go error text: a parse error
    /// (`template: gotpl:1: ...`) or an execution error.
    fn execute_text(&mut self, text: &str, data: &Value) -> Result<String, FuncError>;

    /// Parses `text` as a template named `name` in a copy of the current set
    /// and executes it with `data` (helm's `tpl` names it after the file
    /// being rendered, `.Template.Name`). Defaults to [`Self::execute_text`].
    fn execute_text_named(
        &mut self,
        name: &str,
        text: &str,
        data: &Value,
    ) -> Result<String, FuncError> {
        let _ = name;
        self.execute_text(text, data)
    }

    /// [`Self::execute_text`] telling parse errors from execution errors.
    fn execute_text_split(&mut self, text: &str, data: &Value) -> Result<String, TextError> {
        self.execute_text(text, data).map_err(TextError::Exec)
    }

    /// The name of the template being executed (Go's `{{template}}` /
    /// `define` name, not helm's `.Template.Name`).
    fn current_template(&self) -> &str;

    /// The template set's own name (Go's root template name; helm's `gotpl`).
    fn set_name(&self) -> &str {
        ""
    }
}

/// A template function: receives the evaluated arguments.
pub type Func =
    Arc<dyn Fn(&mut dyn CallContext, &[Value]) -> Result<Value, FuncError> + Send + Sync>;

/// Named functions available to templates. Parsing checks names against it,
/// as Go's `template.Funcs` does.
#[derive(Clone, Default)]
pub struct FuncMap {
    funcs: HashMap<String, Func>,
    sigs: HashMap<String, Arc<Signature>>,
}

/// A Go parameter type, for functions registered with a [`Signature`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamType {
    /// `interface{}`: anything.
    Any,
    /// `string`.
    String,
    /// `int`.
    Int,
    /// `int64` (indistinguishable from `int` in [`Value`]).
    Int64,
    /// `float64`.
    Float64,
    /// `bool`.
    Bool,
    /// `[]interface{}`.
    List,
    /// `map[string]interface{}`.
    Map,
}

impl ParamType {
    /// Go's name of the type, as in "expected string".
    pub fn go_name(self) -> &'static str {
        match self {
            ParamType::Any => "interface {}",
            ParamType::String => "string",
            ParamType::Int => "int",
            ParamType::Int64 => "int64",
            ParamType::Float64 => "float64",
            ParamType::Bool => "bool",
            ParamType::List => "[]interface {}",
            ParamType::Map => "map[string]interface {}",
        }
    }

    /// Whether Go's untyped nil can be assigned to it.
    pub fn can_be_nil(self) -> bool {
        matches!(self, ParamType::Any | ParamType::List | ParamType::Map)
    }
}

/// A function's Go parameter list. With one, the executor checks and
/// converts arguments exactly as Go's `text/template` does before calling:
/// `wrong number of args for f: want 2 got 1`, literal conversion
/// (`expected integer; found 1.5`, `cannot assign nil to string`) and
/// `wrong type for value; expected string; got float64` /
/// `invalid value; expected int`, each reported at the offending node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// Fixed parameters.
    pub params: Vec<ParamType>,
    /// The element type of a final `...T` parameter.
    pub variadic: Option<ParamType>,
}

impl Signature {
    /// Fixed parameters only.
    pub fn fixed(params: &[ParamType]) -> Self {
        Signature {
            params: params.to_vec(),
            variadic: None,
        }
    }

    /// Fixed parameters and a variadic tail.
    pub fn variadic(params: &[ParamType], rest: ParamType) -> Self {
        Signature {
            params: params.to_vec(),
            variadic: Some(rest),
        }
    }
}

impl FuncMap {
    /// An empty map (Go's builtins such as `len` and `printf` are always there).
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers (or replaces) a function.
    pub fn insert(&mut self, name: impl Into<String>, f: Func) {
        let name = name.into();
        self.sigs.remove(&name);
        self.funcs.insert(name, f);
    }

    /// Registers (or replaces) a function with a Go signature: the executor
    /// then checks and converts its arguments as Go does (see
    /// [`Signature`]); the function receives the converted values.
    pub fn register_typed<F>(&mut self, name: impl Into<String>, sig: Signature, f: F)
    where
        F: Fn(&mut dyn CallContext, &[Value]) -> Result<Value, FuncError> + Send + Sync + 'static,
    {
        let name = name.into();
        self.funcs.insert(name.clone(), Arc::new(f));
        self.sigs.insert(name, Arc::new(sig));
    }

    /// The signature a function was registered with, if any.
    pub fn signature(&self, name: &str) -> Option<&Signature> {
        self.sigs.get(name).map(|s| &**s)
    }

    /// Registers a function given as a closure.
    pub fn register<F>(&mut self, name: impl Into<String>, f: F)
    where
        F: Fn(&mut dyn CallContext, &[Value]) -> Result<Value, FuncError> + Send + Sync + 'static,
    {
        self.insert(name, Arc::new(f));
    }

    /// Looks a function up.
    pub fn get(&self, name: &str) -> Option<&Func> {
        self.funcs.get(name)
    }

    /// Whether a function of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.funcs.contains_key(name)
    }
}
