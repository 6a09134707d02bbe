//! `yuedu search QUERY`: brings the body index up to date with what changed on disk (the first
//! run builds it), then prints the ranked hits with a snippet each.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use crate::commands::{
    CommandError, CorpusChoice, Env, ListFormat, bodies, ok_on_pipe, paths, terminal_safe_json,
};
use crate::corpus::ArticleId;
use crate::document;
use crate::index::{Hit, IndexError, SearchIndex, SearchQuery, Snippet};
use crate::progress::Progress;
use crate::tags::Store;

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub query: String,
    /// The whole query is one literal phrase (no syntax), like `rg -F`.
    pub fixed: bool,
    pub format: ListFormat,
    pub limit: usize,
    pub count: bool,
}

/// `yuedu search`: needs the cache dir, where the index lives. A query that cannot be read is
/// [`CommandError::Query`], which main turns into a usage error, before anything is read from
/// disk. Only an update cleans bodies, so only an update compiles the boilerplate rules.
pub fn run(env: &Env<'_>, opts: &SearchOptions, out: &mut dyn Write) -> Result<(), CommandError> {
    let Some(cache_dir) = env.cache_dir else {
        return Err(CommandError::NotFound(
            "search keeps its index in the cache dir: drop --no-cache".into(),
        ));
    };
    let store = || env.open_store().unwrap_or_default();
    let mut boilerplate = || env.load_rules();
    let mut rules = || env.extract_rules();
    let mut needs = bodies::Needs { boilerplate: &mut boilerplate, rules: &mut rules };
    search(&env.choose()?, cache_dir, store, &mut needs, opts, out)
}

pub fn search(
    choice: &CorpusChoice,
    cache_dir: &Path,
    store: impl FnOnce() -> Store,
    needs: &mut bodies::Needs<'_>,
    opts: &SearchOptions,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    let query = if opts.fixed { SearchQuery::literal(&opts.query) } else { SearchQuery::parse(&opts.query) }
        .map_err(|e| CommandError::Query(e.to_string()))?;
    let started = std::time::Instant::now();
    let tags = if query.has_fields() { tag_map(&store()) } else { HashMap::new() };
    let limit = if opts.count { 0 } else { opts.limit };
    let want_facts = query.has_entity_terms();
    let (mut ix, mut facts) = bodies::up_to_date(&choice.path, cache_dir, needs, want_facts)?;
    let opened = started.elapsed();
    let results = match ix.search_with(&query, limit, tags.clone(), facts.clone().map(Arc::new)) {
        // Damage tantivy found only while searching: the index is rebuilt once.
        Err(IndexError::Tantivy { source, .. }) => {
            tracing::warn!(%source, "search failed: rebuilding the index");
            drop(ix);
            SearchIndex::discard(&choice.path, cache_dir).map_err(bodies::index_error)?;
            (ix, facts) = bodies::up_to_date(&choice.path, cache_dir, needs, want_facts)?;
            ix.search_with(&query, limit, tags, facts.map(Arc::new))
        }
        r => r,
    }
    .map_err(bodies::index_error)?;
    let searched = started.elapsed();
    if opts.count {
        return ok_on_pipe(writeln!(out, "{}", results.total));
    }
    // Bodies are not stored in the index: the few hits shown are read again.
    let snippets: Vec<Snippet> = results.hits.par_iter().map(|h| ix.snippet(&query, h)).collect();
    tracing::debug!(?opened, ?searched, snippets = ?started.elapsed(), hits = results.total, "search");
    ok_on_pipe(match opts.format {
        ListFormat::Tsv => write_tsv(&results.hits, &snippets, out),
        ListFormat::Json => write_json(&results.hits, &snippets, out),
    })
}

/// `yuedu index`: brings the body index up to date now and says what it did. With
/// `progress_lines`, the job's stage and counts go to stderr as `stage<TAB>done<TAB>total`
/// lines a few times a second: how the reader follows a pass it runs in a process of its own,
/// so the pass's memory is gone when it ends.
pub fn update(env: &Env<'_>, progress_lines: bool, out: &mut dyn Write) -> Result<(), CommandError> {
    let Some(cache_dir) = env.cache_dir else {
        return Err(CommandError::NotFound("the body index lives in the cache dir: drop --no-cache".into()));
    };
    let choice = env.choose()?;
    env.load_rules()?;
    let rules = env.extract_rules()?;
    let progress = Progress::new("loading the corpus");
    let lines = progress_lines.then(|| Lines::start(&progress));
    let bar = (!progress_lines).then(|| super::progress_bar::Bar::start(&progress));
    let result = bodies::update(&choice.path, cache_dir, &rules, &progress);
    progress.finish();
    drop(lines);
    drop(bar);
    match result? {
        Some((_, _, report)) if !progress_lines => ok_on_pipe(writeln!(
            out,
            "{} article(s) read and indexed, {} removed (CPU: reading and cleaning {:.1} s, entities {:.1} s, stories {:.1} s)",
            report.read,
            report.removed,
            report.read_clean_ns as f64 / 1e9,
            report.extract_ns as f64 / 1e9,
            report.sign_ns as f64 / 1e9
        )),
        Some(_) => Ok(()),
        // For the reader, another yuedu updating the index is not a failure: its commits show up
        // in the reader's searches.
        None if progress_lines => Ok(()),
        None => Err(bodies::index_error(IndexError::Busy(SearchIndex::dir_for(&choice.path, cache_dir)))),
    }
}

/// Writes a job's progress to stderr as lines until dropped.
struct Lines {
    stop: std::sync::mpsc::Sender<()>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Lines {
    fn start(progress: &Progress) -> Lines {
        let (stop, rx) = std::sync::mpsc::channel::<()>();
        let progress = progress.clone();
        let thread = std::thread::spawn(move || {
            // stderr: main holds the stdout lock for the whole run.
            let mut out = io::stderr();
            loop {
                let s = progress.snapshot();
                if writeln!(out, "{}\t{}\t{}", s.name, s.done, s.total).and_then(|()| out.flush()).is_err() {
                    return;
                }
                match rx.recv_timeout(PROGRESS_LINE_EVERY) {
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
            }
        });
        Lines { stop, thread: Some(thread) }
    }
}

impl Drop for Lines {
    fn drop(&mut self) {
        let _ = self.stop.send(());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// How often `yuedu index --progress-lines` reports.
const PROGRESS_LINE_EVERY: Duration = Duration::from_millis(250);

pub(crate) fn tag_map(store: &Store) -> HashMap<u64, Vec<String>> {
    store
        .entries()
        .filter(|(_, e)| !e.tags.is_empty())
        .filter_map(|(id, e)| Some((id.parse::<ArticleId>().ok()?.0, e.tags.iter().cloned().collect())))
        .collect()
}

fn cell(s: &str) -> String {
    document::sanitize(s).replace(['\t', '\n', '\r'], " ")
}

fn write_tsv(hits: &[Hit], snippets: &[Snippet], out: &mut dyn Write) -> io::Result<()> {
    for (h, s) in hits.iter().zip(snippets) {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}",
            h.id,
            h.date,
            cell(&h.source),
            cell(&h.title),
            paths::escaped(&h.path),
            s.text
        )?;
    }
    Ok(())
}

fn write_json(hits: &[Hit], snippets: &[Snippet], out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<serde_json::Value> = hits
        .iter()
        .zip(snippets)
        .map(|(h, s)| {
            let (path, escaped) = paths::for_json(&h.path);
            let mut row = serde_json::json!({
                "id": h.id.to_string(),
                "date": h.date.to_string(),
                "source": h.source,
                "title": h.title,
                "path": path,
                "url": h.url,
                "score": h.score,
                "snippet": s.text,
                "matches": s.matches.iter().map(|&(a, b)| [a, b]).collect::<Vec<_>>(),
            });
            if escaped {
                row["path_escaped"] = true.into();
            }
            row
        })
        .collect();
    let json = serde_json::to_string_pretty(&items).map_err(io::Error::other)?;
    writeln!(out, "{}", terminal_safe_json(&json))
}
