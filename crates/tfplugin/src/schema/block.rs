//! Blocks: the top level of a schema and `name { ... }` nested blocks.

use super::Attribute;
use crate::value::Type;
use std::collections::BTreeMap;

/// How nested objects are collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// At most one object.
    Single,
    /// Like single, but the block is always present (its attributes may be null).
    Group,
    /// An ordered list of objects.
    List,
    /// An unordered set of objects.
    Set,
    /// A map of objects keyed by label.
    Map,
}

impl Nesting {
    /// The collection type holding objects of `object` type.
    pub fn wrap(self, object: Type) -> Type {
        match self {
            Self::Single | Self::Group => object,
            Self::List => Type::List(Box::new(object)),
            Self::Set => Type::Set(Box::new(object)),
            Self::Map => Type::Map(Box::new(object)),
        }
    }
}

/// A nested block type.
#[derive(Debug, Clone)]
pub struct NestedBlock {
    /// The block's name in configuration.
    pub type_name: String,
    /// Its contents.
    pub block: Block,
    /// How repeated blocks are collected.
    pub nesting: Nesting,
    /// Minimum number of blocks (0: optional).
    pub min_items: i64,
    /// Maximum number of blocks (0: unbounded).
    pub max_items: i64,
}

impl NestedBlock {
    /// A nested block.
    pub fn new(type_name: &str, nesting: Nesting, block: Block) -> Self {
        Self {
            type_name: type_name.to_owned(),
            block,
            nesting,
            min_items: 0,
            max_items: 0,
        }
    }

    /// Limits how many blocks may appear.
    #[must_use]
    pub fn items(mut self, min: i64, max: i64) -> Self {
        self.min_items = min;
        self.max_items = max;
        self
    }
}

/// A block: attributes and nested blocks.
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// Attributes, in documentation order.
    pub attributes: Vec<Attribute>,
    /// Nested block types.
    pub blocks: Vec<NestedBlock>,
    /// Markdown description.
    pub description: String,
    /// Whether the whole block is deprecated.
    pub deprecated: bool,
}

impl Block {
    /// An empty block with a description.
    pub fn new(description: impl Into<String>) -> Self {
        Self {
            description: description.into(),
            ..Self::default()
        }
    }

    /// Adds an attribute.
    #[must_use]
    pub fn attribute(mut self, attribute: Attribute) -> Self {
        self.attributes.push(attribute);
        self
    }

    /// Adds a nested block type.
    #[must_use]
    pub fn block(mut self, block: NestedBlock) -> Self {
        self.blocks.push(block);
        self
    }

    /// Finds an attribute by name.
    pub fn find_attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// Finds a nested block type by name.
    pub fn find_block(&self, name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|b| b.type_name == name)
    }

    /// The object type of values of this block: what the codec decodes state and plans into.
    pub fn value_type(&self) -> Type {
        Self::object_type(&self.attributes, &self.blocks)
    }

    pub(crate) fn object_type(attributes: &[Attribute], blocks: &[NestedBlock]) -> Type {
        let mut fields = BTreeMap::new();
        for attribute in attributes {
            fields.insert(attribute.name.clone(), attribute.value_type());
        }
        for block in blocks {
            fields.insert(
                block.type_name.clone(),
                block.nesting.wrap(block.block.value_type()),
            );
        }
        Type::Object {
            attributes: fields,
            optional: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_type_covers_attributes_blocks_and_nested_attributes() {
        let block = Block::new("")
            .attribute(Attribute::string("name").required())
            .attribute(Attribute::nested(
                "endpoints",
                Nesting::Single,
                vec![Attribute::string("rds").optional()],
            ))
            .block(NestedBlock::new(
                "override",
                Nesting::List,
                Block::new("").attribute(Attribute::string("value").required()),
            ));
        let Type::Object { attributes, .. } = block.value_type() else {
            panic!("not an object");
        };
        assert_eq!(attributes["name"], Type::String);
        assert_eq!(
            attributes["endpoints"],
            Type::object([("rds", Type::String)])
        );
        assert_eq!(
            attributes["override"],
            Type::List(Box::new(Type::object([("value", Type::String)])))
        );
    }
}
