//! Loads a folder of articles: front matter, derived fields, stable ids, duplicates and problems.
//! Only the head of each file is read; bodies are read on demand with [`read_body`].

pub mod alias;
pub mod cache;
pub mod cut;
pub mod date;
pub mod decode;
pub mod frontmatter;
pub mod id;
mod walk;

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use date::Date;
pub use decode::Encoding;
pub use id::{ArticleId, IdPrefix};
pub use walk::{Problem, ProblemKind, set_follow_outside, special_kind};

use crate::document::boilerplate::{self, Templates};
use crate::document::sanitize;
use crate::progress::Progress;

/// Stage names a loader reports on its [`Progress`].
pub const STAGE_FINDING: &str = "finding files";
pub const STAGE_READING: &str = "reading files";

/// File name endings that hold articles.
pub const EXTENSIONS: &[&str] = &["md", "markdown", "txt", "html", "htm"];

/// How much of a file the list needs: the front matter and the first heading nearly always fit.
const HEAD_BYTES: usize = 4 * 1024;
/// Front matter may be longer than [`HEAD_BYTES`]; it is never read past this.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Threads reading files while loading.
const IO_THREADS: usize = 16;
/// Files read per batch while loading.
const LOAD_BATCH: usize = 4096;
/// A body larger than this is cut, so one huge file cannot exhaust memory.
pub const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("corpus folder {} does not exist", shown(.0))]
    Missing(PathBuf),
    #[error("{} is not a folder", shown(.0))]
    NotAFolder(PathBuf),
    #[error("cannot read {}: {reason}", shown(.path))]
    Unreadable { path: PathBuf, reason: String },
}

/// A path for a message: file names come from the web too, so they are sanitized like text.
pub fn shown(path: &Path) -> String {
    sanitize(&path.to_string_lossy()).into_owned()
}

/// Which fields were not in the front matter and had to be worked out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Derived {
    pub title: bool,
    pub source: bool,
    pub date: bool,
}

/// What the list needs of one article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Article {
    pub id: ArticleId,
    #[serde(with = "cache::path_bytes")]
    pub path: PathBuf,
    pub title: String,
    pub source: String,
    pub date: Date,
    pub url: Option<String>,
    pub fetch_date: Option<String>,
    pub derived: Derived,
    /// Strict YAML rejected the front matter.
    pub yaml_fallback: bool,
    pub encoding: Encoding,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch: with `size`, how the index cache
    /// tells that a file changed.
    pub mtime_ns: i64,
}

/// Several files with one URL: the article is listed once, from `kept`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Duplicate {
    pub id: ArticleId,
    #[serde(with = "cache::path_bytes")]
    pub kept: PathBuf,
    #[serde(with = "cache::path_bytes::many")]
    pub dropped: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corpus {
    pub root: PathBuf,
    /// Newest first.
    pub articles: Vec<Article>,
    pub problems: Vec<Problem>,
    pub duplicates: Vec<Duplicate>,
    /// Boilerplate templates learned from the sources' articles while indexing.
    pub templates: Templates,
}

impl Corpus {
    /// Loads every article below `root`. Unreadable files become [`Problem`]s; only a missing
    /// root is an error.
    pub fn load(root: &Path) -> Result<Corpus, CorpusError> {
        Corpus::load_with_progress(root, &Progress::hidden())
    }

    /// [`Corpus::load`], counting on `progress`: a "finding files" stage with no total, then
    /// "reading files" with the number found, one added per file read. The caller finishes it.
    pub fn load_with_progress(root: &Path, progress: &Progress) -> Result<Corpus, CorpusError> {
        if !root.exists() {
            return Err(CorpusError::Missing(root.to_path_buf()));
        }
        if !root.is_dir() {
            return Err(CorpusError::NotAFolder(root.to_path_buf()));
        }
        progress.stage(STAGE_FINDING, 0);
        let (paths, problems) = walk::article_files(root);
        progress.stage(STAGE_READING, paths.len());
        let (files, problems, templates) = load_files_learning(root, &paths, problems, progress);
        Ok(Corpus { templates, ..Corpus::assemble(root, files, problems) })
    }

    /// Builds the corpus from every loaded file: merges duplicates, sorts newest first.
    pub fn assemble(root: &Path, articles: Vec<Article>, problems: Vec<Problem>) -> Corpus {
        Corpus::assemble_keeping_dropped(root, articles, problems).0
    }

    /// [`Corpus::assemble`], also handing back the copies that lost a duplicate merge, which
    /// the index cache keeps to merge again when a file changes.
    pub(crate) fn assemble_keeping_dropped(
        root: &Path,
        mut articles: Vec<Article>,
        mut problems: Vec<Problem>,
    ) -> (Corpus, Vec<Article>) {
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        let (duplicates, dropped) = dedup(&mut articles);
        sort_newest_first(&mut articles);
        let corpus = Corpus {
            root: root.to_path_buf(),
            articles,
            problems,
            duplicates,
            templates: Templates::default(),
        };
        (corpus, dropped)
    }

    /// Brings the corpus up to date for `changed` paths (files or folders created, modified or
    /// removed), reading only those. What the file watcher calls; a full reconcile is
    /// [`cache::load`]. Returns whether anything changed.
    pub fn apply_changes(&mut self, changed: &[PathBuf]) -> bool {
        let read = FileChanges::read(&self.root, &self.duplicates, changed);
        self.apply_read(read)
    }

    /// Applies what [`FileChanges::read`] found, touching no disk: the reader's model does this
    /// on its own thread while a worker did the reading. Returns whether anything changed.
    pub fn apply_read(&mut self, read: FileChanges) -> bool {
        let FileChanges { touched, loaded, problems } = read;
        // Anything at or below a changed path is re-read (or dropped when it is gone).
        let affected = |path: &Path| touched.iter().any(|t| path.starts_with(t));
        let before = (self.articles.len(), self.problems.len());
        let old_articles = std::mem::take(&mut self.articles);
        let (gone, kept): (Vec<Article>, Vec<Article>) =
            old_articles.into_iter().partition(|a| affected(&a.path));
        self.articles = kept;
        self.problems.retain(|p| !affected(&p.path));
        let changed_any =
            !gone.is_empty() || !loaded.is_empty() || !problems.is_empty() || before.1 != self.problems.len();
        if !changed_any {
            self.articles.extend(gone);
            return false;
        }
        // Duplicates are merged again across the whole set, with the same rule as a full load.
        let mut all = std::mem::take(&mut self.articles);
        all.extend(loaded);
        self.problems.extend(problems);
        let problems = std::mem::take(&mut self.problems);
        // Templates stay as learned: a few changed files do not move a source's template.
        let templates = std::mem::take(&mut self.templates);
        let root = self.root.clone();
        *self = Corpus { templates, ..Corpus::assemble(&root, all, problems) };
        true
    }

    /// The article whose id is `key` or starts with it (at least 4 hex digits, unique).
    pub fn find(&self, key: &str) -> Result<&Article, String> {
        let prefix = id::IdPrefix::parse(key)?;
        let mut hits = self.articles.iter().filter(|a| prefix.matches(a.id));
        match (hits.next(), hits.next()) {
            (Some(a), None) => Ok(a),
            (None, _) => Err(prefix.not_unique(0)),
            (Some(_), Some(_)) => Err(prefix.not_unique(2)),
        }
    }
}

/// What changed on disk below some paths, read but not yet applied to a corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileChanges {
    /// Every path whose articles are replaced: the changed paths, the files in changed
    /// folders, and the dropped copies of a changed duplicate.
    touched: Vec<PathBuf>,
    loaded: Vec<Article>,
    problems: Vec<Problem>,
}

impl FileChanges {
    /// Reads the files at or below `changed` (and the copies that lost a duplicate merge to one
    /// of them, which compete again). All the disk work of a live update happens here.
    pub fn read(root: &Path, duplicates: &[Duplicate], changed: &[PathBuf]) -> FileChanges {
        let mut touched: Vec<PathBuf> = Vec::new();
        for p in changed {
            if p.is_dir() {
                touched.extend(walk::article_files_within(p, root));
            }
            touched.push(p.clone());
        }
        let mut again: Vec<PathBuf> = Vec::new();
        for d in duplicates {
            if touched.iter().any(|t| d.kept.starts_with(t)) {
                again.extend(d.dropped.iter().cloned());
            }
        }
        touched.extend(again);
        touched.sort();
        touched.dedup();
        let files: Vec<PathBuf> = touched
            .iter()
            .filter(|p| p.is_file() && walk::has_article_extension(p) && walk::allowed(p, root))
            .cloned()
            .collect();
        let (loaded, problems) = load_files(root, &files, Vec::new(), &Progress::hidden());
        FileChanges { touched, loaded, problems }
    }
}

/// Loads `paths` in parallel; failures join `problems`.
pub(crate) fn load_files(
    root: &Path,
    paths: &[PathBuf],
    problems: Vec<Problem>,
    progress: &Progress,
) -> (Vec<Article>, Vec<Problem>) {
    let (articles, problems, _) = load_files_with(root, paths, problems, false, progress);
    (articles, problems)
}

/// [`load_files`], learning boilerplate templates from the head and tail each file read gives.
pub(crate) fn load_files_learning(
    root: &Path,
    paths: &[PathBuf],
    problems: Vec<Problem>,
    progress: &Progress,
) -> (Vec<Article>, Vec<Problem>, Templates) {
    load_files_with(root, paths, problems, true, progress)
}

fn load_files_with(
    root: &Path,
    paths: &[PathBuf],
    mut problems: Vec<Problem>,
    learn: bool,
    progress: &Progress,
) -> (Vec<Article>, Vec<Problem>, Templates) {
    // Reading a cold tree waits on the disk, not the CPU: more reads in flight than cores
    // keeps the device queue full.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(IO_THREADS).build().ok();
    let mut articles = Vec::with_capacity(paths.len());
    let mut learner = boilerplate::Learner::default();
    // In batches, so the template keys of only one batch are held at a time: those of 150,000
    // articles took 90 MB.
    for batch in paths.chunks(LOAD_BATCH) {
        let load = || {
            batch
                .par_iter()
                .map(|p| {
                    let r = load_file_in(p, Some(root), learn);
                    progress.add(1);
                    r
                })
                .collect::<Vec<_>>()
        };
        let results: Vec<Result<(Article, Vec<u64>), Problem>> = match &pool {
            Some(pool) => pool.install(load),
            None => load(),
        };
        for r in results {
            match r {
                Ok((a, keys)) => {
                    if learn {
                        learner.add(&a.source, &keys);
                    }
                    articles.push(a);
                }
                Err(p) => problems.push(p),
            }
        }
    }
    (articles, problems, learner.finish())
}

pub fn sort_newest_first(articles: &mut [Article]) {
    // Paths compare as bytes: Path's own ordering parses components and dominated warm starts.
    articles.sort_unstable_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| b.fetch_date.cmp(&a.fetch_date))
            .then_with(|| a.path.as_os_str().cmp(b.path.as_os_str()))
    });
}

/// Keeps one article per id: the largest file (scraped copies are often truncated), then the
/// latest fetch, then the first path.
fn dedup(articles: &mut Vec<Article>) -> (Vec<Duplicate>, Vec<Article>) {
    let mut groups: HashMap<ArticleId, Vec<usize>, xxhash_rust::xxh3::Xxh3Builder> =
        HashMap::with_capacity_and_hasher(articles.len(), Default::default());
    for (i, a) in articles.iter().enumerate() {
        groups.entry(a.id).or_default().push(i);
    }
    let mut drop = vec![false; articles.len()];
    let mut dups = Vec::new();
    for (id, mut idx) in groups.into_iter().filter(|(_, v)| v.len() > 1) {
        idx.sort_by(|&x, &y| {
            let (a, b) = (&articles[x], &articles[y]);
            b.size
                .cmp(&a.size)
                .then_with(|| b.fetch_date.cmp(&a.fetch_date))
                .then_with(|| a.path.cmp(&b.path))
        });
        for &i in &idx[1..] {
            drop[i] = true;
        }
        let mut dropped: Vec<PathBuf> = idx[1..].iter().map(|&i| articles[i].path.clone()).collect();
        dropped.sort();
        dups.push(Duplicate { id, kept: articles[idx[0]].path.clone(), dropped });
    }
    let mut dropped = Vec::new();
    for (a, d) in std::mem::take(articles).into_iter().zip(drop) {
        if d { dropped.push(a) } else { articles.push(a) }
    }
    dups.sort_by(|a, b| a.kept.cmp(&b.kept));
    (dups, dropped)
}

/// Loads one file on its own, as `yuedu show PATH` does.
pub fn load_file(path: &Path) -> Result<Article, Problem> {
    load_file_in(path, None, false).map(|(a, _)| a)
}

/// Tail bytes keyed for template learning: footers sit at the end of long pages.
const TAIL_BYTES: u64 = 4 * 1024;

/// Reads one file's head (and, when `learn`, its tail) into an article and the template keys of
/// the body lines read.
fn load_file_in(path: &Path, root: Option<&Path>, learn: bool) -> Result<(Article, Vec<u64>), Problem> {
    let problem = |kind, reason: String| Problem { path: path.to_path_buf(), kind, reason };
    let mut file = std::fs::File::open(path).map_err(|e| walk::io_problem(path, &e))?;
    let meta = file.metadata().map_err(|e| walk::io_problem(path, &e))?;
    if !meta.is_file() {
        return Err(problem(ProblemKind::NotAFile, "not a regular file".into()));
    }
    let mut head = Vec::with_capacity(HEAD_BYTES);
    read_up_to(&mut file, &mut head, HEAD_BYTES).map_err(|e| walk::io_problem(path, &e))?;
    if decode::looks_binary(&head) {
        return Err(problem(ProblemKind::Binary, "binary content".into()));
    }
    // Front matter longer than the first read: read on until it closes or the cap is reached.
    while head.len() < MAX_HEAD_BYTES && (head.len() as u64) < meta.len() && fence_open(&head) {
        let want = (head.len() * 2).min(MAX_HEAD_BYTES);
        read_up_to(&mut file, &mut head, want).map_err(|e| walk::io_problem(path, &e))?;
    }
    let complete = head.len() as u64 >= meta.len();
    let (text, encoding) = decode::decode(&head, complete);
    let rel = root.and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path);
    let article = article_from_head(path, rel, &text, encoding, meta.len(), mtime_ns(&meta));
    let mut keys = Vec::new();
    if learn {
        keys = boilerplate::line_keys(frontmatter::split(&text).body);
        if !complete && encoding == Encoding::Utf8 {
            // A failed tail read only means less to learn from.
            if let Some(tail) = read_tail(&mut file, head.len() as u64, meta.len()) {
                keys.extend(boilerplate::line_keys(&tail));
                keys.sort_unstable();
                keys.dedup();
            }
        }
    }
    Ok((article, keys))
}

/// The whole lines of the last [`TAIL_BYTES`] past `from`, decoded lossily.
fn read_tail(file: &mut std::fs::File, from: u64, len: u64) -> Option<String> {
    use std::io::{Seek, SeekFrom};
    let start = len.saturating_sub(TAIL_BYTES).max(from);
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut buf = Vec::with_capacity(TAIL_BYTES as usize);
    file.take(TAIL_BYTES).read_to_end(&mut buf).ok()?;
    // The first line may be cut in the middle (of a line or of a character).
    let whole = match buf.iter().position(|&b| b == b'\n') {
        Some(i) if start > from => &buf[i + 1..],
        _ => &buf[..],
    };
    Some(String::from_utf8_lossy(whole).into_owned())
}

/// A file's modification time in nanoseconds since the Unix epoch (0 when unknown), as
/// [`Article::mtime_ns`] holds it.
pub fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

fn read_up_to(file: &mut std::fs::File, buf: &mut Vec<u8>, limit: usize) -> std::io::Result<()> {
    let need = limit.saturating_sub(buf.len()) as u64;
    file.take(need).read_to_end(buf)?;
    Ok(())
}

/// True while the text opens a front-matter fence that the bytes so far do not close.
fn fence_open(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut lines = head.split(|&b| b == b'\n').map(|l| l.trim_ascii_end());
    lines.next() == Some(b"---") && !lines.any(|l| l == b"---" || l == b"...")
}

fn article_from_head(
    path: &Path,
    rel: &Path,
    text: &str,
    encoding: Encoding,
    size: u64,
    mtime_ns: i64,
) -> Article {
    let split = frontmatter::split(text);
    let fields = split.yaml.map(frontmatter::parse).unwrap_or_default();
    let mut derived = Derived::default();
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (name_source, name_title) = match stem.split_once('_') {
        Some((s, t)) => (s.trim(), t.trim()),
        None => ("", stem.trim()),
    };

    let title = match fields.get("title").map(clean_field).filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => {
            derived.title = true;
            first_heading(split.body).map(clean_field).filter(|t| !t.is_empty()).unwrap_or_else(|| {
                clean_field(if name_title.is_empty() { stem.as_str() } else { name_title })
            })
        }
    };
    let source = match fields.get("source").map(clean_field).filter(|s| !s.is_empty()) {
        Some(s) => s,
        None => {
            derived.source = true;
            let s = clean_field(name_source);
            if s.is_empty() { "unknown".to_string() } else { s }
        }
    };
    let date = match fields.get("date").and_then(Date::parse_prefix) {
        Some(d) => d,
        None => {
            derived.date = true;
            date_from_path(rel).unwrap_or_else(|| Date::from_unix(mtime_ns.div_euclid(1_000_000_000)))
        }
    };
    let url = fields.get("url").map(clean_field).filter(|u| !u.is_empty());
    let id = match &url {
        Some(u) => ArticleId::from_url(u),
        None => ArticleId::from_relative_path(&rel.to_string_lossy().replace('\\', "/")),
    };
    Article {
        id,
        path: path.to_path_buf(),
        title,
        source,
        date,
        url,
        fetch_date: fields.get("fetch_date").map(clean_field),
        derived,
        yaml_fallback: fields.fallback,
        encoding,
        size,
        mtime_ns,
    }
}

/// Sanitized, on one line, of bounded length: list rows must stay one row.
fn clean_field(s: &str) -> String {
    const MAX_CHARS: usize = 1000;
    // Tabs and line breaks are spacing to collapse, not control characters to replace.
    // Feeds write `&amp;` in some copies and `&` in others: one source, one name.
    let decoded = crate::document::boilerplate::decode_entities(s);
    let spaced = decoded.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = sanitize(&spaced);
    let mut out = String::with_capacity(s.len().min(4 * MAX_CHARS));
    for word in s.split_whitespace().take(MAX_CHARS) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > MAX_CHARS {
        out = out.chars().take(MAX_CHARS).collect();
        out.push('…');
    }
    out
}

fn first_heading(body: &str) -> Option<&str> {
    body.lines().take(200).find_map(|l| l.trim_start().strip_prefix("# ")).map(str::trim)
}

/// `.../YYYY/MM/DD/...` anywhere in the relative path.
fn date_from_path(rel: &Path) -> Option<Date> {
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.windows(3).find_map(|w| {
        let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
        if digits(&w[0], 4) && digits(&w[1], 2) && digits(&w[2], 2) {
            Date::new(w[0].parse().ok()?, w[1].parse().ok()?, w[2].parse().ok()?)
        } else {
            None
        }
    })
}

/// An article's body, decoded and sanitized, with raw HTML already turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub text: String,
    /// The file was raw HTML and went through html2text.
    pub was_html: bool,
    /// The file was larger than [`MAX_BODY_BYTES`] and was cut.
    pub truncated: bool,
    /// Lines cut from the end to keep within the render limits ([`cut::within_limits`]); the
    /// reader and `show` end the text with [`cut::note`].
    pub cut_lines: usize,
}

/// Reads and decodes the body of `path` (without front matter).
pub fn read_body(path: &Path) -> Result<Body, CorpusError> {
    let unreadable =
        |e: std::io::Error| CorpusError::Unreadable { path: path.to_path_buf(), reason: e.to_string() };
    // Opening a FIFO would block the reader's worker until a writer comes.
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => {
            let what = walk::special_kind(&m.file_type());
            return Err(unreadable(std::io::Error::other(format!("{what}, not a regular file"))));
        }
        _ => {}
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_BODY_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    let truncated = bytes.len() as u64 > MAX_BODY_BYTES;
    bytes.truncate(MAX_BODY_BYTES as usize);
    let (text, _) = decode::decode(&bytes, !truncated);
    // CRLF (and old Mac CR) files: the body's consumers expect `\n` lines only.
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n").into() } else { text };
    let body = frontmatter::split(&text).body;
    let (text, was_html) = match html_start(body) {
        Some(start) => (html_to_text(&body[start..]), true),
        None => (body.to_string(), false),
    };
    let text = sanitize(&text);
    let (kept, cut_lines) = cut::within_limits(&text);
    let text = if cut_lines > 0 { kept.to_string() } else { text.into_owned() };
    Ok(Body { text, was_html, truncated, cut_lines })
}

/// Where raw HTML starts: the body opens with `<!DOCTYPE` or `<html`, perhaps after the
/// title heading the scraper added.
fn html_start(body: &str) -> Option<usize> {
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        let lower: String = t.chars().take(9).collect::<String>().to_ascii_lowercase();
        if lower.starts_with("<!doctype") || lower.starts_with("<html") {
            return Some(offset + (line.len() - t.len()));
        }
        if !(t.trim().is_empty() || t.starts_with("# ")) {
            return None;
        }
        offset += line.len();
    }
    None
}

/// html5ever and html2text slow down faster than the square of the nesting depth (10,000 nested
/// `<div>`s took 13 s); real pages nest about 25 deep.
const MAX_HTML_DEPTH: usize = 256;

/// html2text recurses over the DOM, so deep nesting runs on a thread with a large stack.
fn html_to_text(html: &str) -> String {
    let html = flatten_deep_html(html, MAX_HTML_DEPTH).into_owned();
    let run = move || html2text::from_read(html.as_bytes(), 10_000).unwrap_or_default();
    std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(run)
        .ok()
        .and_then(|h| h.join().ok())
        .unwrap_or_default()
}

/// Drops the tags nested deeper than `max` and keeps their text. The depth comes from a tag scan,
/// not a parse: elements that close themselves implicitly (`<p>`, `<li>`, `<td>`...) and void
/// elements are not counted, so real pages stay whole.
fn flatten_deep_html(html: &str, max: usize) -> Cow<'_, str> {
    const NOT_NESTING: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
    ];
    let mut out: Option<String> = None;
    let (mut depth, mut pos, mut copied) = (0usize, 0usize, 0usize);
    while let Some(lt) = html[pos..].find('<').map(|i| pos + i) {
        let end = html[lt..].find('>').map_or(html.len(), |i| lt + i + 1);
        let tag = &html[lt + 1..end];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        pos = end;
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        if NOT_NESTING.contains(&name.as_str()) || tag.trim_end_matches('>').ends_with('/') {
            continue;
        }
        let deep = if closing {
            let deep = depth > max;
            depth = depth.saturating_sub(1);
            deep
        } else {
            depth += 1;
            depth > max
        };
        if deep {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..lt]);
            copied = end;
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&html[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(html),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_html_is_flattened_and_keeps_its_text() {
        let html = format!("<body>{}deep text{}</body>", "<div>".repeat(300), "</div>".repeat(300));
        let flat = flatten_deep_html(&html, 10);
        assert_eq!(flat.matches("<div>").count(), 9, "body plus nine divs stay");
        assert_eq!(flat.matches("</div>").count(), 9);
        assert!(flat.contains("deep text"));
        let real = "<html><body><p>a<p>b<ul><li>x<li>y</ul><br><img src=x/></body></html>";
        assert_eq!(flatten_deep_html(real, 3), Cow::Borrowed(real));
        for odd in ["<", "<<>>", "</", "<a", "</>", "<1>", "<é>", "a < b > c", "<div"] {
            assert!(flatten_deep_html(odd, 0).len() <= odd.len());
        }
        let text =
            html_to_text(&format!("<div>{}deep{}</div>", "<div>".repeat(20_000), "</div>".repeat(20_000)));
        assert!(text.contains("deep"), "{text}");
    }

    fn article(rel: &str, text: &str) -> Article {
        article_from_head(Path::new(rel), Path::new(rel), text, Encoding::Utf8, text.len() as u64, 0)
    }

    #[test]
    fn fields_from_front_matter() {
        let a = article(
            "2025/01/17/daily/安全内参_x.md",
            "---\ntitle: 标题\nurl: https://a.example/1\nsource: 安全内参\ndate: 2025-01-17\n---\n正文",
        );
        assert_eq!(
            (a.title.as_str(), a.source.as_str(), a.date.to_string()),
            ("标题", "安全内参", "2025-01-17".into())
        );
        assert_eq!(a.derived, Derived::default());
        assert_eq!(a.id, ArticleId::from_url("https://a.example/1"));
    }

    #[test]
    fn derived_fields() {
        let a = article(
            "2024/03/05/daily/FreeBuf_某标题.md",
            "---\ntitle: \nsource:\ndate: soon\n---\n\n# 真标题\n",
        );
        assert_eq!(
            (a.title.as_str(), a.source.as_str(), a.date.to_string()),
            ("真标题", "FreeBuf", "2024-03-05".into())
        );
        assert_eq!(a.derived, Derived { title: true, source: true, date: true });
        let b = article("notes/plain.md", "no heading here");
        assert_eq!(
            (b.title.as_str(), b.source.as_str(), b.date.to_string()),
            ("plain", "unknown", "1970-01-01".into())
        );
        assert_eq!(b.id, ArticleId::from_relative_path("notes/plain.md"));
    }

    #[test]
    fn html_detection() {
        assert_eq!(html_start("# T\n\n<!DOCTYPE html><p>x"), Some(5));
        assert_eq!(html_start("\n<HTML>"), Some(1));
        assert_eq!(html_start("text\n<html>"), None);
    }

    #[test]
    fn titles_are_one_clean_line() {
        assert_eq!(clean_field("a\u{1b}[31m red\n b\u{202e}"), "a red b");
    }
}
