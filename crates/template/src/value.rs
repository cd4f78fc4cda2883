//! The dynamic value model, mirroring Go's `interface{}` values in templates.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, RwLock};

use crate::func::FuncError;

/// A Go map (`map[string]interface{}`) shared by reference, as Go maps are.
///
/// Keys are kept sorted because Go's `range`, `toYaml` and `toJson` all visit
/// map keys in sorted order.
#[derive(Clone, Default)]
pub struct Map(Arc<RwLock<BTreeMap<String, Value>>>);

impl Map {
    /// A new, empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Wraps an owned map.
    pub fn from_btree(m: BTreeMap<String, Value>) -> Self {
        Map(Arc::new(RwLock::new(m)))
    }

    /// Looks a key up (a clone of the value: cheap).
    pub fn get(&self, key: &str) -> Option<Value> {
        self.read().get(key).cloned()
    }

    /// Inserts, mutating the map every holder sees.
    pub fn insert(&self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.write().insert(key.into(), value)
    }

    /// Removes a key, mutating the map every holder sees.
    pub fn remove(&self, key: &str) -> Option<Value> {
        self.write().remove(key)
    }

    /// Whether the key is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.read().contains_key(key)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    /// The sorted keys.
    pub fn keys(&self) -> Vec<String> {
        self.read().keys().cloned().collect()
    }

    /// A snapshot of the sorted entries.
    pub fn entries(&self) -> Vec<(String, Value)> {
        self.read()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Whether both handles point at the same map (Go map identity).
    pub fn ptr_eq(&self, other: &Map) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Read access to the underlying map.
    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Value>> {
        // A poisoned lock only means another thread panicked mid-write; the
        // map itself is still a valid BTreeMap.
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Write access to the underlying map.
    pub fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<String, Value>> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.read().iter()).finish()
    }
}

/// A struct-like object such as `.Release`, `.Chart`, `.Capabilities` or
/// `.Files`: fields and methods are resolved by name.
pub trait Object: Send + Sync + fmt::Debug {
    /// Go type name, used in error messages and `typeOf` (e.g. `*chart.Metadata`).
    fn type_name(&self) -> &str;

    /// A field or zero-argument method by name; `None` when the object has no
    /// such field (Go: "can't evaluate field X in type T").
    fn field(&self, name: &str) -> Option<Value>;

    /// A method called with arguments (e.g. `.Files.Get "x"`,
    /// `.Capabilities.APIVersions.Has "v1"`). `None` when there is no such
    /// method.
    fn call_method(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, FuncError>> {
        None
    }

    /// The value this object marshals to for `toYaml`/`toJson`/`%v` where it
    /// matters (struct fields in declaration order). Default: nil.
    fn to_value(&self) -> Value {
        Value::Nil
    }

    /// Go's `fmt.Stringer`: when the Go type has a `String()` method (e.g.
    /// helm's `.Capabilities.KubeVersion` prints `v1.32.0`), its result.
    /// Used by `{{ . }}`, `print` and the `%v %s %q %x %X` verbs.
    fn stringer(&self) -> Option<String> {
        None
    }

    /// Whether [`Object::stringer`] is Go's `String()` on the *pointer*
    /// receiver of a struct value (helm's `KubeVersion`): `{{ . }}` of the
    /// addressable field reaches it, but a copy passed to a function
    /// (`quote`, `print`, `printf`) does not and prints the struct.
    fn stringer_needs_address(&self) -> bool {
        false
    }

    /// A Go struct's fields in declaration order, for `%v` (`{a b}`) and
    /// `%+v` (`{A:a B:b}`); nested structs are objects too. `None`: the
    /// object prints as [`Object::to_value`].
    fn struct_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        None
    }

    /// What `encoding/json` writes for this object when that differs from
    /// [`Object::to_value`] (whose maps have sorted keys).
    fn json_form(&self) -> Option<JsonForm> {
        None
    }

    /// For objects whose Go type is a slice or map with methods (helm's
    /// `.Capabilities.APIVersions` is a `[]string` with `Has`; `.Files` is
    /// a map with `Get`): the underlying list or map, so `range`, `len`,
    /// `index` and truth (empty is false) work on it as in Go.
    /// Default: [`Object::to_value`] when that is a list or map. Struct-like
    /// objects whose `to_value` is a map of fields should return `None`.
    fn collection(&self) -> Option<Value> {
        match self.to_value() {
            v @ (Value::List(_) | Value::Map(_)) => Some(v),
            _ => None,
        }
    }
}

/// How `encoding/json` writes an object (see [`Object::json_form`]).
#[derive(Clone, Debug)]
pub enum JsonForm {
    /// `null`, e.g. a nil Go map that still prints as `map[]`.
    Null,
    /// A struct: keys in field order, empty `omitempty` fields already left out.
    Fields(Vec<(String, Value)>),
}

/// A Go value as templates see it.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Go's nil interface (prints `<nil>`).
    #[default]
    Nil,
    /// `bool`.
    Bool(bool),
    /// Any Go signed integer (`int`, `int64`; values from `--set` and sprig).
    Int(i64),
    /// `float64` (every number read from a values file is one).
    Float(f64),
    /// `string`.
    String(Arc<str>),
    /// `[]byte` (e.g. `.Files.GetBytes`).
    Bytes(Arc<[u8]>),
    /// `[]interface{}`; slices are not mutated in place by sprig, so they are
    /// shared immutably.
    List(Arc<Vec<Value>>),
    /// `map[string]interface{}`, shared and mutable.
    Map(Map),
    /// A struct-like object.
    Object(Arc<dyn Object>),
}

impl Value {
    /// A string value.
    pub fn str(s: impl AsRef<str>) -> Value {
        Value::String(Arc::from(s.as_ref()))
    }

    /// A list value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items))
    }

    /// Whether this is Go's nil.
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The map inside, if this is a map.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::str(s)
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(Arc::from(s))
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Map(m)
    }
}
impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::list(v)
    }
}
