//! What is known about an unknown value.
//!
//! Since Terraform 1.6, unknown values may be *refined*: "not null", "a string starting with
//! `arn:`", "a number ≥ 0", "a list of at most 3 elements". Terraform uses these to resolve
//! conditions during plan, so a provider must pass them through faithfully, and may add its own
//! when it plans a computed attribute.

use super::number::Number;
use super::types::Type;

/// Refinements of an unknown value. `Refinements::default()` means "nothing known".
///
/// Which fields may be set depends on the value's type: `not_null` on any type but `dynamic`,
/// `string_prefix` on strings, the number bounds on numbers, the length bounds on lists, sets
/// and maps. An empty `string_prefix` is the same as none and is not transmitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Refinements {
    /// The value is definitely not null.
    pub not_null: bool,
    /// A string value starts with this prefix.
    pub string_prefix: Option<String>,
    /// A number value is at least (`true`: inclusive) or above (`false`) this bound.
    pub number_lower: Option<(Number, bool)>,
    /// A number value is at most (`true`: inclusive) or below (`false`) this bound.
    pub number_upper: Option<(Number, bool)>,
    /// A collection has at least this many elements.
    pub length_lower: Option<u64>,
    /// A collection has at most this many elements.
    pub length_upper: Option<u64>,
}

impl Refinements {
    /// Only "definitely not null".
    pub fn not_null() -> Refinements {
        Refinements {
            not_null: true,
            ..Refinements::default()
        }
    }

    /// Whether nothing is known (what the msgpack encoding sends as a plain unknown).
    pub fn is_empty(&self) -> bool {
        !self.not_null
            && self.string_prefix.as_deref().is_none_or(str::is_empty)
            && self.number_lower.is_none()
            && self.number_upper.is_none()
            && self.length_lower.is_none()
            && self.length_upper.is_none()
    }

    /// Checks that every refinement set applies to `ty`; the error says which does not.
    pub(crate) fn check_applicable(&self, ty: &Type) -> Result<(), String> {
        if *ty == Type::Dynamic {
            return if self.is_empty() {
                Ok(())
            } else {
                Err("an unknown value of dynamic type cannot be refined".into())
            };
        }
        let has_prefix = self.string_prefix.as_deref().is_some_and(|p| !p.is_empty());
        if has_prefix && *ty != Type::String {
            return Err(format!("string prefix on a {} value", ty.kind()));
        }
        if (self.number_lower.is_some() || self.number_upper.is_some()) && *ty != Type::Number {
            return Err(format!("number bounds on a {} value", ty.kind()));
        }
        if (self.length_lower.is_some() || self.length_upper.is_some()) && !ty.is_collection() {
            return Err(format!("length bounds on a {} value", ty.kind()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applicability() {
        let prefix = Refinements {
            string_prefix: Some("arn:".into()),
            ..Refinements::default()
        };
        assert!(prefix.check_applicable(&Type::String).is_ok());
        assert!(prefix.check_applicable(&Type::Number).is_err());
        let length = Refinements {
            length_upper: Some(3),
            ..Refinements::default()
        };
        assert!(length.check_applicable(&Type::set(Type::String)).is_ok());
        assert!(length.check_applicable(&Type::Tuple(vec![])).is_err());
        let bound = Refinements {
            number_lower: Some((Number::from(0i64), true)),
            ..Refinements::default()
        };
        assert!(bound.check_applicable(&Type::Number).is_ok());
        assert!(bound.check_applicable(&Type::String).is_err());
        assert!(
            Refinements::not_null()
                .check_applicable(&Type::Bool)
                .is_ok()
        );
        assert!(
            Refinements::not_null()
                .check_applicable(&Type::Dynamic)
                .is_err()
        );
        assert!(
            Refinements::default()
                .check_applicable(&Type::Dynamic)
                .is_ok()
        );
    }

    #[test]
    fn empty_prefix_is_no_refinement() {
        assert!(Refinements::default().is_empty());
        assert!(
            Refinements {
                string_prefix: Some(String::new()),
                ..Refinements::default()
            }
            .is_empty()
        );
        assert!(!Refinements::not_null().is_empty());
    }
}
