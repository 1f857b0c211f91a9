//! Stopping cleanly. Once the HTTP side has finished its requests in flight, the background workers stop
//! taking new work, the edit jobs and data exports this process holds are handed back at once (another
//! process, or this one's next start, takes them immediately instead of waiting for a lease to run out, and
//! the hand-back doesn't count as a crash), and the mail sender stops between messages (a message is never
//! cut off half-sent, which would send it twice).

use crate::AppState;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::Notify;

/// Whether this process is stopping; workers look before taking work.
#[derive(Debug, Default)]
pub struct Stopping {
    stopping: AtomicBool,
    notify: Notify,
}

impl Stopping {
    /// From now on, workers take no new work.
    pub fn begin(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Whether [`Stopping::begin`] was called.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Completes once stopping begins (at once if it has).
    pub async fn wait(&self) {
        let notified = self.notify.notified();
        if !self.is_stopping() {
            notified.await;
        }
    }
}

/// What stopping handed back.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Released {
    /// Edit jobs put back in the queue.
    pub jobs: u64,
    /// Data exports put back in the queue.
    pub exports: u64,
}

/// How long stopping waits for a message being delivered.
const MAIL_GRACE: Duration = Duration::from_secs(10);

/// Stops the workers and hands back what this process holds (see the module's description).
pub async fn stop(state: &AppState) -> anyhow::Result<Released> {
    state.stopping.begin();
    // The sender holds this lock while it delivers one message and records it sent.
    let _mail = tokio::time::timeout(MAIL_GRACE, state.mail_sending.lock()).await;
    let now = state.clock.now_ms();
    let mine = format!("{}-%", state.process_id);
    let mut tx = crate::storage::db::write_tx(&state.db).await?;
    let jobs = sqlx::query(
        "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_until = NULL, progress = 0,
                         attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, updated_at = $1
         WHERE state = 'running' AND lease_owner LIKE $2",
    )
    .bind(now)
    .bind(&mine)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let exports = sqlx::query(
        "UPDATE exports SET status = 'pending', lease_owner = NULL, lease_until = NULL,
                            attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END
         WHERE status = 'building' AND lease_owner LIKE $1",
    )
    .bind(&mine)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    let released = Released { jobs, exports };
    tracing::info!(jobs, exports, "stopped: work in progress handed back to the queue");
    Ok(released)
}
