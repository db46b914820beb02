//! The parts of `terraform providers schema -json` the pages are made from.
//!
//! This is Terraform's own, versioned rendering of what the provider sends in
//! `GetProviderSchema` (format 1.0). Reading it, rather than the provider's Rust types, means the
//! generator sees exactly what users and language servers see, and needs no change when a new
//! resource or data source is added, whatever code defines it.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole document.
#[derive(Debug, Clone, Deserialize)]
pub struct ProvidersSchema {
    /// Schema format version (`1.0`).
    pub format_version: String,
    /// Schemas by provider source address.
    #[serde(default)]
    pub provider_schemas: BTreeMap<String, ProviderSchema>,
}

/// One provider's schemas.
#[derive(Debug, Clone, Deserialize)]
pub struct ProviderSchema {
    /// The `provider` block.
    pub provider: Schema,
    /// Managed resources by type name.
    #[serde(default)]
    pub resource_schemas: BTreeMap<String, Schema>,
    /// Data sources by type name.
    #[serde(default)]
    pub data_source_schemas: BTreeMap<String, Schema>,
}

/// A versioned block.
#[derive(Debug, Clone, Deserialize)]
pub struct Schema {
    /// Schema version.
    #[serde(default)]
    pub version: i64,
    /// The top-level block.
    pub block: Block,
}

/// A block: attributes and nested blocks.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Block {
    /// Attributes by name.
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    /// Nested block types by name.
    #[serde(default)]
    pub block_types: BTreeMap<String, NestedBlock>,
    /// Markdown description.
    #[serde(default)]
    pub description: String,
    /// Deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// One attribute.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Attribute {
    /// Its type constraint (absent for nested attributes).
    #[serde(rename = "type")]
    pub ty: Option<serde_json::Value>,
    /// Nested attributes, for `attr = { ... }` objects.
    pub nested_type: Option<NestedType>,
    /// Markdown description.
    #[serde(default)]
    pub description: String,
    /// Must be set.
    #[serde(default)]
    pub required: bool,
    /// May be set.
    #[serde(default)]
    pub optional: bool,
    /// Set by the provider.
    #[serde(default)]
    pub computed: bool,
    /// Hidden in plan output.
    #[serde(default)]
    pub sensitive: bool,
    /// Never stored in plan or state.
    #[serde(default)]
    pub write_only: bool,
    /// Deprecated.
    #[serde(default)]
    pub deprecated: bool,
}

/// Nested attributes of an attribute.
#[derive(Debug, Clone, Deserialize)]
pub struct NestedType {
    /// The nested attributes by name.
    #[serde(default)]
    pub attributes: BTreeMap<String, Attribute>,
    /// `single`, `list`, `set` or `map`.
    pub nesting_mode: String,
}

/// A nested block type.
#[derive(Debug, Clone, Deserialize)]
pub struct NestedBlock {
    /// `single`, `group`, `list`, `set` or `map`.
    pub nesting_mode: String,
    /// The block's content.
    pub block: Block,
    /// Fewest blocks allowed.
    #[serde(default)]
    pub min_items: u64,
    /// Most blocks allowed (0: no limit).
    #[serde(default)]
    pub max_items: u64,
}

impl ProvidersSchema {
    /// Parses the JSON document.
    pub fn from_json(text: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(text)
    }

    /// The schema of the provider whose address ends in `/<short>` (such as `dbrail/dbrail`).
    pub fn provider(&self, short: &str) -> Option<&ProviderSchema> {
        let suffix = format!("/{short}");
        self.provider_schemas
            .iter()
            .find(|(address, _)| address.ends_with(&suffix) || address.as_str() == short)
            .map(|(_, schema)| schema)
    }
}
