//! The hashing threads: a fixed set of OS threads, each with its own Argon2 work area,
//! taking jobs from one queue.
//!
//! Dedicated threads rather than tokio's blocking pool: the blocking pool hands each job
//! to whichever of its (many) threads is free, so a hash and its 19 MiB area moved
//! between threads and cores from one request to the next, and each hand-off woke a task
//! to start the next hash. Here a finished thread takes the next job itself, and its work
//! area stays where it is.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use argon2::Block;
use tokio::sync::oneshot;

use super::area::WorkArea;

type Job = Box<dyn FnOnce(&mut [Block]) + Send>;

/// The queue in front of the hashing threads; the threads end when it is dropped.
pub(super) struct Workers {
    jobs: Sender<Job>,
}

impl Workers {
    /// Starts `count` threads whose areas hold `blocks` blocks each.
    pub(super) fn start(count: usize, blocks: usize) -> Result<Workers, String> {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..count.max(1) {
            let rx = Arc::clone(&rx);
            std::thread::Builder::new()
                .name(format!("kdf-{n}"))
                .spawn(move || serve(&rx, blocks))
                .map_err(|e| format!("cannot start a hashing thread: {e}"))?;
        }
        Ok(Workers { jobs: tx })
    }

    /// Runs `work` on a hashing thread with that thread's work area. `None` if the
    /// threads are gone or the work panicked.
    pub(super) async fn run<T, F>(&self, work: F) -> Option<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut [Block]) -> T + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |area| {
            // A caller that went away (client disconnected) no longer needs the work.
            if tx.is_closed() {
                return;
            }
            if let Ok(out) = catch_unwind(AssertUnwindSafe(|| work(area))) {
                let _ = tx.send(out);
            }
        });
        self.jobs.send(job).ok()?;
        rx.await.ok()
    }
}

fn serve(jobs: &Mutex<Receiver<Job>>, blocks: usize) {
    // Mapped lazily by the kernel: memory is committed only once this thread hashes.
    let mut area = WorkArea::new(blocks);
    loop {
        // The lock is held only while waiting; the job runs after it is released.
        let next = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        match next {
            Ok(job) => job(area.blocks()),
            Err(_) => return, // the hasher was dropped
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_the_hashing_threads_with_their_area() {
        let w = Workers::start(2, 16).unwrap();
        let (name, len) = w
            .run(|area| {
                area[0].as_mut()[0] += 1;
                (std::thread::current().name().map(str::to_owned), area.len())
            })
            .await
            .unwrap();
        assert!(name.unwrap().starts_with("kdf-"));
        assert_eq!(len, 16);
    }

    #[tokio::test]
    async fn a_panicking_job_fails_alone_and_the_thread_serves_on() {
        let w = Workers::start(1, 4).unwrap();
        let failed: Option<()> = w.run(|_| panic!("job failure under test")).await;
        assert!(failed.is_none());
        assert_eq!(w.run(|area| area.len()).await, Some(4));
    }

    #[tokio::test]
    async fn at_most_count_jobs_run_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let w = Arc::new(Workers::start(2, 1).unwrap());
        let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let runs = (0..8).map(|_| {
            let (w, now, peak) = (w.clone(), now.clone(), peak.clone());
            tokio::spawn(async move {
                w.run(move |_| {
                    let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(n, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    now.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            })
        });
        for r in runs.collect::<Vec<_>>() {
            assert!(r.await.unwrap().is_some());
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }
}
