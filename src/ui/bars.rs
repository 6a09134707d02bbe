//! The title bar (counts, filter, limits, sort) and the status line (prompt, message or key hints).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::{Theme, put};
use crate::app::{App, Command, Pane, text};
use crate::progress::Snapshot;

/// `row/shown`, and the corpus size when the list is narrowed.
fn position(row: usize, shown: usize, total: usize) -> String {
    if shown == total {
        format!(" {}/{} ", thousands(row), thousands(shown))
    } else {
        format!(" {}/{} of {} ", thousands(row), thousands(shown), thousands(total))
    }
}

pub fn title(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    buf.set_style(area, theme.bar());
    let total = app.corpus().articles.len();
    let mut parts: Vec<(String, Style)> = vec![
        (" 阅读 yuedu ".to_string(), theme.bar()),
        (position(app.position(), app.rows().len(), total), theme.bar()),
    ];
    if app.corpus_gone() {
        let root = crate::document::sanitize(&app.corpus().root.to_string_lossy()).into_owned();
        parts.push((format!(" corpus folder is gone: {root} "), theme.error()));
    }
    if app.unsaved() > 0 {
        parts.push((format!(" {} unsaved ", app.unsaved()), theme.error()));
    }
    if let Some(b) = app.body_results() {
        let partial = if b.partial.is_some() { ", index partial" } else { "" };
        parts.push((format!(" search: {} ({} hits{partial}) ", b.query, b.total), theme.bar()));
    }
    let filter = app.filter_text().trim();
    if !filter.is_empty() {
        parts.push((format!(" /{filter} "), theme.bar()));
    }
    if let Some(s) = app.source_filter() {
        parts.push((format!(" source: {s} "), theme.bar()));
    }
    if app.unread_only() {
        parts.push((" unread ".to_string(), theme.bar()));
    }
    parts.push((format!(" sort: {} ", app.sort().label(app.filter_active())), theme.bar_dim()));
    let mut x = area.x;
    let end = area.right();
    for (s, style) in parts {
        if x >= end {
            break;
        }
        let w = put(buf, x, area.y, &s, usize::from(end - x), style);
        x += w as u16;
    }
}

/// One background job as a line: "reading the corpus: 12,345/143,520 files (5,210/s)".
pub fn job_line(job: &Snapshot) -> String {
    let mut s = format!("{}…", job.name);
    if job.total > 0 {
        s = format!("{}: {}/{}", job.name, thousands(job.done), thousands(job.total));
        let pct = job.done.min(job.total) * 100 / job.total;
        s.push_str(&format!(" ({pct}%)"));
    } else if job.done > 0 {
        s = format!("{}: {}", job.name, thousands(job.done));
    }
    if job.rate > 0 {
        s.push_str(&format!(", {}/s", thousands(job.rate)));
    }
    s
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn status(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let max = usize::from(area.width);
    if let Some(p) = app.prompt() {
        let mut x = area.x;
        let mut room = max;
        let mut push = |s: &str, style: Style, buf: &mut Buffer| {
            let w = put(buf, x, area.y, s, room, style);
            x += w as u16;
            room -= w;
        };
        push(p.label(), theme.key(), buf);
        push(p.edit.text(), Style::new(), buf);
        if let Some(e) = app.filter_error().filter(|_| p.kind == crate::app::PromptKind::Filter) {
            push(&format!("   {e}"), theme.error(), buf);
        } else if p.kind == crate::app::PromptKind::Filter {
            push(&format!("   {} shown", app.rows().len()), theme.dim(), buf);
        } else if p.kind == crate::app::PromptKind::BodySearch {
            push("   Enter searches every article's text", theme.dim(), buf);
        } else if p.kind == crate::app::PromptKind::Find {
            let n = app.find().map_or(0, |f| f.hits.len());
            push(&format!("   {n} match{}", if n == 1 { "" } else { "es" }), theme.dim(), buf);
        } else {
            let c = p.candidates();
            if !c.is_empty() {
                push(&format!("   Tab: {}", c.join(" ")), theme.dim(), buf);
            }
        }
        return;
    }
    if let Some(m) = app.message() {
        let style = if m.error { theme.error() } else { Style::new() };
        put(buf, area.x, area.y, &m.text, max, style);
        return;
    }
    if let Some(job) = app.jobs().first() {
        let more = app.jobs().len() - 1;
        let extra = if more > 0 { format!("  (+{more} more)") } else { String::new() };
        put(buf, area.x, area.y, &format!("{}{extra}", job_line(job)), max, theme.dim());
        return;
    }
    let reading = app.focus() == Pane::Reader && app.reader().is_some();
    if reading && let Some(s) = app.find_status() {
        put(buf, area.x, area.y, &s, max, theme.dim());
        return;
    }
    let hints: &[(Command, &str)] = if reading {
        &[
            (Command::PageDown, "page"),
            (Command::NextArticle, "next"),
            (Command::PrevArticle, "prev"),
            (Command::Back, "back"),
            (Command::Help, "help"),
            (Command::RawView, "raw"),
            (Command::OpenUrl, "browser"),
            (Command::CopyUrl, "copy url"),
            (Command::AddTags, "tag"),
        ]
    } else {
        &[
            (Command::Open, "open"),
            (Command::Filter, "filter"),
            (Command::AddTags, "tag"),
            (Command::FollowUp, "follow-up"),
            (Command::Help, "help"),
            (Command::Back, "quit"),
            (Command::Sort, "sort"),
            (Command::PickSource, "source"),
            (Command::UnreadOnly, "unread"),
        ]
    };
    let mut x = area.x;
    let end = area.right();
    for (cmd, label) in hints {
        let Some(key) = app.keymap().first(*cmd) else { continue };
        let w = text::width(&key) + 1 + text::width(label) + 2;
        if usize::from(end - x) < w {
            break;
        }
        buf.set_string(x, area.y, &key, theme.key());
        let kx = x + text::width(&key) as u16 + 1;
        buf.set_string(kx, area.y, label, Style::new());
        x += w as u16;
    }
}
