//! The hashing threads: a fixed set of OS threads, each with its own Argon2 work area,
//! taking jobs from one queue of two lanes (`queue`), the priority lane first.
//!
//! Dedicated threads rather than tokio's blocking pool: the blocking pool hands each job
//! to whichever of its (many) threads is free, so a hash and its 19 MiB area moved
//! between threads and cores from one request to the next, and each hand-off woke a task
//! to start the next hash. Here a finished thread takes the next job itself, and its work
//! area stays where it is.
//!
//! The queue is bounded in time, not in length: each job's run time is measured (a moving
//! average, seeded by the caller), and a job that would wait longer than `max_wait` before
//! a thread takes it is refused at once ([`Refused::Busy`]) without running. So a flood of
//! log-ins cannot make every log-in wait longer and longer, and the bound means the same
//! on a fast and a slow machine, and under other load.
//!
//! The bound holds per lane. A priority job waits only for the priority jobs ahead of it
//! (and at most the one job each thread is running), so it counts only those; a normal job
//! waits for every job ahead of it, and for priority jobs that come later, so it counts
//! all. A flood in the normal lane is refused by the normal lane's bound and never delays
//! the priority lane by more than one job per thread.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize};
use std::sync::Arc;
use std::time::{Duration, Instant};

use argon2::Block;
use tokio::sync::oneshot;

use super::area::WorkArea;
use super::load::{nanos, Finished, Load};
use super::queue::{Lane, Queue};

type Job = Box<dyn FnOnce(&mut [Block]) + Send>;

/// Why a job did not run to an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refused {
    /// The queue holds more than `max_wait` of work: refused without running.
    Busy,
    /// The threads are gone or the work panicked.
    Failed,
}

/// The queue in front of the hashing threads; the threads end when it is dropped.
pub(super) struct Workers {
    jobs: Arc<Queue<Job>>,
    count: usize,
    load: Arc<Load>,
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.jobs.close();
    }
}

impl Workers {
    /// Starts `count` threads whose areas hold `blocks` blocks each. A job is refused when
    /// it would wait longer than `max_wait` (`None`: never), judged by the measured run
    /// time of the jobs, which starts at `first_estimate`.
    pub(super) fn start(
        count: usize,
        blocks: usize,
        max_wait: Option<Duration>,
        first_estimate: Duration,
    ) -> Result<Workers, String> {
        let count = count.max(1);
        let load = Arc::new(Load {
            pending: AtomicUsize::new(0),
            priority: AtomicUsize::new(0),
            average_ns: AtomicU64::new(nanos(first_estimate).max(1)),
            max_wait_ns: max_wait.map_or(u64::MAX, nanos),
            refused: AtomicU64::new(0),
            last_warning_ms: AtomicU64::new(0),
            started: Instant::now(),
        });
        let jobs = Arc::new(Queue::new());
        for n in 0..count {
            let jobs = Arc::clone(&jobs);
            std::thread::Builder::new()
                .name(format!("kdf-{n}"))
                .spawn(move || serve(&jobs, blocks))
                .map_err(|e| format!("cannot start a hashing thread: {e}"))?;
        }
        Ok(Workers { jobs, count, load })
    }

    /// Whether a job of `lane` submitted now would be refused as busy.
    pub(super) fn full(&self, lane: Lane) -> bool {
        !self.load.admits(self.load.ahead(lane), self.count)
    }

    /// Runs `work` in `lane` on a hashing thread with that thread's work area; refused at
    /// once when the lane is full. The work runs in the caller's span (and under its
    /// subscriber), so that its log lines name the call they are part of.
    pub(super) async fn run<T, F>(&self, lane: Lane, work: F) -> Result<T, Refused>
    where
        T: Send + 'static,
        F: FnOnce(&mut [Block]) -> T + Send + 'static,
    {
        let ahead = self.load.join(lane);
        let finished = Finished(self.load.clone(), lane);
        if !self.load.admits(ahead, self.count) {
            drop(finished);
            self.load.refusal();
            return Err(Refused::Busy);
        }
        let (tx, rx) = oneshot::channel();
        let span = tracing::Span::current();
        let dispatch = tracing::dispatcher::get_default(tracing::Dispatch::clone);
        let work = move |area: &mut [Block]| {
            tracing::dispatcher::with_default(&dispatch, || span.in_scope(|| work(area)))
        };
        let job: Job = Box::new(move |area| {
            let finished = finished;
            // A caller that went away (client disconnected) no longer needs the work.
            if tx.is_closed() {
                return;
            }
            let started = Instant::now();
            let out = catch_unwind(AssertUnwindSafe(|| work(area)));
            finished.0.record(started.elapsed());
            // Counted out before the caller hears, so that its next job does not find
            // this one still ahead of it.
            drop(finished);
            if let Ok(out) = out {
                let _ = tx.send(out);
            }
        });
        self.jobs.push(lane, job).map_err(|_| Refused::Failed)?;
        rx.await.map_err(|_| Refused::Failed)
    }
}

fn serve(jobs: &Queue<Job>, blocks: usize) {
    // Mapped lazily by the kernel: memory is committed only once this thread hashes.
    let mut area = WorkArea::new(blocks);
    // The queue's lock is held only while taking a job; the job runs after it is released.
    // `None`: the hasher was dropped.
    while let Some(job) = jobs.next() {
        job(area.blocks());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[tokio::test]
    async fn jobs_run_on_the_hashing_threads_with_their_area() {
        let w = Workers::start(2, 16, None, Duration::ZERO).unwrap();
        let (name, len) = w
            .run(Lane::Normal, |area| {
                area[0].as_mut()[0] += 1;
                (std::thread::current().name().map(str::to_owned), area.len())
            })
            .await
            .unwrap();
        assert!(name.unwrap().starts_with("kdf-"));
        assert_eq!(len, 16);
    }

    /// Log lines a job writes on a hashing thread, as a subscriber's formatter writes them.
    #[derive(Clone, Default)]
    struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_job_logs_in_the_span_of_the_call_that_queued_it() {
        use tracing::Instrument;
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let _default = tracing::subscriber::set_default(subscriber);
        let w = Workers::start(1, 1, None, Duration::ZERO).unwrap();
        let span = tracing::info_span!("call", op_id = %"5eed");
        let thread = w
            .run(Lane::Priority, |_| {
                tracing::info!("hashing");
                std::thread::current().name().map(str::to_owned)
            })
            .instrument(span)
            .await
            .unwrap();
        assert!(thread.unwrap().starts_with("kdf-"));
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let line = log
            .lines()
            .find(|l| l.contains("hashing"))
            .unwrap_or_default();
        assert!(line.contains("call{op_id=5eed}"), "{log}");
    }

    #[tokio::test]
    async fn a_panicking_job_fails_alone_and_the_thread_serves_on() {
        let w = Workers::start(1, 4, None, Duration::ZERO).unwrap();
        let failed: Result<(), _> = w
            .run(Lane::Normal, |_| panic!("job failure under test"))
            .await;
        assert_eq!(failed, Err(Refused::Failed));
        assert_eq!(w.run(Lane::Normal, |area| area.len()).await, Ok(4));
    }

    #[tokio::test]
    async fn at_most_count_jobs_run_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let w = Arc::new(Workers::start(2, 1, None, Duration::ZERO).unwrap());
        let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let runs = (0..8).map(|_| {
            let (w, now, peak) = (w.clone(), now.clone(), peak.clone());
            tokio::spawn(async move {
                w.run(Lane::Normal, move |_| {
                    let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(n, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    now.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            })
        });
        for r in runs.collect::<Vec<_>>() {
            assert!(r.await.unwrap().is_ok());
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    /// One thread held by a job that waits for a signal: with a 100 ms estimate per job
    /// and a 150 ms bound, one job may queue behind it, the next is refused at once.
    #[tokio::test]
    async fn a_job_that_would_wait_past_the_bound_is_refused_without_running() {
        use std::sync::atomic::AtomicBool;
        let w = Arc::new(
            Workers::start(
                1,
                1,
                Some(Duration::from_millis(150)),
                Duration::from_millis(100),
            )
            .unwrap(),
        );
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let holding = {
            let w = w.clone();
            tokio::spawn(async move { w.run(Lane::Normal, move |_| hold.recv().is_ok()).await })
        };
        while w.load.pending.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        assert!(!w.full(Lane::Normal), "one job may wait one round");
        let queued = {
            let w = w.clone();
            tokio::spawn(async move { w.run(Lane::Normal, |_| "queued ran").await })
        };
        while w.load.pending.load(Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        assert!(w.full(Lane::Normal));
        let ran = Arc::new(AtomicBool::new(false));
        let flag = ran.clone();
        let refused = w
            .run(Lane::Normal, move |_| flag.store(true, Ordering::SeqCst))
            .await;
        assert_eq!(refused, Err(Refused::Busy));
        release.send(()).unwrap();
        assert_eq!(holding.await.unwrap(), Ok(true));
        assert_eq!(queued.await.unwrap(), Ok("queued ran"));
        assert!(!ran.load(Ordering::SeqCst), "a refused job never runs");
        assert_eq!(w.load.pending.load(Ordering::SeqCst), 0);
        assert!(!w.full(Lane::Normal));
    }

    /// One thread held by a normal job and the normal lane full (100 ms a job, 150 ms
    /// bound): priority jobs are still admitted, up to their own lane's bound, and run
    /// before the normal job that was queued first.
    #[tokio::test]
    async fn the_priority_lane_has_its_own_bound_and_goes_first() {
        let w = Arc::new(
            Workers::start(
                1,
                1,
                Some(Duration::from_millis(150)),
                Duration::from_millis(100),
            )
            .unwrap(),
        );
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let submit = |lane: Lane, name: &'static str| {
            let (w, order) = (w.clone(), order.clone());
            tokio::spawn(
                async move { w.run(lane, move |_| order.lock().unwrap().push(name)).await },
            )
        };
        let holding = {
            let w = w.clone();
            tokio::spawn(async move { w.run(Lane::Normal, move |_| hold.recv().is_ok()).await })
        };
        let wait_for = |n: usize| {
            let w = w.clone();
            async move {
                while w.load.pending.load(Ordering::SeqCst) < n {
                    tokio::task::yield_now().await;
                }
            }
        };
        wait_for(1).await;
        let normal = submit(Lane::Normal, "normal");
        wait_for(2).await;
        assert!(w.full(Lane::Normal));
        assert_eq!(w.run(Lane::Normal, |_| ()).await, Err(Refused::Busy));
        assert!(
            !w.full(Lane::Priority),
            "the normal lane's jobs do not count"
        );
        let first = submit(Lane::Priority, "priority 1");
        wait_for(3).await;
        let second = submit(Lane::Priority, "priority 2");
        wait_for(4).await;
        assert!(
            w.full(Lane::Priority),
            "two priority jobs ahead: 200 ms > 150 ms"
        );
        assert_eq!(w.run(Lane::Priority, |_| ()).await, Err(Refused::Busy));
        release.send(()).unwrap();
        assert_eq!(holding.await.unwrap(), Ok(true));
        for job in [first, second, normal] {
            assert_eq!(job.await.unwrap(), Ok(()));
        }
        let order = order.lock().unwrap().clone();
        assert_eq!(order, ["priority 1", "priority 2", "normal"]);
        assert_eq!(w.load.pending.load(Ordering::SeqCst), 0);
        assert_eq!(w.load.priority.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn the_average_follows_the_measured_run_time() {
        let w = Workers::start(
            1,
            1,
            Some(Duration::from_secs(1)),
            Duration::from_millis(80),
        )
        .unwrap();
        for _ in 0..64 {
            w.load.record(Duration::from_millis(10));
        }
        let average = w.load.average_ns.load(Ordering::SeqCst);
        assert!((10_000_000..11_000_000).contains(&average), "{average}");
        // A second of work at (just over) 10 ms a job: 99 rounds may wait, 101 may not.
        assert!(w.load.admits(99, 1));
        assert!(!w.load.admits(101, 1));
        assert!(w.load.admits(199, 2));
        assert!(!w.load.admits(202, 2));
    }
}
