//! The list pane: one row per article with a read mark, date, source, title (match highlights)
//! and tags, each cut by display width.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::{Theme, put};
use crate::app::{App, Pane, text};
use crate::document::sanitize;

/// The source column takes at most this share of what is left after the date, so the title
/// keeps the larger part.
const SOURCE_SHARE_PERCENT: usize = 30;

/// Column widths for a list `width` wide: (date, source), the source sized to `widest` (the
/// widest source, already capped) within its share. Narrow lists drop the source, then shorten
/// the date.
fn columns(width: u16, widest: usize) -> (usize, usize) {
    let date = match width {
        40.. => 10,
        26..=39 => 5,
        _ => 0,
    };
    let rest = usize::from(width).saturating_sub(2 + date + 1);
    let source = if width < 40 { 0 } else { widest.min(rest * SOURCE_SHARE_PERCENT / 100).max(4) };
    (date, source)
}

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let rows = app.rows();
    if rows.is_empty() {
        let loading = app.jobs().first().filter(|_| app.corpus().articles.is_empty());
        let msg = match loading {
            Some(job) => super::bars::job_line(job),
            None if app.corpus().articles.is_empty() => "No articles in this corpus.".into(),
            None if app.body_results().is_some() => {
                "No article's text matches. q or Esc clears the search.".into()
            }
            None => "No articles match. Esc clears the filter.".into(),
        };
        put(buf, area.x + 1, area.y, &msg, usize::from(area.width.saturating_sub(1)), theme.dim());
        return;
    }
    let focused = app.focus() == Pane::List;
    let (date_w, source_w) = columns(area.width, app.source_column());
    // A row is two lines while body search hits show their snippets.
    let lines = app.row_lines();
    let height = (usize::from(area.height) / lines).max(1);
    // The model keeps the selection visible; clamp again so a stale offset can never hide it.
    let sel = app.selected().min(rows.len() - 1);
    let mut offset = app.offset().min(sel);
    if sel >= offset + height {
        offset = sel + 1 - height;
    }
    for (r, &index) in rows.iter().enumerate().skip(offset).take(height) {
        let y = area.y + ((r - offset) * lines) as u16;
        if y >= area.bottom() {
            break;
        }
        let Some(a) = app.article(index) else { continue };
        let read = app.is_read(index);
        let base = if read { theme.read() } else { Style::new() };
        // An empty page (anti-bot, failed load) is there to be skipped: dimmed.
        let base = if app.is_empty_page(index) { base.patch(theme.dim()) } else { base };
        let mut x = area.x;
        let end = area.right();
        // A cell of `cols` columns: the text cut to all but the last, which separates it.
        let mut cell = |s: &str, style: Style, cols: usize, buf: &mut Buffer| {
            let cols = cols.min(usize::from(end.saturating_sub(x)));
            put(buf, x, y, s, cols.saturating_sub(1), base.patch(style));
            x += cols as u16;
        };
        cell(if read { " " } else { "*" }, theme.unread_mark(), 2, buf);
        if date_w == 10 {
            cell(&a.date.to_string(), theme.date(), 11, buf);
        } else if date_w == 5 {
            cell(&format!("{:02}-{:02}", a.date.month, a.date.day), theme.date(), 6, buf);
        }
        if source_w > 0 {
            cell(&a.source, theme.source(), source_w + 1, buf);
        }
        // A folded story shows its size; the copies of an expanded one are set in under it.
        let mark = match app.copies(index) {
            Some(_) if app.is_expanded_copy(index) => Some("  └ ".to_string()),
            Some((_, n)) if app.folding() => Some(format!("×{n} ")),
            _ => None,
        };
        if let Some(m) = mark {
            let w = text::width(&m).min(usize::from(end.saturating_sub(x)));
            put(buf, x, y, &m, w, base.patch(theme.dim()));
            x += w as u16;
        }
        let tags = app.tags_of(index);
        let room = usize::from(end.saturating_sub(x));
        // Tags can come from a hand-edited store file: shown sanitized.
        let tag_text: String = tags.iter().map(|t| format!(" [{}]", sanitize(t))).collect();
        let tag_w = text::width(&tag_text).min(room / 2);
        let title_w = room.saturating_sub(tag_w);
        let runs = text::truncate_marked(&a.title, &app.highlights(index), title_w);
        let mut tx = x;
        for (s, hl) in &runs {
            let style = if *hl { base.patch(theme.highlight()) } else { base };
            buf.set_stringn(tx, y, s, usize::from(end.saturating_sub(tx)), style);
            tx += text::width(s) as u16;
        }
        if tag_w > 0 {
            put(buf, tx, y, &tag_text, tag_w, base.patch(theme.tag()));
        }
        let snippet = app.body_results().and_then(|b| b.snippet(index));
        if let Some(s) = snippet.filter(|_| lines == 2 && y + 1 < area.bottom()) {
            let indent = 2 + if date_w > 0 { date_w as u16 + 1 } else { 0 };
            let sx = area.x + indent.min(area.width);
            put(buf, sx, y + 1, s, usize::from(area.right().saturating_sub(sx)), theme.dim());
        }
        if r == sel {
            let h = if lines == 2 && y + 1 < area.bottom() { 2 } else { 1 };
            buf.set_style(Rect::new(area.x, y, area.width, h), theme.selected(focused));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_shrink() {
        assert_eq!(columns(80, 24), (10, 20));
        assert_eq!(columns(200, 24), (10, 24));
        assert_eq!(columns(200, 9), (10, 9));
        assert_eq!(columns(44, 24), (10, 9));
        assert_eq!(columns(30, 24), (5, 0));
        assert_eq!(columns(20, 24), (0, 0));
    }
}
