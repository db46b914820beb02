//! Plan-time values.
//!
//! A Terraform plan knows some values, leaves others unknown until apply, and omits others
//! altogether. A guardrail must not confuse "unknown" with "fine": an unknown value makes a rule
//! undecided, never a silent pass. `Fact` keeps the three cases apart in the type.

use serde::Serialize;

/// A value as a plan sees it: known, unknown until apply, or not set at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact<T> {
    /// The plan knows the value.
    Known(T),
    /// The value is computed during apply; the plan cannot tell what it will be.
    Unknown,
    /// The value is not set (null or omitted).
    Absent,
}

impl<T> Fact<T> {
    /// The known value, if there is one.
    pub fn known(&self) -> Option<&T> {
        match self {
            Fact::Known(value) => Some(value),
            Fact::Unknown | Fact::Absent => None,
        }
    }

    /// Whether the value is unknown until apply.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Fact::Unknown)
    }

    /// Whether the value is not set.
    pub fn is_absent(&self) -> bool {
        matches!(self, Fact::Absent)
    }

    /// Borrows the value inside.
    pub fn as_ref(&self) -> Fact<&T> {
        match self {
            Fact::Known(value) => Fact::Known(value),
            Fact::Unknown => Fact::Unknown,
            Fact::Absent => Fact::Absent,
        }
    }

    /// Maps a known value, keeping unknown and absent as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Fact<U> {
        match self {
            Fact::Known(value) => Fact::Known(f(value)),
            Fact::Unknown => Fact::Unknown,
            Fact::Absent => Fact::Absent,
        }
    }
}

impl Fact<String> {
    /// Borrows a known string as `&str`.
    pub fn as_deref(&self) -> Fact<&str> {
        match self {
            Fact::Known(value) => Fact::Known(value.as_str()),
            Fact::Unknown => Fact::Unknown,
            Fact::Absent => Fact::Absent,
        }
    }
}

impl<T> From<Option<T>> for Fact<T> {
    /// `Some` is known, `None` is absent. Unknown values must be stated explicitly.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Fact::Known(value),
            None => Fact::Absent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_exposes_the_value_and_the_others_do_not() {
        assert_eq!(Fact::Known(3).known(), Some(&3));
        assert_eq!(Fact::<i32>::Unknown.known(), None);
        assert_eq!(Fact::<i32>::Absent.known(), None);
    }

    #[test]
    fn map_keeps_unknown_and_absent() {
        assert_eq!(Fact::Known(2).map(|v| v * 2), Fact::Known(4));
        assert_eq!(Fact::<i32>::Unknown.map(|v| v * 2), Fact::Unknown);
        assert_eq!(Fact::<i32>::Absent.map(|v| v * 2), Fact::Absent);
    }

    #[test]
    fn option_none_is_absent_not_unknown() {
        assert_eq!(Fact::from(None::<u8>), Fact::Absent);
        assert_eq!(Fact::from(Some(1)), Fact::Known(1));
    }

    #[test]
    fn as_deref_borrows_strings() {
        let fact = Fact::Known("on".to_owned());
        assert_eq!(fact.as_deref(), Fact::Known("on"));
        assert!(Fact::<String>::Unknown.as_deref().is_unknown());
        assert!(Fact::<String>::Absent.as_deref().is_absent());
    }
}
