//! What dbrail records on the cluster as tags: the tier, every waiver, and the backup policy
//! whose tag-based selection covers it.
//!
//! Auditors see exceptions where the database lives, and `terraform import` recovers the tier
//! and waivers exactly, so an imported cluster plans clean.

use super::super::backup_policy::POLICY_TAG;
pub(crate) use super::super::common::user_tags;
use super::model::{State, WaiverModel};
use crate::tag_text::{decode, encode};
use std::collections::BTreeMap;

/// The tier tag.
pub(crate) const TIER_TAG: &str = "dbrail:tier";
/// Prefix of waiver tags: `dbrail:waiver:<rule>` = `<expires> <reason>`.
pub(crate) const WAIVER_PREFIX: &str = "dbrail:waiver:";

/// dbrail's own tags for `state`.
pub(crate) fn dbrail_tags(state: &State) -> BTreeMap<String, String> {
    let mut tags = BTreeMap::from([(TIER_TAG.to_owned(), state.tier.clone())]);
    if let Some(policy) = &state.backup_policy {
        tags.insert(POLICY_TAG.to_owned(), policy.name.clone());
    }
    for waiver in state.waiver.iter().flatten() {
        tags.insert(
            format!("{WAIVER_PREFIX}{}", waiver.rule),
            encode(&format!("{} {}", waiver.expires, waiver.reason)),
        );
    }
    tags
}

/// The tier recorded on a cluster.
pub(crate) fn tier_from(tags: &BTreeMap<String, String>) -> Option<String> {
    tags.get(TIER_TAG).cloned()
}

/// The waivers recorded on a cluster, ordered by rule id.
pub(crate) fn waivers_from(tags: &BTreeMap<String, String>) -> Vec<WaiverModel> {
    tags.iter()
        .filter_map(|(k, v)| {
            let rule = k.strip_prefix(WAIVER_PREFIX)?;
            let text = decode(v);
            let (expires, reason) = text.split_once(' ')?;
            Some(WaiverModel {
                rule: rule.to_owned(),
                reason: reason.to_owned(),
                expires: expires.to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_policy_is_recorded_as_its_tag() {
        let state = State {
            tier: "staging".into(),
            backup_policy: Some(super::super::model::BackupPolicyRef {
                name: "pci-gold".into(),
                retention_days: 35,
            }),
            ..State::default()
        };
        let tags = dbrail_tags(&state);
        assert_eq!(tags.get(POLICY_TAG).map(String::as_str), Some("pci-gold"));
        assert!(!dbrail_tags(&State::default()).contains_key(POLICY_TAG));
    }

    #[test]
    fn tier_and_waivers_round_trip() {
        let state = State {
            tier: "production".into(),
            waiver: Some(vec![WaiverModel {
                rule: "G12".into(),
                reason: "single-AZ until the new subnets land (CHG-7, approved)".into(),
                expires: "2027-01-31".into(),
            }]),
            ..State::default()
        };
        let tags = dbrail_tags(&state);
        assert_eq!(tier_from(&tags).as_deref(), Some("production"));
        assert_eq!(waivers_from(&tags), state.waiver.clone().unwrap());
    }
}
