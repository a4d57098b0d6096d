//! Tests of the web UI: the whole flow in headless Chromium (`browser.rs`), HTTP-level
//! checks of sessions, CSRF and pages read without scripts (`http.rs`), and the
//! completeness of the translations (`locales.rs`) and the stylesheet's contrast
//! (`contrast.rs`).

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod browser;
mod contrast;
mod http;
mod locales;
mod webdriver;
