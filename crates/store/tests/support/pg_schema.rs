//! A throwaway PostgreSQL schema per test, in the database `TOCSIN_TEST_DATABASE_URL` names,
//! so that tests run in parallel on one server. Shared by the store's and the binary's tests.
//!
//! Without the variable the PostgreSQL tests are skipped with a loud line, except in CI
//! (`CI` set), where a missing server is a failure.

use sqlx::{Connection, Executor, PgConnection};

pub const URL_VAR: &str = "TOCSIN_TEST_DATABASE_URL";

pub struct TestSchema {
    admin_url: String,
    name: String,
    url: String,
}

impl TestSchema {
    /// Creates `<prefix>_<unique>`; `None` (after a SKIP line) when no server is named.
    pub async fn create(prefix: &str) -> Option<Self> {
        let admin_url = match std::env::var(URL_VAR) {
            Ok(url) if !url.is_empty() => url,
            _ => {
                if std::env::var_os("CI").is_some() {
                    panic!(
                        "{URL_VAR} is not set, and CI is: the PostgreSQL tests need a server \
                         (.ci/run starts one)"
                    );
                }
                // Straight to stderr, past the test harness's capture, once per test binary.
                static ONCE: std::sync::Once = std::sync::Once::new();
                ONCE.call_once(|| {
                    use std::io::Write;
                    let _ = writeln!(
                        std::io::stderr(),
                        "SKIP: PostgreSQL tests skipped: set {URL_VAR}=postgres://user:password@host/db \
                         to run them"
                    );
                });
                return None;
            }
        };
        let name = format!(
            "t_{prefix}_{}",
            ulid::Ulid::new().to_string().to_lowercase()
        );
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {URL_VAR}: {e}"));
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{name}\"")))
            .await
            .expect("create a test schema");
        let _ = admin.close().await;
        let separator = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{separator}options=-c%20search_path%3D{name}");
        Some(Self {
            admin_url,
            name,
            url,
        })
    }

    /// The test URL, with this schema as the search path of every connection.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime: the cleanup gets a thread and runtime of its own.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the cleanup");
            runtime.block_on(async move {
                if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                    // The test's runtime is blocked in this drop, so its pool cannot finish
                    // returning connections (and rolling back what they left open): end the
                    // sessions that still hold locks in the schema.
                    let _ = sqlx::query(
                        "SELECT pg_terminate_backend(l.pid) FROM pg_locks l \
                         JOIN pg_class c ON c.oid = l.relation \
                         JOIN pg_namespace n ON n.oid = c.relnamespace \
                         WHERE n.nspname = $1 AND l.pid <> pg_backend_pid()",
                    )
                    .bind(&name)
                    .execute(&mut admin)
                    .await;
                    let _ = admin
                        .execute(sqlx::AssertSqlSafe(format!(
                            "DROP SCHEMA IF EXISTS \"{name}\" CASCADE"
                        )))
                        .await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = cleanup.join();
    }
}
