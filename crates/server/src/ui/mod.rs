//! The web UI under `/ui`: server-rendered pages (askama templates in `templates/ui/`),
//! translated with Fluent (`locales/`), a little htmx, and assets embedded in the binary.
//! Pages call [`crate::service`] exactly as the JSON API does; nothing here reads the
//! store. Signing in exchanges an API token for a signed session cookie (`session.rs`);
//! every POST must carry the session's CSRF token, checked before any handler runs.

mod assets;
mod channels;
mod deliveries;
mod events;
mod form;
pub mod format;
pub mod i18n;
mod rules;
mod session;
mod settings;
mod tokens;

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use self::form::Form;
use self::i18n::{LANG_COOKIE, Lang, Tr};
use self::session::{LOGIN_COOKIE, SESSION_COOKIE, SessionKey, cookie, set_cookie};
use crate::service::ServiceError;
use crate::state::AppState;

/// What the UI's handlers share: the application and the session key.
#[derive(Clone)]
pub struct UiState(Arc<UiInner>);

pub struct UiInner {
    pub app: AppState,
    key: SessionKey,
    /// Cookies get `Secure` when the public URL is HTTPS.
    secure: bool,
}

impl std::ops::Deref for UiState {
    type Target = UiInner;
    fn deref(&self) -> &UiInner {
        &self.0
    }
}

/// The UI's routes, to be merged at the root: `/` leads to `/ui/`.
pub fn router(app: AppState) -> Router {
    let secure = app
        .config
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    let state = UiState(Arc::new(UiInner {
        app,
        key: SessionKey::random(),
        secure,
    }));
    let pages = Router::new()
        .route("/ui", get(|| async { Redirect::to("/ui/channels") }))
        .route("/ui/", get(|| async { Redirect::to("/ui/channels") }))
        .route("/ui/login", get(login_page).post(login))
        .route("/ui/logout", post(logout))
        .route("/ui/lang/{code}", get(switch_language))
        .route("/ui/assets/{*path}", get(assets::serve))
        .merge(channels::routes())
        .merge(deliveries::routes())
        .merge(events::routes())
        .merge(rules::routes())
        .merge(settings::routes())
        .merge(tokens::routes())
        .route("/ui/preferences", get(preferences).post(save_preferences))
        .route("/ui/{*rest}", get(not_found))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            check_csrf,
        ))
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state);
    Router::new()
        .route("/", get(|| async { Redirect::to("/ui/") }))
        .merge(pages)
}

async fn security_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Every POST but the sign-in (which has its own check) needs a session and its CSRF
/// token in the form's `_csrf` field.
async fn check_csrf(State(ui): State<UiState>, request: Request, next: Next) -> Response {
    if request.method() != http::Method::POST || request.uri().path() == "/ui/login" {
        return next.run(request).await;
    }
    let lang = request_lang(request.headers());
    let session =
        cookie(request.headers(), SESSION_COOKIE).and_then(|c| ui.key.open(c, ui.app.now()));
    let Some(session) = session else {
        return to_login(request.headers(), "/ui/");
    };
    let (parts, body) = request.into_parts();
    let limit = ui.app.config.api.max_body_bytes;
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return plain_error(lang, StatusCode::PAYLOAD_TOO_LARGE, "error-too-large");
    };
    let form = Form::parse(&bytes);
    if !form
        .get("_csrf")
        .is_some_and(|given| session.check_csrf(given))
    {
        return plain_error(lang, StatusCode::FORBIDDEN, "error-csrf");
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The cookie that remembers the time zone picked on the preferences page.
pub const TZ_COOKIE: &str = "tocsin_tz";

/// The zone a request's reader picked, UTC when none (or an unknown one) is remembered.
fn request_zone(headers: &HeaderMap) -> jiff::tz::TimeZone {
    cookie(headers, TZ_COOKIE)
        .and_then(format::zone)
        .unwrap_or(jiff::tz::TimeZone::UTC)
}

fn request_lang(headers: &HeaderMap) -> Lang {
    Lang::negotiate(
        cookie(headers, LANG_COOKIE),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

/// A refusal that needs no page context.
fn plain_error(lang: Lang, status: StatusCode, key: &str) -> Response {
    let page = ErrorPage {
        lang: lang.code(),
        title: Tr::new(lang).t("error-title"),
        message: Tr::new(lang).t(key),
        back: Tr::new(lang).t("error-back"),
    };
    (status, html(&page)).into_response()
}

#[derive(Template)]
#[template(path = "ui/error_plain.html")]
struct ErrorPage {
    lang: &'static str,
    title: String,
    message: String,
    back: String,
}

/// To the sign-in page, then back to `next`. htmx requests follow `HX-Redirect`.
fn to_login(headers: &HeaderMap, next: &str) -> Response {
    let target = format!("/ui/login?next={}", form::encode(next));
    if headers.contains_key("hx-request") {
        return (
            StatusCode::OK,
            [(
                "hx-redirect",
                HeaderValue::from_str(&target).unwrap_or(HeaderValue::from_static("/ui/login")),
            )],
        )
            .into_response();
    }
    Redirect::to(&target).into_response()
}

/// Renders a template; a template that fails to render is a bug, answered with a 500.
pub(crate) fn html<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(body) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a UI template failed to render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A value a template passes as itself or behind references (askama borrows arguments).
pub trait Arg<T: Copy> {
    fn get(&self) -> T;
}

impl<T: Copy> Arg<T> for T {
    fn get(&self) -> T {
        *self
    }
}

impl<T: Copy> Arg<T> for &T {
    fn get(&self) -> T {
        **self
    }
}

impl<T: Copy> Arg<T> for &&T {
    fn get(&self) -> T {
        ***self
    }
}

/// What every page knows: the reader's language, session and where they are.
pub struct Ctx {
    pub tr: Tr,
    pub csrf: String,
    /// Who is signed in; every service call is made as them.
    pub principal: crate::service::tokens::Principal,
    pub who: String,
    /// The path and query of this page, for the language switcher to come back to.
    pub path: String,
    pub now: i64,
    /// The zone times are shown in: the reader's pick, else UTC.
    pub tz: jiff::tz::TimeZone,
    pub nav: &'static str,
    /// A message about what the last form did (`?done=saved`).
    pub done: Option<String>,
    pub state: UiState,
}

/// What the `?done=` of a redirect may say.
const DONE: &[&str] = &[
    "saved",
    "created",
    "deleted",
    "enabled",
    "disabled",
    "retried",
    "retried-all",
    "revoked",
];

impl FromRequestParts<UiState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, ui: &UiState) -> Result<Self, Response> {
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/ui/".to_owned(), |p| p.as_str().to_owned());
        let session =
            cookie(&parts.headers, SESSION_COOKIE).and_then(|c| ui.key.open(c, ui.app.now()));
        let Some(session) = session else {
            return Err(to_login(&parts.headers, &path));
        };
        let Some(principal) = session.principal(&ui.app).await else {
            return Err(to_login(&parts.headers, &path));
        };
        let done = parts.uri.query().and_then(|q| {
            form::Form::parse(q.as_bytes())
                .get("done")
                .filter(|d| DONE.contains(d))
                .map(|d| format!("done-{d}"))
        });
        Ok(Ctx {
            tr: Tr::new(request_lang(&parts.headers)),
            csrf: session.csrf,
            who: principal.name.clone(),
            principal,
            path,
            now: ui.app.now(),
            tz: request_zone(&parts.headers),
            nav: "",
            done,
            state: ui.clone(),
        })
    }
}

/// One entry of the language switcher.
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

impl Ctx {
    pub fn app(&self) -> &AppState {
        &self.state.app
    }
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
    pub fn n(&self, key: &str, n: impl Arg<u64>) -> String {
        self.tr.n(key, n.get())
    }
    /// The message whose key is `prefix` followed by `rest`.
    pub fn t2(&self, prefix: &str, rest: &str) -> String {
        self.tr.t(&format!("{prefix}{rest}"))
    }
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        self.tr.t1(key, name, value)
    }
    pub fn lang(&self) -> &'static str {
        self.tr.lang.code()
    }
    pub fn date(&self, rfc3339: &str) -> String {
        format::datetime(self.tr.lang, rfc3339, &self.tz)
    }
    pub fn ago(&self, rfc3339: &str) -> String {
        format::relative(&self.tr, rfc3339, self.now)
    }
    pub fn ms(&self, ms: impl Arg<u64>) -> String {
        format::duration_ms(self.tr.lang, ms.get())
    }
    pub fn num(&self, n: impl Arg<u64>) -> String {
        format::integer(self.tr.lang, n.get() as i64)
    }
    pub fn dec(&self, x: impl Arg<f64>) -> String {
        format::decimal1(self.tr.lang, x.get())
    }
    pub fn done_text(&self) -> String {
        self.done.as_deref().map(|k| self.t(k)).unwrap_or_default()
    }
    pub fn langs(&self) -> Vec<LangLink> {
        Lang::ALL
            .iter()
            .map(|l| LangLink {
                code: l.code(),
                name: l.endonym(),
                href: format!("/ui/lang/{}?back={}", l.code(), form::encode(&self.path)),
                current: *l == self.tr.lang,
            })
            .collect()
    }
    /// A delivery status in words.
    pub fn status(&self, st: impl Arg<tocsin_core::delivery::DeliveryStatus>) -> String {
        self.t(&format!("status-{}", st.get().as_str()))
    }
    pub fn severity(&self, s: impl Arg<tocsin_core::event::Severity>) -> String {
        self.t(&format!("severity-{}", s.get().as_str()))
    }
    /// An event group of the catalogue (`deploy`, `backup`, …).
    pub fn group(&self, g: &str) -> String {
        self.tr.or(&format!("group-{g}"), g)
    }
    /// A source label's name (`application`, `environment`, …).
    pub fn label(&self, name: &str) -> String {
        self.tr.or(&format!("label-{name}"), name)
    }
    /// The name of the zone times are shown in (`UTC`, `Europe/Berlin`).
    pub fn zone_name(&self) -> &str {
        self.tz.iana_name().unwrap_or("UTC")
    }
    pub fn is(&self, nav: &str) -> bool {
        self.nav == nav
    }

    /// A refusal for want of a scope, in the reader's language when it names the scope
    /// (the service says "… lacks the scope `x`, which this needs" or "…, so it cannot
    /// grant it"); other refusals as the service words them.
    pub fn forbidden(&self, message: &str) -> String {
        let scope = message
            .split('`')
            .nth(1)
            .filter(|s| crate::service::tokens::Scope::parse(s).is_some());
        match scope {
            Some(scope) if message.contains("cannot grant") => {
                self.t1("error-scope-grant", "scope", scope)
            }
            Some(scope) if message.contains("lacks the scope") => {
                self.t1("error-scope-needed", "scope", scope)
            }
            _ => message.to_owned(),
        }
    }

    /// The page for an error of the service: not found, or what went wrong.
    pub fn fail(&self, e: ServiceError) -> Response {
        let (status, message) = match &e {
            ServiceError::NotFound(_) => (StatusCode::NOT_FOUND, self.t("error-not-found")),
            ServiceError::Invalid(f) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("{}: {}", f.field, f.message),
            ),
            ServiceError::Conflict(m) => (StatusCode::CONFLICT, m.clone()),
            ServiceError::Forbidden(m) => (StatusCode::FORBIDDEN, self.forbidden(m)),
            ServiceError::RateLimited { message, .. } => {
                (StatusCode::TOO_MANY_REQUESTS, message.clone())
            }
            ServiceError::Store(err) => {
                tracing::error!(error = %err, "the store failed under a UI page");
                (StatusCode::INTERNAL_SERVER_ERROR, self.t("error-internal"))
            }
        };
        let page = ErrorInPage { c: self, message };
        (status, html(&page)).into_response()
    }
}

#[derive(Template)]
#[template(path = "ui/error.html")]
struct ErrorInPage<'a> {
    c: &'a Ctx,
    message: String,
}

async fn not_found(headers: HeaderMap) -> Response {
    plain_error(
        request_lang(&headers),
        StatusCode::NOT_FOUND,
        "error-not-found",
    )
}

pub(crate) type Page = Result<Response, Response>;

/// Back to a page after a form, saying what was done.
pub(crate) fn done(to: &str, what: &str) -> Response {
    let sep = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{sep}done={what}")).into_response()
}

#[derive(Template)]
#[template(path = "ui/login.html")]
struct LoginPage {
    tr: Tr,
    csrf: String,
    next: String,
    error: Option<String>,
    langs: Vec<LangLink>,
}

impl LoginPage {
    fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
    fn lang(&self) -> &'static str {
        self.tr.lang.code()
    }
}

#[derive(Deserialize)]
struct NextParam {
    next: Option<String>,
}

/// Only paths inside the UI are followed after signing in or switching language.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/ui") && !n.starts_with("//") && !n.contains('\\') => {
            n.to_owned()
        }
        _ => "/ui/channels".to_owned(),
    }
}

fn login_form(ui: &UiState, headers: &HeaderMap, next: String, error: Option<String>) -> Response {
    let lang = request_lang(headers);
    let (nonce, csrf) = ui.key.login_nonce();
    let path = format!("/ui/login?next={}", form::encode(&next));
    let page = LoginPage {
        tr: Tr::new(lang),
        csrf,
        next,
        error,
        langs: Lang::ALL
            .iter()
            .map(|l| LangLink {
                code: l.code(),
                name: l.endonym(),
                href: format!("/ui/lang/{}?back={}", l.code(), form::encode(&path)),
                current: *l == lang,
            })
            .collect(),
    };
    let status = if page.error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    (
        status,
        [(
            header::SET_COOKIE,
            set_cookie(LOGIN_COOKIE, &nonce, 3600, ui.secure),
        )],
        html(&page),
    )
        .into_response()
}

async fn login_page(
    State(ui): State<UiState>,
    headers: HeaderMap,
    Query(q): Query<NextParam>,
) -> Response {
    login_form(&ui, &headers, safe_next(q.next.as_deref()), None)
}

async fn login(State(ui): State<UiState>, headers: HeaderMap, form: Form) -> Response {
    let next = safe_next(form.get("next"));
    let nonce = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    let tr = Tr::new(request_lang(&headers));
    if !ui
        .key
        .check_login_csrf(nonce, form.get("_csrf").unwrap_or_default())
    {
        return login_form(&ui, &headers, next, Some(tr.t("login-expired")));
    }
    let token = form.get("token").unwrap_or_default().trim();
    let principal = if token.is_empty() {
        None
    } else {
        crate::service::tokens::authenticate(&ui.app, token)
            .await
            .ok()
            .flatten()
    };
    if principal.is_none() {
        return login_form(&ui, &headers, next, Some(tr.t("login-refused")));
    }
    let value = ui.key.issue(&crate::state::token_hash(token), ui.app.now());
    let mut response = Redirect::to(&next).into_response();
    let h = response.headers_mut();
    for c in [
        set_cookie(SESSION_COOKIE, &value, session::SESSION_SECS, ui.secure),
        set_cookie(LOGIN_COOKIE, "", 0, ui.secure),
    ] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    response
}

async fn logout(State(ui): State<UiState>) -> Response {
    let mut response = Redirect::to("/ui/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&set_cookie(SESSION_COOKIE, "", 0, ui.secure)) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

#[derive(Deserialize)]
struct BackParam {
    back: Option<String>,
}

/// Remembers a language for a year and goes back to the page it was picked on.
async fn switch_language(
    State(ui): State<UiState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    Query(q): Query<BackParam>,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::En);
    let back = safe_next(q.back.as_deref());
    let mut response = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/ui; Max-Age=31536000; SameSite=Lax{}",
        lang.code(),
        if ui.secure { "; Secure" } else { "" }
    )) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

#[derive(Template)]
#[template(path = "ui/preferences.html")]
struct PreferencesPage {
    c: Ctx,
    zones: Vec<String>,
    /// Now, to show how a time reads.
    sample: String,
    sample_number: u64,
    sample_ms: u64,
}

/// The reader's language and time zone.
async fn preferences(mut c: Ctx) -> Response {
    c.nav = "preferences";
    let sample = tocsin_core::time::to_rfc3339(c.now);
    html(&PreferencesPage {
        c,
        zones: format::zone_names(),
        sample,
        sample_number: 1_234_567,
        sample_ms: 123_000,
    })
}

/// Remembers the language and zone for a year (cookies, so that pages read without
/// scripts show them too).
async fn save_preferences(State(ui): State<UiState>, c: Ctx, f: Form) -> Response {
    let secure = if ui.secure { "; Secure" } else { "" };
    let mut cookies = Vec::new();
    if let Some(lang) = f.get("lang").and_then(Lang::parse) {
        cookies.push(format!(
            "{LANG_COOKIE}={}; Path=/ui; Max-Age=31536000; SameSite=Lax{secure}",
            lang.code()
        ));
    }
    match f.get("tz").filter(|z| format::zone(z).is_some()) {
        Some(zone) => cookies.push(format!(
            "{TZ_COOKIE}={}; Path=/ui; Max-Age=31536000; SameSite=Lax{secure}",
            zone
        )),
        None => {
            let page = ErrorInPage {
                message: c.t("error-time-zone"),
                c: &c,
            };
            return (StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response();
        }
    }
    let mut response = done("/ui/preferences", "saved");
    for value in cookies {
        if let Ok(v) = HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}
