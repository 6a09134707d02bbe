//! The reading pane's state: which article is shown, its rendered lines (cached per article and
//! width), the header, the scroll position, and the raw-view toggle.

use std::num::NonZeroUsize;
use std::sync::Arc;

use yuedu_core::corpus::Article;
use yuedu_core::document::{self, Line, Span, Style};

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
    /// A stand-in while the worker reads the article.
    pub loading: bool,
    /// The article's links by their number in the text (`l` N opens one).
    pub links: Vec<document::Link>,
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
    /// While the body for a new width loads: the scroll and line count to keep the place by.
    pub anchor: Option<(usize, usize)>,
}

impl Reader {
    pub fn new(index: usize, raw: bool, header: Vec<Line>, body: Arc<Rendered>, width: usize) -> Reader {
        Reader { index, scroll: 0, raw, header, body, width, anchor: None }
    }

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
    /// The rendered body for this key, if the worker has delivered it.
    pub fn get(&mut self, index: usize, width: usize, raw: bool) -> Option<Arc<Rendered>> {
        self.lru.get(&(index, width, raw)).map(Arc::clone)
    }

    pub fn put(&mut self, index: usize, width: usize, raw: bool, rendered: Arc<Rendered>) {
        self.lru.put((index, width, raw), rendered);
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

impl Rendered {
    /// What the pane shows while the worker reads the article.
    pub fn loading() -> Rendered {
        Rendered { lines: vec![dim("Loading…".into())], loading: true, ..Rendered::default() }
    }
}

pub(crate) fn dim(text: String) -> Line {
    Line { spans: vec![Span { text, style: Style { dim: true, ..Style::default() } }] }
}

pub(crate) fn plain(text: String) -> Line {
    Line { spans: vec![Span { text, style: Style::default() }] }
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
    // One line, cut in the middle: a WeChat URL would take three rows of a 24-row screen, and
    // `y` copies it whole.
    if let Some(url) = article.url.as_deref().filter(|u| !u.is_empty()) {
        lines.push(Line {
            spans: vec![Span {
                text: text::middle(url, width),
                style: Style { link: true, ..Style::default() },
            }],
        });
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
