//! The indicators panel and the CVE board, drawn over the panes.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Sparkline, Widget};

use super::overlay::{frame, offset};
use super::{Theme, put};
use crate::app::entities::{BoardView, EntityPanel};
use crate::app::{App, layout};

/// The panel's and the board's widest box.
const PANEL_WIDTH: u16 = 110;
/// Rows of the selected CVE's sparkline under the board.
const DETAIL_ROWS: u16 = 3;

/// First line to draw so that `cursor` stays on screen in `rows` lines.
fn scroll(cursor: usize, rows: usize) -> usize {
    (cursor + 1).saturating_sub(rows.max(1))
}

pub fn entities(app: &App, theme: &Theme, p: &EntityPanel, area: Rect, buf: &mut Buffer) {
    let lines = p.lines();
    let want_h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let (w, h) = app.size();
    let b = offset(area, layout::overlay(w, h, PANEL_WIDTH, want_h));
    if b.width < 10 || b.height < 3 {
        return;
    }
    let title = app.article(p.index).map_or(String::new(), |a| format!(" Indicators: {} ", a.title));
    let inner =
        frame(theme, &title, " Enter: every article naming it  y: copy  Y: copy the kind  Esc ", b, buf);
    let max = usize::from(inner.width.saturating_sub(2));
    let rows = usize::from(inner.height);
    let at = lines.iter().position(|l| *l == Ok(p.cursor)).unwrap_or(0);
    let value_w = (max * 11 / 20).max(8);
    for (row, line) in lines.iter().skip(scroll(at, rows)).take(rows).enumerate() {
        let y = inner.y + row as u16;
        let x = inner.x + 1;
        match line {
            Err(kind) => {
                let n = p.items.iter().filter(|it| it.kind == *kind).count();
                put(buf, x, y, &format!("{} ({n})", kind.name().to_uppercase()), max, theme.heading());
            }
            Ok(i) => {
                let Some(it) = p.items.get(*i) else { continue };
                let used = put(buf, x + 2, y, &it.value, value_w.min(max.saturating_sub(2)), Style::new());
                let mut tail = format!("×{}", it.count);
                if it.defanged != it.value {
                    tail = format!("{}  {tail}", it.defanged);
                }
                if it.suspect {
                    tail.push_str("  suspect: newer than the article");
                }
                let tx = (x + 2 + value_w.max(used) as u16 + 2).min(inner.right());
                let room = usize::from(inner.right().saturating_sub(tx));
                put(buf, tx, y, &tail, room, theme.dim());
                if *i == p.cursor {
                    buf.set_style(Rect::new(inner.x, y, inner.width, 1), theme.selected(true));
                }
            }
        }
    }
}

pub fn board(app: &App, theme: &Theme, v: &BoardView, area: Rect, buf: &mut Buffer) {
    let (w, h) = app.size();
    let want_h = u16::try_from(v.rows.len() + 3).unwrap_or(u16::MAX).saturating_add(DETAIL_ROWS + 1);
    let b = offset(area, layout::overlay(w, h, PANEL_WIDTH, want_h));
    if b.width < 20 || b.height < 4 {
        return;
    }
    let partial = if v.seen < v.listed {
        format!(", {} of {} read by the body pass", v.seen, v.listed)
    } else {
        String::new()
    };
    let title = format!(" CVE board: {} CVEs in {} articles{partial} ", v.rows.len(), v.listed);
    let inner = frame(theme, &title, " Enter: filter to it  y: copy  Esc: close ", b, buf);
    let x = inner.x + 1;
    let max = usize::from(inner.width.saturating_sub(2));
    let spark_w = v.weeks.min(max.saturating_sub(58));
    let header = format!(
        "{:<17}{:>5}{:>5}  {:<10} {:<10} {:>6}  weekly",
        "cve", "arts", "srcs", "first", "last", "trend"
    );
    put(buf, x, inner.y, &header, max, theme.heading());
    let detail = if inner.height > DETAIL_ROWS + 3 { DETAIL_ROWS + 1 } else { 0 };
    let rows = usize::from(inner.height.saturating_sub(1 + detail));
    for (row, r) in v
        .rows
        .iter()
        .enumerate()
        .skip(scroll(v.cursor, rows))
        .take(rows)
        .map(|(i, r)| (i - scroll(v.cursor, rows), r))
    {
        let y = inner.y + 1 + row as u16;
        let suspect = if r.suspect > 0 { "?" } else { " " };
        let line = format!(
            "{:<16}{suspect}{:>5}{:>5}  {} {} {:>+6.1}  ",
            r.cve, r.articles, r.sources, r.first_seen, r.last_seen, r.trend
        );
        let used = put(buf, x, y, &line, max, Style::new());
        if spark_w > 0 {
            let data: Vec<u64> = r.weekly.iter().rev().take(spark_w).rev().map(|&n| u64::from(n)).collect();
            let sx = x + used as u16;
            Sparkline::default()
                .data(&data)
                .style(theme.source())
                .render(Rect::new(sx, y, spark_w as u16, 1).intersection(inner), buf);
        }
        if scroll(v.cursor, rows) + row == v.cursor {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), theme.selected(true));
        }
    }
    if detail > 0
        && let Some(r) = v.rows.get(v.cursor)
    {
        let y = inner.bottom() - DETAIL_ROWS - 1;
        let label = format!(
            "{}: {} article(s), {} source(s), weight {:.2}{} — articles per week, last {} weeks",
            r.cve,
            r.articles,
            r.sources,
            r.weight,
            if r.suspect > 0 { format!(", {} suspect", r.suspect) } else { String::new() },
            v.weeks
        );
        put(buf, x, y, &label, max, theme.dim());
        let data: Vec<u64> = r.weekly.iter().map(|&n| u64::from(n)).collect();
        let width = (data.len() as u16 * 2).min(inner.width.saturating_sub(2));
        let wide: Vec<u64> = data.iter().flat_map(|&n| [n, n]).collect();
        Sparkline::default()
            .data(&wide)
            .style(theme.source())
            .render(Rect::new(x, y + 1, width, DETAIL_ROWS).intersection(inner), buf);
    }
}
