//! The reader never panics: arbitrary bytes and mutated valid plans give a report or an input
//! error, nothing else.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers outside #[test] functions assert by unwrapping"
)]

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::Value;

fn check_bytes(bytes: &[u8]) {
    let _ = dbrail_cli::check_plan("plan.json", bytes, &options(None));
}

/// Every JSON path of a value, as pointers.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn replacement(choice: u8) -> Value {
    match choice % 7 {
        0 => Value::Null,
        1 => Value::Bool(true),
        2 => serde_json::json!(-1),
        3 => serde_json::json!("x"),
        4 => serde_json::json!([]),
        5 => serde_json::json!({}),
        _ => serde_json::json!(1e300),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_bytes(&bytes);
    }

    #[test]
    fn truncated_plans_never_panic(cut in 0usize..4000) {
        let bytes = serde_json::to_vec(&aws_plan()).unwrap();
        check_bytes(&bytes[..cut.min(bytes.len())]);
    }

    #[test]
    fn mutated_plans_never_panic(index in any::<prop::sample::Index>(), choice in any::<u8>()) {
        let mut plan = aws_plan();
        let mut all = Vec::new();
        pointers(&plan, String::new(), &mut all);
        let pointer = index.get(&all).clone();
        if let Some(slot) = plan.pointer_mut(&pointer) {
            *slot = replacement(choice);
        }
        check_bytes(&serde_json::to_vec(&plan).unwrap());
    }
}
