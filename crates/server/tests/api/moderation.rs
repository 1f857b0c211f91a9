//! The moderation gate: refused prompts get a message naming the category and store nothing; every
//! decision lands in a hash-chained, append-only audit log that holds a hash of the prompt, never the prompt.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;
use vinano_server::moderation;

async fn setup(app: &TestApp) -> (String, String, String) {
    app.conversation_with_photo("ada", 40, 30).await
}

#[tokio::test]
async fn a_refused_prompt_names_its_category_and_stores_nothing() {
    let app = TestApp::new().await;
    let (cookie, conv, image) = setup(&app).await;
    let url = format!("/api/v1/conversations/{conv}/messages");
    for (prompt, words) in [
        ("undress her", "without their consent"),
        ("一鍵脫衣", "without their consent"),
        ("make an ISIS recruitment poster", "violent extremism"),
        ("s.u.i.c.i.d.e", "self-harm"),
        // Look-alike letters: a Cyrillic е; then Greek υ with Cyrillic ԁ and і, mixed in one word.
        ("undress h\u{0435}r", "without their consent"),
        ("n\u{03C5}\u{0501}\u{0456}fy my coworker", "without their consent"),
    ] {
        let m = app
            .post_json(&url, Some(&cookie), json!({"text": prompt, "image_id": image}))
            .await
            .error(StatusCode::UNPROCESSABLE_ENTITY, "content_refused");
        assert!(m.contains(words), "{prompt}: {m}");
    }
    assert_eq!(app.count("messages").await, 0);
    assert_eq!(app.count("jobs").await, 0);
    // Allowed prompts go through, and are logged too.
    let ok = app.post_json(&url, Some(&cookie), json!({"text": "make it warmer", "image_id": image})).await;
    assert_eq!(ok.status, StatusCode::OK);

    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT category, decision, prompt_sha256 FROM moderation_log ORDER BY seq")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    let decisions: Vec<(&str, &str)> = rows.iter().map(|(c, d, _)| (c.as_str(), d.as_str())).collect();
    assert_eq!(
        decisions,
        [
            ("non_consensual_imagery", "refuse"),
            ("non_consensual_imagery", "refuse"),
            ("violent_extremism", "refuse"),
            ("self_harm", "refuse"),
            ("non_consensual_imagery", "refuse"),
            ("non_consensual_imagery", "refuse"),
            ("none", "allow")
        ]
    );
    assert_eq!(rows[0].2, moderation::prompt_hash("undress her"));
    // The log never holds the prompt itself.
    let dump: Vec<String> =
        sqlx::query_scalar("SELECT user_id || category || decision || prompt_sha256 FROM moderation_log")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert!(dump.iter().all(|r| !r.contains("undress") && !r.contains("warmer")));
    assert_eq!(moderation::verify_chain(&app.state.db).await.unwrap(), Ok(7));
}

#[tokio::test]
async fn the_log_is_append_only_and_tampering_is_detected() {
    let app = TestApp::new().await;
    let (cookie, conv, image) = setup(&app).await;
    let url = format!("/api/v1/conversations/{conv}/messages");
    for text in ["flip it", "undress her", "rotate it", "crop it square"] {
        app.post_json(&url, Some(&cookie), json!({"text": text, "image_id": image})).await;
    }
    assert_eq!(moderation::verify_chain(&app.state.db).await.unwrap(), Ok(4));
    // The database refuses edits and deletions.
    let edit = sqlx::query("UPDATE moderation_log SET decision = 'allow' WHERE decision = 'refuse'")
        .execute(&app.state.db)
        .await;
    assert!(edit.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM moderation_log WHERE seq = 2").execute(&app.state.db).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));

    // Someone with raw access drops the guard and rewrites row 2: the chain shows it.
    sqlx::query(&common::drop_trigger("moderation_log_no_update", "moderation_log"))
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query("UPDATE moderation_log SET decision = 'allow', category = 'none' WHERE seq = 2")
        .execute(&app.state.db)
        .await
        .unwrap();
    assert_eq!(moderation::verify_chain(&app.state.db).await.unwrap(), Err(2));
}

#[tokio::test]
async fn the_admin_command_verifies_the_chain() {
    let app = TestApp::new().await;
    let (cookie, conv, image) = setup(&app).await;
    for text in ["flip it", "undress her", "rotate it"] {
        app.say(&cookie, &conv, text, Some(&image)).await;
    }
    let verify = || app.command(&["admin", "verify-audit-log"]);
    let intact = verify().await;
    assert!(intact.status.success(), "{intact:?}");
    assert!(String::from_utf8_lossy(&intact.stdout).contains("intact: 3 entries"), "{intact:?}");
    sqlx::query(&common::drop_trigger("moderation_log_no_update", "moderation_log"))
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query("UPDATE moderation_log SET decision = 'allow' WHERE seq = 2")
        .execute(&app.state.db)
        .await
        .unwrap();
    let altered = verify().await;
    assert!(!altered.status.success());
    assert!(String::from_utf8_lossy(&altered.stderr).contains("entry 2 doesn't match"), "{altered:?}");
}

#[tokio::test]
async fn a_flagged_request_runs_but_its_photo_and_result_go_on_evidence_hold() {
    let app = TestApp::new().await;
    let (cookie, conv, image) = setup(&app).await;
    let url = format!("/api/v1/conversations/{conv}/messages");
    // An ordinary edit first: nothing is held.
    let plain =
        app.post_json(&url, Some(&cookie), json!({"text": "make it warmer", "image_id": image})).await;
    let plain = app.complete(&cookie, &conv, plain.json()).await;
    assert_eq!(plain["job"]["state"], "succeeded");
    let r = app
        .post_json(
            &url,
            Some(&cookie),
            json!({"text": "my kid in a swimsuit, brighter please", "image_id": image}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", String::from_utf8_lossy(&r.body));
    let done = app.complete(&cookie, &conv, r.json()).await;
    assert_eq!(done["job"]["state"], "succeeded", "the request is allowed");
    let result = done["reply"]["image"]["id"].as_str().unwrap().to_string();
    let held: Vec<String> = sqlx::query_scalar("SELECT id FROM images WHERE evidence_hold = 1 ORDER BY id")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    let mut expected = vec![image.clone(), result.clone()];
    expected.sort();
    assert_eq!(held, expected, "the photo and the result, not the plain edit's result");
    let last: (String, String) =
        sqlx::query_as("SELECT category, decision FROM moderation_log ORDER BY seq DESC LIMIT 1")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(last, ("minors_sensitive".to_string(), "review".to_string()));

    // Deleting the conversation removes everything else and says that some content is kept.
    let deleted = app
        .request(
            axum::http::Method::DELETE,
            &format!("/api/v1/conversations/{conv}"),
            Some(&cookie),
            None,
            vec![],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.json()["retained"], 2);
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM images ORDER BY id").fetch_all(&app.state.db).await.unwrap();
    assert_eq!(left, expected);
    assert_eq!(app.state.blobs.count().await, 2, "their files too");
}
