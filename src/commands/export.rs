//! `yuedu export`: tagged or filtered articles as a Markdown checklist, JSON or CSV.

use std::io::{self, Write};

mod notes;

use super::bodies::{self, FactsNeed};
use super::csv::csv_cell;
use super::{CommandError, Env, ListFormat, ListOptions, paths, write_out};
use crate::corpus::{self, Article, ArticleId, Corpus};
use crate::facts::FactTable;
use crate::tags::{Store, TagsError, validate};

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
    /// Write the indicators of the chosen articles instead, one per line.
    pub iocs: bool,
    /// Markdown with each article's cleaned text (notes apps).
    pub with_body: bool,
}

/// `yuedu export`. With `--tag`, only the tagged articles are read from a current index (the
/// chunks that hold them); otherwise, or when the index is stale, the corpus is loaded.
pub fn run(env: &Env<'_>, opts: &ExportOptions, out: &mut dyn Write) -> Result<usize, CommandError> {
    if opts.iocs && opts.format == ExportFormat::Md {
        return Err(CommandError::NotFound("export --iocs writes --format csv or json".into()));
    }
    if opts.with_body && (opts.format != ExportFormat::Md || opts.iocs) {
        return Err(CommandError::NotFound("export --with-body writes --format md".into()));
    }
    if opts.with_body {
        env.load_rules()?;
    }
    let choice = env.choose()?;
    let need = if opts.iocs { FactsNeed::Current } else { list_options(opts).facts_need()? };
    let store = env.open_store()?;
    let want = wanted_tags(opts)?;
    let tagged = || -> Option<Corpus> {
        let ids: Vec<ArticleId> = store
            .entries()
            .filter(|(_, e)| want.iter().all(|t| e.tags.contains(t)))
            .filter_map(|(id, _)| id.parse().ok())
            .collect();
        let articles = corpus::cache::articles_by_id(&choice.path, env.cache_dir?, &ids)?;
        Some(Corpus { root: choice.path.clone(), articles, ..Corpus::default() })
    };
    // The bodies are cleaned with the corpus's learnt templates: a full load has them.
    let corpus = match (!want.is_empty() && !opts.with_body).then(tagged).flatten() {
        Some(c) => c,
        None => env.load(&choice)?,
    };
    let facts = bodies::facts_for(env, &choice, need)?.unwrap_or_default();
    let n = export(&corpus, &store, &facts, opts, out)?;
    std::mem::forget(corpus);
    Ok(n)
}

fn list_options(opts: &ExportOptions) -> ListOptions {
    ListOptions {
        filter: opts.filter.clone(),
        source: None,
        format: ListFormat::Tsv,
        count: false,
        non_empty: false,
        unread: false,
        tags: Vec::new(),
        stories: false,
    }
}

fn wanted_tags(opts: &ExportOptions) -> Result<Vec<String>, CommandError> {
    let want = opts
        .tags
        .iter()
        .map(|t| validate::normalize(t).ok_or_else(|| TagsError::InvalidTag(t.clone())))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(want)
}

/// The articles `export` writes: those `list --filter` would print, narrowed to the tags.
pub fn select<'a>(
    corpus: &'a Corpus,
    store: &Store,
    facts: &FactTable,
    opts: &ExportOptions,
) -> Result<Vec<&'a Article>, CommandError> {
    let want = wanted_tags(opts)?;
    let mut rows = super::list::select(corpus, store, facts, &list_options(opts))?;
    if !want.is_empty() {
        rows.retain(|a| {
            let id = a.id.to_string();
            want.iter().all(|t| store.has_tag(&id, t))
        });
    }
    Ok(rows)
}

/// `export`: every selected article's title, date, source, url, tags and path; with `iocs`,
/// their indicators instead. Returns the rows written.
pub fn export(
    corpus: &Corpus,
    store: &Store,
    facts: &FactTable,
    opts: &ExportOptions,
    out: &mut dyn Write,
) -> Result<usize, CommandError> {
    let rows = select(corpus, store, facts, opts)?;
    if opts.iocs {
        return super::iocs::export(&rows, facts, opts.format == ExportFormat::Csv, out);
    }
    write_out(out, |out| match opts.format {
        ExportFormat::Md if opts.with_body => notes::write(&rows, store, &corpus.templates, out),
        ExportFormat::Md => write_md(&rows, store, out),
        ExportFormat::Json => write_json(&rows, store, out),
        ExportFormat::Csv => write_csv(&rows, store, out),
    })?;
    Ok(rows.len())
}

/// The exact path on one line, escaped where it must be (see [`paths`]).
fn shown_path(a: &Article) -> String {
    paths::escaped(&a.path)
}

/// Backslash-escapes what Markdown would read as markup, so a title stays text.
pub(super) fn md_text(s: &str) -> String {
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
pub(super) fn md_link_target(url: &str) -> Option<String> {
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
    /// The path was not UTF-8, so `path` holds it escaped.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    path_escaped: bool,
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
                path_escaped: paths::for_json(&a.path).1,
                path: paths::for_json(&a.path).0,
                id,
            }
        })
        .collect();
    let json = serde_json::to_string_pretty(&items).map_err(io::Error::other)?;
    writeln!(out, "{}", super::terminal_safe_json(&json))
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
}
