//! The template *set*: many named templates sharing one namespace, the
//! function map, options, and execution entry points (Go's
//! `*template.Template` with its `common` part).

// Fx: keys are short names looked up on every call; no DoS concern in a CLI.
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::error::Error;
use crate::exec::{EVal, Exec, Shared};
use crate::func::FuncMap;
use crate::syntax::ast::Tree;
use crate::syntax::parser;
use crate::value::Value;

/// What a missing map key yields (Go's `Option("missingkey=...")`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum MissingKey {
    /// Go's default (`missingkey=default`/`invalid`): the invalid value,
    /// printed `<no value>`; further field access yields it again.
    #[default]
    Invalid,
    /// `missingkey=zero`: the zero value of the map's element type; for
    /// `map[string]interface{}` a nil interface, so `.missing.x` is the
    /// error "nil pointer evaluating interface {}.x". Helm uses this.
    Zero,
    /// `missingkey=error`: "map has no entry for key".
    Error,
}

/// Execution options and limits.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// Missing map key behaviour.
    pub missing_key: MissingKey,
    /// Maximum nesting of `{{template}}` calls (Go: 100000).
    pub max_template_depth: usize,
    /// Helm's `include` guard: a template may be nested in itself through
    /// [`crate::CallContext::execute_template`] at most this many times
    /// (helm: 1000). `None` = no limit.
    pub max_include_depth: Option<usize>,
    /// Evaluation steps after which execution fails (guards runaway
    /// templates; Go has no such limit).
    pub max_steps: u64,
    /// Stack size of the thread each top-level execution runs on (deep
    /// recursion never overflows: the executor stops with "exceeded
    /// maximum template depth" before the stack is exhausted). 0 = run on
    /// the caller's thread, assuming 1 MiB of stack is available.
    pub stack_size: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            missing_key: MissingKey::Invalid,
            max_template_depth: 100_000,
            max_include_depth: None,
            max_steps: 50_000_000,
            stack_size: 256 << 20,
        }
    }
}

impl Options {
    /// Helm 3's settings: `missingkey=zero` and the include guard of 1000.
    pub fn helm() -> Options {
        Options {
            missing_key: MissingKey::Zero,
            max_include_depth: Some(1000),
            ..Options::default()
        }
    }
}

/// A set of named templates sharing functions and options.
///
/// ```
/// use tusk_template::{FuncMap, Templates, Value};
/// let mut set = Templates::new(FuncMap::new());
/// set.parse("a.txt", r#"{{define "greet"}}hi {{.}}{{end}}{{template "greet" "you"}}"#).unwrap();
/// assert_eq!(set.execute("a.txt", &Value::Nil).unwrap(), "hi you");
/// ```
///
/// Cloning is cheap whatever the set's size: the templates parsed before a
/// clone are shared, and templates parsed into the clone afterwards go to
/// its own layer (helm's `tpl` clones the whole set at every call; a full
/// copy made `tpl`-heavy charts quadratic in their number of templates).
#[derive(Clone)]
pub struct Templates {
    name: Arc<str>,
    funcs: Arc<FuncMap>,
    /// Templates shared with clones; only written while not shared.
    trees: Arc<Trees>,
    /// Templates parsed into this clone after the shared ones were taken
    /// over; they take precedence. Empty except in clones.
    local: Trees,
    options: Options,
}

type Trees = HashMap<Arc<str>, Arc<Tree>>;

impl Templates {
    /// An empty set with these functions (Go's builtins are always there;
    /// a function of the same name overrides a builtin, as in Go).
    pub fn new(funcs: FuncMap) -> Self {
        Templates {
            name: Arc::from(""),
            funcs: Arc::new(funcs),
            trees: Arc::new(HashMap::default()),
            local: HashMap::default(),
            options: Options::default(),
        }
    }

    /// Sets the set's own name (Go's `template.New(name)`; it appears in
    /// "no template %q associated with template %q"; helm uses `gotpl`).
    pub fn with_name(mut self, name: &str) -> Self {
        self.name = Arc::from(name);
        self
    }

    /// Replaces the options.
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Mutable options.
    pub fn options_mut(&mut self) -> &mut Options {
        &mut self.options
    }

    /// The set's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The function map.
    pub fn funcs(&self) -> &FuncMap {
        &self.funcs
    }

    /// Whether a function name is known (a builtin or in the map).
    pub fn has_function(&self, name: &str) -> bool {
        self.funcs.contains(name) || crate::exec::builtins::is_builtin(name)
    }

    /// Parses `text` as the template `name` and adds it and every
    /// `define`/`block` in it to the set (Go's `t.New(name).Parse(text)`).
    /// Templates already in the set are replaced, except that an empty
    /// (whitespace-only) definition never replaces a non-empty one, as in
    /// Go. The caller controls precedence by the order of `parse` calls:
    /// the later definition of a name wins.
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        self.parse_main(name, text).map(|_| ())
    }

    /// [`Templates::parse`], returning the tree parsed for `name` itself
    /// even when it was not installed (an empty body never replaces a
    /// template, but Go's `t.New(name).Parse(text)` still returns the new,
    /// empty template, which is what helm's `tpl` executes).
    pub fn parse_main(&mut self, name: &str, text: &str) -> Result<Option<Arc<Tree>>, Error> {
        let trees = self.parse_trees(name, text)?;
        Ok(self.install(name, trees.into_iter().map(Arc::new)))
    }

    /// Parses several texts into the set exactly as consecutive
    /// [`Templates::parse`] calls in this order would, but each distinct
    /// text only once (a library chart vendored by several subcharts), and
    /// on up to `threads` threads when there is enough text to pay for
    /// them. Parsing is pure; installing stays in order, so precedence and
    /// the reported error do not depend on the threads. On error: the
    /// index of the first failing text, and its error.
    pub fn parse_all(
        &mut self,
        files: &[(&str, &str)],
        threads: usize,
    ) -> Result<(), (usize, Error)> {
        // The earliest file with the same text, unless that text names the
        // earlier file: renaming its trees could hit a `define` of that name.
        let mut first: HashMap<&str, usize> = HashMap::default();
        let rep: Vec<usize> = files
            .iter()
            .enumerate()
            .map(|(i, &(_, text))| match first.get(text) {
                Some(&j) if !text.contains(files[j].0) => j,
                Some(_) => i,
                None => {
                    first.insert(text, i);
                    i
                }
            })
            .collect();
        let todo: Vec<usize> = (0..files.len()).filter(|&i| rep[i] == i).collect();
        let mut parsed: Vec<Option<Result<Vec<Arc<Tree>>, Error>>> =
            files.iter().map(|_| None).collect();
        let parse = |this: &Templates, i: usize| {
            this.parse_trees(files[i].0, files[i].1)
                .map(|t| t.into_iter().map(Arc::new).collect::<Vec<_>>())
        };
        let bytes: usize = todo.iter().map(|&i| files[i].1.len()).sum();
        let threads = if bytes >= PARALLEL_PARSE_MIN {
            threads
        } else {
            1
        };
        let this = &*self;
        let results = parallel_map(todo.clone(), threads, PARSE_WORKER_STACK, |i| {
            parse(this, i)
        });
        for (&i, r) in todo.iter().zip(results) {
            parsed[i] = Some(r);
        }
        for (i, &(name, _)) in files.iter().enumerate() {
            let j = rep[i];
            let trees = match &parsed[j] {
                Some(Ok(trees)) => trees.clone(),
                // Met at `j` itself, the first file with this text.
                _ => match parsed[j].take() {
                    Some(Err(e)) => return Err((i, e)),
                    _ => continue,
                },
            };
            if j == i {
                self.install(name, trees.into_iter());
            } else {
                let from = files[j].0;
                let parse_name: Arc<str> = Arc::from(name);
                let renamed: Vec<Arc<Tree>> = trees
                    .iter()
                    .map(|t| {
                        Arc::new(Tree {
                            name: if &*t.name == from {
                                parse_name.clone()
                            } else {
                                t.name.clone()
                            },
                            parse_name: parse_name.clone(),
                            root: t.root.clone(),
                            text: t.text.clone(),
                        })
                    })
                    .collect();
                self.install(name, renamed.into_iter());
            }
        }
        Ok(())
    }

    /// Parses one text into its trees (the file's own and its `define`s).
    fn parse_trees(&self, name: &str, text: &str) -> Result<Vec<Tree>, Error> {
        let funcs = &self.funcs;
        let has = |n: &str| funcs.contains(n) || crate::exec::builtins::is_builtin(n);
        // Deeply nested input recurses deeply: parse on a thread with the
        // configured stack (the parser also caps nesting).
        let size = self.options.stack_size;
        let trees = if size == 0
            || stack_left().is_some_and(|left| left >= PARSE_STACK_NEED)
            || nesting_estimate(text) < INLINE_PARSE_DEPTH
        {
            parser::parse(name, text, &has)?
        } else {
            std::thread::scope(|s| {
                match std::thread::Builder::new()
                    .name("tusk-template-parse".into())
                    .stack_size(size)
                    .spawn_scoped(s, || parser::parse(name, text, &has))
                {
                    Ok(h) => h.join().unwrap_or_else(|_| {
                        Err(crate::error::ParseError {
                            name: name.to_string(),
                            line: 0,
                            message: "parser panicked".into(),
                        })
                    }),
                    Err(_) => parser::parse(name, text, &has),
                }
            })?
        };
        Ok(trees)
    }

    /// Adds parsed trees as Go's `AddParseTree` does after a parse; returns
    /// the tree named `name` (the file's own) even when it was not added.
    fn install(&mut self, name: &str, trees: impl Iterator<Item = Arc<Tree>>) -> Option<Arc<Tree>> {
        let mut main = None;
        for tree in trees {
            let key = tree.name.clone();
            if &*key == name {
                main = Some(tree.clone());
            }
            if let Some(old) = self.get(&key)
                && tree.is_empty()
                && !old.is_empty()
            {
                continue;
            }
            self.insert(key, tree);
        }
        main
    }

    fn get(&self, name: &str) -> Option<&Arc<Tree>> {
        self.local.get(name).or_else(|| self.trees.get(name))
    }

    fn insert(&mut self, key: Arc<str>, tree: Arc<Tree>) {
        match Arc::get_mut(&mut self.trees) {
            // Not shared: one map, as before any clone.
            Some(trees) if self.local.is_empty() => {
                trees.insert(key, tree);
            }
            _ => {
                self.local.insert(key, tree);
            }
        }
    }

    /// Whether a template of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The parse tree of a template.
    pub fn tree(&self, name: &str) -> Option<&Tree> {
        self.get(name).map(|t| &**t)
    }

    /// The names of all templates, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .trees
            .keys()
            .filter(|k| !self.local.contains_key(&***k))
            .chain(self.local.keys())
            .map(|k| &**k)
            .collect();
        v.sort_unstable();
        v
    }

    /// Removes a template.
    pub fn remove(&mut self, name: &str) -> bool {
        let local = self.local.remove(name).is_some();
        if !self.trees.contains_key(name) {
            return local;
        }
        // Shared templates are copied out before one is removed.
        Arc::make_mut(&mut self.trees).remove(name);
        true
    }

    /// Executes the template `name` with `data` (Go's `ExecuteTemplate`).
    /// Data `Value::Nil` is Go's nil data (dot is invalid).
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, Error> {
        if !self.contains(name) {
            return Err(Error::NoTemplate {
                name: name.to_string(),
                set: self.name.to_string(),
            });
        }
        let size = self.options.stack_size;
        if size == 0 {
            return self.run(name, data, 1 << 20);
        }
        // Already on a large-stack worker ([`with_stack`]): run here, with
        // the guard set to what is left of its stack. Spawning a thread per
        // execution costs more than small templates take to run.
        if let Some(left) = worker_fits(size) {
            return self.run(name, data, guard_limit(left));
        }
        let limit = guard_limit(size);
        std::thread::scope(|s| {
            let h = std::thread::Builder::new()
                .name("tusk-template".into())
                .stack_size(size)
                .spawn_scoped(s, || self.run(name, data, limit));
            match h {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|_| Err(Error::Raw("template execution panicked".into()))),
                Err(_) => self.run(name, data, 512 << 10),
            }
        })
    }

    fn run(&self, name: &str, data: &Value, stack_limit: usize) -> Result<String, Error> {
        let tree = self.get(name).ok_or_else(|| Error::NoTemplate {
            name: name.to_string(),
            set: self.name.to_string(),
        })?;
        let shared = Shared::new(self.options.max_steps, stack_limit);
        let exec = Exec {
            set: self,
            shared: &shared,
        };
        let mut out = String::new();
        exec.execute_tree(tree, EVal::of(data.clone()), &mut out)?;
        Ok(out)
    }
}

/// How deep an execution may recurse on a stack of `size` bytes: the rest
/// is headroom for the frames of a function running when the guard last
/// looked (the guard checks at every step, not every frame).
fn guard_limit(size: usize) -> usize {
    size.saturating_sub(size / 8).saturating_sub(256 << 10)
}

/// Stack the parser may need at its nesting limit (about 10 KiB per level
/// in debug builds), with room to spare.
const PARSE_STACK_NEED: usize = 32 << 20;

/// Distinct template text below which [`Templates::parse_all`] stays on one
/// thread: a second thread costs ~1 MiB of peak RSS and pays off in wall
/// time only on larger charts.
const PARALLEL_PARSE_MIN: usize = 128 << 10;

/// Stack of a [`Templates::parse_all`] worker: room for any nesting the
/// parser accepts (address space only; untouched pages cost nothing).
const PARSE_WORKER_STACK: usize = 2 * PARSE_STACK_NEED;

thread_local! {
    /// On a [`with_stack`] worker: the address its closure started at and
    /// the stack size it was given.
    static WORKER_STACK: std::cell::Cell<Option<(usize, usize)>> =
        const { std::cell::Cell::new(None) };
}

/// Bytes of stack left to the caller when it runs on a [`with_stack`]
/// worker (measured from where the worker's closure started, less a
/// margin for the thread's own frames); `None` elsewhere.
fn stack_left() -> Option<usize> {
    let (base, size) = WORKER_STACK.with(|w| w.get())?;
    let used = base.abs_diff(crate::exec::stack_addr());
    Some(size.saturating_sub(used).saturating_sub(64 << 10))
}

/// The stack left on this [`with_stack`] worker if it is about as large as
/// `size` (a quarter may be used up already); `None` off a worker.
fn worker_fits(size: usize) -> Option<usize> {
    stack_left().filter(|&left| left >= size - size / 4)
}

/// Runs `f` on one new thread with a `size`-byte stack and returns its
/// result. Every [`Templates::execute`] and [`Templates::parse`] inside
/// `f` whose [`Options::stack_size`] is at most `size` then runs directly
/// on that thread instead of spawning its own: a renderer executing many
/// templates pays for one thread instead of one per template, with the
/// same stack guard (the depth limit is computed from the stack left).
/// If the thread cannot be spawned, `f` runs on the caller's thread and
/// executions spawn their own threads as usual. A panic in `f` is resumed
/// on the caller.
///
/// ```
/// use tusk_template::{FuncMap, Templates, Value, with_stack};
/// let mut set = Templates::new(FuncMap::new());
/// set.parse("t", "{{ . }}").unwrap();
/// let out = with_stack(256 << 20, || set.execute("t", &Value::from("x")));
/// assert_eq!(out.unwrap(), "x");
/// ```
pub fn with_stack<R: Send>(size: usize, f: impl FnOnce() -> R + Send) -> R {
    // Already on a worker that is large enough: nothing to gain.
    if worker_fits(size).is_some() {
        return f();
    }
    let mut f = Some(f);
    let spawned = std::thread::scope(|s| {
        let f = &mut f;
        let h = std::thread::Builder::new()
            .name("tusk-template".into())
            .stack_size(size)
            .spawn_scoped(s, move || {
                let f = f.take()?;
                let base = crate::exec::stack_addr();
                WORKER_STACK.with(|w| w.set(Some((base, size))));
                Some(f())
            });
        match h {
            Ok(h) => match h.join() {
                Ok(r) => Ok(r),
                Err(panic) => Err(panic),
            },
            Err(_) => Ok(None),
        }
    });
    match spawned {
        Ok(Some(r)) => r,
        Ok(None) => match f.take() {
            Some(f) => f(),
            None => unreachable!("the worker returns a value once it took the closure"),
        },
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// `items.into_iter().map(f).collect()` on up to `threads` threads (the
/// caller's included), each spawned one with a `stack`-byte stack and
/// marked as a [`with_stack`] worker. Results keep the items' order; a
/// panic in `f` is resumed on the caller. For pure steps only: which
/// thread runs an item is not defined.
pub fn parallel_map<T: Send, R: Send>(
    items: Vec<T>,
    threads: usize,
    stack: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = threads.min(items.len());
    if threads < 2 {
        return items.into_iter().map(f).collect();
    }
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(i) else {
                break out;
            };
            if let Some(item) = slot.lock().ok().and_then(|mut s| s.take()) {
                out.push((i, f(item)));
            }
        }
    };
    let mut results: Vec<Option<R>> = slots.iter().map(|_| None).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(stack)
                    .spawn_scoped(s, || {
                        let base = crate::exec::stack_addr();
                        WORKER_STACK.with(|w| w.set(Some((base, stack))));
                        work()
                    })
                    .ok()
            })
            .collect();
        let mut done = work();
        for h in handles {
            match h.join() {
                Ok(more) => done.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        for (i, r) in done {
            results[i] = Some(r);
        }
    });
    // Every index was claimed by exactly one thread, and none panicked.
    results.into_iter().flatten().collect()
}

/// Nesting below which parsing runs on the caller's thread (about 10 KiB of
/// stack per level in debug builds, 2 KiB in release).
const INLINE_PARSE_DEPTH: usize = 48;

/// An upper bound on the parser's recursion depth for `text`: block
/// openers (`if`, `range`, `with`, `define`, `block`, and `else if` /
/// `else with`, which nest without their own `end`) minus `end`s, plus the
/// deepest parenthesis nesting.
fn nesting_estimate(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut depth, mut max_depth) = (0usize, 0usize);
    let (mut parens, mut max_parens) = (0usize, 0usize);
    let word_at = |mut i: usize| -> (&[u8], usize) {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_lowercase() {
            i += 1;
        }
        (&b[start..i], i)
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' => {
                parens += 1;
                max_parens = max_parens.max(parens);
            }
            b')' => parens = parens.saturating_sub(1),
            b'{' if b.get(i + 1) == Some(&b'{') => {
                let mut j = i + 2;
                if b.get(j) == Some(&b'-') {
                    j += 1;
                }
                let (w, next) = word_at(j);
                match w {
                    b"if" | b"range" | b"with" | b"define" | b"block" => depth += 1,
                    b"end" => depth = depth.saturating_sub(1),
                    b"else" => {
                        if let (b"if" | b"with", _) = word_at(next) {
                            depth += 1;
                        }
                    }
                    _ => {}
                }
                max_depth = max_depth.max(depth);
                i = next.max(i + 2);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    max_depth + max_parens
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("name", &self.name)
            .field("templates", &self.names())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::nesting_estimate;

    #[test]
    fn estimates_nesting() {
        assert_eq!(nesting_estimate("plain"), 0);
        assert_eq!(
            nesting_estimate("{{ if a }}{{ if b }}{{ end }}{{ end }}{{ if c }}{{ end }}"),
            2
        );
        assert_eq!(
            nesting_estimate("{{- range .x }}{{ (f (g 1)) }}{{ end }}"),
            3
        );
        assert_eq!(
            nesting_estimate("{{ if a }}{{ else if b }}{{ else with c }}{{ end }}"),
            3
        );
    }
}
