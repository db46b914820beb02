//! IAM role operations against a local moto server: the whole life of an access role (create
//! with boundary, session limit and tags; inline policy read back decoded; in-place updates;
//! out-of-band attachments listed; delete empties the role first).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use dbrail_aws::iam::{self, RoleChange, RoleSpec};
use dbrail_aws::{CancellationToken, Clients, Deadline, connect};
use support::Moto;

fn deadline() -> Deadline {
    Deadline::from_timeout(Duration::from_secs(60))
}

async fn connected(moto: &Moto) -> Clients {
    connect(&moto.settings(), &CancellationToken::new())
        .await
        .unwrap_or_else(|e| panic!("connect to moto failed: {e}"))
}

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"sts:AssumeRole"}]}"#;
const CONNECT: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds-db:connect","Resource":"arn:aws:rds-db:us-east-1:123456789012:dbuser:cluster-ABC/app"}]}"#;

async fn boundary(clients: &Clients) -> String {
    let out = clients
        .iam
        .create_policy()
        .policy_name("db-boundary")
        .policy_document(CONNECT)
        .send()
        .await
        .unwrap();
    out.policy().unwrap().arn().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_life_cycle() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let iam_client = &clients.iam;
    let cancel = CancellationToken::new();
    let boundary_arn = boundary(&clients).await;

    assert_eq!(
        iam::find_role(iam_client, "orders-ro", deadline(), &cancel)
            .await
            .unwrap(),
        None
    );
    let spec = RoleSpec {
        name: "orders-ro".into(),
        description: Some("orders read-only".into()),
        trust_policy: TRUST.into(),
        permissions_boundary_arn: Some(boundary_arn.clone()),
        max_session_duration: Some(3600),
        tags: BTreeMap::from([("team".to_owned(), "payments".to_owned())]),
    };
    let created = iam::create_role(iam_client, &spec, deadline(), &cancel)
        .await
        .unwrap();
    assert_eq!(created.arn, "arn:aws:iam::123456789012:role/orders-ro");

    let found = iam::find_role(iam_client, "orders-ro", deadline(), &cancel)
        .await
        .unwrap()
        .unwrap();
    let trust: serde_json::Value = serde_json::from_str(&found.trust_policy).unwrap();
    assert_eq!(
        trust,
        serde_json::from_str::<serde_json::Value>(TRUST).unwrap()
    );
    assert_eq!(
        found.permissions_boundary_arn.as_deref(),
        Some(boundary_arn.as_str())
    );
    assert_eq!(found.max_session_duration, Some(3600));
    assert_eq!(found.tags.get("team").map(String::as_str), Some("payments"));

    // The inline policy reads back as the JSON that was written, decoded.
    assert_eq!(
        iam::find_role_policy(
            iam_client,
            "orders-ro",
            "dbrail-access",
            deadline(),
            &cancel
        )
        .await
        .unwrap(),
        None
    );
    iam::put_role_policy(
        iam_client,
        "orders-ro",
        "dbrail-access",
        CONNECT,
        deadline(),
        &cancel,
    )
    .await
    .unwrap();
    let doc = iam::find_role_policy(
        iam_client,
        "orders-ro",
        "dbrail-access",
        deadline(),
        &cancel,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&doc).unwrap(),
        serde_json::from_str::<serde_json::Value>(CONNECT).unwrap()
    );

    // In-place changes.
    let change = RoleChange {
        permissions_boundary_arn: Some(None),
        max_session_duration: Some(7200),
        add_tags: BTreeMap::from([("env".to_owned(), "prod".to_owned())]),
        remove_tags: vec!["team".into()],
        ..RoleChange::default()
    };
    iam::update_role(iam_client, "orders-ro", &change, deadline(), &cancel)
        .await
        .unwrap();
    let found = iam::find_role(iam_client, "orders-ro", deadline(), &cancel)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.permissions_boundary_arn, None);
    assert_eq!(found.max_session_duration, Some(7200));
    assert_eq!(
        found.tags,
        BTreeMap::from([("env".to_owned(), "prod".to_owned())])
    );

    // Out-of-band additions are listed.
    clients
        .iam
        .attach_role_policy()
        .role_name("orders-ro")
        .policy_arn(&boundary_arn)
        .send()
        .await
        .unwrap();
    iam::put_role_policy(
        iam_client,
        "orders-ro",
        "extra",
        CONNECT,
        deadline(),
        &cancel,
    )
    .await
    .unwrap();
    assert_eq!(
        iam::list_role_policies(iam_client, "orders-ro", deadline(), &cancel)
            .await
            .unwrap(),
        ["dbrail-access", "extra"]
    );
    assert_eq!(
        iam::list_attached_role_policies(iam_client, "orders-ro", deadline(), &cancel)
            .await
            .unwrap(),
        std::slice::from_ref(&boundary_arn)
    );

    // Delete empties the role first, and is idempotent.
    iam::delete_role(iam_client, "orders-ro", deadline(), &cancel)
        .await
        .unwrap();
    assert_eq!(
        iam::find_role(iam_client, "orders-ro", deadline(), &cancel)
            .await
            .unwrap(),
        None
    );
    iam::delete_role(iam_client, "orders-ro", deadline(), &cancel)
        .await
        .unwrap();
    iam::delete_role_policy(
        iam_client,
        "orders-ro",
        "dbrail-access",
        deadline(),
        &cancel,
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_an_existing_role_is_already_exists() {
    let moto = Moto::start();
    let clients = connected(&moto).await;
    let cancel = CancellationToken::new();
    let spec = RoleSpec {
        name: "twice".into(),
        trust_policy: TRUST.into(),
        ..RoleSpec::default()
    };
    iam::create_role(&clients.iam, &spec, deadline(), &cancel)
        .await
        .unwrap();
    let err = iam::create_role(&clients.iam, &spec, deadline(), &cancel)
        .await
        .unwrap_err();
    assert!(err.is_already_exists(), "{err}");
}
