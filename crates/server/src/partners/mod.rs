//! Partners: sites that embed the ViNano widget (issue #17).
//!
//! A partner has a public id (`pt_…`, written into the partner's page), up to [`MAX_ORIGINS`] origins that
//! may frame the widget, a signing secret for its users' tokens ([`token`]), a monthly credit budget shared
//! by all its visitors and each visitor's monthly allowance ([`visitors`]).
//!
//! The secret is shown once, when it is made; the database keeps it sealed with the master key (a copy of
//! the database alone can't sign tokens). Rotating it keeps the previous one valid for an overlap period,
//! so the partner's servers can switch without a moment in which their tokens are refused.

pub mod cli;
pub mod token;
pub mod visitors;

use crate::error::Error;
use crate::AppState;
use base64::Engine;
use rand::RngCore;
use vinano_api::{Msg, Problem};

/// How many origins a partner may list.
pub const MAX_ORIGINS: usize = 5;
/// How long, in hours, the previous secret stays valid after a rotation, unless the operator says otherwise.
pub const DEFAULT_OVERLAP_HOURS: u64 = 24;
/// The longest overlap a rotation may give the previous secret, in hours (30 days).
pub const MAX_OVERLAP_HOURS: u64 = 24 * 30;

/// An overlap of `hours` (at most [`MAX_OVERLAP_HOURS`]) in milliseconds.
pub fn overlap_ms(hours: u64) -> i64 {
    hours.min(MAX_OVERLAP_HOURS) as i64 * 3_600_000
}

/// A partner as the operator sees it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    /// The public id (`pt_` and 16 hex digits).
    pub id: String,
    /// Its name, shown in the widget ("ViNano on Example Prints").
    pub name: String,
    /// The origins allowed to frame the widget, exactly as browsers send them (`https://shop.example`).
    pub origins: Vec<String>,
    /// Credits all its visitors together may spend in a calendar month (UTC).
    pub monthly_credits: u64,
    /// Credits each visitor gets a month.
    pub visitor_allowance: u64,
    /// Whether visitors without a token from the partner may use the widget as guests.
    pub guests: bool,
    /// Until when the secret before the last rotation is still accepted (ms), if one is.
    pub previous_until: Option<i64>,
    /// When it was registered (ms).
    pub created_at: i64,
}

pub use vinano_api::{NewPartner, PartnerChange};

/// Checks one origin and returns it as browsers write it: `https://host[:port]` in lower case, no path, no
/// default port; plain `http` only for `localhost` and loopback addresses (a partner developing locally).
pub fn parse_origin(text: &str) -> Result<String, Problem> {
    let bad =
        || Problem::new(Msg::PartnerOrigin).text("origin", text.trim().chars().take(200).collect::<String>());
    let url = url::Url::parse(text.trim()).map_err(|_| bad())?;
    let host = url.host_str().ok_or_else(bad)?.to_ascii_lowercase();
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !bare || !url.username().is_empty() || url.password().is_some() || host.contains('*') {
        return Err(bad());
    }
    let local = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
    match (url.scheme(), local) {
        ("https", _) | ("http", true) => {}
        _ => return Err(bad()),
    }
    Ok(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

/// Checks a list of origins: 1 to [`MAX_ORIGINS`], each valid; repeats are dropped.
pub fn parse_origins(list: &[String]) -> Result<Vec<String>, Problem> {
    if list.is_empty() || list.len() > MAX_ORIGINS {
        return Err(Problem::new(Msg::PartnerOrigins).num("max", MAX_ORIGINS as u64));
    }
    let mut origins = Vec::with_capacity(list.len());
    for text in list {
        let origin = parse_origin(text)?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    Ok(origins)
}

/// A new signing secret: `vns_` and 32 random bytes, base64url (what the partner's JWT library signs with).
fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("vns_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// The name a partner's secret is sealed under (binds the sealed bytes to this partner).
fn seal_name(id: &str) -> String {
    format!("partner-secret:{id}")
}

fn seal(state: &AppState, id: &str, secret: &str) -> String {
    hex::encode(state.master_key.seal(&seal_name(id), secret.as_bytes()))
}

fn unseal(state: &AppState, id: &str, sealed: &str) -> Option<String> {
    let bytes = hex::decode(sealed).ok()?;
    String::from_utf8(state.master_key.open(&seal_name(id), &bytes).ok()?).ok()
}

/// A partner's name, trimmed: 1 to 80 characters.
fn checked_name(name: &str) -> Result<String, Error> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(Error::invalid(Msg::PartnerName));
    }
    Ok(name.to_string())
}

/// What a partner's pages paste to load the widget.
pub fn snippet(site_url: &str, id: &str) -> String {
    format!("<script src=\"{site_url}/widget.js\" data-partner=\"{id}\" async></script>")
}

/// Every partner not removed, oldest first, as an administrator sees it: with this month's spending and
/// how many visitors it has.
pub async fn overview(db: &sqlx::AnyPool, now: i64) -> Result<Vec<vinano_api::AdminPartner>, Error> {
    let mut out = Vec::new();
    for partner in list(db).await? {
        out.push(admin_view(db, partner, now).await?);
    }
    Ok(out)
}

/// `partner` as an administrator sees it.
pub async fn admin_view(
    db: &sqlx::AnyPool,
    partner: Partner,
    now: i64,
) -> Result<vinano_api::AdminPartner, Error> {
    let mut conn = db.acquire().await?;
    let (month, _) = visitors::month_of(now);
    let spent = visitors::spent(&mut conn, &partner.id, month).await?;
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE partner_id = $1 AND closed_at IS NULL")
            .bind(&partner.id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(vinano_api::AdminPartner {
        id: partner.id,
        name: partner.name,
        origins: partner.origins,
        monthly_credits: partner.monthly_credits,
        visitor_allowance: partner.visitor_allowance,
        guests: partner.guests,
        spent_this_month: spent,
        visitors: count.max(0) as u64,
        previous_secret_until: partner
            .previous_until
            .filter(|until| *until > now)
            .map(crate::clock::timestamp),
        created_at: crate::clock::timestamp(partner.created_at),
    })
}

/// Registers a partner (by `actor`: an administrator's id, or `cli`); returns it with its secret, which is
/// never shown again.
pub async fn add(state: &AppState, actor: &str, new: NewPartner) -> Result<(Partner, String), Error> {
    let name = checked_name(&new.name)?;
    let origins = parse_origins(&new.origins).map_err(Error::invalid)?;
    let id = format!("pt_{}", crate::ids::random_hex(8));
    let secret = new_secret();
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    sqlx::query(
        "INSERT INTO partners (id, name, origins, secret_sealed, monthly_credits, visitor_allowance, guests,
                               created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(&name)
    .bind(origins.join(" "))
    .bind(seal(state, &id, &secret))
    .bind(new.monthly_credits.min(i64::MAX as u64) as i64)
    .bind(new.visitor_allowance.min(i64::MAX as u64) as i64)
    .bind(i64::from(new.guests))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let detail = format!("{name}: {}", origins.join(" "));
    crate::admin::audit(&mut tx, actor, "partner_added", Some(&id), &detail, now).await?;
    tx.commit().await?;
    let partner = Partner {
        id,
        name,
        origins,
        monthly_credits: new.monthly_credits,
        visitor_allowance: new.visitor_allowance,
        guests: new.guests,
        previous_until: None,
        created_at: now,
    };
    Ok((partner, secret))
}

type Row = (String, String, String, i64, i64, i64, Option<i64>, i64);
const COLUMNS: &str =
    "id, name, origins, monthly_credits, visitor_allowance, guests, previous_until, created_at";

fn from_row((id, name, origins, monthly, allowance, guests, previous_until, created_at): Row) -> Partner {
    Partner {
        id,
        name,
        origins: origins.split_whitespace().map(str::to_string).collect(),
        monthly_credits: monthly.max(0) as u64,
        visitor_allowance: allowance.max(0) as u64,
        guests: guests != 0,
        previous_until,
        created_at,
    }
}

/// The partner with this public id, unless it was removed.
pub async fn get(db: &sqlx::AnyPool, id: &str) -> Result<Option<Partner>, Error> {
    let row: Option<Row> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM partners WHERE id = $1 AND removed_at IS NULL"))
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(from_row))
}

/// Every partner not removed, oldest first.
pub async fn list(db: &sqlx::AnyPool) -> Result<Vec<Partner>, Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM partners WHERE removed_at IS NULL ORDER BY created_at, id"
    ))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// The secrets a token of partner `id` may be signed with now: the current one, and the previous one
/// during its overlap.
pub(crate) async fn secrets(state: &AppState, id: &str) -> Result<Vec<String>, Error> {
    let row: Option<(String, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT secret_sealed, previous_secret_sealed, previous_until FROM partners
         WHERE id = $1 AND removed_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&state.db)
    .await?;
    let Some((current, previous, until)) = row else { return Ok(Vec::new()) };
    let now = state.clock.now_ms();
    let mut secrets: Vec<String> = unseal(state, id, &current).into_iter().collect();
    if until.is_some_and(|until| now < until) {
        secrets.extend(previous.and_then(|p| unseal(state, id, &p)));
    }
    Ok(secrets)
}

/// Makes a new secret for partner `id`; the old one is still accepted for `overlap_ms`. Returns the new
/// secret (shown once), or `None` for an unknown partner.
pub async fn rotate(
    state: &AppState,
    actor: &str,
    id: &str,
    overlap_ms: i64,
) -> Result<Option<String>, Error> {
    let secret = new_secret();
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let changed = sqlx::query(
        "UPDATE partners SET previous_secret_sealed = secret_sealed, previous_until = $1, secret_sealed = $2
         WHERE id = $3 AND removed_at IS NULL",
    )
    .bind(now + overlap_ms.max(0))
    .bind(seal(state, id, &secret))
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(None);
    }
    let detail = format!("the previous secret is accepted for {} more minutes", overlap_ms.max(0) / 60_000);
    crate::admin::audit(&mut tx, actor, "partner_secret_rotated", Some(id), &detail, now).await?;
    tx.commit().await?;
    Ok(Some(secret))
}

/// Applies `change` to partner `id`; returns it as it is now (`None`: unknown).
pub async fn change(
    state: &AppState,
    actor: &str,
    id: &str,
    change: PartnerChange,
) -> Result<Option<Partner>, Error> {
    let Some(mut partner) = get(&state.db, id).await? else { return Ok(None) };
    if let Some(name) = &change.name {
        partner.name = checked_name(name)?;
    }
    if let Some(origins) = &change.origins {
        partner.origins = parse_origins(origins).map_err(Error::invalid)?;
    }
    partner.monthly_credits = change.monthly_credits.unwrap_or(partner.monthly_credits);
    partner.visitor_allowance = change.visitor_allowance.unwrap_or(partner.visitor_allowance);
    partner.guests = change.guests.unwrap_or(partner.guests);
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    sqlx::query(
        "UPDATE partners SET name = $1, origins = $2, monthly_credits = $3, visitor_allowance = $4, guests = $5
         WHERE id = $6 AND removed_at IS NULL",
    )
    .bind(&partner.name)
    .bind(partner.origins.join(" "))
    .bind(partner.monthly_credits.min(i64::MAX as u64) as i64)
    .bind(partner.visitor_allowance.min(i64::MAX as u64) as i64)
    .bind(i64::from(partner.guests))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let detail = format!(
        "{}: origins {}; {} credits a month, {} a visitor; guests {}",
        partner.name,
        partner.origins.join(" "),
        partner.monthly_credits,
        partner.visitor_allowance,
        if partner.guests { "on" } else { "off" }
    );
    crate::admin::audit(&mut tx, actor, "partner_changed", Some(id), &detail, now).await?;
    tx.commit().await?;
    Ok(Some(partner))
}

/// Removes partner `id`: its widget stops loading on every site and its visitors' sessions end at once.
/// Their accounts stay, with the same data rights as everyone's, until they go quiet (see
/// [`visitors::purge_quiet_guests`]). Returns whether there was such a partner.
pub async fn remove(state: &AppState, actor: &str, id: &str) -> Result<bool, Error> {
    let now = state.clock.now_ms();
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let removed = sqlx::query("UPDATE partners SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed == 0 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM sessions WHERE widget_partner = $1").bind(id).execute(&mut *tx).await?;
    crate::admin::audit(&mut tx, actor, "partner_removed", Some(id), "", now).await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_https_hosts_written_as_browsers_send_them() {
        assert_eq!(parse_origin("https://Shop.Example").unwrap(), "https://shop.example");
        assert_eq!(parse_origin("https://shop.example:443/").unwrap(), "https://shop.example");
        assert_eq!(parse_origin("https://shop.example:8443").unwrap(), "https://shop.example:8443");
        assert_eq!(parse_origin("http://localhost:5173").unwrap(), "http://localhost:5173");
        assert_eq!(parse_origin("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        for bad in [
            "http://shop.example",
            "https://shop.example/path",
            "https://shop.example?x=1",
            "ftp://shop.example",
            "shop.example",
            "https://*.example",
            "https://user@shop.example",
            "",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn a_partner_lists_one_to_five_distinct_origins() {
        let list = |n: usize| (0..n).map(|i| format!("https://s{i}.example")).collect::<Vec<_>>();
        assert!(parse_origins(&list(0)).is_err());
        assert_eq!(parse_origins(&list(5)).unwrap().len(), 5);
        assert!(parse_origins(&list(6)).is_err());
        let twice = vec!["https://a.example".to_string(), "https://A.example/".to_string()];
        assert_eq!(parse_origins(&twice).unwrap(), vec!["https://a.example"]);
    }

    #[test]
    fn secrets_are_long_random_and_url_safe() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 43);
        assert!(a[4..].bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }
}
