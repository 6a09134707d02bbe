//! `yuedu list`: articles as TSV or JSON rows, newest first or ranked by a filter.

use std::collections::HashMap;
use std::io::{self, Write};

use super::bodies::{self, FactsNeed};
use super::{CommandError, CorpusChoice, Env, ok_on_pipe, paths, write_out};
use crate::corpus::{Article, ArticleId, Corpus};
use crate::facts::FactTable;
use crate::filter::{self, Query, Record};
use crate::index::stories::StoryTable;
use crate::tags::Store;

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
    /// Leave out the articles the body pass found empty.
    pub non_empty: bool,
    /// Only articles not marked read.
    pub unread: bool,
    /// Only articles with every one of these tags (case-blind).
    pub tags: Vec<String>,
    /// One row per story: its earliest selected copy, the count and the sources.
    pub stories: bool,
}

/// A value as one quoted filter term (quotes inside cannot be written, so they are dropped).
fn term(field: &str, value: &str) -> String {
    let v: String = value.chars().filter(|c| !matches!(c, '"' | '“' | '”')).collect();
    format!("{field}:\"{}\"", v.trim())
}

impl ListOptions {
    /// The one filter query the options come to: `--source X` is `source:"X"` (substring,
    /// case-blind, as in the reader), each `--tag T` is `tag:"T"`.
    pub fn query_text(&self) -> Option<String> {
        let mut parts: Vec<String> = self.filter.iter().filter(|q| !q.trim().is_empty()).cloned().collect();
        parts.extend(self.source.iter().map(|s| term("source", s)));
        parts.extend(self.tags.iter().map(|t| term("tag", t)));
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// How much listing needs the body pass's facts.
    pub fn facts_need(&self) -> Result<FactsNeed, CommandError> {
        let entity_terms = match self.query_text() {
            Some(q) => Query::parse_strict(&q)?.has_entity_terms(),
            None => false,
        };
        Ok(if entity_terms || self.non_empty {
            FactsNeed::Current
        } else if self.format == ListFormat::Json && !self.count {
            FactsNeed::IfIndexed
        } else {
            FactsNeed::None
        })
    }
}

/// The articles `list` prints: matched by the filter (best first) or all, newest first.
pub fn select<'a>(
    corpus: &'a Corpus,
    store: &Store,
    facts: &FactTable,
    opts: &ListOptions,
) -> Result<Vec<&'a Article>, CommandError> {
    let read: std::collections::HashSet<u64> = if opts.unread {
        store
            .entries()
            .filter(|(_, e)| e.read)
            .filter_map(|(id, _)| Some(id.parse::<ArticleId>().ok()?.0))
            .collect()
    } else {
        Default::default()
    };
    let dropped = |a: &Article| {
        (opts.non_empty && facts.is_empty_page(a.id) == Some(true)) || (opts.unread && read.contains(&a.id.0))
    };
    let by_source = |a: &&Article| !dropped(a);
    let Some(q) = opts.query_text() else {
        return Ok(corpus.articles.iter().filter(by_source).collect());
    };
    let query = Query::parse_strict(&q)?;
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
            Record { title: &a.title, source: &a.source, date: a.date, tags, entities: facts.entities(a.id) }
        })
        .collect();
    // One pass: the filter prepares each title as it matches it, and nothing is kept.
    let hits = filter::filter(&query, &records, &filter::Prepared::default(), None);
    Ok(hits.iter().map(|h| &corpus.articles[h.index]).filter(by_source).collect())
}

/// Writes the selected rows. `facts` and `stories` are None when there is no body index yet:
/// JSON rows then say `"empty": null`, `"story": null`, `"copies": null`.
pub fn list(
    corpus: &Corpus,
    store: &Store,
    facts: Option<&FactTable>,
    stories: Option<&StoryTable>,
    opts: &ListOptions,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    let none = FactTable::default();
    let rows = select(corpus, store, facts.unwrap_or(&none), opts)?;
    if opts.stories {
        let folded = super::story_rows::fold(&rows, stories);
        if opts.count {
            return ok_on_pipe(writeln!(out, "{}", folded.len()));
        }
        return ok_on_pipe(match opts.format {
            ListFormat::Tsv => super::story_rows::write_tsv(&folded, out),
            ListFormat::Json => super::story_rows::write_json(&folded, out),
        });
    }
    if opts.count {
        return ok_on_pipe(writeln!(out, "{}", rows.len()));
    }
    ok_on_pipe(match opts.format {
        ListFormat::Tsv => write_tsv(&rows, store, out),
        ListFormat::Json => write_json(&rows, store, facts, stories, out),
    })
}

fn tsv_cell(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// `list --count` without a filter: from the index's checks alone when nothing changed, so no
/// article is decoded.
fn cached_count(env: &Env<'_>, choice: &CorpusChoice, opts: &ListOptions) -> Option<usize> {
    if !opts.count || opts.query_text().is_some() || opts.non_empty || opts.unread || opts.stories {
        return None;
    }
    crate::corpus::cache::count(&choice.path, env.cache_dir?)
}

/// `yuedu list`.
pub fn run(env: &Env<'_>, opts: &ListOptions, out: &mut dyn Write) -> Result<(), CommandError> {
    let choice = env.choose()?;
    if let Some(n) = cached_count(env, &choice, opts) {
        return write_out(out, |out| writeln!(out, "{n}"));
    }
    let need = opts.facts_need()?;
    let corpus = env.load(&choice)?;
    let store = env.open_store()?;
    let facts = bodies::facts_for(env, &choice, need)?;
    let stories = if opts.stories {
        bodies::stories_for(env, &choice, FactsNeed::Current)?
    } else if opts.format == ListFormat::Json && !opts.count {
        bodies::stories_for(env, &choice, FactsNeed::IfIndexed)?
    } else {
        None
    };
    list(&corpus, &store, facts.as_ref(), stories.as_ref(), opts, out)?;
    ok_on_pipe(out.flush())?;
    // 150,000 articles take longer to free one by one than the OS takes to drop the lot.
    std::mem::forget(corpus);
    Ok(())
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
            paths::escaped(&a.path)
        )?;
    }
    Ok(())
}

fn write_json(
    rows: &[&Article],
    store: &Store,
    facts: Option<&FactTable>,
    stories: Option<&StoryTable>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|a| {
            let (path, escaped) = paths::for_json(&a.path);
            let mut row = serde_json::json!({
                "id": a.id.to_string(),
                "date": a.date.to_string(),
                "source": a.source,
                "title": a.title,
                "tags": store.tags(&a.id.to_string()),
                "path": path,
                "url": a.url,
                "empty": facts.and_then(|f| f.is_empty_page(a.id)),
            });
            let story = stories.map(|t| t.story_of(a.id).unwrap_or((a.id, 1)));
            row["story"] = story.map(|(s, _)| s.to_string()).into();
            row["copies"] = story.map(|(_, n)| n).into();
            if escaped {
                row["path_escaped"] = true.into();
            }
            row
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
    // C0 controls inside strings are already escaped; outside them there is only whitespace.
    let risky = |c: char| c >= '\u{7f}' && paths::hides_or_acts(c);
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
