//! Loads a folder of articles: front matter, derived fields, stable ids, duplicates and problems.
//! Only the head of each file is read; bodies are read on demand with [`read_body`].

pub mod date;
pub mod decode;
pub mod frontmatter;
pub mod id;
mod walk;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use date::Date;
pub use decode::Encoding;
pub use id::ArticleId;
pub use walk::{Problem, ProblemKind};

use crate::document::sanitize;

/// File name endings that hold articles.
pub const EXTENSIONS: &[&str] = &["md", "markdown", "txt", "html", "htm"];

/// How much of a file the list needs: the front matter and the first heading nearly always fit.
const HEAD_BYTES: usize = 4 * 1024;
/// Front matter may be longer than [`HEAD_BYTES`]; it is never read past this.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Threads reading files while loading.
const IO_THREADS: usize = 16;
/// A body larger than this is cut, so one huge file cannot exhaust memory.
pub const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("corpus folder {0} does not exist")]
    Missing(PathBuf),
    #[error("{0} is not a folder")]
    NotAFolder(PathBuf),
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: PathBuf, reason: String },
}

/// Which fields were not in the front matter and had to be worked out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Derived {
    pub title: bool,
    pub source: bool,
    pub date: bool,
}

/// What the list needs of one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub id: ArticleId,
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
    /// Seconds since the Unix epoch.
    pub mtime: i64,
}

/// Several files with one URL: the article is listed once, from `kept`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub id: ArticleId,
    pub kept: PathBuf,
    pub dropped: Vec<PathBuf>,
}

#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub root: PathBuf,
    /// Newest first.
    pub articles: Vec<Article>,
    pub problems: Vec<Problem>,
    pub duplicates: Vec<Duplicate>,
}

impl Corpus {
    /// Loads every article below `root`. Unreadable files become [`Problem`]s; only a missing
    /// root is an error.
    pub fn load(root: &Path) -> Result<Corpus, CorpusError> {
        if !root.exists() {
            return Err(CorpusError::Missing(root.to_path_buf()));
        }
        if !root.is_dir() {
            return Err(CorpusError::NotAFolder(root.to_path_buf()));
        }
        let (paths, mut problems) = walk::article_files(root);
        let load = || paths.par_iter().map(|p| load_file_in(p, Some(root))).collect::<Vec<_>>();
        // Reading a cold tree waits on the disk, not the CPU: more reads in flight than cores
        // keeps the device queue full.
        let results: Vec<Result<Article, Problem>> = match rayon::ThreadPoolBuilder::new().num_threads(IO_THREADS).build() {
            Ok(pool) => pool.install(load),
            Err(_) => load(),
        };
        let mut articles = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(a) => articles.push(a),
                Err(p) => problems.push(p),
            }
        }
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        let duplicates = dedup(&mut articles);
        sort_newest_first(&mut articles);
        Ok(Corpus { root: root.to_path_buf(), articles, problems, duplicates })
    }

    /// The article whose id is `key` or starts with it (at least 4 hex digits, unique).
    pub fn find(&self, key: &str) -> Result<&Article, String> {
        let key = key.trim().to_ascii_lowercase();
        if key.len() < 4 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!("{key:?} is not an article id (4 to 16 hex digits)"));
        }
        let mut hits = self.articles.iter().filter(|a| a.id.to_string().starts_with(&key));
        match (hits.next(), hits.next()) {
            (Some(a), None) => Ok(a),
            (None, _) => Err(format!("no article with id {key}")),
            (Some(_), Some(_)) => Err(format!("id {key} is ambiguous: give more digits")),
        }
    }
}

pub fn sort_newest_first(articles: &mut [Article]) {
    articles.sort_by(|a, b| {
        b.date.cmp(&a.date).then_with(|| b.fetch_date.cmp(&a.fetch_date)).then_with(|| a.path.cmp(&b.path))
    });
}

/// Keeps one article per id: the largest file (scraped copies are often truncated), then the
/// latest fetch, then the first path.
fn dedup(articles: &mut Vec<Article>) -> Vec<Duplicate> {
    let mut groups: HashMap<ArticleId, Vec<usize>> = HashMap::with_capacity(articles.len());
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
    let mut i = 0;
    articles.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
    dups.sort_by(|a, b| a.kept.cmp(&b.kept));
    dups
}

/// Loads one file on its own, as `yuedu show PATH` does.
pub fn load_file(path: &Path) -> Result<Article, Problem> {
    load_file_in(path, None)
}

fn load_file_in(path: &Path, root: Option<&Path>) -> Result<Article, Problem> {
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
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() as i64);
    let rel = root.and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path);
    Ok(article_from_head(path, rel, &text, encoding, meta.len(), mtime))
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
    mtime: i64,
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
            date_from_path(rel).unwrap_or_else(|| Date::from_unix(mtime))
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
        mtime,
    }
}

/// Sanitized, on one line, of bounded length: list rows must stay one row.
fn clean_field(s: &str) -> String {
    const MAX_CHARS: usize = 1000;
    // Tabs and line breaks are spacing to collapse, not control characters to replace.
    let spaced = s.split_whitespace().collect::<Vec<_>>().join(" ");
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
}

/// Reads and decodes the body of `path` (without front matter).
pub fn read_body(path: &Path) -> Result<Body, CorpusError> {
    let unreadable =
        |e: std::io::Error| CorpusError::Unreadable { path: path.to_path_buf(), reason: e.to_string() };
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
    Ok(Body { text: sanitize(&text).into_owned(), was_html, truncated })
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

/// html2text recurses over the DOM, so deep nesting runs on a thread with a large stack.
fn html_to_text(html: &str) -> String {
    let html = html.to_string();
    let run = move || html2text::from_read(html.as_bytes(), 10_000).unwrap_or_default();
    std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(run)
        .ok()
        .and_then(|h| h.join().ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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
