//! In-process wake-ups for a job's progress stream: whoever changes a job row in this process says so
//! ([`Signals::changed`]), and the streams following that job read the row at once instead of polling it.
//! On PostgreSQL a change made by another process arrives too ([`listen`]); otherwise (SQLite shared by
//! several processes) the streams' slow poll covers that.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// One channel per followed job (only while someone follows it).
#[derive(Debug, Default)]
pub struct Signals {
    jobs: Mutex<HashMap<String, watch::Sender<u64>>>,
}

/// Following one job; dropping it stops following (the last follower removes the channel).
#[derive(Debug)]
pub struct Follow {
    signals: Arc<Signals>,
    job_id: String,
    changes: watch::Receiver<u64>,
}

impl Signals {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, watch::Sender<u64>>> {
        self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts following `job_id`.
    pub fn follow(self: &Arc<Self>, job_id: &str) -> Follow {
        let mut jobs = self.map();
        let sender = jobs.entry(job_id.to_string()).or_insert_with(|| watch::channel(0).0);
        Follow { signals: Arc::clone(self), job_id: job_id.to_string(), changes: sender.subscribe() }
    }

    /// Wakes whoever follows `job_id` (nothing to do when no one does).
    pub fn changed(&self, job_id: &str) {
        if let Some(sender) = self.map().get(job_id) {
            sender.send_modify(|n| *n = n.wrapping_add(1));
        }
    }

    /// Jobs someone follows right now.
    pub fn followed(&self) -> usize {
        self.map().len()
    }
}

impl Follow {
    /// Waits until the job changes (a change since the last wait counts at once).
    pub async fn changed(&mut self) {
        if self.changes.changed().await.is_err() {
            // The sender is never dropped while a follower holds the map entry; wait forever rather than
            // spin if it ever is.
            std::future::pending::<()>().await;
        }
    }
}

impl Drop for Follow {
    fn drop(&mut self) {
        let mut jobs = self.signals.map();
        // This follower's receiver still counts until the fields are dropped after this.
        if jobs.get(&self.job_id).is_some_and(|s| s.receiver_count() <= 1) {
            jobs.remove(&self.job_id);
        }
    }
}

/// On PostgreSQL, wakes this process's followers when any process changes a job: the `jobs` table's trigger
/// sends `NOTIFY vinano_jobs, '<job id>'` with every change (delivered when it commits) and this task
/// listens. A lost connection is made again after a pause; the streams' slow poll covers the gap.
pub fn listen(signals: Arc<Signals>, url: crate::storage::db::DatabaseUrl) {
    tokio::spawn(async move {
        let mut pause = std::time::Duration::from_millis(250);
        loop {
            match follow_notifications(&signals, &url).await {
                Ok(()) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "listening for job changes failed; trying again");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(std::time::Duration::from_secs(10));
                }
            }
        }
    });
}

/// Passes each notification on until the connection fails.
async fn follow_notifications(signals: &Signals, url: &crate::storage::db::DatabaseUrl) -> sqlx::Result<()> {
    let mut listener = sqlx::postgres::PgListener::connect(url.as_str()).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let note = listener.recv().await?;
        signals.changed(note.payload());
    }
}

/// The PostgreSQL channel job changes are announced on (the trigger of migration 26 names it too).
pub const CHANNEL: &str = "vinano_jobs";

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_change_wakes_its_followers_and_no_one_else() {
        let signals = Arc::new(Signals::default());
        let mut a = signals.follow("job-a");
        let mut b = signals.follow("job-b");
        // A change before the wait is not lost.
        signals.changed("job-a");
        tokio::time::timeout(Duration::from_secs(5), a.changed()).await.expect("woken");
        assert!(
            tokio::time::timeout(Duration::from_millis(50), b.changed()).await.is_err(),
            "b was not changed"
        );
        signals.changed("nobody-follows-this");
        assert_eq!(signals.followed(), 2);
        let a2 = signals.follow("job-a");
        drop(a);
        assert_eq!(signals.followed(), 2, "job-a still has a follower");
        drop(a2);
        drop(b);
        assert_eq!(signals.followed(), 0, "no channel is kept for a job no one follows");
    }
}
