//! The worker's article read: the file from disk, cleaned and laid out for one width. The only
//! place the reader's bodies are read, so the model never waits on the disk.

use yuedu_core::corpus::{self, Article};
use yuedu_core::document::boilerplate::{self, Templates};
use yuedu_core::document::{self, AmbiWidth, Line, RenderOptions, Span, Style};

use crate::reader::{Rendered, dim, plain};
use crate::text;

/// Reads, cleans and renders one article. Never fails: a problem becomes the text shown.
pub fn render(
    article: &Article,
    templates: &Templates,
    width: usize,
    raw: bool,
    ambiwidth: AmbiWidth,
) -> Rendered {
    let width = width.max(1);
    let body = match corpus::read_body(&article.path) {
        Ok(b) => b,
        Err(e) => {
            let msg = document::sanitize(&e.to_string()).into_owned();
            let lines = text::wrap(&format!("Cannot show this article: {msg}"), width)
                .into_iter()
                .map(plain)
                .collect();
            return Rendered { lines, error: Some(msg), ..Rendered::default() };
        }
    };
    let mut out = Rendered::default();
    let meta = boilerplate::Meta {
        title: &article.title,
        source: &article.source,
        url: article.url.as_deref().unwrap_or(""),
    };
    let cleaned = boilerplate::clean_with(&body.text, &meta, templates);
    out.hidden_lines = cleaned.hidden_lines;
    out.empty = cleaned.empty;
    if raw {
        let expanded = text::expand_tabs(&body.text);
        out.lines = text::wrap(expanded.trim_end(), width).into_iter().map(plain).collect();
    } else if cleaned.empty {
        // The URL gets lines of its own so it is never split in the middle of the note.
        let (lead, url) = match article.url.as_deref() {
            Some(u) => ("No article text was captured. Open the original:", u),
            None => ("No article text was captured, and the file has no URL.", ""),
        };
        out.lines = text::wrap(lead, width).into_iter().map(plain).collect();
        let link = Style { link: true, ..Style::default() };
        out.lines.extend(
            text::wrap(url, width)
                .into_iter()
                .filter(|l| !l.is_empty())
                .map(|l| Line { spans: vec![Span { text: l, style: link }] }),
        );
    } else {
        let doc = document::parse(&cleaned.markdown);
        out.lines = doc.render(&RenderOptions { width, ambiwidth });
        out.links = doc.links;
    }
    if body.cut_lines > 0 {
        out.lines.push(Line::default());
        out.lines.extend(text::wrap(&corpus::cut::note(body.cut_lines), width).into_iter().map(dim));
    }
    if body.truncated {
        out.lines.push(Line::default());
        out.lines.push(dim(format!(
            "(the file is larger than {} MB; the rest was not read)",
            corpus::MAX_BODY_BYTES / (1024 * 1024)
        )));
    }
    out
}
