//! End-to-end against a local moto server: connect, parameter group lifecycle, tags, and a
//! configure-time failure on an unreachable endpoint.
//!
//! Each test starts its own moto on a free loopback port (see `support`), so tests are isolated
//! and can run in parallel.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::time::{Duration, Instant};

use dbrail_aws::rds::{
    self, ApplyMethod, GroupKind, MAX_PARAMETERS_PER_CALL, ParameterGroupSpec, ParameterReset,
    ParameterUpdate, Tags,
};
use dbrail_aws::{CancellationToken, Clients, ConfigError, Deadline, IDENTITY_TIMEOUT, connect};
use support::{Moto, free_port, settings_for};

const STEP: Duration = Duration::from_secs(60);

fn deadline() -> Deadline {
    Deadline::from_timeout(STEP)
}

async fn connected(moto: &Moto) -> Clients {
    connect(&moto.settings(), &CancellationToken::new())
        .await
        .unwrap_or_else(|e| panic!("connect to moto failed: {e} ({:?}) — {}", e, e.hint()))
}

fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn updates(range: std::ops::Range<usize>) -> Vec<ParameterUpdate> {
    range
        .map(|i| ParameterUpdate {
            name: format!("dbrail.param_{i:02}"),
            value: format!("value-{i}"),
            apply_method: if i % 2 == 0 {
                ApplyMethod::Immediate
            } else {
                ApplyMethod::PendingReboot
            },
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_resolves_moto_account_and_partition() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    assert_eq!(clients.account_id, "123456789012");
    assert_eq!(clients.partition, "aws");
    assert_eq!(clients.region, "us-east-1");
    assert_eq!(clients.caller_arn, "arn:aws:sts::123456789012:user/moto");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_parameter_group_lifecycle() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let rds_client = &clients.rds;
    let cancel = CancellationToken::new();
    let kind = GroupKind::Cluster;
    let name = "dbrail-it-cluster-pg";

    // Create, with tags.
    let spec = ParameterGroupSpec {
        name: name.into(),
        family: "aurora-postgresql16".into(),
        description: "dbrail integration test".into(),
        tags: tags(&[("env", "test"), ("owner", "dbrail")]),
    };
    let created = rds::create_parameter_group(rds_client, kind, &spec, deadline(), &cancel)
        .await
        .unwrap();
    assert_eq!(created.name, name);
    assert_eq!(created.family, "aurora-postgresql16");
    assert_eq!(created.description, "dbrail integration test");
    assert!(
        created.arn.ends_with(&format!(":cluster-pg:{name}")),
        "{}",
        created.arn
    );

    // Creating it again is AlreadyExists.
    let again = rds::create_parameter_group(rds_client, kind, &spec, deadline(), &cancel)
        .await
        .unwrap_err();
    assert!(again.is_already_exists(), "{again:?}");

    // Find (case-insensitively, like AWS).
    let found = rds::find_parameter_group(
        rds_client,
        kind,
        "DBRAIL-IT-CLUSTER-PG",
        deadline(),
        &cancel,
    )
    .await
    .unwrap()
    .expect("group should exist");
    assert_eq!(found, created);

    // Modify 25 parameters in two batches (20 + 5); the caller batches.
    let all = updates(0..25);
    for batch in all.chunks(MAX_PARAMETERS_PER_CALL) {
        rds::modify_parameters(rds_client, kind, name, batch, deadline(), &cancel)
            .await
            .unwrap();
    }
    // Oversized batches are refused before any call.
    let too_many = updates(0..21);
    let refused = rds::modify_parameters(rds_client, kind, name, &too_many, deadline(), &cancel)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("at most 20"), "{refused}");

    // List user parameters.
    let listed = rds::list_user_parameters(rds_client, kind, name, deadline(), &cancel)
        .await
        .unwrap();
    assert_eq!(listed.len(), 25, "{listed:?}");
    for (param, expected) in listed.iter().zip(&all) {
        assert_eq!(param.name, expected.name);
        assert_eq!(param.value.as_deref(), Some(expected.value.as_str()));
        assert_eq!(
            param.apply_method.as_deref(),
            Some(expected.apply_method.as_str())
        );
    }

    // Reset five of them (parameters removed from configuration).
    let resets: Vec<ParameterReset> = all[20..]
        .iter()
        .map(|p| ParameterReset {
            name: p.name.clone(),
            apply_method: p.apply_method,
        })
        .collect();
    rds::reset_parameters(rds_client, kind, name, &resets, deadline(), &cancel)
        .await
        .unwrap();
    let after_reset = rds::list_user_parameters(rds_client, kind, name, deadline(), &cancel)
        .await
        .unwrap();
    let names: Vec<&str> = after_reset.iter().map(|p| p.name.as_str()).collect();
    let expected: Vec<&str> = all[..20].iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, expected);

    // Tags: list, add, remove.
    let arn = &created.arn;
    assert_eq!(
        rds::list_tags(rds_client, arn, deadline(), &cancel)
            .await
            .unwrap(),
        tags(&[("env", "test"), ("owner", "dbrail")])
    );
    let current = rds::list_tags(rds_client, arn, deadline(), &cancel)
        .await
        .unwrap();
    let desired = tags(&[("env", "prod"), ("team", "db")]);
    let (upserts, removals) = rds::diff_tags(&current, &desired);
    rds::remove_tags(rds_client, arn, &removals, deadline(), &cancel)
        .await
        .unwrap();
    rds::add_tags(rds_client, arn, &upserts, deadline(), &cancel)
        .await
        .unwrap();
    assert_eq!(
        rds::list_tags(rds_client, arn, deadline(), &cancel)
            .await
            .unwrap(),
        desired
    );

    // Delete; find is now NotFound; delete again is a no-op; listing parameters is NotFound.
    rds::delete_parameter_group(rds_client, kind, name, deadline(), &cancel)
        .await
        .unwrap();
    assert_eq!(
        rds::find_parameter_group(rds_client, kind, name, deadline(), &cancel)
            .await
            .unwrap(),
        None
    );
    rds::delete_parameter_group(rds_client, kind, name, deadline(), &cancel)
        .await
        .unwrap();
    let gone = rds::list_user_parameters(rds_client, kind, name, deadline(), &cancel)
        .await
        .unwrap_err();
    assert!(gone.is_not_found(), "{gone:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instance_parameter_group_lifecycle() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let rds_client = &clients.rds;
    let cancel = CancellationToken::new();
    let kind = GroupKind::Instance;
    let name = "dbrail-it-instance-pg";

    let spec = ParameterGroupSpec {
        name: name.into(),
        family: "aurora-mysql8.0".into(),
        description: "dbrail instance group".into(),
        tags: Tags::new(),
    };
    let created = rds::create_parameter_group(rds_client, kind, &spec, deadline(), &cancel)
        .await
        .unwrap();
    assert_eq!(created.kind, GroupKind::Instance);
    assert_eq!(created.family, "aurora-mysql8.0");
    assert!(
        created.arn.ends_with(&format!(":pg:{name}")),
        "{}",
        created.arn
    );
    assert!(
        rds::list_tags(rds_client, &created.arn, deadline(), &cancel)
            .await
            .unwrap()
            .is_empty()
    );

    let all = updates(0..3);
    rds::modify_parameters(rds_client, kind, name, &all, deadline(), &cancel)
        .await
        .unwrap();
    let reset = [ParameterReset {
        name: all[1].name.clone(),
        apply_method: ApplyMethod::PendingReboot,
    }];
    rds::reset_parameters(rds_client, kind, name, &reset, deadline(), &cancel)
        .await
        .unwrap();
    let listed = rds::list_user_parameters(rds_client, kind, name, deadline(), &cancel)
        .await
        .unwrap();
    let names: Vec<&str> = listed.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec![all[0].name.as_str(), all[2].name.as_str()]);

    rds::delete_parameter_group(rds_client, kind, name, deadline(), &cancel)
        .await
        .unwrap();
    assert_eq!(
        rds::find_parameter_group(rds_client, kind, name, deadline(), &cancel)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_operation_stops_promptly() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let cancel = CancellationToken::new();
    cancel.cancel();
    let err = rds::find_parameter_group(&clients.rds, GroupKind::Cluster, "x", deadline(), &cancel)
        .await
        .unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_endpoint_is_a_config_error_within_the_bound() {
    // Nothing listens on this port: connections are refused.
    let closed = format!("http://127.0.0.1:{}", free_port());
    let settings = settings_for(&closed);
    let start = Instant::now();
    let err = connect(&settings, &CancellationToken::new())
        .await
        .expect_err("connect must fail against a closed port");
    let elapsed = start.elapsed();
    assert!(
        elapsed <= IDENTITY_TIMEOUT + Duration::from_secs(5),
        "took {elapsed:?}"
    );
    assert!(matches!(err, ConfigError::Unreachable { .. }), "{err:?}");
    assert_eq!(err.attribute(), Some("endpoints.sts"));
    let text = err.to_string();
    assert!(text.contains(&closed), "{text}");
    assert!(err.hint().contains("endpoints.sts"), "{}", err.hint());
    // Never leak the secret.
    assert!(!format!("{err:?}").contains("testing"), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_interrupts_connect() {
    // A listener that accepts but never answers: connect would wait for the bound.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let settings = settings_for(&endpoint);
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        trigger.cancel();
    });
    let start = Instant::now();
    let err = connect(&settings, &cancel).await.unwrap_err();
    assert_eq!(err, ConfigError::Cancelled);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    drop(listener);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assume_role_goes_through_the_sts_endpoint_override() {
    let moto = Moto::start();
    let mut settings = moto.settings();
    settings.assume_role = Some(dbrail_aws::AssumeRole {
        role_arn: "arn:aws:iam::123456789012:role/dbrail-deployer".into(),
        session_name: Some("dbrail-it".into()),
        external_id: Some("ext-123".into()),
    });
    let clients = connect(&settings, &CancellationToken::new())
        .await
        .unwrap_or_else(|e| panic!("{e}: {}", e.hint()));
    assert_eq!(clients.account_id, "123456789012");
    assert_eq!(clients.partition, "aws");
    assert!(
        clients
            .caller_arn
            .contains(":assumed-role/dbrail-deployer/dbrail-it"),
        "{}",
        clients.caller_arn
    );
    // The assumed identity is used for service calls too.
    let found = rds::find_parameter_group(
        &clients.rds,
        GroupKind::Cluster,
        "absent",
        deadline(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(found, None);
}
