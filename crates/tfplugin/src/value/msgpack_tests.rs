//! msgpack codec tests against hand-built bytes in the exact forms cty produces.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;

use super::*;
use crate::path::AttributePath;

fn num(text: &str) -> Value {
    Value::Number(text.parse().unwrap())
}

fn s(text: &str) -> Value {
    Value::String(text.into())
}

/// Decodes `bytes` as `ty`, checks the result, and checks that encoding gives `bytes` back.
fn round_trip(bytes: &[u8], ty: &Type, expected: &Value) {
    let decoded = Value::from_msgpack(bytes, ty).unwrap();
    assert_eq!(&decoded, expected);
    assert_eq!(
        expected.to_msgpack(ty).unwrap(),
        bytes,
        "encoding of {expected:?}"
    );
}

fn str_bytes(text: &str) -> Vec<u8> {
    let mut out = match text.len() {
        n if n < 32 => vec![0xa0 | u8::try_from(n).unwrap()],
        n if n < 256 => vec![0xd9, u8::try_from(n).unwrap()],
        n => {
            let mut v = vec![0xda];
            v.extend(u16::try_from(n).unwrap().to_be_bytes());
            v
        }
    };
    out.extend(text.as_bytes());
    out
}

#[test]
fn primitives() {
    round_trip(&[0xc3], &Type::Bool, &Value::Bool(true));
    round_trip(&[0xc2], &Type::Bool, &Value::Bool(false));
    round_trip(&[0xa2, b'h', b'i'], &Type::String, &s("hi"));
    round_trip(&[0xa0], &Type::String, &s(""));
    round_trip(&[0xc0], &Type::String, &Value::Null);
    round_trip(&[0xd4, 0, 0], &Type::Number, &Value::unknown());
}

#[test]
fn numbers() {
    round_trip(&[0x00], &Type::Number, &num("0"));
    round_trip(&[0xfd], &Type::Number, &num("-3"));
    round_trip(&[0x7f], &Type::Number, &num("127"));
    round_trip(&[0xcc, 0x80], &Type::Number, &num("128"));
    round_trip(&[0xd0, 0xdf], &Type::Number, &num("-33"));
    round_trip(
        &[0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0],
        &Type::Number,
        &num("1.5"),
    );
    // i64::MAX is an integer; 2^64 is an exact double; 2^64 + 1 is neither, so a string.
    round_trip(
        &[0xcf, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        &Type::Number,
        &num("9223372036854775807"),
    );
    round_trip(
        &[0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0],
        &Type::Number,
        &num("-9223372036854775808"),
    );
    round_trip(
        &[0xcb, 0x43, 0xf0, 0, 0, 0, 0, 0, 0],
        &Type::Number,
        &num("18446744073709551616"),
    );
    round_trip(
        &str_bytes("18446744073709551617"),
        &Type::Number,
        &num("18446744073709551617"),
    );
    round_trip(&str_bytes("0.1"), &Type::Number, &num("0.1"));
    let huge = format!("1{}", "0".repeat(400));
    round_trip(&str_bytes(&huge), &Type::Number, &num("1e400"));
    round_trip(&str_bytes("-0.000001"), &Type::Number, &num("-1e-6"));
    // Other encodings Terraform (or other tools) may use decode to the same numbers.
    let decode = |bytes: &[u8]| Value::from_msgpack(bytes, &Type::Number).unwrap();
    assert_eq!(decode(&[0xca, 0x3f, 0xc0, 0, 0]), num("1.5"));
    assert_eq!(
        decode(&[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        num("18446744073709551615")
    );
    assert_eq!(decode(&str_bytes("1e400")), num("1e400"));
    assert_eq!(decode(&[0xd2, 0xff, 0xff, 0xff, 0xfd]), num("-3"));
    assert_eq!(
        decode(&[0xcb, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a]),
        num("0.1000000000000000055511151231257827021181583404541015625")
    );
}

#[test]
fn infinity_and_nan_are_rejected() {
    for bytes in [
        &[0xcb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0][..],
        &[0xcb, 0xff, 0xf0, 0, 0, 0, 0, 0, 0],
        &[0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0],
        &[0xca, 0x7f, 0x80, 0, 0],
    ] {
        let err = Value::from_msgpack(bytes, &Type::Number).unwrap_err();
        assert!(matches!(err, ValueError::InvalidNumber { .. }), "{err}");
        assert!(err.to_string().contains("finite"), "{err}");
    }
    assert!(Value::from_msgpack(&str_bytes("Infinity"), &Type::Number).is_err());
}

#[test]
fn refined_unknowns_in_context() {
    let ty = Type::object([
        ("arn", Type::String),
        ("port", Type::Number),
        ("ids", Type::list(Type::String)),
    ]);
    let mut bytes = vec![0x83];
    bytes.extend(str_bytes("arn"));
    bytes.extend([0xc7, 0x0c, 0x0c, 0x82, 0x01, 0xc2, 0x02, 0xa7]);
    bytes.extend(b"arn:aws");
    bytes.extend(str_bytes("ids"));
    bytes.extend([0xc7, 0x03, 0x0c, 0x81, 0x05, 0x01]);
    bytes.extend(str_bytes("port"));
    bytes.extend([
        0xc7, 0x0b, 0x0c, 0x82, 0x03, 0x92, 0x01, 0xc3, 0x04, 0x92, 0xcd, 0xff, 0xff, 0xc3,
    ]);
    let expected = Value::Object(BTreeMap::from([
        (
            "arn".to_owned(),
            Value::Unknown(Refinements {
                not_null: true,
                string_prefix: Some("arn:aws".into()),
                ..Default::default()
            }),
        ),
        (
            "ids".to_owned(),
            Value::Unknown(Refinements {
                length_lower: Some(1),
                ..Default::default()
            }),
        ),
        (
            "port".to_owned(),
            Value::Unknown(Refinements {
                number_lower: Some((Number::from(1i64), true)),
                number_upper: Some((Number::from(65535i64), true)),
                ..Default::default()
            }),
        ),
    ]));
    round_trip(&bytes, &ty, &expected);
    assert!(!expected.is_wholly_known());
}

#[test]
fn collections() {
    // list(string) ["a", null, unknown]
    round_trip(
        &[0x93, 0xa1, b'a', 0xc0, 0xd4, 0, 0],
        &Type::list(Type::String),
        &Value::List(vec![s("a"), Value::Null, Value::unknown()]),
    );
    // set(number) [1, 2]
    round_trip(
        &[0x92, 0x01, 0x02],
        &Type::set(Type::Number),
        &Value::Set(vec![num("1"), num("2")]),
    );
    // map(bool) {"a": true, "b": false}, keys sorted
    let map = Value::Map(BTreeMap::from([
        ("b".to_owned(), Value::Bool(false)),
        ("a".to_owned(), Value::Bool(true)),
    ]));
    round_trip(
        &[0x82, 0xa1, b'a', 0xc3, 0xa1, b'b', 0xc2],
        &Type::map(Type::Bool),
        &map,
    );
    // tuple([string, number]) ["x", 1]
    round_trip(
        &[0x92, 0xa1, b'x', 0x01],
        &Type::Tuple(vec![Type::String, Type::Number]),
        &Value::Tuple(vec![s("x"), num("1")]),
    );
    // Empty ones.
    round_trip(&[0x90], &Type::list(Type::String), &Value::List(vec![]));
    round_trip(
        &[0x80],
        &Type::map(Type::String),
        &Value::Map(BTreeMap::new()),
    );
    round_trip(&[0x90], &Type::Tuple(vec![]), &Value::Tuple(vec![]));
    // Map keys in any order decode; encoding sorts them.
    let decoded = Value::from_msgpack(
        &[0x82, 0xa1, b'b', 0xc2, 0xa1, b'a', 0xc3],
        &Type::map(Type::Bool),
    )
    .unwrap();
    assert_eq!(decoded, map);
}

#[test]
fn nested_object() {
    // object({name=string, rules=list(object({port=number, cidrs=set(string)})), tags=map(string)})
    let ty = Type::object([
        ("name", Type::String),
        (
            "rules",
            Type::list(Type::object([
                ("port", Type::Number),
                ("cidrs", Type::set(Type::String)),
            ])),
        ),
        ("tags", Type::map(Type::String)),
    ]);
    let mut bytes = vec![0x83];
    bytes.extend(str_bytes("name"));
    bytes.extend(str_bytes("db"));
    bytes.extend(str_bytes("rules"));
    bytes.push(0x91);
    bytes.push(0x82);
    bytes.extend(str_bytes("cidrs"));
    bytes.push(0x91);
    bytes.extend(str_bytes("10.0.0.0/8"));
    bytes.extend(str_bytes("port"));
    bytes.extend([0xcd, 0x15, 0x38]);
    bytes.extend(str_bytes("tags"));
    bytes.push(0xc0);
    let expected = Value::Object(BTreeMap::from([
        ("name".to_owned(), s("db")),
        (
            "rules".to_owned(),
            Value::List(vec![Value::Object(BTreeMap::from([
                ("cidrs".to_owned(), Value::Set(vec![s("10.0.0.0/8")])),
                ("port".to_owned(), num("5432")),
            ]))]),
        ),
        ("tags".to_owned(), Value::Null),
    ]));
    round_trip(&bytes, &ty, &expected);
    let port = AttributePath::attr("rules").then_index(0).then_attr("port");
    assert_eq!(
        expected
            .get(&port)
            .and_then(Value::as_number)
            .and_then(Number::as_i64),
        Some(5432)
    );
}

#[test]
fn dynamic() {
    // ["\"string\"" as bin, "hi"]
    let mut bytes = vec![0x92, 0xc4, 0x08];
    bytes.extend(br#""string""#);
    bytes.extend([0xa2, b'h', b'i']);
    let expected = Value::Dynamic(Type::String, Box::new(s("hi")));
    round_trip(&bytes, &Type::Dynamic, &expected);
    // The type JSON may also arrive as a msgpack string.
    let mut as_str = vec![0x92, 0xa8];
    as_str.extend(br#""string""#);
    as_str.extend([0xa2, b'h', b'i']);
    assert_eq!(
        Value::from_msgpack(&as_str, &Type::Dynamic).unwrap(),
        expected
    );
    // Untyped null and unknown are bare; typed ones keep their type.
    round_trip(&[0xc0], &Type::Dynamic, &Value::Null);
    round_trip(&[0xd4, 0, 0], &Type::Dynamic, &Value::unknown());
    let mut typed_null = vec![0x92, 0xc4, 0x08];
    typed_null.extend(br#""number""#);
    typed_null.push(0xc0);
    round_trip(
        &typed_null,
        &Type::Dynamic,
        &Value::Dynamic(Type::Number, Box::new(Value::Null)),
    );
    // A nested list type, inside an object.
    let ty = Type::object([("v", Type::Dynamic)]);
    let type_json = br#"["list","number"]"#;
    let mut bytes = vec![
        0x81,
        0xa1,
        b'v',
        0x92,
        0xc4,
        u8::try_from(type_json.len()).unwrap(),
    ];
    bytes.extend(type_json);
    bytes.extend([0x92, 0x01, 0xd4, 0, 0]);
    let inner = Value::List(vec![num("1"), Value::unknown()]);
    let expected = Value::Object(BTreeMap::from([(
        "v".to_owned(),
        Value::Dynamic(Type::list(Type::Number), Box::new(inner)),
    )]));
    round_trip(&bytes, &ty, &expected);
    // An unwrapped value at a dynamic position is sent with its implied type.
    assert_eq!(
        s("hi").to_msgpack(&Type::Dynamic).unwrap(),
        Value::Dynamic(Type::String, Box::new(s("hi")))
            .to_msgpack(&Type::Dynamic)
            .unwrap()
    );
}

#[test]
fn errors_name_the_path() {
    let ty = Type::object([(
        "override",
        Type::list(Type::object([("name", Type::String)])),
    )]);
    let mut bytes = vec![0x81];
    bytes.extend(str_bytes("override"));
    bytes.extend([0x92, 0x81, 0xa4]);
    bytes.extend(b"name");
    bytes.extend([0xa1, b'a', 0x81, 0xa4]);
    bytes.extend(b"name");
    bytes.push(0x07);
    let err = Value::from_msgpack(&bytes, &ty).unwrap_err();
    assert_eq!(
        err.to_string(),
        "at override[1].name: expected string, found msgpack integer"
    );
    assert_eq!(
        err.path(),
        &AttributePath::attr("override")
            .then_index(1)
            .then_attr("name")
    );
}

#[test]
fn structural_errors() {
    let obj = Type::object([("a", Type::Bool), ("b", Type::Bool)]);
    let cases: Vec<(&[u8], Type, &str)> = vec![
        (&[], Type::Bool, "unexpected end of input"),
        (&[0xc3, 0xc3], Type::Bool, "trailing bytes"),
        (
            &[0x92, 0xc3],
            Type::list(Type::Bool),
            "at [1]: malformed msgpack: unexpected end of input",
        ),
        (
            &[0xdd, 0xff, 0xff, 0xff, 0xff, 0xc3],
            Type::list(Type::Bool),
            "at [1]: malformed msgpack",
        ),
        (&[0xa3, b'a'], Type::String, "unexpected end of input"),
        (&[0xa1, 0xff], Type::String, "UTF-8"),
        (&[0xc1], Type::Bool, "reserved"),
        (
            &[0x81, 0xa1, b'a', 0xc3],
            obj.clone(),
            "missing attribute \"b\"",
        ),
        (
            &[0x82, 0xa1, b'a', 0xc3, 0xa1, b'c', 0xc3],
            obj.clone(),
            "unexpected attribute \"c\"",
        ),
        (
            &[0x82, 0xa1, b'a', 0xc3, 0xa1, b'a', 0xc3],
            obj.clone(),
            "duplicate key \"a\"",
        ),
        (
            &[0x81, 0x01, 0xc3],
            obj,
            "expected string attribute name, found msgpack integer",
        ),
        (
            &[0x82, 0xa1, b'k', 0xc3, 0xa1, b'k', 0xc3],
            Type::map(Type::Bool),
            "duplicate key \"k\"",
        ),
        (
            &[0x91, 0xc3],
            Type::Tuple(vec![Type::Bool, Type::Bool]),
            "expected a tuple of 2 elements, found 1",
        ),
        (
            &[0x91, 0xc3],
            Type::Dynamic,
            "[type, value] array, found 1 elements",
        ),
        (
            &[0x92, 0xc4, 0x03, b'"', b'x', b'"', 0xc0],
            Type::Dynamic,
            "invalid primitive type name",
        ),
        (&[0x92, 0x01, 0xc0], Type::Dynamic, "expected type JSON"),
        (&[0xc3], Type::Dynamic, "expected dynamic value"),
        (&[0x90], Type::Bool, "expected bool, found msgpack array"),
        (
            &[0xc3],
            Type::object([("a", Type::Bool)]),
            "expected object, found msgpack boolean",
        ),
        (
            &[0xd5, 0x05, 0x00, 0x00],
            Type::Bool,
            "unsupported msgpack extension type 5",
        ),
    ];
    for (bytes, ty, needle) in cases {
        let err = Value::from_msgpack(bytes, &ty).unwrap_err();
        assert!(
            err.to_string().contains(needle),
            "{bytes:x?} as {ty}: {err} (wanted {needle:?})"
        );
    }
}

#[test]
fn depth_is_limited() {
    let mut ty = Type::Bool;
    let mut bytes = vec![0xc3];
    for _ in 0..=MAX_DEPTH {
        ty = Type::list(ty);
        bytes.insert(0, 0x91);
    }
    let err = Value::from_msgpack(&bytes, &ty).unwrap_err();
    assert!(
        matches!(
            err,
            ValueError::TooDeep {
                limit: MAX_DEPTH,
                ..
            }
        ),
        "{err}"
    );
    // One level less is fine.
    let Type::List(shallower) = ty else {
        unreachable!()
    };
    let value = Value::from_msgpack(&bytes[1..], &shallower).unwrap();
    assert_eq!(value.to_msgpack(&shallower).unwrap(), bytes[1..]);

    // Dynamic wrappers nest too: [“dynamic”, [“dynamic”, ...]].
    let mut bytes = Vec::new();
    for _ in 0..=MAX_DEPTH {
        bytes.extend([0x92, 0xc4, 0x09]);
        bytes.extend(br#""dynamic""#);
    }
    bytes.push(0xc0);
    let err = Value::from_msgpack(&bytes, &Type::Dynamic).unwrap_err();
    assert!(matches!(err, ValueError::TooDeep { .. }), "{err}");
}

#[test]
fn encoding_validates() {
    let ty = Type::object([("a", Type::String)]);
    let bad = Value::Object(BTreeMap::from([("a".to_owned(), Value::Bool(true))]));
    assert_eq!(
        bad.to_msgpack(&ty).unwrap_err().to_string(),
        "at a: expected string, found bool"
    );
    let missing = Value::Object(BTreeMap::new());
    assert!(matches!(
        missing.to_msgpack(&ty),
        Err(ValueError::MissingAttribute { .. })
    ));
    let refined = Value::Unknown(Refinements {
        string_prefix: Some("x".into()),
        ..Default::default()
    });
    assert!(matches!(
        refined.to_msgpack(&Type::Number),
        Err(ValueError::InvalidRefinement { .. })
    ));
    let wrong_wrapper = Value::Dynamic(Type::Number, Box::new(num("1")));
    assert!(wrong_wrapper.to_msgpack(&Type::String).is_err());
    assert_eq!(
        Value::Dynamic(Type::String, Box::new(s("x")))
            .to_msgpack(&Type::String)
            .unwrap(),
        [0xa1, b'x'],
        "a wrapper matching a static type is transparent"
    );
}

/// Found by the `value_codec` fuzz target: a msgpack set with a repeated element kept both
/// copies while the JSON decoder kept one, so a value did not survive msgpack → JSON → value.
#[test]
fn repeated_set_elements_decode_once_as_in_json() {
    let ty = Type::set(Type::Bool);
    let from_msgpack = Value::from_msgpack(&[0x92, 0xc2, 0xc2], &ty).expect("decodes");
    assert_eq!(from_msgpack, Value::Set(vec![Value::Bool(false)]));
    let from_json = Value::from_json(b"[false,false]", &ty).expect("decodes");
    assert_eq!(from_msgpack, from_json);
}
