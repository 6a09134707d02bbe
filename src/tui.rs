//! The only module that touches the terminal: sets it up, runs the event loop (key → action →
//! update → effects → draw), and restores it on exit, panic, SIGTERM and SIGHUP.

mod effects;
pub mod index;
mod input;
pub mod live;
mod session;
mod signals;

use std::io;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use ratatui::crossterm::event;

use crate::app::BodySearch;
use crate::app::worker::{Jobs, Reads, Worker};
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

/// How often the loop looks for answers while the worker has work out.
const BUSY_POLL: Duration = Duration::from_millis(10);
/// How long the exit waits for the tag writer to finish what was queued.
const EXIT_SAVE_WAIT: Duration = Duration::from_secs(12);

/// Runs the reader until the user quits. `notices` are shown on the status line at start
/// (a store moved aside, a config warning).
pub fn run(
    corpus: Corpus,
    store: Store,
    config: &Config,
    ambiwidth: AmbiWidth,
    notices: Vec<String>,
    source: Option<live::Source>,
    index: Option<index::Place>,
) -> io::Result<()> {
    let search = index.clone().map(|place| Box::new(index::IndexSearch { place }) as Box<dyn BodySearch>);
    let reads = Reads { search };
    let env = Env { color: color_wanted(), has_display: has_display(), ambiwidth };
    let mut app = App::new(corpus, store.detached_copy(), config, env);
    for n in notices {
        app.notify(&n, true);
    }
    let jobs = Jobs::default();
    let (answers, inbox) = mpsc::channel();
    let worker = Worker::spawn(store, jobs.clone(), reads, answers.clone())?;
    let signals = signals::Signals::install()?;
    let mut session = session::Session::start(config.mouse)?;
    let mut lp = Loop { app: &mut app, session: &mut session, worker: &worker, inbox, jobs };
    let result = lp.run(&signals, source.map(|s| (s, answers)), index);
    session.restore();
    let lost = worker.finish(EXIT_SAVE_WAIT);
    if lost > 0 {
        tracing::error!("{lost} tag change(s) could not be saved at exit");
    }
    result
}

/// The event loop's parts: the model, the terminal, and where effects go and answers come from.
struct Loop<'a> {
    app: &'a mut App,
    session: &'a mut session::Session,
    worker: &'a Worker,
    inbox: Receiver<Action>,
    jobs: Jobs,
}

impl Loop<'_> {
    fn run(
        &mut self,
        signals: &signals::Signals,
        source: Option<(live::Source, mpsc::Sender<Action>)>,
        index: Option<index::Place>,
    ) -> io::Result<()> {
        let size = self.session.terminal.size()?;
        // A first run's load is on screen from the first frame.
        let loading = source.as_ref().filter(|(s, _)| s.load_now).map(|_| self.jobs.start(live::LOAD_JOB));
        let mut fx = self.app.update(Action::Resize { width: size.width, height: size.height });
        fx.extend(self.app.update(Action::Jobs(self.jobs.running())));
        fx.extend(self.app.settle());
        if self.perform(fx) {
            return Ok(());
        }
        self.session.draw(self.app)?;
        // The reconcile and the watcher start once the first frame is up, so they do not delay it.
        // The body pass follows the load, and every change the watcher reports after it.
        let nudge = match (index, &source) {
            (Some(place), Some((_, tx))) => {
                let (nudge, nudges) = mpsc::channel();
                index::start(place, self.jobs.clone(), nudges, tx.clone());
                Some(nudge)
            }
            _ => None,
        };
        let _live = source.map(|(s, tx)| live::Live::start(s, tx, self.jobs.clone(), loading, nudge));
        let mut last_tick = Instant::now();
        loop {
            if let Some(sig) = signals.caught() {
                tracing::info!("signal {sig}: saving and exiting");
                return Ok(());
            }
            if signals.take_suspend() && self.suspend()? {
                return Ok(());
            }
            let wait = if self.app.busy() {
                BUSY_POLL
            } else if self.app.wants_tick() {
                POLL.min(TICK)
            } else {
                POLL
            };
            if event::poll(wait)? {
                let mut quit = false;
                for _ in 0..BURST {
                    let ev = event::read()?;
                    if let Some(action_or_key) = input::translate(ev) {
                        let fx = match action_or_key {
                            input::Input::Key(k) => self.app.handle_key(k),
                            input::Input::Action(a) => self.app.update(a),
                            input::Input::Suspend => {
                                quit |= self.suspend()?;
                                Vec::new()
                            }
                        };
                        quit |= self.perform(fx);
                    }
                    if quit || !event::poll(Duration::ZERO)? {
                        break;
                    }
                }
                if quit {
                    return Ok(());
                }
                let fx = self.app.settle();
                if self.perform(fx) {
                    return Ok(());
                }
                self.session.draw(self.app)?;
            }
            if self.answers()? {
                return Ok(());
            }
            if last_tick.elapsed() >= TICK {
                last_tick = Instant::now();
                let fx = self.app.update(Action::Tick);
                if self.perform(fx) {
                    return Ok(());
                }
            }
        }
    }

    /// Ctrl-Z or SIGTSTP: gives the terminal back, stops until `fg`, then takes it again and
    /// redraws at its size (which may have changed meanwhile). Returns true to quit.
    fn suspend(&mut self) -> io::Result<bool> {
        self.session.suspend();
        signals::stop_self();
        self.session.resume()?;
        let size = self.session.terminal.size()?;
        let fx = self.app.update(Action::Resize { width: size.width, height: size.height });
        if self.perform(fx) {
            return Ok(true);
        }
        self.session.draw(self.app)?;
        Ok(false)
    }

    /// Applies what the worker and the watcher answered, and the jobs' progress; draws once if
    /// anything came. Returns true to quit.
    fn answers(&mut self) -> io::Result<bool> {
        let mut actions: Vec<Action> = self.inbox.try_iter().collect();
        let jobs = self.jobs.running();
        if jobs != self.app.jobs() {
            actions.push(Action::Jobs(jobs));
        }
        if actions.is_empty() {
            return Ok(false);
        }
        for a in actions {
            let fx = self.app.update(a);
            if self.perform(fx) {
                return Ok(true);
            }
        }
        let fx = self.app.settle();
        if self.perform(fx) {
            return Ok(true);
        }
        self.session.draw(self.app)?;
        Ok(false)
    }

    /// Hands worker effects to the worker and carries out the rest; returns true to quit.
    fn perform(&mut self, effects: Vec<Effect>) -> bool {
        let mut quit = false;
        for fx in effects {
            let Some(fx) = self.worker.send(fx) else { continue };
            match fx {
                Effect::Quit => quit = true,
                Effect::OpenUrl(url) => {
                    if let Err(e) = effects::open_url(&url) {
                        self.app.notify(&format!("cannot open the browser: {e}"), true);
                    }
                }
                Effect::Copy(text) => {
                    if let Err(e) = effects::osc52(self.session.writer(), &text) {
                        self.app.notify(&format!("cannot copy: {e}"), true);
                    }
                }
                Effect::Redraw => {
                    if let Err(e) = self.session.draw(self.app) {
                        tracing::warn!("draw failed: {e}");
                    }
                }
                other => tracing::warn!("unhandled effect {other:?}"),
            }
        }
        quit
    }
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
