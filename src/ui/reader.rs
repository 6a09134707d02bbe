//! The reading pane: header and article lines from the model, and a bar with the source, the date
//! and the scroll percentage.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{Theme, put};
use crate::app::{App, Command, Pane, text};

/// `text` (whose first char is char `at` of its line) cut where the line's matches start and
/// end; each piece with whether it is a match, and if so whether the current one.
fn split_at_hits<'t>(
    text: &'t str,
    at: usize,
    hits: &[(usize, usize, bool)],
) -> Vec<(&'t str, Option<bool>)> {
    if hits.is_empty() {
        return vec![(text, None)];
    }
    let mut out = Vec::new();
    let mut piece_start = 0;
    let mut state: Option<Option<bool>> = None;
    for (k, (byte, _)) in text.char_indices().enumerate() {
        let pos = at + k;
        let here = hits.iter().find(|(s, e, _)| pos >= *s && pos < *e).map(|h| h.2);
        if state != Some(here) {
            if let Some(prev) = state
                && byte > piece_start
            {
                out.push((&text[piece_start..byte], prev));
            }
            piece_start = byte;
            state = Some(here);
        }
    }
    if let Some(prev) = state {
        out.push((&text[piece_start..], prev));
    }
    out
}

pub fn render(app: &App, theme: &Theme, area: Rect, bar: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let Some(r) = app.reader() else {
        let hint = match app.keymap().first(Command::Open) {
            Some(k) => format!("{k} opens the selected article."),
            None => "No article open.".to_string(),
        };
        put(buf, area.x + 1, area.y, &hint, usize::from(area.width.saturating_sub(1)), theme.dim());
        return;
    };
    let height = usize::from(area.height);
    let scroll = r.scroll.min(r.max_scroll(height));
    let x = area.x + 1;
    let max = usize::from(area.width.saturating_sub(1));
    for row in 0..height {
        let Some(line) = r.line(scroll + row) else { break };
        let y = area.y + row as u16;
        let hits: Vec<(usize, usize, bool)> =
            app.find().map(|f| f.in_row(scroll + row).collect()).unwrap_or_default();
        let mut cx = x;
        let mut at = 0usize;
        for span in &line.spans {
            for (piece, hit) in split_at_hits(&span.text, at, &hits) {
                let room = max.saturating_sub(usize::from(cx - x));
                if room == 0 {
                    break;
                }
                let style = match hit {
                    Some(current) => theme.text(&span.style).patch(theme.find_hit(current)),
                    None => theme.text(&span.style),
                };
                let (nx, _) = buf.set_stringn(cx, y, piece, room, style);
                cx = nx;
            }
            at += span.text.chars().count();
        }
    }
    if bar.is_empty() {
        return;
    }
    let focused = app.focus() == Pane::Reader;
    let style = if focused { theme.bar() } else { theme.bar_dim() };
    buf.set_style(bar, style);
    let mut right = format!(" {}% ", r.percent(height));
    if let Some((n, m)) = app.reader_position() {
        right = format!(" {n}/{m} {right}");
    }
    if r.raw {
        right = format!(" raw{right}");
    }
    let right_w = text::width(&right);
    let left_room = usize::from(bar.width).saturating_sub(right_w);
    if let Some(a) = app.article(r.index) {
        put(buf, bar.x, bar.y, &format!(" {}  {}", a.source, a.date), left_room, style);
    }
    if usize::from(bar.width) >= right_w {
        buf.set_string(bar.right() - right_w as u16, bar.y, &right, style);
    } else {
        put(buf, bar.x, bar.y, &right, usize::from(bar.width), style);
    }
}
