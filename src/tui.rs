//! The only module that touches the terminal: sets it up, runs the event loop (key → action →
//! update → effects → draw), and restores it on exit, panic, SIGTERM and SIGHUP.

mod effects;
mod input;
pub mod live;
mod session;
mod signals;

use std::io;
use std::time::{Duration, Instant};

use ratatui::crossterm::event;

use crate::app::{Action, App, Effect, Env};
use crate::config::Config;
use crate::corpus::Corpus;
use crate::document::AmbiWidth;
use crate::tags::Store;

/// How often the loop looks for a signal while idle. Nothing is drawn unless something changed.
const POLL: Duration = Duration::from_millis(250);
/// How often unsaved tags are retried and the corpus folder is checked.
const TICK: Duration = Duration::from_secs(2);
/// Events handled in one burst before drawing, so a flood of input still shows progress.
const BURST: usize = 256;

/// Runs the reader until the user quits. `notices` are shown on the status line at start
/// (a store moved aside, a config warning).
pub fn run(
    corpus: Corpus,
    store: Store,
    config: &Config,
    ambiwidth: AmbiWidth,
    notices: Vec<String>,
    source: Option<live::Source>,
) -> io::Result<()> {
    let env = Env { color: color_wanted(), has_display: has_display(), ambiwidth };
    let mut app = App::new(corpus, store, config, env);
    for n in notices {
        app.notify(&n, true);
    }
    let signals = signals::Signals::install()?;
    let mut session = session::Session::start(config.mouse)?;
    let result = event_loop(&mut app, &mut session, &signals, source);
    if let Err(e) = app.shutdown() {
        tracing::error!("tag changes lost at exit: {e}");
    }
    session.restore();
    result
}

fn event_loop(
    app: &mut App,
    session: &mut session::Session,
    signals: &signals::Signals,
    source: Option<live::Source>,
) -> io::Result<()> {
    let size = session.terminal.size()?;
    app.update(Action::Resize { width: size.width, height: size.height });
    app.settle();
    session.draw(app)?;
    // The reconcile and the watcher start once the first frame is up, so they do not delay it.
    let live = source.map(live::Live::start);
    let live = live.as_ref();
    let mut last_tick = Instant::now();
    loop {
        if let Some(sig) = signals.caught() {
            tracing::info!("signal {sig}: saving and exiting");
            return Ok(());
        }
        let wait = if app.wants_tick() { POLL.min(TICK) } else { POLL };
        if event::poll(wait)? {
            let mut quit = false;
            for _ in 0..BURST {
                let ev = event::read()?;
                if let Some(action_or_key) = input::translate(ev) {
                    let fx = match action_or_key {
                        input::Input::Key(k) => app.handle_key(k),
                        input::Input::Action(a) => app.update(a),
                    };
                    quit |= perform(app, session, fx);
                }
                if quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
            if quit {
                return Ok(());
            }
            app.settle();
            session.draw(app)?;
        }
        if let Some(action) = live.and_then(live::Live::next) {
            let fx = app.update(action);
            if perform(app, session, fx) {
                return Ok(());
            }
            app.settle();
            session.draw(app)?;
        }
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            let fx = app.update(Action::Tick);
            if perform(app, session, fx) {
                return Ok(());
            }
        }
    }
}

/// Carries out effects; returns true to quit.
fn perform(app: &mut App, session: &mut session::Session, effects: Vec<Effect>) -> bool {
    let mut quit = false;
    for fx in effects {
        match fx {
            Effect::Quit => quit = true,
            Effect::OpenUrl(url) => {
                if let Err(e) = effects::open_url(&url) {
                    app.notify(&format!("cannot open the browser: {e}"), true);
                }
            }
            Effect::Copy(text) => {
                if let Err(e) = effects::osc52(session.writer(), &text) {
                    app.notify(&format!("cannot copy: {e}"), true);
                }
            }
            Effect::Redraw => {
                if let Err(e) = session.draw(app) {
                    tracing::warn!("draw failed: {e}");
                }
            }
        }
    }
    quit
}

/// Colour unless NO_COLOR is set to something non-empty (no-color.org).
fn color_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A browser can be opened: macOS, or an X11 or Wayland display.
fn has_display() -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    cfg!(target_os = "macos") || set("DISPLAY") || set("WAYLAND_DISPLAY")
}
