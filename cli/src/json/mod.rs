//! Reading JSON faster than a general-purpose parser, for the one document that is large.
//!
//! A plan of a thousand databases is about ten megabytes, and checking that it is JSON at all
//! cost serde_json more time than the rules took to judge it. Two passes share the work: the
//! first finds every string's bounds for the whole text at once ([`quotes`]), the second walks the
//! structure and hands the plan reader the members it asks for ([`Cursor`]). Both refuse any
//! text that serde_json refuses (the tests compare them), and neither explains why: a document
//! they refuse is read again by serde_json, whose errors name the line, column and path.

mod cursor;
mod quotes;

pub(crate) use cursor::Cursor;
pub(crate) use quotes::Quotes;
