//! `yuedu tags add|rm|list` and `yuedu export`: tagging from the shell and reports from tags.

use std::io::{self, Write};

use crate::commands::{self, CommandError, ListFormat, ListOptions};
use crate::corpus::{Article, Corpus};
use crate::document::sanitize;
use crate::tags::{Store, TagsError, validate};

#[derive(Debug, thiserror::Error)]
pub enum TagCommandError {
    #[error(transparent)]
    Command(#[from] CommandError),
    #[error(transparent)]
    Tags(#[from] TagsError),
    #[error("{0}")]
    NotFound(String),
    #[error("writing output: {0}")]
    Output(#[from] io::Error),
}

/// Treats a closed pipe (`yuedu export | head`) as a normal end.
fn ok_on_pipe(r: io::Result<()>) -> Result<(), TagCommandError> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// The full id for `key`: a unique prefix of an article in the corpus or, with `orphans`, of an
/// entry in the store whose article is gone (so its tags can still be seen and removed).
pub fn resolve(corpus: &Corpus, store: &Store, key: &str, orphans: bool) -> Result<String, TagCommandError> {
    let err = match corpus.find(key) {
        Ok(a) => return Ok(a.id.to_string()),
        Err(msg) => msg,
    };
    let k = key.trim().to_ascii_lowercase();
    let in_corpus = corpus.articles.iter().any(|a| a.id.to_string().starts_with(&k));
    if orphans && !in_corpus && k.len() >= 4 && k.chars().all(|c| c.is_ascii_hexdigit()) {
        let mut hits = store.entries().map(|(id, _)| id).filter(|id| id.starts_with(&k));
        if let (Some(id), None) = (hits.next(), hits.next()) {
            return Ok(id.to_string());
        }
    }
    Err(TagCommandError::NotFound(err))
}

fn write_id_tags(store: &Store, id: &str, out: &mut dyn Write) -> Result<(), TagCommandError> {
    ok_on_pipe(writeln!(out, "{id}\t{}", store.tags(id).join(",")))
}

/// `tags add ID TAG...`: prints the id and the article's tags afterwards.
pub fn add(
    corpus: &Corpus,
    store: &mut Store,
    key: &str,
    tags: &[String],
    out: &mut dyn Write,
) -> Result<(), TagCommandError> {
    let id = resolve(corpus, store, key, false)?;
    store.add(&id, tags)?;
    write_id_tags(store, &id, out)
}

/// `tags rm ID TAG...`: prints the id and the tags left. Works for an article that is gone.
pub fn remove(
    corpus: &Corpus,
    store: &mut Store,
    key: &str,
    tags: &[String],
    out: &mut dyn Write,
) -> Result<(), TagCommandError> {
    let id = resolve(corpus, store, key, true)?;
    store.remove(&id, tags)?;
    write_id_tags(store, &id, out)
}

/// `tags list`: `COUNT<TAB>TAG`, most used first.
pub fn list_all(store: &Store, out: &mut dyn Write) -> Result<(), TagCommandError> {
    ok_on_pipe((|| {
        for (tag, n) in store.counts() {
            writeln!(out, "{n}\t{tag}")?;
        }
        Ok(())
    })())
}

/// `tags list ID`: the article's tags, one per line.
pub fn list_one(
    corpus: &Corpus,
    store: &Store,
    key: &str,
    out: &mut dyn Write,
) -> Result<(), TagCommandError> {
    let id = resolve(corpus, store, key, true)?;
    ok_on_pipe((|| {
        for tag in store.tags(&id) {
            writeln!(out, "{tag}")?;
        }
        Ok(())
    })())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A checklist to paste into a report.
    Md,
    Json,
    Csv,
}

#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Articles must carry every one of these.
    pub tags: Vec<String>,
    /// Same syntax as `list --filter`.
    pub filter: Option<String>,
    pub format: ExportFormat,
}

/// The articles `export` writes: those `list --filter` would print, narrowed to the tags.
pub fn select<'a>(
    corpus: &'a Corpus,
    store: &Store,
    opts: &ExportOptions,
) -> Result<Vec<&'a Article>, TagCommandError> {
    let want = opts
        .tags
        .iter()
        .map(|t| validate::normalize(t).ok_or_else(|| TagsError::InvalidTag(t.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    let list =
        ListOptions { filter: opts.filter.clone(), source: None, format: ListFormat::Tsv, count: false };
    let mut rows = commands::select(corpus, store, &list)?;
    if !want.is_empty() {
        rows.retain(|a| {
            let id = a.id.to_string();
            want.iter().all(|t| store.has_tag(&id, t))
        });
    }
    Ok(rows)
}

/// `export`: every selected article's title, date, source, url, tags and path.
pub fn export(
    corpus: &Corpus,
    store: &Store,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> Result<usize, TagCommandError> {
    let rows = select(corpus, store, opts)?;
    ok_on_pipe(match opts.format {
        ExportFormat::Md => write_md(&rows, store, out),
        ExportFormat::Json => write_json(&rows, store, out),
        ExportFormat::Csv => write_csv(&rows, store, out),
    })?;
    Ok(rows.len())
}

/// The path on one line, with anything a terminal would act on made inert.
fn shown_path(a: &Article) -> String {
    sanitize(&a.path.to_string_lossy()).replace(['\n', '\r'], " ")
}

/// Backslash-escapes what Markdown would read as markup, so a title stays text.
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A link target only for web URLs; anything else (`javascript:`...) is shown, never linked.
fn md_link_target(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    Some(out)
}

/// `- [ ] [title](url) — source, date · tags <!-- path -->`: the path rides along in a comment,
/// kept for whoever follows up but hidden once the report is rendered.
fn write_md(rows: &[&Article], store: &Store, out: &mut dyn Write) -> io::Result<()> {
    for a in rows {
        let title = md_text(&a.title);
        let head = match a.url.as_deref().map(|u| (u, md_link_target(u))) {
            Some((_, Some(target))) => format!("[{title}]({target})"),
            Some((url, None)) => format!("{title} ({})", md_text(url)),
            None => title,
        };
        let tags = store.tags(&a.id.to_string());
        let tags = if tags.is_empty() { String::new() } else { format!(" · {}", md_text(&tags.join(", "))) };
        let path = shown_path(a).replace("-->", "--%3E");
        writeln!(out, "- [ ] {head} — {}, {}{tags} <!-- {path} -->", md_text(&a.source), a.date)?;
    }
    Ok(())
}

/// One article in `export --format json`, fields in the order a reader expects.
#[derive(serde::Serialize)]
struct JsonRow<'a> {
    id: String,
    title: &'a str,
    date: String,
    source: &'a str,
    url: Option<&'a str>,
    tags: Vec<String>,
    read: bool,
    path: std::borrow::Cow<'a, str>,
}

fn write_json(rows: &[&Article], store: &Store, out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<JsonRow<'_>> = rows
        .iter()
        .map(|a| {
            let id = a.id.to_string();
            JsonRow {
                title: &a.title,
                date: a.date.to_string(),
                source: &a.source,
                url: a.url.as_deref(),
                tags: store.tags(&id),
                read: store.is_read(&id),
                path: a.path.to_string_lossy(),
                id,
            }
        })
        .collect();
    let json = serde_json::to_string_pretty(&items).map_err(io::Error::other)?;
    writeln!(out, "{}", super::terminal_safe_json(&json))
}

/// RFC 4180 quoting, and a leading `'` on cells a spreadsheet would run as a formula: titles
/// come from the web.
fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

fn write_csv(rows: &[&Article], store: &Store, out: &mut dyn Write) -> io::Result<()> {
    write!(out, "id,title,date,source,url,tags,path,read\r\n")?;
    for a in rows {
        let id = a.id.to_string();
        let cells = [
            id.clone(),
            a.title.clone(),
            a.date.to_string(),
            a.source.clone(),
            a.url.clone().unwrap_or_default(),
            store.tags(&id).join(","),
            shown_path(a),
            store.is_read(&id).to_string(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        write!(out, "{}\r\n", line.join(","))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_title_stays_text() {
        assert_eq!(md_text("a [b](c) *d* <e> 1_2"), "a \\[b\\](c) \\*d\\* \\<e\\> 1\\_2");
    }

    #[test]
    fn only_web_urls_are_linked() {
        assert_eq!(
            md_link_target("https://x.example/a b(1)").as_deref(),
            Some("https://x.example/a%20b%281%29")
        );
        assert_eq!(md_link_target("javascript:alert(1)"), None);
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-1 day"), "'-1 day");
    }
}
