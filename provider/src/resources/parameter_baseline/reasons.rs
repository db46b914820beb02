//! Override reasons recorded as tags on the parameter group.
//!
//! Auditors reading the AWS console see why each parameter departs from the baseline, and
//! `terraform import` recovers reasons exactly, so an imported baseline plans clean.

pub(crate) use crate::tag_text::{MAX_TAG_VALUE, decode, encode};
use std::collections::BTreeMap;

/// Prefix of reason tags; such tags are dbrail's and never reported as user tags.
pub(crate) const TAG_PREFIX: &str = "dbrail:override:";

/// The tag key for a parameter's reason.
pub(crate) fn key(parameter: &str) -> String {
    format!("{TAG_PREFIX}{parameter}")
}

/// Reasons found in a group's tags, by parameter name.
pub(crate) fn from_tags(tags: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|(k, v)| {
            k.strip_prefix(TAG_PREFIX)
                .map(|p| (p.to_owned(), decode(v)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_reasons_from_tags_only_under_the_prefix() {
        let tags = BTreeMap::from([
            (key("log_min_duration_statement"), encode("p99, 500 ms")),
            ("team".to_owned(), "payments".to_owned()),
        ]);
        let reasons = from_tags(&tags);
        assert_eq!(reasons.len(), 1);
        assert_eq!(reasons["log_min_duration_statement"], "p99, 500 ms");
    }
}
