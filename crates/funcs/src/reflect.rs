//! Reflection functions (sprig reflect.go) and Go's `reflect.DeepEqual`
//! over template values.

use tusk_template::{CallContext, FuncError, Value};

use crate::Env;
use crate::args::{arity, go_kind, go_type, s, string};

type R = Result<Value, FuncError>;

/// Go's `reflect.DeepEqual` for template values: same type and equal
/// contents (an int and a float are never equal).
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.ptr_eq(y) {
                return true;
            }
            let (x, y) = (x.entries(), y.entries());
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && deep_equal(v1, v2))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.type_name() == y.type_name() && deep_equal(&x.to_value(), &y.to_value())
        }
        _ => false,
    }
}

/// `{{ typeOf 1.5 }}` → `float64`.
pub fn type_of(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("typeOf", a, 1)?;
    Ok(s(go_type(&a[0])))
}

/// `{{ typeIs "string" "x" }}` → `true`.
pub fn type_is(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("typeIs", a, 2)?;
    Ok(Value::Bool(string(&a[0])? == go_type(&a[1])))
}

/// `{{ typeIsLike "chart.Metadata" .Chart }}`: type or pointer to it.
pub fn type_is_like(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("typeIsLike", a, 2)?;
    let t = go_type(&a[1]);
    let want = string(&a[0])?;
    Ok(Value::Bool(want == t || format!("*{want}") == t))
}

/// `{{ kindOf (list) }}` → `slice`.
pub fn kind_of(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("kindOf", a, 1)?;
    Ok(s(go_kind(&a[0])))
}

/// `{{ kindIs "map" (dict) }}` → `true`.
pub fn kind_is(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("kindIs", a, 2)?;
    Ok(Value::Bool(string(&a[0])? == go_kind(&a[1])))
}

/// `{{ deepEqual (list 1) (list 1) }}` → `true`.
pub fn deep_equal_fn(_: &Env, _: &mut dyn CallContext, a: &[Value]) -> R {
    arity("deepEqual", a, 2)?;
    Ok(Value::Bool(deep_equal(&a[0], &a[1])))
}
