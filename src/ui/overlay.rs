//! Boxes drawn over the panes: the help (every binding from the live keymap), the source and tag
//! pickers, and the bulk-change confirmation.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::{Theme, put};
use crate::app::prompt::Picker;
use crate::app::{App, Bulk, HelpLine, help_lines, text};

pub const SEARCH_LABEL: &str = "search: ";

pub(super) fn frame(theme: &Theme, title: &str, footer: &str, area: Rect, buf: &mut Buffer) -> Rect {
    Clear.render(area, buf);
    // A wide character just left of the box would be drawn over its left border: blank it.
    if area.x > 0 {
        for y in area.top()..area.bottom() {
            if let Some(cell) = buf.cell_mut((area.x - 1, y))
                && text::width(cell.symbol()) > 1
            {
                cell.set_symbol(" ");
            }
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(ratatui::text::Line::from(text::truncate(title, usize::from(area.width.saturating_sub(2)))))
        .title_bottom(ratatui::text::Line::from(text::truncate(
            footer,
            usize::from(area.width.saturating_sub(2)),
        )));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// The model's rectangle as ratatui's.
pub(super) fn rect(r: crate::app::layout::Rect) -> Rect {
    Rect::new(r.x, r.y, r.width, r.height)
}

pub(super) fn offset(area: Rect, r: crate::app::layout::Rect) -> Rect {
    Rect::new(area.x + r.x, area.y + r.y, r.width, r.height).intersection(area)
}

pub fn help(app: &App, theme: &Theme, scroll: usize, area: Rect, buf: &mut Buffer) {
    let b = offset(area, app.help_area());
    if b.width < 3 || b.height < 3 {
        return;
    }
    let inner = frame(theme, " Keys ", " j/k scroll  any other key closes ", b, buf);
    let lines = help_lines(app.keymap());
    let max = usize::from(inner.width.saturating_sub(1));
    let keys_w = 20.min(max / 3);
    for (row, line) in lines.iter().skip(scroll).take(usize::from(inner.height)).enumerate() {
        let y = inner.y + row as u16;
        let x = inner.x + 1;
        match line {
            HelpLine::Heading(h) => {
                put(buf, x, y, h, max, theme.heading());
            }
            HelpLine::Binding(keys, desc) => {
                put(buf, x, y, keys, keys_w, theme.key());
                let dx = x + keys_w as u16 + 1;
                put(buf, dx, y, desc, max.saturating_sub(keys_w + 1), Style::new());
            }
            HelpLine::Text(t) => {
                put(buf, x, y, t, max, theme.dim());
            }
            HelpLine::Blank => {}
        }
    }
}

pub fn picker(app: &App, theme: &Theme, p: &Picker, area: Rect, buf: &mut Buffer) {
    let b = offset(area, app.picker_area(p));
    if b.width < 3 || b.height < 3 {
        return;
    }
    let title = format!(" {} ({}) ", p.title, p.shown.len());
    let inner =
        frame(theme, &title, " ↑↓ or Ctrl-n/Ctrl-p move  letters search  Enter picks  Esc closes ", b, buf);
    let max = usize::from(inner.width.saturating_sub(1));
    let x = inner.x + 1;
    let w = put(buf, x, inner.y, SEARCH_LABEL, max, theme.key());
    put(buf, x + w as u16, inner.y, p.search.text(), max.saturating_sub(w), Style::new());
    let rows = usize::from(inner.height.saturating_sub(1));
    let all = match p.kind {
        crate::app::prompt::PickerKind::Source => "(all sources)",
        crate::app::prompt::PickerKind::Tag => "(clear the tag filter)",
        crate::app::prompt::PickerKind::Saved => "",
    };
    for (row, &i) in p.shown.iter().skip(p.offset).take(rows).enumerate() {
        let Some((name, count)) = p.items.get(i) else { continue };
        let y = inner.y + 1 + row as u16;
        let count = format!(" {count}");
        let cw = text::width(&count);
        // One column of margin on the right, as on the left.
        let room = max.saturating_sub(1);
        let name_w = room.saturating_sub(cw + 1);
        put(buf, x, y, name.as_deref().unwrap_or(all), name_w, Style::new());
        if room >= cw {
            buf.set_string(x + (room - cw) as u16, y, &count, theme.dim());
        }
        if p.offset + row == p.selected {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), theme.selected(true));
        }
    }
}

pub fn confirm(theme: &Theme, bulk: &Bulk, area: Rect, buf: &mut Buffer) {
    let q = bulk.question();
    let hint = "y / Enter: yes    any other key: no";
    let want_w = (text::width(&q).max(text::width(hint)) + 4).min(80) as u16;
    let b = offset(area, crate::app::layout::overlay(area.width, area.height, want_w, 5));
    if b.width < 3 || b.height < 3 {
        return;
    }
    let inner = frame(theme, " Confirm ", "", b, buf);
    let max = usize::from(inner.width.saturating_sub(1));
    put(buf, inner.x + 1, inner.y, &q, max, Style::new().patch(theme.heading()));
    if inner.height >= 3 {
        put(buf, inner.x + 1, inner.y + 2, hint, max, theme.dim());
    }
}
