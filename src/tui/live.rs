//! Keeps the corpus live: reconciles a cached snapshot with the disk in the background and
//! reports the paths the file watcher sees change.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::app::Action;
use crate::app::worker::Jobs;
use crate::corpus::{Corpus, cache};
use crate::progress::Progress;

/// Events arriving this close together are one change: a copy of many files reloads once.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Where the corpus lives and how to reload it.
#[derive(Debug, Clone)]
pub struct Source {
    pub root: PathBuf,
    /// The index cache folder, or None with `--no-cache`.
    pub cache_dir: Option<PathBuf>,
    /// The app started from a cached snapshot that has not been checked against the disk.
    pub reconcile_now: bool,
    /// The app started with nothing (no index yet): load the corpus in the background.
    pub load_now: bool,
}

/// The thread that keeps the corpus live; it sends its actions to the event loop's inbox.
pub struct Live;

impl Live {
    /// `loading` is the job of a first run's load, already on screen.
    /// `index` is nudged once the corpus is current and after each change seen.
    pub fn start(
        source: Source,
        out: Sender<Action>,
        jobs: Jobs,
        loading: Option<Progress>,
        index: Option<Sender<()>>,
    ) -> Live {
        std::thread::Builder::new()
            .name("yuedu-live".into())
            .spawn(move || run(&source, &out, &jobs, loading, index.as_ref()))
            .map_err(|e| tracing::warn!("no background reload: {e}"))
            .ok();
        Live
    }
}

/// The job name of a first run's load.
pub const LOAD_JOB: &str = "reading the corpus";

fn run(
    source: &Source,
    out: &Sender<Action>,
    jobs: &Jobs,
    loading: Option<Progress>,
    index: Option<&Sender<()>>,
) {
    let nudge = || {
        if let Some(tx) = index {
            let _ = tx.send(());
        }
    };
    let (wake_tx, wake_rx) = mpsc::channel::<Vec<PathBuf>>();
    // Setting up a recursive watch walks every folder: done here, not on the UI thread. Events
    // during the reconcile queue up and are applied after it.
    let _watcher = watch(source, wake_tx);
    // The common warm start: nothing changed since the snapshot's index was written, which the
    // index's checks tell without decoding (and holding) a second copy of every article.
    let current = source.reconcile_now
        && source.cache_dir.as_deref().is_some_and(|dir| cache::count(&source.root, dir).is_some());
    if current {
        tracing::info!("corpus unchanged since the index was written");
    }
    if (source.reconcile_now && !current) || source.load_now {
        let job = loading.unwrap_or_else(|| jobs.start("checking the corpus against the disk"));
        let loaded = match &source.cache_dir {
            Some(dir) => cache::load_with_progress(&source.root, dir, &job).map(|(c, report)| {
                tracing::info!(?report, "corpus reconciled");
                c
            }),
            None => Corpus::load_with_progress(&source.root, &job),
        };
        job.finish();
        match loaded {
            Ok(c) => {
                if out.send(Action::CorpusUpdated(Box::new(c))).is_err() {
                    return;
                }
            }
            Err(e) => {
                tracing::warn!("reconcile failed: {e}");
                let _ = out.send(Action::Failed(format!("cannot read the corpus: {e}")));
            }
        }
    }
    nudge();
    while let Ok(mut paths) = wake_rx.recv() {
        loop {
            match wake_rx.recv_timeout(DEBOUNCE) {
                Ok(more) => paths.extend(more),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        paths.sort();
        paths.dedup();
        tracing::debug!(n = paths.len(), "files changed");
        if out.send(Action::FilesChanged(paths)).is_err() {
            return;
        }
        nudge();
    }
}

fn watch(source: &Source, wake: Sender<Vec<PathBuf>>) -> Option<notify::RecommendedWatcher> {
    let handler = move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res
            && !matches!(ev.kind, notify::EventKind::Access(_))
            && !ev.paths.is_empty()
        {
            let _ = wake.send(ev.paths);
        }
    };
    let mut w =
        notify::recommended_watcher(handler).map_err(|e| tracing::warn!("no file watcher: {e}")).ok()?;
    match w.watch(&source.root, RecursiveMode::Recursive) {
        Ok(()) => Some(w),
        Err(e) => {
            tracing::warn!("not watching {}: {e}", source.root.display());
            None
        }
    }
}
