//! SIGTERM, SIGHUP (an SSH drop) and SIGINT set a flag the event loop checks, so it can save and
//! restore the terminal instead of dying mid-draw; a watchdog ends the process if the loop cannot.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Signals {
    caught: Arc<AtomicUsize>,
}

impl Signals {
    #[cfg(unix)]
    pub fn install() -> io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let caught = Arc::new(AtomicUsize::new(0));
        for sig in [SIGTERM, SIGHUP, SIGINT] {
            let c = Arc::clone(&caught);
            // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
            unsafe {
                signal_hook::low_level::register(sig, move || c.store(sig as usize, Ordering::SeqCst))?;
            }
        }
        watchdog(Arc::clone(&caught));
        Ok(Signals { caught })
    }

    #[cfg(not(unix))]
    pub fn install() -> io::Result<Signals> {
        Ok(Signals { caught: Arc::new(AtomicUsize::new(0)) })
    }

    /// The signal number caught, if any.
    pub fn caught(&self) -> Option<usize> {
        match self.caught.load(Ordering::SeqCst) {
            0 => None,
            n => Some(n),
        }
    }
}

/// How long the event loop gets to finish on its own after a signal or a hang-up.
#[cfg(unix)]
const GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// When the terminal hangs up, crossterm's poll can spin on the dead tty without ever returning
/// (seen with tmux kill-server), so the loop never sees the signal. The watchdog ends the process
/// then: tag changes are written as they are made, so only a save that was already failing is
/// lost. It also notices a controlling terminal that went away without a signal.
#[cfg(unix)]
fn watchdog(caught: Arc<AtomicUsize>) {
    let tty_at_start = std::fs::File::open("/dev/tty").is_ok();
    let spawned = std::thread::Builder::new().name("yuedu-watchdog".into()).spawn(move || {
        let mut since: Option<std::time::Instant> = None;
        loop {
            std::thread::sleep(std::time::Duration::from_millis(250));
            let sig = caught.load(Ordering::SeqCst);
            let hung_up = tty_at_start && std::fs::File::open("/dev/tty").is_err();
            if sig == 0 && !hung_up {
                since = None;
                continue;
            }
            let first = *since.get_or_insert_with(std::time::Instant::now);
            if first.elapsed() >= GRACE {
                tracing::warn!(sig, hung_up, "event loop did not stop: exiting");
                let code = if sig == 0 { 129 } else { 128 + sig as i32 };
                std::process::exit(code);
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("no watchdog thread: {e}");
    }
}
