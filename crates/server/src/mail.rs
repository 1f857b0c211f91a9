//! Email: every message is written to the `outbox` table in the same transaction as the change it tells
//! about, and a sender task delivers it — as an `.eml` file under `<data dir>/outbox/` by default (so the
//! product works offline and tests can read the mail), or over SMTP (`lettre`) when `VINANO_SMTP_URL` is set.
//! Failed deliveries are retried with growing pauses; a delivered message's body is cleared from the table,
//! so the single-use links in it don't linger in the database.

use crate::storage::db::Backend;
use crate::{ids, AppState};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;
use vinano_api::{Arg, Args};

/// How mail leaves the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailConfig {
    /// Write each message as an `.eml` file into `<data dir>/outbox`.
    Files,
    /// Send over SMTP: a `lettre` URL such as `smtps://user:pass@smtp.example.com` or
    /// `smtp://relay.local:25`.
    Smtp(String),
}

/// Where the file transport writes messages.
pub fn outbox_dir(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("outbox")
}

/// Queues a message (inside the caller's transaction: it is sent only if the change commits).
pub async fn queue(
    tx: &mut sqlx::AnyConnection,
    now_ms: i64,
    user_id: Option<&str>,
    to: &str,
    subject: &str,
    body: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO outbox (id, user_id, to_addr, subject, body, created_at, next_try_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(ids::new_id())
    .bind(user_id)
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now_ms)
    .execute(tx)
    .await?;
    Ok(())
}

/// Commits the transaction that queued mail, and wakes the sender.
pub async fn commit_and_send(state: &AppState, tx: sqlx::Transaction<'_, sqlx::Any>) -> sqlx::Result<()> {
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

/// Queues an email written from the server's locale files (`<kind>-subject` and `<kind>-body`, see
/// `crates/server/locales/`) in the account's language, to `to`, with the account's name as `$name` and
/// `args` for the rest. Nothing is queued for an address under `.invalid` (a widget visitor has none).
pub async fn queue_letter(
    tx: &mut sqlx::AnyConnection,
    now_ms: i64,
    user_id: &str,
    to: &str,
    kind: &str,
    args: &[(&str, &str)],
) -> sqlx::Result<()> {
    // RFC 2606's `.invalid` never delivers: a widget visitor's account has no address (`…@visitors.invalid`).
    if to.ends_with(".invalid") {
        return Ok(());
    }
    let (language, name): (String, String) = sqlx::query_as("SELECT language, name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
    let mut values: Args = args.iter().map(|(k, v)| (k.to_string(), Arg::Text(v.to_string()))).collect();
    values.insert("name".into(), Arg::Text(name));
    let subject = crate::i18n::text(&language, &format!("{kind}-subject"), &values);
    let body = crate::i18n::text(&language, &format!("{kind}-body"), &values) + "\n";
    queue(tx, now_ms, Some(user_id), to, &subject, &body).await
}

/// Builds the RFC 5322 message.
pub fn message(from: &str, to: &str, subject: &str, body: &str, id: &str) -> anyhow::Result<Message> {
    let from: Mailbox = from.parse().map_err(|e| anyhow::anyhow!("VINANO_MAIL_FROM {from:?}: {e}"))?;
    let domain = from.email.domain().to_string();
    Ok(Message::builder()
        .from(from)
        .to(to.parse().map_err(|e| anyhow::anyhow!("recipient {to:?}: {e}"))?)
        .subject(subject)
        .message_id(Some(format!("<{id}@{domain}>")))
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())?)
}

enum Transport {
    Files(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    fn new(config: &MailConfig, data_dir: &std::path::Path) -> anyhow::Result<Self> {
        Ok(match config {
            MailConfig::Files => {
                let dir = outbox_dir(data_dir);
                std::fs::create_dir_all(&dir)?;
                Transport::Files(dir)
            }
            MailConfig::Smtp(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("VINANO_SMTP_URL: {e}"))?
                    .timeout(Some(Duration::from_secs(30)))
                    .build(),
            ),
        })
    }

    async fn send(&self, id: &str, created_at: i64, message: Message) -> anyhow::Result<()> {
        match self {
            Transport::Files(dir) => {
                // Named by the wall-clock time of delivery, so names sort in delivery order; written under a
                // temporary name, flushed, then renamed: a reader never sees half a message, and a message
                // marked sent is on the disk.
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default();
                let name = format!("{nanos:020}-{created_at}-{id}.eml");
                let partial = dir.join(format!(".{name}.part"));
                let dest = dir.join(name);
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || {
                    crate::storage::durable::write_atomic(&partial, &dest, &bytes)
                })
                .await??;
                Ok(())
            }
            Transport::Smtp(smtp) => {
                smtp.send(message).await?;
                Ok(())
            }
        }
    }
}

type Pending = (String, String, String, String, i64, i64);

/// Delivers what is due; returns how many messages were delivered.
async fn deliver_due(state: &AppState, transport: &Transport) -> anyhow::Result<usize> {
    let now = state.clock.now_ms();
    let lease = now + 60_000;
    // Claimed in one statement (the next try moves a minute ahead, like a lease), so several server
    // processes sharing the database never send a message twice.
    // The order they were queued in: SQLite's rowid, PostgreSQL's `seq` column; there a claim skips the
    // rows another replica's claim holds and takes a row only while it is still due.
    let (order, lock) = match Backend::of_pool(&state.db) {
        Backend::Sqlite => ("rowid", ""),
        Backend::Postgres => ("seq", "FOR UPDATE SKIP LOCKED"),
    };
    let sql = format!(
        "UPDATE outbox SET next_try_at = $2
         WHERE sent_at IS NULL AND next_try_at <= $1
           AND id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND next_try_at <= $1
                      ORDER BY created_at, {order} LIMIT 20 {lock})
         RETURNING id, to_addr, subject, body, created_at, attempts, {order}"
    );
    let mut due: Vec<(i64, Pending)> =
        sqlx::query_as::<_, (String, String, String, String, i64, i64, i64)>(&sql)
            .bind(now)
            .bind(lease)
            .fetch_all(&state.db)
            .await?
            .into_iter()
            .map(|(id, to, subject, body, created, attempts, rowid)| {
                (rowid, (id, to, subject, body, created, attempts))
            })
            .collect();
    due.sort_by_key(|(rowid, p)| (p.4, *rowid));
    let due: Vec<Pending> = due.into_iter().map(|(_, p)| p).collect();
    let mut delivered = 0;
    let mut due = due.into_iter();
    while let Some((id, to, subject, body, created_at, attempts)) = due.next() {
        // One message at a time under the lock stopping waits for: a message is never cut off half-sent.
        let _sending = state.mail_sending.lock().await;
        if state.stopping.is_stopping() {
            // Hand the rest back at once (they were claimed a minute ahead) for the next process.
            for (id, ..) in std::iter::once((id, to, subject, body, created_at, attempts)).chain(due) {
                sqlx::query("UPDATE outbox SET next_try_at = $1 WHERE id = $2 AND sent_at IS NULL")
                    .bind(now)
                    .bind(&id)
                    .execute(&state.db)
                    .await?;
            }
            break;
        }
        // Its minute starts now: a slow server earlier in the batch must not let the claim run out while this
        // one is sent (another process may have taken it meanwhile: then it is that one's to send).
        let renewed = sqlx::query(
            "UPDATE outbox SET next_try_at = $1 WHERE id = $2 AND sent_at IS NULL AND next_try_at = $3",
        )
        .bind(state.clock.now_ms() + 60_000)
        .bind(&id)
        .bind(lease)
        .execute(&state.db)
        .await?;
        if renewed.rows_affected() == 0 {
            continue;
        }
        let sent = match message(&state.config.mail_from, &to, &subject, &body, &id) {
            Ok(m) => transport.send(&id, created_at, m).await,
            Err(e) => Err(e),
        };
        match sent {
            Ok(()) => {
                delivered += 1;
                sqlx::query(
                    "UPDATE outbox SET sent_at = $1, body = '', attempts = attempts + 1 WHERE id = $2",
                )
                .bind(state.clock.now_ms())
                .bind(&id)
                .execute(&state.db)
                .await?;
            }
            Err(e) => {
                // 1, 2, 4 … minutes, at most an hour apart.
                let pause = 60_000i64 << attempts.clamp(0, 6);
                tracing::warn!(mail = %id, attempts = attempts + 1, error = %e, "email not delivered; will retry");
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, next_try_at = $1, last_error = $2 WHERE id = $3",
                )
                .bind(state.clock.now_ms() + pause.min(3_600_000))
                .bind(e.to_string())
                .bind(&id)
                .execute(&state.db)
                .await?;
            }
        }
    }
    Ok(delivered)
}

/// Starts the sender: it delivers as soon as something is queued, and looks again every few seconds.
pub fn spawn_sender(state: &AppState) -> anyhow::Result<()> {
    let transport = Transport::new(&state.config.mail, &state.config.data_dir)?;
    let state = state.clone();
    tokio::spawn(async move {
        while !state.stopping.is_stopping() {
            if let Err(e) = deliver_due(&state, &transport).await {
                tracing::error!(error = ?e, "the outbox could not be read");
            }
            tokio::select! {
                () = state.mail_wakeup.notified() => {}
                () = tokio::time::sleep(Duration::from_secs(5)) => {}
                () = state.stopping.wait() => {}
            }
        }
    });
    Ok(())
}
