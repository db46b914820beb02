//! The plugin value codec: Terraform sends msgpack (and, for some calls, JSON) values typed by
//! a schema; a malformed or hostile payload must be an error, never a panic or a hang.
//!
//! Input: a type in Terraform's JSON type syntax, a newline, then the payload. When the type
//! part does not parse, a nested object type covering every kind is used, so the fuzzer also
//! explores payloads alone. Whatever decodes must encode again and decode to the same value.
#![no_main]

use dbrail_tfplugin::value::{Type, Value};
use libfuzzer_sys::fuzz_target;

const FALLBACK: &[u8] = br#"["object",{"s":"string","n":"number","b":"bool","l":["list","string"],"m":["map","number"],"t":["set",["object",{"x":"dynamic"}]],"d":"dynamic"}]"#;

fn round_trip(value: &Value, ty: &Type) {
    if let Ok(bytes) = value.to_msgpack(ty) {
        let again = Value::from_msgpack(&bytes, ty).expect("re-decoding our own msgpack");
        assert_eq!(&again, value, "msgpack round trip");
    }
    if value.is_wholly_known()
        && let Ok(bytes) = value.to_json(ty)
    {
        let again = Value::from_json(&bytes, ty).expect("re-decoding our own JSON");
        assert_eq!(&again, value, "JSON round trip");
    }
}

fuzz_target!(|data: &[u8]| {
    let (ty, payload) = match data.iter().position(|b| *b == b'\n') {
        Some(at) => match Type::from_json(&data[..at]) {
            Ok(ty) => (ty, &data[at + 1..]),
            Err(_) => (Type::from_json(FALLBACK).expect("fallback type"), data),
        },
        None => (Type::from_json(FALLBACK).expect("fallback type"), data),
    };
    if let Ok(value) = Value::from_msgpack(payload, &ty) {
        round_trip(&value, &ty);
    }
    if let Ok(value) = Value::from_json(payload, &ty) {
        round_trip(&value, &ty);
    }
});
