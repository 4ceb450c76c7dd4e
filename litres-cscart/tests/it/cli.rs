//! The `litres` binary as an operator runs it: exit statuses, messages and
//! JSON output.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use litres_testkit::sandbox::{Sandbox, SandboxConfig};

fn litres(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_litres"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .output()
        .expect("litres binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn real_feed() -> String {
    crate::recorded(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/litres/get_fresh_book-2015-07-19.xml"
    ))
    .to_owned()
}

fn core_fixture(name: &str) -> String {
    format!(
        "{}/../litres-core/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn inspect_real_feed_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let output = litres(&["feed", "inspect", &real_feed(), "--json"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["kind"], "updated");
    assert_eq!(lines[0]["art_id"], 10315207);
    assert_eq!(lines[0]["price"], "109.00");
    assert_eq!(
        lines[0]["external_id"],
        "37828892-1a76-11e5-ad6a-002590591dd6"
    );
    assert_eq!(lines[1]["art_id"], 10316290);
    assert_eq!(lines[1]["price"], "129.00");
}

#[test]
fn inspect_real_feed_summary() {
    let dir = tempfile::tempdir().unwrap();
    let output = litres(&["feed", "inspect", &real_feed()], dir.path());
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("10315207"), "{text}");
    assert!(text.contains("Сухов"), "{text}");
    assert!(
        text.contains("next checkpoint 2015-08-01 10:50:28"),
        "{text}"
    );
}

#[test]
fn inspect_broken_feed_fails_with_offset() {
    let dir = tempfile::tempdir().unwrap();
    let output = litres(
        &[
            "feed",
            "inspect",
            &core_fixture("feed-truncated.xml"),
            "--json",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let last: serde_json::Value =
        serde_json::from_str(stdout(&output).lines().last().unwrap()).unwrap();
    assert_eq!(last["kind"], "error");
    assert!(last["offset"].as_u64().is_some(), "{last}");
    assert!(
        last["message"].as_str().unwrap().contains("truncated"),
        "{last}"
    );
}

#[test]
fn inspect_missing_file_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = litres(&["feed", "inspect", "no-such-feed.xml"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no-such-feed.xml"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn books_without_settings_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let output = litres(&["books"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("partner_id"), "{message}");
    assert!(message.contains("secret_key"), "{message}");
}

#[test]
fn books_rejects_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("litres.toml"),
        "partner_id = \"TEST\"\nsecret_key = \"K\"\nbase_url = \"http://127.0.0.1:9\"\n",
    )
    .unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["books", "--from", "2999-01-01"], "in the future"),
        (&["books", "--from", "01.02.2026"], "YYYY-MM-DD"),
        (&["books", "--type", "audio"], "work type"),
        (&["books", "--minutes", "0"], "zero"),
    ];
    for (args, expected) in cases {
        let output = litres(args, dir.path());
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
}

#[test]
fn unreachable_litres_fails_the_window() {
    let dir = tempfile::tempdir().unwrap();
    // Port 9 (discard) on loopback has no listener here: every attempt is
    // refused at once.
    std::fs::write(
        dir.path().join("litres.toml"),
        "partner_id = \"TEST\"\nsecret_key = \"K\"\nbase_url = \"http://127.0.0.1:9\"\nmin_request_interval_ms = 0\n",
    )
    .unwrap();
    let output = litres(&["books", "--type", "0", "--json"], dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["windows"][0]["status"], "failed");
    assert!(
        report["windows"][0]["error"]
            .as_str()
            .unwrap()
            .contains("127.0.0.1:9"),
        "{report}"
    );
}

#[test]
fn demo_imports_then_reruns_without_writes() {
    let dir = tempfile::tempdir().unwrap();
    let first = litres(&["demo"], dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let text = stdout(&first);
    assert!(text.contains("43 categories created"), "{text}");
    assert!(text.contains("238 created"), "{text}");
    assert!(dir.path().join("litres-demo.db").exists());

    let rerun = litres(&["demo", "--json"], dir.path());
    assert_eq!(rerun.status.code(), Some(0), "{}", stderr(&rerun));
    let text = stdout(&rerun);
    let books_start = text.rfind("\n{").map(|index| index + 1).unwrap_or(0);
    let report: serde_json::Value = serde_json::from_str(&text[books_start..]).unwrap();
    assert_eq!(report["created"], 0);
    assert_eq!(report["updated"], 0);
    assert_eq!(report["disabled"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn genres_and_books_against_sandbox() {
    let sandbox = Sandbox::start(
        SandboxConfig::new()
            .with_catalog_dir(litres_testkit::sample_catalog_dir())
            .with_min_request_interval(Duration::ZERO),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "partner_id = \"{}\"\nbase_url = \"{}\"\nmin_request_interval_ms = 0\nproduct_types = \"0, 1, 4, 11\"\n\
         [store]\npath = \"shop.db\"\n",
        sandbox.partner_id(),
        sandbox.base_url()
    );
    std::fs::write(dir.path().join("litres.toml"), config).unwrap();
    let key = sandbox.secret_key().expose().to_owned();
    let run = |args: Vec<&'static str>| {
        let path = dir.path().to_path_buf();
        let key = key.clone();
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_litres"))
                .args(args)
                .current_dir(path)
                .env("LITRES_SECRET_KEY", key)
                .output()
                .unwrap()
        })
    };
    let genres = run(vec!["genres", "--json"]).await.unwrap();
    assert_eq!(genres.status.code(), Some(0), "{}", stderr(&genres));
    let report: serde_json::Value = serde_json::from_str(&stdout(&genres)).unwrap();
    assert_eq!(report["created"], 43);

    let books = run(vec![
        "books",
        "--from",
        "2026-11-20",
        "--days",
        "3",
        "--json",
    ])
    .await
    .unwrap();
    assert_eq!(
        books.status.code(),
        Some(1),
        "the sample's broken record fails: {}",
        stderr(&books)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&books)).unwrap();
    assert!(report["created"].as_u64().unwrap() > 100, "{report}");
    assert_eq!(report["failed"].as_array().unwrap().len(), 1);
    assert_eq!(report["failed"][0]["art_id"], 70000005);
    assert!(
        !stderr(&books).contains(&key),
        "the key never reaches the log"
    );
    assert!(dir.path().join("shop.db").exists());
    sandbox.shutdown().await;
}
