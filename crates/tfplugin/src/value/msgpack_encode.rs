//! Writing `DynamicValue.msgpack`: a provider value, laid out by its schema type.
//!
//! The output is byte-for-byte what cty would write for the same value (object attributes and
//! map keys sorted, compact integers, doubles only when exact, decimal strings otherwise, type
//! JSON of dynamic values as msgpack `bin`), so Terraform sees no spurious differences.
//! Encoding validates as it goes, with the same rules as [`Value::conforms_to`].

use super::error::ValueError;
use super::model::{Value, check_attribute_names};
use super::msgpack_unknown::encode_unknown;
use super::msgpack_write::Writer;
use super::number::Number;
use super::trail::Trail;
use super::types::Type;

impl Value {
    /// Encodes the value as cty msgpack of type `ty` (for a `DynamicValue`'s `msgpack` field).
    pub fn to_msgpack(&self, ty: &Type) -> Result<Vec<u8>, ValueError> {
        let mut out = Writer::default();
        encode(self, ty, &mut out, &mut Trail::default(), 0)?;
        Ok(out.into_vec())
    }
}

/// Writes a number as cty does: integer if it fits `i64`, double if exact, else a decimal
/// string.
pub(crate) fn write_number(
    number: &Number,
    out: &mut Writer,
    trail: &Trail,
) -> Result<(), ValueError> {
    if let Some(n) = number.as_i64() {
        out.int(n);
    } else if let Some(f) = number.as_f64_exact() {
        out.f64(f);
    } else {
        out.str(&number.to_string(), trail)?;
    }
    Ok(())
}

fn encode(
    value: &Value,
    ty: &Type,
    out: &mut Writer,
    trail: &mut Trail,
    depth: usize,
) -> Result<(), ValueError> {
    trail.check_depth(depth)?;
    if *ty == Type::Dynamic {
        return encode_dynamic(value, out, trail, depth);
    }
    match (value, ty) {
        (Value::Null, _) => out.nil(),
        (Value::Unknown(refinements), _) => encode_unknown(refinements, ty, out, trail)?,
        (Value::Dynamic(inner_ty, inner), _) if inner_ty == ty => {
            encode(inner, ty, out, trail, depth + 1)?
        }
        (Value::Bool(b), Type::Bool) => out.bool(*b),
        (Value::Number(n), Type::Number) => write_number(n, out, trail)?,
        (Value::String(s), Type::String) => out.str(s, trail)?,
        (Value::List(items), Type::List(element)) | (Value::Set(items), Type::Set(element)) => {
            out.array_len(items.len(), trail)?;
            for (i, item) in items.iter().enumerate() {
                trail.index(i, |trail| encode(item, element, out, trail, depth + 1))?;
            }
        }
        (Value::Map(items), Type::Map(element)) => {
            out.map_len(items.len(), trail)?;
            for (key, item) in items {
                trail.key(key, |trail| {
                    out.str(key, trail)?;
                    encode(item, element, out, trail, depth + 1)
                })?;
            }
        }
        (Value::Object(items), Type::Object { attributes, .. }) => {
            check_attribute_names(items, attributes, trail)?;
            out.map_len(attributes.len(), trail)?;
            for (name, item) in items {
                let Some(attribute_ty) = attributes.get(name) else {
                    continue;
                };
                trail.attr(name, |trail| {
                    out.str(name, trail)?;
                    encode(item, attribute_ty, out, trail, depth + 1)
                })?;
            }
        }
        (Value::Tuple(items), Type::Tuple(elements)) => {
            if items.len() != elements.len() {
                return Err(ValueError::TupleLength {
                    path: trail.path(),
                    expected: elements.len(),
                    found: items.len(),
                });
            }
            out.array_len(items.len(), trail)?;
            for (i, (item, element)) in items.iter().zip(elements).enumerate() {
                trail.index(i, |trail| encode(item, element, out, trail, depth + 1))?;
            }
        }
        (other, _) => return Err(trail.mismatch(ty.to_string(), other.kind())),
    }
    Ok(())
}

/// A value at a dynamic position: `nil`, a plain unknown, or `[type JSON, value]`.
fn encode_dynamic(
    value: &Value,
    out: &mut Writer,
    trail: &mut Trail,
    depth: usize,
) -> Result<(), ValueError> {
    let (ty, inner) = match value {
        Value::Null => {
            out.nil();
            return Ok(());
        }
        Value::Unknown(refinements) => {
            return encode_unknown(refinements, &Type::Dynamic, out, trail);
        }
        Value::Dynamic(ty, inner) => (ty.clone(), inner.as_ref()),
        other => match other.implied_type() {
            Some(ty) => (ty, other),
            None => {
                return Err(trail.mismatch(
                    "a value of one type (wrap it in Value::Dynamic)",
                    "collection elements of differing types",
                ));
            }
        },
    };
    out.array_len(2, trail)?;
    out.bin(&ty.to_json(), trail)?;
    encode(inner, &ty, out, trail, depth + 1)
}
