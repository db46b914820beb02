//! Waiting for clusters, instances and snapshots to become available or to disappear.
//!
//! Every waiter is [`crate::wait_for`] around one describe call, so it shares the caller's
//! [`Deadline`] (create a cluster, wait, create the writer, wait, create readers, wait: one
//! budget, the resource's timeout) and stops promptly on cancellation. Throttling and transient
//! errors while polling keep the wait going.
//!
//! Why the details are what they are:
//! - **Available means settled.** A cluster counts as available only with status `available`
//!   *and* no `PendingModifiedValues`: right after `ModifyDBCluster` AWS may still say
//!   `available` while the change is queued. Pending values also stay until the maintenance
//!   window for changes sent without `apply_immediately`, so wait only after immediate changes.
//!   Instances count as available on their status alone (their pending values routinely wait
//!   for the maintenance window).
//! - **Fail fast on dead ends.** A status that cannot turn into `available` on its own
//!   (`failed`, `incompatible-parameters`, `inaccessible-encryption-credentials`, `stopped`,
//!   `deleting`, ...) ends the wait with an error naming it, instead of burning the whole
//!   timeout. Unknown statuses keep the wait going: AWS adds new transitional states.
//! - **Brief absence is tolerated.** Right after a create AWS may not list the new resource
//!   yet; a waiter for availability accepts a few consecutive "not found" answers before it
//!   believes them (see `NOT_FOUND_CHECKS`), so a resource deleted out of band still ends the
//!   wait early.
//! - **Gone means not found.** Deletion waiters finish when the describe call answers
//!   not-found; every status until then (`deleting`, or even `available` while AWS has not
//!   started) keeps the wait going.
//!
//! Busy errors from the operations themselves (`InvalidDBClusterStateFault`,
//! `InvalidDBInstanceState`, `InvalidDBSubnetGroupStateFault`,
//! `InvalidDBClusterSnapshotStateFault`) are classified `Busy` by [`crate::classify`] and
//! retried within the deadline by [`crate::retry`]; the tests below pin that down.
//!
//! With moto every waiter finishes on its first poll: clusters, instances and snapshots are
//! `available` at once and deletions are immediate (see the `cluster`, `instance` and
//! `snapshot` modules).

use tokio_util::sync::CancellationToken;

use super::cluster::{Cluster, describe_cluster};
use super::common::Misses;
use super::instance::{Instance, describe_instance, fill_writer};
use super::snapshot::{ClusterSnapshot, describe_cluster_snapshot};
use crate::deadline::Deadline;
use crate::error::{AwsError, ErrorClass, OperationError};
use crate::wait::wait_for;

/// Cluster statuses from which `available` is not reached without someone acting.
const CLUSTER_DEAD_ENDS: &[&str] = &[
    "cloning-failed",
    "deleting",
    "failed",
    "inaccessible-encryption-credentials",
    "inaccessible-encryption-credentials-recoverable",
    "incompatible-network",
    "incompatible-parameters",
    "migration-failed",
    "stopped",
    "stopping",
];

/// Instance statuses from which `available` is not reached without someone acting.
const INSTANCE_DEAD_ENDS: &[&str] = &[
    "delete-precheck",
    "deleting",
    "failed",
    "inaccessible-encryption-credentials",
    "inaccessible-encryption-credentials-recoverable",
    "incompatible-network",
    "incompatible-option-group",
    "incompatible-parameters",
    "incompatible-restore",
    "insufficient-capacity",
    "restore-error",
    "stopped",
    "stopping",
    "storage-full",
];

/// Snapshot statuses that will not become `available`.
const SNAPSHOT_DEAD_ENDS: &[&str] = &["failed", "deleting"];

/// One poll of an availability waiter, decided from what the describe call found.
fn available_step<T>(
    operation: &'static str,
    what: &str,
    found: Option<T>,
    misses: &Misses,
    dead_ends: &[&str],
    status: impl Fn(&T) -> &str,
    ready: impl Fn(&T) -> bool,
) -> Result<Option<T>, AwsError> {
    let Some(item) = found else {
        return if misses.missed() {
            Err(AwsError::new(operation, ErrorClass::NotFound)
                .with_message(format!("{what} not found while waiting for it")))
        } else {
            Ok(None)
        };
    };
    misses.found();
    if ready(&item) {
        return Ok(Some(item));
    }
    let current = status(&item);
    if dead_ends.contains(&current) {
        return Err(
            AwsError::new(operation, ErrorClass::Other).with_message(format!(
                "{what} is in status `{current}` and will not become available on its own"
            )),
        );
    }
    Ok(None)
}

/// One poll of a deletion waiter: done once the resource is gone.
fn deleted_step<T>(found: Option<T>) -> Option<()> {
    found.is_none().then_some(())
}

/// Waits until the cluster is `available` with no pending modifications; returns it.
pub async fn wait_for_cluster_available(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Cluster, OperationError> {
    let what = format!("DB cluster {identifier}");
    let misses = Misses::default();
    wait_for(
        format!("{what} to become available"),
        deadline,
        cancel,
        || {
            let (what, misses) = (&what, &misses);
            async move {
                let found = describe_cluster(rds, identifier).await?;
                available_step(
                    "DescribeDBClusters",
                    what,
                    found,
                    misses,
                    CLUSTER_DEAD_ENDS,
                    |c| c.status.as_str(),
                    Cluster::is_available,
                )
            }
        },
    )
    .await
}

/// Waits until the instance is `available`; returns it, with `is_writer` from its cluster.
pub async fn wait_for_instance_available(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Instance, OperationError> {
    let what = format!("DB instance {identifier}");
    let misses = Misses::default();
    let mut instance = wait_for(
        format!("{what} to become available"),
        deadline,
        cancel,
        || {
            let (what, misses) = (&what, &misses);
            async move {
                let found = describe_instance(rds, identifier).await?;
                available_step(
                    "DescribeDBInstances",
                    what,
                    found,
                    misses,
                    INSTANCE_DEAD_ENDS,
                    |i| i.status.as_str(),
                    |i| i.status == "available",
                )
            }
        },
    )
    .await?;
    fill_writer(rds, &mut instance, deadline, cancel).await?;
    Ok(instance)
}

/// Waits until the cluster snapshot is `available`; returns it.
pub async fn wait_for_cluster_snapshot_available(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<ClusterSnapshot, OperationError> {
    let what = format!("DB cluster snapshot {identifier}");
    let misses = Misses::default();
    wait_for(
        format!("{what} to become available"),
        deadline,
        cancel,
        || {
            let (what, misses) = (&what, &misses);
            async move {
                let found = describe_cluster_snapshot(rds, identifier).await?;
                available_step(
                    "DescribeDBClusterSnapshots",
                    what,
                    found,
                    misses,
                    SNAPSHOT_DEAD_ENDS,
                    |s| s.status.as_str(),
                    |s| s.status == "available",
                )
            }
        },
    )
    .await
}

/// Waits until the cluster no longer exists.
pub async fn wait_for_cluster_deleted(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    wait_for(
        format!("DB cluster {identifier} to be deleted"),
        deadline,
        cancel,
        || async move { Ok(deleted_step(describe_cluster(rds, identifier).await?)) },
    )
    .await
}

/// Waits until the instance no longer exists.
pub async fn wait_for_instance_deleted(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    wait_for(
        format!("DB instance {identifier} to be deleted"),
        deadline,
        cancel,
        || async move { Ok(deleted_step(describe_instance(rds, identifier).await?)) },
    )
    .await
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::common::NOT_FOUND_CHECKS;
    use super::*;
    use crate::classify::class_for_code;

    #[derive(Debug, PartialEq)]
    struct Item {
        status: &'static str,
        pending: bool,
    }

    fn step(found: Option<Item>, misses: &Misses) -> Result<Option<Item>, AwsError> {
        available_step(
            "DescribeDBClusters",
            "DB cluster orders",
            found,
            misses,
            CLUSTER_DEAD_ENDS,
            |i| i.status,
            |i| i.status == "available" && !i.pending,
        )
    }

    #[test]
    fn available_and_settled_is_done() {
        let misses = Misses::default();
        let done = step(
            Some(Item {
                status: "available",
                pending: false,
            }),
            &misses,
        )
        .unwrap();
        assert!(done.is_some());
    }

    #[test]
    fn transitional_and_pending_keep_waiting() {
        let misses = Misses::default();
        for status in [
            "creating",
            "modifying",
            "backing-up",
            "upgrading",
            "brand-new-state",
        ] {
            let got = step(
                Some(Item {
                    status,
                    pending: false,
                }),
                &misses,
            );
            assert_eq!(got, Ok(None), "{status}");
        }
        let queued = step(
            Some(Item {
                status: "available",
                pending: true,
            }),
            &misses,
        );
        assert_eq!(queued, Ok(None));
    }

    #[test]
    fn dead_ends_fail_fast_naming_the_status() {
        let misses = Misses::default();
        let err = step(
            Some(Item {
                status: "incompatible-parameters",
                pending: false,
            }),
            &misses,
        )
        .unwrap_err();
        assert_eq!(err.class, ErrorClass::Other);
        assert!(!err.is_retryable());
        let text = err.to_string();
        assert!(text.contains("DB cluster orders"), "{text}");
        assert!(text.contains("`incompatible-parameters`"), "{text}");
    }

    #[test]
    fn absence_is_tolerated_then_believed() {
        let misses = Misses::default();
        for _ in 1..NOT_FOUND_CHECKS {
            assert_eq!(step(None, &misses), Ok(None));
        }
        // Seeing it resets the count.
        assert_eq!(
            step(
                Some(Item {
                    status: "creating",
                    pending: false
                }),
                &misses
            ),
            Ok(None)
        );
        for _ in 1..NOT_FOUND_CHECKS {
            assert_eq!(step(None, &misses), Ok(None));
        }
        let err = step(None, &misses).unwrap_err();
        assert!(err.is_not_found(), "{err:?}");
    }

    #[test]
    fn deletion_is_done_when_gone() {
        assert_eq!(deleted_step(None::<Item>), Some(()));
        assert_eq!(
            deleted_step(Some(Item {
                status: "deleting",
                pending: false
            })),
            None
        );
    }

    #[test]
    fn dead_end_tables_never_contain_the_target() {
        for table in [CLUSTER_DEAD_ENDS, INSTANCE_DEAD_ENDS, SNAPSHOT_DEAD_ENDS] {
            assert!(!table.contains(&"available"));
        }
    }

    /// The operations here rely on these codes being retried (Busy) or mapped to "absent".
    #[test]
    fn cluster_lifecycle_codes_are_classified() {
        for code in [
            "InvalidDBClusterStateFault",
            "InvalidDBInstanceState",
            "InvalidDBSubnetGroupStateFault",
            "InvalidDBClusterSnapshotStateFault",
        ] {
            assert_eq!(class_for_code(code), Some(ErrorClass::Busy), "{code}");
            assert!(ErrorClass::Busy.is_retryable());
        }
        for code in [
            "DBClusterNotFoundFault",
            "DBInstanceNotFound",
            "DBSubnetGroupNotFoundFault",
            "DBClusterSnapshotNotFoundFault",
        ] {
            assert_eq!(class_for_code(code), Some(ErrorClass::NotFound), "{code}");
        }
        for code in [
            "DBClusterAlreadyExistsFault",
            "DBInstanceAlreadyExists",
            "DBSubnetGroupAlreadyExists",
            "DBClusterSnapshotAlreadyExistsFault",
        ] {
            assert_eq!(
                class_for_code(code),
                Some(ErrorClass::AlreadyExists),
                "{code}"
            );
        }
        // Deletion protection and engine mismatches are the caller's to fix, not to wait out;
        // referenced resources that are missing or unusable do not mean "the cluster is gone".
        assert_eq!(
            class_for_code("InvalidParameterCombination"),
            Some(ErrorClass::Validation)
        );
        for code in [
            "KMSKeyNotAccessibleFault",
            "InvalidVPCNetworkStateFault",
            "InvalidSubnet",
            "DBSubnetGroupDoesNotCoverEnoughAZs",
            "InsufficientDBInstanceCapacity",
        ] {
            assert_eq!(class_for_code(code), None, "{code}");
        }
    }
}
