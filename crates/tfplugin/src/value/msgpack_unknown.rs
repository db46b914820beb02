//! Unknown values in msgpack: cty's extension encoding, with refinements.
//!
//! A wholly unknown value is extension type 0 with one zero byte (`d4 00 00`). A refined one is
//! extension type 12 whose payload is a msgpack map with small integer keys:
//!
//! | key | meaning                    | value                     |
//! |-----|----------------------------|---------------------------|
//! | 1   | nullness                   | bool (`false`: not null)  |
//! | 2   | string prefix              | string                    |
//! | 3   | number lower bound         | `[number, inclusive]`     |
//! | 4   | number upper bound         | `[number, inclusive]`     |
//! | 5   | collection length lower    | integer                   |
//! | 6   | collection length upper    | integer                   |
//!
//! Decoding follows cty: any extension of at most one byte is a plain unknown (as is any
//! extension of type 0), keys the decoder does not know are skipped, keys that cannot apply to
//! the type are errors, payloads over 1 KiB are refused, and an unknown of dynamic type ignores
//! its refinements. A "definitely null" refinement is simply a null value. An infinite bound
//! that excludes nothing (lower −∞, upper +∞) is dropped; other infinite bounds are errors.

use super::error::ValueError;
use super::model::Value;
use super::msgpack_read::{Head, Reader};
use super::msgpack_write::Writer;
use super::number::Number;
use super::refinements::Refinements;
use super::trail::Trail;
use super::types::Type;

/// Extension type of a wholly unknown value.
const EXT_UNKNOWN: i8 = 0;
/// Extension type of a refined unknown value.
const EXT_REFINED: i8 = 12;
/// Largest refinement payload accepted (cty's limit).
const MAX_PAYLOAD: usize = 1024;

const KEY_NULLNESS: i64 = 1;
const KEY_STRING_PREFIX: i64 = 2;
const KEY_NUMBER_LOWER: i64 = 3;
const KEY_NUMBER_UPPER: i64 = 4;
const KEY_LENGTH_LOWER: i64 = 5;
const KEY_LENGTH_UPPER: i64 = 6;

/// Writes an unknown value of type `ty`.
pub(crate) fn encode_unknown(
    refinements: &Refinements,
    ty: &Type,
    out: &mut Writer,
    trail: &Trail,
) -> Result<(), ValueError> {
    let invalid = |message: String| ValueError::InvalidRefinement {
        path: trail.path(),
        message,
    };
    refinements.check_applicable(ty).map_err(invalid)?;
    let mut payload = Writer::default();
    let mut entries = 0;
    if refinements.not_null {
        entries += 1;
        payload.int(KEY_NULLNESS);
        payload.bool(false);
    }
    if let Some(prefix) = refinements
        .string_prefix
        .as_deref()
        .filter(|p| !p.is_empty())
    {
        entries += 1;
        payload.int(KEY_STRING_PREFIX);
        payload.str(prefix, trail)?;
    }
    for (key, bound) in [
        (KEY_NUMBER_LOWER, &refinements.number_lower),
        (KEY_NUMBER_UPPER, &refinements.number_upper),
    ] {
        if let Some((number, inclusive)) = bound {
            entries += 1;
            payload.int(key);
            payload.array_len(2, trail)?;
            super::msgpack_encode::write_number(number, &mut payload, trail)?;
            payload.bool(*inclusive);
        }
    }
    for (key, bound) in [
        (KEY_LENGTH_LOWER, refinements.length_lower),
        (KEY_LENGTH_UPPER, refinements.length_upper),
    ] {
        if let Some(length) = bound {
            entries += 1;
            payload.int(key);
            payload.uint(length);
        }
    }
    if entries == 0 {
        return out.ext(EXT_UNKNOWN, &[0], trail);
    }
    let mut body = Writer::default();
    body.map_len(entries, trail)?;
    let mut body = body.into_vec();
    body.extend(payload.into_vec());
    out.ext(EXT_REFINED, &body, trail)
}

/// Reads an unknown value of type `ty` from an extension item.
pub(crate) fn decode_unknown(
    code: i8,
    payload: &[u8],
    ty: &Type,
    trail: &Trail,
) -> Result<Value, ValueError> {
    let invalid = |message: String| ValueError::InvalidRefinement {
        path: trail.path(),
        message,
    };
    if payload.len() <= 1 || code == EXT_UNKNOWN {
        return Ok(Value::unknown());
    }
    if code != EXT_REFINED {
        return Err(invalid(format!(
            "unsupported msgpack extension type {code} with {} bytes",
            payload.len()
        )));
    }
    if payload.len() > MAX_PAYLOAD {
        return Err(invalid(format!(
            "refinements of {} bytes exceed the {MAX_PAYLOAD}-byte limit",
            payload.len()
        )));
    }
    let mut reader = Reader::new(payload);
    let Ok(Head::Map(entries)) = reader.head() else {
        return Err(invalid("refinements are not a msgpack map".into()));
    };
    if *ty == Type::Dynamic {
        return Ok(Value::unknown());
    }
    let mut refinements = Refinements::default();
    for _ in 0..entries {
        let key = match reader.head() {
            Ok(Head::Int(key)) => key,
            Ok(Head::BigUint(_)) => i64::MAX,
            _ => return Err(invalid("refinement keys must be integers".into())),
        };
        match key {
            KEY_NULLNESS => match reader.head() {
                Ok(Head::Bool(true)) => return Ok(Value::Null),
                Ok(Head::Bool(false)) => refinements.not_null = true,
                _ => return Err(invalid("nullness refinement must be a bool".into())),
            },
            KEY_STRING_PREFIX => {
                if *ty != Type::String {
                    return Err(invalid(format!("string prefix for a {} value", ty.kind())));
                }
                let prefix = match reader.head() {
                    Ok(Head::Str(bytes) | Head::Bin(bytes)) => std::str::from_utf8(bytes)
                        .map_err(|_| invalid("string prefix is not valid UTF-8".into()))?,
                    _ => return Err(invalid("string prefix must be a string".into())),
                };
                refinements.string_prefix = (!prefix.is_empty()).then(|| prefix.to_owned());
            }
            KEY_NUMBER_LOWER | KEY_NUMBER_UPPER => {
                if *ty != Type::Number {
                    return Err(invalid(format!("number bound for a {} value", ty.kind())));
                }
                let lower = key == KEY_NUMBER_LOWER;
                let bound = read_number_bound(&mut reader, lower).map_err(|m| invalid(m.into()))?;
                if lower {
                    refinements.number_lower = bound;
                } else {
                    refinements.number_upper = bound;
                }
            }
            KEY_LENGTH_LOWER | KEY_LENGTH_UPPER => {
                if !ty.is_collection() {
                    return Err(invalid(format!("length bound for a {} value", ty.kind())));
                }
                let length = match reader.head() {
                    Ok(Head::Int(n)) => {
                        u64::try_from(n).map_err(|_| invalid("negative length bound".into()))?
                    }
                    Ok(Head::BigUint(n)) => n,
                    _ => return Err(invalid("length bound must be an integer".into())),
                };
                if key == KEY_LENGTH_LOWER {
                    refinements.length_lower = Some(length);
                } else {
                    refinements.length_upper = Some(length);
                }
            }
            _ => reader
                .skip(16)
                .map_err(|m| invalid(format!("unreadable refinement {key}: {m}")))?,
        }
    }
    // Bytes after the map are ignored, as cty does, to leave room for future additions.
    Ok(Value::Unknown(refinements))
}

/// Reads `[number, inclusive]`; `None` for a bound that excludes nothing.
fn read_number_bound(
    reader: &mut Reader<'_>,
    lower: bool,
) -> Result<Option<(Number, bool)>, &'static str> {
    const SHAPE: &str = "number bound must be a [number, bool] array";
    if reader.head() != Ok(Head::Array(2)) {
        return Err(SHAPE);
    }
    let number = match reader.head().map_err(|_| SHAPE)? {
        Head::F32(f) if f.is_infinite() => Err(f64::from(f)),
        Head::F64(f) if f.is_infinite() => Err(f),
        head => Ok(super::msgpack_decode::number_from_head(head).ok_or(SHAPE)?),
    };
    let Ok(Head::Bool(inclusive)) = reader.head() else {
        return Err(SHAPE);
    };
    match number {
        Ok(number) => Ok(Some((number, inclusive))),
        Err(infinity) if (infinity < 0.0) == lower => Ok(None),
        Err(_) => Err("an infinite bound on that side excludes every number"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], ty: &Type) -> Result<Value, ValueError> {
        let mut reader = Reader::new(bytes);
        match reader.head().unwrap() {
            Head::Ext(code, payload) => decode_unknown(code, payload, ty, &Trail::default()),
            other => panic!("not an extension: {other:?}"),
        }
    }

    fn encode(refinements: &Refinements, ty: &Type) -> Vec<u8> {
        let mut out = Writer::default();
        encode_unknown(refinements, ty, &mut out, &Trail::default()).unwrap();
        out.into_vec()
    }

    #[test]
    fn plain_unknown() {
        assert_eq!(
            encode(&Refinements::default(), &Type::String),
            [0xd4, 0x00, 0x00]
        );
        assert_eq!(
            decode(&[0xd4, 0x00, 0x00], &Type::String).unwrap(),
            Value::unknown()
        );
        // Any payload of type 0, and any type with at most one byte, is a plain unknown.
        assert_eq!(
            decode(&[0xd6, 0x00, 1, 2, 3, 4], &Type::Bool).unwrap(),
            Value::unknown()
        );
        assert_eq!(
            decode(&[0xc7, 0x00, 0x05], &Type::Bool).unwrap(),
            Value::unknown()
        );
        assert_eq!(
            decode(&[0xd4, 0x0c, 0x00], &Type::Bool).unwrap(),
            Value::unknown()
        );
        assert!(decode(&[0xd5, 0x07, 0x81, 0x01], &Type::Bool).is_err());
    }

    #[test]
    fn refined_string() {
        let refinements = Refinements {
            not_null: true,
            string_prefix: Some("foo-".into()),
            ..Refinements::default()
        };
        // ext8, 9 bytes, type 12: {1: false, 2: "foo-"}
        let bytes = [
            0xc7, 0x09, 0x0c, 0x82, 0x01, 0xc2, 0x02, 0xa4, b'f', b'o', b'o', b'-',
        ];
        assert_eq!(encode(&refinements, &Type::String), bytes);
        assert_eq!(
            decode(&bytes, &Type::String).unwrap(),
            Value::Unknown(refinements)
        );
    }

    #[test]
    fn refined_number() {
        let refinements = Refinements {
            not_null: true,
            number_lower: Some((Number::from(0i64), true)),
            number_upper: Some(("1.5".parse().unwrap(), false)),
            ..Refinements::default()
        };
        let bytes = [
            0xc7, 0x13, 0x0c, 0x83, 0x01, 0xc2, 0x03, 0x92, 0x00, 0xc3, 0x04, 0x92, 0xcb, 0x3f,
            0xf8, 0, 0, 0, 0, 0, 0, 0xc2,
        ];
        assert_eq!(encode(&refinements, &Type::Number), bytes);
        assert_eq!(
            decode(&bytes, &Type::Number).unwrap(),
            Value::Unknown(refinements)
        );
        // -Inf lower bound is no bound at all; +Inf lower bound is nonsense.
        let open = [
            0xc7, 0x0d, 0x0c, 0x81, 0x03, 0x92, 0xcb, 0xff, 0xf0, 0, 0, 0, 0, 0, 0, 0xc3,
        ];
        assert_eq!(decode(&open, &Type::Number).unwrap(), Value::unknown());
        let closed = [
            0xc7, 0x0d, 0x0c, 0x81, 0x03, 0x92, 0xcb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0, 0xc3,
        ];
        assert!(decode(&closed, &Type::Number).is_err());
    }

    #[test]
    fn refined_collection_and_unknown_keys() {
        let refinements = Refinements {
            length_lower: Some(1),
            length_upper: Some(300),
            ..Refinements::default()
        };
        let bytes = [0xc7, 0x07, 0x0c, 0x82, 0x05, 0x01, 0x06, 0xcd, 0x01, 0x2c];
        assert_eq!(encode(&refinements, &Type::list(Type::String)), bytes);
        assert_eq!(
            decode(&bytes, &Type::set(Type::String)).unwrap(),
            Value::Unknown(refinements)
        );
        // Key 9 is from the future: skipped. Trailing payload bytes are ignored.
        let bytes = [0xc7, 0x07, 0x0c, 0x82, 0x09, 0x91, 0xa1, b'x', 0x01, 0xc2];
        assert_eq!(
            decode(&bytes, &Type::Bool).unwrap(),
            Value::Unknown(Refinements::not_null())
        );
        let bytes = [0xc7, 0x04, 0x0c, 0x81, 0x01, 0xc2, 0xff];
        assert_eq!(
            decode(&bytes, &Type::Bool).unwrap(),
            Value::Unknown(Refinements::not_null())
        );
    }

    #[test]
    fn definitely_null_is_null() {
        assert_eq!(
            decode(&[0xd6, 0x0c, 0x81, 0x01, 0xc3, 0x00], &Type::String).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn dynamic_ignores_refinements() {
        assert_eq!(
            decode(&[0xd6, 0x0c, 0x81, 0x01, 0xc2, 0x00], &Type::Dynamic).unwrap(),
            Value::unknown()
        );
        let mut out = Writer::default();
        assert!(
            encode_unknown(
                &Refinements::not_null(),
                &Type::Dynamic,
                &mut out,
                &Trail::default()
            )
            .is_err()
        );
    }

    #[test]
    fn rejects_malformed_refinements() {
        let cases: [(&[u8], Type); 6] = [
            (&[0xd5, 0x0c, 0x92, 0x00], Type::String), // not a map
            (&[0xd6, 0x0c, 0x81, 0xa1, b'k', 0xc2], Type::String), // string key
            (&[0xd6, 0x0c, 0x81, 0x02, 0xa1, b'x'], Type::Number), // prefix on number
            (&[0xd6, 0x0c, 0x81, 0x05, 0x01, 0x00], Type::String), // length on string
            (
                &[0xd6, 0x0c, 0x81, 0x05, 0xff, 0x00],
                Type::list(Type::Bool),
            ), // negative length
            (&[0xd6, 0x0c, 0x81, 0x01, 0x01, 0x00], Type::Bool), // nullness not bool
        ];
        for (bytes, ty) in cases {
            assert!(decode(bytes, &ty).is_err(), "{bytes:x?}");
        }
        let mut oversize = vec![0xc8, 0x04, 0x01, 0x0c, 0x80];
        oversize.resize(5 + 1024, 0);
        assert!(
            decode(&oversize, &Type::String)
                .unwrap_err()
                .to_string()
                .contains("limit")
        );
    }
}
