//! Schemas: what a provider, resource or data source accepts and returns.
//!
//! The schema is the single source of truth for three things: what Terraform validates and shows
//! (sent over the wire by the server), how values are decoded (the [`Block::value_type`] drives the
//! msgpack codec), and the documentation generated from descriptions. Attributes carry their own
//! validators and replacement behaviour so that the rules live next to the attribute they guard.

mod attribute;
mod block;
mod timeouts;
mod validator;

pub use attribute::{Attribute, AttributeKind, NestedAttributes};
pub use block::{Block, NestedBlock, Nesting};
pub use timeouts::{Timeouts, parse_duration, timeouts_block};
pub use validator::Validator;

/// A versioned schema for a provider, resource or data source.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Bumped when the stored state's shape changes; state of older versions is upgraded.
    pub version: i64,
    /// The top-level block.
    pub block: Block,
}

impl Schema {
    /// A version-0 schema.
    pub fn new(block: Block) -> Self {
        Self { version: 0, block }
    }
}
