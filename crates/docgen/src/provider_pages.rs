//! Registry pages for the provider: `docs/index.md`, `docs/resources/<name>.md` and
//! `docs/data-sources/<name>.md`, in the layout and with the frontmatter the Terraform registry
//! renders (the same shape `tfplugindocs` produces for Go providers).
//!
//! Everything on a page comes from the schema (descriptions, types, required / optional /
//! read-only, sensitive, defaults and replacement rules, which the provider writes into each
//! description) or from the examples beside the code: `examples/provider/provider.tf`,
//! `examples/resources/<type>/resource.tf` and `import.sh`,
//! `examples/data-sources/<type>/data-source.tf`. A type without an example still gets a page.

use crate::error::DocgenError;
use crate::markdown::{link_rules, type_name, yaml_block};
use crate::schema::{Attribute, Block, NestedBlock, ProviderSchema, Schema};
use crate::{GENERATED_NOTE, Generated};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The provider's local name: the prefix of every type name.
const PROVIDER: &str = "dbrail";

/// What the index page says about the product before the provider block's own description.
const INTRO: &str = "The dbrail provider gives database platform teams a paved road to Amazon Aurora \
PostgreSQL and Aurora MySQL. Guardrails act at `terraform plan`: a configuration that breaks one \
fails with a diagnostic on the attribute at fault and a hint to fix it, before anything reaches \
AWS. Strictness follows each cluster's `tier`, and a `waiver` records a reasoned, time-bounded \
exception. Every guardrail, with the PCI DSS and SOC 2 controls it supports, is described in the \
[rule catalogue](rules.md); `dbrail policy check` runs the same rules over `terraform show -json` \
plans in CI.";

/// The pages for one provider schema.
pub fn render(root: &Path, provider: &ProviderSchema) -> Result<Vec<Generated>, DocgenError> {
    let mut pages = vec![Generated {
        path: PathBuf::from("docs/index.md"),
        content: index(root, provider)?,
    }];
    for (kind, schemas) in [
        (Kind::Resource, &provider.resource_schemas),
        (Kind::DataSource, &provider.data_source_schemas),
    ] {
        for (type_name, schema) in schemas {
            pages.push(Generated {
                path: PathBuf::from(format!("docs/{}/{}.md", kind.dir(), short_name(type_name))),
                content: page(root, kind, type_name, schema)?,
            });
        }
    }
    Ok(pages)
}

/// A resource or a data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Resource,
    DataSource,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Resource => "resources",
            Kind::DataSource => "data-sources",
        }
    }
    fn title(self) -> &'static str {
        match self {
            Kind::Resource => "Resource",
            Kind::DataSource => "Data Source",
        }
    }
    fn example(self) -> &'static str {
        match self {
            Kind::Resource => "resource.tf",
            Kind::DataSource => "data-source.tf",
        }
    }
}

/// `dbrail_cluster` → `cluster`: the registry names pages without the provider prefix.
pub fn short_name(type_name: &str) -> &str {
    type_name
        .strip_prefix(PROVIDER)
        .and_then(|rest| rest.strip_prefix('_'))
        .unwrap_or(type_name)
}

/// The registry's sidebar group, from the words in the type name, so new types land in a
/// sensible group without a change here.
fn subcategory(type_name: &str) -> &'static str {
    let name = short_name(type_name);
    if name.contains("backup") {
        "Backups"
    } else if name.contains("access") || name.contains("role") || name.contains("user") {
        "Access"
    } else {
        "Databases"
    }
}

fn page(root: &Path, kind: Kind, type_name: &str, schema: &Schema) -> Result<String, DocgenError> {
    let rules = "../rules.md";
    let mut out = frontmatter(
        &format!("{type_name} {} - {PROVIDER}", kind.title()),
        Some(subcategory(type_name)),
        &schema.block.description,
    );
    let _ = writeln!(out, "# {type_name} ({})\n", kind.title());
    if !schema.block.description.is_empty() {
        let _ = writeln!(out, "{}\n", link_rules(&schema.block.description, rules));
    }
    let examples = root.join("examples").join(kind.dir()).join(type_name);
    if let Some(example) = read_optional(&examples.join(kind.example()))? {
        let _ = writeln!(
            out,
            "## Example Usage\n\n```terraform\n{}\n```\n",
            example.trim_end()
        );
    }
    out.push_str("## Schema\n\n");
    out.push_str(&schema_sections(&schema.block, rules));
    if kind == Kind::Resource
        && let Some(import) = read_optional(&examples.join("import.sh"))?
    {
        let _ = writeln!(
            out,
            "## Import\n\nImport is supported using the following syntax:\n\n```shell\n{}\n```\n",
            import.trim_end()
        );
    }
    Ok(finish(out))
}

fn index(root: &Path, provider: &ProviderSchema) -> Result<String, DocgenError> {
    let rules = "rules.md";
    let mut out = frontmatter(
        &format!("Provider: {PROVIDER}"),
        None,
        "Guarded Amazon Aurora PostgreSQL and MySQL for platform teams: guardrails at plan time.",
    );
    let _ = writeln!(out, "# {PROVIDER} Provider\n\n{INTRO}\n");
    if !provider.provider.block.description.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            link_rules(&provider.provider.block.description, rules)
        );
    }
    if let Some(example) = read_optional(&root.join("examples/provider/provider.tf"))? {
        let _ = writeln!(
            out,
            "## Example Usage\n\n```terraform\n{}\n```\n",
            example.trim_end()
        );
    }
    for (kind, heading, schemas) in [
        (Kind::Resource, "Resources", &provider.resource_schemas),
        (
            Kind::DataSource,
            "Data Sources",
            &provider.data_source_schemas,
        ),
    ] {
        if schemas.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {heading}\n");
        for (type_name, schema) in schemas {
            let _ = writeln!(
                out,
                "- [`{type_name}`]({}/{}.md): {}",
                kind.dir(),
                short_name(type_name),
                first_sentence(&schema.block.description)
            );
        }
        out.push('\n');
    }
    let guides = guides(root)?;
    if !guides.is_empty() {
        out.push_str("## Guides\n\n");
        for (file, title) in guides {
            let _ = writeln!(out, "- [{title}](guides/{file})");
        }
        out.push('\n');
    }
    out.push_str("## Schema\n\n");
    out.push_str(&schema_sections(&provider.provider.block, rules));
    Ok(finish(out))
}

/// `docs/guides/*.md` with the `page_title` of each, sorted by file name.
fn guides(root: &Path) -> Result<Vec<(String, String)>, DocgenError> {
    let dir = root.join("docs/guides");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(DocgenError::io(dir, e)),
    };
    let mut guides = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| DocgenError::io(&dir, e))?.path();
        let Some(file) = path
            .file_name()
            .and_then(|f| f.to_str())
            .filter(|f| f.ends_with(".md"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|e| DocgenError::io(&path, e))?;
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix("page_title:"))
            .map(|t| t.trim().trim_matches('"').to_owned())
            .unwrap_or_else(|| file.trim_end_matches(".md").to_owned());
        guides.push((file.to_owned(), title));
    }
    guides.sort();
    Ok(guides)
}

fn frontmatter(title: &str, subcategory: Option<&str>, description: &str) -> String {
    let mut out = format!("---\npage_title: \"{title}\"\n");
    if let Some(subcategory) = subcategory {
        let _ = writeln!(out, "subcategory: \"{subcategory}\"");
    }
    let _ = writeln!(out, "description: {}\n---\n", yaml_block(description));
    let _ = writeln!(out, "{GENERATED_NOTE}\n");
    out
}

fn finish(mut out: String) -> String {
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn first_sentence(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.find(". ") {
        Some(end) => text[..=end].to_owned(),
        None => text,
    }
}

fn read_optional(path: &Path) -> Result<Option<String>, DocgenError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(DocgenError::io(path, e)),
    }
}

/// A nested schema still to be written: its anchor, its heading and its entries.
struct Pending {
    anchor: String,
    path: String,
    entries: Entries,
}

enum Entries {
    Block(Block),
    Attributes(std::collections::BTreeMap<String, Attribute>),
}

/// `### Required` / `### Optional` / `### Read-Only` for a top-level block, followed by one
/// `### Nested Schema for ...` section per nested block or nested attribute, depth first.
fn schema_sections(block: &Block, rules: &str) -> String {
    let mut out = String::new();
    let mut pending = Vec::new();
    let groups = block_groups(block, "", rules, &mut pending);
    for (heading, lines) in groups {
        if !lines.is_empty() {
            let _ = writeln!(out, "### {heading}\n\n{}\n", lines.join("\n"));
        }
    }
    let mut queue: std::collections::VecDeque<Pending> = pending.into();
    while let Some(next) = queue.pop_front() {
        let mut more = Vec::new();
        let groups = match &next.entries {
            Entries::Block(block) => block_groups(block, &next.path, rules, &mut more),
            Entries::Attributes(attributes) => {
                attribute_groups(attributes, &next.path, rules, &mut more)
            }
        };
        let _ = writeln!(
            out,
            "<a id=\"{}\"></a>\n### Nested Schema for `{}`\n",
            next.anchor, next.path
        );
        for (heading, lines) in groups {
            if !lines.is_empty() {
                let _ = writeln!(out, "{heading}:\n\n{}\n", lines.join("\n"));
            }
        }
        for (i, item) in more.into_iter().enumerate() {
            queue.insert(i, item);
        }
    }
    out
}

type Groups = [(&'static str, Vec<String>); 3];

fn block_groups(block: &Block, path: &str, rules: &str, pending: &mut Vec<Pending>) -> Groups {
    let mut groups = attribute_groups(&block.attributes, path, rules, pending);
    for (name, nested) in &block.block_types {
        let full = join(path, name);
        let anchor = format!("nestedblock--{}", full.replace('.', "--"));
        let line = format!(
            "- `{name}` ({}){} (see [below for nested schema](#{anchor}))",
            block_label(nested),
            with_space(&link_rules(&nested.block.description, rules)),
        );
        let slot = if nested.min_items > 0 { 0 } else { 1 };
        groups[slot].1.push(line);
        pending.push(Pending {
            anchor,
            path: full,
            entries: Entries::Block(nested.block.clone()),
        });
    }
    for (_, lines) in &mut groups {
        lines.sort_by(|a, b| entry_name(a).cmp(entry_name(b)));
    }
    groups
}

fn attribute_groups(
    attributes: &std::collections::BTreeMap<String, Attribute>,
    path: &str,
    rules: &str,
    pending: &mut Vec<Pending>,
) -> Groups {
    let mut groups: Groups = [
        ("Required", Vec::new()),
        ("Optional", Vec::new()),
        ("Read-Only", Vec::new()),
    ];
    for (name, attribute) in attributes {
        let slot = if attribute.required {
            0
        } else if attribute.optional {
            1
        } else {
            2
        };
        let mut line = format!(
            "- `{name}` ({}){}",
            attribute_label(attribute),
            with_space(&link_rules(&attribute.description, rules))
        );
        if let Some(nested) = &attribute.nested_type {
            let full = join(path, name);
            let anchor = format!("nestedatt--{}", full.replace('.', "--"));
            let _ = write!(line, " (see [below for nested schema](#{anchor}))");
            pending.push(Pending {
                anchor,
                path: full,
                entries: Entries::Attributes(nested.attributes.clone()),
            });
        }
        groups[slot].1.push(line);
    }
    groups
}

/// The name in a `- `name` (...)` entry line, for sorting (`engine` before `engine_version`).
fn entry_name(line: &str) -> &str {
    line.split('`').nth(1).unwrap_or(line)
}

fn attribute_label(attribute: &Attribute) -> String {
    let mut label = match (&attribute.nested_type, &attribute.ty) {
        (Some(nested), _) => match nested.nesting_mode.as_str() {
            "list" => "Attributes List".to_owned(),
            "set" => "Attributes Set".to_owned(),
            "map" => "Attributes Map".to_owned(),
            _ => "Attributes".to_owned(),
        },
        (None, Some(ty)) => type_name(ty),
        (None, None) => "Dynamic".to_owned(),
    };
    for (flag, word) in [
        (attribute.sensitive, "Sensitive"),
        (attribute.write_only, "Write-only"),
        (attribute.deprecated, "Deprecated"),
    ] {
        if flag {
            let _ = write!(label, ", {word}");
        }
    }
    label
}

fn block_label(block: &NestedBlock) -> String {
    let mut label = match block.nesting_mode.as_str() {
        "list" => "Block List".to_owned(),
        "set" => "Block Set".to_owned(),
        "map" => "Block Map".to_owned(),
        _ => "Block".to_owned(),
    };
    if block.min_items > 0 {
        let _ = write!(label, ", Min: {}", block.min_items);
    }
    if block.max_items > 0 && matches!(block.nesting_mode.as_str(), "list" | "set") {
        let _ = write!(label, ", Max: {}", block.max_items);
    }
    if block.block.deprecated {
        label.push_str(", Deprecated");
    }
    label
}

fn with_space(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        text
    } else {
        format!(" {text}")
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}
