//! The policy command end to end on arbitrary bytes: reading the plan, building subjects,
//! evaluating the rules and rendering every format. A bad document must come back as an
//! `InputError` (exit code 2 in the binary), never a panic.
#![no_main]

use dbrail_cli::report::{render_gitlab, render_json, render_junit, render_sarif, render_text};
use dbrail_cli::{CheckOptions, check_plan};
use dbrail_rules::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = CheckOptions {
        tier: None,
        today: Date::new(2026, 11, 23).expect("date"),
        waivers: Vec::new(),
    };
    match check_plan("plan.json", data, &options) {
        Ok(report) => {
            for text in [
                render_json(&report),
                render_sarif(&report),
                render_junit(&report),
                render_gitlab(&report),
                render_text(&report, false),
            ] {
                assert!(!text.is_empty());
            }
        }
        Err(error) => {
            let message = error.to_string();
            assert!(message.starts_with("plan.json"), "{message}");
        }
    }
});
