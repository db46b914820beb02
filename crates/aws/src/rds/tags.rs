//! RDS resource tags by ARN: list, add, remove, and the diff between current and desired.
//!
//! Tags are a sorted map so plans and state are deterministic. Updating is "remove keys that
//! went away, then add/overwrite the rest" — RDS `AddTagsToResource` overwrites values of
//! existing keys, so changed values need no removal first.
//!
//! moto 5.2.1 supports all three calls for parameter groups (ARN resource types `pg` and
//! `cluster-pg`), clusters (`cluster`), instances (`db`), subnet groups (`subgrp`) and cluster
//! snapshots (`cluster-snapshot`), but answers an unknown ARN with an empty list instead of a
//! not-found error. Clusters and instances also carry their tags in the describe answer's
//! `TagList`, which [`super::Cluster`] and [`super::Instance`] read, saving a call per Read.

use std::collections::BTreeMap;

use aws_sdk_rds::types::Tag;
use tokio_util::sync::CancellationToken;

use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::OperationError;
use crate::retry::retry;

/// Tags as key → value.
pub type Tags = BTreeMap<String, String>;

pub(crate) fn to_sdk_tags(tags: &Tags) -> Vec<Tag> {
    tags.iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// Tags from an SDK tag list (e.g. a `TagList` in a describe answer); keyless tags are dropped.
pub(crate) fn from_sdk_tags(tags: &[Tag]) -> Tags {
    tags.iter()
        .filter_map(|t| {
            let key = t.key()?;
            Some((key.to_owned(), t.value().unwrap_or_default().to_owned()))
        })
        .collect()
}

/// Lists the tags on an RDS resource.
pub async fn list_tags(
    rds: &aws_sdk_rds::Client,
    arn: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Tags, OperationError> {
    const OP: &str = "ListTagsForResource";
    retry(OP, deadline, cancel, || {
        let request = rds.list_tags_for_resource().resource_name(arn);
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            Ok(from_sdk_tags(out.tag_list()))
        }
    })
    .await
}

/// Adds tags to an RDS resource, overwriting values of existing keys. Empty `tags` does nothing.
pub async fn add_tags(
    rds: &aws_sdk_rds::Client,
    arn: &str,
    tags: &Tags,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "AddTagsToResource";
    if tags.is_empty() {
        return Ok(());
    }
    let sdk_tags = to_sdk_tags(tags);
    retry(OP, deadline, cancel, || {
        let request = rds
            .add_tags_to_resource()
            .resource_name(arn)
            .set_tags(Some(sdk_tags.clone()));
        async move {
            request.send().await.map_err(|e| classify(OP, e))?;
            Ok(())
        }
    })
    .await
}

/// Removes tag keys from an RDS resource. Empty `keys` does nothing.
pub async fn remove_tags(
    rds: &aws_sdk_rds::Client,
    arn: &str,
    keys: &[String],
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "RemoveTagsFromResource";
    if keys.is_empty() {
        return Ok(());
    }
    retry(OP, deadline, cancel, || {
        let request = rds
            .remove_tags_from_resource()
            .resource_name(arn)
            .set_tag_keys(Some(keys.to_vec()));
        async move {
            request.send().await.map_err(|e| classify(OP, e))?;
            Ok(())
        }
    })
    .await
}

/// What to change to go from `current` to `desired`: `(to_add_or_update, keys_to_remove)`.
pub fn diff_tags(current: &Tags, desired: &Tags) -> (Tags, Vec<String>) {
    let upserts = desired
        .iter()
        .filter(|(k, v)| current.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let removals = current
        .keys()
        .filter(|k| !desired.contains_key(*k))
        .cloned()
        .collect();
    (upserts, removals)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn diff_adds_changes_and_removes() {
        let current = tags(&[("env", "dev"), ("team", "db"), ("old", "x")]);
        let desired = tags(&[("env", "prod"), ("team", "db"), ("new", "y")]);
        let (upserts, removals) = diff_tags(&current, &desired);
        assert_eq!(upserts, tags(&[("env", "prod"), ("new", "y")]));
        assert_eq!(removals, vec!["old".to_owned()]);
    }

    #[test]
    fn diff_of_equal_maps_is_empty() {
        let t = tags(&[("a", "1")]);
        let (upserts, removals) = diff_tags(&t, &t);
        assert!(upserts.is_empty());
        assert!(removals.is_empty());
    }

    #[test]
    fn sdk_tags_round_trip() {
        let t = tags(&[("b", "2"), ("a", "")]);
        assert_eq!(from_sdk_tags(&to_sdk_tags(&t)), t);
        assert!(from_sdk_tags(&[Tag::builder().value("orphan").build()]).is_empty());
    }

    #[test]
    fn sdk_tags_keep_order() {
        let sdk = to_sdk_tags(&tags(&[("b", "2"), ("a", "1")]));
        let keys: Vec<_> = sdk.iter().filter_map(|t| t.key()).collect();
        assert_eq!(keys, vec!["a", "b"]);
    }
}
