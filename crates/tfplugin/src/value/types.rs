//! cty's type system and its JSON description.
//!
//! Terraform names types in two places the provider must understand: schemas (built by the
//! provider, so trusted) and the `[type, value]` wrappers of dynamically-typed values (sent by
//! Terraform, so parsed defensively, with a nesting limit). Both use cty's type JSON:
//! `"string"`, `["list","string"]`, `["object",{"a":"number"},["a"]]`, `["tuple",["bool"]]`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::error::ValueError;
use super::json_syntax::{self, Json};
use super::trail::MAX_DEPTH;
use crate::path::AttributePath;

/// A cty type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    /// `bool`
    Bool,
    /// `number`: arbitrary-precision decimal.
    Number,
    /// `string`
    String,
    /// `dynamic`: the type is only known per value; such values carry their type on the wire.
    Dynamic,
    /// `list(T)`
    List(Box<Type>),
    /// `set(T)`
    Set(Box<Type>),
    /// `map(T)`: string keys.
    Map(Box<Type>),
    /// `object({...})`: a fixed set of named attributes.
    Object {
        /// Attribute types by name.
        attributes: BTreeMap<String, Type>,
        /// Attributes marked optional (only meaningful for type constraints Terraform converts
        /// configuration to; values always carry every attribute).
        optional: BTreeSet<String>,
    },
    /// `tuple([...])`: a fixed sequence of element types.
    Tuple(Vec<Type>),
}

impl Type {
    /// An object type without optional attributes.
    pub fn object(attrs: impl IntoIterator<Item = (impl Into<String>, Type)>) -> Type {
        Type::Object {
            attributes: attrs
                .into_iter()
                .map(|(name, ty)| (name.into(), ty))
                .collect(),
            optional: BTreeSet::new(),
        }
    }

    /// `list(element)`
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    /// `set(element)`
    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    /// `map(element)`
    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    /// Whether this is a list, set or map type.
    pub fn is_collection(&self) -> bool {
        matches!(self, Type::List(_) | Type::Set(_) | Type::Map(_))
    }

    /// The short name of the type's kind (`list`, `object`, ...), for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Type::Bool => "bool",
            Type::Number => "number",
            Type::String => "string",
            Type::Dynamic => "dynamic",
            Type::List(_) => "list",
            Type::Set(_) => "set",
            Type::Map(_) => "map",
            Type::Object { .. } => "object",
            Type::Tuple(_) => "tuple",
        }
    }

    /// Parses cty's type JSON.
    pub fn from_json(bytes: &[u8]) -> Result<Type, ValueError> {
        Type::from_json_message(bytes).map_err(|message| ValueError::InvalidType {
            path: AttributePath::root(),
            message,
        })
    }

    /// Parses cty's type JSON, reporting failures as bare messages.
    pub(crate) fn from_json_message(bytes: &[u8]) -> Result<Type, String> {
        Type::from_json_tree(&json_syntax::parse(bytes)?, 0)
    }

    /// Reads a type from parsed JSON.
    pub(crate) fn from_json_tree(json: &Json, depth: usize) -> Result<Type, String> {
        if depth > MAX_DEPTH {
            return Err(format!("nested deeper than {MAX_DEPTH} levels"));
        }
        let items = match json {
            Json::String(name) => {
                return match name.as_str() {
                    "bool" => Ok(Type::Bool),
                    "number" => Ok(Type::Number),
                    "string" => Ok(Type::String),
                    "dynamic" => Ok(Type::Dynamic),
                    other => Err(format!("invalid primitive type name {other:?}")),
                };
            }
            Json::Array(items) => items,
            other => {
                return Err(format!(
                    "expected a type name or array, found {}",
                    other.describe()
                ));
            }
        };
        let (kind, rest) = match items.split_first() {
            Some((Json::String(kind), rest)) => (kind.as_str(), rest),
            _ => return Err("a complex type must start with its kind name".into()),
        };
        let arity = |n: usize| {
            if rest.len() == n {
                Ok(())
            } else {
                Err(format!(
                    "{kind:?} type takes {n} argument(s), found {}",
                    rest.len()
                ))
            }
        };
        let element = |rest: &[Json]| -> Result<Box<Type>, String> {
            rest.first()
                .ok_or_else(|| format!("{kind:?} type lacks an element type"))
                .and_then(|json| Type::from_json_tree(json, depth + 1))
                .map(Box::new)
        };
        match kind {
            "list" => arity(1).and_then(|()| element(rest)).map(Type::List),
            "set" => arity(1).and_then(|()| element(rest)).map(Type::Set),
            "map" => arity(1).and_then(|()| element(rest)).map(Type::Map),
            "tuple" => {
                arity(1)?;
                let Some(Json::Array(elements)) = rest.first() else {
                    return Err("tuple element types must be an array".into());
                };
                elements
                    .iter()
                    .map(|json| Type::from_json_tree(json, depth + 1))
                    .collect::<Result<_, _>>()
                    .map(Type::Tuple)
            }
            "object" => Type::object_from_json(rest, depth),
            other => Err(format!("invalid complex type kind {other:?}")),
        }
    }

    fn object_from_json(rest: &[Json], depth: usize) -> Result<Type, String> {
        let (members, optional_json) = match rest {
            [Json::Object(members)] => (members, None),
            [Json::Object(members), optional] => (members, Some(optional)),
            _ => return Err("object type takes an attribute object and optionally a list of optional attributes".into()),
        };
        let mut attributes = BTreeMap::new();
        for (name, json) in members {
            if attributes
                .insert(name.clone(), Type::from_json_tree(json, depth + 1)?)
                .is_some()
            {
                return Err(format!("duplicate object attribute {name:?}"));
            }
        }
        let mut optional = BTreeSet::new();
        if let Some(json) = optional_json {
            let Json::Array(names) = json else {
                return Err("optional attributes must be an array of names".into());
            };
            for name in names {
                let Json::String(name) = name else {
                    return Err("optional attributes must be an array of names".into());
                };
                if !attributes.contains_key(name) {
                    return Err(format!(
                        "optional attribute {name:?} is not an attribute of the object"
                    ));
                }
                optional.insert(name.clone());
            }
        }
        Ok(Type::Object {
            attributes,
            optional,
        })
    }

    /// cty's type JSON (compact, attributes and optional names sorted).
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = String::new();
        self.write_json(&mut out);
        out.into_bytes()
    }

    pub(crate) fn write_json(&self, out: &mut String) {
        let wrapped = |kind: &str, element: &Type, out: &mut String| {
            out.push_str("[\"");
            out.push_str(kind);
            out.push_str("\",");
            element.write_json(out);
            out.push(']');
        };
        match self {
            Type::Bool => out.push_str("\"bool\""),
            Type::Number => out.push_str("\"number\""),
            Type::String => out.push_str("\"string\""),
            Type::Dynamic => out.push_str("\"dynamic\""),
            Type::List(element) => wrapped("list", element, out),
            Type::Set(element) => wrapped("set", element, out),
            Type::Map(element) => wrapped("map", element, out),
            Type::Object {
                attributes,
                optional,
            } => {
                out.push_str("[\"object\",{");
                for (i, (name, ty)) in attributes.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json_syntax::write_string(out, name);
                    out.push(':');
                    ty.write_json(out);
                }
                out.push('}');
                if !optional.is_empty() {
                    out.push_str(",[");
                    for (i, name) in optional.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        json_syntax::write_string(out, name);
                    }
                    out.push(']');
                }
                out.push(']');
            }
            Type::Tuple(elements) => {
                out.push_str("[\"tuple\",[");
                for (i, ty) in elements.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    ty.write_json(out);
                }
                out.push_str("]]");
            }
        }
    }
}

impl fmt::Display for Type {
    /// Terraform's type constraint syntax: `list(string)`, `object({a=number})`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool | Type::Number | Type::String | Type::Dynamic => f.write_str(self.kind()),
            Type::List(element) | Type::Set(element) | Type::Map(element) => {
                write!(f, "{}({element})", self.kind())
            }
            Type::Object {
                attributes,
                optional,
            } => {
                f.write_str("object({")?;
                for (i, (name, ty)) in attributes.iter().enumerate() {
                    let sep = if i > 0 { "," } else { "" };
                    if optional.contains(name) {
                        write!(f, "{sep}{name}=optional({ty})")?;
                    } else {
                        write!(f, "{sep}{name}={ty}")?;
                    }
                }
                f.write_str("})")
            }
            Type::Tuple(elements) => {
                f.write_str("tuple([")?;
                for (i, ty) in elements.iter().enumerate() {
                    let sep = if i > 0 { "," } else { "" };
                    write!(f, "{sep}{ty}")?;
                }
                f.write_str("])")
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Type {
        Type::from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn parses_cty_type_json() {
        assert_eq!(parse(r#""string""#), Type::String);
        assert_eq!(parse(r#""dynamic""#), Type::Dynamic);
        assert_eq!(parse(r#"["list","string"]"#), Type::list(Type::String));
        assert_eq!(
            parse(r#"["set",["map","bool"]]"#),
            Type::set(Type::map(Type::Bool))
        );
        assert_eq!(
            parse(r#"["object",{"a":"number"}]"#),
            Type::object([("a", Type::Number)])
        );
        assert_eq!(
            parse(r#" ["object", {"b":"string","a":"number"}, ["b"]] "#),
            Type::Object {
                attributes: [
                    ("a".to_owned(), Type::Number),
                    ("b".to_owned(), Type::String)
                ]
                .into(),
                optional: ["b".to_owned()].into(),
            }
        );
        assert_eq!(
            parse(r#"["tuple",["bool","number"]]"#),
            Type::Tuple(vec![Type::Bool, Type::Number])
        );
        assert_eq!(parse(r#"["tuple",[]]"#), Type::Tuple(vec![]));
        assert_eq!(
            parse(r#"["object",{}]"#),
            Type::object(Vec::<(String, Type)>::new())
        );
    }

    #[test]
    fn writes_cty_type_json() {
        let ty = Type::Object {
            attributes: [
                ("tags".to_owned(), Type::map(Type::String)),
                ("id".to_owned(), Type::String),
                ("t".to_owned(), Type::Tuple(vec![Type::Bool, Type::Dynamic])),
            ]
            .into(),
            optional: ["tags".to_owned()].into(),
        };
        let json = String::from_utf8(ty.to_json()).unwrap();
        assert_eq!(
            json,
            r#"["object",{"id":"string","t":["tuple",["bool","dynamic"]],"tags":["map","string"]},["tags"]]"#
        );
        assert_eq!(Type::from_json(json.as_bytes()).unwrap(), ty);
        assert_eq!(Type::list(Type::Number).to_json(), br#"["list","number"]"#);
    }

    #[test]
    fn rejects_invalid_type_json() {
        for bad in [
            r#""int""#,
            r#"["list"]"#,
            r#"["list","string","string"]"#,
            r#"["object",{"a":"string"},["b"]]"#,
            r#"["object",{"a":"string","a":"number"}]"#,
            r#"["object",["a"]]"#,
            r#"["tuple","string"]"#,
            r#"["frob","string"]"#,
            r#"[]"#,
            "3",
            r#""string" "string""#,
        ] {
            assert!(
                Type::from_json(bad.as_bytes()).is_err(),
                "{bad} should be rejected"
            );
        }
    }

    #[test]
    fn limits_nesting() {
        let deep = r#"["list","#.repeat(MAX_DEPTH + 1) + r#""string""# + &"]".repeat(MAX_DEPTH + 1);
        let err = Type::from_json(deep.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("nested deeper"), "{err}");
    }

    #[test]
    fn displays_like_terraform() {
        let ty = Type::object([
            ("a", Type::list(Type::String)),
            ("b", Type::Tuple(vec![Type::Number, Type::Bool])),
        ]);
        assert_eq!(
            ty.to_string(),
            "object({a=list(string),b=tuple([number,bool])})"
        );
    }
}
