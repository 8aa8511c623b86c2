//! The case's one writer during a batch.
//!
//! SQLCipher encrypts and authenticates every page as a transaction commits, while the
//! case's lock is held, so a batch's captures go into the case one at a time: in an
//! HTTP batch of 1,000 real pages on two cores, the lock was held 85% of the time. When
//! the captures' own threads took turns at the lock, every turn ended by waking the next
//! waiting thread, which then had to wait for a core before the case moved on; the
//! cores sat 6% idle and 3% waiting on the disk, at 11,500 context switches a second.
//!
//! So a batch commits on a thread of its own ([`Writer`]), which takes the next capture
//! from its queue the moment one is stored. The capture's thread still prepares it
//! (hashes its picture, compresses its artifacts) and waits for its commit before the
//! capture is reported, so nothing about what is stored changes, nor the order of the
//! steps. Measured: idle time near none, 6,500 context switches a second, 4% more
//! captures a second (147 to 153, docs/BENCHMARKS.md).

use std::sync::mpsc;
use std::thread::JoinHandle;

type Job = Box<dyn FnOnce() + Send>;

/// A thread that runs the jobs given to it one at a time, in the order given.
pub(crate) struct Writer {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts the thread.
    pub(crate) fn start() -> std::io::Result<Writer> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("exhibit-writer".into())
            .spawn(move || {
                for job in queue {
                    job();
                }
            })?;
        Ok(Writer {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }

    /// Runs `job` on the writer's thread and waits for what it gives back. `None` when
    /// the writer has stopped (a job panicked), so the job did not run or did not finish.
    pub(crate) fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let (done, result) = mpsc::sync_channel(1);
        let job: Job = Box::new(move || {
            // The caller may have gone; the result is then nobody's.
            let _ = done.send(job());
        });
        self.jobs.as_ref()?.send(job).ok()?;
        result.recv().ok()
    }
}

impl Drop for Writer {
    /// Lets the queued jobs finish, then ends the thread.
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_one_at_a_time_on_one_thread_and_give_their_results_back() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let writer = Writer::start().expect("start");
        let first = writer
            .run(|| std::thread::current().id())
            .expect("first job");
        let busy = std::sync::Arc::new(AtomicBool::new(false));
        let overlaps = std::sync::Arc::new(AtomicUsize::new(0));
        std::thread::scope(|s| {
            for i in 0..8u32 {
                let (busy, overlaps) = (busy.clone(), overlaps.clone());
                let writer = &writer;
                s.spawn(move || {
                    let (id, back) = writer
                        .run(move || {
                            if busy.swap(true, Ordering::SeqCst) {
                                overlaps.fetch_add(1, Ordering::SeqCst);
                            }
                            std::thread::sleep(std::time::Duration::from_millis(5));
                            busy.store(false, Ordering::SeqCst);
                            (std::thread::current().id(), i * 10)
                        })
                        .expect("job");
                    assert_eq!(id, first, "every job runs on the writer's thread");
                    assert_eq!(back, i * 10, "each caller gets its own job's result");
                });
            }
        });
        assert_eq!(
            overlaps.load(Ordering::SeqCst),
            0,
            "no two jobs ran at once"
        );
    }

    #[test]
    fn a_job_that_panics_gives_none_and_the_writer_refuses_later_jobs() {
        let writer = Writer::start().expect("start");
        assert_eq!(writer.run(|| 7), Some(7));
        let panicked: Option<()> = writer.run(|| panic!("a job that fails"));
        assert_eq!(panicked, None);
        assert_eq!(writer.run(|| 8), None, "the writer has stopped");
    }
}
