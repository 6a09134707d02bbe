//! The reading pane's state: which article is shown, its rendered lines (cached per article and
//! width), the header, the scroll position, and the raw-view toggle.

use std::num::NonZeroUsize;
use std::sync::Arc;

use yuedu_core::corpus::{self, Article};
use yuedu_core::document::boilerplate::{self, Templates};
use yuedu_core::document::{self, AmbiWidth, Line, RenderOptions, Span, Style};

use super::text;

/// How many rendered articles are kept; a resize or a step back costs no re-render.
const CACHE_SIZE: usize = 16;

/// An article's body as lines for one width.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub lines: Vec<Line>,
    /// Lines of page chrome the cleaner removed.
    pub hidden_lines: usize,
    /// No article text survived cleaning.
    pub empty: bool,
    /// The file could not be read.
    pub error: Option<String>,
}

/// What the reading pane shows.
#[derive(Debug, Clone)]
pub struct Reader {
    /// Index into the corpus's articles.
    pub index: usize,
    pub scroll: usize,
    pub raw: bool,
    /// Title, source, date, url, tags and the chrome note, wrapped to `width`.
    pub header: Vec<Line>,
    pub body: Arc<Rendered>,
    pub width: usize,
}

impl Reader {
    pub fn total(&self) -> usize {
        self.header.len() + self.body.lines.len()
    }

    /// Row `i` of header then body.
    pub fn line(&self, i: usize) -> Option<&Line> {
        if i < self.header.len() { self.header.get(i) } else { self.body.lines.get(i - self.header.len()) }
    }

    pub fn max_scroll(&self, height: usize) -> usize {
        self.total().saturating_sub(height.max(1))
    }

    /// How far through the article the bottom of the view is, 0..=100.
    pub fn percent(&self, height: usize) -> usize {
        let total = self.total();
        if total <= height {
            return 100;
        }
        ((self.scroll + height) * 100 / total).min(100)
    }
}

type Key = (usize, usize, bool);

/// Rendered bodies by (article, width, raw).
pub struct RenderCache {
    lru: lru::LruCache<Key, Arc<Rendered>>,
}

impl Default for RenderCache {
    fn default() -> Self {
        RenderCache { lru: lru::LruCache::new(NonZeroUsize::new(CACHE_SIZE).unwrap_or(NonZeroUsize::MIN)) }
    }
}

impl RenderCache {
    pub fn get(
        &mut self,
        index: usize,
        article: &Article,
        templates: &Templates,
        width: usize,
        raw: bool,
        ambiwidth: AmbiWidth,
    ) -> Arc<Rendered> {
        let key = (index, width, raw);
        if let Some(r) = self.lru.get(&key) {
            return Arc::clone(r);
        }
        let r = Arc::new(render(article, templates, width, raw, ambiwidth));
        self.lru.put(key, Arc::clone(&r));
        r
    }

    pub fn len(&self) -> usize {
        self.lru.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lru.is_empty()
    }

    pub fn clear(&mut self) {
        self.lru.clear();
    }
}

fn dim(text: String) -> Line {
    Line { spans: vec![Span { text, style: Style { dim: true, ..Style::default() } }] }
}

fn plain(text: String) -> Line {
    Line { spans: vec![Span { text, style: Style::default() }] }
}

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

/// The header lines above the body.
pub fn header(
    article: &Article,
    tags: &[String],
    body: &Rendered,
    raw: bool,
    raw_key: Option<&str>,
    width: usize,
) -> Vec<Line> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let bold = Style { bold: true, heading: 1, ..Style::default() };
    for l in text::wrap(&article.title, width) {
        lines.push(Line { spans: vec![Span { text: l, style: bold }] });
    }
    let mut meta = vec![
        Span { text: article.source.clone(), style: Style { bold: true, ..Style::default() } },
        Span { text: format!("  {}", article.date), style: Style::default() },
    ];
    for t in tags {
        meta.push(Span { text: "  ".into(), style: Style::default() });
        let t = document::sanitize(t);
        meta.push(Span { text: format!("[{t}]"), style: Style { code: true, ..Style::default() } });
    }
    // The meta line is cut, not wrapped: it is one fact per word and the tags are in the list too.
    let meta_text: String = meta.iter().map(|s| s.text.as_str()).collect();
    if text::width(&meta_text) <= width {
        lines.push(Line { spans: meta });
    } else {
        lines.push(plain(text::truncate(&meta_text, width)));
    }
    if let Some(url) = &article.url {
        for l in text::wrap(url, width) {
            lines.push(Line {
                spans: vec![Span { text: l, style: Style { link: true, ..Style::default() } }],
            });
        }
    }
    let key = raw_key.map(|k| format!(" ({k} toggles)")).unwrap_or_default();
    let note = if raw {
        Some(format!("Raw view: the body as scraped, page chrome included{key}"))
    } else if body.hidden_lines > 0 {
        let n = body.hidden_lines;
        Some(format!("{n} line{} of page chrome hidden{key}", if n == 1 { "" } else { "s" }))
    } else {
        None
    };
    if let Some(note) = note {
        for l in text::wrap(&note, width) {
            lines.push(dim(l));
        }
    }
    lines.push(Line::default());
    lines
}
