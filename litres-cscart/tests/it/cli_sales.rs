//! `litres order`, `litres notify` and `litres link` as an operator runs
//! them against the sandbox: exit statuses and JSON reports.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::Duration;

use litres_testkit::sandbox::{
    Fault, Injection, RecordKind, Sandbox, SandboxConfig, SandboxHandle,
};

struct Shop {
    dir: tempfile::TempDir,
    secret_key: String,
    notification_key: String,
}

impl Shop {
    fn new(sandbox: &SandboxHandle) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = format!(
            "partner_id = \"{}\"\nbase_url = \"{}\"\nmin_request_interval_ms = 0\n\
             download_domain = \"{}\"\nfailed_sale_status = \"F\"\n[store]\npath = \"shop.db\"\n",
            sandbox.partner_id(),
            sandbox.base_url(),
            sandbox.addr()
        );
        std::fs::write(dir.path().join("litres.toml"), config).unwrap();
        Self {
            dir,
            secret_key: sandbox.secret_key().expose().to_owned(),
            notification_key: sandbox.notification_key().expose().to_owned(),
        }
    }

    /// Imports the sandbox's text books, which `order add` requires.
    async fn import_text_books(&self) {
        let output = self
            .run(&[
                "books",
                "--type",
                "0",
                "--from",
                "2026-11-20",
                "--days",
                "7",
            ])
            .await;
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }

    /// Returns the product id of the first line of an order.
    async fn first_product(&self, order: &str) -> String {
        let output = self
            .run(&["order", "show", "--order", order, "--json"])
            .await;
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        json(&output)["order"]["lines"][0]["product_id"].to_string()
    }

    /// Runs the tool on a blocking thread, so the sandbox on this runtime
    /// keeps serving.
    async fn run(&self, args: &[&str]) -> Output {
        self.run_with_env(args, &[]).await
    }

    /// Runs the tool with extra environment variables.
    async fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        let dir: PathBuf = self.dir.path().to_path_buf();
        let secret_key = self.secret_key.clone();
        let notification_key = self.notification_key.clone();
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_litres"))
                .args(args)
                .current_dir(dir)
                .env_remove("RUST_LOG")
                .env("NO_COLOR", "1")
                .env("LITRES_SECRET_KEY", secret_key)
                .env("LITRES_NOTIFICATION_SECRET_KEY", notification_key)
                .envs(env)
                .output()
                .unwrap()
        })
        .await
        .unwrap()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output)).unwrap()
}

/// Returns `ART_ID:EXTERNAL_ID:109.00` of the first two text books.
fn book_lines(sandbox: &SandboxHandle) -> (String, String, String) {
    let mut lines = sandbox.catalog().records().iter().filter_map(|record| {
        let external_id = record.external_id.as_deref()?;
        let text = record.kind == RecordKind::Updated && record.work_type.as_deref() == Some("0");
        text.then(|| {
            (
                record.art_id.clone(),
                format!("{}:{external_id}:109.00", record.art_id),
            )
        })
    });
    let (art, first) = lines.next().unwrap();
    let (_, second) = lines.next().unwrap();
    (art, first, second)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_and_link_exit_statuses() {
    let sandbox = Sandbox::start(
        SandboxConfig::new()
            .with_catalog_dir(litres_testkit::sample_catalog_dir())
            .with_min_request_interval(Duration::ZERO),
    )
    .await
    .unwrap();
    let shop = Shop::new(&sandbox);
    shop.import_text_books().await;
    let (_, first, second) = book_lines(&sandbox);
    let add = |order: &'static str, status: &'static str, line: String| {
        let shop = &shop;
        async move {
            let args = [
                "order",
                "add",
                "--order",
                order,
                "--user",
                "777",
                "--email",
                "b@example.com",
                "--status",
                status,
                "--line",
                &line,
            ];
            let output = shop.run(&args).await;
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        }
    };
    add("1", "P", first.clone()).await;
    add("2", "O", first.clone()).await;
    let product = shop.first_product("1").await;

    let sent = shop.run(&["notify", "--order", "1", "--json"]).await;
    assert_eq!(sent.status.code(), Some(0), "{}", stderr(&sent));
    assert_eq!(json(&sent)["lines"][0]["outcome"], "sent");
    assert_eq!(sandbox.sales().len(), 1);

    let rerun = shop.run(&["notify", "--pending"]).await;
    assert_eq!(rerun.status.code(), Some(0), "{}", stderr(&rerun));
    assert_eq!(sandbox.sales().len(), 1, "order 1 is not reported twice");
    assert_eq!(sandbox.sales()[0].order, "1");

    let link = shop
        .run(&[
            "link",
            "--order",
            "1",
            "--product",
            &product,
            "--format",
            "epub",
        ])
        .await;
    assert_eq!(link.status.code(), Some(0), "{}", stderr(&link));
    let url = stdout(&link).trim().replacen("https://", "http://", 1);
    assert!(url.contains("/get_litres_file/"), "{url}");
    let response = reqwest::get(&url).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);

    let unpaid = shop
        .run(&[
            "link",
            "--order",
            "2",
            "--product",
            &product,
            "--format",
            "epub",
        ])
        .await;
    assert_eq!(unpaid.status.code(), Some(1), "{}", stderr(&unpaid));
    assert!(stderr(&unpaid).contains("not paid"), "{}", stderr(&unpaid));

    let rejected_art = second.split(':').next().unwrap().parse().unwrap();
    sandbox.reject_sale(rejected_art, "Продажа запрещена");
    add("3", "P", second.clone()).await;
    let rejected = shop.run(&["notify", "--order", "3"]).await;
    assert_eq!(rejected.status.code(), Some(1), "{}", stderr(&rejected));
    assert!(
        stdout(&rejected).contains("Продажа запрещена"),
        "{}",
        stdout(&rejected)
    );
    let show_output = shop.run(&["order", "show", "--order", "3", "--json"]).await;
    assert_eq!(
        show_output.status.code(),
        Some(0),
        "{}",
        stderr(&show_output)
    );
    let view = json(&show_output);
    assert_eq!(view["order"]["status"], "F");
    assert_eq!(view["states"][0]["state"], "rejected");
    assert!(
        !stderr(&rejected).contains(&shop.notification_key),
        "no key in the log"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notify_gives_up_with_exit_one() {
    let sandbox = Sandbox::start(
        SandboxConfig::new()
            .with_catalog_dir(litres_testkit::sample_catalog_dir())
            .with_min_request_interval(Duration::ZERO),
    )
    .await
    .unwrap();
    let shop = Shop::new(&sandbox);
    shop.import_text_books().await;
    let (_, line, _) = book_lines(&sandbox);
    let add = shop
        .run(&[
            "order",
            "add",
            "--order",
            "5",
            "--user",
            "9",
            "--email",
            "e@example.com",
            "--line",
            &line,
        ])
        .await;
    assert_eq!(add.status.code(), Some(0), "{}", stderr(&add));
    // A sale is sent once per run, so one failure uses up the one attempt.
    sandbox.inject(
        Injection::new(Fault::Status(503))
            .times(1)
            .on_path("/purchase"),
    );

    let env = [("LITRES_SALE_MAX_ATTEMPTS", "1")];
    let output = shop
        .run_with_env(&["notify", "--order", "5", "--json"], &env)
        .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = json(&output);
    assert_eq!(report["lines"][0]["outcome"], "gave_up", "{report}");
    assert_eq!(report["failed_orders"][0]["status"], "F", "{report}");
    assert_eq!(sandbox.pending_faults(), 0);
    assert!(sandbox.sales().is_empty());
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_arguments_exit_two() {
    let sandbox = Sandbox::start(SandboxConfig::new()).await.unwrap();
    let shop = Shop::new(&sandbox);
    let cases: [(&[&str], &str); 5] = [
        (&["notify"], "--order"),
        (
            &["notify", "--order", "1", "--pending"],
            "cannot be used with",
        ),
        (&["notify", "--order", "99"], "order 99 not found"),
        (
            &[
                "link",
                "--order",
                "99",
                "--product",
                "1",
                "--format",
                "epub",
            ],
            "order 99 not found",
        ),
        (
            &[
                "order",
                "add",
                "--order",
                "1",
                "--user",
                "7",
                "--email",
                "e@example.com",
                "--line",
                "x:y",
            ],
            "ART_ID:EXTERNAL_ID:PRICE",
        ),
    ];
    for (args, expected) in cases {
        let output = shop.run(args).await;
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert!(sandbox.sales().is_empty());
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_add_rejects_wrong_books() {
    let sandbox = Sandbox::start(
        SandboxConfig::new()
            .with_catalog_dir(litres_testkit::sample_catalog_dir())
            .with_min_request_interval(Duration::ZERO),
    )
    .await
    .unwrap();
    let shop = Shop::new(&sandbox);
    shop.import_text_books().await;
    let (_, first, second) = book_lines(&sandbox);
    let first_art = first.split(':').next().unwrap().to_owned();
    let second_external = second.split(':').nth(1).unwrap().to_owned();
    let swapped = format!("{first_art}:{second_external}:109.00");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--line", &swapped], "has external id"),
        (vec!["--line", "1:x:1.00"], "is not in the database"),
        (vec!["--line", &first, "--line", &first], "repeats a book"),
        (vec!["--user", "", "--line", &first], "is not a buyer id"),
        (vec!["--user", "a/b", "--line", &first], "is not a buyer id"),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["order", "add", "--order", "7", "--email", "b@example.com"];
        if !extra.contains(&"--user") {
            args.extend(["--user", "777"]);
        }
        args.extend(extra.iter().copied());
        let output = shop.run(&args).await;
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let show = shop.run(&["order", "show", "--order", "7"]).await;
    assert_ne!(show.status.code(), Some(0), "no order was stored");
    sandbox.shutdown().await;
}
