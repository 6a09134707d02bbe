//! Splits a Markdown body into top-level blocks (list items one by one) with their source lines and
//! what a reader would see of each line: text, link text, images.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::text::count_tokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Heading(u8),
    Paragraph,
    Item,
    Code,
    Table,
    Html,
    Quote,
    Rule,
    /// Source lines no block claimed (link definitions and the like).
    Other,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Image {
    pub alt: String,
    pub url: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub kind: Kind,
    /// Body line indices `first..end`.
    pub first: usize,
    pub end: usize,
    pub tokens: usize,
    pub link_tokens: usize,
    pub links: usize,
    pub images: Vec<Image>,
    /// All text is bold or italic: a heading written as emphasis.
    pub emphasis_only: bool,
}

impl Block {
    pub fn plain_tokens(&self) -> usize {
        self.tokens.saturating_sub(self.link_tokens)
    }

    pub fn is_heading(&self) -> bool {
        matches!(self.kind, Kind::Heading(_)) || (self.emphasis_only && self.tokens <= 30)
    }
}

/// A body cut into lines and blocks.
#[derive(Debug, Default)]
pub(crate) struct Doc<'a> {
    /// Source lines without their line ends.
    pub lines: Vec<&'a str>,
    /// What a reader sees of each line: link text kept, images and markup gone.
    pub visible: Vec<String>,
    pub line_tokens: Vec<usize>,
    pub line_link_tokens: Vec<usize>,
    pub blocks: Vec<Block>,
}

impl Doc<'_> {
    /// The visible text of a block, lines joined by `\n`.
    pub fn block_text(&self, b: &Block) -> String {
        let mut s = String::new();
        for i in b.first..b.end {
            let v = self.visible[i].trim();
            if v.is_empty() {
                continue;
            }
            if !s.is_empty() {
                s.push('\n');
            }
            s.push_str(v);
        }
        s
    }
}

struct Builder<'a> {
    starts: Vec<usize>,
    doc: Doc<'a>,
    link_depth: usize,
    image_depth: usize,
    emphasis_depth: usize,
    cur: Option<Open>,
}

struct Open {
    kind: Kind,
    start: usize,
    tokens_outside_emphasis: usize,
    links: usize,
    images: Vec<Image>,
}

pub(crate) fn segment(body: &str) -> Doc<'_> {
    let mut lines = Vec::new();
    let mut starts = Vec::new();
    let mut pos = 0;
    for piece in body.split('\n') {
        starts.push(pos);
        lines.push(piece.strip_suffix('\r').unwrap_or(piece));
        pos += piece.len() + 1;
    }
    let n = lines.len();
    let mut b = Builder {
        starts,
        doc: Doc {
            lines,
            visible: vec![String::new(); n],
            line_tokens: vec![0; n],
            line_link_tokens: vec![0; n],
            blocks: Vec::new(),
        },
        link_depth: 0,
        image_depth: 0,
        emphasis_depth: 0,
        cur: None,
    };
    b.run(body);
    b.broken_links();
    b.fill_gaps();
    b.doc
}

impl<'a> Builder<'a> {
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    fn run(&mut self, body: &'a str) {
        let mut depth = 0usize;
        // Depth at which blocks open: 0, or 1 inside a top-level list.
        let mut list_at_top = false;
        let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
            match event {
                Event::Start(tag) => {
                    let block_level = depth == 0 || (depth == 1 && list_at_top);
                    if block_level && self.cur.is_none() {
                        match &tag {
                            Tag::List(_) if depth == 0 => list_at_top = true,
                            _ => {
                                let kind = kind_of(&tag);
                                self.cur = Some(Open {
                                    kind,
                                    start: range.start,
                                    tokens_outside_emphasis: 0,
                                    links: 0,
                                    images: Vec::new(),
                                });
                            }
                        }
                    }
                    self.inline_start(&tag);
                    depth += 1;
                }
                Event::End(end) => {
                    depth = depth.saturating_sub(1);
                    self.inline_end(&end);
                    if matches!(end, TagEnd::List(_)) && depth == 0 {
                        list_at_top = false;
                    }
                    let closes = depth == 0 || (depth == 1 && list_at_top);
                    if closes && self.cur.is_some() {
                        self.close(range.end);
                    }
                }
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                    self.text(&t, range.start, false);
                }
                Event::Html(t) | Event::InlineHtml(t) => {
                    let stripped = strip_tags(&t);
                    self.text(&stripped, range.start, true);
                    if depth == 0 && self.cur.is_none() {
                        self.push_block(Kind::Html, range.start, range.end, 0, Vec::new());
                    }
                }
                Event::Rule => {
                    if (depth == 0 || (depth == 1 && list_at_top)) && self.cur.is_none() {
                        self.push_block(Kind::Rule, range.start, range.end, 0, Vec::new());
                    }
                }
                Event::FootnoteReference(_)
                | Event::SoftBreak
                | Event::HardBreak
                | Event::TaskListMarker(_) => {}
            }
        }
    }

    fn inline_start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Link { .. } => {
                self.link_depth += 1;
                if let Some(c) = self.cur.as_mut() {
                    c.links += 1;
                }
            }
            Tag::Image { dest_url, .. } => {
                self.image_depth += 1;
                if let Some(c) = self.cur.as_mut() {
                    c.images.push(Image { alt: String::new(), url: dest_url.to_string() });
                }
            }
            Tag::Emphasis | Tag::Strong => self.emphasis_depth += 1,
            _ => {}
        }
    }

    fn inline_end(&mut self, end: &TagEnd) {
        match end {
            TagEnd::Link => self.link_depth = self.link_depth.saturating_sub(1),
            TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
            TagEnd::Emphasis | TagEnd::Strong => self.emphasis_depth = self.emphasis_depth.saturating_sub(1),
            _ => {}
        }
    }

    fn text(&mut self, t: &str, offset: usize, raw_html: bool) {
        if self.image_depth > 0 {
            if let Some(img) = self.cur.as_mut().and_then(|c| c.images.last_mut())
                && img.alt.len() < 200
            {
                img.alt.push_str(t);
            }
            return;
        }
        let mut line = self.line_of(offset);
        for (k, piece) in t.split('\n').enumerate() {
            if k > 0 {
                line += 1;
            }
            let Some(vis) = self.doc.visible.get_mut(line) else { break };
            vis.push_str(piece);
            let n = count_tokens(piece);
            self.doc.line_tokens[line] += n;
            if self.link_depth > 0 {
                self.doc.line_link_tokens[line] += n;
            }
            if let Some(c) = self.cur.as_mut()
                && self.emphasis_depth == 0
                && !raw_html
            {
                c.tokens_outside_emphasis += n;
            }
        }
    }

    fn close(&mut self, end: usize) {
        if let Some(c) = self.cur.take() {
            let outside = c.tokens_outside_emphasis;
            self.push_block(c.kind, c.start, end, outside, c.images);
            if let Some(last) = self.doc.blocks.last_mut() {
                last.links = c.links;
            }
        }
    }

    fn push_block(
        &mut self,
        kind: Kind,
        start: usize,
        end: usize,
        outside_emphasis: usize,
        images: Vec<Image>,
    ) {
        let first = self.line_of(start);
        let last = self.line_of(end.saturating_sub(1).max(start));
        let last = last.max(first);
        let end_line = (last + 1).min(self.doc.lines.len());
        // Blocks never overlap: a block starting inside the previous one is folded into it.
        if let Some(prev) = self.doc.blocks.last_mut()
            && first < prev.end
        {
            prev.end = prev.end.max(end_line);
            prev.images.extend(images);
            recount(&self.doc.line_tokens, &self.doc.line_link_tokens, prev);
            return;
        }
        let mut block = Block {
            kind,
            first,
            end: end_line,
            tokens: 0,
            link_tokens: 0,
            links: 0,
            images,
            emphasis_only: false,
        };
        recount(&self.doc.line_tokens, &self.doc.line_link_tokens, &mut block);
        block.emphasis_only = block.tokens > 0 && outside_emphasis == 0 && kind == Kind::Paragraph;
        self.doc.blocks.push(block);
    }

    /// A link whose text spans a blank line is not parsed as a link: `[Name` on one line and
    /// `blurb](url)` on a later one. Such lines are link text all the same (menus are full of them).
    fn broken_links(&mut self) {
        let doc = &mut self.doc;
        for (l, vis) in doc.visible.iter().enumerate() {
            let t = vis.trim_start();
            let link = if t.starts_with('[') && !t.contains(']') {
                doc.line_tokens[l]
            } else if t.contains("](") {
                // From the last `[` before each `](` (or the line start) up to it.
                let mut n = 0;
                let mut from = 0;
                let mut target = 0;
                for (i, _) in t.match_indices("](") {
                    let open = t[from..i].rfind('[').map_or(from, |k| from + k + 1);
                    n += count_tokens(&t[open..i]);
                    // A link target is short; the cap keeps a line of brackets linear.
                    let rest = &t[i + 2..];
                    let window = &rest[..floor_char_boundary(rest, 256)];
                    let end = window.find(|c: char| c == ')' || c.is_whitespace()).unwrap_or(window.len());
                    target += count_tokens(&window[..end]);
                    from = i + 2;
                }
                // The link target is an address, not words.
                doc.line_tokens[l] = doc.line_tokens[l].saturating_sub(target);
                n
            } else {
                continue;
            };
            doc.line_link_tokens[l] = doc.line_link_tokens[l].max(link).min(doc.line_tokens[l]);
        }
        let (tokens, links) = (&doc.line_tokens, &doc.line_link_tokens);
        for b in &mut doc.blocks {
            recount(tokens, links, b);
        }
    }

    /// Lines no block claimed become blocks of their own, so nothing is lost unseen.
    fn fill_gaps(&mut self) {
        let mut claimed = vec![false; self.doc.lines.len()];
        for b in &self.doc.blocks {
            for c in claimed.iter_mut().take(b.end).skip(b.first) {
                *c = true;
            }
        }
        let mut extra = Vec::new();
        let mut i = 0;
        while i < claimed.len() {
            if claimed[i] || self.doc.lines[i].trim().is_empty() {
                i += 1;
                continue;
            }
            let first = i;
            while i < claimed.len() && !claimed[i] && !self.doc.lines[i].trim().is_empty() {
                if self.doc.visible[i].is_empty() {
                    let raw = self.doc.lines[i].trim();
                    self.doc.line_tokens[i] = count_tokens(raw);
                    self.doc.visible[i] = raw.to_string();
                }
                i += 1;
            }
            let mut b = Block {
                kind: Kind::Other,
                first,
                end: i,
                tokens: 0,
                link_tokens: 0,
                links: 0,
                images: Vec::new(),
                emphasis_only: false,
            };
            recount(&self.doc.line_tokens, &self.doc.line_link_tokens, &mut b);
            extra.push(b);
        }
        if !extra.is_empty() {
            self.doc.blocks.extend(extra);
            self.doc.blocks.sort_by_key(|b| b.first);
        }
    }
}

/// The largest char boundary of `s` at or below `max`.
fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    (0..=max).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

fn recount(tokens: &[usize], links: &[usize], b: &mut Block) {
    b.tokens = tokens[b.first..b.end].iter().sum();
    b.link_tokens = links[b.first..b.end].iter().sum();
}

fn kind_of(tag: &Tag<'_>) -> Kind {
    match tag {
        Tag::Heading { level, .. } => Kind::Heading(*level as u8),
        Tag::Paragraph => Kind::Paragraph,
        Tag::Item => Kind::Item,
        Tag::CodeBlock(_) => Kind::Code,
        Tag::Table(_) => Kind::Table,
        Tag::HtmlBlock => Kind::Html,
        Tag::BlockQuote(_) => Kind::Quote,
        _ => Kind::Paragraph,
    }
}

/// Removes HTML tags, keeping the text between them.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            '\n' => {
                in_tag = false;
                out.push('\n');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_are_blocks_and_links_are_counted() {
        let doc = segment("# Title\n\n* [Home](/)\n* [News](/n)\n\nSome words here.\n");
        let kinds: Vec<Kind> = doc.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, vec![Kind::Heading(1), Kind::Item, Kind::Item, Kind::Paragraph]);
        assert_eq!(doc.blocks[1].link_tokens, 1);
        assert_eq!(doc.blocks[3].tokens, 3);
        assert_eq!((doc.blocks[3].first, doc.blocks[3].end), (5, 6));
    }

    #[test]
    fn code_block_keeps_its_lines() {
        let doc = segment("```\na = 1\n\nb = 2\n```\n");
        assert_eq!(doc.blocks.len(), 1);
        assert_eq!((doc.blocks[0].first, doc.blocks[0].end), (0, 5));
        assert_eq!(doc.visible[3], "b = 2");
    }

    #[test]
    fn images_record_alt_and_url() {
        let doc = segment("![cover_image](https://x/y.jpg)\n");
        assert_eq!(doc.blocks[0].images[0].alt, "cover_image");
        assert_eq!(doc.blocks[0].tokens, 0);
    }

    #[test]
    fn emphasis_only_paragraph_is_a_heading() {
        let doc = segment("**Introduction**\n\nPlain *and* text.\n");
        assert!(doc.blocks[0].is_heading());
        assert!(!doc.blocks[1].is_heading());
    }
}
