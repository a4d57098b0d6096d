//! Managing a real server (`tocsin serve` on a free port) with the built binary.

mod common;

use common::{Server, receiver};

fn out(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let o = cmd.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn channels_rules_events_and_deliveries_through_the_api() {
    let server = Server::start(None);
    let r = receiver();

    let (code, stdout, err) = out(server.cli().args([
        "channel",
        "add",
        "ops",
        &r.json_url("/ops"),
        "--tag",
        "team",
        "--event",
        "deploy.*",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("created channel ops (webhook"), "{stdout}");

    let (code, stdout, _) = out(server.cli().args(["channel", "list"]));
    assert_eq!(code, 0);
    let header = stdout.lines().next().unwrap();
    assert!(
        header.starts_with("ID") && header.contains("MANAGED BY"),
        "{stdout}"
    );
    assert!(stdout.contains("ops") && stdout.contains("api"), "{stdout}");

    let (code, stdout, _) = out(server.cli().args(["channel", "list", "--json"]));
    assert_eq!(code, 0);
    let list: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(list[0]["name"], "ops");

    let (code, stdout, err) = out(server.cli().args(["channel", "test", "ops"]));
    assert_eq!(code, 0, "{err}");
    assert!(stdout.starts_with("ok (status 200"), "{stdout}");

    // A receiver that refuses: the test fails with exit 1 and the reason.
    let (code, stdout, _) =
        out(server
            .cli()
            .args(["channel", "test", "--url", &r.json_url("/bad")]));
    assert_eq!(code, 1);
    assert!(stdout.contains("failed (status 400"), "{stdout}");

    let (code, stdout, err) = out(server.cli().args([
        "rule",
        "add",
        "prod failures",
        "--channel",
        "ops",
        "--event",
        "backup.*",
        "--match",
        "environment=production",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("created rule prod failures"), "{stdout}");
    let (_, stdout, _) = out(server.cli().args(["rule", "list"]));
    assert!(
        stdout.contains("prod failures") && stdout.contains("backup.*"),
        "{stdout}"
    );

    let (code, stdout, err) = out(server.cli().args([
        "event",
        "emit",
        "deploy.success",
        "-t",
        "Deployed",
        "--source",
        "application=api",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains(": 1 deliveries"), "{stdout}");

    // The delivery arrives; the log lists it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !r.paths().contains(&"/ops".to_owned()) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let (code, stdout, _) = out(server
        .cli()
        .args(["deliveries", "list", "--channel", "ops"]));
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");

    // Retrying a delivery that did not fail is refused with the server's reason.
    let (_, stdout, _) = out(server.cli().args(["deliveries", "list", "--json"]));
    let list: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let (code, _, err) = out(server.cli().args(["deliveries", "retry", &id]));
    assert_eq!(code, 1);
    assert!(err.starts_with("error: "), "{err}");

    let (code, _, err) = out(server.cli().args(["rule", "rm", "prod failures"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = out(server.cli().args(["channel", "rm", "ops"]));
    assert_eq!(code, 0, "{err}");
    let (_, stdout, _) = out(server.cli().args(["channel", "list", "--json"]));
    assert_eq!(stdout.trim(), "[]");
}

#[test]
fn api_errors_and_missing_tokens_exit_1_with_the_reason() {
    let server = Server::start(None);
    let (code, _, err) = out(server
        .cli()
        .env_remove("TOCSIN_TOKEN")
        .args(["channel", "list"]));
    assert_eq!(code, 1);
    assert!(err.contains("TOCSIN_TOKEN"), "{err}");
    let (code, _, err) = out(server.cli().args(["channel", "add", "x", "nosuch://y"]));
    assert_eq!(code, 1);
    assert!(err.contains("url"), "{err}");
    let (code, _, err) = out(server.cli().args(["channel", "rm", "missing"]));
    assert_eq!(code, 1);
    assert!(err.contains("no channel is named `missing`"), "{err}");
    let (code, _, err) = out(server
        .cli()
        .env("TOCSIN_SERVER", "http://127.0.0.1:9")
        .args(["channel", "list"]));
    assert_eq!(code, 1);
    assert!(err.contains("cannot reach the server"), "{err}");
}

#[test]
fn tokens_are_created_listed_and_revoked() {
    let server = Server::start(None);

    let (code, stdout, err) = out(server.cli().args([
        "token",
        "create",
        "reader",
        "--scope",
        "channels:read",
        "--json",
    ]));
    assert_eq!(code, 0, "{err}");
    let created: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let token = created["token"].as_str().unwrap().to_owned();
    assert_eq!(created["scopes"], serde_json::json!(["channels:read"]));

    // The new token works, within its scope.
    let (code, stdout, err) = out(server
        .cli()
        .env("TOCSIN_TOKEN", &token)
        .args(["channel", "list", "--json"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(stdout.trim(), "[]");
    let (code, _, err) = out(server.cli().env("TOCSIN_TOKEN", &token).args([
        "channel",
        "add",
        "x",
        "https://example.com/hook",
    ]));
    assert_eq!(code, 1);
    assert!(err.contains("channels:write"), "{err}");

    // The list shows it, never the token itself.
    let (code, stdout, _) = out(server.cli().args(["token", "list"]));
    assert_eq!(code, 0);
    assert!(stdout.lines().next().unwrap().starts_with("ID"), "{stdout}");
    assert!(
        stdout.contains(&id) && stdout.contains("reader"),
        "{stdout}"
    );
    assert!(!stdout.contains(&token), "{stdout}");

    let (code, stdout, err) = out(server.cli().args(["token", "revoke", &id]));
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains(&format!("revoked token {id}")), "{stdout}");
    let (code, _, _) = out(server
        .cli()
        .env("TOCSIN_TOKEN", &token)
        .args(["channel", "list"]));
    assert_eq!(code, 1);
    let (_, stdout, _) = out(server.cli().args(["token", "list", "--json"]));
    let list: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|t| t["id"] != id.as_str()),
        "{stdout}"
    );
}
