//! The `litres` tool with `[store] kind = "cscart"`, run as a process
//! against the LitRes sandbox and the fake CS-Cart.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use litres_testkit::cscart_fake::{CsCartFake, CsCartFakeHandle, FakeConfig, FakeOrder};
use litres_testkit::sandbox::{Sandbox, SandboxConfig, SandboxHandle};

async fn sandbox() -> SandboxHandle {
    let config = SandboxConfig::new()
        .with_catalog_dir(litres_testkit::sample_catalog_dir())
        .with_min_request_interval(Duration::ZERO);
    Sandbox::start(config).await.unwrap()
}

/// Writes `litres.toml` for the sandbox and the fake; the API key goes
/// through the environment.
fn write_config(dir: &Path, sandbox: &SandboxHandle, fake: &CsCartFakeHandle, extra: &str) {
    let text = format!(
        "partner_id = \"{partner}\"\nbase_url = \"{base}\"\nmin_request_interval_ms = 0\n\
         {extra}\n[store]\nkind = \"cscart\"\nurl = \"{url}\"\nemail = \"{email}\"\n\
         state_path = \"{state}\"\n",
        partner = sandbox.partner_id(),
        base = sandbox.base_url(),
        url = fake.base_url(),
        email = fake.email(),
        state = dir.join("litres-state.db").display(),
    );
    std::fs::write(dir.join("litres.toml"), text).unwrap();
}

/// Runs `litres <args> --config <dir>/litres.toml` on a blocking thread, so
/// the servers on this runtime keep serving.
async fn run_litres(
    dir: &Path,
    sandbox: &SandboxHandle,
    fake: &CsCartFakeHandle,
    args: &[&str],
) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_litres"));
    command
        .args(args)
        .arg("--config")
        .arg(dir.join("litres.toml"))
        .current_dir(dir)
        .env("LITRES_SECRET_KEY", sandbox.secret_key().expose())
        .env(
            "LITRES_NOTIFICATION_SECRET_KEY",
            sandbox.notification_key().expose(),
        )
        .env("LITRES_STORE_API_KEY", fake.api_key().expose())
        .env_remove("LITRES_STORE_KIND")
        .env_remove("RUST_LOG");
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn genres_and_books_reach_cscart() {
    let sandbox = sandbox().await;
    let fake = CsCartFake::start(FakeConfig::new()).await.unwrap();
    let root = fake.add_category("Books", 0);
    let authors = fake.add_feature("Authors", "M", &[]);
    let dir = tempfile::tempdir().unwrap();
    let settings =
        format!("genre_category_id = {root}\nauthor_feature_id = {authors}\nproduct_types = \"0\"");
    write_config(dir.path(), &sandbox, &fake, &settings);

    let genres = run_litres(dir.path(), &sandbox, &fake, &["genres", "--json"]).await;
    let stderr = String::from_utf8_lossy(&genres.stderr);
    assert!(genres.status.success(), "{stderr}");
    assert_eq!(fake.categories().len(), 44, "43 genres under the root");

    let books = run_litres(
        dir.path(),
        &sandbox,
        &fake,
        &["books", "--from", "2026-11-20", "--days", "7", "--json"],
    )
    .await;
    let stdout = String::from_utf8_lossy(&books.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        report["created"].as_u64().unwrap_or_default() > 0,
        "{stdout}"
    );
    assert!(!fake.products().is_empty());
    assert!(dir.path().join("litres-state.db").exists());
}

#[tokio::test]
async fn wrong_feature_type_stops_tool() {
    let sandbox = sandbox().await;
    let fake = CsCartFake::start(FakeConfig::new()).await.unwrap();
    let authors = fake.add_feature("Authors", "S", &[]);
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &sandbox,
        &fake,
        &format!("author_feature_id = {authors}"),
    );

    let output = run_litres(dir.path(), &sandbox, &fake, &["genres"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("author_feature_id"), "{stderr}");
    assert!(stderr.contains("type S (text select box)"), "{stderr}");
    assert!(fake.requests().iter().all(|request| !request.is_write()));
    assert!(fake.categories().is_empty());
}

#[tokio::test]
async fn notify_and_link_use_cscart_orders() {
    let sandbox = sandbox().await;
    let fake = CsCartFake::start(FakeConfig::new()).await.unwrap();
    let root = fake.add_category("Books", 0);
    let authors = fake.add_feature("Authors", "M", &[]);
    let dir = tempfile::tempdir().unwrap();
    let settings = format!(
        "genre_category_id = {root}\nauthor_feature_id = {authors}\nproduct_types = \"0\"\n\
         download_domain = \"{}\"\nfailed_sale_status = \"F\"",
        sandbox.addr()
    );
    write_config(dir.path(), &sandbox, &fake, &settings);
    let books = run_litres(
        dir.path(),
        &sandbox,
        &fake,
        &["books", "--from", "2026-11-20", "--days", "7"],
    )
    .await;
    assert!(
        books.status.success(),
        "{}",
        String::from_utf8_lossy(&books.stderr)
    );
    let product = fake
        .products()
        .into_iter()
        .find(|product| product.product_code.starts_with("LR"))
        .expect("the import wrote a book");
    fake.add_order(FakeOrder::new(7, "P", 777, "buyer@example.com").item(
        product.product_id,
        &product.product_code,
        "109.00",
    ));

    let notify = run_litres(
        dir.path(),
        &sandbox,
        &fake,
        &["notify", "--pending", "--json"],
    )
    .await;
    let stdout = String::from_utf8_lossy(&notify.stdout);
    assert!(notify.status.success(), "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["lines"].as_array().map(Vec::len),
        Some(1),
        "{stdout}"
    );
    assert_eq!(sandbox.sales().len(), 1);
    let rerun = run_litres(dir.path(), &sandbox, &fake, &["notify", "--order", "7"]).await;
    assert!(rerun.status.success());
    assert_eq!(sandbox.sales().len(), 1, "reported once");

    let product_id = product.product_id.to_string();
    let link = run_litres(
        dir.path(),
        &sandbox,
        &fake,
        &[
            "link",
            "--order",
            "7",
            "--product",
            &product_id,
            "--format",
            "epub",
        ],
    )
    .await;
    let stdout = String::from_utf8_lossy(&link.stdout);
    assert!(
        link.status.success(),
        "{}",
        String::from_utf8_lossy(&link.stderr)
    );
    assert!(stdout.contains("/get_litres_file/"), "{stdout}");

    let add = run_litres(
        dir.path(),
        &sandbox,
        &fake,
        &[
            "order", "add", "--order", "8", "--user", "1", "--email", "a@b.c", "--line", "1:x:1.00",
        ],
    )
    .await;
    let stderr = String::from_utf8_lossy(&add.stderr);
    assert_eq!(add.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("kind = \"sqlite\""), "{stderr}");
    assert!(fake.order(8).is_none());
}
