//! `tocsin keys rotate` on the real binary: after a rotation with the server stopped, the
//! server starts with the new key and still sends, and the old key opens nothing.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::json;
use tocsin_core::crypto::{CryptoError, MasterKey};
use tocsin_core::signing::SigningSecret;
use tocsin_store::{SqliteStore, Store};

mod common;
use common::{free_port, wait_healthy};

const TOKEN: &str = "keys-test-token-0123456789";
/// The webhook's signing secret: recognisable, so that the test can look for it.
const SIGNING_SECRET: &str = "whsec_Um90YXRpb25DYW5hcnlTaWduaW5nU2VjcmV0MDEyMzQ1Njc4OQ==";

type Seen = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

async fn receive(State(seen): State<Seen>, headers: HeaderMap, body: Bytes) -> &'static str {
    seen.lock().unwrap().push((headers, body));
    "ok"
}

fn tocsin(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tocsin"));
    cmd.env("TOCSIN_DATA_DIR", data_dir)
        .env_remove("TOCSIN_SECRET_KEY")
        .env_remove("TOCSIN_CONFIG");
    cmd
}

fn start_server(port: u16, data_dir: &Path) -> Child {
    tocsin(data_dir)
        .arg("serve")
        .env("TOCSIN_LISTEN", format!("127.0.0.1:{port}"))
        .env("TOCSIN_ADMIN_TOKEN", TOKEN)
        .env("TOCSIN_ALLOW_PRIVATE", "127.0.0.0/8")
        .env("TOCSIN_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the tocsin binary starts")
}

async fn wait_for(seen: &Seen, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while seen.lock().unwrap().len() < n {
        assert!(Instant::now() < deadline, "no delivery arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn emit(client: &reqwest::Client, base: &str) {
    let r = client
        .post(format!("{base}/api/v1/events"))
        .bearer_auth(TOKEN)
        .json(&json!({"type": "deploy.success", "title": "Deploy", "source": {"application": "keys"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
}

fn assert_signed(headers: &HeaderMap, body: &[u8]) {
    let h = |n: &str| headers.get(n).unwrap().to_str().unwrap().to_owned();
    let secret = SigningSecret::parse(SIGNING_SECRET).unwrap();
    let ts: i64 = h("webhook-timestamp").parse().unwrap();
    assert!(secret.verify(&h("webhook-id"), ts, body, &h("webhook-signature")));
}

fn stop(mut server: Child) {
    let _ = server.kill();
    let _ = server.wait();
}

fn rotate(data_dir: &Path, extra: &[&str]) -> Output {
    tocsin(data_dir)
        .args(["keys", "rotate"])
        .args(extra)
        .output()
        .unwrap()
}

/// A token in the webhook's URL and one in its headers: sealed secrets too.
const URL_TOKEN: &str = "rotateUrlToken0123";
const HEADER_TOKEN: &str = "rotateHeaderToken0123";

/// The channel's stored (sealed) secrets, by name.
async fn stored_secrets(data_dir: &Path) -> Vec<(String, String)> {
    let store = SqliteStore::open(&data_dir.join("tocsin.db"))
        .await
        .unwrap();
    let channel = store.list_channels().await.unwrap().remove(0);
    let all = channel
        .config
        .secrets
        .iter_exposed()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    store.close().await;
    all
}

async fn stored_signing_secret(data_dir: &Path) -> (String, String) {
    let store = SqliteStore::open(&data_dir.join("tocsin.db"))
        .await
        .unwrap();
    let channel = store.list_channels().await.unwrap().remove(0);
    let value = channel
        .config
        .secrets
        .expose("signing_secret")
        .unwrap()
        .to_owned();
    store.close().await;
    (channel.id.to_string(), value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_key_still_sends_and_the_old_key_opens_nothing() {
    let seen: Seen = Arc::default();
    let app = Router::new().fallback(receive).with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let receiver = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let client = reqwest::Client::new();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = start_server(port, data);
    wait_healthy(&client, &base, Duration::from_secs(20)).await;
    let r = client
        .post(format!("{base}/api/v1/channels"))
        .bearer_auth(TOKEN)
        .json(&json!({"name": "hook", "kind": "webhook",
            "settings": {"url": format!("http://{receiver}/hook?token={URL_TOKEN}"),
                "headers": {"Authorization": format!("Bearer {HEADER_TOKEN}")}},
            "secrets": {"signing_secret": SIGNING_SECRET}, "events": ["deploy.*"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    emit(&client, &base).await;
    wait_for(&seen, 1).await;
    stop(server);

    let old_key =
        MasterKey::parse(&std::fs::read_to_string(data.join("secret.key")).unwrap()).unwrap();
    let (channel_id, sealed_before) = stored_signing_secret(data).await;
    let owner = format!("channel/{channel_id}");
    assert!(sealed_before.starts_with(&format!("enc:v1:{}:", old_key.id())));
    let before = stored_secrets(data).await;
    let names: Vec<&str> = before.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["headers", "signing_secret", "url"]);

    let out = rotate(data, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("Re-encrypted 3 secret(s) of 1 channel(s) and 0 sender profile(s)"),
        "{stdout}"
    );
    let new_text = std::fs::read_to_string(data.join("secret.key")).unwrap();
    let new_key = MasterKey::parse(&new_text).unwrap();
    assert_ne!(new_key.id(), old_key.id());
    for printed in [&stdout, &stderr] {
        assert!(!printed.contains(new_text.trim()));
        assert!(!printed.contains(&old_key.encode()));
        assert!(!printed.contains(SIGNING_SECRET));
        assert!(!printed.contains(URL_TOKEN) && !printed.contains(HEADER_TOKEN));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("secret.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(!data.join("secret.key.old").exists());
    assert!(!data.join("secret.key.new").exists());

    // The stored value is sealed under the new key; the old key no longer opens it.
    let (_, sealed_after) = stored_signing_secret(data).await;
    assert_ne!(sealed_after, sealed_before);
    assert!(matches!(
        old_key.open(&owner, "signing_secret", &sealed_after),
        Err(CryptoError::WrongKey { .. })
    ));
    assert_eq!(
        new_key
            .open(&owner, "signing_secret", &sealed_after)
            .unwrap(),
        SIGNING_SECRET
    );

    // So are the webhook's URL and headers.
    for ((name, sealed_before), (_, sealed_after)) in before.iter().zip(stored_secrets(data).await)
    {
        assert_ne!(&sealed_after, sealed_before, "{name}");
        assert!(
            matches!(
                old_key.open(&owner, name, &sealed_after),
                Err(CryptoError::WrongKey { .. })
            ),
            "{name}"
        );
        let opened = new_key.open(&owner, name, &sealed_after).unwrap();
        assert_eq!(
            opened,
            old_key.open(&owner, name, sealed_before).unwrap(),
            "{name}"
        );
    }

    // The server starts with the installed key and signs with the same secret.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = start_server(port, data);
    wait_healthy(&client, &base, Duration::from_secs(20)).await;
    emit(&client, &base).await;
    wait_for(&seen, 2).await;
    stop(server);
    let received = seen.lock().unwrap().clone();
    for (headers, body) in &received {
        assert_signed(headers, body);
        assert_eq!(
            headers.get("authorization").unwrap().to_str().unwrap(),
            format!("Bearer {HEADER_TOKEN}")
        );
    }

    // A key file that others may read is refused, and nothing changes.
    let loose = data.join("loose.key");
    std::fs::write(&loose, format!("{}\n", MasterKey::generate().encode())).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = rotate(data, &["--new-key-file", loose.to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("chmod 600"));
        assert_eq!(stored_signing_secret(data).await.1, sealed_after);
    }
}

#[test]
fn keys_generate_prints_a_usable_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = tocsin(dir.path())
        .args(["keys", "generate"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let key = MasterKey::parse(&text).unwrap();
    assert_eq!(key.encode(), text.trim());
}

#[test]
fn the_server_refuses_a_key_file_that_others_may_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.key");
    std::fs::write(&path, format!("{}\n", MasterKey::generate().encode())).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = tocsin(dir.path())
            .arg("serve")
            .env("TOCSIN_LISTEN", format!("127.0.0.1:{}", free_port()))
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("chmod 600"), "{stderr}");
    }
}
