//! `yuedu iocs PATH|ID`: the indicators one article names, from its cleaned text; and the
//! writer of `export --iocs`.

use std::io::{self, Write};

use super::csv::csv_line;
use super::{CommandError, Env, ListFormat, ok_on_pipe, terminal_safe_json, write_out};
use crate::corpus::{self, Article};
use crate::document::{self, boilerplate};
use crate::entities::{self, Context, Entity};
use crate::facts::FactTable;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IocFormat {
    Tsv,
    Json,
    Csv,
}

impl From<ListFormat> for IocFormat {
    fn from(f: ListFormat) -> IocFormat {
        match f {
            ListFormat::Tsv => IocFormat::Tsv,
            ListFormat::Json => IocFormat::Json,
        }
    }
}

/// `yuedu iocs`: a path is read on its own (no corpus needed); an id is looked up in the
/// corpus. Either way the file is read and cleaned now, as `show --plain` would.
pub fn run(env: &Env<'_>, key: &str, format: IocFormat, out: &mut dyn Write) -> Result<(), CommandError> {
    env.load_rules()?;
    let rules = env.extract_rules()?;
    let (article, templates) = super::show::article_for(key, || env.choose(), env.cache_dir)?;
    let found = of_article(&article, &templates, &rules.extractor)?;
    write_out(out, |out| write_one(&article, &found, format, out))
}

/// The indicators of one article's cleaned text.
pub fn of_article(
    article: &Article,
    templates: &boilerplate::Templates,
    extractor: &entities::Extractor,
) -> Result<Vec<Entity>, CommandError> {
    let body = corpus::read_body(&article.path)?;
    let url = article.url.as_deref().unwrap_or("");
    let meta = boilerplate::Meta { title: &article.title, source: &article.source, url };
    let plain = document::clean_plain(&body.text, &meta, templates);
    Ok(extractor.extract(&plain.text, &Context { url: article.url.as_deref() }))
}

fn write_one(article: &Article, found: &[Entity], format: IocFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        IocFormat::Tsv => {
            for e in found {
                writeln!(out, "{}\t{}\t{}", e.kind.name(), cell(&e.value), e.count)?;
            }
            Ok(())
        }
        IocFormat::Csv => {
            write!(out, "{}", csv_line(&["kind", "value", "count"]))?;
            for e in found {
                write!(out, "{}", csv_line(&[e.kind.name(), &e.value, &e.count.to_string()]))?;
            }
            Ok(())
        }
        IocFormat::Json => {
            let items: Vec<serde_json::Value> = found
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "kind": e.kind.name(),
                        "value": e.value,
                        "count": e.count,
                        "defanged": entities::defang(e.kind, &e.value),
                        "suspect": crate::facts::is_suspect(article.date, e),
                    })
                })
                .collect();
            let json = serde_json::to_string_pretty(&items).map_err(io::Error::other)?;
            writeln!(out, "{}", terminal_safe_json(&json))
        }
    }
}

/// `export --iocs`: every indicator of `rows`, one per line with the article's id and date.
pub fn export(
    rows: &[&Article],
    facts: &FactTable,
    csv: bool,
    out: &mut dyn Write,
) -> Result<usize, CommandError> {
    let mut n = 0;
    let written = (|| -> io::Result<()> {
        if csv {
            write!(out, "{}", csv_line(&["id", "date", "kind", "value", "count", "source", "title"]))?;
            for a in rows {
                let (id, date) = (a.id.to_string(), a.date.to_string());
                for e in facts.entities(a.id) {
                    let count = e.count.to_string();
                    write!(
                        out,
                        "{}",
                        csv_line(&[&id, &date, e.kind.name(), &e.value, &count, &a.source, &a.title])
                    )?;
                    n += 1;
                }
            }
            return Ok(());
        }
        let mut items = Vec::new();
        for a in rows {
            for e in facts.entities(a.id) {
                items.push(serde_json::json!({
                    "id": a.id.to_string(),
                    "date": a.date.to_string(),
                    "kind": e.kind.name(),
                    "value": e.value,
                    "count": e.count,
                    "source": a.source,
                    "title": a.title,
                }));
            }
        }
        n = items.len();
        let json = serde_json::to_string_pretty(&items).map_err(io::Error::other)?;
        writeln!(out, "{}", terminal_safe_json(&json))
    })();
    ok_on_pipe(written)?;
    Ok(n)
}

/// Values come from scraped text: no tab, newline or terminal control reaches a TSV line.
fn cell(s: &str) -> String {
    document::sanitize(s).replace(['\t', '\n', '\r'], " ")
}
