//! The terminal session: raw mode, alternate screen, bracketed paste and (if asked) the mouse,
//! undone on drop and by a panic hook.

use std::io::{self, Stdout, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use crate::app::App;

/// Whether the terminal is in our state, so restoring twice (panic hook, then drop) is harmless.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

pub struct Session {
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl Session {
    pub fn start(mouse: bool) -> io::Result<Session> {
        HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore_terminal();
                previous(info);
            }));
        });
        MOUSE.store(mouse, Ordering::SeqCst);
        ACTIVE.store(true, Ordering::SeqCst);
        let started = (|| -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
            enable_raw_mode()?;
            let mut out = io::stdout();
            execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
            if mouse {
                execute!(out, EnableMouseCapture)?;
            }
            let mut t = Terminal::new(CrosstermBackend::new(io::stdout()))?;
            t.hide_cursor()?;
            t.clear()?;
            Ok(t)
        })();
        match started {
            Ok(terminal) => Ok(Session { terminal }),
            Err(e) => {
                restore_terminal();
                Err(e)
            }
        }
    }

    pub fn draw(&mut self, app: &App) -> io::Result<()> {
        self.terminal.draw(|f| crate::ui::draw(f, app)).map(|_| ())
    }

    /// The raw output, for escape sequences ratatui does not send (OSC 52).
    pub fn writer(&mut self) -> &mut impl Write {
        self.terminal.backend_mut()
    }

    pub fn restore(&mut self) {
        restore_terminal();
    }

    /// Gives the terminal back (cooked mode, main screen) before the process stops.
    pub fn suspend(&mut self) {
        restore_terminal();
    }

    /// Takes the terminal again after a stop and clears it, so the next draw repaints all.
    pub fn resume(&mut self) -> io::Result<()> {
        ACTIVE.store(true, Ordering::SeqCst);
        enable_raw_mode()?;
        let mut out = io::stdout();
        execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
        if MOUSE.load(Ordering::SeqCst) {
            execute!(out, EnableMouseCapture)?;
        }
        self.terminal.hide_cursor()?;
        self.terminal.clear()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Leaves the terminal as it was found. Errors are ignored: after SIGHUP there is no terminal.
fn restore_terminal() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, cursor::Show);
    let _ = out.flush();
}
