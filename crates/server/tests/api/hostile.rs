//! Hostile input at the API: the input limits answer with clear 4xx errors, plain-HTTP
//! targets are refused when a channel is saved, and a corpus of malformed requests sent to
//! every route of the OpenAPI document never gets a 5xx or a body that is not the API's JSON
//! error.

use serde_json::{Value, json};

use crate::helpers::{TOKEN, TestApp, spawn_app, spawn_app_with};

/// Sends raw bytes with the given content type (or none) and returns status and body text.
async fn raw(
    app: &TestApp,
    method: &str,
    path_and_query: &str,
    content_type: Option<&str>,
    body: Option<Vec<u8>>,
) -> (u16, String) {
    let mut req = app
        .client
        .request(
            method.parse().unwrap(),
            format!("{}{path_and_query}", app.base),
        )
        .bearer_auth(TOKEN);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    if let Some(body) = body {
        req = req.body(body);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

fn error_code(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    value["error"]["code"].as_str().map(str::to_owned)
}

fn nested(depth: usize) -> Vec<u8> {
    // The event and `data` are two levels; the arrays inside `data` the rest.
    let mut text = String::from("{\"type\": \"a.b\", \"title\": \"t\", \"data\": {\"a\": ");
    text.push_str(&"[".repeat(depth - 2));
    text.push_str(&"]".repeat(depth - 2));
    text.push_str("}}");
    text.into_bytes()
}

#[tokio::test]
async fn a_body_nested_deeper_than_the_limit_is_a_400() {
    let app = spawn_app().await;
    let (status, body) = raw(
        &app,
        "POST",
        "/api/v1/events",
        Some("application/json"),
        Some(nested(40)),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body).as_deref(), Some("too_deep"), "{body}");
    assert!(body.contains("api.max_json_depth"), "{body}");
    // Within the limit the same shape is accepted.
    let (status, body) = raw(
        &app,
        "POST",
        "/api/v1/events",
        Some("application/json"),
        Some(nested(20)),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    app.stop().await;
}

#[tokio::test]
async fn too_many_headers_get_a_431() {
    let app = spawn_app().await;
    let mut req = app
        .client
        .get(format!("{}/api/v1/channels", app.base))
        .bearer_auth(TOKEN);
    for i in 0..70 {
        req = req.header(format!("x-extra-{i}"), "1");
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 431);
    let body = resp.text().await.unwrap();
    assert_eq!(
        error_code(&body).as_deref(),
        Some("too_many_headers"),
        "{body}"
    );
    // A normal request still goes through.
    let (status, _) = app.get("/api/v1/channels").await;
    assert_eq!(status, 200);
    app.stop().await;
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_a_413() {
    let app = spawn_app_with(|c| c.api.max_body_bytes = 4096).await;
    let big = json!({"type": "a.b", "title": "t", "message": "x".repeat(8192)});
    let (status, body) = raw(
        &app,
        "POST",
        "/api/v1/events",
        Some("application/json"),
        Some(big.to_string().into_bytes()),
    )
    .await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(error_code(&body).as_deref(), Some("body_too_large"));
    app.stop().await;
}

#[tokio::test]
async fn a_bad_query_string_is_a_json_400() {
    let app = spawn_app().await;
    for query in ["limit=abc", "limit=-1", "limit=99999999999999999999"] {
        let (status, body) = raw(&app, "GET", &format!("/api/v1/events?{query}"), None, None).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(
            error_code(&body).as_deref(),
            Some("invalid_query"),
            "{body}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_plain_http_webhook_to_a_host_not_allow_listed_is_refused_at_save() {
    let app = spawn_app().await;
    let body = json!({"name": "plain", "kind": "webhook", "events": [],
        "settings": {"url": "http://hooks.example.com/tocsin"}});
    let (status, err) = app.post("/api/v1/channels", body.clone()).await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "settings.url", "{err}");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("use https://"),
        "{err}"
    );
    // The test send refuses it the same way, before anything is sent.
    let (status, err) = app.post("/api/v1/channels/test", body).await;
    assert_eq!(status, 422, "{err}");
    // The URL form too, and other kinds whose server the user names.
    let (status, err) = app
        .post(
            "/api/v1/channels",
            json!({"name": "apprise", "url": "json://hooks.example.com/x", "events": []}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    let (status, err) = app
        .post(
            "/api/v1/channels",
            json!({"name": "ntfy", "kind": "ntfy", "events": [],
                "settings": {"server_url": "http://ntfy.example.com", "topic": "alerts"}}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "settings.server_url", "{err}");
    // https, and plain http to an allow-listed address, are fine.
    let (status, _) = app
        .post(
            "/api/v1/channels",
            json!({"name": "tls", "kind": "webhook", "events": [],
                "settings": {"url": "https://hooks.example.com/tocsin"}}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = app
        .post(
            "/api/v1/channels",
            json!({"name": "local", "kind": "webhook", "events": [],
                "settings": {"url": "http://127.0.0.1:9/hook"}}),
        )
        .await;
    assert_eq!(status, 201);
    app.stop().await;
}

#[tokio::test]
async fn an_admin_may_let_a_channel_use_plain_http() {
    let app = spawn_app().await;
    let (status, channel) = app
        .post(
            "/api/v1/channels",
            json!({"name": "plain", "kind": "webhook", "events": [],
                "settings": {"url": "http://hooks.example.com/tocsin", "allow_http": true}}),
        )
        .await;
    assert_eq!(status, 201, "{channel}");
    assert_eq!(channel["settings"]["allow_http"], true, "{channel}");
    let id = channel["id"].as_str().unwrap();
    // Turning it off again makes the channel invalid as it stands.
    let (status, err) = app
        .call(
            "PATCH",
            &format!("/api/v1/channels/{id}"),
            Some(json!({"settings": {"allow_http": false}})),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    let (status, err) = app
        .post(
            "/api/v1/channels",
            json!({"name": "bad", "kind": "webhook", "events": [],
                "settings": {"url": "https://hooks.example.com/", "allow_http": "yes"}}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "settings.allow_http", "{err}");
    app.stop().await;
}

#[tokio::test]
async fn templates_that_take_too_much_work_or_output_are_refused_at_save() {
    let app = spawn_app().await;
    let cases = [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "too much work",
        ),
        (
            "{% for i in range(20000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}",
            "larger than 256 KiB",
        ),
        ("{{ 'x' * 1000000000 }}", "template"),
    ];
    for (template, why) in cases {
        let started = std::time::Instant::now();
        let (status, err) = app
            .post(
                "/api/v1/channels",
                json!({"name": "t", "kind": "webhook", "events": [],
                    "settings": {"url": app.receiver.url("/t"), "template": template,
                        "content_type": "text/plain"}}),
            )
            .await;
        assert_eq!(status, 422, "{template}: {err}");
        assert_eq!(err["error"]["field"], "settings.template", "{err}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains(why), "{template}: {message}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
    app.stop().await;
}

/// Bodies no route should take, each with the content type it is sent with.
fn hostile_bodies() -> Vec<(&'static str, Option<&'static str>, Vec<u8>)> {
    let json = Some("application/json");
    let mut deep_object = "{\"a\":".repeat(200);
    deep_object.push('1');
    deep_object.push_str(&"}".repeat(200));
    vec![
        ("broken JSON", json, b"{\"name\": ".to_vec()),
        ("empty body", json, Vec::new()),
        ("an array", json, b"[]".to_vec()),
        ("a string", json, b"\"channel\"".to_vec()),
        ("a number", json, b"42".to_vec()),
        ("null", json, b"null".to_vec()),
        (
            "wrong types",
            json,
            br#"{"name": 1, "type": [], "kind": {}, "title": false, "settings": "x", "events": 5,
                "url": 7, "enabled": "yes", "channels": "all", "scopes": 3, "zone": [],
                "intervals": {}, "severity": 9, "source": [], "data": 3, "recipients": 1}"#
                .to_vec(),
        ),
        (
            "huge numbers",
            json,
            br#"{"name": "n", "limit": 1e400, "port": 99999999999999999999999999,
                "repeat_interval": -1e308, "margin": 1.7976931348623157e309, "cool_off": -0}"#
                .to_vec(),
        ),
        ("deep arrays", json, b"[".repeat(500)),
        ("deep objects", json, deep_object.into_bytes()),
        (
            "invalid UTF-8",
            json,
            b"{\"name\": \"\xff\xfe\xfd\", \"type\": \"\xc3\x28\"}".to_vec(),
        ),
        (
            "NUL and control characters",
            json,
            b"{\"name\": \"a\\u0000b\", \"type\": \"a\\u0007.b\", \"title\": \"\\ud800\"}".to_vec(),
        ),
        (
            "a long string",
            json,
            format!(
                "{{\"name\": \"{}\", \"type\": \"{}\"}}",
                "n".repeat(20_000),
                "t".repeat(20_000)
            )
            .into_bytes(),
        ),
        ("text/plain", Some("text/plain"), b"{}".to_vec()),
        ("no content type", None, b"{}".to_vec()),
        (
            "a form",
            Some("application/x-www-form-urlencoded"),
            b"name=a&kind=b".to_vec(),
        ),
        (
            "a bad content type",
            Some("application/json;;;=\"x"),
            b"{}".to_vec(),
        ),
        ("any content type", Some("*/*"), b"{}".to_vec()),
        (
            "UTF-16",
            Some("application/json; charset=utf-16"),
            b"\xff\xfe{\x00}\x00".to_vec(),
        ),
        ("a body over the limit", json, vec![b' '; 20_000]),
    ]
}

/// Path parameters that are not ids of anything.
const BAD_IDS: &[&str] = &[
    "not-an-id",
    "01KAQ5Q0000000000000000000",
    "00000000000000000000000000",
    "ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
    "%00",
    "..%2F..%2Fetc",
    "%ff%fe",
    "a%20b",
];

const BAD_QUERIES: &[&str] = &[
    "limit=abc",
    "limit=-1",
    "limit=99999999999999999999",
    "before=xyz",
    "before=",
    "type=%ff",
    "%zz=1",
    "limit=1&limit=2",
    "status=nope",
    "channel_id=nope",
    "event_id=%00",
];

/// One malformed request: target, content type, body, and what is wrong with it.
type Probe = (String, Option<&'static str>, Option<Vec<u8>>, String);

#[tokio::test]
async fn malformed_requests_to_every_route_get_a_json_4xx_never_a_5xx() {
    let app = spawn_app_with(|c| c.api.max_body_bytes = 16 * 1024).await;
    let (status, doc) = app.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    let paths = doc["paths"].as_object().unwrap();
    let mut failures = Vec::new();
    let mut sent = 0;
    for (path, item) in paths {
        let templated = path.contains('{');
        let concrete: Vec<String> = if templated {
            BAD_IDS
                .iter()
                .map(|id| {
                    let mut p = path.clone();
                    while let (Some(start), Some(end)) = (p.find('{'), p.find('}')) {
                        p.replace_range(start..=end, id);
                    }
                    p
                })
                .collect()
        } else {
            vec![path.clone()]
        };
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            let upper = method.to_ascii_uppercase();
            let takes_body = matches!(method, "post" | "put" | "patch");
            for target in &concrete {
                let mut requests: Vec<Probe> = Vec::new();
                if takes_body {
                    for (what, ct, body) in hostile_bodies() {
                        requests.push((target.clone(), ct, Some(body), what.to_owned()));
                    }
                } else {
                    requests.push((target.clone(), None, None, "no body".to_owned()));
                    for q in BAD_QUERIES {
                        requests.push((format!("{target}?{q}"), None, None, format!("?{q}")));
                    }
                }
                for (uri, ct, body, what) in requests {
                    let (status, text) = raw(&app, &upper, &uri, ct, body).await;
                    sent += 1;
                    if status >= 500 {
                        failures.push(format!("{upper} {uri} ({what}): {status} {text}"));
                    } else if status >= 400 && error_code(&text).is_none() {
                        failures.push(format!(
                            "{upper} {uri} ({what}): {status} without a JSON error: {text:.200}"
                        ));
                    }
                }
            }
        }
    }
    eprintln!("{sent} malformed requests sent to {} paths", paths.len());
    assert!(sent > 300, "only {sent} requests were sent");
    assert!(
        failures.is_empty(),
        "{} of {sent} requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    app.stop().await;
}
