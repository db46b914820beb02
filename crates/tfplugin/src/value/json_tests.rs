//! JSON codec tests: cty's JSON value encoding, incl. dynamic wrappers and leniencies.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use super::*;

fn num(text: &str) -> Value {
    Value::Number(text.parse().unwrap())
}

fn s(text: &str) -> Value {
    Value::String(text.into())
}

fn round_trip(json: &str, ty: &Type, expected: &Value) {
    assert_eq!(&Value::from_json(json.as_bytes(), ty).unwrap(), expected);
    assert_eq!(
        String::from_utf8(expected.to_json(ty).unwrap()).unwrap(),
        json
    );
}

#[test]
fn values() {
    let ty = Type::object([
        ("name", Type::String),
        ("size", Type::Number),
        ("big", Type::Number),
        ("on", Type::Bool),
        ("tags", Type::map(Type::String)),
        ("zones", Type::set(Type::String)),
        ("pair", Type::Tuple(vec![Type::Number, Type::Bool])),
        ("gone", Type::list(Type::String)),
    ]);
    let expected = Value::Object(BTreeMap::from([
        ("name".to_owned(), s("d\"b\n")),
        ("size".to_owned(), num("1.5")),
        ("big".to_owned(), num("18446744073709551617")),
        ("on".to_owned(), Value::Bool(true)),
        (
            "tags".to_owned(),
            Value::Map(BTreeMap::from([("a".to_owned(), s("x"))])),
        ),
        ("zones".to_owned(), Value::Set(vec![s("b"), s("a")])),
        (
            "pair".to_owned(),
            Value::Tuple(vec![num("-3"), Value::Bool(false)]),
        ),
        ("gone".to_owned(), Value::Null),
    ]));
    round_trip(
        r#"{"big":18446744073709551617,"gone":null,"name":"d\"b\n","on":true,"pair":[-3,false],"size":1.5,"tags":{"a":"x"},"zones":["b","a"]}"#,
        &ty,
        &expected,
    );
}

#[test]
fn big_numbers_stay_exact() {
    round_trip(
        &format!("1{}", "0".repeat(400)),
        &Type::Number,
        &num("1e400"),
    );
    assert_eq!(
        Value::from_json(b"1e400", &Type::Number).unwrap(),
        num("1e400")
    );
    assert_eq!(Value::from_json(b"0.1", &Type::Number).unwrap(), num("0.1"));
    assert!(Value::from_json(b"1e99999", &Type::Number).is_err());
}

#[test]
fn dynamic() {
    let ty = Type::object([("v", Type::Dynamic)]);
    let expected = Value::Object(BTreeMap::from([(
        "v".to_owned(),
        Value::Dynamic(
            Type::list(Type::Number),
            Box::new(Value::List(vec![num("1"), num("2")])),
        ),
    )]));
    round_trip(
        r#"{"v":{"value":[1,2],"type":["list","number"]}}"#,
        &ty,
        &expected,
    );
    // Members in either order.
    let reordered =
        Value::from_json(br#"{"v":{"type":["list","number"],"value":[1,2]}}"#, &ty).unwrap();
    assert_eq!(reordered, expected);
    round_trip("null", &Type::Dynamic, &Value::Null);
    round_trip(
        r#"{"value":null,"type":"string"}"#,
        &Type::Dynamic,
        &Value::Dynamic(Type::String, Box::new(Value::Null)),
    );
    for bad in [
        r#"{"value":1}"#,
        r#"{"type":"number"}"#,
        r#"{"value":1,"type":"number","x":1}"#,
        "1",
    ] {
        assert!(
            Value::from_json(bad.as_bytes(), &Type::Dynamic).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn cty_leniencies() {
    let ty = Type::object([
        ("a", Type::Number),
        ("b", Type::Bool),
        ("c", Type::String),
        ("d", Type::String),
    ]);
    let value = Value::from_json(br#"{"a":"42","b":"true","c":12.50,"d":false}"#, &ty).unwrap();
    assert_eq!(value.attr("a"), Some(&num("42")));
    assert_eq!(value.attr("b"), Some(&Value::Bool(true)));
    assert_eq!(value.attr("c"), Some(&s("12.50")));
    assert_eq!(value.attr("d"), Some(&s("false")));
    // Missing attributes are null; sets lose duplicates.
    let value = Value::from_json(b"{}", &ty).unwrap();
    assert!(value.as_map().unwrap().values().all(Value::is_null));
    let set = Value::from_json(br#"["a","b","a"]"#, &Type::set(Type::String)).unwrap();
    assert_eq!(set, Value::Set(vec![s("a"), s("b")]));
}

#[test]
fn errors() {
    let ty = Type::object([("rules", Type::list(Type::object([("port", Type::Number)])))]);
    let err = Value::from_json(br#"{"rules":[{"port":1},{"port":true}]}"#, &ty).unwrap_err();
    assert_eq!(
        err.to_string(),
        "at rules[1].port: expected number, found JSON boolean"
    );
    let err = Value::from_json(br#"{"rules":[],"x":1}"#, &ty).unwrap_err();
    assert_eq!(err.to_string(), "unexpected attribute \"x\"");
    let err = Value::from_json(br#"{"rules":[] "#, &ty).unwrap_err();
    assert!(
        matches!(err, ValueError::Malformed { format: "JSON", .. }),
        "{err}"
    );
    assert!(Value::from_json(br#"[1]"#, &Type::Tuple(vec![Type::Number, Type::Number])).is_err());
    assert!(Value::from_json(br#"{"a":1,"a":2}"#, &Type::map(Type::Number)).is_err());
    assert!(Value::from_json(br#""maybe""#, &Type::Bool).is_err());
}

#[test]
fn unknowns_cannot_be_json() {
    let ty = Type::object([("a", Type::list(Type::String))]);
    let value = Value::Object(BTreeMap::from([(
        "a".to_owned(),
        Value::List(vec![s("x"), Value::unknown()]),
    )]));
    let err = value.to_json(&ty).unwrap_err();
    assert_eq!(
        err.to_string(),
        "at a[1]: unknown values cannot be encoded as JSON"
    );
    assert!(Value::unknown().to_json(&Type::Dynamic).is_err());
}

#[test]
fn depth_is_limited() {
    let mut ty = Type::Bool;
    let mut json = "true".to_owned();
    for _ in 0..=MAX_DEPTH {
        ty = Type::list(ty);
        json = format!("[{json}]");
    }
    let err = Value::from_json(json.as_bytes(), &ty).unwrap_err();
    assert!(matches!(err, ValueError::TooDeep { .. }), "{err}");
}
