//! The reading pane: header and article lines from the model, and a bar with the source, the date
//! and the scroll percentage.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{Theme, put};
use crate::app::{App, Command, Pane, text};

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
        let mut cx = x;
        for span in &line.spans {
            let room = max.saturating_sub(usize::from(cx - x));
            if room == 0 {
                break;
            }
            let (nx, _) = buf.set_stringn(cx, y, &span.text, room, theme.text(&span.style));
            cx = nx;
        }
    }
    if bar.is_empty() {
        return;
    }
    let focused = app.focus() == Pane::Reader;
    let style = if focused { theme.bar() } else { theme.bar_dim() };
    buf.set_style(bar, style);
    let mut right = format!(" {}% ", r.percent(height));
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
