//! Turns pulldown-cmark events into the document's blocks, sanitizing every piece of text.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::cjk::{self, MARKER};
use super::sanitize::sanitize;
use super::width::truncate_to_width;
use super::wrap::Styled;
use super::{AmbiWidth, Link, Style};

/// Containers nested deeper than this are flattened into their parent, so hostile input cannot
/// exhaust the stack of the layout pass or make the indent eat the whole width.
const MAX_DEPTH: usize = 24;

/// Longest image description kept in a placeholder, in columns.
const MAX_ALT: usize = 30;

/// HTML blocks with more tags than this skip html2text (which recurses over the DOM) and just
/// lose their tags.
const MAX_HTML_TAGS: usize = 300;

/// Inline text: what is displayed (with link markers and image placeholders), and the plain text
/// that `--plain` prints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Inline {
    pub shown: Styled,
    pub plain: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Para(Inline),
    Heading(u8, Inline),
    Code(Vec<String>),
    Quote(Vec<Block>),
    List { start: Option<u64>, items: Vec<Vec<Block>>, tight: bool },
    Rule,
    Table { aligns: Vec<Alignment>, head: Vec<Inline>, rows: Vec<Vec<Inline>> },
}

enum Frame {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
        tight: bool,
    },
    Item(Vec<Block>),
    /// A container past MAX_DEPTH: its blocks go to the parent.
    Flat(Vec<Block>),
    Table {
        aligns: Vec<Alignment>,
        head: Vec<Inline>,
        rows: Vec<Vec<Inline>>,
        row: Vec<Inline>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LeafKind {
    Para,
    Heading(u8),
    Cell,
}

struct Leaf {
    kind: LeafKind,
    inline: Inline,
    styles: Vec<Style>,
    soft_break: bool,
    /// Per open link: its number and whether it may be opened, if it got a number.
    links: Vec<Option<(usize, bool)>>,
    /// Alt text of the image being read, and how many images deep we are.
    alt: String,
    image_depth: usize,
}

impl Leaf {
    fn new(kind: LeafKind) -> Leaf {
        Leaf {
            kind,
            inline: Inline::default(),
            styles: Vec::new(),
            soft_break: false,
            links: Vec::new(),
            alt: String::new(),
            image_depth: 0,
        }
    }
}

pub(crate) struct Built {
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
}

pub(crate) fn build(markdown: &str) -> Built {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let clean = sanitize(markdown);
    let marked = cjk::add_markers(&clean, options);
    let source = marked.as_deref().unwrap_or(&clean);
    let mut b = Builder {
        stack: vec![Frame::Root(Vec::new())],
        leaf: None,
        code: None,
        html: None,
        links: Vec::new(),
        by_url: HashMap::new(),
        strip_marker: marked.is_some(),
    };
    for event in Parser::new_ext(source, options) {
        b.event(event);
    }
    b.finish()
}

struct Builder {
    stack: Vec<Frame>,
    leaf: Option<Leaf>,
    code: Option<String>,
    html: Option<String>,
    links: Vec<Link>,
    by_url: HashMap<String, usize>,
    strip_marker: bool,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        if let Some(code) = &mut self.code {
            match event {
                Event::End(TagEnd::CodeBlock) => {
                    let code = std::mem::take(code);
                    self.code = None;
                    let lines = code.trim_end_matches('\n').split('\n').map(|l| sanitize(l).into_owned());
                    self.push_block(Block::Code(lines.collect()));
                }
                Event::Text(t) | Event::Html(t) | Event::Code(t) => code.push_str(&t),
                _ => {}
            }
            return;
        }
        if let Some(html) = &mut self.html {
            match event {
                Event::End(TagEnd::HtmlBlock) => {
                    let html = std::mem::take(html);
                    self.html = None;
                    for p in html_paragraphs(&html) {
                        self.push_block(Block::Para(p));
                    }
                }
                Event::Html(t) | Event::Text(t) => html.push_str(&t),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t, Style::default()),
            Event::Code(t) => self.text(&t, Style { code: true, ..Style::default() }),
            Event::InlineMath(t) | Event::DisplayMath(t) | Event::FootnoteReference(t) => {
                self.text(&t, Style::default())
            }
            Event::Html(t) => {
                for p in html_paragraphs(&t) {
                    self.push_block(Block::Para(p));
                }
            }
            Event::InlineHtml(t) => {
                let tag = t.trim_start_matches('<').trim_start();
                let is_br = tag.get(..2).is_some_and(|name| name.eq_ignore_ascii_case("br"))
                    && !tag.as_bytes().get(2).is_some_and(u8::is_ascii_alphanumeric);
                if is_br {
                    self.hard_break();
                }
            }
            Event::SoftBreak => self.leaf_mut().soft_break = true,
            Event::HardBreak => self.hard_break(),
            Event::Rule => {
                self.flush_leaf();
                self.push_block(Block::Rule);
            }
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }, Style::default()),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.flush_leaf();
                if let Some(Frame::Item(_)) = self.stack.last()
                    && let Some(Frame::List { tight, .. }) = self.stack.iter_mut().rev().nth(1)
                {
                    *tight = false;
                }
                self.open_leaf(LeafKind::Para);
            }
            Tag::Heading { level, .. } => {
                self.flush_leaf();
                self.open_leaf(LeafKind::Heading(heading_level(level)));
            }
            Tag::TableCell => {
                self.flush_leaf();
                self.open_leaf(LeafKind::Cell);
            }
            Tag::CodeBlock(_) => {
                self.flush_leaf();
                self.code = Some(String::new());
            }
            Tag::HtmlBlock => {
                self.flush_leaf();
                self.html = Some(String::new());
            }
            Tag::BlockQuote(_) => self.open_frame(Frame::Quote(Vec::new())),
            Tag::List(start) => self.open_frame(Frame::List { start, items: Vec::new(), tight: true }),
            Tag::Item => self.open_frame(Frame::Item(Vec::new())),
            Tag::Table(aligns) => {
                self.flush_leaf();
                self.stack.push(Frame::Table { aligns, head: Vec::new(), rows: Vec::new(), row: Vec::new() });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(Frame::Table { row, .. }) = self.stack.last_mut() {
                    row.clear();
                }
            }
            Tag::Emphasis => self.push_style(|s| s.italic = true),
            Tag::Strong => self.push_style(|s| s.bold = true),
            Tag::Strikethrough => self.push_style(|s| s.strike = true),
            Tag::Link { dest_url, .. } => self.start_link(&dest_url),
            Tag::Image { .. } => self.leaf_mut().image_depth += 1,
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_)
            | Tag::Superscript
            | Tag::Subscript => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.flush_leaf(),
            TagEnd::TableCell => {
                let cell = self.leaf.take().map(|l| l.inline).unwrap_or_default();
                if let Some(Frame::Table { row, .. }) = self.stack.last_mut() {
                    row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(Frame::Table { row, head, .. }) = self.stack.last_mut() {
                    *head = std::mem::take(row);
                }
            }
            TagEnd::TableRow => {
                if let Some(Frame::Table { row, rows, .. }) = self.stack.last_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::Table => self.close_frame(),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                if let Some(l) = &mut self.leaf {
                    l.styles.pop();
                }
            }
            TagEnd::Link => self.end_link(),
            TagEnd::Image => self.end_image(),
            _ => {}
        }
    }

    fn open_frame(&mut self, frame: Frame) {
        self.flush_leaf();
        if self.stack.len() > MAX_DEPTH {
            self.stack.push(Frame::Flat(Vec::new()));
        } else {
            self.stack.push(frame);
        }
    }

    fn close_frame(&mut self) {
        self.flush_leaf();
        if self.stack.len() <= 1 {
            return;
        }
        let Some(frame) = self.stack.pop() else { return };
        match frame {
            Frame::Root(_) => {}
            Frame::Quote(blocks) => self.push_block(Block::Quote(blocks)),
            Frame::List { start, items, tight } => self.push_block(Block::List { start, items, tight }),
            Frame::Item(blocks) => match self.stack.last_mut() {
                Some(Frame::List { items, .. }) => items.push(blocks),
                _ => {
                    for b in blocks {
                        self.push_block(b);
                    }
                }
            },
            Frame::Flat(blocks) => {
                for b in blocks {
                    self.push_block(b);
                }
            }
            Frame::Table { aligns, head, rows, .. } => self.push_block(Block::Table { aligns, head, rows }),
        }
    }

    fn push_block(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Frame::Root(v) | Frame::Quote(v) | Frame::Item(v) | Frame::Flat(v)) => v.push(block),
            Some(Frame::List { items, .. }) => match items.last_mut() {
                Some(item) => item.push(block),
                None => items.push(vec![block]),
            },
            // Tables hold only cells; nothing else can arrive there.
            Some(Frame::Table { .. }) | None => {}
        }
    }

    fn open_leaf(&mut self, kind: LeafKind) {
        self.leaf = Some(Leaf::new(kind));
    }

    /// The open inline leaf; text straight inside a tight list item opens a paragraph.
    fn leaf_mut(&mut self) -> &mut Leaf {
        self.leaf.get_or_insert_with(|| Leaf::new(LeafKind::Para))
    }

    fn flush_leaf(&mut self) {
        let Some(leaf) = self.leaf.take() else { return };
        let mut inline = leaf.inline;
        trim_inline(&mut inline);
        match leaf.kind {
            LeafKind::Para if inline.shown.text.is_empty() => {}
            LeafKind::Para => self.push_block(Block::Para(inline)),
            LeafKind::Heading(level) => {
                for run in &mut inline.shown.runs {
                    run.1.bold = true;
                    run.1.heading = level;
                }
                if !inline.shown.text.is_empty() {
                    self.push_block(Block::Heading(level, inline));
                }
            }
            LeafKind::Cell => {}
        }
    }

    fn push_style(&mut self, change: impl Fn(&mut Style)) {
        let leaf = self.leaf_mut();
        let mut style = leaf.styles.last().copied().unwrap_or_default();
        change(&mut style);
        leaf.styles.push(style);
    }

    fn text(&mut self, raw: &str, extra: Style) {
        let strip = self.strip_marker;
        let leaf = self.leaf_mut();
        let mut text = sanitize(raw).replace('\n', " ");
        if strip {
            text.retain(|c| c != MARKER);
        }
        if leaf.image_depth > 0 {
            leaf.alt.push_str(&text);
            return;
        }
        let mut style = leaf.styles.last().copied().unwrap_or_default();
        style.code |= extra.code;
        if leaf.links.last().is_some_and(|n| n.is_some_and(|(_, openable)| openable)) {
            style.link = true;
        }
        if std::mem::take(&mut leaf.soft_break) {
            let before = leaf.inline.shown.text.chars().next_back();
            let after = text.chars().next();
            let glue = before.is_some_and(cjk::is_cjk) && after.is_some_and(cjk::is_cjk);
            if !glue && before.is_some() {
                leaf.inline.shown.push(" ", style);
                leaf.inline.plain.push(' ');
            }
        }
        leaf.inline.shown.push(&text, style);
        leaf.inline.plain.push_str(&text);
    }

    fn hard_break(&mut self) {
        let leaf = self.leaf_mut();
        leaf.soft_break = false;
        if leaf.image_depth > 0 {
            leaf.alt.push(' ');
            return;
        }
        let style = leaf.styles.last().copied().unwrap_or_default();
        leaf.inline.shown.push("\n", style);
        leaf.inline.plain.push('\n');
    }

    fn start_link(&mut self, dest: &str) {
        let url: String = sanitize(dest).chars().filter(|&c| !c.is_whitespace() && c != MARKER).collect();
        let lower = url.to_ascii_lowercase();
        let openable = ["http://", "https://", "mailto:"].iter().any(|p| lower.starts_with(p));
        let number = if openable || has_scheme(&url) {
            let next = self.links.len() + 1;
            let n = *self.by_url.entry(url.clone()).or_insert(next);
            if n == next {
                self.links.push(Link { number: n, url, openable });
            }
            Some((n, openable))
        } else {
            None
        };
        let in_image = self.leaf_mut().image_depth > 0;
        // A link inside an image description adds nothing visible.
        self.leaf_mut().links.push(if in_image { None } else { number });
    }

    fn end_link(&mut self) {
        let leaf = self.leaf_mut();
        let Some(Some((n, openable))) = leaf.links.pop() else { return };
        let shown = &mut leaf.inline.shown;
        let keep_from = shown.text.char_indices().next_back().map_or(shown.text.len(), |(i, _)| i);
        shown.push(&format!(" [{n}]"), Style { dim: true, link: openable, mark: true, ..Style::default() });
        let end = shown.text.len();
        shown.keep.push(keep_from..end);
    }

    fn end_image(&mut self) {
        let leaf = self.leaf_mut();
        leaf.image_depth = leaf.image_depth.saturating_sub(1);
        if leaf.image_depth > 0 {
            return;
        }
        let alt = std::mem::take(&mut leaf.alt);
        let alt = alt.split_whitespace().collect::<Vec<_>>().join(" ");
        let generic = ["图", "图片", "image", "img", "picture", "photo", "图像"];
        let placeholder = if alt.is_empty() || generic.iter().any(|g| alt.eq_ignore_ascii_case(g)) {
            "[图]".to_string()
        } else {
            format!("[图: {}]", truncate_to_width(&alt, MAX_ALT, AmbiWidth::Narrow))
        };
        if std::mem::take(&mut leaf.soft_break) && !leaf.inline.shown.text.is_empty() {
            leaf.inline.shown.push(" ", Style::default());
            leaf.inline.plain.push(' ');
        }
        let shown = &mut leaf.inline.shown;
        let from = shown.text.len();
        shown.push(&placeholder, Style { dim: true, ..Style::default() });
        let range: Range<usize> = from..shown.text.len();
        shown.keep.push(range);
    }

    fn finish(mut self) -> Built {
        self.flush_leaf();
        if let Some(code) = self.code.take() {
            self.push_block(Block::Code(code.split('\n').map(|l| sanitize(l).into_owned()).collect()));
        }
        while self.stack.len() > 1 {
            self.close_frame();
        }
        let blocks = match self.stack.pop() {
            Some(Frame::Root(v)) => v,
            _ => Vec::new(),
        };
        Built { blocks, links: self.links }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `javascript:`, `data:`, `file:`...: a scheme, as opposed to a relative link.
fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Drops spaces at both ends, keeping styles and keep ranges in step.
fn trim_inline(inline: &mut Inline) {
    inline.plain = inline.plain.trim().to_string();
    let s = &mut inline.shown;
    let end = s.text.trim_end_matches([' ', '\n']).len();
    s.text.truncate(end);
    s.runs.retain(|r| r.0 > 0);
    for r in &mut s.runs {
        r.0 = r.0.min(end);
    }
    s.runs.dedup_by(|b, a| a.0 == b.0);
    s.keep.retain(|k| k.start < end);
    for k in &mut s.keep {
        k.end = k.end.min(end);
    }
    let start = s.text.len() - s.text.trim_start_matches([' ', '\n']).len();
    if start > 0 {
        s.text.drain(..start);
        for r in &mut s.runs {
            r.0 = r.0.saturating_sub(start);
        }
        s.runs.retain(|r| r.0 > 0);
        for k in &mut s.keep {
            *k = k.start.saturating_sub(start)..k.end.saturating_sub(start);
        }
    }
}

/// Block HTML as paragraphs of text, through html2text.
fn html_paragraphs(html: &str) -> Vec<Inline> {
    let text = if html.matches('<').count() > MAX_HTML_TAGS {
        strip_tags(html)
    } else {
        html2text::config::plain_no_decorate()
            .allow_width_overflow()
            .string_from_read(html.as_bytes(), 10_000)
            .unwrap_or_else(|_| strip_tags(html))
    };
    let text = sanitize(&text);
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let lines: Vec<&str> = para.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if lines.is_empty() {
            continue;
        }
        let joined = lines.join("\n");
        out.push(Inline { shown: Styled::plain(&joined, Style::default()), plain: joined });
    }
    out
}

/// Tags removed, the text between them kept: the fallback for HTML too big for html2text.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
