//! Privacy choices and the consent ledger.
//!
//! Settings (AI training, analytics, email) live in `privacy_settings`; a person without a row has the
//! defaults the policy describes (training on with opt-out, analytics on, marketing email off). Every change
//! appends a row to the `consents` ledger (what, old → new, policy version, source, time), which the database
//! keeps append-only. A browser sending `Sec-GPC: 1` (Global Privacy Control) is treated as opted out of
//! analytics and training the first time it is seen, without a prompt; the ledger says so.
//!
//! [`training_eligible`] is the one query anything that trains models must use: it never returns an image
//! of someone who opted out, nor a commercial image (or one in a commercial conversation) without that
//! image's separate, explicit consent.

use axum::http::HeaderMap;
use vinano_api::{PrivacySettings, PrivacyUpdate};

/// When a ledger entry is made: the time, and the privacy-policy version in force.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// Milliseconds since the epoch.
    pub now_ms: i64,
    /// The current privacy-policy version.
    pub policy_version: &'a str,
}

impl<'a> At<'a> {
    /// Now, under the server's current policy.
    pub fn now(state: &'a crate::AppState) -> Self {
        Self { now_ms: state.clock.now_ms(), policy_version: &state.config.policy_version }
    }
}

/// The stored choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Images may be used for AI training.
    pub ai_training: bool,
    /// Usage analytics are collected.
    pub analytics: bool,
    /// Product news by email.
    pub email_news: bool,
    /// Tips by email.
    pub email_tips: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { ai_training: true, analytics: true, email_news: false, email_tips: false }
    }
}

impl Settings {
    /// The API view; `gpc` says whether this browser sends Global Privacy Control.
    pub fn view(self, gpc: bool) -> PrivacySettings {
        PrivacySettings {
            ai_training: self.ai_training,
            analytics: self.analytics,
            email_news: self.email_news,
            email_tips: self.email_tips,
            email_policy: true,
            gpc,
        }
    }

    fn fields(self) -> [(&'static str, bool); 4] {
        [
            ("ai_training", self.ai_training),
            ("analytics", self.analytics),
            ("email_news", self.email_news),
            ("email_tips", self.email_tips),
        ]
    }
}

/// Whether the request carries Global Privacy Control (`Sec-GPC: 1`).
pub fn gpc(headers: &HeaderMap) -> bool {
    headers.get("sec-gpc").is_some_and(|v| v.as_bytes().trim_ascii() == b"1")
}

/// The person's settings (defaults when they never changed any).
pub async fn load(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    user_id: &str,
) -> sqlx::Result<Settings> {
    let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT ai_training, analytics, email_news, email_tips FROM privacy_settings WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map_or_else(Settings::default, |(ai_training, analytics, email_news, email_tips)| Settings {
        ai_training: ai_training != 0,
        analytics: analytics != 0,
        email_news: email_news != 0,
        email_tips: email_tips != 0,
    }))
}

/// Appends one entry to the consent ledger.
pub async fn record(
    tx: &mut sqlx::AnyConnection,
    at: At<'_>,
    user_id: &str,
    what: &str,
    old: Option<&str>,
    new: &str,
    source: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO consents (user_id, what, old_value, new_value, policy_version, source, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user_id)
    .bind(what)
    .bind(old)
    .bind(new)
    .bind(at.policy_version)
    .bind(source)
    .bind(at.now_ms)
    .execute(tx)
    .await?;
    Ok(())
}

/// Records that the person accepted each `(what, version)` of `items` (the terms, the policy…) at `now`,
/// through `source` (`signup`, `widget`).
pub async fn accepted(
    tx: &mut sqlx::AnyConnection,
    user_id: &str,
    now_ms: i64,
    source: &str,
    items: &[(&str, &str)],
) -> sqlx::Result<()> {
    for (what, version) in items {
        sqlx::query(
            "INSERT INTO consents (user_id, what, old_value, new_value, policy_version, source, created_at)
             VALUES ($1, $2, NULL, 'accepted', $3, $4, $5)",
        )
        .bind(user_id)
        .bind(*what)
        .bind(*version)
        .bind(source)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

fn on_off(value: bool) -> &'static str {
    if value {
        "on"
    } else {
        "off"
    }
}

/// Applies the fields present in `update`, recording each real change in the ledger; returns the result.
pub async fn change(
    tx: &mut sqlx::AnyConnection,
    at: At<'_>,
    user_id: &str,
    update: &PrivacyUpdate,
    source: &str,
) -> sqlx::Result<Settings> {
    let before = load(&mut *tx, user_id).await?;
    let after = Settings {
        ai_training: update.ai_training.unwrap_or(before.ai_training),
        analytics: update.analytics.unwrap_or(before.analytics),
        email_news: update.email_news.unwrap_or(before.email_news),
        email_tips: update.email_tips.unwrap_or(before.email_tips),
    };
    for ((what, old), (_, new)) in before.fields().into_iter().zip(after.fields()) {
        if old != new {
            record(tx, at, user_id, what, Some(on_off(old)), on_off(new), source).await?;
        }
    }
    sqlx::query(
        "INSERT INTO privacy_settings (user_id, ai_training, analytics, email_news, email_tips, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id) DO UPDATE SET ai_training = $2, analytics = $3, email_news = $4, email_tips = $5,
                                             updated_at = $6",
    )
    .bind(user_id)
    .bind(i64::from(after.ai_training))
    .bind(i64::from(after.analytics))
    .bind(i64::from(after.email_news))
    .bind(i64::from(after.email_tips))
    .bind(at.now_ms)
    .execute(&mut *tx)
    .await?;
    Ok(after)
}

/// Honours Global Privacy Control the first time a person's browser sends it: analytics and training go
/// off (recorded with source `gpc`). Later explicit choices of theirs stand.
pub async fn apply_gpc(tx: &mut sqlx::AnyConnection, at: At<'_>, user_id: &str) -> sqlx::Result<bool> {
    let seen: Option<i64> =
        sqlx::query_scalar("SELECT seq FROM consents WHERE user_id = $1 AND source = 'gpc' LIMIT 1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    if seen.is_some() {
        return Ok(false);
    }
    record(tx, at, user_id, "global_privacy_control", None, "applied", "gpc").await?;
    let update =
        PrivacyUpdate { ai_training: Some(false), analytics: Some(false), ..PrivacyUpdate::default() };
    change(tx, at, user_id, &update, "gpc").await?;
    Ok(true)
}

/// Ids of the images that may be used to train models: their owner allows training, and they are not
/// commercial (by the image's own flag, or a conversation they appear in) unless that image has its own
/// explicit consent. Images on evidence hold are never used.
pub async fn training_eligible(db: &sqlx::AnyPool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT i.id FROM images i LEFT JOIN privacy_settings p ON p.user_id = i.user_id
         WHERE COALESCE(p.ai_training, 1) = 1
           AND i.evidence_hold = 0
           AND (i.training_consent = 1 OR (
                 i.commercial = 0
                 AND NOT EXISTS (SELECT 1 FROM messages m JOIN conversations c ON c.id = m.conversation_id
                                 WHERE m.image_id = i.id AND c.commercial = 1)))
         ORDER BY i.id",
    )
    .fetch_all(db)
    .await
}
