//! Widget visitors: the accounts the widget signs people into, and what their partner pays for.
//!
//! A visitor is an ordinary account (its images, conversations and data rights are everyone's), tied to its
//! partner: a **guest** (no token; a new account each time a browser without a widget session opens the
//! widget, removed after [`GUEST_QUIET_DAYS`] days without use) or the partner's **member** (a token from the
//! partner's server names the partner's user id; the same account every time). A visitor has no email
//! address and no password: only a widget session opens it.
//!
//! Credits: each visitor gets the partner's allowance every month (the period grant of the Free plan is
//! replaced by it), and every reservation also counts against the partner's monthly budget, shared by all
//! its visitors ([`check_budget`]).

use super::token::{self, Refusal};
use super::Partner;
use crate::error::Error;
use crate::{ids, AppState};
use sqlx::AnyConnection;
use time::OffsetDateTime;
use vinano_api::{Msg, Problem};

/// A guest account not used for this many days is removed with everything in it.
pub const GUEST_QUIET_DAYS: i64 = 30;
/// A guest's widget session lasts as long as a guest is kept: its browser returns to the same account.
pub const GUEST_SESSION_SECS: i64 = GUEST_QUIET_DAYS * 24 * 3600;
/// A member's widget session: a day, then the partner's page mints a new token.
pub const MEMBER_SESSION_SECS: i64 = 24 * 3600;

/// Who is opening the widget.
#[derive(Debug)]
pub enum Visitor<'a> {
    /// Someone the partner didn't name.
    Guest,
    /// The partner's user, by the token its server made.
    Member(&'a str),
}

/// A widget session just started.
#[derive(Debug)]
pub struct Started {
    /// The visitor's account.
    pub user_id: String,
    /// The session token (for the cookie; only its hash is kept).
    pub token: String,
    /// How long the cookie lasts (seconds).
    pub max_age: i64,
    /// Whether the account was made now.
    pub new_account: bool,
}

/// The device a session was started from, as the sessions list shows it.
#[derive(Debug, Default)]
pub struct Device {
    /// The browser's description.
    pub user_agent: String,
    /// The client's address.
    pub ip: String,
}

/// Checks a member's token (when there is one) and starts a widget session for `partner`: the member's
/// account, made on first use, or a new guest account. Every refusal leaves nothing written.
pub async fn sign_in(
    state: &AppState,
    partner: &Partner,
    token_text: Option<&str>,
    device: &Device,
) -> Result<Started, Error> {
    let now = state.clock.now_ms();
    let claims = match token_text {
        Some(text) => {
            let secrets = super::secrets(state, &partner.id).await?;
            let audience = state.config.site_url();
            match token::verify(text, &partner.id, &secrets, &audience, now) {
                Ok(claims) => Some(claims),
                Err(Refusal::Invalid) => return Err(Error::Forbidden(Msg::WidgetTokenInvalid.into())),
                Err(Refusal::Expired) => return Err(Error::Forbidden(Msg::WidgetTokenExpired.into())),
            }
        }
        None if partner.guests => None,
        None => return Err(Error::Forbidden(Msg::WidgetGuestsOff.into())),
    };
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    if let Some(claims) = &claims {
        // Once per token: its nonce is kept until it expires (then the token is refused as expired anyway).
        let seen: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM partner_nonces WHERE partner_id = $1 AND nonce = $2")
                .bind(&partner.id)
                .bind(&claims.nonce)
                .fetch_one(&mut *tx)
                .await?;
        if seen > 0 {
            tracing::warn!(event = "widget_token_replayed", partner = %partner.id, "a token was used twice");
            return Err(Error::Forbidden(Msg::WidgetTokenReplayed.into()));
        }
        sqlx::query("INSERT INTO partner_nonces (partner_id, nonce, expires_at) VALUES ($1, $2, $3)")
            .bind(&partner.id)
            .bind(&claims.nonce)
            .bind(claims.expires_at_ms)
            .execute(&mut *tx)
            .await?;
    }
    let visitor = match &claims {
        Some(c) => Visitor::Member(&c.user),
        None => Visitor::Guest,
    };
    let (user_id, new_account) = account(&mut tx, state, partner, &visitor, now).await?;
    let (token, hash) = crate::credentials::new_session_token();
    let max_age = match visitor {
        Visitor::Guest => GUEST_SESSION_SECS,
        Visitor::Member(_) => MEMBER_SESSION_SECS,
    };
    // Signing in here (the partner's fresh token, or a new guest) is the visitor's proof of who they are,
    // as a password is on the site: a copy of their data may be downloaded for the next 10 minutes.
    sqlx::query(
        "INSERT INTO sessions (token_hash, id, user_id, created_at, expires_at, last_seen_at, reauth_at,
                               user_agent, ip, widget_partner)
         VALUES ($1, $2, $3, $4, $5, $4, $4, $6, $7, $8)",
    )
    .bind(&hash)
    .bind(ids::new_id())
    .bind(&user_id)
    .bind(now)
    .bind(now + max_age * 1000)
    .bind(&device.user_agent)
    .bind(&device.ip)
    .bind(&partner.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let kind = if claims.is_some() { "member" } else { "guest" };
    tracing::info!(event = "widget_session", partner = %partner.id, user = %user_id, kind, new_account, "widget session started");
    Ok(Started { user_id, token, max_age, new_account })
}

/// The visitor's account: the member's own (made on first use), or a new guest.
async fn account(
    tx: &mut AnyConnection,
    state: &AppState,
    partner: &Partner,
    visitor: &Visitor<'_>,
    now: i64,
) -> Result<(String, bool), Error> {
    if let Visitor::Member(user) = visitor {
        let known: Option<(String, Option<i64>)> =
            sqlx::query_as("SELECT id, closed_at FROM users WHERE partner_id = $1 AND partner_user = $2")
                .bind(&partner.id)
                .bind(user)
                .fetch_optional(&mut *tx)
                .await?;
        match known {
            Some((id, None)) => return Ok((id, false)),
            // The member deleted their ViNano data: the next visit starts afresh under the same name.
            Some((id, Some(_))) => {
                sqlx::query("UPDATE users SET partner_user = NULL WHERE id = $1")
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {}
        }
    }
    let id = ids::new_id();
    let partner_user = match visitor {
        Visitor::Member(user) => Some(*user),
        Visitor::Guest => None,
    };
    // No address, no password, no username anyone types: `.invalid` is never delivered (RFC 2606), and an
    // empty hash matches no password.
    sqlx::query(
        "INSERT INTO users (id, name, email, username, password_hash, date_of_birth, created_at, language,
                            time_zone, partner_id, partner_user, email_verified_at)
         VALUES ($1, $2, $3, $4, '', '', $5, 'en', 'UTC', $6, $7, NULL)",
    )
    .bind(&id)
    .bind(&partner.name)
    .bind(format!("{id}@visitors.invalid"))
    .bind(format!("visitor-{id}"))
    .bind(now)
    .bind(&partner.id)
    .bind(partner_user)
    .execute(&mut *tx)
    .await?;
    // Opening the widget is accepting ViNano's terms and policy there (the widget says so, with the links).
    let items = [
        ("terms", vinano_api::policy::TERMS_VERSION),
        ("privacy_policy", state.config.policy_version.as_str()),
    ];
    crate::privacy::accepted(tx, &id, now, "widget", &items).await?;
    Ok((id, true))
}

/// The start of the calendar month (UTC) that `now` is in, and of the next one (ms).
pub fn month_of(now: i64) -> (i64, i64) {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(now) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let first = at.date().replace_day(1).expect("every month has a first day");
    let start = first.midnight().assume_utc();
    let next = crate::billing::ledger::month_after((start.unix_timestamp_nanos() / 1_000_000) as i64);
    ((start.unix_timestamp_nanos() / 1_000_000) as i64, next)
}

/// The partner of `user_id` with its allowance and monthly budget, when the account is a widget visitor.
pub async fn partner_of(
    tx: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<(String, String, u64, u64)>, Error> {
    let row: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT p.id, p.name, p.visitor_allowance, p.monthly_credits FROM users u JOIN partners p ON p.id = u.partner_id
         WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(row.map(|(id, name, allowance, monthly)| (id, name, allowance.max(0) as u64, monthly.max(0) as u64)))
}

/// Credits the visitors of `partner` spent in the month that began at `start`: reservations less refunds.
pub async fn spent(tx: &mut AnyConnection, partner: &str, start: i64) -> Result<u64, Error> {
    let spent: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(-l.amount), 0) AS BIGINT) FROM credit_ledger l JOIN users u ON u.id = l.user_id
         WHERE u.partner_id = $1 AND l.kind IN ('reserve', 'refund') AND l.at >= $2",
    )
    .bind(partner)
    .bind(start)
    .fetch_one(&mut *tx)
    .await?;
    Ok(spent.max(0) as u64)
}

/// Refuses (402) a reservation of `cost` by a widget visitor when it would take its partner past the
/// month's budget; accounts that aren't visitors pass. Call it inside the reservation's write transaction.
pub async fn check_budget(tx: &mut AnyConnection, user_id: &str, cost: u64, now: i64) -> Result<(), Error> {
    let Some((partner, _, _, monthly)) = partner_of(tx, user_id).await? else { return Ok(()) };
    let (start, next) = month_of(now);
    if spent(tx, &partner, start).await?.saturating_add(cost) <= monthly {
        return Ok(());
    }
    let date = day(next);
    tracing::info!(event = "widget_budget_spent", %partner, cost, "a partner's monthly budget is used up");
    Err(Error::PaymentRequired(Problem::new(Msg::WidgetBudgetSpent).text("date", date)))
}

/// The refusal (402) of an edit costing `cost` when a visitor has `balance` left until `renews` (ms).
pub fn allowance_short(cost: u64, balance: i64, renews: i64) -> Error {
    Error::PaymentRequired(
        Problem::new(Msg::WidgetCreditsShort)
            .num("cost", cost)
            .num("balance", balance.max(0) as u64)
            .text("date", day(renews)),
    )
}

/// The UTC date of `ms`, as `2026-12-01`.
fn day(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).map(|d| d.date().to_string()).unwrap_or_default()
}

/// Removes guest accounts (with everything in them) whose last widget session was seen more than
/// [`GUEST_QUIET_DAYS`] ago, or that never had one that old; returns how many went. Run by the retention
/// sweep.
pub async fn purge_quiet_guests(state: &AppState) -> anyhow::Result<u64> {
    let cutoff = state.clock.now_ms() - GUEST_QUIET_DAYS * 24 * 3600 * 1000;
    let quiet: Vec<String> = sqlx::query_scalar(
        "SELECT u.id FROM users u
         WHERE u.partner_id IS NOT NULL AND u.partner_user IS NULL AND u.closed_at IS NULL AND u.created_at < $1
           AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.last_seen_at >= $1)",
    )
    .bind(cutoff)
    .fetch_all(&state.db)
    .await?;
    let mut removed = 0;
    for id in quiet {
        match crate::rights::purge_account(state, &id, "guest_quiet").await {
            Ok(_) => removed += 1,
            Err(e) => {
                tracing::error!(error = ?e, user = %id, "removing a quiet guest failed; will try again")
            }
        }
    }
    // Nonces of tokens that have expired can't be replayed any more: the expiry refuses them.
    sqlx::query("DELETE FROM partner_nonces WHERE expires_at < $1")
        .bind(state.clock.now_ms() - token::CLOCK_SKEW_SECS * 1000)
        .execute(&state.db)
        .await?;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_runs_from_its_first_day_to_the_next_months() {
        // 2026-12-06 04:25 UTC.
        let (start, next) = month_of(1_796_531_100_000);
        assert_eq!(start, 1_796_083_200_000, "2026-12-01 00:00 UTC");
        assert_eq!(next, 1_798_761_600_000, "2027-01-01 00:00 UTC");
    }
}
