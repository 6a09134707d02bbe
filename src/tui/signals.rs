//! SIGTERM, SIGHUP (an SSH drop) and SIGINT set a flag the event loop checks, so it can save and
//! restore the terminal instead of dying mid-draw.

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
