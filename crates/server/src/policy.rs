//! Privacy-policy versions. The current version is `Config::policy_version` (the text ships with the SPA,
//! `vinano_api::policy`). At start-up a version not seen before is recorded; if an earlier one existed, the
//! change is material by definition: every open account is emailed (policy emails can't be turned off;
//! a widget visitor has no address, and is asked inside the widget),
//! and each person sees a banner until they read and accept it — the acceptance goes into the consent ledger.

use crate::{mail, AppState};

/// Records the current version; on a change from an earlier one, emails every open account. Returns how
/// many were emailed.
pub async fn publish(state: &AppState) -> anyhow::Result<u64> {
    let version = state.config.policy_version.clone();
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let known: Option<String> = sqlx::query_scalar("SELECT version FROM policy_versions WHERE version = $1")
        .bind(&version)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_some() {
        return Ok(0);
    }
    let earlier: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM policy_versions").fetch_one(&mut *tx).await?;
    sqlx::query("INSERT INTO policy_versions (version, published_at, emailed_at) VALUES ($1, $2, $2)")
        .bind(&version)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let mut emailed = 0;
    if earlier > 0 {
        let people: Vec<(String, String)> =
            sqlx::query_as("SELECT id, email FROM users WHERE closed_at IS NULL AND partner_id IS NULL")
                .fetch_all(&mut *tx)
                .await?;
        let site = state.config.public_url.clone().unwrap_or_else(|| format!("http://{}", state.config.bind));
        let version = version.to_string();
        for (id, email) in people {
            let args = [("version", version.as_str()), ("site", site.as_str())];
            mail::queue_letter(&mut tx, now, &id, &email, "mail-policy", &args).await?;
            emailed += 1;
        }
    }
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    tracing::info!(event = "policy_published", %version, emailed, "privacy policy version recorded");
    Ok(emailed)
}

/// The version of the privacy policy the person last accepted, if any.
pub async fn accepted(
    db: impl sqlx::Executor<'_, Database = sqlx::Any>,
    user_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT policy_version FROM consents WHERE user_id = $1 AND what = 'privacy_policy' AND new_value = 'accepted'
         ORDER BY seq DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// Records that the person read and accepted the current version.
pub async fn accept(state: &AppState, user_id: &str, source: &str) -> anyhow::Result<()> {
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let before = accepted(&mut *tx, user_id).await?;
    if before.as_deref() != Some(state.config.policy_version.as_str()) {
        sqlx::query(
            "INSERT INTO consents (user_id, what, old_value, new_value, policy_version, source, created_at)
             VALUES ($1, 'privacy_policy', $2, 'accepted', $3, $4, $5)",
        )
        .bind(user_id)
        .bind(before.map(|v| format!("accepted {v}")))
        .bind(&state.config.policy_version)
        .bind(source)
        .bind(state.clock.now_ms())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
