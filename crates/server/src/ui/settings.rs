//! Quiet hours (mute windows that rules name) and threshold tokens (the tokens Dokploy's
//! metrics agent reports with).

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tocsin_core::mute::IntervalText;

use super::{Ctx, Page, UiState, done, form, html};
use crate::service::metrics_tokens::{self, MetricsTokenInput, MetricsTokenView};
use crate::service::mute_windows::{self, MuteWindowInput, MuteWindowView};
use crate::service::{ServiceError, parse_id};

pub fn routes() -> Router<UiState> {
    Router::new()
        .route("/ui/quiet-hours", get(windows).post(create_window))
        .route("/ui/quiet-hours/{id}/delete", post(delete_window))
        .route("/ui/threshold-tokens", get(tokens).post(create_token))
        .route("/ui/threshold-tokens/{id}/delete", post(delete_token))
}

pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[derive(Template)]
#[template(path = "ui/quiet_hours.html")]
struct WindowsPage {
    c: Ctx,
    windows: Vec<MuteWindowView>,
    days: &'static [&'static str],
    error: Option<String>,
}

fn message(e: &ServiceError) -> String {
    match e {
        ServiceError::Invalid(f) => format!("{}: {}", f.field, f.message),
        other => other.to_string(),
    }
}

async fn windows_page(c: Ctx, error: Option<String>) -> Page {
    let windows = mute_windows::list(c.app(), &c.principal)
        .await
        .map_err(|e| c.fail(e))?;
    let status = if error.is_some() {
        http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        http::StatusCode::OK
    };
    Ok((
        status,
        html(&WindowsPage {
            c,
            windows,
            days: &DAYS,
            error,
        }),
    )
        .into_response())
}

async fn windows(mut c: Ctx) -> Page {
    c.nav = "quiet";
    windows_page(c, None).await
}

async fn create_window(mut c: Ctx, f: form::Form) -> Page {
    c.nav = "quiet";
    let input = MuteWindowInput {
        name: f.text("name"),
        time_zone: f.text("time_zone"),
        intervals: Some(vec![IntervalText {
            days: f.all("day").into_iter().map(String::from).collect(),
            start: f.text("start").unwrap_or_default(),
            end: f.text("end").unwrap_or_default(),
        }]),
    };
    match mute_windows::create(c.app(), &c.principal, input).await {
        Ok(_) => Ok(done("/ui/quiet-hours", "created")),
        Err(e @ (ServiceError::Invalid(_) | ServiceError::Conflict(_))) => {
            let m = message(&e);
            windows_page(c, Some(m)).await
        }
        Err(e) => Err(c.fail(e)),
    }
}

async fn delete_window(mut c: Ctx, Path(id): Path<String>) -> Page {
    c.nav = "quiet";
    let id = parse_id("id", &id).map_err(|_| c.fail(ServiceError::NotFound("window")))?;
    match mute_windows::delete(c.app(), &c.principal, id).await {
        Ok(()) => Ok(done("/ui/quiet-hours", "deleted")),
        Err(e @ ServiceError::Conflict(_)) => {
            let m = message(&e);
            windows_page(c, Some(m)).await
        }
        Err(e) => Err(c.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "ui/threshold_tokens.html")]
struct TokensPage {
    c: Ctx,
    tokens: Vec<MetricsTokenView>,
    /// A token just created: shown this once.
    created: Option<MetricsTokenView>,
    error: Option<String>,
}

async fn tokens_page(c: Ctx, created: Option<MetricsTokenView>, error: Option<String>) -> Page {
    let tokens = metrics_tokens::list(c.app(), &c.principal)
        .await
        .map_err(|e| c.fail(e))?;
    let status = if error.is_some() {
        http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        http::StatusCode::OK
    };
    Ok((
        status,
        html(&TokensPage {
            c,
            tokens,
            created,
            error,
        }),
    )
        .into_response())
}

async fn tokens(mut c: Ctx) -> Page {
    c.nav = "tokens";
    tokens_page(c, None, None).await
}

async fn create_token(mut c: Ctx, f: form::Form) -> Page {
    c.nav = "tokens";
    let margin = match f.text("margin").map(|m| m.replace(',', ".").parse::<f64>()) {
        None => None,
        Some(Ok(m)) => Some(m),
        Some(Err(_)) => {
            let m = c.t("error-number");
            return tokens_page(c, None, Some(m)).await;
        }
    };
    let cool_off = match f.text("cool_off").map(|m| m.parse::<u32>()) {
        None => None,
        Some(Ok(m)) => Some(m),
        Some(Err(_)) => {
            let m = c.t("error-number");
            return tokens_page(c, None, Some(m)).await;
        }
    };
    let input = MetricsTokenInput {
        server: f.text("server"),
        margin,
        cool_off_seconds: cool_off,
    };
    match metrics_tokens::create(c.app(), &c.principal, input).await {
        Ok(view) => tokens_page(c, Some(view), None).await,
        Err(e @ (ServiceError::Invalid(_) | ServiceError::Conflict(_))) => {
            let m = message(&e);
            tokens_page(c, None, Some(m)).await
        }
        Err(e) => Err(c.fail(e)),
    }
}

async fn delete_token(c: Ctx, Path(id): Path<String>) -> Page {
    let id = parse_id("id", &id).map_err(|_| c.fail(ServiceError::NotFound("token")))?;
    metrics_tokens::delete(c.app(), &c.principal, id)
        .await
        .map_err(|e| c.fail(e))?;
    Ok(done("/ui/threshold-tokens", "deleted"))
}
