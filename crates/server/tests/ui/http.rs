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
        "/ui/tokens",
        "/ui/preferences",
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

/// The value of the input with this id.
fn input_value(page: &str, id: &str) -> String {
    let tag_start = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("an input #{id}"));
    let rest = &page[tag_start..];
    let at = rest.find("value=\"").expect("the input has a value") + 7;
    rest[at..].split('"').next().unwrap().to_owned()
}

async fn api_status(app: &TestApp, token: &str, path: &str) -> StatusCode {
    app.client
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn an_api_token_is_created_shown_once_listed_and_revoked_after_a_confirmation() {
    let app = spawn_app().await;
    api_post(
        &app,
        "/api/v1/channels",
        json!({"name": "acme chat", "kind": "webhook", "tenant": "acme",
               "settings": {"url": app.receiver.url("/hook")}}),
    )
    .await;
    let v = Visitor::sign_in(&app).await;
    let page = v.page("/ui/tokens").await;
    assert!(page.contains("You act for every tenant."), "{page}");
    // The admin sees the tenants that own something: here a channel of acme.
    let tenants = &page[page.find("id=\"tenants\"").expect("a tenants table")..];
    assert!(tenants.contains("<strong>acme</strong>"));
    assert!(page.contains("value=\"tokens:write\"") && page.contains("value=\"admin\""));

    let csrf = csrf_of(&page);
    let created = v
        .post(
            "/ui/tokens",
            &[
                ("_csrf", csrf.as_str()),
                ("name", "deploy bot"),
                ("scope", "events:write"),
                ("scope", "deliveries:read"),
                ("tenant", ""),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::OK);
    let created = created.text().await.unwrap();
    assert!(created.contains("Token deploy bot created."));
    let secret = input_value(&created, "new-secret");
    assert!(
        secret.starts_with("tsn_") && secret.len() > 40,
        "a whole token is shown"
    );
    assert_eq!(
        api_status(&app, &secret, "/api/v1/events").await,
        StatusCode::OK
    );

    // Listed with its scopes, never with its secret again.
    let list = v.page("/ui/tokens").await;
    assert!(!list.contains(&secret));
    let row = &list[list.find("<strong>deploy bot</strong>").expect("listed")..];
    assert!(row.contains("deliveries:read") && row.contains("events:write"));
    let revoke_at = row.find("/revoke\"").unwrap();
    let href_start = row[..revoke_at].rfind("href=\"").unwrap() + 6;
    let revoke = format!("{}/revoke", &row[href_start..revoke_at]);

    // Revoking asks first; a post without the session's CSRF token changes nothing.
    let confirm = v.page(&revoke).await;
    assert!(confirm.contains("Revoke deploy bot?") && confirm.contains("id=\"confirm-revoke\""));
    let forged = v.post(&revoke, &[("_csrf", "forged")]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        api_status(&app, &secret, "/api/v1/events").await,
        StatusCode::OK
    );
    let done = v
        .post(&revoke, &[("_csrf", csrf_of(&confirm).as_str())])
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()[LOCATION], "/ui/tokens?done=revoked");
    assert_eq!(
        api_status(&app, &secret, "/api/v1/events").await,
        StatusCode::UNAUTHORIZED
    );
    let after = v.page("/ui/tokens?done=revoked").await;
    assert!(after.contains("The token is revoked.") && !after.contains("deploy bot"));
}

#[tokio::test]
async fn a_tenant_session_manages_only_its_tenant_s_tokens_and_never_more_than_it_holds() {
    let app = spawn_app().await;
    api_post(
        &app,
        "/api/v1/tokens",
        json!({"name": "globex ops", "scopes": ["channels:read"], "tenant": "globex"}),
    )
    .await;
    let acme = api_post(
        &app,
        "/api/v1/tokens",
        json!({"name": "acme admin", "scopes": ["tokens:write", "channels:read"],
               "tenant": "acme"}),
    )
    .await;
    let v = Visitor::sign_in_as(&app, acme["token"].as_str().unwrap()).await;
    let page = v.page("/ui/tokens").await;
    assert!(page.contains("You act for the tenant acme"), "{page}");
    assert!(page.contains("<strong>acme admin</strong>"));
    assert!(
        !page.contains("globex"),
        "another tenant's token is not shown"
    );
    // Only the scopes it holds are offered, and its tenant is fixed.
    assert!(page.contains("value=\"channels:read\"") && !page.contains("value=\"admin\""));
    assert!(page.contains("name=\"tenant\" value=\"acme\" readonly"));
    // A forged form asking for more is refused with the reason, next to the form.
    let refused = v
        .post(
            "/ui/tokens",
            &[
                ("_csrf", csrf_of(&page).as_str()),
                ("name", "escalate"),
                ("scope", "rules:write"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("id=\"token-error\""));
    assert!(
        refused.contains("Your token lacks the scope rules:write, so it cannot grant it."),
        "{refused}"
    );
    // A page the token may not read says why, in the reader's language.
    let german = v
        .client
        .get(format!("{}/ui/rules", app.base))
        .header(COOKIE, format!("{}; tocsin_lang=de", v.cookies))
        .send()
        .await
        .unwrap();
    assert_eq!(german.status(), StatusCode::FORBIDDEN);
    assert!(
        german
            .text()
            .await
            .unwrap()
            .contains("Ihrem Token fehlt die Berechtigung rules:read")
    );
    assert!(
        refused.contains("value=\"escalate\""),
        "what was typed stays"
    );
    // A token without tokens:write is told why instead of seeing a list.
    let reader = api_post(
        &app,
        "/api/v1/tokens",
        json!({"name": "reader", "scopes": ["channels:read"]}),
    )
    .await;
    let r = Visitor::sign_in_as(&app, reader["token"].as_str().unwrap()).await;
    let page = r.page("/ui/tokens").await;
    assert!(page.contains("id=\"tokens-forbidden\"") && !page.contains("acme admin"));
}

#[tokio::test]
async fn a_secret_reference_shows_where_its_value_comes_from_never_a_value() {
    let app = spawn_app().await;
    let channel = api_post(
        &app,
        "/api/v1/channels",
        json!({"name": "ops telegram", "kind": "telegram",
               "settings": {"chat_id": "-1001234567890"},
               "secrets": {"bot_token": "${env:TOCSIN_UI_TEST_BOT_TOKEN}"}}),
    )
    .await;
    let id = channel["id"].as_str().expect("created");
    let v = Visitor::sign_in(&app).await;
    let page = v.page(&format!("/ui/channels/{id}")).await;
    assert!(
        page.contains("from environment variable TOCSIN_UI_TEST_BOT_TOKEN"),
        "{page}"
    );
    assert!(page.contains("Leave empty to keep the reference"));
    assert!(!page.contains("class=\"tag ok\">set<"));
    let german = v
        .client
        .get(format!("{}/ui/channels/{id}", app.base))
        .header(COOKIE, format!("{}; tocsin_lang=de", v.cookies))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(german.contains("aus Umgebungsvariable TOCSIN_UI_TEST_BOT_TOKEN"));
    // The field itself stays empty: the reference is shown as words, the input is
    // write-only.
    assert!(german.contains("name=\"x.bot_token\" type=\"password\""));
    assert!(!german.contains("value=\"${env:"));
}

#[tokio::test]
async fn dates_numbers_and_durations_follow_the_language_and_the_picked_zone() {
    let app = spawn_app().await;
    api_post(
        &app,
        "/api/v1/tokens",
        json!({"name": "dated", "scopes": ["channels:read"]}),
    )
    .await;
    let v = Visitor::sign_in(&app).await;
    let page = v.page("/ui/preferences").await;
    assert!(page.contains("<option value=\"UTC\" selected>"));
    assert!(page.contains("1,234,567") && page.contains("2 min 3 s"));
    // A zone that does not exist is refused; a real one is remembered in a cookie.
    let csrf = csrf_of(&page);
    let bad = v
        .post(
            "/ui/preferences",
            &[
                ("_csrf", csrf.as_str()),
                ("lang", "de"),
                ("tz", "Mars/Olympus"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let saved = v
        .post(
            "/ui/preferences",
            &[
                ("_csrf", csrf.as_str()),
                ("lang", "ja"),
                ("tz", "Asia/Tokyo"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let tz = set_cookie(&saved, "tocsin_tz").unwrap();
    let lang = set_cookie(&saved, "tocsin_lang").unwrap();
    assert_eq!((tz.as_str(), lang.as_str()), ("Asia/Tokyo", "ja"));
    let read = |path: &'static str, cookies: String| {
        let v = &v;
        async move {
            v.client
                .get(format!("{}{path}", v.base))
                .header(COOKIE, cookies)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let ja = read(
        "/ui/tokens",
        format!("{}; tocsin_tz={tz}; tocsin_lang={lang}", v.cookies),
    )
    .await;
    // The token's creation time, `yyyy/mm/dd h:mm:ss JST`, as Japanese writes it.
    let now = jiff::Timestamp::from_millisecond(app.app_state.now())
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::get("Asia/Tokyo").unwrap());
    let day = format!("{}/{:02}/{:02} ", now.year(), now.month(), now.day());
    assert!(ja.contains(&day) && ja.contains(" JST</time>"), "{ja}");
    let prefs = read(
        "/ui/preferences",
        format!("{}; tocsin_tz={tz}; tocsin_lang=de", v.cookies),
    )
    .await;
    assert!(prefs.contains("1.234.567") && prefs.contains("2 Min. 3 s"));
    assert!(prefs.contains("<option value=\"Asia/Tokyo\" selected>"));
    let utc_de = read("/ui/tokens", format!("{}; tocsin_lang=de", v.cookies)).await;
    let now = jiff::Timestamp::from_millisecond(app.app_state.now())
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::UTC);
    let day = format!("{:02}.{:02}.{}, ", now.day(), now.month(), now.year());
    assert!(
        utc_de.contains(&day) && utc_de.contains(" UTC</time>"),
        "{utc_de}"
    );
}

/// Text as askama writes it into HTML.
fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

#[tokio::test]
async fn every_kind_s_form_speaks_german_with_no_english_help_left() {
    let app = spawn_app().await;
    let v = Visitor::sign_in(&app).await;
    let mut problems = Vec::new();
    for kind in tocsin_providers::Kind::ALL {
        let schema = kind.provider().schema();
        let page = v
            .client
            .get(format!("{}/ui/channels/new/{}", app.base, schema.kind))
            .header(COOKIE, format!("{}; tocsin_lang=de", v.cookies))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for f in schema.fields {
            if page.contains(&html_escaped(f.help)) {
                problems.push(format!("{}.{}: English help", schema.kind, f.name));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let telegram = v
        .client
        .get(format!("{}/ui/channels/new/telegram", app.base))
        .header(COOKIE, format!("{}; tocsin_lang=de", v.cookies))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(telegram.contains("Bot-Token") && telegram.contains("Chat-ID"));
    assert!(telegram.contains("Ohne Benachrichtigungston zustellen."));
}
