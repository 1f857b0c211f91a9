//! Whether this process is up and whether it can do its work: what `/healthz` and `/readyz` report to a
//! load balancer, an orchestrator's probes or a monitor.
//!
//! Ready means every check passes: the database answers, its schema is this build's (every migration
//! applied, none newer), the data directory takes a write, its disk keeps the configured free space
//! (`VINANO_MIN_FREE_DISK_MB`), the job workers this process started still run, and it isn't stopping.
//! Each check is bounded in time, so a hung disk or database makes the answer "not ready", never a probe
//! that hangs.

use crate::AppState;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// This build's version (`vinano-server --version`, `GET /api/v1/version`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The longest a single check may take before it counts as failed.
const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// The job workers a process started and how many of them still run.
#[derive(Debug, Default)]
pub struct Workers {
    started: AtomicUsize,
    running: Arc<AtomicUsize>,
}

/// Held by a running worker: dropped when its loop ends, however it ends.
#[derive(Debug)]
pub struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Workers {
    /// Counts a worker that starts now; it counts as running while the returned guard lives.
    pub fn started(&self) -> Running {
        self.started.fetch_add(1, Ordering::SeqCst);
        self.running.fetch_add(1, Ordering::SeqCst);
        Running(self.running.clone())
    }

    /// `(running, started)`.
    pub fn counts(&self) -> (usize, usize) {
        (self.running.load(Ordering::SeqCst), self.started.load(Ordering::SeqCst))
    }
}

/// One check's outcome.
#[derive(Debug, Clone)]
pub struct Check {
    /// What was checked (`database`, `migrations`, `storage`, `disk`, `workers`, `process`).
    pub name: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// What was found, in words an operator reads ("26 of 26 applied", "1.2 GiB free, floor 512 MiB").
    pub detail: String,
}

impl Check {
    fn new(name: &'static str, outcome: Result<String, String>) -> Self {
        match outcome {
            Ok(detail) => Check { name, ok: true, detail },
            Err(detail) => Check { name, ok: false, detail },
        }
    }
}

/// Runs every check (at the same time; each within 3 seconds).
pub async fn readiness(state: &AppState) -> Vec<Check> {
    let (database, migrations, storage, disk) = tokio::join!(
        bounded(database(state)),
        bounded(migrations(state)),
        storage(state),
        bounded(disk(state))
    );
    let (running, started) = state.workers.counts();
    let workers = if running == started {
        Ok(format!("{running} of {started} running"))
    } else {
        Err(format!("{running} of {started} running"))
    };
    let process = if state.stopping.is_stopping() { Err("stopping".into()) } else { Ok("serving".into()) };
    vec![
        Check::new("database", database),
        Check::new("migrations", migrations),
        Check::new("storage", storage),
        Check::new("disk", disk),
        Check::new("workers", workers),
        Check::new("process", process),
    ]
}

async fn bounded(check: impl std::future::Future<Output = Result<String, String>>) -> Result<String, String> {
    tokio::time::timeout(CHECK_TIMEOUT, check)
        .await
        .unwrap_or_else(|_| Err(format!("no answer within {} s", CHECK_TIMEOUT.as_secs())))
}

async fn database(state: &AppState) -> Result<String, String> {
    let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&state.db).await.map_err(|e| e.to_string())?;
    if one == 1 {
        Ok("answers".into())
    } else {
        Err(format!("SELECT 1 answered {one}"))
    }
}

async fn migrations(state: &AppState) -> Result<String, String> {
    let (applied, newest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&state.db)
            .await
            .map_err(|e| e.to_string())?;
    let expected = crate::storage::db::latest_migration();
    let count = crate::storage::db::migration_count(crate::storage::db::Backend::of_pool(&state.db));
    match newest.unwrap_or(0) {
        n if n > expected => Err(format!("the schema is newer ({n}) than this build's ({expected})")),
        n if n < expected || applied < count => {
            Err(format!("{applied} applied, the newest {n}; this build needs {expected}"))
        }
        _ => Ok(format!("{applied} applied, schema {expected}")),
    }
}

/// Writes, reads back and removes a small file in the data directory, and an object in the bucket when
/// images are kept in one.
async fn storage(state: &AppState) -> Result<String, String> {
    let local = data_dir_writable(state).await?;
    if state.blobs.bucket().is_none() {
        return Ok(local);
    }
    match tokio::time::timeout(CHECK_TIMEOUT, state.blobs.probe()).await {
        Ok(Ok(())) => Ok(format!("{local}; the bucket takes a write")),
        Ok(Err(e)) => Err(format!("the bucket: {e}")),
        Err(_) => Err(format!("the bucket: a write took over {} s", CHECK_TIMEOUT.as_secs())),
    }
}

/// Writes, reads back and removes a small file in the data directory.
async fn data_dir_writable(state: &AppState) -> Result<String, String> {
    let path = state.config.data_dir.join(format!(".ready-{}", crate::ids::random_hex(6)));
    let work = tokio::task::spawn_blocking(move || {
        let probe = b"ready";
        let outcome = std::fs::write(&path, probe).and_then(|()| std::fs::read(&path));
        let _ = std::fs::remove_file(&path);
        match outcome {
            Ok(read) if read == probe => Ok("writable".to_string()),
            Ok(_) => Err("a file written there read back different".to_string()),
            Err(e) => Err(format!("can't write there: {e}")),
        }
    });
    match tokio::time::timeout(CHECK_TIMEOUT, work).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("a write took over {} s", CHECK_TIMEOUT.as_secs())),
    }
}

/// The free space on the data directory's disk against the floor.
async fn disk(state: &AppState) -> Result<String, String> {
    let dir = state.config.data_dir.clone();
    let floor = state.config.min_free_disk_bytes;
    let free = tokio::task::spawn_blocking(move || free_bytes(&dir)).await.map_err(|e| e.to_string())??;
    let text = format!("{} free, floor {}", size(free), size(floor));
    if free >= floor {
        Ok(text)
    } else {
        Err(text)
    }
}

/// Bytes an unprivileged process may still write on the file system holding `dir`.
pub fn free_bytes(dir: &std::path::Path) -> Result<u64, String> {
    let stat = rustix::fs::statvfs(dir).map_err(|e| format!("can't read the disk's free space: {e}"))?;
    Ok(stat.f_bavail.saturating_mul(stat.f_frsize))
}

fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= 1024 * MIB {
        format!("{:.1} GiB", bytes as f64 / (1024 * MIB) as f64)
    } else {
        format!("{} MiB", bytes / MIB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_an_operator_reads_them() {
        assert_eq!(size(512 * 1024 * 1024), "512 MiB");
        assert_eq!(size(3 * 1024 * 1024 * 1024 / 2), "1.5 GiB");
        assert!(free_bytes(std::path::Path::new(".")).unwrap() > 0);
        assert!(free_bytes(std::path::Path::new("/no/such/dir")).unwrap_err().contains("free space"));
    }

    #[test]
    fn a_worker_counts_as_running_until_its_guard_drops() {
        let workers = Workers::default();
        let a = workers.started();
        let b = workers.started();
        assert_eq!(workers.counts(), (2, 2));
        drop(a);
        assert_eq!(workers.counts(), (1, 2));
        drop(b);
        assert_eq!(workers.counts(), (0, 2));
    }
}
