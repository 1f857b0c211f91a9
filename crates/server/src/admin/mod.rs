//! Operator controls: who may sign up (`VINANO_SIGNUPS`: open, by invitation, or closed), who administers
//! this ViNano (the first account, and whoever `vinano-server admin grant-admin` names), invitations, and
//! the append-only audit log of every administrator's act.

pub mod people;
pub mod reports;

use crate::error::Error;
use crate::AppState;
use sqlx::AnyConnection;

/// Who may sign up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Signups {
    /// Anyone.
    #[default]
    Open,
    /// Whoever opens an invitation's link.
    Invite,
    /// Nobody: accounts exist already or come from elsewhere.
    Closed,
}

impl Signups {
    /// `open`, `invite` or `closed`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "open" => Some(Signups::Open),
            "invite" => Some(Signups::Invite),
            "closed" => Some(Signups::Closed),
            _ => None,
        }
    }
}

/// How long an invitation can be used.
pub const INVITE_DAYS: i64 = 14;

/// Writes one line of the audit log.
pub async fn audit(
    tx: &mut AnyConnection,
    actor: &str,
    action: &str,
    target: Option<&str>,
    detail: &str,
    now: i64,
) -> Result<(), Error> {
    sqlx::query("INSERT INTO admin_audit (actor, action, target, detail, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(actor)
        .bind(action)
        .bind(target)
        .bind(detail)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Makes an invitation (by `actor`: an administrator's id, or `cli`) and returns its code; only its hash is
/// kept.
pub async fn create_invite(state: &AppState, actor: &str) -> Result<String, Error> {
    let code = crate::ids::random_hex(16);
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    sqlx::query(
        "INSERT INTO invites (code_hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(crate::credentials::hash_token(&code))
    .bind(actor)
    .bind(now)
    .bind(now + INVITE_DAYS * crate::periods::DAY_MS)
    .execute(&mut *tx)
    .await?;
    audit(&mut tx, actor, "invite", None, &format!("an invitation for {INVITE_DAYS} days"), now).await?;
    tx.commit().await?;
    Ok(code)
}

/// Uses invitation `code` for the new account `user_id` (inside its sign-up transaction): false when the
/// code is unknown, used or expired.
pub async fn use_invite(tx: &mut AnyConnection, code: &str, user_id: &str, now: i64) -> Result<bool, Error> {
    let used = sqlx::query(
        "UPDATE invites SET used_by = $1, used_at = $2
         WHERE code_hash = $3 AND used_by IS NULL AND expires_at > $2",
    )
    .bind(user_id)
    .bind(now)
    .bind(crate::credentials::hash_token(code.trim()))
    .execute(&mut *tx)
    .await?;
    Ok(used.rows_affected() == 1)
}

/// The first account of a ViNano administers it (inside its sign-up transaction); true when this one is.
pub async fn make_first_admin(tx: &mut AnyConnection, user_id: &str, now: i64) -> Result<bool, Error> {
    let made =
        sqlx::query("UPDATE users SET is_admin = 1 WHERE id = $1 AND (SELECT COUNT(*) FROM users WHERE partner_id IS NULL) = 1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    if made.rows_affected() == 1 {
        audit(tx, "system", "grant-admin", Some(user_id), "the first account", now).await?;
        return Ok(true);
    }
    Ok(false)
}

/// Makes the open account with this email or username an administrator (`vinano-server admin
/// grant-admin`); its id, or `None` when there is no such account.
pub async fn grant_admin(state: &AppState, login: &str, actor: &str) -> Result<Option<String>, Error> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM users WHERE (email = lower($1) OR lower(username) = lower($1)) AND closed_at IS NULL",
    )
    .bind(login.trim())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else { return Ok(None) };
    sqlx::query("UPDATE users SET is_admin = 1 WHERE id = $1").bind(&id).execute(&mut *tx).await?;
    audit(&mut tx, actor, "grant-admin", Some(&id), "made an administrator", now).await?;
    tx.commit().await?;
    Ok(Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_ups_are_open_by_invitation_or_closed() {
        assert_eq!(Signups::parse("open"), Some(Signups::Open));
        assert_eq!(Signups::parse(" Invite "), Some(Signups::Invite));
        assert_eq!(Signups::parse("CLOSED"), Some(Signups::Closed));
        assert_eq!(Signups::parse("sometimes"), None);
        assert_eq!(Signups::default(), Signups::Open);
    }
}
