//! `yuedu show`: one article as text, wrapped to a width, from a path or an id.

use std::io::{self, Write};
use std::path::Path;

use super::{CommandError, CorpusChoice, Env, write_out};
use crate::corpus::{self, Article};
use crate::document::boilerplate::{self, Templates};
use crate::document::{self, AmbiWidth, RenderOptions};
use crate::tags::Store;

/// The narrowest `--width`: below it a header line cannot show a date and a source.
pub const MIN_WIDTH: usize = 20;

#[derive(Debug, Clone, Copy)]
pub struct ShowOptions {
    pub width: usize,
    pub plain: bool,
    pub raw: bool,
    /// Each block with the reason it was kept or dropped (see [`write_explain`]).
    pub explain: bool,
    pub ambiwidth: AmbiWidth,
}

/// `show PATH|ID`. A path is read on its own; an id needs the corpus, so `corpus` is only called
/// then, and a current index finds it by decoding one chunk. A path inside the corpus gets its
/// source's template from the index cache when there is one.
pub fn show(
    key: &str,
    corpus: impl FnOnce() -> Result<CorpusChoice, CommandError>,
    cache_dir: Option<&Path>,
    opts: &ShowOptions,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    let (article, templates) = article_for(key, corpus, cache_dir)?;
    let body = corpus::read_body(&article.path)?;
    write_out(out, |out| {
        write_article(&article, &body.text, &templates, &Store::default(), opts, out)?;
        if body.cut_lines > 0 {
            writeln!(out, "\n{}", corpus::cut::note(body.cut_lines))?;
        }
        Ok(())
    })
}

/// The article `key` names (a path, read on its own, or an id in the corpus) and the templates
/// to clean it with.
pub fn article_for(
    key: &str,
    corpus: impl FnOnce() -> Result<CorpusChoice, CommandError>,
    cache_dir: Option<&Path>,
) -> Result<(Article, Templates), CommandError> {
    let path = Path::new(key);
    Ok(if path.is_file() {
        let article = corpus::load_file(path).map_err(CommandError::Unloadable)?;
        // Without a cache there are no templates to find: the corpus is not even chosen then.
        let templates = cache_dir
            .and_then(|dir| corpus().ok().map(|choice| (dir, choice)))
            .filter(|(_, choice)| inside(path, &choice.path))
            .and_then(|(dir, choice)| corpus::cache::templates(&choice.path, dir))
            .unwrap_or_default();
        (article, templates)
    } else {
        if let Some(meta) = std::fs::metadata(path).ok().filter(|m| !m.is_dir()) {
            // Something is there, but not a file to read (a FIFO would block, a device not end).
            let what = corpus::special_kind(&meta.file_type());
            return Err(CommandError::NotFound(format!(
                "{}: {what}, not a regular file",
                corpus::shown(path)
            )));
        }
        let found = super::find(&corpus()?, cache_dir, key)?;
        match found.article {
            Ok(a) => (a, found.templates),
            Err(msg) if path.components().count() > 1 || key.contains('.') => {
                return Err(CommandError::NotFound(format!("no such file, and {msg}")));
            }
            Err(msg) => return Err(CommandError::NotFound(msg)),
        }
    })
}

/// `yuedu show`: [`show`] with the corpus the command line chose.
pub fn run(env: &Env<'_>, key: &str, opts: &ShowOptions, out: &mut dyn Write) -> Result<(), CommandError> {
    env.load_rules()?;
    show(key, || env.choose(), env.cache_dir, opts, out)
}

/// `s` in pieces of at most `width` columns (a grapheme wider than that gets a piece of its own).
fn split_to_width(s: &str, width: usize, ambi: AmbiWidth) -> Vec<String> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = document::width::grapheme_width(g, ambi);
        if used + w > width && used > 0 {
            pieces.push(String::new());
            used = 0;
        }
        used += w;
        if let Some(p) = pieces.last_mut() {
            p.push_str(g);
        }
    }
    pieces
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
    if opts.explain {
        return write_explain(&boilerplate::explain_with(body, &meta, templates), opts, out);
    }
    if opts.plain {
        // The same text the body search indexes.
        let text = document::clean_plain(body, &meta, templates).text;
        return if text.trim().is_empty() { Ok(()) } else { writeln!(out, "{}", text.trim_end()) };
    }
    let cleaned = boilerplate::clean_with(body, &meta, templates);
    let doc = document::parse(&cleaned.markdown);
    let render = RenderOptions { width: opts.width.max(1), ambiwidth: opts.ambiwidth };
    // The header wraps like the body: titles and URLs from the web are often wider than the page.
    let wrapped = |out: &mut dyn Write, text: &str| -> io::Result<()> {
        for line in document::wrap_text(text, &render) {
            writeln!(out, "{}", line.plain_text().trim_end())?;
        }
        Ok(())
    };
    wrapped(out, &a.title)?;
    wrapped(out, &format!("{} · {}", a.source, a.date))?;
    // Cut at the width with no wrap marker, so the pieces join back into the URL.
    let url = |out: &mut dyn Write, u: &str| -> io::Result<()> {
        for piece in split_to_width(&document::sanitize(u), render.width, render.ambiwidth) {
            writeln!(out, "{piece}")?;
        }
        Ok(())
    };
    if let Some(u) = &a.url {
        url(out, u)?;
    }
    let tags = store.tags(&a.id.to_string());
    if !tags.is_empty() {
        wrapped(out, &format!("tags: {}", tags.join(", ")))?;
    }
    writeln!(out)?;
    if cleaned.empty {
        return match &a.url {
            Some(u) => {
                wrapped(out, "No article text was captured. Open the original:").and_then(|()| url(out, u))
            }
            None => wrapped(out, "No article text was captured, and the file has no URL."),
        };
    }
    for line in doc.render(&render) {
        writeln!(out, "{}", line.plain_text().trim_end())?;
    }
    Ok(())
}

/// Widest excerpt of a block's first line in `--explain`, in columns.
const EXPLAIN_EXCERPT: usize = 60;

/// One line per block: kept or dropped, the reason, the body lines, the start of its text; then
/// the reasons used, explained, and whether the page came out empty.
fn write_explain(x: &boilerplate::Explained, opts: &ShowOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut used = Vec::new();
    for b in &x.blocks {
        let text = x.lines[b.first..b.end].iter().map(|l| l.trim()).find(|l| !l.is_empty()).unwrap_or("");
        let text = document::sanitize(text);
        let room = opts.width.saturating_sub(32).clamp(10, EXPLAIN_EXCERPT);
        let excerpt = split_to_width(&text, room, opts.ambiwidth).into_iter().next().unwrap_or_default();
        let more = if excerpt.len() < text.len() { "…" } else { "" };
        let kept = b.reason == boilerplate::Reason::Content && !x.empty;
        let lines = if b.end > b.first + 1 {
            format!("{}-{}", b.first + 1, b.end)
        } else {
            format!("{}", b.first + 1)
        };
        writeln!(
            out,
            "{} {:<12} {:>9}  {excerpt}{more}",
            if kept { "keep" } else { "drop" },
            b.reason.name(),
            lines
        )?;
        if !used.contains(&b.reason) {
            used.push(b.reason);
        }
    }
    writeln!(out)?;
    for r in used {
        writeln!(out, "{:<12} {}", r.name(), r.describe())?;
    }
    if x.empty {
        writeln!(out, "empty page: no article text is left, so nothing is kept")?;
    }
    writeln!(out, "(line numbers count body lines, after the front matter)")
}
