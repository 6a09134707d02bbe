//! SIGTERM, SIGHUP (an SSH drop) and SIGINT set a flag the event loop checks, so it can save and
//! restore the terminal instead of dying mid-draw; a watchdog ends the process if the loop cannot
//! (at once after a hang-up, which leaves nothing to restore). SIGTSTP sets another flag: the
//! loop restores the terminal, stops, and sets it up again on SIGCONT.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Signals {
    caught: Arc<AtomicUsize>,
    suspend: Arc<std::sync::atomic::AtomicBool>,
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
        let suspend = Arc::new(std::sync::atomic::AtomicBool::new(false));
        signal_hook::flag::register(signal_hook::consts::SIGTSTP, Arc::clone(&suspend))?;
        Ok(Signals { caught, suspend })
    }

    #[cfg(not(unix))]
    pub fn install() -> io::Result<Signals> {
        Ok(Signals { caught: Arc::new(AtomicUsize::new(0)), suspend: Default::default() })
    }

    /// A SIGTSTP came (`kill -TSTP`, or the suspend key when the terminal is not raw) since the
    /// last call.
    pub fn take_suspend(&self) -> bool {
        self.suspend.swap(false, Ordering::SeqCst)
    }

    /// The signal number caught, if any.
    pub fn caught(&self) -> Option<usize> {
        match self.caught.load(Ordering::SeqCst) {
            0 => None,
            n => Some(n),
        }
    }
}

/// How long the event loop gets to finish on its own after a signal.
#[cfg(unix)]
const GRACE: std::time::Duration = std::time::Duration::from_secs(3);
/// After a hang-up there is no terminal to restore and the loop may be spinning on the dead
/// tty: the process ends at the watchdog's next look, once a save in flight had time to finish.
#[cfg(unix)]
const HANGUP_GRACE: std::time::Duration = std::time::Duration::from_millis(200);
/// How often the watchdog looks.
#[cfg(unix)]
const WATCH: std::time::Duration = std::time::Duration::from_millis(100);

/// Stops the process until a SIGCONT (`fg`). SIGSTOP rather than SIGTSTP: ours is caught, and
/// the kernel drops SIGTSTP for a process group with no shell watching it.
#[cfg(unix)]
pub fn stop_self() {
    if let Err(e) = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP) {
        tracing::warn!("cannot stop: {e}");
    }
}

#[cfg(not(unix))]
pub fn stop_self() {}

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
            std::thread::sleep(WATCH);
            let sig = caught.load(Ordering::SeqCst);
            let hung_up = tty_at_start && std::fs::File::open("/dev/tty").is_err();
            if sig == 0 && !hung_up {
                since = None;
                continue;
            }
            let first = *since.get_or_insert_with(std::time::Instant::now);
            let grace =
                if hung_up || sig == signal_hook::consts::SIGHUP as usize { HANGUP_GRACE } else { GRACE };
            if first.elapsed() >= grace {
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
