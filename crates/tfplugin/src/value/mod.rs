//! Terraform values: cty's type system and its msgpack and JSON encodings, provider side.
//!
//! Terraform hands a provider every configuration, state and plan as a `DynamicValue`: bytes
//! in cty's msgpack encoding (or cty's JSON encoding for raw state) that only mean something
//! relative to a schema [`Type`]. There is no Rust cty, so this module is the codec: it turns
//! those bytes into a [`Value`] and back, byte-compatible with Terraform's own encoder, and
//! bridges values to serde for typed resource models.
//!
//! Decisions worth knowing:
//! * **Exact numbers.** [`Number`] is an arbitrary-precision decimal; nothing goes through
//!   `f64` unless it is exact. ±infinity and NaN are rejected with
//!   [`ValueError::InvalidNumber`] (an infinite bound in an unknown's refinements that
//!   excludes nothing is dropped instead).
//! * **Unknowns keep their refinements** ([`Refinements`]), so what Terraform knows about a
//!   pending value survives a provider round trip.
//! * **Dynamic positions** carry their concrete type in [`Value::Dynamic`]; untyped null and
//!   unknown are plain [`Value::Null`] / [`Value::Unknown`].
//! * **Untrusted input never panics**: decoders bound nesting at 64 levels, never pre-allocate
//!   from declared lengths, and report every failure with its [`AttributePath`].
//!
//! [`AttributePath`]: crate::path::AttributePath

mod error;
mod json;
mod json_syntax;
mod model;
mod msgpack_decode;
mod msgpack_encode;
mod msgpack_read;
mod msgpack_unknown;
mod msgpack_write;
mod number;
mod refinements;
mod serde_bridge;
mod trail;
mod types;

#[cfg(test)]
mod json_tests;
#[cfg(test)]
mod msgpack_tests;
#[cfg(test)]
mod proptests;

pub use error::ValueError;
pub use model::Value;
pub use number::{MAX_EXPONENT, Number};
pub use refinements::Refinements;
pub use trail::MAX_DEPTH;
pub use types::Type;
