//! End-to-end against the emulator (moto + dbrail's extensions): what the `dbrail_cluster`
//! resource does to AWS — subnet group, Aurora cluster, writer and readers, waiters, changes,
//! deletion with a final snapshot.
//!
//! Where moto differs from AWS the assertions say so (see the `//!` docs of
//! `src/rds/{cluster,instance,snapshot,subnet_group}.rs` and the acceptance-test README).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use dbrail_aws::rds::{
    self, ClusterChange, ClusterSpec, InstanceChange, InstanceSpec, SubnetGroupSpec, Tags,
};
use dbrail_aws::{CancellationToken, Clients, Deadline, OperationError, connect};
use support::Moto;

/// One budget for a whole scenario, like a resource's timeout.
const SCENARIO: Duration = Duration::from_secs(300);

async fn connected(moto: &Moto) -> Clients {
    connect(&moto.settings(), &CancellationToken::new())
        .await
        .unwrap_or_else(|e| panic!("connect to moto failed: {e} — {}", e.hint()))
}

fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// One raw AWS request to the emulator for `service` (`content_type` may carry further header
/// lines); the whole HTTP answer. moto routes by the credential scope and does not check
/// signatures.
fn raw_aws_request(endpoint: &str, service: &str, content_type: &str, body: &str) -> String {
    let addr = endpoint.trim_start_matches("http://");
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: {content_type}\r\n\
         Authorization: AWS4-HMAC-SHA256 \
         Credential=testing/20240101/us-east-1/{service}/aws4_request, \
         SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(addr).expect("connect to the emulator");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    raw
}

/// The emulator's default-VPC subnets as `(subnet id, availability zone)`, sorted by zone.
///
/// dbrail-aws has no EC2 client (the provider never creates networks), so this asks moto's EC2
/// query API directly.
fn default_subnets(endpoint: &str) -> Vec<(String, String)> {
    let raw = raw_aws_request(
        endpoint,
        "ec2",
        "application/x-www-form-urlencoded",
        "Action=DescribeSubnets&Version=2016-11-15",
    );
    let values = |tag: &str| -> Vec<String> {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        raw.split(&open)
            .skip(1)
            .filter_map(|rest| rest.split_once(&close).map(|(v, _)| v.to_owned()))
            .collect()
    };
    let ids = values("subnetId");
    let zones = values("availabilityZone");
    assert_eq!(
        ids.len(),
        zones.len(),
        "unexpected DescribeSubnets answer: {raw}"
    );
    assert!(ids.len() >= 3, "expected default subnets: {raw}");
    let mut subnets: Vec<(String, String)> = ids.into_iter().zip(zones).collect();
    subnets.sort_by(|a, b| a.1.cmp(&b.1));
    subnets
}

/// The ARN of the account's AWS-managed `aws/rds` KMS key, as KMS `DescribeKey` reports it: the
/// key RDS uses for Performance Insights when none is given. dbrail-aws has no KMS client, so
/// this asks moto's KMS JSON API directly.
fn aws_rds_key_arn(endpoint: &str) -> String {
    let raw = raw_aws_request(
        endpoint,
        "kms",
        "application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.DescribeKey",
        r#"{"KeyId":"alias/aws/rds"}"#,
    );
    let arn = raw
        .split_once("\"Arn\"")
        .and_then(|(_, rest)| rest.split_once(':'))
        .and_then(|(_, rest)| rest.trim_start().strip_prefix('"'))
        .and_then(|rest| rest.split_once('"'))
        .map(|(arn, _)| arn.to_owned());
    arn.unwrap_or_else(|| panic!("unexpected DescribeKey answer: {raw}"))
}

fn cluster_spec(identifier: &str, subnet_group: &str) -> ClusterSpec {
    ClusterSpec {
        identifier: identifier.into(),
        engine: "aurora-postgresql".into(),
        engine_version: Some("16.4".into()),
        database_name: Some("orders".into()),
        db_subnet_group_name: Some(subnet_group.into()),
        vpc_security_group_ids: vec!["sg-0123456789abcdef0".into()],
        kms_key_id: Some("arn:aws:kms:us-east-1:123456789012:key/orders".into()),
        master_username: "dbadmin".into(),
        master_user_secret_kms_key_id: None,
        port: Some(5433),
        backup_retention_period: Some(7),
        preferred_backup_window: Some("03:00-04:00".into()),
        preferred_maintenance_window: Some("sun:05:00-sun:06:00".into()),
        enabled_cloudwatch_logs_exports: vec!["postgresql".into()],
        deletion_protection: true,
        db_cluster_parameter_group_name: None,
        tags: tags(&[("env", "test"), ("owner", "dbrail")]),
    }
}

fn instance_spec(identifier: &str, cluster: &str, zone: &str, tier: i32) -> InstanceSpec {
    InstanceSpec {
        identifier: identifier.into(),
        cluster_identifier: cluster.into(),
        instance_class: "db.r6g.large".into(),
        engine: "aurora-postgresql".into(),
        availability_zone: Some(zone.into()),
        db_parameter_group_name: None,
        monitoring_interval: 0,
        monitoring_role_arn: None,
        performance_insights_enabled: true,
        performance_insights_kms_key_id: None,
        performance_insights_retention_period: Some(7),
        auto_minor_version_upgrade: true,
        promotion_tier: Some(tier),
        tags: tags(&[("env", "test")]),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subnet_group_lifecycle() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let rds_client = &clients.rds;
    let cancel = CancellationToken::new();
    let deadline = Deadline::from_timeout(SCENARIO);
    let subnets = default_subnets(&moto.endpoint);
    let ids: Vec<String> = subnets.iter().map(|(id, _)| id.clone()).collect();

    let spec = SubnetGroupSpec {
        name: "Orders-DB".into(),
        description: "orders database subnets".into(),
        subnet_ids: ids[..2].to_vec(),
        tags: tags(&[("env", "test")]),
    };
    let created = rds::create_subnet_group(rds_client, &spec, deadline, &cancel)
        .await
        .unwrap();
    assert_eq!(created.name, "orders-db", "AWS lower-cases names");
    assert_eq!(created.description, "orders database subnets");
    assert!(
        created.arn.ends_with(":subgrp:orders-db"),
        "{}",
        created.arn
    );
    assert_eq!(created.status.as_deref(), Some("Complete"));
    assert!(
        created
            .vpc_id
            .as_deref()
            .is_some_and(|v| v.starts_with("vpc-"))
    );
    let mut expected: Vec<String> = ids[..2].to_vec();
    expected.sort();
    assert_eq!(created.subnet_ids(), expected);
    assert_eq!(created.availability_zones().len(), 2);

    let found = rds::find_subnet_group(rds_client, "ORDERS-db", deadline, &cancel)
        .await
        .unwrap()
        .expect("subnet group should exist");
    assert_eq!(found, created);
    assert_eq!(
        rds::list_tags(rds_client, &found.arn, deadline, &cancel)
            .await
            .unwrap(),
        tags(&[("env", "test")])
    );

    // Subnets change in place.
    let modified =
        rds::modify_subnet_group(rds_client, "orders-db", &ids[..3], None, deadline, &cancel)
            .await
            .unwrap();
    assert_eq!(modified.subnets.len(), 3);
    assert_eq!(modified.availability_zones().len(), 3);
    assert_eq!(modified.description, "orders database subnets");

    rds::delete_subnet_group(rds_client, "orders-db", deadline, &cancel)
        .await
        .unwrap();
    assert_eq!(
        rds::find_subnet_group(rds_client, "orders-db", deadline, &cancel)
            .await
            .unwrap(),
        None
    );
    // Gone is fine.
    rds::delete_subnet_group(rds_client, "orders-db", deadline, &cancel)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_lifecycle_with_writer_readers_and_final_snapshot() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let rds_client = &clients.rds;
    let cancel = CancellationToken::new();
    // One deadline for the whole scenario, as a resource's create/delete would use.
    let deadline = Deadline::from_timeout(SCENARIO);
    let subnets = default_subnets(&moto.endpoint);

    let group = SubnetGroupSpec {
        name: "orders-db".into(),
        description: "orders".into(),
        subnet_ids: subnets[..3].iter().map(|(id, _)| id.clone()).collect(),
        tags: Tags::new(),
    };
    rds::create_subnet_group(rds_client, &group, deadline, &cancel)
        .await
        .unwrap();

    // --- create -------------------------------------------------------------------------
    let spec = cluster_spec("Orders", "orders-db");
    let created = rds::create_cluster(rds_client, &spec, deadline, &cancel)
        .await
        .unwrap();
    assert_eq!(created.identifier, "orders");
    assert_eq!(created.engine, "aurora-postgresql");
    assert_eq!(created.engine_version, "16.4");
    assert!(
        created.resource_id.starts_with("cluster-"),
        "{}",
        created.resource_id
    );
    assert_eq!(created.resource_id.len(), "cluster-".len() + 26);
    assert!(created.arn.ends_with(":cluster:orders"), "{}", created.arn);
    // Fixed by design.
    assert!(created.storage_encrypted);
    assert!(created.iam_database_authentication_enabled);
    assert!(created.copy_tags_to_snapshot);
    let secret = created
        .master_user_secret_arn
        .clone()
        .expect("a managed master password has a secret");
    assert!(
        secret.starts_with("arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-")
    );
    assert!(created.fixed_setting_drift().is_empty());

    let found = rds::find_cluster(rds_client, "orders", deadline, &cancel)
        .await
        .unwrap()
        .expect("cluster should exist");
    assert_eq!(found.resource_id, created.resource_id);
    let endpoint = found.endpoint.clone().unwrap();
    let reader_endpoint = found.reader_endpoint.clone().unwrap();
    assert!(endpoint.starts_with("orders.cluster-"), "{endpoint}");
    assert!(
        reader_endpoint.starts_with("orders.cluster-ro-"),
        "{reader_endpoint}"
    );
    assert_ne!(endpoint, reader_endpoint);
    assert_eq!(found.port, Some(5433));
    assert_eq!(found.master_username, "dbadmin");
    assert_eq!(found.database_name.as_deref(), Some("orders"));
    assert_eq!(
        found.kms_key_id.as_deref(),
        Some("arn:aws:kms:us-east-1:123456789012:key/orders")
    );
    assert!(found.deletion_protection);
    assert_eq!(found.backup_retention_period, Some(7));
    assert_eq!(
        found.preferred_backup_window.as_deref(),
        Some("03:00-04:00")
    );
    assert_eq!(
        found.preferred_maintenance_window.as_deref(),
        Some("sun:05:00-sun:06:00")
    );
    assert_eq!(found.enabled_cloudwatch_logs_exports, vec!["postgresql"]);
    assert_eq!(found.db_subnet_group.as_deref(), Some("orders-db"));
    assert_eq!(found.vpc_security_group_ids, vec!["sg-0123456789abcdef0"]);
    assert_eq!(
        found.master_user_secret_arn.as_deref(),
        Some(secret.as_str())
    );
    assert_eq!(found.availability_zones.len(), 3);
    assert!(found.members.is_empty());
    assert_eq!(found.tags, spec.tags);
    // moto flips `creating` to `available` on the first read.
    assert_eq!(found.status, "available");
    assert!(!found.has_pending_modifications);

    // Creating again adopts the same cluster (same resource id: nothing was replaced).
    let again = rds::create_cluster(rds_client, &spec, deadline, &cancel)
        .await
        .unwrap();
    assert_eq!(again.resource_id, created.resource_id);
    // Another engine under the same identifier is refused, and the cluster is untouched.
    let mysql = ClusterSpec {
        engine: "aurora-mysql".into(),
        ..spec.clone()
    };
    let refused = rds::create_cluster(rds_client, &mysql, deadline, &cancel)
        .await
        .unwrap_err();
    assert!(refused.is_already_exists(), "{refused:?}");
    assert!(
        refused.to_string().contains("aurora-postgresql"),
        "{refused}"
    );
    let still = rds::find_cluster(rds_client, "orders", deadline, &cancel)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.resource_id, created.resource_id);
    assert_eq!(still.master_user_secret_arn, created.master_user_secret_arn);

    // --- writer and two readers, one per AZ ----------------------------------------------
    let zones: Vec<String> = subnets[..3].iter().map(|(_, az)| az.clone()).collect();
    let names = ["orders-1", "orders-2", "orders-3"];
    for (tier, (name, zone)) in names.iter().zip(&zones).enumerate() {
        let tier = i32::try_from(tier).unwrap();
        let instance = rds::create_instance(
            rds_client,
            &instance_spec(name, "orders", zone, tier),
            deadline,
            &cancel,
        )
        .await
        .unwrap();
        assert_eq!(instance.identifier, *name);
        assert_eq!(instance.cluster_identifier.as_deref(), Some("orders"));
        assert!(!instance.publicly_accessible);
        assert_eq!(instance.is_writer, tier == 0, "{name}");
    }
    let cluster = rds::wait_for_cluster_available(rds_client, "orders", deadline, &cancel)
        .await
        .unwrap();
    assert!(cluster.is_available());
    assert_eq!(cluster.members.len(), 3);
    assert_eq!(
        cluster.writer().map(|w| w.instance_identifier.as_str()),
        Some("orders-1")
    );
    // Performance Insights enabled without a key uses the account's `aws/rds` key.
    let default_pi_key = aws_rds_key_arn(&moto.endpoint);
    assert!(
        default_pi_key.starts_with("arn:aws:kms:us-east-1:123456789012:key/"),
        "{default_pi_key}"
    );
    let mut placed = BTreeSet::new();
    for name in names {
        let instance = rds::wait_for_instance_available(rds_client, name, deadline, &cancel)
            .await
            .unwrap();
        assert_eq!(instance.status, "available");
        assert_eq!(instance.is_writer, name == "orders-1", "{name}");
        assert_eq!(instance.instance_class, "db.r6g.large");
        assert_eq!(instance.engine_version.as_deref(), Some("16.4"));
        assert!(instance.auto_minor_version_upgrade);
        assert!(instance.performance_insights_enabled, "{name}");
        assert_eq!(
            instance.performance_insights_kms_key_id.as_deref(),
            Some(default_pi_key.as_str()),
            "{name}"
        );
        assert_eq!(instance.performance_insights_retention_period, Some(7));
        assert_eq!(instance.monitoring_interval, 0);
        assert_eq!(instance.monitoring_role_arn, None);
        assert_eq!(instance.tags, tags(&[("env", "test")]));
        placed.insert(instance.availability_zone.unwrap());
    }
    assert_eq!(placed.len(), 3, "each instance in its own AZ: {placed:?}");

    let listed = rds::list_cluster_instances(rds_client, &cluster, deadline, &cancel)
        .await
        .unwrap();
    let listed_names: Vec<&str> = listed.iter().map(|i| i.identifier.as_str()).collect();
    assert_eq!(listed_names, names);
    assert_eq!(listed.iter().filter(|i| i.is_writer).count(), 1);

    // Creating an instance again adopts it; in another cluster it is refused.
    let adopted = rds::create_instance(
        rds_client,
        &instance_spec("orders-2", "orders", &zones[1], 1),
        deadline,
        &cancel,
    )
    .await
    .unwrap();
    assert_eq!(adopted.identifier, "orders-2");
    assert!(!adopted.is_writer);
    let elsewhere = rds::create_instance(
        rds_client,
        &instance_spec("orders-2", "payments", &zones[1], 1),
        deadline,
        &cancel,
    )
    .await
    .unwrap_err();
    assert!(elsewhere.is_already_exists(), "{elsewhere:?}");

    // --- deletion protection holds ---------------------------------------------------------
    let protected = rds::delete_cluster(
        rds_client,
        "orders",
        Some("orders-final"),
        deadline,
        &cancel,
    )
    .await
    .unwrap_err();
    assert!(
        protected.aws_error().is_some_and(|e| e.is_validation()),
        "{protected:?}"
    );

    // --- modify ---------------------------------------------------------------------------
    let current = rds::find_cluster(rds_client, "orders", deadline, &cancel)
        .await
        .unwrap()
        .unwrap();
    let change = ClusterChange {
        backup_retention_period: Some(14),
        log_exports: rds::diff_log_exports(
            &current.enabled_cloudwatch_logs_exports,
            &["postgresql".to_owned(), "instance".to_owned()],
        ),
        deletion_protection: Some(false),
        apply_immediately: true,
        ..ClusterChange::default()
    };
    assert_eq!(change.log_exports.enable, vec!["instance"]);
    assert!(change.log_exports.disable.is_empty());
    rds::modify_cluster(rds_client, "orders", &change, deadline, &cancel)
        .await
        .unwrap();
    let modified = rds::wait_for_cluster_available(rds_client, "orders", deadline, &cancel)
        .await
        .unwrap();
    assert_eq!(modified.backup_retention_period, Some(14));
    assert!(!modified.deletion_protection);
    // Aurora PostgreSQL exports `instance`, `postgresql` and `iam-db-auth-error` logs (not
    // `upgrade`, which is RDS for PostgreSQL's); read back sorted.
    assert_eq!(
        modified.enabled_cloudwatch_logs_exports,
        vec!["instance", "postgresql"]
    );
    assert_eq!(modified.resource_id, created.resource_id);

    // An instance parameter group is only accepted with a major upgrade; refused before sending.
    let refused = rds::modify_cluster(
        rds_client,
        "orders",
        &ClusterChange {
            db_instance_parameter_group_name: Some("orders-pg16-instance".into()),
            ..ClusterChange::default()
        },
        deadline,
        &cancel,
    )
    .await
    .unwrap_err();
    assert!(
        refused.aws_error().is_some_and(|e| e.is_validation()),
        "{refused:?}"
    );

    rds::modify_instance(
        rds_client,
        "orders-3",
        &InstanceChange {
            instance_class: Some("db.r6g.xlarge".into()),
            auto_minor_version_upgrade: Some(false),
            apply_immediately: true,
            ..InstanceChange::default()
        },
        deadline,
        &cancel,
    )
    .await
    .unwrap();
    let resized = rds::wait_for_instance_available(rds_client, "orders-3", deadline, &cancel)
        .await
        .unwrap();
    assert_eq!(resized.instance_class, "db.r6g.xlarge");
    assert!(!resized.auto_minor_version_upgrade);

    // --- a reader goes away -----------------------------------------------------------------
    rds::delete_instance(rds_client, "orders-3", deadline, &cancel)
        .await
        .unwrap();
    rds::wait_for_instance_deleted(rds_client, "orders-3", deadline, &cancel)
        .await
        .unwrap();
    assert_eq!(
        rds::find_instance(rds_client, "orders-3", deadline, &cancel)
            .await
            .unwrap(),
        None
    );
    rds::delete_instance(rds_client, "orders-3", deadline, &cancel)
        .await
        .unwrap();
    let cluster = rds::find_cluster(rds_client, "orders", deadline, &cancel)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cluster.members.len(), 2);
    assert!(cluster.is_writer("orders-1"));

    // --- delete ---------------------------------------------------------------------------
    // With members left, AWS (and moto) answer InvalidDBClusterStateFault: Busy, retried until
    // the deadline, which here is short.
    let busy = rds::delete_cluster(
        rds_client,
        "orders",
        Some("orders-final"),
        Deadline::from_timeout(Duration::from_secs(2)),
        &cancel,
    )
    .await
    .unwrap_err();
    match &busy {
        OperationError::DeadlineExceeded { last, .. } => assert_eq!(
            last.as_ref().and_then(|e| e.code.as_deref()),
            Some("InvalidDBClusterStateFault"),
            "{busy}"
        ),
        other => panic!("expected the busy cluster to be retried until the deadline: {other:?}"),
    }

    for name in ["orders-2", "orders-1"] {
        rds::delete_instance(rds_client, name, deadline, &cancel)
            .await
            .unwrap();
        rds::wait_for_instance_deleted(rds_client, name, deadline, &cancel)
            .await
            .unwrap();
    }
    rds::delete_cluster(
        rds_client,
        "orders",
        Some("orders-final"),
        deadline,
        &cancel,
    )
    .await
    .unwrap();
    rds::wait_for_cluster_deleted(rds_client, "orders", deadline, &cancel)
        .await
        .unwrap();
    assert_eq!(
        rds::find_cluster(rds_client, "orders", deadline, &cancel)
            .await
            .unwrap(),
        None
    );
    // Gone is fine.
    rds::delete_cluster(
        rds_client,
        "orders",
        Some("orders-final-2"),
        deadline,
        &cancel,
    )
    .await
    .unwrap();

    let snapshot =
        rds::wait_for_cluster_snapshot_available(rds_client, "orders-final", deadline, &cancel)
            .await
            .unwrap();
    assert_eq!(snapshot.identifier, "orders-final");
    assert_eq!(snapshot.cluster_identifier, "orders");
    assert_eq!(snapshot.status, "available");
    assert_eq!(snapshot.snapshot_type.as_deref(), Some("manual"));
    assert!(snapshot.encrypted);
    assert_eq!(
        snapshot.kms_key_id.as_deref(),
        Some("arn:aws:kms:us-east-1:123456789012:key/orders")
    );
    assert!(snapshot.created_at.is_some());
    let found = rds::find_cluster_snapshot(rds_client, "orders-final", deadline, &cancel)
        .await
        .unwrap();
    assert_eq!(found, Some(snapshot.clone()));
    // CopyTagsToSnapshot (fixed by design) put the cluster's tags on it.
    assert_eq!(
        rds::list_tags(rds_client, &snapshot.arn, deadline, &cancel)
            .await
            .unwrap(),
        spec.tags
    );
    assert_eq!(
        rds::find_cluster_snapshot(rds_client, "no-such-snapshot", deadline, &cancel)
            .await
            .unwrap(),
        None
    );

    rds::delete_subnet_group(rds_client, "orders-db", deadline, &cancel)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_things_read_as_absent() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let rds_client = &clients.rds;
    let cancel = CancellationToken::new();
    let deadline = Deadline::from_timeout(Duration::from_secs(60));

    assert_eq!(
        rds::find_cluster(rds_client, "absent", deadline, &cancel)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        rds::find_instance(rds_client, "absent", deadline, &cancel)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        rds::find_subnet_group(rds_client, "absent", deadline, &cancel)
            .await
            .unwrap(),
        None
    );
    // Deleting what is not there succeeds; waiting for it to be gone returns at once.
    rds::delete_cluster(rds_client, "absent", None, deadline, &cancel)
        .await
        .unwrap();
    rds::delete_instance(rds_client, "absent", deadline, &cancel)
        .await
        .unwrap();
    rds::wait_for_cluster_deleted(rds_client, "absent", deadline, &cancel)
        .await
        .unwrap();
    rds::wait_for_instance_deleted(rds_client, "absent", deadline, &cancel)
        .await
        .unwrap();
    // An instance needs its cluster.
    let orphan = rds::create_instance(
        rds_client,
        &instance_spec("orphan-1", "absent", "us-east-1a", 0),
        deadline,
        &cancel,
    )
    .await
    .unwrap_err();
    assert!(orphan.is_not_found(), "{orphan:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_engine_version_resolves_a_major_version() {
    // Stock moto does not implement DescribeDBEngineVersions; the emulator answers it from the
    // `rds_engine_versions.py` extension's dated snapshot, so assert only what holds whatever
    // the catalogue: a major resolves to an exact version inside it, an unknown one to none.
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let cancel = CancellationToken::new();
    let deadline = Deadline::from_timeout(Duration::from_secs(60));
    let resolve = |engine: &'static str, major: &'static str| {
        rds::default_engine_version(&clients.rds, engine, major, deadline, &cancel)
    };

    for (engine, major) in [
        ("aurora-postgresql", "16"),
        ("aurora-postgresql", "17"),
        ("aurora-mysql", "8.0"),
    ] {
        let exact = resolve(engine, major)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{engine} {major} should have a default version"));
        assert_ne!(exact, major, "{engine}: an exact version, not the major");
        assert!(
            rds::is_in_major_version(&exact, major),
            "{engine} {major} resolved to {exact}"
        );
    }
    // Nothing listed is Ok(None), not an error: an unknown engine, or a major without versions.
    assert_eq!(resolve("no-such-engine", "16").await.unwrap(), None);
    assert_eq!(resolve("aurora-postgresql", "99").await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_waiter_stops_promptly() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let cancel = CancellationToken::new();
    cancel.cancel();
    let err = rds::wait_for_cluster_available(
        &clients.rds,
        "orders",
        Deadline::from_timeout(Duration::from_secs(600)),
        &cancel,
    )
    .await
    .unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
}
