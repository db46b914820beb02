//! The shape of `terraform show -json` output, as far as the policy command reads it.
//!
//! Everything not named here is skipped by the parser without being built. A resource's
//! `values` are split into attributes ([`Fields`]) in the same pass when its type is one the
//! rules inspect, and skipped otherwise, so no part of a large plan is read twice.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, Error as _, IgnoredAny, MapAccess, Visitor};

use super::config::Configuration;
use super::{inspected_kind, is_inspected};
use crate::fields::{Fields, ObjectOr, Text};
use crate::raw::Raw;

#[derive(Deserialize, Default)]
pub(super) struct Document<'a> {
    #[serde(default)]
    pub(super) format_version: Option<String>,
    #[serde(default, borrow)]
    pub(super) planned_values: Option<Values<'a>>,
    #[serde(default, borrow)]
    pub(super) values: Option<Values<'a>>,
    #[serde(default, borrow)]
    pub(super) resource_changes: Vec<ResourceChange<'a>>,
    #[serde(default, borrow)]
    pub(super) configuration: Option<Configuration<'a>>,
}

#[derive(Deserialize, Default)]
pub(super) struct Values<'a> {
    #[serde(default, borrow)]
    pub(super) root_module: Module<'a>,
}

#[derive(Deserialize, Default)]
pub(super) struct Module<'a> {
    #[serde(default)]
    pub(super) address: Option<String>,
    #[serde(default, borrow)]
    pub(super) resources: Vec<RawResource<'a>>,
    #[serde(default, borrow)]
    pub(super) child_modules: Vec<Module<'a>>,
}

/// One resource of `planned_values` (or a state's `values`).
pub(super) struct RawResource<'a> {
    pub(super) address: Cow<'a, str>,
    /// Whether `mode` is `data`.
    pub(super) data: bool,
    /// The type, when the policy command inspects it.
    pub(super) inspected: Option<&'static str>,
    pub(super) name: Option<Cow<'a, str>>,
    pub(super) values: ResourceValues<'a>,
    /// The text of `values`, checked, when the fast reader read it.
    pub(super) values_text: Option<&'a str>,
}

impl<'a> RawResource<'a> {
    /// A resource as a reader found it. An inspected one's address and name are copied out of
    /// the document now, while the reader has them in cache: the plan's resources are
    /// collected after the whole document is read, when its text has long left the cache.
    pub(super) fn new(
        address: Cow<'a, str>,
        mode: Option<&str>,
        kind: &str,
        name: Option<Cow<'a, str>>,
        values: ResourceValues<'a>,
    ) -> Self {
        let inspected = inspected_kind(kind);
        let own = |text: Cow<'a, str>| match inspected {
            Some(_) => Cow::Owned(text.into_owned()),
            None => text,
        };
        RawResource {
            address: own(address),
            data: mode == Some("data"),
            inspected,
            name: name.map(own),
            values,
            values_text: None,
        }
    }
}

/// A resource's `values`, as far as they were read.
pub(super) enum ResourceValues<'a> {
    /// Missing, `null`, or skipped because the type is not inspected.
    Absent,
    /// Split into attributes in the document pass.
    Fields(Fields<'a>),
    /// Not an object: the kind of value found.
    Not(&'static str),
    /// Met before the resource's `type` (JSON does not fix the order), so kept whole.
    Raw(Raw<'a>),
}

impl<'de: 'a, 'a> Deserialize<'de> for RawResource<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RawResourceVisitor)
    }
}

struct RawResourceVisitor;

impl<'de> Visitor<'de> for RawResourceVisitor {
    type Value = RawResource<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a resource object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let (mut address, mut mode, mut kind, mut name) = (None, None, None, None);
        let mut values = ResourceValues::Absent;
        while let Some(Text(key)) = map.next_key()? {
            match key.as_ref() {
                "address" => address = Some(map.next_value::<Text<'de>>()?.0),
                "mode" => mode = map.next_value::<Option<Text<'de>>>()?.map(|t| t.0),
                "type" => kind = Some(map.next_value::<Text<'de>>()?.0),
                "name" => name = map.next_value::<Option<Text<'de>>>()?.map(|t| t.0),
                "values" => {
                    values = match kind.as_deref() {
                        Some(k) if is_inspected(k) => match map.next_value()? {
                            ObjectOr::Object(fields) => ResourceValues::Fields(fields),
                            ObjectOr::Not(kind) => ResourceValues::Not(kind),
                        },
                        Some(_) => {
                            map.next_value::<IgnoredAny>()?;
                            ResourceValues::Absent
                        }
                        None => ResourceValues::Raw(map.next_value()?),
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let address = address.ok_or_else(|| M::Error::missing_field("address"))?;
        let kind = kind.ok_or_else(|| M::Error::missing_field("type"))?;
        Ok(RawResource::new(
            address,
            mode.as_deref(),
            &kind,
            name,
            values,
        ))
    }
}

#[derive(Deserialize)]
pub(super) struct ResourceChange<'a> {
    #[serde(borrow)]
    pub(super) address: Cow<'a, str>,
    #[serde(default, rename = "type", borrow)]
    pub(super) kind: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub(super) change: Change<'a>,
}

#[derive(Deserialize, Default)]
pub(super) struct Change<'a> {
    #[serde(default, borrow)]
    pub(super) after_unknown: Option<Mask<'a>>,
}

/// A planned change's `after_unknown`, as far as it was read.
#[derive(Clone)]
pub(super) enum Mask<'a> {
    /// Kept whole (serde's reading), split when the resource is collected.
    Raw(Raw<'a>),
    /// Split into members in the document pass (the fast reader, for an object).
    Fields(Fields<'a>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Mask<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Raw::deserialize(deserializer).map(Mask::Raw)
    }
}
