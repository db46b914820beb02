//! DB cluster snapshots: find one by identifier.
//!
//! dbrail always deletes a cluster with a final snapshot (Aurora's automated backups expire
//! with the cluster), and it must be able to show that the snapshot exists, is
//! encrypted and with which key (guardrail G2) before it reports the destroy as done; see
//! [`super::wait_for_cluster_snapshot_available`].
//!
//! ## What the moto emulator does (moto 5.2.1, `moto/rds/`)
//! - A final snapshot from `DeleteDBCluster` is a `manual` snapshot, `available` at once (AWS:
//!   `creating` for minutes), with the cluster's `StorageEncrypted`, `KmsKeyId`, engine
//!   version and — with `CopyTagsToSnapshot` — its tags. Identifiers are lower-cased.
//! - An unknown identifier answers `DBClusterSnapshotNotFoundFault`, as on AWS.
//! - Every cluster create also stores an `automated` snapshot `rds:<cluster>-<YYYY-MM-DD-HH-MM>`.

use aws_sdk_rds::types::DbClusterSnapshot;
use tokio_util::sync::CancellationToken;

use super::common::{owned, owned_opt, rfc3339, same_id};
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::{AwsError, OperationError};
use crate::retry::retry;

/// A DB cluster snapshot as AWS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSnapshot {
    /// Snapshot identifier.
    pub identifier: String,
    /// ARN.
    pub arn: String,
    /// The cluster it was taken from.
    pub cluster_identifier: String,
    /// `available`, `creating`, `copying`, ...
    pub status: String,
    /// `manual`, `automated`, `shared`, ...
    pub snapshot_type: Option<String>,
    /// Whether the snapshot is encrypted.
    pub encrypted: bool,
    /// Its KMS key.
    pub kms_key_id: Option<String>,
    /// Engine.
    pub engine: Option<String>,
    /// Engine version.
    pub engine_version: Option<String>,
    /// When it was taken, RFC 3339 (`2024-05-01T12:00:00Z`).
    pub created_at: Option<String>,
}

pub(crate) fn from_sdk(s: &DbClusterSnapshot) -> ClusterSnapshot {
    ClusterSnapshot {
        identifier: owned(s.db_cluster_snapshot_identifier()),
        arn: owned(s.db_cluster_snapshot_arn()),
        cluster_identifier: owned(s.db_cluster_identifier()),
        status: owned(s.status()),
        snapshot_type: owned_opt(s.snapshot_type()),
        encrypted: s.storage_encrypted().unwrap_or(false),
        kms_key_id: owned_opt(s.kms_key_id()),
        engine: owned_opt(s.engine()),
        engine_version: owned_opt(s.engine_version()),
        created_at: rfc3339(s.snapshot_create_time()),
    }
}

/// One `DescribeDBClusterSnapshots` call: `Ok(None)` when the snapshot does not exist.
pub(crate) async fn describe_cluster_snapshot(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
) -> Result<Option<ClusterSnapshot>, AwsError> {
    const OP: &str = "DescribeDBClusterSnapshots";
    match rds
        .describe_db_cluster_snapshots()
        .db_cluster_snapshot_identifier(identifier)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .db_cluster_snapshots()
            .iter()
            .map(from_sdk)
            .find(|s| same_id(&s.identifier, identifier) || s.arn == identifier)),
        Err(e) => {
            let err = classify(OP, e);
            if err.is_not_found() {
                Ok(None)
            } else {
                Err(err)
            }
        }
    }
}

/// Looks a cluster snapshot up by identifier (or ARN); `Ok(None)` when it does not exist.
pub async fn find_cluster_snapshot(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<ClusterSnapshot>, OperationError> {
    retry("DescribeDBClusterSnapshots", deadline, cancel, || {
        describe_cluster_snapshot(rds, identifier)
    })
    .await
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use aws_smithy_types::DateTime;

    use super::*;

    #[test]
    fn sdk_snapshot_converts() {
        let s = DbClusterSnapshot::builder()
            .db_cluster_snapshot_identifier("orders-final")
            .db_cluster_snapshot_arn(
                "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:orders-final",
            )
            .db_cluster_identifier("orders")
            .status("creating")
            .snapshot_type("manual")
            .storage_encrypted(true)
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k")
            .engine("aurora-postgresql")
            .engine_version("16.4")
            .snapshot_create_time(DateTime::from_secs(1_714_564_800))
            .build();
        let got = from_sdk(&s);
        assert_eq!(got.identifier, "orders-final");
        assert_eq!(got.cluster_identifier, "orders");
        assert_eq!(got.status, "creating");
        assert!(got.encrypted);
        assert_eq!(
            got.kms_key_id.as_deref(),
            Some("arn:aws:kms:us-east-1:123456789012:key/k")
        );
        assert_eq!(got.created_at.as_deref(), Some("2024-05-01T12:00:00Z"));
        let bare = from_sdk(&DbClusterSnapshot::builder().build());
        assert!(!bare.encrypted);
        assert_eq!(bare.created_at, None);
    }
}
