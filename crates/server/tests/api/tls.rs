//! The server speaks HTTPS itself, given a certificate and key: a real TLS client that trusts only that
//! certificate connects, gets HSTS, and a `__Host-` Secure session cookie; over TLS only that cookie counts.

use crate::common;

use common::signup_body;
use std::sync::Arc;
use std::time::Duration;
use vinano_server::serve::{rustls_config, TlsConfig};
use vinano_server::{clock::FixedClock, AppState, Config};

#[tokio::test]
async fn https_with_a_configured_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let tls = TlsConfig { cert: dir.path().join("cert.pem"), key: dir.path().join("key.pem") };
    std::fs::write(&tls.cert, cert.cert.pem()).unwrap();
    std::fs::write(&tls.key, cert.key_pair.serialize_pem()).unwrap();
    let config = Config {
        data_dir: dir.path().join("data"),
        dist_dir: dir.path().join("dist"),
        secure_cookies: true,
        tls: Some(tls.clone()),
        ..Config::default()
    };
    let clock = Arc::new(FixedClock::new(time::macros::datetime!(2026-11-29 12:00 UTC)));
    let state = AppState::open(config, clock).await.unwrap();
    let (addr, stop, server) =
        common::serve(state, Some(rustls_config(&tls).unwrap()), Default::default()).await;
    let port = addr.port();

    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .resolve("localhost", format!("127.0.0.1:{port}").parse().unwrap())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let base = format!("https://localhost:{port}/api/v1");
    let me = client.get(format!("{base}/me")).send().await.unwrap();
    assert_eq!(me.status(), 401);
    assert!(me.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
    let signup = client.post(format!("{base}/auth/signup")).json(&signup_body("ada")).send().await.unwrap();
    assert_eq!(signup.status(), 201);
    let cookie = signup.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-vinano_session=") && cookie.contains("; Secure"), "{cookie}");

    // The session cookie works under its `__Host-` name only: a cookie without the prefix could have been
    // planted by a sibling subdomain or over plain HTTP, so it is ignored.
    let token = cookie.split(';').next().unwrap().trim_start_matches("__Host-vinano_session=").to_string();
    let bare = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .resolve("localhost", format!("127.0.0.1:{port}").parse().unwrap())
        .build()
        .unwrap();
    let me = |name: &'static str| {
        let (bare, base, token) = (&bare, &base, &token);
        async move {
            let r = bare.get(format!("{base}/me")).header("cookie", format!("{name}={token}")).send();
            r.await.unwrap().status()
        }
    };
    assert_eq!(me("__Host-vinano_session").await, 200);
    assert_eq!(me("vinano_session").await, 401);

    // Plain HTTP to the TLS port gets no answer a browser would accept.
    let plain = reqwest::Client::new().get(format!("http://127.0.0.1:{port}/api/v1/me")).send().await;
    assert!(plain.map(|r| r.status() != 401).unwrap_or(true));

    // A certificate the client doesn't trust is refused (the connection is really TLS, checked).
    let stranger = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    assert!(stranger.get(format!("https://127.0.0.1:{port}/api/v1/me")).send().await.is_err());

    stop.send(()).unwrap();
    server.await.unwrap();
}

#[test]
fn a_missing_or_mismatched_key_is_a_clear_start_up_error() {
    let dir = tempfile::tempdir().unwrap();
    let one = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let other = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let tls = TlsConfig { cert: dir.path().join("cert.pem"), key: dir.path().join("key.pem") };
    std::fs::write(&tls.cert, one.cert.pem()).unwrap();
    let missing = format!("{:#}", rustls_config(&tls).unwrap_err());
    assert!(missing.contains("VINANO_TLS_KEY"), "{missing}");
    std::fs::write(&tls.key, other.key_pair.serialize_pem()).unwrap();
    let mismatched = format!("{:#}", rustls_config(&tls).unwrap_err());
    assert!(mismatched.contains("don't belong together"), "{mismatched}");
}
