//! Page generation over a small hand-written schema document and example tree.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test")]

use super::*;
use serde_json::json;

fn schema() -> ProvidersSchema {
    let doc = json!({
        "format_version": "1.0",
        "provider_schemas": {
            "registry.terraform.io/dbrail/dbrail": {
                "provider": {"version": 0, "block": {
                    "description": "Configures AWS access.",
                    "attributes": {"region": {"type": "string", "description": "AWS region.", "optional": true}}
                }},
                "resource_schemas": {
                    "dbrail_widget": {"version": 0, "block": {
                        "description": "A widget. Rule G1 applies.",
                        "attributes": {
                            "name": {"type": "string", "description": "Name. Changing it replaces the resource.", "required": true},
                            "size": {"type": "number", "description": "Size. Defaults to `1`.", "optional": true, "computed": true},
                            "token": {"type": "string", "description": "Token.", "optional": true, "sensitive": true},
                            "arn": {"type": "string", "description": "ARN.", "computed": true},
                            "link": {"nested_type": {"nesting_mode": "single", "attributes": {
                                "to": {"type": "string", "description": "Target.", "required": true}
                            }}, "description": "A link.", "optional": true}
                        },
                        "block_types": {"waiver": {"nesting_mode": "list", "max_items": 3, "block": {
                            "description": "An exception.",
                            "attributes": {"rule": {"type": "string", "description": "Rule id, such as `G12`.", "required": true}}
                        }}}
                    }}
                },
                "data_source_schemas": {
                    "dbrail_backup_state": {"version": 0, "block": {
                        "description": "Backup state.",
                        "attributes": {"ok": {"type": "bool", "description": "Whether it is fine.", "computed": true}}
                    }}
                }
            }
        }
    });
    ProvidersSchema::from_json(doc.to_string().as_bytes()).unwrap()
}

fn tree() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let widget = root.path().join("examples/resources/dbrail_widget");
    std::fs::create_dir_all(&widget).unwrap();
    std::fs::write(
        widget.join("resource.tf"),
        "resource \"dbrail_widget\" \"w\" {\n  name = \"w\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        widget.join("import.sh"),
        "terraform import dbrail_widget.w w\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.path().join("examples/provider")).unwrap();
    std::fs::write(
        root.path().join("examples/provider/provider.tf"),
        "provider \"dbrail\" {}\n",
    )
    .unwrap();
    root
}

fn page<'a>(files: &'a [Generated], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| {
            panic!(
                "no {path} in {:?}",
                files.iter().map(|f| &f.path).collect::<Vec<_>>()
            )
        })
        .content
}

#[test]
fn resource_page_has_frontmatter_example_schema_and_import() {
    let root = tree();
    let files = generate(root.path(), &schema()).unwrap();
    let widget = page(&files, "docs/resources/widget.md");
    assert!(widget.starts_with(
        "---\npage_title: \"dbrail_widget Resource - dbrail\"\nsubcategory: \"Databases\"\ndescription: |-\n  A widget. Rule G1 applies.\n---\n"
    ), "{widget}");
    assert!(widget.contains(GENERATED_NOTE));
    assert!(widget.contains("A widget. Rule [G1](../rules.md#g1) applies."));
    assert!(
        widget.contains("## Example Usage\n\n```terraform\nresource \"dbrail_widget\" \"w\" {")
    );
    assert!(
        widget.contains(
            "### Required\n\n- `name` (String) Name. Changing it replaces the resource.\n"
        )
    );
    assert!(widget.contains("- `size` (Number) Size. Defaults to `1`."));
    assert!(widget.contains("- `token` (String, Sensitive) Token."));
    assert!(widget.contains("### Read-Only\n\n- `arn` (String) ARN."));
    assert!(widget.contains(
        "- `link` (Attributes) A link. (see [below for nested schema](#nestedatt--link))"
    ));
    assert!(widget.contains("- `waiver` (Block List, Max: 3) An exception. (see [below for nested schema](#nestedblock--waiver))"));
    assert!(widget.contains("<a id=\"nestedblock--waiver\"></a>\n### Nested Schema for `waiver`\n\nRequired:\n\n- `rule` (String) Rule id, such as `G12`."));
    assert!(widget.contains("<a id=\"nestedatt--link\"></a>"));
    assert!(
        widget.ends_with("```shell\nterraform import dbrail_widget.w w\n```\n"),
        "{widget}"
    );
}

#[test]
fn data_sources_and_index_are_generated_without_examples() {
    let root = tree();
    let files = generate(root.path(), &schema()).unwrap();
    let data = page(&files, "docs/data-sources/backup_state.md");
    assert!(data.contains(
        "page_title: \"dbrail_backup_state Data Source - dbrail\"\nsubcategory: \"Backups\""
    ));
    assert!(data.contains("# dbrail_backup_state (Data Source)"));
    assert!(!data.contains("## Example Usage") && !data.contains("## Import"));
    let index = page(&files, "docs/index.md");
    assert!(index.contains("page_title: \"Provider: dbrail\""));
    assert!(index.contains("- [`dbrail_widget`](resources/widget.md): A widget."));
    assert!(
        index.contains("- [`dbrail_backup_state`](data-sources/backup_state.md): Backup state.")
    );
    assert!(index.contains("```terraform\nprovider \"dbrail\" {}\n```"));
    assert!(index.contains("- `region` (String) AWS region."));
}

#[test]
fn staleness_and_orphans_are_reported_and_written_away() {
    let root = tree();
    let files = generate(root.path(), &schema()).unwrap();
    assert_eq!(stale(root.path(), &files).unwrap().len(), files.len());
    write(root.path(), &files).unwrap();
    assert!(stale(root.path(), &files).unwrap().is_empty());
    std::fs::write(root.path().join("docs/resources/gone.md"), "old").unwrap();
    std::fs::write(root.path().join("docs/index.md"), "edited").unwrap();
    let found = stale(root.path(), &files).unwrap();
    assert_eq!(
        found,
        vec![
            PathBuf::from("docs/index.md"),
            PathBuf::from("docs/resources/gone.md")
        ]
    );
    write(root.path(), &files).unwrap();
    assert!(stale(root.path(), &files).unwrap().is_empty());
    assert!(!root.path().join("docs/resources/gone.md").exists());
}

#[test]
fn a_schema_without_dbrail_is_an_error() {
    let doc =
        ProvidersSchema::from_json(br#"{"format_version":"1.0","provider_schemas":{}}"#).unwrap();
    let err = generate(Path::new("."), &doc).unwrap_err();
    assert!(err.to_string().contains("dbrail/dbrail"), "{err}");
}
