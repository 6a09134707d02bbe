//! Terminal events to the app's keys and actions.

use ratatui::crossterm::event::{self, Event, KeyEventKind, KeyModifiers, MouseEventKind};

use crate::app::{Action, Key, KeyCode, Mouse};

pub enum Input {
    Key(Key),
    Action(Action),
    /// Ctrl-Z: raw mode turns the terminal's suspend character into a key, so the reader stops
    /// itself, as every full-screen program does.
    Suspend,
}

pub fn translate(ev: Event) -> Option<Input> {
    match ev {
        Event::Key(k) if matches!(k.kind, KeyEventKind::Press | KeyEventKind::Repeat) => {
            match key(k.code, k.modifiers) {
                Some(k) if k == Key::ctrl('z') => Some(Input::Suspend),
                k => k.map(Input::Key),
            }
        }
        Event::Resize(width, height) => Some(Input::Action(Action::Resize { width, height })),
        Event::Paste(s) => Some(Input::Action(Action::Paste(s))),
        Event::Mouse(m) => {
            let (column, row) = (m.column, m.row);
            let mouse = match m.kind {
                MouseEventKind::ScrollDown => Mouse::ScrollDown { column, row },
                MouseEventKind::ScrollUp => Mouse::ScrollUp { column, row },
                MouseEventKind::Down(event::MouseButton::Left) => Mouse::Click { column, row },
                _ => return None,
            };
            Some(Input::Action(Action::Mouse(mouse)))
        }
        _ => None,
    }
}

fn key(code: event::KeyCode, mods: KeyModifiers) -> Option<Key> {
    use event::KeyCode as C;
    let code = match code {
        C::Char(c) => KeyCode::Char(c),
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Backspace => KeyCode::Backspace,
        C::Delete => KeyCode::Delete,
        C::Insert => KeyCode::Insert,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let ctrl = mods.contains(KeyModifiers::CONTROL);
    let code = match code {
        // Ctrl-letters arrive as the letter; keep them lower case like the keymap's names.
        KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
        c => c,
    };
    Some(Key { code, ctrl, alt: mods.contains(KeyModifiers::ALT) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_translate() {
        assert_eq!(key(event::KeyCode::Char('G'), KeyModifiers::SHIFT), Some(Key::char('G')));
        assert_eq!(key(event::KeyCode::Char('d'), KeyModifiers::CONTROL), Some(Key::ctrl('d')));
        assert_eq!(key(event::KeyCode::PageDown, KeyModifiers::NONE), Some(Key::plain(KeyCode::PageDown)));
    }
}
