//! The reading-pane core: untrusted article text to sanitized, boilerplate-free, width-exact lines.

pub mod boilerplate;
pub mod sanitize;

pub use sanitize::sanitize;

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
    source: String,
    pub links: Vec<Link>,
}

/// Parses a Markdown body. Placeholder until the renderer lands: keeps the text as is.
pub fn parse(markdown: &str) -> Document {
    Document { source: sanitize(markdown).into_owned(), links: Vec::new() }
}

impl Document {
    /// Lines wrapped to `opts.width`, followed by the numbered link list.
    pub fn render(&self, opts: &RenderOptions) -> Vec<Line> {
        let width = opts.width.max(1);
        let mut out = Vec::new();
        for raw in self.source.lines() {
            let chars: Vec<char> = raw.chars().collect();
            if chars.is_empty() {
                out.push(Line::default());
            }
            for chunk in chars.chunks(width) {
                out.push(Line {
                    spans: vec![Span { text: chunk.iter().collect(), style: Style::default() }],
                });
            }
        }
        out
    }

    /// One paragraph per line, no markers: what `yuedu show --plain` prints.
    pub fn plain(&self) -> String {
        self.source.clone()
    }
}
