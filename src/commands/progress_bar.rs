//! A progress bar on stderr for a long command (a cold index build, `check --boilerplate`),
//! drawn with indicatif from a [`Progress`] the job updates. Only on a terminal, and only once
//! the job has run for a while, so quick commands and pipes see nothing.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::progress::Progress;

/// A job quicker than this never shows a bar: a flash of one is noise.
const SHOW_AFTER: Duration = Duration::from_millis(800);
/// How often the bar reads the job's counts.
const TICK: Duration = Duration::from_millis(100);

/// Draws while it lives; dropping it stops the drawing and clears the bar.
pub struct Bar {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Bar {
    /// Starts drawing `progress` on stderr when stderr is a terminal; otherwise does nothing.
    pub fn start(progress: &Progress) -> Bar {
        let stop = Arc::new(AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return Bar { stop, thread: None };
        }
        let (progress, flag) = (progress.clone(), stop.clone());
        let thread =
            std::thread::Builder::new().name("progress".into()).spawn(move || draw(&progress, &flag));
        Bar { stop, thread: thread.ok() }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn draw(progress: &Progress, stop: &AtomicBool) {
    let started = Instant::now();
    let mut bar: Option<ProgressBar> = None;
    let mut styled_for_total: Option<bool> = None;
    // The rate and the time left come from the job's own counts: indicatif sees only the jumps
    // between two polls.
    let counted = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg}")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    let counting = ProgressStyle::with_template("{prefix} {spinner} {pos}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    while !stop.load(Ordering::Relaxed) && !progress.is_finished() {
        std::thread::sleep(TICK);
        if started.elapsed() < SHOW_AFTER {
            continue;
        }
        let s = progress.snapshot();
        let b = bar.get_or_insert_with(|| ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()));
        if styled_for_total != Some(s.total > 0) {
            b.set_style(if s.total > 0 { counted.clone() } else { counting.clone() });
            styled_for_total = Some(s.total > 0);
        }
        if s.total > 0 {
            b.set_length(s.total as u64);
        }
        b.set_prefix(s.name);
        if s.total > 0 && s.rate > 0 {
            let left = s.total.saturating_sub(s.done) / s.rate;
            b.set_message(format!("{}/s, {left} s left", s.rate));
        }
        b.set_position(s.done as u64);
        b.tick();
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
}
