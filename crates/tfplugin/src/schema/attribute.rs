//! Attributes: `name = value` entries in a block, including nested attributes (`nested_type`).

use super::{Block, Nesting, Validator};
use crate::value::Type;

/// A nested-attribute object type: attributes of an object (or collection of objects) written as
/// `attr = { ... }` rather than as a nested block.
#[derive(Debug, Clone)]
pub struct NestedAttributes {
    /// How the objects nest: single, list, set or map.
    pub nesting: Nesting,
    /// The attributes of each object.
    pub attributes: Vec<Attribute>,
}

/// Whether an attribute has a plain type or nested attributes.
#[derive(Debug, Clone)]
pub enum AttributeKind {
    /// A value of one type.
    Typed(Type),
    /// Nested attributes.
    Nested(NestedAttributes),
}

/// One attribute of a block.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// The name used in configuration.
    pub name: String,
    /// Its type.
    pub kind: AttributeKind,
    /// Markdown description, shown in docs and language servers.
    pub description: String,
    /// Must be set in configuration.
    pub required: bool,
    /// May be set in configuration.
    pub optional: bool,
    /// Set by the provider (when also optional: only when the configuration leaves it null).
    pub computed: bool,
    /// Hidden in plan output and logs.
    pub sensitive: bool,
    /// Accepted in configuration but never stored in plan or state.
    pub write_only: bool,
    /// Whether the attribute is deprecated.
    pub deprecated: bool,
    /// A change to this attribute forces the resource to be replaced.
    pub requires_replace: bool,
    /// A computed value that does not change once known: plans keep the prior value instead of
    /// showing `(known after apply)` when other attributes change.
    pub stable: bool,
    /// The value used when the configuration leaves the attribute null (documented; applied at plan).
    pub default: Option<crate::value::Value>,
    /// Checks run on configured values at validation time.
    pub validators: Vec<Validator>,
}

impl Attribute {
    fn new(name: &str, kind: AttributeKind) -> Self {
        Self {
            name: name.to_owned(),
            kind,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            write_only: false,
            deprecated: false,
            requires_replace: false,
            stable: false,
            default: None,
            validators: Vec::new(),
        }
    }

    /// An attribute of the given type.
    pub fn of_type(name: &str, ty: Type) -> Self {
        Self::new(name, AttributeKind::Typed(ty))
    }

    /// A string attribute.
    pub fn string(name: &str) -> Self {
        Self::of_type(name, Type::String)
    }

    /// A number attribute.
    pub fn number(name: &str) -> Self {
        Self::of_type(name, Type::Number)
    }

    /// A bool attribute.
    pub fn bool(name: &str) -> Self {
        Self::of_type(name, Type::Bool)
    }

    /// A map-of-strings attribute.
    pub fn string_map(name: &str) -> Self {
        Self::of_type(name, Type::Map(Box::new(Type::String)))
    }

    /// A list-of-strings attribute.
    pub fn string_list(name: &str) -> Self {
        Self::of_type(name, Type::List(Box::new(Type::String)))
    }

    /// A set-of-strings attribute.
    pub fn string_set(name: &str) -> Self {
        Self::of_type(name, Type::Set(Box::new(Type::String)))
    }

    /// A nested-attribute attribute.
    pub fn nested(name: &str, nesting: Nesting, attributes: Vec<Attribute>) -> Self {
        Self::new(
            name,
            AttributeKind::Nested(NestedAttributes {
                nesting,
                attributes,
            }),
        )
    }

    /// Marks the attribute required.
    #[must_use]
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Marks the attribute optional.
    #[must_use]
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// Marks the attribute computed.
    #[must_use]
    pub fn computed(mut self) -> Self {
        self.computed = true;
        self
    }

    /// Marks the attribute sensitive.
    #[must_use]
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }

    /// Marks the attribute write-only.
    #[must_use]
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }

    /// A change forces replacement.
    #[must_use]
    pub fn requires_replace(mut self) -> Self {
        self.requires_replace = true;
        self
    }

    /// The computed value never changes once known (identifiers, ARNs).
    #[must_use]
    pub fn stable(mut self) -> Self {
        self.stable = true;
        self
    }

    /// Sets the Markdown description.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// Sets a default (the attribute becomes optional and computed).
    #[must_use]
    pub fn default_value(mut self, value: crate::value::Value) -> Self {
        self.default = Some(value);
        self.optional = true;
        self.computed = true;
        self
    }

    /// Adds a validator.
    #[must_use]
    pub fn validate(mut self, validator: Validator) -> Self {
        self.validators.push(validator);
        self
    }

    /// The value type of this attribute.
    pub fn value_type(&self) -> Type {
        match &self.kind {
            AttributeKind::Typed(ty) => ty.clone(),
            AttributeKind::Nested(nested) => {
                let object = Block::object_type(&nested.attributes, &[]);
                nested.nesting.wrap(object)
            }
        }
    }
}
