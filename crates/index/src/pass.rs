//! The body pass: each article that any consumer lacks is read once and cleaned once, in
//! parallel, and its text is handed to every consumer that lacks it; articles gone from the
//! corpus are removed from the consumers that hold them.
//!
//! Incremental by stamps: each consumer keeps, per article id, the path, size and mtime of the
//! file it took the article from (what the corpus index cache compares too), and the pass
//! re-reads only the articles whose stamp differs in some consumer. A consumer added later
//! starts with no stamps and is filled by the next pass, without a second read for the others.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use yuedu_core::corpus::{self, Article, ArticleId, Corpus};
use yuedu_core::document::{self, boilerplate};
use yuedu_core::entities::{self, Entity, Extractor};
use yuedu_core::progress::Progress;
use yuedu_core::stories::{self, Signature, StoryTuning};

use crate::{IndexError, Tuning};

/// Which file, at which size and mtime, a consumer took an article from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i64,
}

impl Stamp {
    pub fn of(a: &Article) -> Stamp {
        Stamp { path: a.path.clone(), size: a.size, mtime_ns: a.mtime_ns }
    }

    fn matches(&self, a: &Article) -> bool {
        self.size == a.size && self.mtime_ns == a.mtime_ns && self.path == a.path
    }
}

/// The articles a consumer holds, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamps(pub HashMap<u64, Stamp>);

impl Stamps {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the consumer holds this version of the article.
    pub fn holds(&self, a: &Article) -> bool {
        self.0.get(&a.id.0).is_some_and(|s| s.matches(a))
    }

    pub fn insert(&mut self, a: &Article) {
        self.0.insert(a.id.0, Stamp::of(a));
    }

    pub fn remove(&mut self, id: ArticleId) {
        self.0.remove(&id.0);
    }
}

/// One article's body as every consumer sees it: cleaned of chrome, plain text, one paragraph a
/// line; the text `yuedu show --plain` prints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyText {
    pub text: String,
    /// No article text survived cleaning, or the file could not be read (`unreadable`).
    pub empty: bool,
    /// Why the file could not be read; the article is still handed over (its title is worth
    /// indexing) and stamped, so it is not retried until it changes.
    pub unreadable: Option<String>,
    /// The indicators of the cleaned text, found only when a consumer that lacks the article
    /// [wants them](Consumer::wants_entities).
    pub entities: Vec<Entity>,
    /// The body's story signature (None for a stub), made only when a consumer that lacks the
    /// article [wants it](Consumer::wants_signature).
    pub signature: Option<Signature>,
}

/// Reads and cleans one article: the pass's unit of work.
pub fn read_clean(a: &Article, templates: &boilerplate::Templates) -> BodyText {
    let meta = boilerplate::Meta { title: &a.title, source: &a.source, url: a.url.as_deref().unwrap_or("") };
    read_clean_file(&a.path, &meta, templates)
}

/// Reads and cleans the file at `path`, described by `meta`: what snippets use.
pub fn read_clean_file(
    path: &Path,
    meta: &boilerplate::Meta<'_>,
    templates: &boilerplate::Templates,
) -> BodyText {
    match corpus::read_body(path) {
        Ok(body) => {
            let plain = document::clean_plain(&body.text, meta, templates);
            BodyText { text: plain.text, empty: plain.empty, unreadable: None, ..BodyText::default() }
        }
        Err(e) => BodyText { empty: true, unreadable: Some(e.to_string()), ..BodyText::default() },
    }
}

/// Something built from every article's cleaned body.
pub trait Consumer: Send {
    /// What it holds as of its last commit plus what was added and removed since.
    fn stamps(&self) -> &Stamps;
    /// Takes in an article, replacing any version of it already held.
    fn add(&mut self, article: &Article, body: &BodyText) -> Result<(), IndexError>;
    /// Whether [`BodyText::entities`] must be filled for this consumer: extraction runs with the
    /// reading and cleaning, in parallel, and only for the articles such a consumer lacks.
    fn wants_entities(&self) -> bool {
        false
    }
    /// Whether [`BodyText::signature`] must be filled: signing runs in the parallel stage too.
    fn wants_signature(&self) -> bool {
        false
    }
    /// Drops an article that left the corpus.
    fn remove(&mut self, id: ArticleId) -> Result<(), IndexError>;
    /// Makes what was added and removed durable, stamps included. The pass commits every
    /// [`Tuning::commit_every`] articles, so a killed pass resumes from the last commit.
    fn commit(&mut self) -> Result<(), IndexError>;
}

/// The progress stage of the pass proper, after the corpus is loaded.
pub const STAGE: &str = "indexing bodies";

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Articles read and cleaned.
    pub read: usize,
    /// Of those, files that could not be read.
    pub unreadable: usize,
    /// Removals handed to consumers (an article gone from two consumers counts twice).
    pub removed: usize,
    /// CPU time spent reading and cleaning, summed over threads.
    pub read_clean_ns: u64,
    /// CPU time spent extracting entities, summed over threads: what that step costs the pass.
    pub extract_ns: u64,
    /// CPU time spent signing bodies for stories, summed over threads.
    pub sign_ns: u64,
}

/// Brings every consumer up to date with `corpus`, reading each article at most once.
pub fn run(
    corpus: &Corpus,
    consumers: &mut [&mut dyn Consumer],
    extractor: &Extractor,
    tuning: &Tuning,
    progress: &Progress,
) -> Result<PassReport, IndexError> {
    let mut report = PassReport::default();
    let current: HashSet<u64> = corpus.articles.iter().map(|a| a.id.0).collect();
    for c in consumers.iter_mut() {
        let gone: Vec<u64> = c.stamps().0.keys().filter(|id| !current.contains(id)).copied().collect();
        for id in gone {
            c.remove(ArticleId(id))?;
            report.removed += 1;
        }
    }
    // Per article, which consumers lack it (a bit per consumer).
    let held: Vec<&Stamps> = consumers.iter().take(64).map(|c| c.stamps()).collect();
    let wanted: Vec<(&Article, u64)> = corpus
        .articles
        .par_iter()
        .filter_map(|a| {
            let mask =
                held.iter().enumerate().filter(|(_, s)| !s.holds(a)).fold(0u64, |m, (i, _)| m | 1 << i);
            (mask != 0).then_some((a, mask))
        })
        .collect();
    drop(held);
    let wants: u64 = consumers
        .iter()
        .take(64)
        .enumerate()
        .filter(|(_, c)| c.wants_entities())
        .fold(0, |m, (i, _)| m | 1 << i);
    let signs: u64 = consumers
        .iter()
        .take(64)
        .enumerate()
        .filter(|(_, c)| c.wants_signature())
        .fold(0, |m, (i, _)| m | 1 << i);
    let story_tuning = StoryTuning::default();
    progress.stage(STAGE, wanted.len());
    let (read_ns, extract_ns, sign_ns) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let mut since_commit = 0;
    for chunk in wanted.chunks(tuning.chunk.max(1)) {
        let texts: Vec<BodyText> = chunk
            .par_iter()
            .map(|(a, mask)| {
                let started = Instant::now();
                let mut body = read_clean(a, &corpus.templates);
                let cleaned = Instant::now();
                read_ns.fetch_add(nanos(cleaned - started), Ordering::Relaxed);
                if mask & wants != 0 {
                    body.entities =
                        extractor.extract(&body.text, &entities::Context { url: a.url.as_deref() });
                    extract_ns.fetch_add(nanos(cleaned.elapsed()), Ordering::Relaxed);
                }
                if mask & signs != 0 {
                    let started = Instant::now();
                    body.signature = stories::sign(&body.text, &story_tuning);
                    sign_ns.fetch_add(nanos(started.elapsed()), Ordering::Relaxed);
                }
                body
            })
            .collect();
        for ((a, mask), body) in chunk.iter().zip(&texts) {
            report.read += 1;
            report.unreadable += usize::from(body.unreadable.is_some());
            for (i, c) in consumers.iter_mut().enumerate().take(64) {
                if mask & 1 << i != 0 {
                    c.add(a, body)?;
                }
            }
        }
        progress.add(chunk.len());
        since_commit += chunk.len();
        if since_commit >= tuning.commit_every {
            since_commit = 0;
            commit_all(consumers)?;
        }
    }
    commit_all(consumers)?;
    progress.finish();
    report.read_clean_ns = read_ns.into_inner();
    report.extract_ns = extract_ns.into_inner();
    report.sign_ns = sign_ns.into_inner();
    Ok(report)
}

fn nanos(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

fn commit_all(consumers: &mut [&mut dyn Consumer]) -> Result<(), IndexError> {
    for c in consumers.iter_mut() {
        c.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
