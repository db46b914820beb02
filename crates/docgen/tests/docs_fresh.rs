//! The committed docs match what `make docs` generates from the provider built from this
//! workspace: a schema change, a new resource or data source, a changed example or a changed
//! module variable without regenerated docs fails here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test"
)]

use dbrail_acceptance_tests::{provider_binary, workspace_root};
use dbrail_docgen::{ProvidersSchema, generate, stale, terraform::provider_schema_json};

#[test]
fn committed_docs_are_up_to_date() {
    let provider = provider_binary().unwrap_or_else(|e| panic!("{e:?}"));
    let json = provider_schema_json("terraform", &provider).unwrap_or_else(|e| panic!("{e}"));
    let schema = ProvidersSchema::from_json(&json).unwrap();
    let root = workspace_root();
    let files = generate(&root, &schema).unwrap_or_else(|e| panic!("{e}"));

    // Every resource and data source the binary serves has its page.
    let served = schema.provider("dbrail/dbrail").unwrap();
    for (dir, types) in [
        ("resources", &served.resource_schemas),
        ("data-sources", &served.data_source_schemas),
    ] {
        for type_name in types.keys() {
            let page = format!(
                "docs/{dir}/{}.md",
                dbrail_docgen::provider_pages::short_name(type_name)
            );
            assert!(
                files.iter().any(|f| f.path.to_str() == Some(page.as_str())),
                "no {page}"
            );
        }
    }
    assert!(served.resource_schemas.contains_key("dbrail_cluster"));

    let stale = stale(&root, &files).unwrap();
    assert!(
        stale.is_empty(),
        "stale generated docs: {stale:?}; run `make docs` and commit the result"
    );
}
