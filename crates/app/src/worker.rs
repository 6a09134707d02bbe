//! Runs the effects that touch the disk or a lock, off the UI thread, and answers each with an
//! [`Action`]: tag writes on one thread (they may wait seconds for another process's lock),
//! article reads and file checks on another, so neither holds up the other or the screen.

mod body;

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use yuedu_core::corpus::FileChanges;
use yuedu_core::progress::{Progress, Snapshot};
use yuedu_core::tags::{Store, TagsError};

use crate::App;
use crate::action::{Action, BodyReply, Effect, SaveReport, TagWrite};
use crate::search::{BodySearch, SearchReply};

pub use body::render;

/// The job name shown while a save waits for another process to release the store.
pub const LOCK_WAIT_JOB: &str = "saving tags: waiting for another yuedu to release the tag store";
const SAVE_JOB: &str = "saving tags";

/// Background jobs anyone can register and the terminal owner shows: the worker's saves, the
/// corpus load, later the body pass.
#[derive(Debug, Clone, Default)]
pub struct Jobs(Arc<Mutex<Vec<Progress>>>);

impl Jobs {
    /// A new job, shown until it is finished.
    pub fn start(&self, name: &str) -> Progress {
        let p = Progress::new(name);
        if let Ok(mut v) = self.0.lock() {
            v.push(p.clone());
        }
        p
    }

    /// The jobs still running; finished ones are dropped from the registry.
    pub fn running(&self) -> Vec<Snapshot> {
        let Ok(mut v) = self.0.lock() else { return Vec::new() };
        v.retain(|p| !p.is_finished());
        v.iter().map(Progress::snapshot).collect()
    }
}

/// Does the work of one effect. Holds the store that writes.
pub struct Runner {
    store: Store,
    jobs: Jobs,
    pub reads: Reads,
}

/// The reading side of the worker: bodies, changed files, the folder, and body searches.
#[derive(Default)]
pub struct Reads {
    /// The full-text index, when the terminal owner has one to offer.
    pub search: Option<Box<dyn BodySearch>>,
}

impl Runner {
    pub fn new(store: Store, jobs: Jobs) -> Runner {
        Runner { store, jobs, reads: Reads::default() }
    }

    /// Tag changes not on disk yet.
    pub fn pending(&self) -> usize {
        self.store.pending()
    }

    /// Carries out a worker effect; `None` for effects that are not the worker's.
    pub fn perform(&mut self, effect: Effect) -> Option<Action> {
        match effect {
            Effect::Save(write) => Some(Action::Saved(self.save(Some(write)))),
            Effect::Flush => Some(Action::Saved(self.save(None))),
            e => self.reads.perform(e),
        }
    }

    fn save(&mut self, write: Option<TagWrite>) -> SaveReport {
        let waiting = self.store.lock_is_held();
        let job = self.jobs.start(if waiting { LOCK_WAIT_JOB } else { SAVE_JOB });
        let result = match write {
            Some(TagWrite::Add { ids, tags }) => self.store.add_many(&ids, &tags),
            Some(TagWrite::Remove { ids, tags }) => self.store.remove_many(&ids, &tags),
            Some(TagWrite::Read { id, read }) => self.store.set_read(&id, read),
            Some(TagWrite::Position { id, pos }) => self.store.set_position(&id, pos),
            Some(TagWrite::ReadMany { ids, read }) => self.store.set_read_many(&ids, read),
            None => self.store.flush(),
        };
        job.finish();
        let pending = self.store.pending();
        let error = match result {
            Ok(()) => None,
            Err(e @ (TagsError::InvalidTag(_) | TagsError::InvalidId(_))) => Some(e.to_string()),
            Err(e) => {
                tracing::warn!("tag store write failed: {e}");
                Some(format!("{e}; {pending} change(s) kept in memory and retried"))
            }
        };
        SaveReport { pending, error, warning: self.store.take_warning() }
    }
}

impl Reads {
    /// The effects that only read: bodies, changed files, the corpus folder, searches.
    pub fn perform(&mut self, effect: Effect) -> Option<Action> {
        match effect {
            Effect::Search { query, limit } => {
                let reply = match &mut self.search {
                    Some(s) => s.search(&query, limit),
                    None => SearchReply {
                        query,
                        error: Some("body search is not available here".into()),
                        ..SearchReply::default()
                    },
                };
                Some(Action::Searched(Box::new(reply)))
            }
            e => read(e),
        }
    }
}

fn read(effect: Effect) -> Option<Action> {
    match effect {
        Effect::ReadBody(req) => {
            let rendered = render(&req.article, &req.templates, req.width, req.raw, req.ambiwidth);
            Some(Action::BodyRead(Box::new(BodyReply {
                index: req.index,
                id: req.article.id,
                width: req.width,
                raw: req.raw,
                rendered: Arc::new(rendered),
            })))
        }
        Effect::ReadFiles { root, duplicates, paths } => {
            Some(Action::FilesRead(Box::new(FileChanges::read(&root, &duplicates, &paths))))
        }
        Effect::CheckRoot(root) => Some(Action::RootChecked { exists: root.is_dir() }),
        Effect::Prepare { generation, titles } => {
            let (prepared, title_rank) = crate::list::prepare(&titles);
            Some(Action::Prepared {
                generation,
                prepared: Box::new(prepared),
                title_rank: Arc::new(title_rank),
            })
        }
        _ => None,
    }
}

/// The worker threads. Answers arrive on the channel given to [`Worker::spawn`].
pub struct Worker {
    saves: Option<Sender<Effect>>,
    reads: Option<Sender<Effect>>,
    threads: Vec<JoinHandle<()>>,
    /// The saver hands its store back here when it ends, for the last flush.
    done: Receiver<Runner>,
}

impl Worker {
    pub fn spawn(
        store: Store,
        jobs: Jobs,
        mut reads: Reads,
        answers: Sender<Action>,
    ) -> std::io::Result<Worker> {
        let (saves, save_rx) = mpsc::channel::<Effect>();
        let (read_tx, read_rx) = mpsc::channel::<Effect>();
        let (done_tx, done) = mpsc::channel();
        let mut runner = Runner::new(store, jobs);
        let to_ui = answers.clone();
        let saver = std::thread::Builder::new().name("yuedu-save".into()).spawn(move || {
            while let Ok(fx) = save_rx.recv() {
                if let Some(a) = runner.perform(fx)
                    && to_ui.send(a).is_err()
                {
                    break;
                }
            }
            let _ = done_tx.send(runner);
        })?;
        let reader = std::thread::Builder::new().name("yuedu-read".into()).spawn(move || {
            while let Ok(fx) = read_rx.recv() {
                if let Some(a) = reads.perform(fx)
                    && answers.send(a).is_err()
                {
                    break;
                }
            }
        })?;
        Ok(Worker { saves: Some(saves), reads: Some(read_tx), threads: vec![saver, reader], done })
    }

    /// Queues a worker effect. A non-worker effect is handed back.
    pub fn send(&self, effect: Effect) -> Option<Effect> {
        let lane = match effect {
            Effect::Save(_) | Effect::Flush => &self.saves,
            _ if effect.is_work() => &self.reads,
            _ => return Some(effect),
        };
        if let Some(tx) = lane
            && let Err(e) = tx.send(effect)
        {
            tracing::error!("worker gone; dropped {:?}", e.0);
        }
        None
    }

    /// Ends the threads after the work queued so far, and writes what is still pending,
    /// waiting at most `limit`. Returns the changes that could not be saved.
    pub fn finish(mut self, limit: Duration) -> usize {
        self.saves = None;
        self.reads = None;
        let deadline = Instant::now() + limit;
        let runner = self.done.recv_timeout(limit).ok();
        for t in self.threads.drain(..) {
            if Instant::now() < deadline && t.is_finished() {
                let _ = t.join();
            }
        }
        match runner {
            Some(mut r) => {
                if let Err(e) = r.store.flush() {
                    tracing::error!("tag changes lost at exit: {e}");
                }
                r.pending()
            }
            None => {
                tracing::error!("the tag writer did not finish in time");
                1
            }
        }
    }
}

/// Runs worker effects on the calling thread, feeding each answer back to the app at once:
/// for tests and for one-shot uses where waiting is fine.
pub struct Inline {
    pub runner: Runner,
}

impl Inline {
    pub fn new(store: Store) -> Inline {
        Inline { runner: Runner::new(store, Jobs::default()) }
    }

    /// Applies `action` (then settles), runs every worker effect that follows until none is
    /// left, and returns the effects that are the terminal owner's.
    pub fn apply(&mut self, app: &mut App, action: Action) -> Vec<Effect> {
        let fx = app.apply(action);
        self.run(app, fx)
    }

    /// Runs the worker effects among `effects`, feeding answers back; returns the rest.
    pub fn run(&mut self, app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
        let mut queue: std::collections::VecDeque<Effect> = effects.into();
        let mut out = Vec::new();
        while let Some(fx) = queue.pop_front() {
            if !fx.is_work() {
                out.push(fx);
                continue;
            }
            if let Some(answer) = self.runner.perform(fx) {
                queue.extend(app.apply(answer));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
