//! Progress of a long job (loading, indexing, cleaning), shared between the thread doing it and
//! whoever shows it: a name and a done/total count, read without locks.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

/// A job's progress. Cheap to clone (an `Arc`); every clone sees the same counts.
#[derive(Debug, Clone)]
pub struct Progress(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    name: Mutex<String>,
    done: AtomicUsize,
    total: AtomicUsize,
    finished: AtomicBool,
    started: Instant,
}

/// What a job has done so far, as one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub name: String,
    pub done: usize,
    /// 0 while the total is not known yet (a walk still counting files).
    pub total: usize,
    pub finished: bool,
    /// Items per second since the job started, 0 before the first second's worth.
    pub rate: usize,
}

impl Progress {
    pub fn new(name: impl Into<String>) -> Progress {
        Progress(Arc::new(Inner {
            name: Mutex::new(name.into()),
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            finished: AtomicBool::new(false),
            started: Instant::now(),
        }))
    }

    /// A progress nobody watches, for callers that do not show one.
    pub fn hidden() -> Progress {
        Progress::new("")
    }

    /// Starts a new stage of the job: a new name, and the counts from zero.
    pub fn stage(&self, name: impl Into<String>, total: usize) {
        if let Ok(mut n) = self.0.name.lock() {
            *n = name.into();
        }
        self.0.done.store(0, Ordering::Relaxed);
        self.0.total.store(total, Ordering::Relaxed);
    }

    pub fn set_total(&self, total: usize) {
        self.0.total.store(total, Ordering::Relaxed);
    }

    pub fn add(&self, n: usize) {
        self.0.done.fetch_add(n, Ordering::Relaxed);
    }

    pub fn set_done(&self, done: usize) {
        self.0.done.store(done, Ordering::Relaxed);
    }

    pub fn finish(&self) {
        self.0.finished.store(true, Ordering::Relaxed);
    }

    pub fn is_finished(&self) -> bool {
        self.0.finished.load(Ordering::Relaxed)
    }

    pub fn snapshot(&self) -> Snapshot {
        let name = self.0.name.lock().map(|n| n.clone()).unwrap_or_default();
        let done = self.0.done.load(Ordering::Relaxed);
        let total = self.0.total.load(Ordering::Relaxed);
        let secs = self.0.started.elapsed().as_secs_f64();
        let rate = if secs >= 1.0 { (done as f64 / secs) as usize } else { 0 };
        Snapshot { name, done, total, finished: self.is_finished(), rate }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_counts_and_stages_reset_them() {
        let p = Progress::new("reading files");
        let q = p.clone();
        q.set_total(10);
        q.add(3);
        q.add(4);
        assert_eq!((p.snapshot().done, p.snapshot().total), (7, 10));
        p.stage("learning templates", 5);
        let s = q.snapshot();
        assert_eq!((s.name.as_str(), s.done, s.total, s.finished), ("learning templates", 0, 5, false));
        q.finish();
        assert!(p.is_finished());
    }
}
