//! The reading-pane core: untrusted article text to sanitized, boilerplate-free, width-exact lines.
//!
//! [`parse`] sanitizes the Markdown body and builds blocks with pulldown-cmark (tables,
//! strikethrough, and CJK-friendly emphasis, which `cjk` adds on top since pulldown-cmark has no
//! option for it). [`Document::render`] lays the blocks out at a width: UAX #14 break
//! opportunities, tokens kept whole, kinsoku, grapheme-cluster widths in either ambiguous-width
//! mode. No line is ever wider than the width: a unit longer than the line is cut with the
//! continuation mark `↩` (omitted at width 1, where it cannot fit), and a character wider than the
//! whole line (a wide character at width 1) is drawn as `?`.

pub mod boilerplate;
mod build;
mod cjk;
mod layout;
pub mod sanitize;
pub mod width;
mod wrap;

pub use sanitize::sanitize;
pub use width::{display_width, truncate_to_width};
pub use wrap::{is_closing, is_opening};

use build::Block;
use layout::Ctx;

/// How a terminal draws East Asian ambiguous-width characters (“ ” … — ·).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmbiWidth {
    #[default]
    Narrow,
    Wide,
}

/// Text attributes, kept free of any terminal type so the core stays testable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub code: bool,
    /// 0 = not a heading, else the heading level 1..=6.
    pub heading: u8,
    pub dim: bool,
    pub link: bool,
    pub quote: bool,
    /// Not article text: a continuation mark, a footnote marker, a bullet, a quote bar, a rule.
    pub mark: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

/// One output row; its display width never exceeds the width it was rendered for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    pub fn plain_text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// Columns the line takes.
    pub fn width(&self, ambi: AmbiWidth) -> usize {
        self.spans.iter().map(|s| display_width(&s.text, ambi)).sum()
    }
}

/// A link found in the article, numbered as its footnote marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub number: usize,
    pub url: String,
    /// Only http, https and mailto links may be opened.
    pub openable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    pub width: usize,
    pub ambiwidth: AmbiWidth,
}

/// A parsed article body.
#[derive(Debug, Clone, Default)]
pub struct Document {
    blocks: Vec<Block>,
    pub links: Vec<Link>,
}

/// Plain text (not Markdown) wrapped like a paragraph, after sanitizing; `\n` is a hard break.
/// For text outside articles (messages, titles in a narrow pane) and for testing the wrapper.
pub fn wrap_text(text: &str, opts: &RenderOptions) -> Vec<Line> {
    let styled = wrap::Styled::plain(&sanitize(text), Style::default());
    let mut lines: Vec<Line> =
        wrap::wrap(&styled, opts.width, opts.ambiwidth).into_iter().map(|spans| Line { spans }).collect();
    for line in &mut lines {
        for span in &mut line.spans {
            sanitize::scrub_span(&mut span.text);
        }
    }
    lines
}

/// A body cleaned of chrome as plain text, one paragraph per line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlainBody {
    pub text: String,
    /// No article text survived the cleaning (see [`boilerplate::Cleaned::empty`]).
    pub empty: bool,
}

/// Cleans `body` with the rules and `templates`, and flattens what is kept to plain text: what
/// `yuedu show --plain` prints and what the body search indexes, so both see one text.
pub fn clean_plain(
    body: &str,
    meta: &boilerplate::Meta<'_>,
    templates: &boilerplate::Templates,
) -> PlainBody {
    let cleaned = boilerplate::clean_with(body, meta, templates);
    if cleaned.empty {
        return PlainBody { text: String::new(), empty: true };
    }
    PlainBody { text: parse(&cleaned.markdown).plain(), empty: false }
}

/// Parses a Markdown body (sanitizing it first: see [`sanitize`]).
pub fn parse(markdown: &str) -> Document {
    let built = build::build(markdown);
    Document { blocks: built.blocks, links: built.links }
}

impl Document {
    /// Lines wrapped to `opts.width` (at least 1), followed by the numbered link list. No line is
    /// wider than the width, in either ambiguous-width mode. A character wider than the whole
    /// line (a wide character at width 1) is drawn as `?`.
    pub fn render(&self, opts: &RenderOptions) -> Vec<Line> {
        let ctx = Ctx::new(opts.width, opts.ambiwidth);
        let mut out = Vec::new();
        layout::blocks(&self.blocks, ctx, true, &mut out);
        if !self.links.is_empty() {
            if !out.is_empty() {
                out.push(Line::default());
            }
            layout::link_list(&self.links, ctx, &mut out);
        }
        for line in &mut out {
            for span in &mut line.spans {
                sanitize::scrub_span(&mut span.text);
            }
        }
        out
    }

    /// One paragraph per line, no markers: what `yuedu show --plain` prints.
    pub fn plain(&self) -> String {
        let mut lines = Vec::new();
        plain_blocks(&self.blocks, &mut lines);
        lines.join("\n")
    }
}

fn plain_blocks(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        match b {
            Block::Para(i) | Block::Heading(_, i) => out.extend(i.plain.lines().map(str::to_string)),
            Block::Code(lines) => out.extend(lines.iter().cloned()),
            Block::Quote(inner) => plain_blocks(inner, out),
            Block::List { items, .. } => {
                for item in items {
                    plain_blocks(item, out);
                }
            }
            Block::Rule => {}
            Block::Table { head, rows, .. } => {
                for row in std::iter::once(head).chain(rows) {
                    let cells: Vec<&str> = row.iter().map(|c| c.plain.as_str()).collect();
                    if cells.iter().any(|c| !c.trim().is_empty()) {
                        out.push(cells.join("\t").replace('\n', " "));
                    }
                }
            }
        }
    }
}
