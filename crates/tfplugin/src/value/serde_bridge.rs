//! Typed resource models: between [`Value`] and serde types via `serde_json::Value`.
//!
//! Resources describe their state as plain structs; this bridge lets them read a decoded value
//! into such a struct and turn one back into a value of the schema type. The JSON detour is
//! deliberately simple: unknowns become `null` (a typed model has no way to say "unknown"; the
//! framework handles unknowns before models are involved), numbers become JSON numbers when
//! exact and decimal strings otherwise, so no precision is silently lost.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::ValueError;
use super::json::{self, Mode};
use super::json_syntax::{Json, MAX_JSON_DEPTH};
use super::model::Value;
use super::number::Number;
use super::trail::Trail;
use super::types::Type;
use crate::path::AttributePath;

impl Value {
    /// The value as plain JSON: unknown → `null`; a number → a JSON number when it reads back
    /// exactly (an `i64`, a `u64`, or the shortest decimal of an `f64`, like `0.1`), else a
    /// decimal string (`"18446744073709551617"`); sets → arrays; dynamic values → their inner
    /// value.
    pub fn to_serde_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null | Value::Unknown(_) => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    J::from(i)
                } else if let Some(u) = n.as_u64() {
                    J::from(u)
                } else if let Some(f) = n
                    .as_f64()
                    .filter(|f| Number::try_from(*f).as_ref().ok() == Some(n))
                {
                    // JSON readers (and `from_serde_json`) take a double's shortest decimal, so
                    // only a number equal to that decimal survives as a JSON number.
                    serde_json::Number::from_f64(f)
                        .map_or_else(|| J::String(n.to_string()), J::Number)
                } else {
                    J::String(n.to_string())
                }
            }
            Value::String(s) => J::String(s.clone()),
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                J::Array(items.iter().map(Value::to_serde_json).collect())
            }
            Value::Map(items) | Value::Object(items) => J::Object(
                items
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_serde_json()))
                    .collect(),
            ),
            Value::Dynamic(_, inner) => inner.to_serde_json(),
        }
    }

    /// Reads plain JSON as a value of type `ty`: missing object attributes are null, an
    /// unexpected attribute is an error naming it, numbers may be JSON numbers or decimal
    /// strings, sets are deduplicated, and a dynamic position takes the type its JSON implies.
    pub fn from_serde_json(v: &serde_json::Value, ty: &Type) -> Result<Value, ValueError> {
        let json = from_serde(v, 0)?;
        json::decode(&json, ty, Mode::Serde, &mut Trail::default(), 0)
    }

    /// Serializes a typed model and reads it as a value of type `ty`.
    pub fn from_typed<T: Serialize>(t: &T, ty: &Type) -> Result<Value, ValueError> {
        let json = serde_json::to_value(t).map_err(|e| ValueError::Serde {
            path: AttributePath::root(),
            message: e.to_string(),
        })?;
        Value::from_serde_json(&json, ty)
    }

    /// Deserializes the value (see [`Value::to_serde_json`]) into a typed model.
    pub fn to_typed<T: DeserializeOwned>(&self) -> Result<T, ValueError> {
        serde_json::from_value(self.to_serde_json()).map_err(|e| ValueError::Serde {
            path: AttributePath::root(),
            message: e.to_string(),
        })
    }
}

/// Converts to the codec's JSON tree, keeping numbers as their shortest text.
fn from_serde(v: &serde_json::Value, depth: usize) -> Result<Json, ValueError> {
    use serde_json::Value as J;
    if depth > MAX_JSON_DEPTH {
        return Err(ValueError::TooDeep {
            path: AttributePath::root(),
            limit: MAX_JSON_DEPTH,
        });
    }
    Ok(match v {
        J::Null => Json::Null,
        J::Bool(b) => Json::Bool(*b),
        J::Number(n) => Json::Number(n.to_string()),
        J::String(s) => Json::String(s.clone()),
        J::Array(items) => Json::Array(
            items
                .iter()
                .map(|item| from_serde(item, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        J::Object(members) => Json::Object(
            members
                .iter()
                .map(|(k, item)| Ok((k.clone(), from_serde(item, depth + 1)?)))
                .collect::<Result<_, ValueError>>()?,
        ),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Model {
        name: String,
        port: Option<u16>,
        ratio: f64,
        tags: BTreeMap<String, String>,
        zones: Vec<String>,
        big: String,
    }

    fn model_type() -> Type {
        Type::object([
            ("name", Type::String),
            ("port", Type::Number),
            ("ratio", Type::Number),
            ("tags", Type::map(Type::String)),
            ("zones", Type::set(Type::String)),
            ("big", Type::Number),
            ("extra", Type::Bool),
        ])
    }

    #[test]
    fn typed_round_trip() {
        let model = Model {
            name: "db".into(),
            port: None,
            ratio: 0.1,
            tags: BTreeMap::from([("team".into(), "x".into())]),
            zones: vec!["a".into(), "b".into(), "a".into()],
            big: "18446744073709551617".into(),
        };
        let value = Value::from_typed(&model, &model_type()).unwrap();
        assert_eq!(
            value.attr("ratio").and_then(Value::as_number),
            Some(&"0.1".parse::<Number>().unwrap())
        );
        assert_eq!(value.attr("port"), Some(&Value::Null));
        assert_eq!(
            value.attr("extra"),
            Some(&Value::Null),
            "missing attributes are null"
        );
        assert_eq!(
            value
                .attr("zones")
                .and_then(Value::as_list)
                .map(<[Value]>::len),
            Some(2),
            "sets deduplicated"
        );
        assert_eq!(
            value.attr("big").and_then(Value::as_number),
            Some(&"18446744073709551617".parse::<Number>().unwrap())
        );
        // The value is encodable as its type and survives msgpack.
        let bytes = value.to_msgpack(&model_type()).unwrap();
        let back = Value::from_msgpack(&bytes, &model_type()).unwrap();
        assert_eq!(back, value);
        let json = back.to_serde_json();
        assert_eq!(json["big"], json!("18446744073709551617"));
        assert_eq!(json["ratio"], json!(0.1));
        assert_eq!(json["extra"], json!(null));
    }

    #[test]
    fn numbers_to_json() {
        let n = |s: &str| Value::Number(s.parse().unwrap()).to_serde_json();
        assert_eq!(n("-3"), json!(-3));
        assert_eq!(n("18446744073709551615"), json!(u64::MAX));
        assert_eq!(n("1.5"), json!(1.5));
        assert_eq!(n("0.1"), json!(0.1));
        assert_eq!(n("18446744073709551616"), json!("18446744073709551616"));
        assert_eq!(
            n("0.1000000000000000055511151231257827021181583404541015625"),
            json!("0.1000000000000000055511151231257827021181583404541015625")
        );
        assert_eq!(n("1e400"), json!(format!("1{}", "0".repeat(400))));
        assert_eq!(Value::unknown().to_serde_json(), json!(null));
        assert_eq!(
            Value::Dynamic(Type::Bool, Box::new(Value::Bool(true))).to_serde_json(),
            json!(true)
        );
    }

    #[test]
    fn unexpected_attribute_is_named() {
        let err = Value::from_serde_json(
            &json!({"name": "x", "nmae": "y"}),
            &Type::object([("name", Type::String)]),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "unexpected attribute \"nmae\"");
        let nested = Type::object([("o", Type::list(Type::object([("a", Type::Number)])))]);
        let err = Value::from_serde_json(&json!({"o": [{"a": "x"}]}), &nested).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("at o[0].a: invalid number \"x\""),
            "{err}"
        );
    }

    #[test]
    fn dynamic_positions_take_the_implied_type() {
        let ty = Type::object([("any", Type::Dynamic)]);
        let value = Value::from_serde_json(&json!({"any": {"a": [1, "x"]}}), &ty).unwrap();
        let implied = Type::object([("a", Type::Tuple(vec![Type::Number, Type::String]))]);
        let Some(Value::Dynamic(actual, _)) = value.attr("any") else {
            panic!("not dynamic: {value:?}")
        };
        assert_eq!(*actual, implied);
        assert_eq!(value.to_serde_json(), json!({"any": {"a": [1, "x"]}}));
        let bytes = value.to_msgpack(&ty).unwrap();
        assert_eq!(Value::from_msgpack(&bytes, &ty).unwrap(), value);
    }

    #[test]
    fn typed_errors() {
        let value = Value::Object(BTreeMap::from([("name".to_owned(), Value::Bool(true))]));
        assert!(matches!(
            value.to_typed::<Model>(),
            Err(ValueError::Serde { .. })
        ));
    }
}
