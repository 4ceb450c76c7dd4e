//! Starting and stopping the sandbox.

use std::net::SocketAddr;
use std::time::Duration;

use litres_testkit::sandbox::{Sandbox, SandboxConfig, SandboxError};

use crate::support::{client, config, start};

async fn is_refused(url: &str) -> bool {
    client().get(url).send().await.is_err()
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let sandbox = start(config()).await;
    let url = format!("{}/genres_list_2/", sandbox.base_url());
    assert!(!is_refused(&url).await);
    sandbox.shutdown().await;
    assert!(is_refused(&url).await);
}

#[tokio::test]
async fn drop_stops_serving() {
    let sandbox = start(config()).await;
    let url = format!("{}/genres_list_2/", sandbox.base_url());
    drop(sandbox);
    let mut refused = false;
    for _ in 0..50 {
        if is_refused(&url).await {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        refused,
        "the sandbox still serves after its handle was dropped"
    );
}

#[tokio::test]
async fn base_url_names_bound_port() {
    let sandbox = start(config()).await;
    assert_ne!(sandbox.addr().port(), 0);
    assert_eq!(sandbox.base_url(), format!("http://{}", sandbox.addr()));
}

#[tokio::test]
async fn non_loopback_address_is_rejected() {
    let addr: SocketAddr = "0.0.0.0:0".parse().unwrap();
    let error = Sandbox::start(SandboxConfig::new().with_addr(addr))
        .await
        .unwrap_err();
    assert!(matches!(error, SandboxError::NotLoopback { .. }), "{error}");
}

#[tokio::test]
async fn missing_catalog_dir_names_path() {
    let config = SandboxConfig::new().with_catalog_dir("/nonexistent/litres-catalog");
    let error = Sandbox::start(config).await.unwrap_err();
    assert!(matches!(error, SandboxError::Catalog { .. }), "{error}");
    assert!(
        error.to_string().contains("/nonexistent/litres-catalog"),
        "{error}"
    );
}
