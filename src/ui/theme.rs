//! Styles for every part of the screen, in two sets: colour (the 16 basic ANSI colours only, so
//! any terminal shows them) and, under NO_COLOR, attributes alone.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use crate::app::Env;
use crate::document::{self, AmbiWidth};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
    /// Box-drawing characters are East Asian ambiguous: drawn two columns wide where the user
    /// asked for wide ambiguous characters, so ASCII is used there.
    ascii: bool,
}

const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    pub fn new(env: Env) -> Theme {
        Theme { color: env.color, ascii: env.ambiwidth == AmbiWidth::Wide }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }

    pub fn border(&self) -> border::Set<'static> {
        if self.ascii { ASCII_BORDER } else { border::PLAIN }
    }
    pub fn divider(&self) -> &'static str {
        if self.ascii { "|" } else { "│" }
    }

    pub fn bar(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    pub fn bar_dim(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }
    /// A match of the search inside the article, and the one moved to.
    pub fn find_hit(&self, current: bool) -> Style {
        let s = Style::new().add_modifier(Modifier::REVERSED);
        if current { s.add_modifier(Modifier::BOLD | Modifier::UNDERLINED) } else { s }
    }
    pub fn unread_mark(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn read(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
    pub fn date(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn source(&self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn tag(&self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn highlight(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Yellow) } else { s.add_modifier(Modifier::UNDERLINED) }
    }
    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
    pub fn error(&self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Red) } else { s.add_modifier(Modifier::REVERSED) }
    }
    pub fn heading(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// The terminal style for a span of rendered article text.
    pub fn text(&self, s: &document::Style) -> Style {
        let mut out = Style::new();
        if s.heading > 0 {
            out = out.patch(self.heading());
        }
        if s.bold {
            out = out.add_modifier(Modifier::BOLD);
        }
        if s.italic {
            out = out.add_modifier(Modifier::ITALIC);
        }
        if s.strike {
            out = out.add_modifier(Modifier::CROSSED_OUT);
        }
        if s.code {
            out = out.patch(self.fg(Color::Green));
        }
        if s.link {
            out = out.patch(self.fg(Color::Magenta)).add_modifier(Modifier::UNDERLINED);
        }
        if s.quote {
            out = out.add_modifier(Modifier::ITALIC);
        }
        if s.dim {
            out = out.add_modifier(Modifier::DIM);
        }
        out
    }
}
