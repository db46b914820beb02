//! Reading `DynamicValue.msgpack`: bytes from Terraform, interpreted against a schema type.
//!
//! The input is untrusted, so the decoder checks everything and never panics: truncation,
//! trailing bytes, wrong item kinds, invalid UTF-8, duplicate or unexpected keys, missing
//! attributes, and nesting beyond [`MAX_DEPTH`](super::trail::MAX_DEPTH) are all errors that
//! carry the path where they happened. Lengths declared in headers are never used to
//! pre-allocate.
//!
//! Layout, following cty: null is `nil` and unknown an extension at any position; numbers are
//! integers, floats or decimal strings; lists, sets and tuples are arrays; maps and objects are
//! maps keyed by name; a value at a `dynamic` position is `[type JSON (bin or str), value]`.

use std::collections::BTreeMap;

use super::error::ValueError;
use super::model::{Value, check_attribute_names, dedup_set};
use super::msgpack_read::{Head, ReadError, Reader};
use super::msgpack_unknown::decode_unknown;
use super::number::Number;
use super::trail::Trail;
use super::types::Type;

impl Value {
    /// Decodes cty msgpack (the `msgpack` field of a `DynamicValue`) as a value of type `ty`.
    pub fn from_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, ValueError> {
        let mut reader = Reader::new(bytes);
        let mut trail = Trail::default();
        let value = decode(&mut reader, ty, &mut trail, 0)?;
        if !reader.at_end() {
            return Err(malformed(&trail, "trailing bytes after the value"));
        }
        Ok(value)
    }
}

fn malformed(trail: &Trail, message: ReadError) -> ValueError {
    ValueError::Malformed {
        path: trail.path(),
        format: "msgpack",
        message: message.to_owned(),
    }
}

fn head<'a>(reader: &mut Reader<'a>, trail: &Trail) -> Result<Head<'a>, ValueError> {
    reader.head().map_err(|message| malformed(trail, message))
}

fn utf8<'a>(bytes: &'a [u8], trail: &Trail) -> Result<&'a str, ValueError> {
    std::str::from_utf8(bytes).map_err(|_| malformed(trail, "string is not valid UTF-8"))
}

/// A string item (msgpack `str`, or `bin` as cty's decoder also accepts).
fn string<'a>(head: Head<'a>, what: &str, trail: &Trail) -> Result<&'a str, ValueError> {
    match head {
        Head::Str(bytes) | Head::Bin(bytes) => utf8(bytes, trail),
        other => Err(trail.mismatch(what, other.describe())),
    }
}

/// The number an integer, float or decimal string item holds; `None` for other items and for
/// non-finite or unparsable numbers.
pub(crate) fn number_from_head(head: Head<'_>) -> Option<Number> {
    match head {
        Head::Int(n) => Some(Number::from(n)),
        Head::BigUint(n) => Some(Number::from(n)),
        Head::F32(f) => Number::from_f64_exact(f64::from(f)),
        Head::F64(f) => Number::from_f64_exact(f),
        Head::Str(bytes) | Head::Bin(bytes) => std::str::from_utf8(bytes).ok()?.parse().ok(),
        _ => None,
    }
}

fn number(head: Head<'_>, trail: &Trail) -> Result<Number, ValueError> {
    let invalid = |text: String, reason: &str| ValueError::InvalidNumber {
        path: trail.path(),
        text,
        reason: reason.into(),
    };
    match head {
        Head::F32(f) if !f.is_finite() => {
            Err(invalid(f.to_string(), "only finite numbers are supported"))
        }
        Head::F64(f) if !f.is_finite() => {
            Err(invalid(f.to_string(), "only finite numbers are supported"))
        }
        Head::Str(bytes) | Head::Bin(bytes) => {
            Number::parse_at(utf8(bytes, trail)?, || trail.path())
        }
        Head::Int(_) | Head::BigUint(_) | Head::F32(_) | Head::F64(_) => {
            number_from_head(head).ok_or_else(|| invalid(format!("{head:?}"), "not a number"))
        }
        other => Err(trail.mismatch("number", other.describe())),
    }
}

fn decode(
    reader: &mut Reader<'_>,
    ty: &Type,
    trail: &mut Trail,
    depth: usize,
) -> Result<Value, ValueError> {
    trail.check_depth(depth)?;
    let head = head(reader, trail)?;
    match head {
        Head::Ext(code, payload) => return decode_unknown(code, payload, ty, trail),
        Head::Nil => return Ok(Value::Null),
        _ => {}
    }
    match ty {
        Type::Dynamic => decode_dynamic(reader, head, trail, depth),
        Type::Bool => match head {
            Head::Bool(b) => Ok(Value::Bool(b)),
            other => Err(trail.mismatch("bool", other.describe())),
        },
        Type::Number => number(head, trail).map(Value::Number),
        Type::String => string(head, "string", trail).map(|s| Value::String(s.to_owned())),
        Type::List(element) | Type::Set(element) => {
            let Head::Array(len) = head else {
                return Err(trail.mismatch(ty.kind(), head.describe()));
            };
            let mut items = Vec::new();
            for i in 0..len {
                let i = usize::try_from(i).unwrap_or(usize::MAX);
                items.push(trail.index(i, |trail| decode(reader, element, trail, depth + 1))?);
            }
            Ok(if matches!(ty, Type::Set(_)) {
                // A set holds each known value once, whatever the sender repeated; the JSON
                // decoder does the same, so both encodings of one value decode alike.
                Value::Set(dedup_set(items))
            } else {
                Value::List(items)
            })
        }
        Type::Map(element) => {
            let Head::Map(len) = head else {
                return Err(trail.mismatch("map", head.describe()));
            };
            let mut items = BTreeMap::new();
            for _ in 0..len {
                let key = string(self::head(reader, trail)?, "string map key", trail)?;
                if items.contains_key(key) {
                    return Err(ValueError::DuplicateKey {
                        path: trail.path(),
                        key: key.to_owned(),
                    });
                }
                let value = trail.key(key, |trail| decode(reader, element, trail, depth + 1))?;
                items.insert(key.to_owned(), value);
            }
            Ok(Value::Map(items))
        }
        Type::Object { attributes, .. } => {
            let Head::Map(len) = head else {
                return Err(trail.mismatch("object", head.describe()));
            };
            let mut items = BTreeMap::new();
            for _ in 0..len {
                let name = string(self::head(reader, trail)?, "string attribute name", trail)?;
                let Some(attribute_ty) = attributes.get(name) else {
                    return Err(ValueError::UnexpectedAttribute {
                        path: trail.path(),
                        name: name.to_owned(),
                    });
                };
                if items.contains_key(name) {
                    return Err(ValueError::DuplicateKey {
                        path: trail.path(),
                        key: name.to_owned(),
                    });
                }
                let value =
                    trail.attr(name, |trail| decode(reader, attribute_ty, trail, depth + 1))?;
                items.insert(name.to_owned(), value);
            }
            check_attribute_names(&items, attributes, trail)?;
            Ok(Value::Object(items))
        }
        Type::Tuple(elements) => {
            let Head::Array(len) = head else {
                return Err(trail.mismatch("tuple", head.describe()));
            };
            let len = usize::try_from(len).unwrap_or(usize::MAX);
            if len != elements.len() {
                return Err(ValueError::TupleLength {
                    path: trail.path(),
                    expected: elements.len(),
                    found: len,
                });
            }
            let mut items = Vec::with_capacity(len);
            for (i, element) in elements.iter().enumerate() {
                items.push(trail.index(i, |trail| decode(reader, element, trail, depth + 1))?);
            }
            Ok(Value::Tuple(items))
        }
    }
}

/// `[type JSON, value]` at a dynamic position (nil and unknown were handled by the caller).
fn decode_dynamic(
    reader: &mut Reader<'_>,
    head: Head<'_>,
    trail: &mut Trail,
    depth: usize,
) -> Result<Value, ValueError> {
    match head {
        Head::Array(2) => {}
        Head::Array(n) => {
            return Err(ValueError::Malformed {
                path: trail.path(),
                format: "msgpack",
                message: format!(
                    "a dynamic value must be a [type, value] array, found {n} elements"
                ),
            });
        }
        other => {
            return Err(trail.mismatch("dynamic value ([type, value] array)", other.describe()));
        }
    }
    let type_json = match self::head(reader, trail)? {
        Head::Str(bytes) | Head::Bin(bytes) => bytes,
        other => {
            return Err(trail.mismatch("type JSON (msgpack binary or string)", other.describe()));
        }
    };
    let ty = Type::from_json_message(type_json).map_err(|message| ValueError::InvalidType {
        path: trail.path(),
        message,
    })?;
    let value = decode(reader, &ty, trail, depth + 1)?;
    Ok(Value::Dynamic(ty, Box::new(value)))
}
