//! Evaluation values: Go's `reflect.Value` states that matter to
//! `text/template`, layered over [`Value`].

use crate::value::Value;

/// What the executor passes around. Go distinguishes an *invalid*
/// `reflect.Value` (prints `<no value>`, field access on it yields nothing)
/// from a value read out of an `interface{}` slot (a map or slice element;
/// field access on a nil one is "nil pointer evaluating interface {}.x",
/// and type names in errors say `interface {}`), from a concrete value
/// (pipeline results, literals, the data root).
#[derive(Clone, Debug)]
pub enum EVal {
    /// The zero `reflect.Value` (Go prints `<no value>`).
    Invalid,
    /// A value held in an `interface{}` slot; `Iface(Value::Nil)` is a nil
    /// interface.
    Iface(Value),
    /// A concrete value (never `Value::Nil`).
    Val(Value),
}

impl EVal {
    /// A concrete value; nil becomes invalid (Go's `reflect.ValueOf(nil)`).
    pub fn of(v: Value) -> EVal {
        if v.is_nil() {
            EVal::Invalid
        } else {
            EVal::Val(v)
        }
    }

    /// What a function taking `interface{}` receives.
    pub fn to_value(&self) -> Value {
        match self {
            EVal::Invalid => Value::Nil,
            EVal::Iface(v) | EVal::Val(v) => v.clone(),
        }
    }

    /// Go's "lovely" step after each pipeline command: an `interface{}`
    /// result is replaced by the value inside (a nil one becomes invalid).
    pub fn unwrap_iface(self) -> EVal {
        match self {
            EVal::Iface(v) => EVal::of(v),
            other => other,
        }
    }

    /// Go's `indirectInterface`.
    pub fn indirect_interface(&self) -> EVal {
        self.clone().unwrap_iface()
    }

    /// The inner value if valid and not a nil interface.
    pub fn inner(&self) -> Option<&Value> {
        match self {
            EVal::Invalid | EVal::Iface(Value::Nil) => None,
            EVal::Iface(v) | EVal::Val(v) => Some(v),
        }
    }

    /// Like [`EVal::inner`], but an object standing for a Go slice or map
    /// is replaced by that collection ([`crate::Object::collection`]).
    pub fn collection(&self) -> Option<Value> {
        match self.inner()? {
            Value::Object(o) => Some(o.collection().unwrap_or_else(|| Value::Object(o.clone()))),
            v => Some(v.clone()),
        }
    }

    /// The Go static type name as `reflect.Value.Type()` reports it.
    pub fn type_name(&self) -> String {
        match self {
            EVal::Invalid => "<nil>".into(),
            EVal::Iface(_) => "interface {}".into(),
            EVal::Val(v) => crate::gofmt::type_name(v),
        }
    }
}

/// Go's truth (`if`, `with`, `and`, `or`, `not`): false, 0, empty string,
/// slice or map, and nil are false.
pub fn is_true(v: &Value) -> bool {
    match v {
        Value::Nil => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::String(s) => !s.is_empty(),
        Value::Bytes(b) => !b.is_empty(),
        Value::List(l) => !l.is_empty(),
        Value::Map(m) => !m.is_empty(),
        // Objects of Go slice/map types are true when non-empty; structs
        // and pointers are always true.
        Value::Object(o) => match o.collection() {
            Some(Value::List(l)) => !l.is_empty(),
            Some(Value::Map(m)) => !m.is_empty(),
            _ => true,
        },
    }
}

/// Truth of an evaluation value (invalid and nil interfaces are false).
pub fn eval_truth(v: &EVal) -> bool {
    v.inner().is_some_and(is_true)
}
