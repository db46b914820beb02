//! Creates whose answer is lost: the emulator made the resource, the connection closed before
//! the caller heard of it, and the retry meets `AlreadyExists`. That must adopt the resource
//! the lost attempt made, while a resource that existed before the first attempt stays a name
//! clash. The harness's fault proxy sits between the client and moto to lose the answer.
//! (Subnet groups take the same path, but moto accepts a duplicate `CreateDBSubnetGroup`, so
//! the emulator cannot tell; see the acceptance-test README.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::Duration;

use dbrail_acceptance_tests::Emulator;
use dbrail_acceptance_tests::faults::{Calls, Fault, FaultPlan, FaultProxy, Trigger};
use dbrail_aws::rds::{self, GroupKind, ParameterGroupSpec, Tags};
use dbrail_aws::{CancellationToken, Clients, Deadline, connect};
use support::settings_for;

fn deadline() -> Deadline {
    Deadline::from_timeout(Duration::from_secs(60))
}

/// A client whose every call goes through a proxy that loses the first answer of `operation`.
async fn losing_first_answer_of(emulator: &Emulator, operation: &str) -> (Clients, FaultProxy) {
    let proxy = FaultProxy::start(
        emulator,
        FaultPlan::none().rule(
            Fault::LoseResponse,
            Calls::only([operation]),
            Trigger::FirstN(1),
        ),
    )
    .unwrap();
    let clients = connect(&settings_for(&proxy.endpoint()), &CancellationToken::new())
        .await
        .unwrap_or_else(|e| panic!("connect through the proxy failed: {e}"));
    (clients, proxy)
}

fn group_spec(name: &str) -> ParameterGroupSpec {
    ParameterGroupSpec {
        name: name.to_owned(),
        family: "aurora-postgresql16".to_owned(),
        description: "dbrail parameter baseline for aurora-postgresql16".to_owned(),
        tags: Tags::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parameter_group_whose_answer_was_lost_is_adopted() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("{e}"));
    for (kind, operation) in [
        (GroupKind::Cluster, "CreateDBClusterParameterGroup"),
        (GroupKind::Instance, "CreateDBParameterGroup"),
    ] {
        let (clients, proxy) = losing_first_answer_of(&emulator, operation).await;
        let name = format!("lost-{}", operation.len());
        let cancel = CancellationToken::new();
        let group = rds::create_parameter_group(
            &clients.rds,
            kind,
            &group_spec(&name),
            deadline(),
            &cancel,
        )
        .await
        .unwrap_or_else(|e| panic!("{operation}: {e}"));
        assert_eq!(group.name, name);
        let stats = proxy.stats();
        assert_eq!(stats.forwarded(operation), 2, "{stats:?}");
        assert_eq!(stats.injected_total(), 1, "{stats:?}");

        // A group that already existed before the first attempt is still a clash.
        let clash = rds::create_parameter_group(
            &clients.rds,
            kind,
            &group_spec(&name),
            deadline(),
            &cancel,
        )
        .await
        .expect_err("an existing group is not adopted by a fresh create");
        assert!(clash.is_already_exists(), "{clash:?}");
    }
}
