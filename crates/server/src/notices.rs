//! Security notices: emails that tell the owner of an account about a change they may not have made — a new
//! password, or a request to move the account to another address (sent to the address it is leaving, which
//! is the one an intruder can't read). Each is queued in the transaction of the change it tells about.

use crate::mail;
use crate::AppState;

/// A moment as people read it in an email: `2026-12-01 20:57 UTC`.
fn when(ms: i64) -> String {
    crate::clock::timestamp(ms).minute()
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

async fn owner_email(tx: &mut sqlx::AnyConnection, user_id: &str) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_one(tx).await
}

/// How a password came to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    /// Changed in Me → Security.
    Changed,
    /// Reset with an emailed link.
    Reset,
}

/// Tells the account's address that its password was changed.
pub async fn password_changed(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    user_id: &str,
    how: PasswordChange,
) -> sqlx::Result<()> {
    let now = state.clock.now_ms();
    let email = owner_email(tx, user_id).await?;
    let site = state.config.site_url();
    let how = match how {
        PasswordChange::Changed => "changed",
        PasswordChange::Reset => "reset",
    };
    let at = when(now);
    let args = [("how", how), ("when", &at), ("site", &site)];
    mail::queue_letter(tx, now, user_id, &email, "mail-password-changed", &args).await
}

/// Tells the account's current address that someone asked to move the account to `new_address`.
pub async fn email_change_requested(
    state: &AppState,
    tx: &mut sqlx::AnyConnection,
    user_id: &str,
    new_address: &str,
) -> sqlx::Result<()> {
    let now = state.clock.now_ms();
    let email = owner_email(tx, user_id).await?;
    let site = state.config.site_url();
    let (at, address) = (when(now), masked(new_address));
    let args = [("when", at.as_str()), ("address", &address), ("site", &site)];
    mail::queue_letter(tx, now, user_id, &email, "mail-email-change", &args).await
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
