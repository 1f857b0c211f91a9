//! Security notices: emails that tell the owner of an account about a change they may not have made — a new
//! password, or a request to move the account to another address (sent to the address it is leaving, which
//! is the one an intruder can't read). Each is queued in the transaction of the change it tells about.

use crate::mail;
use crate::AppState;

/// A moment as people read it in an email: `2026-12-01 20:57 UTC`.
fn when(ms: i64) -> String {
    let stamp = crate::clock::rfc3339(ms);
    match (stamp.get(..10), stamp.get(11..16)) {
        (Some(day), Some(minute)) => format!("{day} {minute} UTC"),
        _ => stamp,
    }
}

/// `ada.lovelace@example.com` → `a•••e@example.com`: enough to recognise, not to harvest.
pub fn masked(address: &str) -> String {
    let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
    let chars: Vec<char> = local.chars().collect();
    let shown = match chars.as_slice() {
        [] => String::new(),
        [one] => format!("{one}•••"),
        [first, .., last] => format!("{first}•••{last}"),
    };
    format!("{shown}@{domain}")
}

async fn owner(tx: &mut sqlx::SqliteConnection, user_id: &str) -> sqlx::Result<(String, String)> {
    sqlx::query_as("SELECT name, email FROM users WHERE id = $1").bind(user_id).fetch_one(tx).await
}

/// Tells the account's address that its password was changed (`how`: "changed", "reset with an emailed
/// link").
pub async fn password_changed(
    state: &AppState,
    tx: &mut sqlx::SqliteConnection,
    user_id: &str,
    how: &str,
) -> sqlx::Result<()> {
    let now = state.clock.now_ms();
    let (name, email) = owner(tx, user_id).await?;
    let site = state.config.site_url();
    let body = format!(
        "Hello {name},\n\nThe password of your ViNano account was {how} on {}.\n\n\
         If that was you, there is nothing to do.\n\n\
         If it wasn't, someone else may know your password: choose a new one now at {site}/forgot-password \
         and sign out every device at {site}/me/security.\n\n— ViNano\n",
        when(now)
    );
    mail::queue(tx, now, Some(user_id), &email, "Your ViNano password was changed", &body).await
}

/// Tells the account's current address that someone asked to move the account to `new_address`.
pub async fn email_change_requested(
    state: &AppState,
    tx: &mut sqlx::SqliteConnection,
    user_id: &str,
    new_address: &str,
) -> sqlx::Result<()> {
    let now = state.clock.now_ms();
    let (name, email) = owner(tx, user_id).await?;
    let site = state.config.site_url();
    let body = format!(
        "Hello {name},\n\nOn {} someone signed in to your ViNano account asked to change its email address \
         from this one to {}. The change happens only once the link sent to the new address is opened.\n\n\
         If that was you, there is nothing to do.\n\n\
         If it wasn't, change your password now at {site}/me/security and sign out every other device; \
         the pending change is cancelled when you change your password.\n\n— ViNano\n",
        when(now),
        masked(new_address),
    );
    mail::queue(
        tx,
        now,
        Some(user_id),
        &email,
        "A change of email address was requested for your ViNano account",
        &body,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked_but_recognisable() {
        assert_eq!(masked("ada.lovelace@example.com"), "a•••e@example.com");
        assert_eq!(masked("b@example.com"), "b•••@example.com");
        assert_eq!(masked("名字@例子.中国"), "名•••字@例子.中国");
    }

    #[test]
    fn times_read_to_the_minute_in_utc() {
        assert_eq!(when(1_764_622_620_000), "2025-12-01 20:57 UTC");
    }
}
