//! The proof that secrets stay secret: channels of every kind (and sender profiles) are
//! created with recognisable canary secrets, exercised through test sends, routed events,
//! failures and retries; then no canary, in any encoding, may appear in the database
//! files, the log output at debug level, any API response, or a `Debug` rendering of what
//! the store returns. Only the receivers may see them.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::json;

use crate::helpers::*;

/// Everything logged in this test process, at debug level.
fn log_buffer() -> Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .try_init()
            .expect("no other test installs a global subscriber");
        buffer
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Canary secrets: letters and digits only (every kind's checks accept them), unique per
/// field and per run.
struct Canaries {
    run: String,
    all: BTreeMap<String, String>,
}

impl Canaries {
    fn new() -> Self {
        let run: String = ulid::Ulid::new()
            .to_string()
            .chars()
            .rev()
            .take(12)
            .collect();
        Self {
            run,
            all: BTreeMap::new(),
        }
    }

    /// A new canary for `tag` (letters only).
    fn make(&mut self, tag: &str) -> String {
        let value = format!("CANARY{tag}{}", self.run);
        self.all.insert(tag.to_owned(), value.clone());
        value
    }

    /// Every form a canary might take in stored or printed text.
    fn forms(value: &str) -> Vec<String> {
        let mut forms = vec![value.to_owned(), value.to_ascii_lowercase()];
        for pad in 0..3 {
            let mut bytes = vec![b'x'; pad];
            bytes.extend_from_slice(value.as_bytes());
            // The base64 groups that hold only canary bytes, whatever surrounds them.
            for encoded in [STANDARD.encode(&bytes), URL_SAFE_NO_PAD.encode(&bytes)] {
                let skip = if pad == 0 { 0 } else { 4 };
                let end = (bytes.len() / 3) * 4 - 4;
                if end > skip {
                    forms.push(encoded[skip..end].to_owned());
                }
            }
        }
        forms.push(hex_of(value));
        forms.push(
            url::form_urlencoded::byte_serialize(value.as_bytes())
                .collect::<String>()
                .to_ascii_lowercase(),
        );
        forms
    }
}

fn hex_of(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// A port on 127.0.0.1 where nothing listens.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Searches `haystack` for every form of every canary; returns what was found where.
fn leaks(canaries: &Canaries, place: &str, haystack: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(haystack);
    let mut found = Vec::new();
    for (tag, value) in &canaries.all {
        for form in Canaries::forms(value) {
            if text.contains(&form) {
                let at = text.find(&form).unwrap();
                let from = text.floor_char_boundary(at.saturating_sub(80));
                let to = text.ceil_char_boundary((at + form.len() + 80).min(text.len()));
                found.push(format!(
                    "{place}: canary {tag} as `{form}` in …{}…",
                    &text[from..to]
                ));
            }
        }
    }
    found
}

#[tokio::test]
async fn no_secret_reaches_the_database_the_logs_or_an_api_answer() {
    let log = log_buffer();
    // A secret read from a file at send time.
    let secret_dir = tempfile::tempdir().unwrap();
    let dirs = vec![secret_dir.path().display().to_string()];
    let app = spawn_app_with(|c| c.secret_dirs = dirs).await;
    let base = app.receiver.url("");
    let refused = format!("http://127.0.0.1:{}", closed_port());
    let mut c = Canaries::new();
    let mut answers: Vec<(String, String)> = Vec::new();

    let token_file = secret_dir.path().join("gotify-token");
    std::fs::write(&token_file, format!("{}\n", c.make("gotifyfileref"))).unwrap();

    // Sender profiles hold secrets too.
    let (status, profile) = app
        .post(
            "/api/v1/profiles",
            json!({"name": "resend account", "kind": "resend",
                "settings": {"from": "Tocsin <alerts@example.com>", "api_base": base},
                "secrets": {"api_key": format!("re_{}", c.make("resendprofileapikey"))}}),
        )
        .await;
    assert_eq!(status, 201, "{profile}");
    let resend_profile = profile["id"].as_str().unwrap().to_owned();
    answers.push(("create profile".into(), profile.to_string()));
    let (status, profile) = app
        .post(
            "/api/v1/profiles",
            json!({"name": "smtp", "kind": "email",
                "settings": {"host": "127.0.0.1", "port": closed_port(), "security": "tls",
                    "username": "alerts", "from": "alerts@example.com"},
                "secrets": {"password": c.make("emailprofilepassword")}}),
        )
        .await;
    assert_eq!(status, 201, "{profile}");
    let email_profile = profile["id"].as_str().unwrap().to_owned();
    answers.push(("create profile".into(), profile.to_string()));

    let whsec = format!(
        "whsec_{}",
        STANDARD.encode(c.make("webhooksigningsecret").as_bytes())
    );
    let pagerduty_key = format!("{}00", c.make("pdroutingkey"));
    let basic = |user: &str, password: &str| {
        format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
    };
    let channels = vec![
        json!({"name": "webhook", "kind": "webhook",
            "settings": {"url": format!("{base}/hooks/in")},
            "secrets": {"signing_secret": whsec}}),
        // The generic webhook's URL and header values carry credentials too: a token in
        // the path and in the query, a bearer token, an API key, Basic credentials.
        json!({"name": "webhook with credentials", "kind": "webhook",
            "settings": {"url": format!("{base}/hooks/{}/in?team=ops&token={}",
                    c.make("webhookurlpath"), c.make("webhookurlquery")),
                "headers": {"Authorization": format!("Bearer {}", c.make("webhookbearer")),
                    "X-Api-Key": c.make("webhookapikey"), "X-Team": "ops"}}}),
        json!({"name": "webhook with basic auth", "kind": "webhook",
            "settings": {"url": format!("{base}/hooks/basic"),
                "headers": {"Authorization": basic("ops", &c.make("webhookbasicpassword"))}}}),
        json!({"name": "webhook from an apprise url", "kind": "webhook",
            "url": format!("json://ops:{}@{}/hooks/apprise?+X-Auth-Token={}&key={}",
                c.make("appriseuserinfopassword"), app.receiver.addr,
                c.make("appriseheadertoken"), c.make("apprisequerykey"))}),
        json!({"name": "slack", "kind": "slack", "secrets": {"webhook_url":
            format!("{base}/services/T00000000/B00000000/{}", c.make("slackwebhookurl"))}}),
        json!({"name": "mattermost", "kind": "mattermost", "secrets": {"webhook_url":
            format!("{base}/hooks/{}", c.make("mattermostwebhookurl"))}}),
        json!({"name": "rocketchat", "kind": "rocketchat", "secrets": {"webhook_url":
            format!("{base}/hooks/6oYTSTvF5QPf9s3xM/{}", c.make("rocketchatwebhookurl"))}}),
        json!({"name": "googlechat", "kind": "googlechat", "secrets": {"webhook_url":
            format!("{base}/v1/spaces/AAAAo1kK2Rw/messages?key=AIzaSyDdI0hCZtE6vySjMm&token={}",
                c.make("googlechatwebhooktoken"))}}),
        json!({"name": "pagerduty", "kind": "pagerduty", "settings": {"api_base": base},
            "secrets": {"routing_key": pagerduty_key}}),
        json!({"name": "opsgenie", "kind": "opsgenie", "settings": {"api_base": base},
            "secrets": {"api_key": c.make("opsgenieapikey")}}),
        json!({"name": "twilio", "kind": "twilio", "settings": {"api_base": base,
            "account_sid": "AC0123456789abcdef0123456789abcdef", "from": "+15551234567",
            "to": "+15557654321"}, "secrets": {"auth_token": c.make("twilioauthtoken")}}),
        json!({"name": "gotify", "kind": "gotify", "settings": {"server_url": base},
            "secrets": {"app_token": c.make("gotifyapptoken")}}),
        json!({"name": "gotify by file", "kind": "gotify", "settings": {"server_url": base},
            "secrets": {"app_token": format!("${{file:{}}}", token_file.display())}}),
        json!({"name": "ntfy", "kind": "ntfy", "settings": {"server_url": base, "topic": "alerts"},
            "secrets": {"access_token": format!("tk_{}", c.make("ntfyaccesstoken"))}}),
        json!({"name": "ntfy with a password", "kind": "ntfy",
            "settings": {"server_url": base, "topic": "alerts", "username": "ops"},
            "secrets": {"password": c.make("ntfypassword")}}),
        json!({"name": "pushover", "kind": "pushover", "settings": {"api_base": base},
            "secrets": {"user_key": c.make("pushoveruserkey"),
                "api_token": c.make("pushoverapitoken")}}),
        json!({"name": "pushbullet", "kind": "pushbullet", "settings": {"api_base": base},
            "secrets": {"access_token": format!("o.{}", c.make("pushbulletaccesstoken"))}}),
        json!({"name": "telegram", "kind": "telegram",
            "settings": {"api_base": base, "chat_id": "-1001234567890"},
            "secrets": {"bot_token": format!("123456789:{}", c.make("telegrambottoken"))}}),
        json!({"name": "telegram refused", "kind": "telegram",
            "settings": {"api_base": refused, "chat_id": "-1001234567890"},
            "secrets": {"bot_token": format!("123456789:{}", c.make("telegramrefusedtoken"))}}),
        json!({"name": "matrix", "kind": "matrix",
            "settings": {"homeserver": base, "room_id": "!ops:example.org"},
            "secrets": {"access_token": c.make("matrixaccesstoken")}}),
        json!({"name": "matrix missing ref", "kind": "matrix",
            "settings": {"homeserver": base, "room_id": "!ops:example.org"},
            "secrets": {"access_token": "${env:TOCSIN_SECRETS_TEST_NEVER_SET}"}}),
        json!({"name": "matrix missing: the key file", "kind": "matrix",
            "settings": {"homeserver": base, "room_id": "!ops:example.org"},
            "secrets": {"access_token": format!("${{file:{}}}",
                app.app_state.config.data_dir.join("secret.key").display())}}),
        json!({"name": "matrix missing: Tocsin's own variable", "kind": "matrix",
            "settings": {"homeserver": base, "room_id": "!ops:example.org"},
            "secrets": {"access_token": "${env:TOCSIN_SECRET_KEY}"}}),
        json!({"name": "zulip", "kind": "zulip", "settings": {"site": base,
            "bot_email": "alerts-bot@example.zulipchat.com", "stream": "ops", "topic": "deploys"},
            "secrets": {"api_key": c.make("zulipapikey")}}),
        json!({"name": "signal", "kind": "signal", "settings": {"server": base,
            "from_number": "+4912345678", "recipients": "+4967890123", "username": "ops"},
            "secrets": {"password": c.make("signalpassword")}}),
        json!({"name": "discord", "kind": "discord", "secrets": {"webhook_url":
            format!("{base}/api/webhooks/123456789012345678/{}", c.make("discordwebhooktoken"))}}),
        json!({"name": "teams", "kind": "teams", "secrets": {"webhook_url": format!(
            "{base}/workflows/abc123/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={}",
            c.make("teamswebhooksig"))}}),
        json!({"name": "lark", "kind": "lark", "secrets": {
            "webhook_url": format!("{base}/open-apis/bot/v2/hook/{}", c.make("larkwebhookurl")),
            "signing_secret": c.make("larksigningsecret")}}),
        json!({"name": "webex", "kind": "webex", "secrets": {"webhook_url":
            format!("{base}/v1/webhooks/incoming/{}", c.make("webexwebhookurl"))}}),
        json!({"name": "webex bot", "kind": "webex",
            "settings": {"api_base": base, "room_id": "Y2lzY29zcGFyazovL3VzL1JPT00vYWJj"},
            "secrets": {"bot_token": c.make("webexbottoken")}}),
        json!({"name": "resend", "kind": "resend", "settings": {"from": "Tocsin <alerts@example.com>",
            "to": "ops@example.com", "api_base": base},
            "secrets": {"api_key": format!("re_{}", c.make("resendapikey"))}}),
        json!({"name": "resend by profile", "kind": "resend",
            "settings": {"profile": resend_profile, "to": "ops@example.com"}}),
        json!({"name": "ses", "kind": "ses", "settings": {"region": "eu-west-1",
            "access_key_id": "AKIAIOSFODNN7EXAMPLE", "from": "alerts@example.com",
            "to": "ops@example.com", "api_base": base},
            "secrets": {"secret_access_key": c.make("sessecretaccesskey")}}),
        json!({"name": "email", "kind": "email", "settings": {"host": "127.0.0.1",
            "port": closed_port(), "security": "tls", "username": "alerts",
            "from": "alerts@example.com", "to": "ops@example.com"},
            "secrets": {"password": c.make("emailpassword")}}),
        json!({"name": "email by profile", "kind": "email",
            "settings": {"profile": email_profile, "to": "ops@example.com"}}),
    ];
    // Every kind is covered.
    for kind in tocsin_providers::Kind::ALL {
        assert!(
            channels.iter().any(|ch| ch["kind"] == kind.name()),
            "no channel of kind {}",
            kind.name()
        );
    }

    // A test send of an unsaved channel, and bad input that carries a secret.
    app.receiver.script([Reply::Echo(401)]);
    let (_, answer) = app
        .post(
            "/api/v1/channels/test",
            json!({"kind": "telegram", "settings": {"api_base": base, "chat_id": "-100123"},
                "secrets": {"bot_token": format!("123456789:{}", c.make("telegramunsaved"))}}),
        )
        .await;
    assert_eq!(answer["ok"], false, "{answer}");
    answers.push(("unsaved test".into(), answer.to_string()));
    let (status, answer) = app
        .post(
            "/api/v1/channels",
            json!({"name": "bad", "kind": "telegram", "settings": {"chat_id": "not a chat"},
                "secrets": {"bot_token": format!("123456789:{}", c.make("telegrambadinput"))}}),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    answers.push(("bad input".into(), answer.to_string()));

    let mut ids = Vec::new();
    let mut names = Vec::new();
    let mut reach_the_receiver = Vec::new();
    for mut body in channels {
        body["events"] = json!(["deploy.*"]);
        let (status, created) = app.post("/api/v1/channels", body.clone()).await;
        assert_eq!(status, 201, "{}: {created}", body["name"]);
        answers.push((format!("create {}", body["name"]), created.to_string()));
        let id = created["id"].as_str().unwrap().to_owned();
        let name = body["name"].as_str().unwrap();
        // Secrets show as "set"; a reference, which is no secret, as itself.
        for (field, shown) in created["secrets"].as_object().unwrap() {
            let given = body["secrets"][field].as_str().unwrap_or_default();
            if given.starts_with("${") {
                assert_eq!(shown, given, "{name}");
            } else {
                assert_eq!(shown, "set", "{name}");
            }
        }
        if !name.contains("refused") && !name.contains("missing") && !name.starts_with("email") {
            reach_the_receiver.push(id.clone());
        }
        ids.push(id);
        names.push(name.to_owned());
    }

    // Test sends: a 401 whose body quotes the request's path, and a 500.
    for id in &ids {
        for reply in [
            Reply::Echo(401),
            Reply::EchoAll(400),
            Reply::EchoAll(500),
            Reply::Status(500, "internal error"),
        ] {
            if reach_the_receiver.contains(id) {
                app.receiver.script([reply]);
            }
            let (status, answer) = app
                .post(&format!("/api/v1/channels/{id}/test"), json!({}))
                .await;
            assert_eq!(status, 200, "{answer}");
            assert_eq!(answer["ok"], false, "{answer}");
            answers.push((format!("test {id}"), answer.to_string()));
        }
    }
    // One that times out.
    let telegram = &ids[names.iter().position(|n| n == "telegram").unwrap()];
    app.receiver.script([Reply::Hang]);
    let (_, answer) = app
        .post(&format!("/api/v1/channels/{telegram}/test"), json!({}))
        .await;
    assert!(
        answer["error"].as_str().unwrap().contains("timed out"),
        "{answer}"
    );
    answers.push(("test timeout".into(), answer.to_string()));
    // The receiver is left with no script: what follows answers 200.
    let before_events = app.receiver.received().len();

    // An event routed to every channel: the first attempts get 500s that quote the path,
    // the retries 200s (or the kind's own failure), the closed ports refuse every time.
    app.receiver.script((0..50).map(|i| {
        if i % 2 == 0 {
            Reply::EchoAll(500)
        } else {
            Reply::Echo(500)
        }
    }));
    let accepted = app.emit(deploy_event()).await;
    let event_id = accepted["id"].as_str().unwrap().to_owned();
    assert_eq!(accepted["deliveries"], ids.len(), "{accepted}");
    let mut finished = false;
    for _ in 0..8 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (_, event) = app.get(&format!("/api/v1/events/{event_id}")).await;
        let open = event["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["status"] != "delivered" && d["status"] != "failed")
            .count();
        if open == 0 {
            finished = true;
            break;
        }
        app.advance(Duration::from_secs(6 * 60));
    }
    eventually(|| async {
        let (_, event) = app.get(&format!("/api/v1/events/{event_id}")).await;
        let done = event["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "delivered" || d["status"] == "failed");
        (finished || done).then_some(())
    })
    .await;

    // Every read the API offers.
    let mut paths = vec![
        "/api/v1/channels".to_owned(),
        "/api/v1/profiles".to_owned(),
        format!("/api/v1/profiles/{resend_profile}"),
        format!("/api/v1/profiles/{email_profile}"),
        "/api/v1/deliveries?limit=500".to_owned(),
        "/api/v1/deliveries?status=failed&limit=500".to_owned(),
        "/api/v1/events?limit=500".to_owned(),
        format!("/api/v1/events/{event_id}"),
        "/api/v1/rules".to_owned(),
        "/api/v1/states".to_owned(),
        "/api/v1/audit?limit=500".to_owned(),
        "/api/v1/events?type=audit.channel.created&limit=500".to_owned(),
        "/api/v1/tokens".to_owned(),
        "/api/v1/kinds".to_owned(),
        "/api/v1/openapi.json".to_owned(),
        "/metrics".to_owned(),
    ];
    for id in &ids {
        paths.push(format!("/api/v1/channels/{id}"));
        paths.push(format!("/api/v1/channels/{id}/deliveries"));
    }
    let (_, event) = app.get(&format!("/api/v1/events/{event_id}")).await;
    for d in event["deliveries"].as_array().unwrap() {
        paths.push(format!("/api/v1/deliveries/{}", d["id"].as_str().unwrap()));
    }
    for path in &paths {
        let (status, answer) = app.get(path).await;
        assert_eq!(status, 200, "{path}: {answer}");
        answers.push((path.clone(), answer.to_string()));
    }
    let (_, explained) = app.post("/api/v1/rules/explain", deploy_event()).await;
    answers.push(("explain".into(), explained.to_string()));

    // The test really exercised the secrets: receivers got them, references resolved,
    // and what quoted them was scrubbed.
    let received: String = app
        .receiver
        .received()
        .iter()
        .map(|r| {
            format!(
                "{} {:?} {}\n",
                r.path,
                r.headers,
                String::from_utf8_lossy(&r.body)
            )
        })
        .collect();
    for tag in [
        "telegrambottoken",
        "slackwebhookurl",
        "gotifyfileref",
        "ntfyaccesstoken",
        "webhookurlpath",
        "webhookurlquery",
        "webhookbearer",
        "webhookapikey",
        "apprisequerykey",
        "appriseheadertoken",
    ] {
        assert!(
            received.contains(&c.all[tag]),
            "the receiver never saw {tag}"
        );
    }
    for (user, tag) in [
        ("ops", "webhookbasicpassword"),
        ("ops", "appriseuserinfopassword"),
        ("ops", "ntfypassword"),
    ] {
        assert!(
            received.contains(&basic(user, &c.all[tag])),
            "the receiver never saw the Basic credentials of {tag}"
        );
    }
    assert!(app.receiver.received().len() > before_events);
    // References cannot reach the master key.
    let key = std::fs::read_to_string(app.app_state.config.data_dir.join("secret.key")).unwrap();
    assert!(!received.contains(key.trim()), "the master key was sent");

    // What the store returns prints no secret either.
    let store = &app.app_state.store;
    let debug = format!(
        "{:?}{:?}",
        store.list_channels().await.unwrap(),
        store.list_profiles().await.unwrap()
    );

    let mut found = Vec::new();
    for (what, answer) in &answers {
        found.extend(leaks(
            &c,
            &format!("API answer ({what})"),
            answer.as_bytes(),
        ));
    }
    found.extend(leaks(&c, "Debug of stored channels", debug.as_bytes()));
    // The database as it is on disk, with its write-ahead log (the server still runs:
    // its temporary directory goes when it stops).
    let data_dir = app.app_state.config.data_dir.clone();
    for name in ["tocsin.db", "tocsin.db-wal", "tocsin.db-shm"] {
        let bytes = std::fs::read(data_dir.join(name)).unwrap();
        assert!(!bytes.is_empty(), "{name} is empty");
        found.extend(leaks(&c, name, &bytes));
    }
    app.stop().await;
    let logged = log.lock().unwrap().clone();
    assert!(!logged.is_empty(), "the log capture saw nothing");
    found.extend(leaks(&c, "log", &logged));
    assert!(found.is_empty(), "secrets leaked:\n{}", found.join("\n"));

    // And it took scrubbing: answers quoted secrets that were replaced.
    let all_answers: String = answers.iter().map(|(_, a)| a.as_str()).collect();
    assert!(
        all_answers.contains("[redacted]"),
        "nothing needed scrubbing?"
    );
    // The receivers' echoes of the request's headers were kept, scrubbed.
    assert!(
        all_answers.contains("x-team: ops") && all_answers.contains("bad request POST"),
        "no echo of the headers was recorded"
    );
    assert!(
        all_answers.contains("${env:TOCSIN_SECRETS_TEST_NEVER_SET}"),
        "a missing reference is named"
    );
    assert!(all_answers.contains("\"set\""));
}

async fn start(
    dir: &std::path::Path,
    key: Option<&str>,
) -> anyhow::Result<tocsin_server::Application> {
    let mut config = test_config(dir);
    config.secret_key = key.map(|k| k.to_owned().into());
    let clock = tocsin_server::clock::ManualClock::new(tocsin_core::time::now_millis());
    tocsin_server::Application::build_with_clock(config, Arc::new(clock)).await
}

fn channel_with_secret(token: &str) -> tocsin_core::channel::Channel {
    let mut config = tocsin_core::channel::ChannelConfig::default();
    config
        .settings
        .insert("url".into(), json!("http://127.0.0.1:9/hook"));
    config.secrets.insert(
        "signing_secret",
        format!("whsec_{}", STANDARD.encode(token.as_bytes())),
    );
    tocsin_core::channel::Channel {
        id: tocsin_core::id::new_id(),
        name: "hook".into(),
        kind: "webhook".into(),
        config,
        enabled: true,
        tags: Vec::new(),
        retry_schedule: None,
        tenant: None,
        projects: Vec::new(),
        created_at: 0,
        updated_at: 0,
    }
}

/// The secrets of every channel as the database holds them.
async fn raw_secrets(dir: &std::path::Path) -> Vec<String> {
    use tocsin_store::Store;
    let store = tocsin_store::SqliteStore::open(&dir.join("tocsin.db"))
        .await
        .unwrap();
    let values = store
        .list_channels()
        .await
        .unwrap()
        .iter()
        .flat_map(|c| {
            c.config
                .secrets
                .iter_exposed()
                .map(|(_, v)| v.to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    store.close().await;
    values
}

#[tokio::test]
async fn the_first_start_creates_an_owner_only_key_file_and_a_wrong_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path(), None).await.unwrap();
    let key_file = dir.path().join("secret.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let key = tocsin_core::crypto::MasterKey::parse(&std::fs::read_to_string(&key_file).unwrap())
        .unwrap();
    app.state()
        .store
        .create_channel(&channel_with_secret("wrong-key-test-secret-value"), None)
        .await
        .unwrap();
    drop(app);
    let stored = raw_secrets(dir.path()).await;
    assert!(
        stored[0].starts_with(&format!("enc:v1:{}:", key.id())),
        "{stored:?}"
    );

    // Another key cannot open what is stored: the start is refused, saying why.
    let other = tocsin_core::crypto::MasterKey::generate();
    let err = start(dir.path(), Some(&other.encode()))
        .await
        .err()
        .expect("a wrong key is refused")
        .to_string();
    assert!(err.contains("cannot open"), "{err}");
    assert!(err.contains(other.id()) && err.contains(key.id()), "{err}");
    assert!(!err.contains(&other.encode()) && !err.contains(&key.encode()));

    // A lost key file is not silently replaced by a new key.
    std::fs::remove_file(&key_file).unwrap();
    assert!(start(dir.path(), None).await.is_err());
    assert!(!key_file.exists(), "no new key file was left behind");

    // The right key, given in TOCSIN_SECRET_KEY, opens them.
    let app = start(dir.path(), Some(&key.encode())).await.unwrap();
    let channels = app.state().store.list_channels().await.unwrap();
    assert_eq!(
        channels[0].config.secrets.expose("signing_secret"),
        Some(format!("whsec_{}", STANDARD.encode(b"wrong-key-test-secret-value")).as_str())
    );
}

#[tokio::test]
async fn plain_text_secrets_of_an_older_version_are_sealed_on_start() {
    use tocsin_store::Store;
    let dir = tempfile::tempdir().unwrap();
    let old = tocsin_store::SqliteStore::open(&dir.path().join("tocsin.db"))
        .await
        .unwrap();
    let mut channel = channel_with_secret("plain-text-from-an-older-version");
    // An older version kept the webhook's URL and headers in the settings.
    channel.config.settings.insert(
        "url".into(),
        json!("http://127.0.0.1:9/hook?token=olderUrlToken0123"),
    );
    channel.config.settings.insert(
        "headers".into(),
        json!({"Authorization": "Bearer olderHeaderToken0123"}),
    );
    old.create_channel(&channel, None).await.unwrap();
    old.close().await;
    let plain = channel
        .config
        .secrets
        .expose("signing_secret")
        .unwrap()
        .to_owned();
    assert_eq!(raw_secrets(dir.path()).await, vec![plain.clone()]);

    let app = start(dir.path(), None).await.unwrap();
    let read = app
        .state()
        .store
        .get_channel(channel.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        read.config.secrets.expose("signing_secret"),
        Some(plain.as_str())
    );
    // The webhook's URL and header values moved into the secrets; the settings show them
    // masked, and the channel still sends to the same place with the same header.
    assert_eq!(
        read.config.secrets.expose("url"),
        Some("http://127.0.0.1:9/hook?token=olderUrlToken0123")
    );
    assert_eq!(
        read.config.settings["url"],
        json!("http://127.0.0.1:9/hook?token=***")
    );
    assert_eq!(
        read.config.settings["headers"],
        json!({"Authorization": "set"})
    );
    assert!(
        read.config
            .secrets
            .expose("headers")
            .unwrap()
            .contains("Bearer olderHeaderToken0123")
    );
    drop(app);
    let stored = raw_secrets(dir.path()).await;
    assert_eq!(stored.len(), 3, "signing secret, headers and url");
    for value in &stored {
        assert!(value.starts_with("enc:v1:"), "{stored:?}");
        assert!(!value.contains(&plain) && !value.contains("older"));
    }
    let raw = tocsin_store::SqliteStore::open(&dir.path().join("tocsin.db"))
        .await
        .unwrap();
    let settings = format!(
        "{:?}",
        raw.list_channels().await.unwrap()[0].config.settings
    );
    raw.close().await;
    assert!(!settings.contains("older"), "{settings}");
}

#[tokio::test]
async fn the_sealed_store_replaces_secrets_given_in_plain_text() {
    use tocsin_store::{SecretOwner, SecretsChange};
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path(), None).await.unwrap();
    let store = &app.state().store;
    let channel = channel_with_secret("first-signing-secret-value");
    store.create_channel(&channel, None).await.unwrap();
    let replaced = channel_with_secret("second-signing-secret-value")
        .config
        .secrets;
    let change = |previous: &tocsin_core::channel::Secrets| SecretsChange {
        owner: SecretOwner::Channel(channel.id),
        previous: previous.clone(),
        secrets: replaced.clone(),
    };
    // A stale `previous` changes nothing.
    assert!(!store.replace_secrets(&[change(&replaced)]).await.unwrap());
    assert!(
        store
            .replace_secrets(&[change(&channel.config.secrets)])
            .await
            .unwrap()
    );
    let read = store.get_channel(channel.id).await.unwrap().unwrap();
    assert_eq!(read.config.secrets, replaced);
    drop(app);
    let stored = raw_secrets(dir.path()).await;
    assert!(stored[0].starts_with("enc:v1:"), "{stored:?}");
}
