//! cty's JSON value encoding: `DynamicValue.json`, which Terraform uses for raw state.
//!
//! JSON has no unknowns, so encoding one is an error ([`ValueError::UnknownInJson`]).
//! Following cty, decoding is lenient where JSON is ambiguous: a missing object attribute is
//! null, numbers may come as strings (`"42"`), strings accept numbers and bools as written,
//! and bools accept `"true"`/`"false"`/`"1"`/`"0"`. Sets drop duplicate elements. A value at a
//! `dynamic` position is `{"value": ..., "type": <type JSON>}`, or `null`.
//!
//! The same decoder reads `serde_json` trees for typed resource models ([`Mode::Serde`]); there
//! dynamic positions hold plain JSON whose type is implied, as cty's `ImpliedType` does.

use std::collections::BTreeMap;

use super::error::ValueError;
use super::json_syntax::{self, Json};
use super::model::{Value, dedup_set};
use super::number::Number;
use super::trail::Trail;
use super::types::Type;

/// How values at dynamic positions are represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// cty's `{"value": ..., "type": ...}` wrapper.
    Wire,
    /// Plain JSON whose type is implied by its shape.
    Serde,
}

impl Value {
    /// Decodes cty JSON (the `json` field of a `DynamicValue`, e.g. raw state) as type `ty`.
    pub fn from_json(bytes: &[u8], ty: &Type) -> Result<Value, ValueError> {
        let json = json_syntax::parse(bytes).map_err(|message| ValueError::Malformed {
            path: Default::default(),
            format: "JSON",
            message,
        })?;
        decode(&json, ty, Mode::Wire, &mut Trail::default(), 0)
    }

    /// Encodes the value as cty JSON of type `ty`; fails on unknown values.
    pub fn to_json(&self, ty: &Type) -> Result<Vec<u8>, ValueError> {
        let mut out = String::new();
        encode(self, ty, &mut out, &mut Trail::default(), 0)?;
        Ok(out.into_bytes())
    }
}

/// Decodes parsed JSON as a value of type `ty`.
pub(crate) fn decode(
    json: &Json,
    ty: &Type,
    mode: Mode,
    trail: &mut Trail,
    depth: usize,
) -> Result<Value, ValueError> {
    trail.check_depth(depth)?;
    if matches!(json, Json::Null) {
        return Ok(Value::Null);
    }
    let mismatch = |trail: &Trail| trail.mismatch(ty.to_string(), json.describe());
    match ty {
        Type::Dynamic => match mode {
            Mode::Wire => decode_wrapped(json, trail, depth),
            Mode::Serde => {
                let implied = implied_type(json, trail, depth)?;
                let value = decode(json, &implied, mode, trail, depth + 1)?;
                Ok(Value::Dynamic(implied, Box::new(value)))
            }
        },
        Type::Bool => match json {
            Json::Bool(b) => Ok(Value::Bool(*b)),
            Json::String(s) if s == "true" || s == "1" => Ok(Value::Bool(true)),
            Json::String(s) if s == "false" || s == "0" => Ok(Value::Bool(false)),
            _ => Err(mismatch(trail)),
        },
        Type::Number => match json {
            Json::Number(text) | Json::String(text) => {
                Number::parse_at(text, || trail.path()).map(Value::Number)
            }
            _ => Err(mismatch(trail)),
        },
        Type::String => match json {
            Json::String(s) | Json::Number(s) => Ok(Value::String(s.clone())),
            Json::Bool(b) => Ok(Value::String(b.to_string())),
            _ => Err(mismatch(trail)),
        },
        Type::List(element) | Type::Set(element) => {
            let Json::Array(items) = json else {
                return Err(mismatch(trail));
            };
            let items = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    trail.index(i, |trail| decode(item, element, mode, trail, depth + 1))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::Set(_)) {
                Value::Set(dedup_set(items))
            } else {
                Value::List(items)
            })
        }
        Type::Map(element) => {
            let Json::Object(members) = json else {
                return Err(mismatch(trail));
            };
            let mut items = BTreeMap::new();
            for (key, item) in members {
                if items.contains_key(key) {
                    return Err(ValueError::DuplicateKey {
                        path: trail.path(),
                        key: key.clone(),
                    });
                }
                let value =
                    trail.key(key, |trail| decode(item, element, mode, trail, depth + 1))?;
                items.insert(key.clone(), value);
            }
            Ok(Value::Map(items))
        }
        Type::Object { attributes, .. } => {
            let Json::Object(members) = json else {
                return Err(mismatch(trail));
            };
            let mut items = BTreeMap::new();
            for (name, item) in members {
                let Some(attribute_ty) = attributes.get(name) else {
                    return Err(ValueError::UnexpectedAttribute {
                        path: trail.path(),
                        name: name.clone(),
                    });
                };
                if items.contains_key(name) {
                    return Err(ValueError::DuplicateKey {
                        path: trail.path(),
                        key: name.clone(),
                    });
                }
                let value = trail.attr(name, |trail| {
                    decode(item, attribute_ty, mode, trail, depth + 1)
                })?;
                items.insert(name.clone(), value);
            }
            for name in attributes.keys() {
                items.entry(name.clone()).or_insert(Value::Null);
            }
            Ok(Value::Object(items))
        }
        Type::Tuple(elements) => {
            let Json::Array(items) = json else {
                return Err(mismatch(trail));
            };
            if items.len() != elements.len() {
                return Err(ValueError::TupleLength {
                    path: trail.path(),
                    expected: elements.len(),
                    found: items.len(),
                });
            }
            items
                .iter()
                .zip(elements)
                .enumerate()
                .map(|(i, (item, element))| {
                    trail.index(i, |trail| decode(item, element, mode, trail, depth + 1))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Tuple)
        }
    }
}

/// `{"value": ..., "type": ...}` (the caller handled `null`).
fn decode_wrapped(json: &Json, trail: &mut Trail, depth: usize) -> Result<Value, ValueError> {
    let malformed = |trail: &Trail, message: String| ValueError::Malformed {
        path: trail.path(),
        format: "JSON",
        message,
    };
    let Json::Object(members) = json else {
        return Err(trail.mismatch(
            "dynamic value ({\"value\", \"type\"} object)",
            json.describe(),
        ));
    };
    let (mut ty, mut value) = (None, None);
    for (key, item) in members {
        match key.as_str() {
            "type" if ty.is_none() => {
                ty = Some(Type::from_json_tree(item, 0).map_err(|message| {
                    ValueError::InvalidType {
                        path: trail.path(),
                        message,
                    }
                })?);
            }
            "value" if value.is_none() => value = Some(item),
            other => {
                return Err(malformed(
                    trail,
                    format!("unexpected or repeated key {other:?} in a dynamic value"),
                ));
            }
        }
    }
    let ty = ty.ok_or_else(|| malformed(trail, "dynamic value lacks \"type\"".into()))?;
    let value = value.ok_or_else(|| malformed(trail, "dynamic value lacks \"value\"".into()))?;
    let inner = decode(value, &ty, Mode::Wire, trail, depth + 1)?;
    Ok(Value::Dynamic(ty, Box::new(inner)))
}

/// The type plain JSON implies: primitives as themselves, arrays as tuples, objects as
/// objects, null as dynamic.
fn implied_type(json: &Json, trail: &Trail, depth: usize) -> Result<Type, ValueError> {
    trail.check_depth(depth)?;
    Ok(match json {
        Json::Null => Type::Dynamic,
        Json::Bool(_) => Type::Bool,
        Json::Number(_) => Type::Number,
        Json::String(_) => Type::String,
        Json::Array(items) => Type::Tuple(
            items
                .iter()
                .map(|item| implied_type(item, trail, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Json::Object(members) => {
            let mut attributes = BTreeMap::new();
            for (name, item) in members {
                if attributes
                    .insert(name.clone(), implied_type(item, trail, depth + 1)?)
                    .is_some()
                {
                    return Err(ValueError::DuplicateKey {
                        path: trail.path(),
                        key: name.clone(),
                    });
                }
            }
            Type::Object {
                attributes,
                optional: Default::default(),
            }
        }
    })
}

fn encode(
    value: &Value,
    ty: &Type,
    out: &mut String,
    trail: &mut Trail,
    depth: usize,
) -> Result<(), ValueError> {
    trail.check_depth(depth)?;
    if *ty == Type::Dynamic {
        return encode_dynamic(value, out, trail, depth);
    }
    match (value, ty) {
        (Value::Null, _) => out.push_str("null"),
        (Value::Unknown(_), _) => return Err(ValueError::UnknownInJson { path: trail.path() }),
        (Value::Dynamic(inner_ty, inner), _) if inner_ty == ty => {
            encode(inner, ty, out, trail, depth + 1)?
        }
        (Value::Bool(b), Type::Bool) => out.push_str(if *b { "true" } else { "false" }),
        (Value::Number(n), Type::Number) => out.push_str(&n.to_string()),
        (Value::String(s), Type::String) => json_syntax::write_string(out, s),
        (Value::List(items), Type::List(element)) | (Value::Set(items), Type::Set(element)) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                trail.index(i, |trail| encode(item, element, out, trail, depth + 1))?;
            }
            out.push(']');
        }
        (Value::Map(items), Type::Map(element)) => {
            out.push('{');
            for (i, (key, item)) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_syntax::write_string(out, key);
                out.push(':');
                trail.key(key, |trail| encode(item, element, out, trail, depth + 1))?;
            }
            out.push('}');
        }
        (Value::Object(items), Type::Object { attributes, .. }) => {
            super::model::check_attribute_names(items, attributes, trail)?;
            out.push('{');
            for (i, (name, attribute_ty)) in attributes.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_syntax::write_string(out, name);
                out.push(':');
                let item = items.get(name).unwrap_or(&Value::Null);
                trail.attr(name, |trail| {
                    encode(item, attribute_ty, out, trail, depth + 1)
                })?;
            }
            out.push('}');
        }
        (Value::Tuple(items), Type::Tuple(elements)) => {
            if items.len() != elements.len() {
                return Err(ValueError::TupleLength {
                    path: trail.path(),
                    expected: elements.len(),
                    found: items.len(),
                });
            }
            out.push('[');
            for (i, (item, element)) in items.iter().zip(elements).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                trail.index(i, |trail| encode(item, element, out, trail, depth + 1))?;
            }
            out.push(']');
        }
        (other, _) => return Err(trail.mismatch(ty.to_string(), other.kind())),
    }
    Ok(())
}

fn encode_dynamic(
    value: &Value,
    out: &mut String,
    trail: &mut Trail,
    depth: usize,
) -> Result<(), ValueError> {
    let (ty, inner) = match value {
        Value::Null => {
            out.push_str("null");
            return Ok(());
        }
        Value::Unknown(_) => return Err(ValueError::UnknownInJson { path: trail.path() }),
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
    out.push_str("{\"value\":");
    encode(inner, &ty, out, trail, depth + 1)?;
    out.push_str(",\"type\":");
    ty.write_json(out);
    out.push('}');
    Ok(())
}
