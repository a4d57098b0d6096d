//! The UI over plain HTTP, as a browser without scripts sees it: sign-in and its
//! refusals, CSRF, pages that read without JavaScript, secrets never shown, languages.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};

use crate::helpers::{TOKEN, TestApp, spawn_app};

/// A URL-encoded form body (reqwest's own `form` needs a feature the workspace leaves off).
trait FormPairs {
    fn form_pairs(self, pairs: &[(&str, &str)]) -> Self;
}

impl FormPairs for reqwest::RequestBuilder {
    fn form_pairs(self, pairs: &[(&str, &str)]) -> Self {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    }
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}

/// The value of a cookie a response sets.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// The value of the hidden `_csrf` field of a page.
fn csrf_of(page: &str) -> String {
    let at = page
        .find("name=\"_csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 20;
    page[at..].split('"').next().unwrap().to_owned()
}

/// A signed-in browser without scripts: its cookie header.
struct Visitor {
    client: reqwest::Client,
    base: String,
    cookies: String,
}

impl Visitor {
    async fn sign_in(app: &TestApp) -> Self {
        Self::sign_in_as(app, TOKEN).await
    }

    async fn sign_in_as(app: &TestApp, token: &str) -> Self {
        let client = no_redirects();
        let page = client
            .get(format!("{}/ui/login", app.base))
            .send()
            .await
            .unwrap();
        let nonce = set_cookie(&page, "tocsin_login").expect("the form sets its nonce");
        let csrf = csrf_of(&page.text().await.unwrap());
        let answer = client
            .post(format!("{}/ui/login", app.base))
            .header(COOKIE, format!("tocsin_login={nonce}"))
            .form_pairs(&[
                ("_csrf", csrf.as_str()),
                ("token", token),
                ("next", "/ui/events"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        assert_eq!(answer.headers()[LOCATION], "/ui/events");
        let set = answer
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|v| v.starts_with("tocsin_session="))
            .unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        assert!(!set.contains(token), "the cookie never holds the token");
        let session = set_cookie(&answer, "tocsin_session").unwrap();
        Self {
            client,
            base: app.base.clone(),
            cookies: format!("tocsin_session={session}"),
        }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header(COOKIE, &self.cookies)
            .send()
            .await
            .unwrap()
    }

    async fn page(&self, path: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.text().await.unwrap()
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header(COOKIE, &self.cookies)
            .form_pairs(form)
            .send()
            .await
            .unwrap()
    }
}

async fn api_post(app: &TestApp, path: &str, body: Value) -> Value {
    app.client
        .post(format!("{}{path}", app.base))
        .bearer_auth(TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_session_has_its_tokens_scopes_and_tenant_and_ends_when_the_token_is_revoked() {
    let app = spawn_app().await;
    api_post(
        &app,
        "/api/v1/channels",
        json!({"name": "global chat", "kind": "webhook",
               "settings": {"url": app.receiver.url("/hook")}}),
    )
    .await;
    let created = api_post(
        &app,
        "/api/v1/tokens",
        json!({"name": "acme reader", "scopes": ["channels:read", "deliveries:read"],
               "tenant": "acme"}),
    )
    .await;
    let token = created["token"].as_str().expect("the new token");
    let v = Visitor::sign_in_as(&app, token).await;
    let channels = v.page("/ui/channels").await;
    assert!(
        !channels.contains("global chat"),
        "a tenant's session sees only its tenant's channels"
    );
    assert_eq!(
        v.get("/ui/rules").await.status(),
        StatusCode::FORBIDDEN,
        "the token lacks rules:read"
    );
    let revoked = app
        .client
        .delete(format!(
            "{}/api/v1/tokens/{}",
            app.base,
            created["id"].as_str().unwrap()
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert!(revoked.status().is_success(), "{}", revoked.status());
    let after = v.get("/ui/channels").await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(
        after.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/ui/login")
    );
}

#[tokio::test]
async fn a_stranger_is_sent_to_sign_in_and_a_wrong_token_is_refused() {
    let app = spawn_app().await;
    let client = no_redirects();
    for path in [
        "/",
        "/ui/channels",
        "/ui/deliveries",
        "/ui/events",
        "/ui/rules",
    ] {
        let r = client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        let to = r.headers()[LOCATION].to_str().unwrap();
        assert!(to.starts_with("/ui/login") || to == "/ui/", "{path} → {to}");
    }
    let page = client
        .get(format!("{}/ui/login", app.base))
        .send()
        .await
        .unwrap();
    let nonce = set_cookie(&page, "tocsin_login").unwrap();
    let csrf = csrf_of(&page.text().await.unwrap());
    let refused = client
        .post(format!("{}/ui/login", app.base))
        .header(COOKIE, format!("tocsin_login={nonce}"))
        .form_pairs(&[("_csrf", csrf.as_str()), ("token", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&refused, "tocsin_session").is_none());
    // Signing in from another site's form (no nonce of ours) does not work either.
    let forged = client
        .post(format!("{}/ui/login", app.base))
        .form_pairs(&[("_csrf", csrf.as_str()), ("token", TOKEN)])
        .send()
        .await
        .unwrap();
    assert!(set_cookie(&forged, "tocsin_session").is_none());
}

#[tokio::test]
async fn a_form_posted_without_the_session_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let v = Visitor::sign_in(&app).await;
    let form = [
        ("kind", "webhook"),
        ("name", "sneaky"),
        ("s.url", "http://127.0.0.1:9/x"),
    ];
    let missing = v.post("/ui/channels", &form).await;
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let mut wrong = form.to_vec();
    wrong.push(("_csrf", "0000"));
    assert_eq!(
        v.post("/ui/channels", &wrong).await.status(),
        StatusCode::FORBIDDEN
    );
    // Without a session a post goes to sign-in.
    let anonymous = no_redirects()
        .post(format!("{}/ui/channels", app.base))
        .form_pairs(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    let channels: Value = app
        .client
        .get(format!("{}/api/v1/channels", app.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(channels, json!([]));

    // With the token it goes through.
    let csrf = csrf_of(&v.page("/ui/channels/new/webhook").await);
    let mut good = form.to_vec();
    good.push(("_csrf", csrf.as_str()));
    let created = v.post("/ui/channels", &good).await;
    assert_eq!(created.status(), StatusCode::OK, "the signing secret page");
    assert!(created.text().await.unwrap().contains("whsec_"));
}

#[tokio::test]
async fn every_page_reads_without_javascript() {
    let app = spawn_app().await;
    let channel = api_post(
        &app,
        "/api/v1/channels",
        json!({"name": "team chat", "kind": "webhook",
               "settings": {"url": app.receiver.url("/hook")}}),
    )
    .await;
    let accepted = api_post(
        &app,
        "/api/v1/events",
        json!({"type": "backup.failure", "title": "Nightly backup failed",
               "source": {"application": "db"}}),
    )
    .await;
    let v = Visitor::sign_in(&app).await;
    let id = channel["id"].as_str().unwrap();
    let event = accepted["id"].as_str().unwrap();
    assert!(v.page("/ui/channels").await.contains("team chat"));
    assert!(v.page("/ui/events").await.contains("Nightly backup failed"));
    let page = v.page(&format!("/ui/events/{event}")).await;
    assert!(page.contains("backup.failure") && page.contains("team chat"));
    assert!(v.page("/ui/deliveries").await.contains("backup.failure"));
    assert!(
        v.page(&format!("/ui/channels/{id}"))
            .await
            .contains("value=\"backup.failure\" checked")
    );
    for path in [
        "/ui/channels/new",
        "/ui/rules",
        "/ui/rules/new",
        "/ui/explain",
        "/ui/quiet-hours",
        "/ui/threshold-tokens",
    ] {
        let page = v.page(path).await;
        assert!(page.contains("<h1"), "{path}");
    }
    // A page that does not exist says so in a page, not in JSON.
    let missing = v.get("/ui/channels/01KAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.text().await.unwrap().contains("<html"));
}

#[tokio::test]
async fn secret_fields_show_that_they_are_set_and_never_their_value() {
    let app = spawn_app().await;
    let secret = "whsec_dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IGtleQ==";
    let channel = api_post(
        &app,
        "/api/v1/channels",
        json!({"name": "signed", "kind": "webhook",
               "settings": {"url": app.receiver.url("/hook")},
               "secrets": {"signing_secret": secret}}),
    )
    .await;
    let id = channel["id"].as_str().unwrap();
    let v = Visitor::sign_in(&app).await;
    let page = v.page(&format!("/ui/channels/{id}")).await;
    assert!(!page.contains(secret));
    assert!(!page.contains("dGhpcyBpcyBhIHRlc3Qgc2VjcmV0IGtleQ"));
    assert!(page.contains("name=\"x.signing_secret\" type=\"password\""));
    assert!(page.contains("class=\"tag ok\">set<"));

    // Saving the form with the secret left empty keeps it; the URL is changed.
    let csrf = csrf_of(&page);
    let saved = v
        .post(
            &format!("/ui/channels/{id}"),
            &[
                ("_csrf", csrf.as_str()),
                ("kind", "webhook"),
                ("name", "signed"),
                ("s.url", &app.receiver.url("/other")),
                ("enabled", "true"),
                ("ev", "deploy.failure"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let secret_kept = app
        .app_state
        .store
        .get_channel(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        secret_kept.config.secrets.expose("signing_secret"),
        Some(secret)
    );
    assert!(
        secret_kept.config.settings["url"]
            .as_str()
            .unwrap()
            .ends_with("/other")
    );
    // A page that fails validation does not echo a typed secret back either.
    let again = v
        .post(
            &format!("/ui/channels/{id}"),
            &[
                ("_csrf", csrf.as_str()),
                ("kind", "webhook"),
                ("name", ""),
                ("s.url", "not a url"),
                ("x.signing_secret", "whsec_bmV3IHNlY3JldCB0aGF0IGlzIHR5cGVk"),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !again
            .text()
            .await
            .unwrap()
            .contains("bmV3IHNlY3JldCB0aGF0IGlzIHR5cGVk")
    );
}

#[tokio::test]
async fn the_language_follows_accept_language_and_the_remembered_choice() {
    let app = spawn_app().await;
    let v = Visitor::sign_in(&app).await;
    let german = v
        .client
        .get(format!("{}/ui/channels", app.base))
        .header(COOKIE, &v.cookies)
        .header("accept-language", "de-DE,de;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(german.contains("<html lang=\"de\">") && german.contains("Kanäle"));
    let switched = v.get("/ui/lang/zh-CN?back=/ui/events").await;
    assert_eq!(switched.headers()[LOCATION], "/ui/events");
    let lang = set_cookie(&switched, "tocsin_lang").unwrap();
    assert_eq!(lang, "zh-CN");
    let chinese = v
        .client
        .get(format!("{}/ui/events", app.base))
        .header(COOKIE, format!("{}; tocsin_lang={lang}", v.cookies))
        .header("accept-language", "de")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(chinese.contains("<html lang=\"zh-CN\">") && chinese.contains("事件"));
    // The switcher goes back only to pages of the UI.
    let outside = v.get("/ui/lang/fr?back=https://example.com/").await;
    assert_eq!(outside.headers()[LOCATION], "/ui/channels");
}

#[tokio::test]
async fn signing_out_clears_the_session_cookie() {
    let app = spawn_app().await;
    let v = Visitor::sign_in(&app).await;
    let csrf = csrf_of(&v.page("/ui/channels").await);
    let out = v.post("/ui/logout", &[("_csrf", csrf.as_str())]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let cleared = out
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("tocsin_session="))
        .unwrap();
    assert!(cleared.starts_with("tocsin_session=;") && cleared.contains("Max-Age=0"));
}

#[tokio::test]
async fn deleting_a_channel_asks_first_then_removes_it() {
    let app = spawn_app().await;
    let channel = api_post(
        &app,
        "/api/v1/channels",
        json!({"name": "old pager", "kind": "webhook",
               "settings": {"url": app.receiver.url("/hook")}}),
    )
    .await;
    let id = channel["id"].as_str().unwrap();
    let v = Visitor::sign_in(&app).await;
    let confirm = v.page(&format!("/ui/channels/{id}/delete")).await;
    assert!(confirm.contains("Delete old pager?"));
    let csrf = csrf_of(&confirm);
    let deleted = v
        .post(
            &format!("/ui/channels/{id}/delete"),
            &[("_csrf", csrf.as_str())],
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(deleted.headers()[LOCATION], "/ui/channels?done=deleted");
    assert!(
        !v.page("/ui/channels?done=deleted")
            .await
            .contains("old pager")
    );
    assert_eq!(
        v.get(&format!("/ui/channels/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}
