//! The in-memory value: what resources read from config, state and plans, and return.
//!
//! A [`Value`] does not carry its type; the schema supplies it whenever bytes are read or
//! written. The one exception is a value at a `dynamic` position, which Terraform sends with
//! its concrete type and which therefore lives in [`Value::Dynamic`], so that reading and
//! re-sending it loses nothing.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use super::error::ValueError;
use super::number::Number;
use super::refinements::Refinements;
use super::trail::Trail;
use super::types::Type;
use crate::path::{AttributePath, PathStep};

/// A Terraform (cty) value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A null of whatever type the position has.
    Null,
    /// A value not known until apply, with whatever is known about it.
    Unknown(Refinements),
    /// `bool`
    Bool(bool),
    /// `number`
    Number(Number),
    /// `string`
    String(String),
    /// `list(T)` elements, in order.
    List(Vec<Value>),
    /// `set(T)` elements, in wire order (a set's order carries no meaning).
    Set(Vec<Value>),
    /// `map(T)` elements by key.
    Map(BTreeMap<String, Value>),
    /// `object({...})` attributes by name; every attribute of the type is present.
    Object(BTreeMap<String, Value>),
    /// `tuple([...])` elements, in order.
    Tuple(Vec<Value>),
    /// A value at a `Type::Dynamic` position, carrying its concrete type so that it
    /// round-trips. The inner value may itself be `Null` or `Unknown` (a typed null/unknown).
    Dynamic(Type, Box<Value>),
}

impl Value {
    /// The null value (of any type).
    pub fn null_of(_ty: &Type) -> Value {
        Value::Null
    }

    /// A wholly unknown value (of any type).
    pub fn unknown() -> Value {
        Value::Unknown(Refinements::default())
    }

    /// Looks through [`Value::Dynamic`] wrappers.
    fn inner(&self) -> &Value {
        let mut value = self;
        while let Value::Dynamic(_, inner) = value {
            value = inner;
        }
        value
    }

    /// Whether the value is null (also a typed null at a dynamic position).
    pub fn is_null(&self) -> bool {
        matches!(self.inner(), Value::Null)
    }

    /// Whether the value itself is unknown (shallow: a known list may hold unknown elements).
    pub fn is_unknown(&self) -> bool {
        matches!(self.inner(), Value::Unknown(_))
    }

    /// `!is_unknown()`.
    pub fn is_known(&self) -> bool {
        !self.is_unknown()
    }

    /// Whether no unknown value occurs anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        match self.inner() {
            Value::Unknown(_) => false,
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
                items.iter().all(Value::is_wholly_known)
            }
            Value::Map(items) | Value::Object(items) => items.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    /// The attribute `name` of an object value.
    pub fn attr(&self, name: &str) -> Option<&Value> {
        match self.inner() {
            Value::Object(attributes) => attributes.get(name),
            _ => None,
        }
    }

    /// The value at `path` below this one: attributes of objects, keys of maps, indexes of
    /// lists and tuples.
    pub fn get(&self, path: &AttributePath) -> Option<&Value> {
        path.steps()
            .iter()
            .try_fold(self, |value, step| match (value.inner(), step) {
                (Value::Object(attributes), PathStep::Attribute(name)) => attributes.get(name),
                (Value::Map(items), PathStep::Key(key)) => items.get(key),
                (Value::List(items) | Value::Tuple(items), PathStep::Index(index)) => {
                    items.get(usize::try_from(*index).ok()?)
                }
                _ => None,
            })
    }

    /// The string, if this is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match self.inner() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The bool, if this is a known bool.
    pub fn as_bool(&self) -> Option<bool> {
        match self.inner() {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is a known number.
    pub fn as_number(&self) -> Option<&Number> {
        match self.inner() {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The elements of a list, set or tuple.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self.inner() {
            Value::List(items) | Value::Set(items) | Value::Tuple(items) => Some(items),
            _ => None,
        }
    }

    /// The entries of a map or the attributes of an object.
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self.inner() {
            Value::Map(items) | Value::Object(items) => Some(items),
            _ => None,
        }
    }

    /// A short description of the value's kind, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown(_) => "unknown",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Map(_) => "map",
            Value::Object(_) => "object",
            Value::Tuple(_) => "tuple",
            Value::Dynamic(..) => "dynamic value",
        }
    }

    /// The type a value at a dynamic position implies when it is not wrapped in
    /// [`Value::Dynamic`]; `None` for null and unknown (sent untyped) and for collections
    /// whose elements disagree.
    pub(crate) fn implied_type(&self) -> Option<Type> {
        let or_dynamic = |v: &Value| v.implied_type().unwrap_or(Type::Dynamic);
        let common = |items: &mut dyn Iterator<Item = &Value>| -> Option<Type> {
            let mut found: Option<Type> = None;
            for item in items {
                if let Some(ty) = item.implied_type() {
                    match &found {
                        Some(previous) if *previous != ty => return None,
                        _ => found = Some(ty),
                    }
                }
            }
            Some(found.unwrap_or(Type::Dynamic))
        };
        match self {
            Value::Null | Value::Unknown(_) => None,
            Value::Bool(_) => Some(Type::Bool),
            Value::Number(_) => Some(Type::Number),
            Value::String(_) => Some(Type::String),
            Value::Dynamic(ty, _) => Some(ty.clone()),
            Value::List(items) => common(&mut items.iter()).map(Type::list),
            Value::Set(items) => common(&mut items.iter()).map(Type::set),
            Value::Map(items) => common(&mut items.values()).map(Type::map),
            Value::Tuple(items) => Some(Type::Tuple(items.iter().map(or_dynamic).collect())),
            Value::Object(items) => Some(Type::object(
                items.iter().map(|(k, v)| (k.clone(), or_dynamic(v))),
            )),
        }
    }

    /// Checks that the value has the shape of `ty`; the error names the first offending path.
    ///
    /// This is exactly the check [`Value::to_msgpack`] applies while encoding.
    pub fn conforms_to(&self, ty: &Type) -> Result<(), ValueError> {
        check(self, ty, &mut Trail::default(), 0)
    }
}

fn check(value: &Value, ty: &Type, trail: &mut Trail, depth: usize) -> Result<(), ValueError> {
    trail.check_depth(depth)?;
    match (value, ty) {
        (Value::Null, _) => Ok(()),
        (Value::Unknown(refinements), _) => {
            refinements
                .check_applicable(ty)
                .map_err(|message| ValueError::InvalidRefinement {
                    path: trail.path(),
                    message,
                })
        }
        (Value::Dynamic(inner_ty, inner), Type::Dynamic) => {
            check(inner, inner_ty, trail, depth + 1)
        }
        (Value::Dynamic(inner_ty, inner), _) if inner_ty == ty => {
            check(inner, ty, trail, depth + 1)
        }
        (other, Type::Dynamic) => match other.implied_type() {
            Some(implied) => check(other, &implied, trail, depth + 1),
            None => Err(trail.mismatch(
                "a value of one type (wrap it in Value::Dynamic)",
                "collection elements of differing types",
            )),
        },
        (Value::Bool(_), Type::Bool)
        | (Value::Number(_), Type::Number)
        | (Value::String(_), Type::String) => Ok(()),
        (Value::List(items), Type::List(element)) | (Value::Set(items), Type::Set(element)) => {
            for (i, item) in items.iter().enumerate() {
                trail.index(i, |trail| check(item, element, trail, depth + 1))?;
            }
            Ok(())
        }
        (Value::Map(items), Type::Map(element)) => {
            for (key, item) in items {
                trail.key(key, |trail| check(item, element, trail, depth + 1))?;
            }
            Ok(())
        }
        (Value::Object(items), Type::Object { attributes, .. }) => {
            check_attribute_names(items, attributes, trail)?;
            for (name, attribute_ty) in attributes {
                if let Some(item) = items.get(name) {
                    trail.attr(name, |trail| check(item, attribute_ty, trail, depth + 1))?;
                }
            }
            Ok(())
        }
        (Value::Tuple(items), Type::Tuple(elements)) => {
            if items.len() != elements.len() {
                return Err(ValueError::TupleLength {
                    path: trail.path(),
                    expected: elements.len(),
                    found: items.len(),
                });
            }
            for (i, (item, element)) in items.iter().zip(elements).enumerate() {
                trail.index(i, |trail| check(item, element, trail, depth + 1))?;
            }
            Ok(())
        }
        (other, _) => Err(trail.mismatch(ty.to_string(), other.kind())),
    }
}

/// Fails unless an object value has exactly the attributes of its type.
pub(crate) fn check_attribute_names(
    items: &BTreeMap<String, Value>,
    attributes: &BTreeMap<String, Type>,
    trail: &Trail,
) -> Result<(), ValueError> {
    if let Some(name) = items.keys().find(|name| !attributes.contains_key(*name)) {
        return Err(ValueError::UnexpectedAttribute {
            path: trail.path(),
            name: name.clone(),
        });
    }
    if let Some(name) = attributes.keys().find(|name| !items.contains_key(*name)) {
        return Err(ValueError::MissingAttribute {
            path: trail.path(),
            name: name.clone(),
        });
    }
    Ok(())
}

/// Drops set elements equal to an earlier, wholly known element (unknown elements may stand
/// for different values, so they are kept, as cty does).
pub(crate) fn dedup_set(items: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    // Indexes into `out` of the known elements, by hash.
    let mut seen: HashMap<u64, Vec<usize>> = HashMap::new();
    for item in items {
        if item.is_wholly_known() {
            let mut hasher = DefaultHasher::new();
            item.hash(&mut hasher);
            let same_hash = seen.entry(hasher.finish()).or_default();
            if same_hash.iter().any(|&i| out.get(i) == Some(&item)) {
                continue;
            }
            same_hash.push(out.len());
        }
        out.push(item);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample() -> Value {
        Value::Object(BTreeMap::from([
            ("name".to_owned(), Value::String("db".into())),
            (
                "override".to_owned(),
                Value::List(vec![
                    Value::Object(BTreeMap::from([(
                        "reason".to_owned(),
                        Value::String("a".into()),
                    )])),
                    Value::Object(BTreeMap::from([("reason".to_owned(), Value::unknown())])),
                ]),
            ),
            (
                "tags".to_owned(),
                Value::Map(BTreeMap::from([(
                    "team".to_owned(),
                    Value::String("x".into()),
                )])),
            ),
            (
                "any".to_owned(),
                Value::Dynamic(Type::Bool, Box::new(Value::Bool(true))),
            ),
        ]))
    }

    fn sample_type() -> Type {
        Type::object([
            ("name", Type::String),
            (
                "override",
                Type::list(Type::object([("reason", Type::String)])),
            ),
            ("tags", Type::map(Type::String)),
            ("any", Type::Dynamic),
        ])
    }

    #[test]
    fn accessors() {
        let v = sample();
        assert_eq!(v.attr("name").and_then(Value::as_str), Some("db"));
        assert_eq!(v.attr("any").and_then(Value::as_bool), Some(true));
        assert_eq!(v.attr("missing"), None);
        let path = AttributePath::attr("override")
            .then_index(1)
            .then_attr("reason");
        assert!(v.get(&path).unwrap().is_unknown());
        let path = AttributePath::attr("tags").then_key("team");
        assert_eq!(v.get(&path).and_then(Value::as_str), Some("x"));
        assert_eq!(v.get(&AttributePath::attr("override").then_index(2)), None);
        assert_eq!(v.get(&AttributePath::root()), Some(&v));
        assert_eq!(
            v.attr("override")
                .and_then(Value::as_list)
                .map(<[Value]>::len),
            Some(2)
        );
        assert_eq!(v.as_map().map(BTreeMap::len), Some(4));
        assert!(v.is_known());
        assert!(!v.is_wholly_known());
        assert!(Value::Dynamic(Type::String, Box::new(Value::Null)).is_null());
        assert!(Value::Dynamic(Type::String, Box::new(Value::unknown())).is_unknown());
        assert_eq!(
            Value::Number(Number::from(3i64)).as_number(),
            Some(&Number::from(3i64))
        );
        assert!(Value::null_of(&Type::String).is_null());
    }

    #[test]
    fn conformance_reports_paths() {
        assert!(sample().conforms_to(&sample_type()).is_ok());

        let mut bad = sample();
        if let Value::Object(attrs) = &mut bad {
            attrs.insert(
                "override".into(),
                Value::List(vec![Value::Object(BTreeMap::from([(
                    "reason".to_owned(),
                    Value::Bool(true),
                )]))]),
            );
        }
        let err = bad.conforms_to(&sample_type()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "at override[0].reason: expected string, found bool"
        );

        let mut missing = sample();
        if let Value::Object(attrs) = &mut missing {
            attrs.remove("tags");
        }
        let err = missing.conforms_to(&sample_type()).unwrap_err();
        assert!(
            matches!(&err, ValueError::MissingAttribute { name, .. } if name == "tags"),
            "{err}"
        );

        let tuple = Value::Tuple(vec![Value::Null]);
        let err = tuple
            .conforms_to(&Type::Tuple(vec![Type::Bool, Type::Bool]))
            .unwrap_err();
        assert!(matches!(
            err,
            ValueError::TupleLength {
                expected: 2,
                found: 1,
                ..
            }
        ));

        let refined = Value::Unknown(Refinements {
            length_lower: Some(1),
            ..Refinements::default()
        });
        assert!(refined.conforms_to(&Type::list(Type::String)).is_ok());
        assert!(refined.conforms_to(&Type::String).is_err());

        let wrapped = Value::Dynamic(Type::String, Box::new(Value::String("x".into())));
        assert!(wrapped.conforms_to(&Type::String).is_ok());
        assert!(wrapped.conforms_to(&Type::Number).is_err());
        let mixed = Value::List(vec![Value::Bool(true), Value::String("x".into())]);
        assert!(mixed.conforms_to(&Type::Dynamic).is_err());
        assert!(
            Value::List(vec![Value::Bool(true), Value::Null])
                .conforms_to(&Type::Dynamic)
                .is_ok()
        );
    }

    #[test]
    fn implied_types() {
        let v = Value::Object(BTreeMap::from([
            ("a".to_owned(), Value::List(vec![])),
            ("b".to_owned(), Value::Null),
            (
                "c".to_owned(),
                Value::Tuple(vec![
                    Value::Number(Number::from(1i64)),
                    Value::String("x".into()),
                ]),
            ),
        ]));
        assert_eq!(
            v.implied_type(),
            Some(Type::object([
                ("a", Type::list(Type::Dynamic)),
                ("b", Type::Dynamic),
                ("c", Type::Tuple(vec![Type::Number, Type::String])),
            ]))
        );
    }

    #[test]
    fn set_dedup_keeps_unknowns() {
        let items = vec![
            Value::String("a".into()),
            Value::unknown(),
            Value::String("a".into()),
            Value::unknown(),
            Value::Null,
            Value::Null,
        ];
        assert_eq!(
            dedup_set(items),
            vec![
                Value::String("a".into()),
                Value::unknown(),
                Value::unknown(),
                Value::Null
            ]
        );
    }
}
