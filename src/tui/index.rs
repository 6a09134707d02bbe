//! The reader's body index: a background thread that runs the body pass after the first frame
//! and again whenever the corpus changes, and the `BodySearch` the worker asks, over the same
//! tantivy index `yuedu search` uses.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rayon::prelude::*;

use crate::app::worker::Jobs;
use crate::app::{BodySearch, SearchHit, SearchReply};
use crate::commands::bodies::Rules;
use crate::facts::FactTable;
use crate::index::{FactStore, SearchIndex, SearchQuery, Tuning};
use crate::progress::Progress;
use crate::tags::Store;

/// The job name on the status line while the pass runs: the pass's own stage name.
pub const INDEX_JOB: &str = crate::index::pass::STAGE;
/// Changes arriving this close together are indexed in one pass.
const SETTLE: Duration = Duration::from_millis(300);

/// Where the index lives, the pass in progress (for "partial" answers) and the facts last
/// loaded (for entity terms in body searches).
#[derive(Clone)]
pub struct Place {
    pub root: PathBuf,
    pub cache_dir: PathBuf,
    pub tag_store: PathBuf,
    /// The user's warninglist: the facts are stored under a key it is part of.
    pub warninglist: PathBuf,
    running: Arc<Mutex<Option<Progress>>>,
    facts: Arc<Mutex<Option<Arc<FactTable>>>>,
}

impl Place {
    pub fn new(root: PathBuf, cache_dir: PathBuf, tag_store: PathBuf, warninglist: PathBuf) -> Place {
        Place { root, cache_dir, tag_store, warninglist, running: Arc::default(), facts: Arc::default() }
    }

    /// The facts on disk, when they were made under the rules in force.
    fn read_facts(&self) -> Option<Arc<FactTable>> {
        let key = Rules::load(&self.warninglist).ok()?.key;
        let mut table = FactStore::read_table(&self.root, &self.cache_dir, key)?;
        // Built here, off the UI thread, so an entity term in the filter looks up its rows.
        table.index_values();
        let table = Arc::new(table);
        if let Ok(mut f) = self.facts.lock() {
            *f = Some(table.clone());
        }
        Some(table)
    }

    /// The stories the last pass wrote, for folding.
    fn read_stories(&self) -> Option<crate::app::Action> {
        let table = crate::index::stories::read_table(&self.root, &self.cache_dir)?;
        Some(crate::app::Action::StoriesLoaded(Arc::new(table)))
    }

    fn facts(&self) -> Option<Arc<FactTable>> {
        self.facts.lock().ok()?.clone()
    }

    /// (indexed, to index) while a pass runs.
    fn partial(&self) -> Option<(usize, usize)> {
        let p = self.running.lock().ok()?.clone()?;
        let s = p.snapshot();
        (!s.finished).then_some((s.done, s.total))
    }
}

/// Runs a pass for each nudge (the corpus was loaded, files changed), until the sender goes.
pub fn start(place: Place, jobs: Jobs, nudges: Receiver<()>, failures: Sender<crate::app::Action>) {
    let spawned = std::thread::Builder::new().name("yuedu-index".into()).spawn(move || {
        // What the last pass found is shown at once; the pass brings it up to date later.
        if let Some(table) = place.read_facts()
            && failures.send(crate::app::Action::FactsLoaded(table)).is_err()
        {
            return;
        }
        if let Some(a) = place.read_stories()
            && failures.send(a).is_err()
        {
            return;
        }
        while nudges.recv().is_ok() {
            // A burst of changes is one pass.
            loop {
                match nudges.recv_timeout(SETTLE) {
                    Ok(()) => continue,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            let answer = match pass(&place, &jobs) {
                Ok(true) => {
                    if let Some(a) = place.read_stories()
                        && failures.send(a).is_err()
                    {
                        return;
                    }
                    place.read_facts().map(crate::app::Action::FactsLoaded)
                }
                Ok(false) => None,
                Err(e) => {
                    tracing::warn!("body index: {e}");
                    Some(crate::app::Action::Failed(format!("the body index could not be updated: {e}")))
                }
            };
            if let Some(a) = answer
                && failures.send(a).is_err()
            {
                return;
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("no body index: {e}");
    }
}

/// One pass, in a process of its own (`yuedu index`), so the second copy of the corpus and
/// the index writer's buffers are gone when it ends; its progress lines feed the job. True
/// when a pass ran (the facts may have changed).
fn pass(place: &Place, jobs: &Jobs) -> Result<bool, String> {
    if SearchIndex::open(&place.root, &place.cache_dir, Tuning::default())
        .is_some_and(|ix| ix.is_current(&place.cache_dir))
        && place.facts().is_some()
    {
        return Ok(false);
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find yuedu itself: {e}"))?;
    let mut child = std::process::Command::new(exe)
        .arg("--corpus")
        .arg(&place.root)
        .args(["index", "--progress-lines"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the body pass: {e}"))?;
    let job = jobs.start(INDEX_JOB);
    if let Ok(mut r) = place.running.lock() {
        *r = Some(job.clone());
    }
    // Progress lines, and a failure's one-line message last.
    let mut said = String::new();
    if let Some(err) = child.stderr.take() {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let cells: Vec<&str> = line.split('\t').collect();
            match cells.as_slice() {
                // Only the pass proper is shown: loading the corpus is quick on a current cache.
                [name, done, total] if *name == INDEX_JOB => {
                    job.set_total(total.parse().unwrap_or(0));
                    job.set_done(done.parse().unwrap_or(0));
                }
                [_, _, _] => {}
                _ => said = line,
            }
        }
    }
    let status = child.wait();
    job.finish();
    match status {
        Ok(s) if s.success() => Ok(true),
        Ok(_) if said.is_empty() => Err("the body pass failed".into()),
        Ok(_) => Err(said.trim_start_matches("yuedu: ").to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// The worker's body search over the index on disk.
pub struct IndexSearch {
    pub place: Place,
}

impl BodySearch for IndexSearch {
    fn search(&mut self, query: &str, limit: usize) -> SearchReply {
        let failed =
            |e: String| SearchReply { query: query.to_string(), error: Some(e), ..SearchReply::default() };
        let q = match SearchQuery::parse(query) {
            Ok(q) => q,
            Err(e) => return failed(format!("search: {e}")),
        };
        let partial = self.place.partial();
        // Opened per search: cheap, and it sees every commit of a pass still running.
        let Some(ix) = SearchIndex::open(&self.place.root, &self.place.cache_dir, Tuning::default()) else {
            return failed(match partial {
                Some((done, all)) => {
                    format!("the body index is being built ({done}/{all}): try again shortly")
                }
                None => "no body index yet: it is built in the background".into(),
            });
        };
        let tags = if q.has_fields() {
            Store::open(&self.place.tag_store)
                .map(|o| crate::commands::search::tag_map(&o.store))
                .unwrap_or_default()
        } else {
            Default::default()
        };
        let facts = if q.has_entity_terms() { self.place.facts() } else { None };
        let results = match ix.search_with(&q, limit, tags, facts) {
            Ok(r) => r,
            Err(e) => return failed(e.to_string()),
        };
        let hits: Vec<SearchHit> = results
            .hits
            .par_iter()
            .map(|h| SearchHit { id: h.id, snippet: ix.snippet(&q, h).text })
            .collect();
        SearchReply {
            query: query.to_string(),
            hits,
            total: results.total,
            terms: q.positive_terms().map(str::to_string).collect(),
            error: None,
            partial,
        }
    }
}
