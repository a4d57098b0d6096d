//! `tocsin config check`, and configuration as code: the channels and rules `tocsin.toml`
//! declares are reconciled at start, on `POST /api/v1/reload` and on SIGHUP.

mod common;

use std::time::{Duration, Instant};

use common::{Server, TOKEN, receiver, tocsin};
use serde_json::Value;

fn out(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let o = cmd.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn config_check_accepts_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "tocsin.toml",
        "listen = \"127.0.0.1:8400\"\n\n\
         [[channels]]\nname = \"ops\"\nurl = \"ntfys://ntfy.sh/acme\"\ntags = [\"ops\"]\n\n\
         [[channels]]\nname = \"hook\"\nkind = \"webhook\"\nsettings = { url = \"https://example.com/h\" }\n\n\
         [[rules]]\nname = \"prod\"\nevents = [\"deploy.*\"]\nchannels = [\"ops\", \"hook\"]\n",
    );
    let (code, stdout, err) = out(tocsin().args(["config", "check"]).arg(&path));
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("ok (2 channels, 1 rules)"), "{stdout}");
}

#[test]
fn config_check_prints_every_problem_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "tocsin.toml",
        "[delivery]\ntimeout_secs = 0\n\n\
         [[channels]]\nname = \"ops\"\nurl = \"nosuch://x\"\n\n\
         [[channels]]\nname = \"ops\"\nkind = \"webhook\"\nsettings = { url = \"https://example.com\" }\ncolour = \"red\"\n\n\
         [[rules]]\nname = \"r\"\nchannels = [\"missing\"]\nmin_severity = \"loud\"\n",
    );
    let (code, _, err) = out(tocsin().args(["config", "check"]).arg(&path));
    assert_eq!(code, 1);
    let shown = path.display().to_string();
    assert!(err.contains("timeout_secs"), "{err}");
    assert!(
        err.contains(&format!("{shown}:4: channels[0].url")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{shown}:8: channels[1]")) && err.contains("colour"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{shown}:14: rules[0].channels[0]")),
        "{err}"
    );
    assert!(err.contains("rules[0].min_severity"), "{err}");
    assert!(err.contains("problems"), "{err}");
}

#[test]
fn config_check_reads_apprise_files() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "apprise.txt",
        "ops=json://example.com/a\ntgram://123456:ABCdef/42\n",
    );
    let (code, stdout, err) = out(tocsin().args(["config", "check"]).arg(&good));
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("2 targets"), "{stdout}");
    let bad = write(dir.path(), "apprise.yml", "urls:\n  - nosuch://x\n");
    let (code, _, err) = out(tocsin().args(["config", "check"]).arg(&bad));
    assert_eq!(code, 1);
    assert!(err.contains("urls[0]"), "{err}");
}

/// A blocking call of the API.
fn api(server: &Server, method: &str, path: &str) -> (u16, Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = reqwest::Client::new();
        let url = format!("{}/api/v1{path}", server.base);
        let request = match method {
            "POST" => client.post(url).json(&serde_json::json!({})),
            "PATCH" => client
                .patch(url)
                .json(&serde_json::json!({"enabled": false})),
            "DELETE" => client.delete(url),
            _ => client.get(url),
        };
        let response = request.bearer_auth(TOKEN).send().await.unwrap();
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    })
}

fn channels(server: &Server) -> Vec<Value> {
    api(server, "GET", "/channels")
        .1
        .as_array()
        .unwrap()
        .clone()
}

fn named<'a>(list: &'a [Value], name: &str) -> Option<&'a Value> {
    list.iter().find(|c| c["name"] == name)
}

#[test]
fn declared_channels_and_rules_are_reconciled_at_start_on_reload_and_on_sighup() {
    let r = receiver();
    let dir = tempfile::tempdir().unwrap();
    let declare = |channels: &[(&str, &str)], rule_channels: &[&str]| {
        let mut text = String::new();
        for (name, tag) in channels {
            text.push_str(&format!(
                "[[channels]]\nname = \"{name}\"\nurl = \"{}\"\ntags = [\"{tag}\"]\nevents = [\"deploy.*\"]\n\
                 secrets = {{ access_token = \"${{env:TOCSIN_TEST_UNRESOLVED}}\" }}\n\n",
                r.url(&format!("/topic-{name}")).replace("http://", "ntfy://")
            ));
        }
        let list: Vec<String> = rule_channels.iter().map(|c| format!("\"{c}\"")).collect();
        text.push_str(&format!(
            "[[rules]]\nname = \"prod\"\nevents = [\"backup.*\"]\nchannels = [{}]\n",
            list.join(", ")
        ));
        write(dir.path(), "tocsin.toml", &text)
    };
    let path = declare(&[("a", "one"), ("b", "one")], &["a", "b"]);
    let server = Server::start(Some(&path));

    // At start: both declared channels and the rule exist, marked as the file's.
    let list = channels(&server);
    assert_eq!(named(&list, "a").unwrap()["managed_by"], "config");
    assert_eq!(named(&list, "b").unwrap()["managed_by"], "config");
    let rules = api(&server, "GET", "/rules").1;
    assert_eq!(rules[0]["managed_by"], "config");
    assert_eq!(rules[0]["channels"].as_array().unwrap().len(), 2);
    // The reconcile went through the service layer: every change is in the audit log, made
    // by the configuration file.
    let audit = api(&server, "GET", "/audit").1;
    let by_config: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor_name"] == "config file")
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        by_config
            .iter()
            .filter(|a| **a == "channel.created")
            .count(),
        2,
        "{audit}"
    );
    assert!(by_config.contains(&"rule.created"), "{audit}");

    // Objects made through the API are the API's, and the API cannot change the file's.
    let (code, _, err) = out(server
        .cli()
        .args(["channel", "add", "mine", &r.json_url("/mine")]));
    assert_eq!(code, 0, "{err}");
    let a_id = named(&channels(&server), "a").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = api(&server, "PATCH", &format!("/channels/{a_id}"));
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("configuration file")
    );
    let (code, _, err) = out(server.cli().args(["channel", "rm", "a"]));
    assert_eq!(code, 1);
    assert!(err.contains("managed by the configuration file"), "{err}");

    // Reload: a changes, b goes, c comes; the rule follows; nothing else moves.
    declare(&[("a", "two"), ("c", "one")], &["a", "c"]);
    let (status, summary) = api(&server, "POST", "/reload");
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["channels"]["created"], serde_json::json!(["c"]));
    assert_eq!(summary["channels"]["updated"], serde_json::json!(["a"]));
    assert_eq!(summary["channels"]["removed"], serde_json::json!(["b"]));
    assert_eq!(summary["rules"]["updated"], serde_json::json!(["prod"]));
    assert_eq!(summary["errors"], serde_json::json!([]));
    let list = channels(&server);
    assert_eq!(named(&list, "a").unwrap()["id"], a_id.as_str());
    assert_eq!(
        named(&list, "a").unwrap()["tags"],
        serde_json::json!(["two"])
    );
    assert!(named(&list, "b").is_none());
    assert_eq!(named(&list, "mine").unwrap()["managed_by"], "api");

    // The same file again changes nothing.
    let (_, summary) = api(&server, "POST", "/reload");
    assert_eq!(
        summary["channels"]["unchanged"],
        serde_json::json!(["a", "c"])
    );
    assert_eq!(summary["rules"]["unchanged"], serde_json::json!(["prod"]));

    // An invalid file changes nothing and says why.
    write(
        dir.path(),
        "tocsin.toml",
        "[[channels]]\nname = \"a\"\nurl = \"nosuch://x\"\n",
    );
    let (status, body) = api(&server, "POST", "/reload");
    assert_eq!(status, 422, "{body}");
    assert_eq!(channels(&server).len(), 3);

    // SIGHUP reloads too.
    declare(&[("a", "two")], &["a"]);
    let pid = server.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-HUP", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while named(&channels(&server), "c").is_some() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let list = channels(&server);
    assert!(named(&list, "c").is_none());
    assert!(named(&list, "a").is_some() && named(&list, "mine").is_some());
}

/// A blocking API call with a JSON body.
fn api_with(server: &Server, method: &str, path: &str, body: Value) -> (u16, Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = reqwest::Client::new();
        let url = format!("{}/api/v1{path}", server.base);
        let request = match method {
            "PATCH" => client.patch(url),
            _ => client.post(url),
        };
        let response = request.json(&body).bearer_auth(TOKEN).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    })
}

#[test]
fn a_declared_rule_takes_every_rule_option_of_the_api() {
    let r = receiver();
    let dir = tempfile::tempdir().unwrap();
    let declare = |extra: &str| {
        let text = format!(
            "[[channels]]\nname = \"hook\"\nurl = \"{}\"\nevents = []\n\n\
             [[rules]]\nname = \"prod\"\nevents = [\"backup.*\"]\nchannels = [\"hook\"]\n\
             min_severity = \"warning\"\nenabled = false\nrepeat_interval = \"4h\"\n\
             digest = \"5m\"\ntemplate = \"slack\"\n{extra}",
            r.json_url("/hook")
        );
        write(dir.path(), "tocsin.toml", &text)
    };
    let path = declare("critical_breaks_through = true\n");
    let (code, _, err) = out(tocsin().args(["config", "check"]).arg(&path));
    assert_eq!(code, 0, "{err}");
    let server = Server::start(Some(&path));

    let rules = api(&server, "GET", "/rules").1;
    let rule = &rules[0];
    assert_eq!(rule["managed_by"], "config", "{rules}");
    assert_eq!(rule["min_severity"], "warning");
    assert_eq!(rule["enabled"], false);
    assert_eq!(rule["repeat_interval"], "4h");
    assert_eq!(rule["digest"], "5m");
    assert_eq!(rule["template"], "slack");
    assert_eq!(rule["critical_breaks_through"], true);
    assert_eq!(rule["while_muted"], "drop");
    assert_eq!(rule["mute"], serde_json::json!([]));
    let id = rule["id"].as_str().unwrap().to_owned();

    // Mute windows are made through the API; the file names them by name.
    let (status, window) = api_with(
        &server,
        "POST",
        "/mute-windows",
        serde_json::json!({"name": "nights", "time_zone": "UTC",
            "intervals": [{"days": ["mon"], "start": "22:00", "end": "23:00"}]}),
    );
    assert_eq!(status, 201, "{window}");
    declare("mute = [\"nights\"]\nwhile_muted = \"hold\"\n");
    let (status, summary) = api(&server, "POST", "/reload");
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["rules"]["updated"], serde_json::json!(["prod"]));
    assert_eq!(summary["errors"], serde_json::json!([]));
    let rule = &api(&server, "GET", "/rules").1[0];
    assert_eq!(rule["id"], id.as_str(), "updated in place");
    assert_eq!(rule["mute"], serde_json::json!([window["id"]]));
    assert_eq!(rule["while_muted"], "hold");
    assert_eq!(
        rule["critical_breaks_through"], false,
        "left out: the default"
    );

    // A window name that does not exist is an error of that rule; the rule keeps what it was.
    declare("mute = [\"weekends\"]\n");
    let (_, summary) = api(&server, "POST", "/reload");
    let errors = summary["errors"].to_string();
    assert!(
        errors.contains("no mute window is named `weekends`"),
        "{summary}"
    );
    let rule = &api(&server, "GET", "/rules").1[0];
    assert_eq!(rule["while_muted"], "hold");
}

#[test]
fn config_check_reports_bad_rule_options_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "tocsin.toml",
        "[[channels]]\nname = \"ops\"\nurl = \"json://example.com/h\"\n\n\
         [[rules]]\nname = \"r\"\nchannels = [\"ops\"]\ndigest = \"1s\"\n\
         repeat_interval = \"10s\"\nwhile_muted = \"sometimes\"\nrecipients = \"not an address\"\n\
         mute = [\"\"]\ncritical_breaks_through = true\n",
    );
    let (code, _, err) = out(tocsin().args(["config", "check"]).arg(&path));
    assert_eq!(code, 1, "{err}");
    let shown = path.display().to_string();
    for field in [
        "digest",
        "repeat_interval",
        "while_muted",
        "recipients",
        "mute[0]",
    ] {
        assert!(
            err.contains(&format!("{shown}:5: rules[0].{field}")),
            "{field}: {err}"
        );
    }
    assert!(!err.contains("critical_breaks_through"), "{err}");
}

/// The commented declarations of config.example.toml, uncommented, pass `config check`.
#[test]
fn the_example_declarations_pass_config_check() {
    let example = include_str!("../../../config.example.toml");
    let start = example.find("# [[channels]]").unwrap();
    let text: String = example[start..]
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l.trim_start_matches('#')))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("critical_breaks_through"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "tocsin.toml", &text);
    let (code, stdout, err) = out(tocsin().args(["config", "check"]).arg(&path));
    assert_eq!(code, 0, "{err}\n{text}");
    assert!(stdout.contains("1 channels, 1 rules"), "{stdout}");
}
