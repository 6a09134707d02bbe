//! `list --stories`: the selected rows folded into one per story (the same news republished
//! by many accounts), each shown by its earliest copy with the count and the sources.

use std::collections::HashMap;
use std::io::{self, Write};

use super::paths;
use crate::corpus::Article;
use crate::index::stories::StoryTable;

/// One story among the selected rows.
pub struct Folded<'a> {
    /// The earliest selected copy (by date, ties by id).
    pub first: &'a Article,
    /// The story id ([`StoryTable`]), or the article's own id without a table.
    pub story: crate::corpus::ArticleId,
    /// Copies among the selected rows.
    pub copies: usize,
    /// Their distinct sources, in row order.
    pub sources: Vec<&'a str>,
}

/// Folds `rows` by story, keeping the order in which each story first appears (newest copy
/// first, or best match first under a filter). Without a table every row is its own story.
pub fn fold<'a>(rows: &[&'a Article], stories: Option<&StoryTable>) -> Vec<Folded<'a>> {
    let mut out: Vec<Folded<'a>> = Vec::new();
    let mut at: HashMap<u64, usize> = HashMap::new();
    for a in rows {
        let story = stories.and_then(|t| t.story_id(a.id)).unwrap_or(a.id);
        match at.get(&story.0) {
            Some(&i) => {
                let f = &mut out[i];
                f.copies += 1;
                if (a.date, a.id.0) < (f.first.date, f.first.id.0) {
                    f.first = a;
                }
                if !f.sources.contains(&a.source.as_str()) {
                    f.sources.push(&a.source);
                }
            }
            None => {
                at.insert(story.0, out.len());
                out.push(Folded { first: a, story, copies: 1, sources: vec![&a.source] });
            }
        }
    }
    out
}

fn cell(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// story id, earliest date, copies, sources (comma-separated), title, path of the earliest copy.
pub fn write_tsv(rows: &[Folded<'_>], out: &mut dyn Write) -> io::Result<()> {
    for f in rows {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}",
            f.story,
            f.first.date,
            f.copies,
            cell(&f.sources.join(",")),
            cell(&f.first.title),
            paths::escaped(&f.first.path)
        )?;
    }
    Ok(())
}

pub fn write_json(rows: &[Folded<'_>], out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|f| {
            let (path, escaped) = paths::for_json(&f.first.path);
            let mut row = serde_json::json!({
                "story": f.story.to_string(),
                "id": f.first.id.to_string(),
                "date": f.first.date.to_string(),
                "copies": f.copies,
                "sources": f.sources,
                "source": f.first.source,
                "title": f.first.title,
                "path": path,
                "url": f.first.url,
            });
            if escaped {
                row["path_escaped"] = true.into();
            }
            row
        })
        .collect();
    let json = serde_json::to_string_pretty(&items).map_err(io::Error::other)?;
    writeln!(out, "{}", super::list::terminal_safe_json(&json))
}
