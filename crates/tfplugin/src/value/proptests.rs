//! Property tests: random types and conforming values survive both encodings, and arbitrary
//! or corrupted bytes never make the decoders panic (and whatever they accept is a valid value).

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::model::dedup_set;
use super::*;

fn arb_leaf() -> impl Strategy<Value = Type> {
    prop_oneof![
        Just(Type::Bool),
        Just(Type::Number),
        Just(Type::String),
        Just(Type::Dynamic)
    ]
}

/// A type of nesting at most `depth`.
fn arb_type(depth: u32) -> BoxedStrategy<Type> {
    arb_leaf()
        .prop_recursive(depth, 24, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(Type::list),
                inner.clone().prop_map(Type::set),
                inner.clone().prop_map(Type::map),
                prop::collection::btree_map("[a-z_]{1,6}", (inner.clone(), any::<bool>()), 0..4)
                    .prop_map(|attrs| {
                        Type::Object {
                            optional: attrs
                                .iter()
                                .filter(|(_, (_, opt))| *opt)
                                .map(|(name, _)| name.clone())
                                .collect(),
                            attributes: attrs
                                .into_iter()
                                .map(|(name, (ty, _))| (name, ty))
                                .collect(),
                        }
                    }),
                prop::collection::vec(inner, 0..4).prop_map(Type::Tuple),
            ]
        })
        .boxed()
}

fn arb_number() -> BoxedStrategy<Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        any::<f64>().prop_filter_map("finite", Number::from_f64_exact),
        ("-?[0-9]{1,40}", -400i64..400)
            .prop_map(|(digits, exp)| format!("{digits}e{exp}").parse().unwrap()),
        Just("18446744073709551617".parse().unwrap()),
        Just("1e400".parse().unwrap()),
    ]
    .boxed()
}

fn arb_refinements(ty: &Type) -> BoxedStrategy<Refinements> {
    let bound = || proptest::option::of((arb_number(), any::<bool>()));
    match ty {
        Type::Dynamic => Just(Refinements::default()).boxed(),
        Type::String => (any::<bool>(), proptest::option::of(".{1,5}"))
            .prop_map(|(not_null, string_prefix)| Refinements {
                not_null,
                string_prefix,
                ..Default::default()
            })
            .boxed(),
        Type::Number => (any::<bool>(), bound(), bound())
            .prop_map(|(not_null, number_lower, number_upper)| Refinements {
                not_null,
                number_lower,
                number_upper,
                ..Default::default()
            })
            .boxed(),
        Type::List(_) | Type::Set(_) | Type::Map(_) => (
            any::<bool>(),
            proptest::option::of(any::<u64>()),
            proptest::option::of(0u64..10),
        )
            .prop_map(|(not_null, length_lower, length_upper)| Refinements {
                not_null,
                length_lower,
                length_upper,
                ..Default::default()
            })
            .boxed(),
        _ => any::<bool>()
            .prop_map(|not_null| Refinements {
                not_null,
                ..Default::default()
            })
            .boxed(),
    }
}

/// A value conforming to `ty`; `unknowns` allows unknown values; `dynamic_budget` bounds how
/// many dynamic wrappers may nest.
fn arb_value(ty: &Type, unknowns: bool, dynamic_budget: u32) -> BoxedStrategy<Value> {
    let known: BoxedStrategy<Value> = match ty {
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Number => arb_number().prop_map(Value::Number).boxed(),
        Type::String => any::<String>().prop_map(Value::String).boxed(),
        Type::Dynamic if dynamic_budget == 0 => Just(Value::Null).boxed(),
        Type::Dynamic => arb_type(2)
            .prop_flat_map(move |inner_ty| {
                arb_value(&inner_ty, unknowns, dynamic_budget - 1)
                    .prop_map(move |v| Value::Dynamic(inner_ty.clone(), Box::new(v)))
            })
            .boxed(),
        Type::List(element) => {
            prop::collection::vec(arb_value(element, unknowns, dynamic_budget), 0..4)
                .prop_map(Value::List)
                .boxed()
        }
        Type::Set(element) => {
            prop::collection::vec(arb_value(element, unknowns, dynamic_budget), 0..4)
                .prop_map(|items| Value::Set(dedup_set(items)))
                .boxed()
        }
        Type::Map(element) => prop::collection::btree_map(
            ".{0,4}",
            arb_value(element, unknowns, dynamic_budget),
            0..4,
        )
        .prop_map(Value::Map)
        .boxed(),
        Type::Object { attributes, .. } => {
            let names: Vec<String> = attributes.keys().cloned().collect();
            let values: Vec<_> = attributes
                .values()
                .map(|t| arb_value(t, unknowns, dynamic_budget))
                .collect();
            values
                .prop_map(move |values| Value::Object(names.iter().cloned().zip(values).collect()))
                .boxed()
        }
        Type::Tuple(elements) => {
            let values: Vec<_> = elements
                .iter()
                .map(|t| arb_value(t, unknowns, dynamic_budget))
                .collect();
            values.prop_map(Value::Tuple).boxed()
        }
    };
    if unknowns {
        prop_oneof![
            1 => Just(Value::Null),
            1 => arb_refinements(ty).prop_map(Value::Unknown),
            6 => known,
        ]
        .boxed()
    } else {
        prop_oneof![1 => Just(Value::Null), 6 => known].boxed()
    }
}

fn arb_typed_value(unknowns: bool) -> impl Strategy<Value = (Type, Value)> {
    arb_type(4).prop_flat_map(move |ty| {
        let value = arb_value(&ty, unknowns, 2);
        (Just(ty), value)
    })
}

proptest! {
    // No failure persistence: regressions files would land outside this module's directory.
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn msgpack_round_trips((ty, value) in arb_typed_value(true)) {
        prop_assert!(value.conforms_to(&ty).is_ok(), "{:?}", value.conforms_to(&ty));
        let bytes = value.to_msgpack(&ty).unwrap();
        let decoded = Value::from_msgpack(&bytes, &ty).unwrap();
        prop_assert_eq!(&decoded, &value);
        prop_assert_eq!(decoded.to_msgpack(&ty).unwrap(), bytes);
    }

    #[test]
    fn json_round_trips((ty, value) in arb_typed_value(false)) {
        prop_assert!(value.is_wholly_known());
        let json = value.to_json(&ty).unwrap();
        let decoded = Value::from_json(&json, &ty).unwrap();
        prop_assert_eq!(&decoded, &value);
        // The same value also survives msgpack, and type JSON round-trips.
        prop_assert_eq!(Value::from_msgpack(&value.to_msgpack(&ty).unwrap(), &ty).unwrap(), value);
        prop_assert_eq!(Type::from_json(&ty.to_json()).unwrap(), ty);
    }

    #[test]
    fn serde_json_round_trips((ty, value) in arb_typed_value(false)) {
        let plain = value.to_serde_json();
        let back = Value::from_serde_json(&plain, &ty).unwrap();
        if mentions_dynamic(&ty) {
            // Plain JSON drops the declared type of dynamic values (it is re-implied), so
            // distinct values may meet (and merge in sets); after one trip it must be stable.
            prop_assert_eq!(Value::from_serde_json(&back.to_serde_json(), &ty).unwrap(), back);
        } else {
            prop_assert_eq!(back, value);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(ty in arb_type(3), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(value) = Value::from_msgpack(&bytes, &ty) {
            check_accepted(&value, &ty)?;
        }
        if let Ok(value) = Value::from_json(&bytes, &ty) {
            let again = Value::from_json(&value.to_json(&ty).unwrap(), &ty).unwrap();
            prop_assert_eq!(again, value);
        }
        let _ = Type::from_json(&bytes);
    }

    #[test]
    fn corrupted_encodings_never_panic(
        (ty, value) in arb_typed_value(true),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = value.to_msgpack(&ty).unwrap();
        // msgpack is prefix-free, so no strict prefix of an encoding decodes.
        let truncated = &bytes[..cut.index(bytes.len())];
        prop_assert!(Value::from_msgpack(truncated, &ty).is_err(), "prefix {:x?} decoded", truncated);
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Ok(decoded) = Value::from_msgpack(&bytes, &ty) {
            check_accepted(&decoded, &ty)?;
        }
    }
}

fn mentions_dynamic(ty: &Type) -> bool {
    match ty {
        Type::Dynamic => true,
        Type::Bool | Type::Number | Type::String => false,
        Type::List(element) | Type::Set(element) | Type::Map(element) => mentions_dynamic(element),
        Type::Object { attributes, .. } => attributes.values().any(mentions_dynamic),
        Type::Tuple(elements) => elements.iter().any(mentions_dynamic),
    }
}

/// Whatever the decoder accepts conforms to the type and re-encodes to the same value.
fn check_accepted(value: &Value, ty: &Type) -> Result<(), TestCaseError> {
    prop_assert!(value.conforms_to(ty).is_ok(), "{:?}", value.conforms_to(ty));
    let again = Value::from_msgpack(&value.to_msgpack(ty).unwrap(), ty).unwrap();
    prop_assert_eq!(&again, value);
    Ok(())
}

#[test]
fn huge_declared_lengths_do_not_allocate() {
    // array32 / map32 / str32 headers claiming ~4 GiB, with nothing behind them.
    for (bytes, ty) in [
        (vec![0xdd, 0xff, 0xff, 0xff, 0xff], Type::list(Type::Bool)),
        (vec![0xdf, 0xff, 0xff, 0xff, 0xff], Type::map(Type::Bool)),
        (vec![0xdb, 0xff, 0xff, 0xff, 0xff], Type::String),
        (vec![0xc9, 0xff, 0xff, 0xff, 0xff, 0x0c], Type::String),
    ] {
        assert!(Value::from_msgpack(&bytes, &ty).is_err());
    }
    let wide = Type::object(BTreeMap::from([("a".to_owned(), Type::Bool)]));
    assert!(Value::from_msgpack(&[0xdf, 0xff, 0xff, 0xff, 0xff], &wide).is_err());
}
