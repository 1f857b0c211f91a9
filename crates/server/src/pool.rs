//! The threads that do image work (decoding, edits, encoding): a fixed set, one per permitted core, running
//! at a lower CPU priority than the threads that answer requests (nice 10 on Linux). When edits keep every
//! core busy, listing, logging in and following progress still get the processor first, so one person's
//! expensive plans slow the edit queue, not everyone's pages.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

type Task = Box<dyn FnOnce() + Send>;

/// The pool; tasks wait in a queue for a free thread.
#[derive(Debug)]
pub struct ImagePool {
    queue: mpsc::Sender<Task>,
    threads: usize,
}

/// A task panicked (the pool thread survives it).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("an image task panicked")]
pub struct Panicked;

/// How much lower than the request threads image work runs (the `nice` value).
pub const NICENESS: i32 = 10;

impl ImagePool {
    /// Starts `threads` threads (at least one).
    pub fn new(threads: usize) -> Self {
        let threads = threads.max(1);
        let (queue, tasks) = mpsc::channel::<Task>();
        let tasks = Arc::new(Mutex::new(tasks));
        for n in 0..threads {
            let tasks = Arc::clone(&tasks);
            std::thread::Builder::new()
                .name(format!("vinano-image-{n}"))
                .spawn(move || {
                    lower_priority();
                    loop {
                        let next = tasks.lock().unwrap_or_else(std::sync::PoisonError::into_inner).recv();
                        match next {
                            Ok(task) => task(),
                            // Every sender is gone: the app has shut down.
                            Err(_) => return,
                        }
                    }
                })
                .expect("an image thread can be started");
        }
        Self { queue, threads }
    }

    /// Threads in the pool.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Runs `f` on a pool thread and waits for its result; a panic in `f` is [`Panicked`].
    pub async fn run<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (done, result) = tokio::sync::oneshot::channel();
        let task: Task = Box::new(move || {
            let _ = done.send(std::panic::catch_unwind(AssertUnwindSafe(f)));
        });
        self.queue.send(task).map_err(|_| anyhow::anyhow!("the image threads have stopped"))?;
        match result.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_)) => Err(Panicked.into()),
            Err(_) => Err(anyhow::anyhow!("an image task was dropped")),
        }
    }
}

/// Lowers the calling thread's CPU priority by [`NICENESS`] (Linux: each thread has its own nice value).
#[cfg(target_os = "linux")]
fn lower_priority() {
    let thread = Some(rustix::thread::gettid());
    // Relative to the server's own (a server started under `nice` keeps its images below its requests).
    let lower = (current_niceness() + NICENESS).min(19);
    if rustix::process::setpriority_process(thread, lower).is_err() {
        tracing::warn!("could not lower the priority of an image thread");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

/// The calling thread's nice value (Linux; 0 elsewhere).
pub fn current_niceness() -> i32 {
    #[cfg(target_os = "linux")]
    return rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap_or(0);
    #[cfg(not(target_os = "linux"))]
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tasks_run_at_a_lower_priority_and_a_panic_is_an_error() {
        let pool = ImagePool::new(2);
        let own = current_niceness();
        assert_eq!(pool.run(|| 6 * 7).await.unwrap(), 42);
        assert_eq!(current_niceness(), own, "the test's own thread is untouched");
        if cfg!(target_os = "linux") {
            assert_eq!(pool.run(current_niceness).await.unwrap(), (own + NICENESS).min(19));
        }
        let panicked = pool.run(|| -> u8 { panic!("a step blew up") }).await.unwrap_err();
        assert!(panicked.downcast_ref::<Panicked>().is_some());
        // The threads survive a panic.
        let all: Vec<_> = (0..8).map(|n| pool.run(move || n * 2)).collect();
        let mut results = Vec::new();
        for r in all {
            results.push(r.await.unwrap());
        }
        assert_eq!(results, [0, 2, 4, 6, 8, 10, 12, 14]);
    }
}
