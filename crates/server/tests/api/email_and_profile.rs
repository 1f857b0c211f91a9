//! Me → Account: statements accepted at sign-up, email verification, forgotten password by emailed link,
//! password change, profile correction with email re-verification — mail read from the outbox's `.eml`
//! files, and once over SMTP to an in-process fake server that checks the conversation.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{signup_body, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

/// Decodes quoted-printable (soft line breaks and `=XX`), as mail clients do.
fn unquote(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// A message as a mail client shows it: a base64 body (what non-ASCII text is sent as) decoded, or
/// quoted-printable undone.
fn decoded(message: &str) -> String {
    use base64::Engine;
    match message.split_once("\r\n\r\n") {
        Some((headers, body)) if headers.contains("Content-Transfer-Encoding: base64") => {
            let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD.decode(compact).expect("a base64 body");
            format!("{headers}\r\n\r\n{}", String::from_utf8(bytes).expect("UTF-8 text"))
        }
        _ => unquote(message),
    }
}

/// Waits for the `n`-th message (1-based) to `to` in the outbox directory and returns it decoded.
async fn mail_to(app: &TestApp, to: &str, n: usize) -> String {
    let dir = vinano_server::mail::outbox_dir(&app.state.config.data_dir);
    for _ in 0..200 {
        let mut found: Vec<(String, String)> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".eml"))
                    .map(|e| {
                        (
                            e.file_name().to_string_lossy().into_owned(),
                            std::fs::read_to_string(e.path()).unwrap(),
                        )
                    })
                    .filter(|(_, text)| text.contains(&format!("To: {to}")))
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        if found.len() >= n {
            return decoded(&found[n - 1].1);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("no message {n} to {to} in {}", dir.display());
}

/// The token of the first link to `path` in a message.
fn token(message: &str, path: &str) -> String {
    let start =
        message.find(&format!("{path}?token=")).unwrap_or_else(|| panic!("no {path} link in {message}"));
    message[start + path.len() + 7..].chars().take_while(char::is_ascii_hexdigit).collect()
}

#[tokio::test]
async fn signup_records_what_was_accepted_and_the_email_link_confirms_the_address() {
    let app = TestApp::new().await;
    // Without every statement accepted, nothing is stored and the field is named.
    let mut body = signup_body("ada");
    body["accept_responsibility"] = json!(false);
    let r = app.post_json("/api/v1/auth/signup", None, body).await;
    assert_eq!(r.json()["field"], "accept_responsibility");
    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("outbox").await, 0);

    let cookie = app.signup("ada").await;
    let consents: Vec<(String, String, String)> =
        sqlx::query_as("SELECT what, new_value, policy_version FROM consents ORDER BY seq")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert_eq!(
        consents,
        [
            ("terms".into(), "accepted".into(), vinano_api::policy::TERMS_VERSION.into()),
            ("privacy_policy".into(), "accepted".into(), vinano_api::policy::PRIVACY_VERSION.into()),
            (
                "user_responsibility".into(),
                "accepted".into(),
                vinano_api::policy::RESPONSIBILITY_VERSION.into()
            ),
        ]
    );
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.json()["email_verified"], false);

    let mail = mail_to(&app, "ada@example.com", 1).await;
    assert!(mail.contains("Subject: Confirm your email address for ViNano"), "{mail}");
    let link = token(&mail, "/verify-email");
    assert_eq!(link.len(), 64);
    // The database holds only the link's hash, and the sent message's body is cleared from the outbox.
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM email_tokens").fetch_all(&app.state.db).await.unwrap();
    assert!(!stored.contains(&link));
    for _ in 0..100 {
        let bodies: Vec<String> =
            sqlx::query_scalar("SELECT body FROM outbox").fetch_all(&app.state.db).await.unwrap();
        if bodies.iter().all(String::is_empty) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM outbox").fetch_all(&app.state.db).await.unwrap();
    assert!(bodies.iter().all(|b| !b.contains(&link)));

    let verified = app.post_json("/api/v1/auth/verify-email", None, json!({"token": link})).await;
    assert_eq!(verified.status, StatusCode::OK, "{}", String::from_utf8_lossy(&verified.body));
    assert_eq!(verified.json()["email_verified"], true);
    // Single use.
    let again = app.post_json("/api/v1/auth/verify-email", None, json!({"token": link})).await;
    assert!(again
        .error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input")
        .contains("expired or was already used"));
}

#[tokio::test]
async fn an_account_made_in_chinese_gets_its_emails_in_chinese() {
    let app = TestApp::new().await;
    let mut body = signup_body("mei");
    body["language"] = json!("klingon");
    let refused = app.post_json("/api/v1/auth/signup", None, body.clone()).await;
    refused.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(refused.json()["field"], "language");
    assert_eq!(app.count("users").await, 0);

    body["language"] = json!("zh-Hant");
    let made = app.post_json("/api/v1/auth/signup", None, body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&made.body));
    assert_eq!(made.json()["language"], "zh-Hant");
    let mail = mail_to(&app, "mei@example.com", 1).await;
    assert!(mail.contains("mei Tester 你好："), "{mail}");
    assert!(mail.contains("請開啟這個連結，確認 mei@example.com 是你在 ViNano 使用的電子郵件地址"), "{mail}");
    assert_eq!(token(&mail, "/verify-email").len(), 64);
    let subject: String =
        sqlx::query_scalar("SELECT subject FROM outbox").fetch_one(&app.state.db).await.unwrap();
    assert_eq!(subject, "確認你在 ViNano 的電子郵件地址");

    // The forgotten-password mail follows the account's language too, whoever asks for it.
    let asked =
        app.post_json("/api/v1/auth/forgot-password", None, json!({"email": "mei@example.com"})).await;
    assert_eq!(asked.status, StatusCode::ACCEPTED);
    let reset = mail_to(&app, "mei@example.com", 2).await;
    assert!(reset.contains("有人（希望是你）要求重設你的 ViNano 帳號密碼"), "{reset}");
    assert_eq!(token(&reset, "/reset-password").len(), 64);
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_single_use_short_lived_link() {
    let app = TestApp::new().await;
    let old_session = app.signup("ada").await;
    // Unknown addresses get the same answer and no mail.
    let unknown =
        app.post_json("/api/v1/auth/forgot-password", None, json!({"email": "nobody@example.com"})).await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    let asked =
        app.post_json("/api/v1/auth/forgot-password", None, json!({"email": "ADA@example.com"})).await;
    assert_eq!(asked.status, StatusCode::ACCEPTED);
    let mail = mail_to(&app, "ada@example.com", 2).await;
    assert!(mail.contains("Subject: Reset your ViNano password"), "{mail}");
    let link = token(&mail, "/reset-password");
    let recipients: Vec<String> =
        sqlx::query_scalar("SELECT to_addr FROM outbox").fetch_all(&app.state.db).await.unwrap();
    assert!(!recipients.contains(&"nobody@example.com".to_string()));

    // A weak new password is refused without using up the link.
    let weak = app
        .post_json("/api/v1/auth/reset-password", None, json!({"token": link, "password": "password1"}))
        .await;
    assert_eq!(weak.json()["field"], "password");
    let done = app
        .post_json(
            "/api/v1/auth/reset-password",
            None,
            json!({"token": link, "password": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", String::from_utf8_lossy(&done.body));
    // Every session ended; the new password works, the old one doesn't; the link is spent.
    assert_eq!(app.get("/api/v1/me", Some(&old_session)).await.status, StatusCode::UNAUTHORIZED);
    let old = app
        .post_json("/api/v1/auth/login", None, json!({"login": "ada", "password": "a long enough password"}))
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = app
        .post_json("/api/v1/auth/login", None, json!({"login": "ada", "password": "a brand new passphrase"}))
        .await;
    assert_eq!(new.status, StatusCode::OK);
    let reuse = app
        .post_json(
            "/api/v1/auth/reset-password",
            None,
            json!({"token": link, "password": "yet another passphrase"}),
        )
        .await;
    reuse.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    // The address is told the password was reset.
    let notice = mail_to(&app, "ada@example.com", 3).await;
    assert!(notice.contains("Subject: Your ViNano password was changed"), "{notice}");
    assert!(notice.contains("reset with an emailed link"), "{notice}");

    // A link older than 30 minutes is dead.
    app.post_json("/api/v1/auth/forgot-password", None, json!({"email": "ada@example.com"})).await;
    let late = token(&mail_to(&app, "ada@example.com", 4).await, "/reset-password");
    app.clock.advance(31 * 60);
    let r = app
        .post_json(
            "/api/v1/auth/reset-password",
            None,
            json!({"token": late, "password": "too late passphrase"}),
        )
        .await;
    assert!(r.error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").contains("expired"));
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_can_end_other_sessions() {
    let app = TestApp::new().await;
    let here = app.signup("ada").await;
    let body = json!({"login": "ada", "password": "a long enough password"});
    let elsewhere = app.post_json("/api/v1/auth/login", None, body).await.cookie();
    let wrong = app
        .post_json(
            "/api/v1/me/password",
            Some(&here),
            json!({"current_password": "not it at all", "new_password": "a brand new passphrase", "sign_out_others": true}),
        )
        .await;
    assert_eq!(wrong.json()["field"], "current_password");
    assert_eq!(app.get("/api/v1/me", Some(&elsewhere)).await.status, StatusCode::OK);

    let changed = app
        .post_json(
            "/api/v1/me/password",
            Some(&here),
            json!({"current_password": "a long enough password", "new_password": "a brand new passphrase", "sign_out_others": true}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", String::from_utf8_lossy(&changed.body));
    assert_eq!(changed.json()["signed_out"], 1);
    // The account's address is told, with a way back if it wasn't them.
    let notice = mail_to(&app, "ada@example.com", 2).await;
    assert!(notice.contains("Subject: Your ViNano password was changed"), "{notice}");
    assert!(notice.contains("/forgot-password"), "{notice}");
    assert_eq!(app.get("/api/v1/me", Some(&here)).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/me", Some(&elsewhere)).await.status, StatusCode::UNAUTHORIZED);
    let login = app
        .post_json("/api/v1/auth/login", None, json!({"login": "ada", "password": "a brand new passphrase"}))
        .await;
    assert_eq!(login.status, StatusCode::OK);
}

async fn patch_profile(app: &TestApp, cookie: &str, body: Value) -> common::Reply {
    app.request(
        Method::PATCH,
        "/api/v1/me/profile",
        Some(cookie),
        Some("application/json"),
        body.to_string().into_bytes(),
    )
    .await
}

#[tokio::test]
async fn the_profile_can_be_corrected_and_a_new_email_is_confirmed_before_use() {
    let app = TestApp::new().await;
    let cookie = app.signup("ada").await;
    app.signup("bob").await;
    let r = patch_profile(
        &app,
        &cookie,
        json!({"name": "Ada King", "language": "zh-Hant", "time_zone": "Asia/Taipei"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let me = r.json();
    assert_eq!(
        (me["name"].as_str(), me["language"].as_str(), me["time_zone"].as_str()),
        (Some("Ada King"), Some("zh-Hant"), Some("Asia/Taipei"))
    );
    // Bad and taken values: a clear message, naming the field, nothing changed.
    assert_eq!(
        patch_profile(&app, &cookie, json!({"time_zone": "Mars/Olympus Mons"})).await.json()["field"],
        "time_zone"
    );
    assert_eq!(patch_profile(&app, &cookie, json!({"language": "tlh"})).await.json()["field"], "language");
    patch_profile(&app, &cookie, json!({"username": "BOB"})).await.error(StatusCode::CONFLICT, "conflict");
    // Back to English: the emails below are written in the account's language.
    assert_eq!(patch_profile(&app, &cookie, json!({"language": "en"})).await.json()["language"], "en");
    let password = "a long enough password";
    assert_eq!(
        patch_profile(&app, &cookie, json!({"email": "bob@example.com", "current_password": password}))
            .await
            .json()["field"],
        "email"
    );
    assert_eq!(patch_profile(&app, &cookie, json!({"name": "x".repeat(101)})).await.json()["field"], "name");

    // Moving the account to another address needs the current password: without it 403, with a wrong one
    // the field says so; neither writes anything nor sends mail.
    let outbox = app.count("outbox").await;
    let r = patch_profile(&app, &cookie, json!({"email": "ada.king@example.org", "name": "Mallory"})).await;
    let message = r.error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(message, "To change your email address, enter your current password.");
    let r =
        patch_profile(&app, &cookie, json!({"email": "ada.king@example.org", "current_password": "guess"}))
            .await;
    assert_eq!(r.json()["field"], "current_password");
    assert_eq!(app.count("outbox").await, outbox, "no mail for a refused change");
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.json()["name"], "Ada King", "nothing written");

    // A new address: pending until confirmed from its own inbox; the old one keeps working meanwhile, and
    // is told (the new address masked), so an intruder can't move the account away silently.
    let r =
        patch_profile(&app, &cookie, json!({"email": "ada.king@example.org", "current_password": password}))
            .await;
    assert_eq!(r.json()["email"], "ada@example.com");
    let notice = mail_to(&app, "ada@example.com", 2).await;
    assert!(notice.contains("Subject: A change of email address was requested"), "{notice}");
    assert!(notice.contains("a•••g@example.org"), "{notice}");
    assert!(!notice.contains("ada.king@example.org"), "the new address is masked: {notice}");
    assert_eq!(r.json()["pending_email"], "ada.king@example.org");
    let mail = mail_to(&app, "ada.king@example.org", 1).await;
    let link = token(&mail, "/verify-email");
    let done = app.post_json("/api/v1/auth/verify-email", None, json!({"token": link})).await.json();
    assert_eq!(done["email"], "ada.king@example.org");
    assert_eq!(done["pending_email"], Value::Null);
    let login = app
        .post_json(
            "/api/v1/auth/login",
            None,
            json!({"login": "ada.king@example.org", "password": "a long enough password"}),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);

    // An avatar must be one of their own images.
    let bob = app
        .post_json("/api/v1/auth/login", None, json!({"login": "bob", "password": "a long enough password"}))
        .await
        .cookie();
    let bobs_image = app.upload(&bob, common::jpeg(20, 20)).await.json()["id"].as_str().unwrap().to_string();
    patch_profile(&app, &cookie, json!({"avatar_image_id": bobs_image}))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    let own = app.upload(&cookie, common::jpeg(20, 20)).await.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        patch_profile(&app, &cookie, json!({"avatar_image_id": own})).await.json()["avatar_image_id"],
        own
    );
    assert_eq!(
        patch_profile(&app, &cookie, json!({"avatar_image_id": ""})).await.json()["avatar_image_id"],
        Value::Null
    );
}

/// A fake SMTP server: speaks just enough of RFC 5321 and records the envelope and the message.
async fn fake_smtp() -> (u16, tokio::sync::mpsc::UnboundedReceiver<(String, String, String)>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake.smtp ESMTP ready\r\n").await.unwrap();
                let (mut from, mut to) = (String::new(), String::new());
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        write.write_all(b"250-fake.smtp\r\n250 8BITMIME\r\n").await.unwrap();
                    } else if upper.starts_with("MAIL FROM:") {
                        from = line[10..].trim().to_string();
                        write.write_all(b"250 OK\r\n").await.unwrap();
                    } else if upper.starts_with("RCPT TO:") {
                        to = line[8..].trim().to_string();
                        write.write_all(b"250 OK\r\n").await.unwrap();
                    } else if upper == "DATA" {
                        write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await.unwrap();
                        let mut data = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push_str(&l);
                            data.push('\n');
                        }
                        tx.send((from.clone(), to.clone(), data)).unwrap();
                        write.write_all(b"250 OK queued\r\n").await.unwrap();
                    } else if upper == "QUIT" {
                        write.write_all(b"221 Bye\r\n").await.unwrap();
                        break;
                    } else {
                        write.write_all(b"250 OK\r\n").await.unwrap();
                    }
                }
            });
        }
    });
    (port, rx)
}

#[tokio::test]
async fn with_smtp_configured_mail_goes_over_smtp() {
    let (port, mut received) = fake_smtp().await;
    let app = TestApp::with_config(|c| {
        c.mail = vinano_server::mail::MailConfig::Smtp(format!("smtp://127.0.0.1:{port}"));
        c.mail_from = "ViNano <no-reply@vinano.test>".into();
    })
    .await;
    app.signup("ada").await;
    let (from, to, data) =
        tokio::time::timeout(Duration::from_secs(10), received.recv()).await.unwrap().unwrap();
    assert_eq!(from, "<no-reply@vinano.test>");
    assert_eq!(to, "<ada@example.com>");
    assert!(data.contains("Subject: Confirm your email address for ViNano"), "{data}");
    assert!(unquote(&data.replace('\n', "\r\n")).contains("/verify-email?token="), "{data}");
    // Delivered: marked sent, and the link no longer sits in the database.
    for _ in 0..100 {
        let sent: Option<i64> =
            sqlx::query_scalar("SELECT sent_at FROM outbox").fetch_one(&app.state.db).await.unwrap();
        if sent.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (sent, body): (Option<i64>, String) =
        sqlx::query_as("SELECT sent_at, body FROM outbox").fetch_one(&app.state.db).await.unwrap();
    assert!(sent.is_some() && body.is_empty());
}
