//! The proxy itself, against a tiny local upstream (no emulator needed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::*;
use crate::http::request;

const TIMEOUT: Duration = Duration::from_secs(5);

/// A proxy in front of an echo server; the runtime keeps the echo server alive.
fn proxy(plan: FaultPlan) -> (FaultProxy, tokio::runtime::Runtime) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(("127.0.0.1", 0)))
        .unwrap();
    let upstream: SocketAddr = listener.local_addr().unwrap();
    rt.spawn(server::echo_upstream(listener));
    (FaultProxy::in_front_of(upstream, plan).unwrap(), rt)
}

#[test]
fn forwards_untouched_without_faults() {
    let (proxy, _rt) = proxy(FaultPlan::none());
    let r = request(proxy.addr(), "GET", "/?Action=DescribeDBClusters", TIMEOUT).unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "ok /?Action=DescribeDBClusters");
    assert_eq!(proxy.stats().forwarded("DescribeDBClusters"), 1);
    assert_eq!(proxy.stats().injected_total(), 0);
}

#[test]
fn answers_throttling_and_server_errors_as_aws_does() {
    let (proxy, _rt) = proxy(
        FaultPlan::none()
            .always(Fault::Throttle, "CreateDBCluster")
            .always(Fault::ServerError(503), "CreateDBInstance"),
    );
    let r = request(proxy.addr(), "GET", "/?Action=CreateDBCluster", TIMEOUT).unwrap();
    assert_eq!(r.status, 400);
    assert!(r.body.contains("<Code>Throttling</Code>"), "{}", r.body);
    let r = request(proxy.addr(), "GET", "/?Action=CreateDBInstance", TIMEOUT).unwrap();
    assert_eq!(r.status, 503);
    assert!(
        r.body.contains("<Code>ServiceUnavailable</Code>"),
        "{}",
        r.body
    );
    let r = request(proxy.addr(), "GET", "/?Action=DescribeDBClusters", TIMEOUT).unwrap();
    assert_eq!(r.status, 200);
    let stats = proxy.stats();
    assert_eq!(stats.forwarded("CreateDBCluster"), 0, "{stats:?}");
    assert_eq!(stats.injected_total(), 2, "{stats:?}");
}

#[test]
fn drops_connections_without_an_answer() {
    let (proxy, _rt) = proxy(FaultPlan::none().always(Fault::Drop, "CreateDBCluster"));
    let outcome = request(proxy.addr(), "GET", "/?Action=CreateDBCluster", TIMEOUT);
    assert!(outcome.is_err(), "{outcome:?}");
    assert_eq!(proxy.stats().forwarded("CreateDBCluster"), 0);
}

#[test]
fn slows_calls_down_then_forwards_them() {
    let (proxy, _rt) = proxy(FaultPlan::none().always(
        Fault::Slow(Duration::from_millis(300)),
        "DescribeDBClusters",
    ));
    let started = Instant::now();
    let r = request(proxy.addr(), "GET", "/?Action=DescribeDBClusters", TIMEOUT).unwrap();
    assert_eq!(r.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn the_control_plane_is_never_faulted() {
    let (proxy, _rt) = proxy(FaultPlan::none().rule(Fault::Drop, Calls::All, Trigger::Always));
    let r = request(proxy.addr(), "GET", "/moto-api/reset", TIMEOUT).unwrap();
    assert_eq!(r.status, 200);
}

#[test]
fn a_plan_can_be_swapped_while_running() {
    let (proxy, _rt) = proxy(FaultPlan::none().always(Fault::Throttle, "CreateDBCluster"));
    let path = "/?Action=CreateDBCluster";
    assert_eq!(
        request(proxy.addr(), "GET", path, TIMEOUT).unwrap().status,
        400
    );
    proxy.set_plan(FaultPlan::none());
    assert_eq!(
        request(proxy.addr(), "GET", path, TIMEOUT).unwrap().status,
        200
    );
}

#[test]
fn holds_a_call_after_the_upstream_answered_until_released() {
    let (proxy, _rt) = proxy(FaultPlan::none());
    let hold = proxy.hold(HoldSpec::after("CreateDBCluster"));
    let addr = proxy.addr();
    let caller = std::thread::spawn(move || {
        request(
            addr,
            "GET",
            "/?Action=CreateDBCluster",
            Duration::from_secs(20),
        )
    });
    hold.wait_reached(TIMEOUT).unwrap();
    // The upstream has answered (it counts as forwarded) but the caller is still waiting.
    assert_eq!(proxy.stats().forwarded("CreateDBCluster"), 1);
    std::thread::sleep(Duration::from_millis(200));
    assert!(!caller.is_finished());
    hold.release();
    let r = caller.join().unwrap().unwrap();
    assert_eq!(r.status, 200);
    // Only the first call is held.
    let r = request(addr, "GET", "/?Action=CreateDBCluster", TIMEOUT).unwrap();
    assert_eq!(r.status, 200);
}

#[test]
fn holds_before_the_upstream_and_only_once_armed() {
    let (proxy, _rt) = proxy(FaultPlan::none());
    let hold = proxy.hold(HoldSpec::before("DescribeDBClusters").once("CreateDBCluster"));
    let addr = proxy.addr();
    // Not armed yet: passes.
    let r = request(addr, "GET", "/?Action=DescribeDBClusters", TIMEOUT).unwrap();
    assert_eq!(r.status, 200);
    assert!(!hold.reached());
    request(addr, "GET", "/?Action=CreateDBCluster", TIMEOUT).unwrap();
    let caller = std::thread::spawn(move || {
        request(
            addr,
            "GET",
            "/?Action=DescribeDBClusters",
            Duration::from_secs(20),
        )
    });
    hold.wait_reached(TIMEOUT).unwrap();
    assert_eq!(
        proxy.stats().forwarded("DescribeDBClusters"),
        1,
        "held before"
    );
    hold.release();
    assert_eq!(caller.join().unwrap().unwrap().status, 200);
    assert_eq!(proxy.stats().forwarded("DescribeDBClusters"), 2);
}

#[test]
fn a_hold_never_reached_times_out() {
    let (proxy, _rt) = proxy(FaultPlan::none());
    let hold = proxy.hold(HoldSpec::after("DeleteDBCluster"));
    assert!(hold.wait_reached(Duration::from_millis(100)).is_err());
}

#[test]
fn loses_the_answer_after_the_upstream_did_the_work() {
    let (proxy, _rt) = proxy(FaultPlan::none().rule(
        Fault::LoseResponse,
        Calls::only(["CreateDBCluster"]),
        Trigger::FirstN(1),
    ));
    let path = "/?Action=CreateDBCluster";
    assert!(request(proxy.addr(), "GET", path, TIMEOUT).is_err());
    let stats = proxy.stats();
    assert_eq!(stats.forwarded("CreateDBCluster"), 1, "{stats:?}");
    assert_eq!(stats.injected_total(), 1, "{stats:?}");
    // The retry gets its answer.
    assert_eq!(
        request(proxy.addr(), "GET", path, TIMEOUT).unwrap().status,
        200
    );
}
