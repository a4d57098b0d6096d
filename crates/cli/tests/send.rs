//! `tocsin send` as users run it: the built binary against a recording receiver on
//! 127.0.0.1, every exit code, tags, stdin, configuration files and masking.

mod common;

use std::process::Output;

use common::{receiver, tocsin};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    (status.code().unwrap_or(-1), text(&stdout), text(&stderr))
}

#[test]
fn sends_to_a_url_and_exits_0() {
    let r = receiver();
    let (code, _, err) = run(tocsin().args([
        "send",
        "--allow-private",
        &r.json_url("/hook"),
        "-t",
        "Backup",
        "-b",
        "done",
        "-n",
        "failure",
    ]));
    assert_eq!(code, 0, "{err}");
    let got = r.requests();
    assert_eq!(got.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&got[0].1).unwrap();
    assert_eq!(body["title"], "Backup");
    assert_eq!(body["message"], "done");
    assert_eq!(body["severity"], "critical");
}

#[test]
fn reads_the_body_from_stdin() {
    let r = receiver();
    let (code, _, err) = run(tocsin()
        .args(["send", "--allow-private", &r.json_url("/stdin")])
        .write_stdin("disk almost full\n"));
    assert_eq!(code, 0, "{err}");
    let body: serde_json::Value = serde_json::from_str(&r.requests()[0].1).unwrap();
    assert_eq!(body["message"], "disk almost full");
}

#[test]
fn refuses_loopback_unless_allowed_and_exits_1() {
    let r = receiver();
    let (code, _, err) = run(tocsin().args(["send", &r.json_url("/hook"), "-b", "x"]));
    assert_eq!(code, 1);
    assert!(err.contains("loopback"), "{err}");
    assert!(r.requests().is_empty());
    // The variable the server reads works here too.
    let (code, _, err) = run(tocsin().env("TOCSIN_ALLOW_PRIVATE", "127.0.0.1").args([
        "send",
        &r.json_url("/hook"),
        "-b",
        "x",
    ]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn exits_4_when_some_targets_fail_and_1_when_all_do() {
    let r = receiver();
    let (code, _, err) = run(tocsin().args([
        "send",
        "--allow-private",
        &r.json_url("/ok"),
        &r.json_url("/bad"),
        "-b",
        "x",
    ]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("HTTP 400") || err.contains("400"), "{err}");
    let (code, _, _) = run(tocsin().args([
        "send",
        "--allow-private",
        &r.json_url("/bad1"),
        &r.json_url("/bad2"),
        "-b",
        "x",
    ]));
    assert_eq!(code, 1);
}

#[test]
fn usage_and_configuration_errors_exit_1() {
    let (code, _, _) = run(tocsin().args(["send", "--no-such-flag"]));
    assert_eq!(code, 1);
    let (code, _, err) = run(tocsin().args(["send", "-b", "x"]));
    assert_eq!(code, 1, "{err}");
    let (code, _, err) = run(tocsin().args(["send", "nosuchscheme://x", "-b", "x"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("nosuchscheme"), "{err}");
    let (code, _, _) = run(tocsin().args(["send", "-c", "/nonexistent/tocsin.toml", "-b", "x"]));
    assert_eq!(code, 1);
    let (code, _, _) = run(tocsin().args(["--help"]));
    assert_eq!(code, 0);
}

#[test]
fn retries_within_the_timeout_and_verbose_shows_each_attempt() {
    let r = receiver();
    let (code, _, err) = run(tocsin().args([
        "send",
        "--allow-private",
        &r.json_url("/flaky"),
        "-b",
        "x",
        "--retry-schedule",
        "0s,200ms",
        "-v",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(r.requests().len(), 2);
    assert!(err.contains("will retry"), "{err}");
    assert!(err.contains("delivered (attempt 2"), "{err}");
}

#[test]
fn a_retry_that_would_end_after_the_timeout_is_not_made() {
    let r = receiver();
    let started = std::time::Instant::now();
    let (code, _, err) = run(tocsin().args([
        "send",
        "--allow-private",
        &r.json_url("/fail"),
        "-b",
        "x",
        "--timeout",
        "1",
    ]));
    assert_eq!(code, 1, "{err}");
    assert_eq!(r.requests().len(), 1);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(err.contains("no retry left"), "{err}");
}

const TEXT_CONFIG: &str = "# Apprise TEXT\n\
    ops, prod = {ops_prod}\n\
    ops {ops}\n\
    ; a comment\n\
    dev={dev}\n\
    always={always}\n\
    {untagged}\n";

fn text_config(r: &common::Receiver) -> tempfile::NamedTempFile {
    let body = TEXT_CONFIG
        .replace("{ops_prod}", &r.json_url("/ops-prod"))
        .replace(" {ops}", &format!("={}", r.json_url("/ops")))
        .replace("{dev}", &r.json_url("/dev"))
        .replace("{always}", &r.json_url("/always"))
        .replace("{untagged}", &r.json_url("/untagged"));
    let file = tempfile::Builder::new().suffix(".txt").tempfile().unwrap();
    std::fs::write(file.path(), body).unwrap();
    file
}

fn send_tags(config: &std::path::Path, tags: &[&str]) -> (i32, String) {
    let mut cmd = tocsin();
    cmd.args(["send", "--allow-private", "-b", "x", "-c"])
        .arg(config);
    for t in tags {
        cmd.args(["--tag", t]);
    }
    let (code, _, err) = run(&mut cmd);
    (code, err)
}

#[test]
fn tags_select_like_apprise() {
    // Repeated --tag: either; commas: both; none: untagged only; `always` always.
    let r = receiver();
    let file = text_config(&r);
    assert_eq!(send_tags(file.path(), &["ops", "dev"]).0, 0);
    assert_eq!(r.paths(), ["/always", "/dev", "/ops", "/ops-prod"]);

    let r = receiver();
    let file = text_config(&r);
    assert_eq!(send_tags(file.path(), &["ops,prod"]).0, 0);
    assert_eq!(r.paths(), ["/always", "/ops-prod"]);

    let r = receiver();
    let file = text_config(&r);
    assert_eq!(send_tags(file.path(), &[]).0, 0);
    assert_eq!(r.paths(), ["/always", "/untagged"]);

    let r = receiver();
    let file = text_config(&r);
    assert_eq!(send_tags(file.path(), &["all"]).0, 0);
    assert_eq!(r.paths().len(), 5);
}

#[test]
fn exits_3_when_no_target_matches_the_tags() {
    let r = receiver();
    let file = tempfile::Builder::new().suffix(".txt").tempfile().unwrap();
    std::fs::write(file.path(), format!("ops={}\n", r.json_url("/ops"))).unwrap();
    let (code, err) = send_tags(file.path(), &["nope"]);
    assert_eq!(code, 3, "{err}");
    assert!(r.requests().is_empty());
}

#[test]
fn reads_apprise_yaml_configuration() {
    let r = receiver();
    let yaml = format!(
        "version: 1\n\
         tag: team\n\
         urls:\n\
         \x20 - {plain}\n\
         \x20 - {tagged}:\n\
         \x20     tag: db, nightly\n\
         \x20 - {twice}:\n\
         \x20     - tag: a\n\
         \x20     - tag: b\n",
        plain = r.json_url("/plain"),
        tagged = r.json_url("/tagged"),
        twice = r.json_url("/twice"),
    );
    let file = tempfile::Builder::new().suffix(".yml").tempfile().unwrap();
    std::fs::write(file.path(), yaml).unwrap();
    let (code, err) = send_tags(file.path(), &["db,nightly"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r.paths(), ["/tagged"]);
    // The top-level tag applies to every URL.
    let (code, err) = send_tags(file.path(), &["team"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        r.paths(),
        ["/plain", "/tagged", "/tagged", "/twice", "/twice"]
    );
}

#[test]
fn reads_tocsin_toml_channels_and_resolves_secret_references() {
    let r = receiver();
    let toml = format!(
        "listen = \"127.0.0.1:8400\"\n\n\
         [[channels]]\n\
         name = \"ops hook\"\n\
         kind = \"webhook\"\n\
         tags = [\"ops\"]\n\
         settings = {{ url = \"{url}\" }}\n\
         secrets = {{ signing_secret = \"${{env:CLI_TEST_SIGNING_SECRET}}\" }}\n",
        url = r.url("/toml")
    );
    let file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::fs::write(file.path(), toml).unwrap();
    let secret = "whsec_dGVzdC1zaWduaW5nLXNlY3JldC0wMTIzNDU2Nzg5";
    let (code, _, err) = run(tocsin()
        .env("CLI_TEST_SIGNING_SECRET", secret)
        .args([
            "send",
            "--allow-private",
            "-b",
            "x",
            "--tag",
            "ops",
            "-v",
            "-c",
        ])
        .arg(file.path()));
    assert_eq!(code, 0, "{err}");
    assert_eq!(r.paths(), ["/toml"]);
    assert!(err.contains("ops hook: delivered"), "{err}");
    // An unset variable is an error of that target, named, with nothing sent.
    let r2 = receiver();
    let (code, _, err) = run(tocsin()
        .env_remove("CLI_TEST_SIGNING_SECRET")
        .args(["send", "--allow-private", "-b", "x", "--tag", "ops", "-c"])
        .arg(file.path()));
    assert_eq!(code, 1);
    assert!(err.contains("CLI_TEST_SIGNING_SECRET"), "{err}");
    assert!(r2.requests().is_empty());
}

#[test]
fn secrets_never_reach_the_output() {
    let r = receiver();
    // An ntfy token and a URL password, sent to a receiver that refuses them.
    let token = "tk_verysecrettoken123";
    let ntfy = format!(
        "ntfy://{token}@{}/fail-topic",
        r.base.trim_start_matches("http://")
    );
    let json = format!(
        "json://user:hunter2secret@{}/bad",
        r.base.trim_start_matches("http://")
    );
    let (code, out, err) = run(tocsin().args([
        "send",
        "--allow-private",
        &ntfy,
        &json,
        "-b",
        "x",
        "-v",
        "--timeout",
        "1",
    ]));
    assert_eq!(code, 4, "{err}");
    for secret in [token, "hunter2secret"] {
        assert!(!err.contains(secret), "{err}");
        assert!(!out.contains(secret), "{out}");
    }
    assert!(err.contains("#1 ntfy"), "{err}");
}

#[test]
fn dry_run_lists_the_chosen_targets_and_sends_nothing() {
    let r = receiver();
    let file = text_config(&r);
    let (code, out, err) = run(tocsin()
        .args(["send", "--dry-run", "--tag", "dev", "-c"])
        .arg(file.path()));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(r.requests().is_empty());
}

/// A temporary file holding `bytes`, named `name`.
fn file_named(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Whether `header` (`v1,<base64>` entries) holds the Standard Webhooks signature of
/// `id.timestamp.body` under `secret` (`whsec_<base64 key>`), computed here from the spec.
fn standard_signature_verifies(
    secret: &str,
    id: &str,
    timestamp: &str,
    body: &[u8],
    header: &str,
) -> bool {
    use base64::Engine as _;
    use hmac::Mac as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = b64.decode(secret.trim_start_matches("whsec_")).unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    let expected = format!("v1,{}", b64.encode(mac.finalize().into_bytes()));
    header.split(' ').any(|entry| entry == expected)
}

#[test]
fn attaches_files_to_a_json_webhook_inside_the_signature() {
    use base64::Engine as _;
    let r = receiver();
    let dir = tempfile::tempdir().unwrap();
    let binary: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let log = file_named(&dir, "backup.log", b"line 1\nline 2\n");
    let blob = file_named(&dir, "dump.BIN", &binary);
    let secret = "whsec_dGVzdC1zaWduaW5nLXNlY3JldC0wMTIzNDU2Nzg5";
    let url = format!("{}?signing_secret={secret}", r.json_url("/attach"));
    let (code, _, err) = run(tocsin()
        .args([
            "send",
            "--allow-private",
            &url,
            "-t",
            "Backup",
            "-b",
            "done",
        ])
        .arg("--attach")
        .arg(&log)
        .arg("-a")
        .arg(&blob));
    assert_eq!(code, 0, "{err}");
    let got = r.requests();
    assert_eq!(got.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&got[0].1).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    assert_eq!(
        body["attachments"],
        serde_json::json!([
            {"filename": "backup.log", "mimetype": "text/plain",
             "base64": "bGluZSAxCmxpbmUgMgo="},
            {"filename": "dump.BIN", "mimetype": "application/octet-stream",
             "base64": b64.encode(&binary)},
        ])
    );
    assert_eq!(body["title"], "Backup");
    assert_eq!(body["message"], "done");
    let headers = &r.headers()[0];
    let h = |name: &str| headers[name].to_str().unwrap().to_owned();
    assert!(
        standard_signature_verifies(
            secret,
            &h("webhook-id"),
            &h("webhook-timestamp"),
            got[0].1.as_bytes(),
            &h("webhook-signature"),
        ),
        "the signature does not cover the body with its attachments"
    );
    // The same check fails on the body without them: the signature covers the files.
    let mut bare = body.clone();
    bare.as_object_mut().unwrap().remove("attachments");
    assert!(!standard_signature_verifies(
        secret,
        &h("webhook-id"),
        &h("webhook-timestamp"),
        bare.to_string().as_bytes(),
        &h("webhook-signature"),
    ));
}

#[test]
fn attach_refuses_kinds_that_cannot_carry_files_and_sends_nothing() {
    let r = receiver();
    let dir = tempfile::tempdir().unwrap();
    let file = file_named(&dir, "note.txt", b"hello");
    let ntfy = format!("ntfy://{}/topic", r.base.trim_start_matches("http://"));
    let (code, _, err) = run(tocsin()
        .args([
            "send",
            "--allow-private",
            &r.json_url("/ok"),
            &ntfy,
            "-b",
            "x",
        ])
        .arg("--attach")
        .arg(&file));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cannot carry attachments"), "{err}");
    assert!(err.contains("(ntfy)"), "{err}");
    assert!(
        err.contains("webhook (JSON body), email, resend, ses"),
        "{err}"
    );
    // A webhook whose body is not JSON cannot carry them either.
    let toml = format!(
        "[[channels]]\nname = \"plain\"\nkind = \"webhook\"\n\
         settings = {{ url = \"{}\", content_type = \"text/plain\", template = \"{{{{ title }}}}\" }}\n",
        r.url("/text")
    );
    let config = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::fs::write(config.path(), toml).unwrap();
    // The JSON webhook that can carry files, plus the targets of the config file.
    let send_with_config = |config: &std::path::Path| {
        run(tocsin()
            .args([
                "send",
                "--allow-private",
                &r.json_url("/ok"),
                "-b",
                "x",
                "-c",
            ])
            .arg(config)
            .arg("--attach")
            .arg(&file))
    };
    let (code, _, err) = send_with_config(config.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("plain (webhook)"), "{err}");
    // A JSON webhook whose template renders no object refuses before anything is sent.
    let toml = format!(
        "[[channels]]\nname = \"list\"\nkind = \"webhook\"\n\
         settings = {{ url = \"{}\", template = \"[1, 2]\" }}\n",
        r.url("/list")
    );
    std::fs::write(config.path(), toml).unwrap();
    let (code, _, err) = send_with_config(config.path());
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("JSON object"), "{err}");
    assert!(r.requests().is_empty(), "{:?}", r.paths());
}

#[test]
fn attach_refuses_missing_large_and_remote_files() {
    let r = receiver();
    let dir = tempfile::tempdir().unwrap();
    let send = |attach: &[&std::ffi::OsStr]| {
        let mut cmd = tocsin();
        cmd.args(["send", "--allow-private", &r.json_url("/ok"), "-b", "x"]);
        for a in attach {
            cmd.arg("--attach").arg(a);
        }
        run(&mut cmd)
    };
    let missing = dir.path().join("no-such-file.pdf");
    let (code, _, err) = send(&[missing.as_os_str()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&missing.display().to_string()), "{err}");
    // Two files of 6 MiB: each under the limit, together over it.
    let big = vec![b'x'; 6 * 1024 * 1024];
    let a = file_named(&dir, "a.bin", &big);
    let b = file_named(&dir, "b.bin", &big);
    let (code, _, err) = send(&[a.as_os_str(), b.as_os_str()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("10 MiB"), "{err}");
    let (code, _, err) = send(&[std::ffi::OsStr::new("https://example.com/report.pdf")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--attach takes local files"), "{err}");
    assert!(r.requests().is_empty(), "{:?}", r.paths());
    // A small file is sent (the receiver takes at most 2 MiB).
    let small = file_named(&dir, "small.bin", &big[..1024]);
    let (code, _, err) = send(&[small.as_os_str()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r.paths(), ["/ok"]);
}
