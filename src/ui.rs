//! Draws the app with ratatui. Reads `&App` only: drawing never changes state, so a frame is a
//! pure function of the model and can be snapshot-tested on a `TestBackend`.

mod bars;
mod facts;
mod list;
mod overlay;
mod reader;
pub mod theme;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::widgets::Widget;

use crate::app::{App, Overlay, layout, text};
use theme::Theme;

/// Draws one frame and places the cursor in an active prompt.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    frame.render_widget(Screen(app), area);
    if let Some(pos) = cursor(app, area) {
        frame.set_cursor_position(pos);
    }
}

/// The whole screen for one state of the app. A wrapper because the model lives in its own
/// crate, which links no terminal library.
#[derive(Clone, Copy)]
pub struct Screen<'a>(pub &'a App);

impl Widget for Screen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Screen(app) = self;
        app.render_screen(area, buf);
    }
}

trait RenderScreen {
    fn render_screen(&self, area: Rect, buf: &mut Buffer);
}

impl RenderScreen for App {
    fn render_screen(&self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let theme = Theme::new(self.env());
        let a = layout::areas_at(area.width, area.height, self.shown_pane(), self.list_percent());
        let at = |r: layout::Rect| Rect::new(r.x + area.x, r.y + area.y, r.width, r.height);
        bars::title(self, &theme, at(a.title), buf);
        let mut list_area = at(a.list);
        if !a.divider.is_empty() {
            // A column of air before the divider.
            list_area.width = list_area.width.saturating_sub(1);
        }
        list::render(self, &theme, list_area, buf);
        if !a.divider.is_empty() {
            let d = at(a.divider);
            for y in d.top()..d.bottom() {
                buf.set_string(d.x, y, theme.divider(), theme.dim());
            }
        }
        reader::render(self, &theme, at(a.reader), at(a.reader_bar), buf);
        bars::status(self, &theme, at(a.status), buf);
        match self.overlay() {
            Some(Overlay::Help { scroll }) => overlay::help(self, &theme, *scroll, area, buf),
            Some(Overlay::Picker(p)) => overlay::picker(self, &theme, p, area, buf),
            Some(Overlay::Confirm(b)) => overlay::confirm(&theme, b, area, buf),
            Some(Overlay::Entities(p)) => facts::entities(self, &theme, p, area, buf),
            Some(Overlay::Board(v)) => facts::board(self, &theme, v, area, buf),
            None => {}
        }
    }
}

/// Where the terminal cursor goes: after the text before the cursor in a prompt or picker search.
pub fn cursor(app: &App, area: Rect) -> Option<Position> {
    match app.overlay() {
        Some(Overlay::Picker(p)) => {
            let b = overlay::rect(app.picker_area(p));
            if b.width < 3 || b.height < 3 {
                return None;
            }
            let x =
                b.x + 1 + overlay::SEARCH_LABEL.len() as u16 + text::width(p.search.before_cursor()) as u16;
            return (x < b.right().saturating_sub(1)).then_some(Position::new(area.x + x, area.y + b.y + 1));
        }
        Some(_) => return None,
        None => {}
    }
    let p = app.prompt()?;
    let a = layout::areas_at(area.width, area.height, app.shown_pane(), app.list_percent());
    if a.status.is_empty() {
        return None;
    }
    let x = text::width(p.label()) + text::width(p.edit.before_cursor());
    let x = u16::try_from(x).ok().filter(|&x| x < a.status.width)?;
    Some(Position::new(area.x + a.status.x + x, area.y + a.status.y))
}

/// Writes `s` at (x, y) cut to `max` columns with an ellipsis; returns the columns used.
fn put(buf: &mut Buffer, x: u16, y: u16, s: &str, max: usize, style: Style) -> usize {
    if max == 0 {
        return 0;
    }
    let t = text::truncate(s, max);
    let w = text::width(&t);
    buf.set_stringn(x, y, &t, max, style);
    w
}
