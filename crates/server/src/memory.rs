//! A memory budget for the work whose size the request decides: upload bodies, decoded pixels, edits and
//! conversions. Before such work starts it reserves what it will hold at most (estimated from the declared
//! length and the image's dimensions, never discovered by running out), and waits while the budget is
//! spoken for; so however many people send the largest photos and the most expensive plans at once, the
//! server's image memory stays within `VINANO_MEMORY_BUDGET_MB`. A reservation larger than the whole budget
//! takes all of it (it runs alone).

use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

const MIB: u64 = 1024 * 1024;

/// Bytes per pixel of decoded work: RGBA, 8 bits a channel.
pub const BYTES_PER_PIXEL: u64 = 4;

/// The budget, in MiB: a quarter for request bodies being read, the rest for pixel work. Two pools, always
/// taken in that order (an upload holds its body while it waits for its pixels; a job or a conversion only
/// ever waits for pixels), so no piece of work holds what the one ahead of it in the queue is waiting for:
/// with one pool, a job waiting for the whole budget behind an upload's held body, and the upload waiting
/// for its pixels behind the job, waited for each other for ever (found by the memory test).
#[derive(Debug)]
pub struct MemoryBudget {
    permits: Arc<Semaphore>,
    total_mib: u32,
    bodies: Arc<Semaphore>,
    bodies_mib: u32,
}

/// Memory held by one piece of work, given back when dropped.
#[derive(Debug)]
pub struct Reservation {
    _permit: OwnedSemaphorePermit,
    /// MiB held.
    pub mib: u32,
}

impl MemoryBudget {
    /// A budget of `total_mib` MiB (at least 1).
    pub fn new(total_mib: u32) -> Self {
        let total_mib = total_mib.max(2);
        let bodies_mib = (total_mib / 4).max(1);
        let work_mib = total_mib - bodies_mib;
        Self {
            permits: Arc::new(Semaphore::new(work_mib as usize)),
            total_mib: work_mib,
            bodies: Arc::new(Semaphore::new(bodies_mib as usize)),
            bodies_mib,
        }
    }

    /// Waits until `bytes` of pixel work can be held, then holds them (all of that pool at most).
    pub async fn reserve(&self, bytes: u64) -> Reservation {
        Self::take(&self.permits, self.total_mib, bytes).await
    }

    /// Waits until a request body of `bytes` can be held, then holds it (all of that pool at most). Take it
    /// before any pixel reservation of the same request, never after.
    pub async fn reserve_body(&self, bytes: u64) -> Reservation {
        Self::take(&self.bodies, self.bodies_mib, bytes).await
    }

    async fn take(pool: &Arc<Semaphore>, size: u32, bytes: u64) -> Reservation {
        let mib = bytes.div_ceil(MIB).clamp(1, u64::from(size)) as u32;
        let permit = Arc::clone(pool).acquire_many_owned(mib).await.expect("the budget is never closed");
        Reservation { _permit: permit, mib }
    }

    /// MiB free right now.
    pub fn available_mib(&self) -> usize {
        self.permits.available_permits()
    }
}

/// What decoding or working on `pixels` holds: the pixels (RGBA) and a copy for the result or encoder.
pub fn for_pixels(pixels: u64) -> u64 {
    pixels.saturating_mul(BYTES_PER_PIXEL).saturating_mul(2)
}

/// The peak resident memory of process `pid` so far (Linux's `VmHWM`), in MiB; 0 when unknown. For the
/// memory test and the load benchmark, which watch a server they started.
pub fn peak_resident_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn work_waits_while_the_budget_is_spoken_for() {
        // 100 MiB: 25 for bodies, 75 for pixel work.
        let budget = Arc::new(MemoryBudget::new(100));
        let big = budget.reserve(60 * MIB).await;
        assert_eq!((big.mib, budget.available_mib()), (60, 15));
        // 30 MiB doesn't fit beside it: it waits until the first is done.
        let waiting = {
            let budget = Arc::clone(&budget);
            tokio::spawn(async move { budget.reserve(30 * MIB).await.mib })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the second reservation waited");
        drop(big);
        assert_eq!(waiting.await.unwrap(), 30);
        // More than the whole budget takes all of it, rather than waiting forever.
        assert_eq!(budget.reserve(10_000 * MIB).await.mib, 75);
        assert_eq!(budget.reserve_body(10_000 * MIB).await.mib, 25);
    }

    /// The deadlock the memory test found: an upload holding its body while waiting for its pixels, and a job
    /// that needs the whole budget queued between. Bodies have their own pool, so the job never waits for
    /// the upload's body, and the upload gets its pixels when the job is done.
    #[tokio::test]
    async fn an_upload_holding_its_body_never_blocks_a_job_that_needs_everything() {
        let budget = Arc::new(MemoryBudget::new(100));
        let _body = budget.reserve_body(MIB).await;
        let job = tokio::time::timeout(Duration::from_secs(5), budget.reserve(10_000 * MIB)).await;
        let job = job.expect("the job did not wait for the upload's body");
        let pixels = {
            let budget = Arc::clone(&budget);
            tokio::spawn(async move { budget.reserve(50 * MIB).await.mib })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!pixels.is_finished(), "the upload waits for the job");
        drop(job);
        assert_eq!(tokio::time::timeout(Duration::from_secs(5), pixels).await.unwrap().unwrap(), 50);
    }
}
