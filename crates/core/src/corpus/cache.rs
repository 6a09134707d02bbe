//! The index cache: every file's metadata, size and mtime in one file per corpus, so a warm start
//! reads one file and stats the tree instead of reading 150,000 heads.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3Builder;

use super::{
    Article, ArticleId, Corpus, CorpusError, IdPrefix, Problem, STAGE_FINDING, STAGE_READING, load_files,
    load_files_learning, walk,
};
use crate::document::boilerplate::Templates;
use crate::progress::Progress;
use format::{Body, Checks, DirStamp};

mod format;
pub(crate) mod path_bytes;
mod stat;
mod trust;

/// How the cache served a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Report {
    /// A valid cache file was found.
    pub hit: bool,
    /// Files read from disk because they were new, changed or not cached.
    pub reloaded: usize,
    /// Cached files that are gone.
    pub removed: usize,
    /// The cache file was (re)written.
    pub written: bool,
}

/// The cache file for `root` inside `cache_dir`.
pub fn file_for(root: &Path, cache_dir: &Path) -> PathBuf {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let hash = xxhash_rust::xxh3::xxh3_64(&path_bytes::to_bytes(&canonical));
    cache_dir.join("index").join(format!("{hash:016x}.idx"))
}

/// The boilerplate templates cached for `root`, without reading or decoding the file list: what
/// `show PATH` uses for a file inside the corpus.
pub fn templates(root: &Path, cache_dir: &Path) -> Option<Templates> {
    format::read_head(&file_for(root, cache_dir), root).map(|h| h.templates)
}

/// Every folder of the corpus with its mtime (ns), as the cache last saw them; None when there is
/// no valid cache. A file added, removed or renamed moves its folder's mtime, so a consumer of
/// the corpus (the body search) can tell whether the tree changed by stat-ing these alone.
pub fn folders(root: &Path, cache_dir: &Path) -> Option<Vec<(PathBuf, i64)>> {
    let checks = format::read_checks(&file_for(root, cache_dir), root)?;
    Some(checks.dirs.into_iter().map(|d| (d.path, d.mtime_ns)).collect())
}

/// The number of articles, from the cache's checks alone, when nothing on disk changed since
/// it was written; None otherwise (the caller loads as usual, which brings the cache up to
/// date). Reads a tenth of the index and decodes no article.
pub fn count(root: &Path, cache_dir: &Path) -> Option<usize> {
    let checks = format::read_checks(&file_for(root, cache_dir), root)?;
    stat::check(&checks).unchanged().then_some(checks.articles)
}

/// What a current index says about an id prefix.
#[derive(Debug)]
pub struct Found {
    /// The one article the prefix names, or why there is none (no match, ambiguous).
    pub article: Result<Article, String>,
    /// How many of the corpus's articles the prefix matches.
    pub matches: usize,
    pub templates: Templates,
}

/// The article `prefix` names, from the index, decoding only the chunk that holds it. None
/// when there is no index or anything on disk changed since it was written (the caller loads
/// as usual then, which brings the index up to date), so a stale index never answers.
pub fn find(root: &Path, cache_dir: &Path, prefix: &IdPrefix) -> Option<Found> {
    let mut partial = format::Partial::open(&file_for(root, cache_dir), root)?;
    if !stat::check(&partial.checks).unchanged() {
        return None;
    }
    let positions = prefix.range().map_or(&[][..], |(lo, hi)| partial.ids.range(lo, hi)).to_vec();
    let article = match positions.len() {
        1 => Ok(partial.articles(&positions)?.pop()?),
        n => Err(prefix.not_unique(n)),
    };
    let templates = std::mem::take(&mut partial.head.templates);
    Some(Found { article, matches: positions.len(), templates })
}

/// The corpus's articles with these ids, newest first, decoding only the chunks that hold them;
/// ids not in the corpus are left out. None as for [`find`].
pub fn articles_by_id(root: &Path, cache_dir: &Path, ids: &[ArticleId]) -> Option<Vec<Article>> {
    let mut partial = format::Partial::open(&file_for(root, cache_dir), root)?;
    if !stat::check(&partial.checks).unchanged() {
        return None;
    }
    let positions: Vec<u32> = ids.iter().flat_map(|id| partial.ids.range(id.0, id.0).to_vec()).collect();
    partial.articles(&positions)
}

/// The corpus as the cache last saw it, without touching the tree: what a warm start shows
/// first. None when there is no valid cache.
pub fn snapshot(root: &Path, cache_dir: &Path) -> Option<Corpus> {
    let (head, checks, raw) = format::Raw::read(&file_for(root, cache_dir), root)?;
    let body = raw.body(&checks, root)?;
    Some(corpus_of(root, head.templates, checks, body))
}

fn corpus_of(root: &Path, templates: Templates, checks: Checks, body: Body) -> Corpus {
    let mut articles = body.files;
    articles.truncate(checks.articles);
    Corpus {
        root: root.to_path_buf(),
        articles,
        problems: checks.problems,
        duplicates: body.duplicates,
        templates,
    }
}

/// Loads `root`, reusing cached metadata for every file whose size and mtime are unchanged, and
/// rewrites the cache when anything changed. A missing, corrupt or stale cache is rebuilt.
pub fn load(root: &Path, cache_dir: &Path) -> Result<(Corpus, Report), CorpusError> {
    load_with_progress(root, cache_dir, &Progress::hidden())
}

/// [`load`], counting on `progress` the files it walks and reads: "finding files" with no
/// total while the tree is walked, then "reading files" with the number to read, one added per
/// file. A warm load with nothing changed reports nothing. The caller finishes it.
pub fn load_with_progress(
    root: &Path,
    cache_dir: &Path,
    progress: &Progress,
) -> Result<(Corpus, Report), CorpusError> {
    if !root.exists() {
        return Err(CorpusError::Missing(root.to_path_buf()));
    }
    if !root.is_dir() {
        return Err(CorpusError::NotAFolder(root.to_path_buf()));
    }
    let file = file_for(root, cache_dir);
    let mut report = Report::default();
    // The disk is checked while the articles decode: each is about half of a warm start.
    let cached = format::Raw::read(&file, root).and_then(|(head, checks, raw)| {
        let (fresh, body) = rayon::join(|| stat::check(&checks), || raw.body(&checks, root));
        Some((head, checks, body?, fresh))
    });
    report.hit = cached.is_some();
    let (mut files, mut problems, dirs, mut templates) = match cached {
        Some((head, checks, body, fresh)) if fresh.unchanged() => {
            return Ok((corpus_of(root, head.templates, checks, body), report));
        }
        Some((head, checks, body, fresh)) if !fresh.tree_changed => {
            let (files, problems, dirs) =
                reconcile_in_place(root, checks, body, &fresh, &mut report, progress);
            (files, problems, dirs, head.templates)
        }
        Some((head, _, body, _)) => {
            let (files, problems, dirs) = reconcile(root, body.files, &mut report, progress);
            (files, problems, dirs, head.templates)
        }
        None => {
            progress.stage(STAGE_FINDING, 0);
            let (paths, dirs, problems) = walk::tree(root);
            // Stamped before reading, so a file added meanwhile shows as a change next time.
            let dirs = dir_stamps(dirs);
            progress.stage(STAGE_READING, paths.len());
            let (files, problems, templates) = load_files_learning(root, &paths, problems, progress);
            report.reloaded = files.len() + problems.len();
            (files, problems, dirs, templates)
        }
    };
    // Templates learned from a much smaller corpus (a folder that started small and grew) are
    // learned again from everything, which costs one cold read of the heads.
    if report.hit && report.reloaded * 4 > files.len() + problems.len() {
        let paths: Vec<PathBuf> = files.drain(..).map(|a| a.path).collect();
        progress.stage(STAGE_READING, paths.len());
        (files, problems, templates) =
            load_files_learning(root, &paths, std::mem::take(&mut problems), progress);
    }
    let (corpus, dropped) = Corpus::assemble_keeping_dropped(root, files, problems);
    let Corpus { articles, problems, duplicates, .. } = corpus;
    let checks = Checks::new(dirs, &articles, &dropped, problems);
    let mut files = articles;
    files.extend(dropped);
    let body = Body { files, duplicates };
    let head = format::head(root, templates);
    report.written = format::write(&file, &head, &checks, &body).is_ok();
    Ok((corpus_of(root, head.templates, checks, body), report))
}

/// The tree changed: walks it, and reuses every cached file whose size and mtime still match.
fn reconcile(
    root: &Path,
    cached: Vec<Article>,
    report: &mut Report,
    progress: &Progress,
) -> (Vec<Article>, Vec<Problem>, Vec<DirStamp>) {
    progress.stage(STAGE_FINDING, 0);
    let (paths, dirs, walk_problems) = walk::tree(root);
    let dirs = dir_stamps(dirs);
    // OsStr hashes as bytes; Path hashes component by component, which is several times slower.
    let position: HashMap<&OsStr, usize, Xxh3Builder> =
        cached.iter().enumerate().map(|(i, a)| (a.path.as_os_str(), i)).collect();
    let unchanged: Vec<Option<usize>> = paths
        .par_iter()
        .map(|p| {
            let i = *position.get(p.as_os_str())?;
            let a = &cached[i];
            (stat::stamp(p)? == (a.size, a.mtime_ns)).then_some(i)
        })
        .collect();
    drop(position);
    let mut keep = vec![false; cached.len()];
    let mut stale = Vec::new();
    for (p, u) in paths.iter().zip(&unchanged) {
        match u {
            Some(i) => keep[*i] = true,
            None => stale.push(p.clone()),
        }
    }
    let current: HashSet<&OsStr, Xxh3Builder> = paths.iter().map(|p| p.as_os_str()).collect();
    report.removed = cached.iter().filter(|a| !current.contains(a.path.as_os_str())).count();
    drop(current);
    report.reloaded = stale.len();
    let mut files: Vec<Article> = cached.into_iter().zip(keep).filter_map(|(a, k)| k.then_some(a)).collect();
    progress.stage(STAGE_READING, stale.len());
    let (loaded, problems) = load_files(root, &stale, walk_problems, progress);
    files.extend(loaded);
    (files, problems, dirs)
}

/// No folder changed, so every cached file is still there: those whose size or mtime moved, and
/// problem files that changed, are read again.
fn reconcile_in_place(
    root: &Path,
    checks: Checks,
    body: Body,
    fresh: &stat::Fresh,
    report: &mut Report,
    progress: &Progress,
) -> (Vec<Article>, Vec<Problem>, Vec<DirStamp>) {
    let mut stale: Vec<PathBuf> = Vec::new();
    let mut files = Vec::with_capacity(body.files.len());
    for (a, &same) in body.files.into_iter().zip(&fresh.same) {
        if same {
            files.push(a);
        } else {
            stale.push(a.path);
        }
    }
    let mut kept_problems = Vec::new();
    for (p, &again) in checks.problems.into_iter().zip(&fresh.retry) {
        if again {
            stale.push(p.path);
        } else {
            kept_problems.push(p);
        }
    }
    report.reloaded = stale.len();
    progress.stage(STAGE_READING, stale.len());
    let (loaded, problems) = load_files(root, &stale, kept_problems, progress);
    files.extend(loaded);
    (files, problems, checks.dirs)
}

/// Every folder of the tree, with its mtime: a file added, removed or renamed changes its
/// folder's mtime, and a new folder its parent's.
fn dir_stamps(mut dirs: Vec<PathBuf>) -> Vec<DirStamp> {
    // Byte order, so `Checks::new` finds folders by the same bytes as the files' parents.
    dirs.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    dirs.dedup();
    dirs.into_par_iter()
        .filter_map(|path| Some(DirStamp { mtime_ns: stat::dir_mtime(&path)?, path }))
        .collect()
}
