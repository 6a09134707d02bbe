//! `export --with-body`: one Markdown section per article with its cleaned text, for notes apps
//! such as Obsidian.

use std::io::{self, Write};

use super::{md_link_target, md_text};
use crate::corpus::{self, Article};
use crate::document::{self, boilerplate};
use crate::tags::Store;

/// `## title`, a line of source, date, tags and the link, then the article's paragraphs (the
/// text `show --plain` prints), Markdown-escaped so scraped text stays text.
pub fn write(
    rows: &[&Article],
    store: &Store,
    templates: &boilerplate::Templates,
    out: &mut dyn Write,
) -> io::Result<()> {
    for (n, a) in rows.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(out, "## {}", md_text(&a.title))?;
        let mut meta = vec![md_text(&a.source), a.date.to_string()];
        let tags = store.tags(&a.id.to_string());
        if !tags.is_empty() {
            meta.push(
                tags.iter()
                    .map(|t| format!("#{}", md_text(t).replace(' ', "-")))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        if let Some(target) = a.url.as_deref().and_then(md_link_target) {
            meta.push(format!("[original]({target})"));
        }
        meta.push(format!("id {}", a.id));
        writeln!(out, "{}\n", meta.join(" · "))?;
        let text = match corpus::read_body(&a.path) {
            Ok(body) => {
                let meta = boilerplate::Meta {
                    title: &a.title,
                    source: &a.source,
                    url: a.url.as_deref().unwrap_or(""),
                };
                let plain = document::clean_plain(&body.text, &meta, templates);
                if plain.empty { "*No article text was captured.*".to_string() } else { plain.text }
            }
            Err(e) => format!("*Cannot read this article: {}*", md_text(&document::sanitize(&e.to_string()))),
        };
        for para in text.lines().map(str::trim).filter(|p| !p.is_empty()) {
            if para.starts_with('*') && para.ends_with('*') && para.len() > 2 && !text.contains('\n') {
                writeln!(out, "{para}\n")?;
            } else {
                writeln!(out, "{}\n", md_text(para))?;
            }
        }
    }
    Ok(())
}
