//! The non-interactive subcommands (`list`, `show`, `check`; `search` and `tags` in their own
//! modules), writing to any `Write`.

pub mod search;
pub mod tags;

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Config, Paths};
use crate::corpus::{self, Article, ArticleId, Corpus, CorpusError, Problem};
use crate::document::boilerplate::{self, Templates};
use crate::document::{self, AmbiWidth, RenderOptions};
use crate::filter::{self, Query, Record};
use crate::tags::Store;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    #[error("{0}")]
    Filter(#[from] filter::FilterError),
    #[error("{0}")]
    NotFound(String),
    #[error("{}: {}", corpus::shown(&.0.path), .0.reason)]
    Unloadable(Problem),
    #[error("cannot prepare the demo corpus in {path}: {source}")]
    Demo { path: PathBuf, source: io::Error },
    #[error("writing output: {0}")]
    Output(#[from] io::Error),
    /// A search query that cannot be read: a usage error.
    #[error("{0}")]
    Query(String),
    #[error(transparent)]
    Index(crate::index::IndexError),
    #[error(transparent)]
    Rules(#[from] boilerplate::BoilerplateError),
}

/// Where the corpus came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Env,
    Config,
    DataDir,
    Demo,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusChoice {
    pub path: PathBuf,
    pub origin: Origin,
}

/// `--corpus`, then `$YUEDU_CORPUS`, then `corpus_dir` in config, then the data dir if it holds
/// articles, then the demo corpus.
pub fn choose_corpus(
    flag: Option<PathBuf>,
    env: Option<PathBuf>,
    config: &Config,
    paths: &Paths,
) -> Result<CorpusChoice, CommandError> {
    let pick = |path, origin| Ok(CorpusChoice { path, origin });
    if let Some(p) = flag {
        return pick(p, Origin::Flag);
    }
    if let Some(p) = env {
        return pick(p, Origin::Env);
    }
    if let Some(p) = &config.corpus_dir {
        return pick(p.clone(), Origin::Config);
    }
    if holds_articles(&paths.data_dir) {
        return pick(paths.data_dir.clone(), Origin::DataDir);
    }
    let demo = paths.cache_dir.join("demo");
    crate::demo::install(&demo).map_err(|source| CommandError::Demo { path: demo.clone(), source })?;
    pick(demo, Origin::Demo)
}

fn holds_articles(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir).max_depth(6).into_iter().filter_map(Result::ok).any(|e| {
        e.file_type().is_file()
            && e.path().extension().and_then(|x| x.to_str()).is_some_and(|x| corpus::EXTENSIONS.contains(&x))
    })
}

pub fn load(choice: &CorpusChoice) -> Result<Corpus, CommandError> {
    Ok(Corpus::load(&choice.path)?)
}

/// Loads through the index cache in `cache_dir`, or straight from disk when it is None.
pub fn load_with(choice: &CorpusChoice, cache_dir: Option<&Path>) -> Result<Corpus, CommandError> {
    match cache_dir {
        Some(dir) => {
            let (corpus, report) = corpus::cache::load(&choice.path, dir)?;
            tracing::debug!(?report, "index cache");
            Ok(corpus)
        }
        None => load(choice),
    }
}

/// Treats a closed pipe (`yuedu list | head`) as a normal end.
pub(crate) fn ok_on_pipe(r: io::Result<()>) -> Result<(), CommandError> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    Tsv,
    Json,
}

#[derive(Debug, Clone)]
pub struct ListOptions {
    pub filter: Option<String>,
    pub source: Option<String>,
    pub format: ListFormat,
    pub count: bool,
}

/// The articles `list` prints: matched by the filter (best first) or all, newest first.
pub fn select<'a>(
    corpus: &'a Corpus,
    store: &Store,
    opts: &ListOptions,
) -> Result<Vec<&'a Article>, CommandError> {
    let by_source =
        |a: &&Article| opts.source.as_ref().is_none_or(|s| a.source.to_lowercase() == s.to_lowercase());
    let Some(q) = opts.filter.as_deref().filter(|q| !q.trim().is_empty()) else {
        return Ok(corpus.articles.iter().filter(by_source).collect());
    };
    let query = Query::parse(q)?;
    // Few articles carry tags: look them up by id once instead of formatting every id.
    let tagged: HashMap<u64, Vec<String>> = store
        .entries()
        .filter(|(_, e)| !e.tags.is_empty())
        .filter_map(|(id, e)| Some((id.parse::<ArticleId>().ok()?.0, e.tags.iter().cloned().collect())))
        .collect();
    let records: Vec<Record<'_>> = corpus
        .articles
        .iter()
        .map(|a| {
            let tags = tagged.get(&a.id.0).map_or(&[][..], Vec::as_slice);
            Record { title: &a.title, source: &a.source, date: a.date, tags }
        })
        .collect();
    // One pass: the filter prepares each title as it matches it, and nothing is kept.
    let hits = filter::filter(&query, &records, &filter::Prepared::default(), None);
    Ok(hits.iter().map(|h| &corpus.articles[h.index]).filter(by_source).collect())
}

pub fn list(
    corpus: &Corpus,
    store: &Store,
    opts: &ListOptions,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    let rows = select(corpus, store, opts)?;
    if opts.count {
        return ok_on_pipe(writeln!(out, "{}", rows.len()));
    }
    ok_on_pipe(match opts.format {
        ListFormat::Tsv => write_tsv(&rows, store, out),
        ListFormat::Json => write_json(&rows, store, out),
    })
}

fn tsv_cell(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn write_tsv(rows: &[&Article], store: &Store, out: &mut dyn Write) -> io::Result<()> {
    for a in rows {
        let tags = store.tags(&a.id.to_string()).join(",");
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}",
            a.id,
            a.date,
            tsv_cell(&a.source),
            tsv_cell(&a.title),
            tsv_cell(&tags),
            tsv_cell(&document::sanitize(&a.path.to_string_lossy()))
        )?;
    }
    Ok(())
}

fn write_json(rows: &[&Article], store: &Store, out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id.to_string(),
                "date": a.date.to_string(),
                "source": a.source,
                "title": a.title,
                "tags": store.tags(&a.id.to_string()),
                "path": a.path.to_string_lossy(),
                "url": a.url,
            })
        })
        .collect();
    let json = serde_json::to_string_pretty(&items).map_err(io::Error::other)?;
    writeln!(out, "{}", terminal_safe_json(&json))
}

/// serde_json escapes only C0 controls. Paths are not sanitized in JSON (scripts need them as they
/// are), so every other character that could act on a terminal or hide text (DEL, C1 controls,
/// BiDi and other format characters) is written as a `\uXXXX` escape too: the same JSON value,
/// harmless on a terminal.
pub fn terminal_safe_json(json: &str) -> std::borrow::Cow<'_, str> {
    let risky = |c: char| {
        // C0 controls inside strings are already escaped; outside them there is only whitespace.
        matches!(c, '\u{7f}'..='\u{9f}' | '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
                | '\u{e0000}'..='\u{e007f}')
    };
    if !json.chars().any(risky) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if risky(c) {
            // Outside strings JSON has only ASCII, so every such character sits inside a string.
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[derive(Debug, Clone, Copy)]
pub struct ShowOptions {
    pub width: usize,
    pub plain: bool,
    pub raw: bool,
    pub ambiwidth: AmbiWidth,
}

/// `show PATH|ID`. A path is read on its own; an id needs the corpus, so `corpus` is only called
/// then. A path inside the corpus gets its source's template from the index cache when there is one.
pub fn show(
    key: &str,
    corpus: impl FnOnce() -> Result<CorpusChoice, CommandError>,
    cache_dir: Option<&Path>,
    opts: &ShowOptions,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    let path = Path::new(key);
    let (article, templates) = if path.is_file() {
        let article = corpus::load_file(path).map_err(CommandError::Unloadable)?;
        // Without a cache there are no templates to find: the corpus is not even chosen then.
        let templates = cache_dir
            .and_then(|dir| corpus().ok().map(|choice| (dir, choice)))
            .filter(|(_, choice)| inside(path, &choice.path))
            .and_then(|(dir, choice)| corpus::cache::templates(&choice.path, dir))
            .unwrap_or_default();
        (article, templates)
    } else {
        let mut corpus = load_with(&corpus()?, cache_dir)?;
        match corpus.find(key) {
            Ok(a) => (a.clone(), std::mem::take(&mut corpus.templates)),
            Err(msg) if path.components().count() > 1 || key.contains('.') => {
                return Err(CommandError::NotFound(format!("no such file, and {msg}")));
            }
            Err(msg) => return Err(CommandError::NotFound(msg)),
        }
    };
    let body = corpus::read_body(&article.path)?;
    ok_on_pipe(write_article(&article, &body.text, &templates, &Store::default(), opts, out))
}

fn inside(path: &Path, root: &Path) -> bool {
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(p), Ok(r)) => p.starts_with(r),
        _ => false,
    }
}

fn write_article(
    a: &Article,
    body: &str,
    templates: &Templates,
    store: &Store,
    opts: &ShowOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    if opts.raw {
        return writeln!(out, "{}", body.trim_end());
    }
    let meta = boilerplate::Meta { title: &a.title, source: &a.source, url: a.url.as_deref().unwrap_or("") };
    if opts.plain {
        // The same text the body search indexes.
        let text = document::clean_plain(body, &meta, templates).text;
        return if text.trim().is_empty() { Ok(()) } else { writeln!(out, "{}", text.trim_end()) };
    }
    let cleaned = boilerplate::clean_with(body, &meta, templates);
    let doc = document::parse(&cleaned.markdown);
    writeln!(out, "{}", a.title)?;
    writeln!(out, "{} · {}", a.source, a.date)?;
    if let Some(u) = &a.url {
        writeln!(out, "{u}")?;
    }
    let tags = store.tags(&a.id.to_string());
    if !tags.is_empty() {
        writeln!(out, "tags: {}", tags.join(", "))?;
    }
    writeln!(out)?;
    if cleaned.empty {
        let url = a.url.as_deref().unwrap_or("(no url)");
        return writeln!(out, "No article text was captured. Open the original: {url}");
    }
    for line in doc.render(&RenderOptions { width: opts.width.max(1), ambiwidth: opts.ambiwidth }) {
        writeln!(out, "{}", line.plain_text().trim_end())?;
    }
    Ok(())
}

/// `check`: what loaded, what was skipped and why, what was derived, what was merged.
pub fn check(corpus: &Corpus, boilerplate_report: bool, out: &mut dyn Write) -> Result<(), CommandError> {
    ok_on_pipe(write_check(corpus, out))?;
    if boilerplate_report {
        ok_on_pipe(write_boilerplate_report(corpus, out))?;
    }
    Ok(())
}

fn write_check(c: &Corpus, out: &mut dyn Write) -> io::Result<()> {
    let count = |f: &dyn Fn(&Article) -> bool| c.articles.iter().filter(|a| f(a)).count();
    writeln!(out, "corpus: {}", corpus::shown(&c.root))?;
    writeln!(out, "articles loaded: {}", c.articles.len())?;
    writeln!(out, "files skipped: {}", c.problems.len())?;
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &c.problems {
        *by_kind.entry(p.kind.name()).or_default() += 1;
    }
    for (k, n) in by_kind {
        writeln!(out, "  {k}: {n}")?;
    }
    writeln!(out, "fallbacks:")?;
    writeln!(out, "  YAML fallback: {}", count(&|a| a.yaml_fallback))?;
    writeln!(out, "  derived title: {}", count(&|a| a.derived.title))?;
    writeln!(out, "  derived source: {}", count(&|a| a.derived.source))?;
    writeln!(out, "  derived date: {}", count(&|a| a.derived.date))?;
    let mut encodings: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &c.articles {
        *encodings.entry(a.encoding.name()).or_default() += 1;
    }
    let enc: Vec<String> = encodings.iter().map(|(k, n)| format!("{k} {n}")).collect();
    writeln!(out, "  encodings: {}", enc.join(", "))?;
    let extra: usize = c.duplicates.iter().map(|d| d.dropped.len()).sum();
    writeln!(
        out,
        "duplicates: {} URLs in several files, {} copies merged (largest copy kept)",
        c.duplicates.len(),
        extra
    )?;
    for p in c.problems.iter().take(20) {
        writeln!(out, "  skipped {}: {}", corpus::shown(&p.path), document::sanitize(&p.reason))?;
    }
    if c.problems.len() > 20 {
        writeln!(out, "  … and {} more", c.problems.len() - 20)?;
    }
    Ok(())
}

fn write_boilerplate_report(c: &Corpus, out: &mut dyn Write) -> io::Result<()> {
    struct Row {
        articles: usize,
        removed: f64,
        empty: usize,
    }
    let stats: Vec<(&str, f64, bool)> = c
        .articles
        .par_iter()
        .filter_map(|a| {
            let body = corpus::read_body(&a.path).ok()?;
            let meta =
                boilerplate::Meta { title: &a.title, source: &a.source, url: a.url.as_deref().unwrap_or("") };
            let cleaned = boilerplate::clean_with(&body.text, &meta, &c.templates);
            let total = body.text.chars().filter(|c| !c.is_whitespace()).count().max(1);
            let kept = cleaned.markdown.chars().filter(|c| !c.is_whitespace()).count();
            Some((a.source.as_str(), 1.0 - kept as f64 / total as f64, cleaned.empty))
        })
        .collect();
    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    for (source, removed, empty) in stats {
        let r = rows.entry(source).or_insert(Row { articles: 0, removed: 0.0, empty: 0 });
        r.articles += 1;
        r.removed += removed;
        r.empty += usize::from(empty);
    }
    writeln!(out, "\nboilerplate by source (articles, average text removed, empty pages):")?;
    let mut rows: Vec<(&str, Row)> = rows.into_iter().collect();
    rows.sort_by(|a, b| b.1.articles.cmp(&a.1.articles).then_with(|| a.0.cmp(b.0)));
    for (source, r) in rows {
        let avg = 100.0 * r.removed / r.articles as f64;
        writeln!(out, "{:>6}  {:>5.1}%  {:>5}  {}", r.articles, avg, r.empty, source)?;
    }
    Ok(())
}

/// Until the full reader lands: the list, newest first, as plain lines.
pub fn minimal_view(corpus: &Corpus, out: &mut dyn Write) -> Result<(), CommandError> {
    ok_on_pipe((|| {
        for a in &corpus.articles {
            writeln!(out, "{}  {}  {}", a.date, a.source, a.title)?;
        }
        Ok(())
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_what_a_terminal_would_act_on_and_stays_the_same_value() {
        let value =
            serde_json::json!({"path": "a\u{9b}2J\u{7f}\u{202e}b\u{e0041}\x1b[0m", "t": "标题 \u{200d}"});
        let json = serde_json::to_string_pretty(&value).unwrap();
        let safe = terminal_safe_json(&json);
        assert!(
            safe.chars().all(|c| c == '\n' || !(c.is_control() || ('\u{200b}'..='\u{206f}').contains(&c)))
        );
        assert!(safe.contains("\\u009b") && safe.contains("\\udb40\\udc41"), "{safe}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&safe).unwrap(), value);
        let plain = "[\n  {\"a\": \"标题\"}\n]";
        assert!(matches!(terminal_safe_json(plain), std::borrow::Cow::Borrowed(_)));
    }
}
