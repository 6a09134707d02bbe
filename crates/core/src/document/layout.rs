//! Lays blocks out as lines of exactly bounded width: indents, bullets, quote bars, tables, code.

use pulldown_cmark::Alignment;
use unicode_segmentation::UnicodeSegmentation;

use super::build::{Block, Inline};
use super::width::{CONTINUATION, TOO_WIDE, display_width, fill, grapheme_width};
use super::wrap::{Styled, wrap};
use super::{AmbiWidth, Line, Link, Span, Style};

/// A container indents its content only while this many columns stay for the content itself.
const MIN_BODY: usize = 8;

const BULLETS: [&str; 3] = ["•", "◦", "▪"];
const QUOTE_BAR: &str = "│ ";
const COLUMN_SEP: &str = " │ ";

fn mark() -> Style {
    Style { dim: true, mark: true, ..Style::default() }
}

#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    pub width: usize,
    pub ambi: AmbiWidth,
    list_depth: usize,
}

impl Ctx {
    pub fn new(width: usize, ambi: AmbiWidth) -> Self {
        Ctx { width: width.max(1), ambi, list_depth: 0 }
    }

    fn dw(&self, s: &str) -> usize {
        display_width(s, self.ambi)
    }

    /// The context for content indented by `indent` columns, or `None` if that leaves too little.
    fn indented(&self, indent: usize) -> Option<Ctx> {
        (self.width >= indent + MIN_BODY).then(|| Ctx { width: self.width - indent, ..*self })
    }
}

/// Blocks separated by a blank line (or not, inside a tight list item).
pub(crate) fn blocks(bs: &[Block], ctx: Ctx, blank_between: bool, out: &mut Vec<Line>) {
    for (i, b) in bs.iter().enumerate() {
        if i > 0 && blank_between {
            out.push(Line::default());
        }
        block(b, ctx, out);
    }
}

fn block(b: &Block, ctx: Ctx, out: &mut Vec<Line>) {
    match b {
        Block::Para(inline) | Block::Heading(_, inline) => paragraph(&inline.shown, ctx, out),
        Block::Code(lines) => code(lines, ctx, out),
        Block::Quote(inner) => quote(inner, ctx, out),
        Block::List { start, items, tight } => list(*start, items, *tight, ctx, out),
        Block::Rule => {
            out.push(Line { spans: vec![Span { text: fill("─", ctx.width, ctx.ambi), style: mark() }] })
        }
        Block::Table { aligns, head, rows } => table(aligns, head, rows, ctx, out),
    }
}

fn paragraph(text: &Styled, ctx: Ctx, out: &mut Vec<Line>) {
    out.extend(wrap(text, ctx.width, ctx.ambi).into_iter().map(|spans| Line { spans }));
}

/// `lines` with `first` before the first line and `rest` before the others.
fn prefixed(lines: Vec<Line>, first: &[Span], rest: &[Span], out: &mut Vec<Line>) {
    for (i, mut line) in lines.into_iter().enumerate() {
        let prefix = if i == 0 { first } else { rest };
        let blank_prefix = prefix.iter().all(|s| s.text.trim().is_empty());
        if line.spans.is_empty() && blank_prefix {
            out.push(line);
            continue;
        }
        let mut spans = prefix.to_vec();
        spans.append(&mut line.spans);
        out.push(Line { spans });
    }
}

fn quote(inner: &[Block], ctx: Ctx, out: &mut Vec<Line>) {
    let bar = [Span { text: QUOTE_BAR.to_string(), style: Style { quote: true, ..mark() } }];
    let mut lines = Vec::new();
    match ctx.indented(ctx.dw(QUOTE_BAR)) {
        Some(c) => blocks(inner, c, true, &mut lines),
        None => blocks(inner, ctx, true, &mut lines),
    }
    for l in &mut lines {
        for s in &mut l.spans {
            s.style.quote = true;
        }
    }
    if ctx.indented(ctx.dw(QUOTE_BAR)).is_some() {
        prefixed(lines, &bar, &bar, out);
    } else {
        out.append(&mut lines);
    }
}

fn list(start: Option<u64>, items: &[Vec<Block>], tight: bool, ctx: Ctx, out: &mut Vec<Line>) {
    let markers: Vec<String> = (0..items.len() as u64)
        .map(|i| match start {
            Some(n) => format!("{}.", n.saturating_add(i)),
            None => BULLETS[ctx.list_depth % BULLETS.len()].to_string(),
        })
        .collect();
    let marker_w = markers.iter().map(|m| ctx.dw(m)).max().unwrap_or(1);
    let indent = marker_w + 1;
    let inner = ctx.indented(indent);
    for (i, (item, m)) in items.iter().zip(&markers).enumerate() {
        if i > 0 && !tight {
            out.push(Line::default());
        }
        let mut lines = Vec::new();
        let child = Ctx { list_depth: ctx.list_depth + 1, ..inner.unwrap_or(ctx) };
        blocks(item, child, !tight, &mut lines);
        match inner {
            Some(_) => {
                // Numbers right-aligned, bullets as is.
                let pad = marker_w - ctx.dw(m);
                let first = [Span { text: format!("{}{m} ", " ".repeat(pad)), style: mark() }];
                let rest = [Span { text: " ".repeat(indent), style: Style::default() }];
                if lines.is_empty() {
                    lines.push(Line::default());
                }
                prefixed(lines, &first, &rest, out);
            }
            None => {
                // Too narrow to indent: the marker gets a line of its own.
                let text = super::width::truncate_to_width(m, ctx.width, ctx.ambi);
                out.push(Line { spans: vec![Span { text, style: mark() }] });
                out.append(&mut lines);
            }
        }
    }
}

/// Code is never re-wrapped: a line longer than the width is cut into pieces that end in the
/// continuation mark.
fn code(lines: &[String], ctx: Ctx, out: &mut Vec<Line>) {
    let style = Style { code: true, ..Style::default() };
    for line in lines {
        if ctx.dw(line) <= ctx.width {
            let spans = if line.is_empty() { Vec::new() } else { vec![Span { text: line.clone(), style }] };
            out.push(Line { spans });
            continue;
        }
        let room = if ctx.width > 1 { ctx.width - 1 } else { ctx.width };
        let mut piece = String::new();
        let mut used = 0;
        for g in line.graphemes(true) {
            let w = grapheme_width(g, ctx.ambi);
            if used + w > room && !piece.is_empty() {
                out.push(cut_line(std::mem::take(&mut piece), style, used < ctx.width));
                used = 0;
            }
            if w > ctx.width {
                piece.push_str(TOO_WIDE);
                used += 1;
            } else {
                piece.push_str(g);
                used += w;
            }
        }
        if !piece.is_empty() {
            out.push(Line { spans: vec![Span { text: piece, style }] });
        }
    }
}

fn cut_line(piece: String, style: Style, with_mark: bool) -> Line {
    let mut spans = vec![Span { text: piece, style }];
    if with_mark {
        spans.push(Span { text: CONTINUATION.to_string(), style: mark() });
    }
    Line { spans }
}

/// A single-line cell: its spans and width. Hard breaks inside a cell become spaces.
fn cell_spans(cell: &Inline) -> Vec<Span> {
    let s = &cell.shown;
    let mut spans = Vec::new();
    let mut from = 0;
    for &(end, style) in &s.runs {
        let text = s.text[from..end].replace('\n', " ");
        from = end;
        spans.push(Span { text, style });
    }
    spans
}

fn spans_width(spans: &[Span], ambi: AmbiWidth) -> usize {
    spans.iter().map(|s| display_width(&s.text, ambi)).sum()
}

fn table(aligns: &[Alignment], head: &[Inline], rows: &[Vec<Inline>], ctx: Ctx, out: &mut Vec<Line>) {
    let ncols = rows.iter().map(Vec::len).chain([head.len()]).max().unwrap_or(0);
    if ncols == 0 {
        return;
    }
    let head: Vec<Vec<Span>> = (0..ncols).map(|j| head.get(j).map(cell_spans).unwrap_or_default()).collect();
    let body: Vec<Vec<Vec<Span>>> = rows
        .iter()
        .map(|r| (0..ncols).map(|j| r.get(j).map(cell_spans).unwrap_or_default()).collect())
        .collect();
    let mut widths = vec![0; ncols];
    for row in std::iter::once(&head).chain(&body) {
        for (j, cell) in row.iter().enumerate() {
            widths[j] = widths[j].max(spans_width(cell, ctx.ambi));
        }
    }
    let sep_w = ctx.dw(COLUMN_SEP);
    let total = widths.iter().sum::<usize>() + sep_w * (ncols - 1);
    if total <= ctx.width {
        aligned_table(aligns, &head, &body, &widths, ctx, out);
    } else {
        records(&head, &body, ctx, out);
    }
}

fn aligned_table(
    aligns: &[Alignment],
    head: &[Vec<Span>],
    body: &[Vec<Vec<Span>>],
    widths: &[usize],
    ctx: Ctx,
    out: &mut Vec<Line>,
) {
    let row_line = |row: &[Vec<Span>], bold: bool| {
        let mut spans = Vec::new();
        for (j, cell) in row.iter().enumerate() {
            if j > 0 {
                spans.push(Span { text: COLUMN_SEP.to_string(), style: mark() });
            }
            let pad = widths[j].saturating_sub(spans_width(cell, ctx.ambi));
            let (left, right) = match aligns.get(j) {
                Some(Alignment::Right) => (pad, 0),
                Some(Alignment::Center) => (pad / 2, pad - pad / 2),
                _ => (0, pad),
            };
            if left > 0 {
                spans.push(Span { text: " ".repeat(left), style: Style::default() });
            }
            for s in cell {
                let mut s = s.clone();
                s.style.bold |= bold;
                spans.push(s);
            }
            if right > 0 && j + 1 < row.len() {
                spans.push(Span { text: " ".repeat(right), style: Style::default() });
            }
        }
        Line { spans }
    };
    let has_head = head.iter().any(|c| !c.is_empty());
    if has_head {
        out.push(row_line(head, true));
        let sep_w = ctx.dw(COLUMN_SEP);
        let cross_w = ctx.dw("┼");
        let left = (sep_w.saturating_sub(cross_w)) / 2;
        let right = sep_w.saturating_sub(cross_w + left);
        let junction = format!("{}┼{}", fill("─", left, ctx.ambi), fill("─", right, ctx.ambi));
        let rule: Vec<String> = widths.iter().map(|&w| fill("─", w, ctx.ambi)).collect();
        out.push(Line { spans: vec![Span { text: rule.join(&junction), style: mark() }] });
    }
    for row in body {
        out.push(row_line(row, false));
    }
}

/// A table too wide for the pane: one block per row, each cell on its own line after its header.
fn records(head: &[Vec<Span>], body: &[Vec<Vec<Span>>], ctx: Ctx, out: &mut Vec<Line>) {
    let only_head = [head.to_vec()];
    let rows: &[Vec<Vec<Span>>] = if body.is_empty() { &only_head } else { body };
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(Line::default());
        }
        for (j, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let mut text = Styled::default();
            let label: String =
                head.get(j).map(|h| h.iter().map(|s| s.text.as_str()).collect()).unwrap_or_default();
            if !label.trim().is_empty() && !body.is_empty() {
                text.push(label.trim(), Style { bold: true, ..Style::default() });
                text.push(": ", Style { bold: true, ..Style::default() });
            }
            for s in cell {
                text.push(&s.text, s.style);
            }
            paragraph(&text, ctx, out);
        }
    }
}

/// The numbered link list under the article.
pub(crate) fn link_list(links: &[Link], ctx: Ctx, out: &mut Vec<Line>) {
    for link in links {
        let label = format!("[{}] ", link.number);
        let style = if link.openable {
            Style { link: true, ..Style::default() }
        } else {
            Style { dim: true, ..Style::default() }
        };
        let url = Styled::plain(&link.url, style);
        let indent = ctx.dw(&label);
        match ctx.indented(indent) {
            Some(c) => {
                let lines: Vec<Line> =
                    wrap(&url, c.width, c.ambi).into_iter().map(|spans| Line { spans }).collect();
                let first = [Span { text: label, style: mark() }];
                let rest = [Span { text: " ".repeat(indent), style: Style::default() }];
                prefixed(lines, &first, &rest, out);
            }
            None => {
                let mut text = Styled::plain(&label, mark());
                text.push(&link.url, style);
                paragraph(&text, ctx, out);
            }
        }
    }
}
