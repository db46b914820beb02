//! Schema to wire conversion. Descriptions are sent as Markdown.

use crate::proto::tfplugin6 as wire;
use crate::schema::{Attribute, AttributeKind, Block, Nesting, Schema};

pub(crate) fn schema_to_wire(schema: &Schema) -> wire::Schema {
    wire::Schema {
        version: schema.version,
        block: Some(block_to_wire(&schema.block, schema.version)),
    }
}

fn block_to_wire(block: &Block, version: i64) -> wire::schema::Block {
    wire::schema::Block {
        version,
        attributes: block.attributes.iter().map(attribute_to_wire).collect(),
        block_types: block
            .blocks
            .iter()
            .map(|nested| wire::schema::NestedBlock {
                type_name: nested.type_name.clone(),
                block: Some(block_to_wire(&nested.block, 0)),
                nesting: block_nesting(nested.nesting) as i32,
                min_items: nested.min_items,
                max_items: nested.max_items,
            })
            .collect(),
        description: block.description.clone(),
        description_kind: wire::StringKind::Markdown as i32,
        deprecated: block.deprecated,
    }
}

fn attribute_to_wire(attribute: &Attribute) -> wire::schema::Attribute {
    let (ty, nested_type) = match &attribute.kind {
        AttributeKind::Typed(ty) => (ty.to_json(), None),
        AttributeKind::Nested(nested) => (
            Vec::new(),
            Some(wire::schema::Object {
                attributes: nested.attributes.iter().map(attribute_to_wire).collect(),
                nesting: object_nesting(nested.nesting) as i32,
                ..Default::default()
            }),
        ),
    };
    wire::schema::Attribute {
        name: attribute.name.clone(),
        r#type: ty,
        nested_type,
        description: attribute_description(attribute),
        required: attribute.required,
        optional: attribute.optional,
        computed: attribute.computed,
        sensitive: attribute.sensitive,
        description_kind: wire::StringKind::Markdown as i32,
        deprecated: attribute.deprecated,
        write_only: attribute.write_only,
    }
}

/// The description plus the default and what validators and replacement rules promise, so the
/// docs (generated from this wire schema) and language servers state them.
pub(crate) fn attribute_description(attribute: &Attribute) -> String {
    let mut text = attribute.description.clone();
    for validator in &attribute.validators {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(validator.description());
    }
    if let (Some(default), AttributeKind::Typed(ty)) = (&attribute.default, &attribute.kind)
        && let Ok(json) = default.to_json(ty)
    {
        text.push_str(&format!(
            " Defaults to `{}`.",
            String::from_utf8_lossy(&json)
        ));
    }
    if attribute.requires_replace {
        text.push_str(" Changing it replaces the resource.");
    }
    text.trim().to_owned()
}

fn block_nesting(nesting: Nesting) -> wire::schema::nested_block::NestingMode {
    use wire::schema::nested_block::NestingMode as M;
    match nesting {
        Nesting::Single => M::Single,
        Nesting::Group => M::Group,
        Nesting::List => M::List,
        Nesting::Set => M::Set,
        Nesting::Map => M::Map,
    }
}

fn object_nesting(nesting: Nesting) -> wire::schema::object::NestingMode {
    use wire::schema::object::NestingMode as M;
    match nesting {
        Nesting::Single | Nesting::Group => M::Single,
        Nesting::List => M::List,
        Nesting::Set => M::Set,
        Nesting::Map => M::Map,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{NestedBlock, Validator};

    #[test]
    fn nested_attributes_and_blocks_reach_the_wire() {
        let schema = Schema::new(
            Block::new("A **resource**.")
                .attribute(
                    Attribute::string("tier")
                        .required()
                        .requires_replace()
                        .validate(Validator::one_of(&["production"])),
                )
                .attribute(
                    Attribute::nested(
                        "endpoints",
                        Nesting::Single,
                        vec![Attribute::string("rds").optional()],
                    )
                    .optional(),
                )
                .attribute(
                    Attribute::string("password")
                        .optional()
                        .write_only()
                        .sensitive(),
                )
                .block(NestedBlock::new("override", Nesting::List, Block::new(""))),
        );
        let wire = schema_to_wire(&schema);
        let block = wire.block.unwrap();
        assert_eq!(block.description_kind, wire::StringKind::Markdown as i32);
        let tier = &block.attributes[0];
        assert_eq!(tier.r#type, b"\"string\"".to_vec());
        assert!(tier.description.contains("`production`"));
        assert!(tier.description.contains("replaces the resource"));
        let retries = attribute_description(
            &Attribute::number("retries").default_value(crate::value::Value::Number(4i64.into())),
        );
        assert!(retries.ends_with("Defaults to `4`."), "{retries}");
        let endpoints = &block.attributes[1];
        assert!(endpoints.r#type.is_empty());
        assert_eq!(
            endpoints.nested_type.as_ref().unwrap().attributes[0].name,
            "rds"
        );
        assert!(block.attributes[2].write_only && block.attributes[2].sensitive);
        assert_eq!(
            block.block_types[0].nesting,
            wire::schema::nested_block::NestingMode::List as i32
        );
    }
}
