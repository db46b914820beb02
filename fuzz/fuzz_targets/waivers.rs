//! The waivers file parser (YAML or JSON) on arbitrary bytes: an error naming the file, never
//! a panic; accepted entries answer `covers` for any address without panicking.
#![no_main]

use dbrail_cli::waivers;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match waivers::parse("waivers.yaml", data) {
        Ok(entries) => {
            for entry in &entries {
                let _ = entry.covers("module.db[\"a*b\"].aws_rds_cluster.main");
                let _ = entry.covers("");
            }
        }
        Err(error) => {
            let message = error.to_string();
            assert!(message.starts_with("waivers.yaml"), "{message}");
        }
    }
});
