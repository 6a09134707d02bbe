//! The reader on a pseudo-terminal: a pty pair, the child on its slave side, and a thread collecting
//! every byte it writes.

use std::ffi::CStr;
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::util::Dir;

/// The whole run, startup to exit, must fit in this; a hung reader is killed and the test fails.
use super::stream::{Screen, tail, visible};

pub(super) const DEADLINE: Duration = Duration::from_secs(30);

/// The master side of a pseudo-terminal: what a terminal emulator holds.
pub(super) struct Pty {
    master: OwnedFd,
}

pub(super) fn check(ret: libc::c_int, what: &str) {
    assert!(ret >= 0, "{what}: {}", std::io::Error::last_os_error());
}

impl Pty {
    /// A new pseudo-terminal of the given size, and its slave side for the child.
    pub(super) fn open(cols: u16, rows: u16) -> (Pty, OwnedFd) {
        // SAFETY: plain libc calls on fds this function owns; CLOEXEC so that processes other
        // tests spawn meanwhile do not inherit either side.
        unsafe {
            let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
            check(m, "posix_openpt");
            let master = OwnedFd::from_raw_fd(m);
            check(libc::grantpt(m), "grantpt");
            check(libc::unlockpt(m), "unlockpt");
            let mut name = [0 as libc::c_char; 128];
            check(libc::ptsname_r(m, name.as_mut_ptr(), name.len()), "ptsname_r");
            let s = libc::open(name.as_ptr(), libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
            check(s, &format!("open {:?}", CStr::from_ptr(name.as_ptr())));
            let pty = Pty { master };
            pty.resize(cols, rows);
            (pty, OwnedFd::from_raw_fd(s))
        }
    }

    pub(super) fn resize(&self, cols: u16, rows: u16) {
        let ws = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
        // SAFETY: TIOCSWINSZ reads one winsize from the pointer.
        check(unsafe { libc::ioctl(self.master.as_raw_fd(), libc::TIOCSWINSZ, &ws) }, "TIOCSWINSZ");
    }
}

/// The reader running on a pseudo-terminal, with everything it writes collected by a thread.
pub(super) struct Tui {
    child: Child,
    pty: Pty,
    input: std::fs::File,
    out: Arc<Mutex<Vec<u8>>>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    start: Instant,
}

impl Tui {
    /// `yuedu --corpus ROOT` with `home`'s home.
    pub(super) fn start(home: &Dir, root: &std::path::Path, cols: u16, rows: u16) -> Tui {
        let (pty, slave) = Pty::open(cols, rows);
        let mut test_command = home.command();
        test_command.corpus(root);
        let cmd = test_command.std_command();
        let stdio = || Stdio::from(slave.try_clone().unwrap());
        cmd.stdin(stdio())
            .stdout(stdio())
            .stderr(stdio())
            .env("TERM", "xterm-256color")
            .env_remove("TMUX")
            .env_remove("NO_COLOR")
            .env_remove("COLORTERM")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
        // SAFETY: only async-signal-safe calls between fork and exec. The new session makes the
        // pty the child's controlling terminal, as a login shell's would be.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("yuedu starts");
        // The parent's copies of the slave side go, so the master reads EIO once the child exits.
        drop(test_command);
        drop(slave);
        let input = std::fs::File::from(pty.master.try_clone().unwrap());
        let out = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (fd, out, stop) = (pty.master.try_clone().unwrap(), Arc::clone(&out), Arc::clone(&stop));
            std::thread::spawn(move || collect(fd, &out, &stop))
        };
        Tui { child, pty, input, out, stop, reader: Some(reader), start: Instant::now() }
    }

    pub(super) fn output(&self) -> Vec<u8> {
        self.out.lock().unwrap().clone()
    }

    pub(super) fn len(&self) -> usize {
        self.out.lock().unwrap().len()
    }

    /// Fails the test, killing the reader first, once the deadline has passed.
    pub(super) fn check_deadline(&mut self, doing: &str) {
        if self.start.elapsed() > DEADLINE {
            self.kill();
            panic!("the reader still runs after {DEADLINE:?} ({doing}): killed");
        }
    }

    #[track_caller]
    pub(super) fn alive(&mut self, when: &str) {
        let status = self.child.try_wait().unwrap();
        assert!(status.is_none(), "the reader exited {when}: {status:?}; {}", tail(&visible(&self.output())));
    }

    pub(super) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Waits until the screen shows `text`; returns the screen.
    #[track_caller]
    pub(super) fn wait_for(&mut self, text: &str, timeout: Duration) -> String {
        let until = Instant::now() + timeout;
        loop {
            let screen = Screen::of(&self.output()).text();
            if screen.contains(text) {
                return screen;
            }
            if Instant::now() > until {
                self.kill();
                panic!("{text:?} not on the screen after {timeout:?}:\n{screen}");
            }
            self.check_deadline(&format!("waiting for {text:?}"));
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until nothing has been written for `quiet`: the reader has handled its input.
    pub(super) fn settle(&mut self, quiet: Duration) {
        let mut last = (self.len(), Instant::now());
        loop {
            std::thread::sleep(Duration::from_millis(20));
            let n = self.len();
            if n != last.0 {
                last = (n, Instant::now());
            } else if last.1.elapsed() >= quiet {
                return;
            }
            self.check_deadline("waiting for output to settle");
        }
    }

    pub(super) fn send(&mut self, bytes: &[u8]) {
        self.input.write_all(bytes).unwrap();
        self.input.flush().unwrap();
    }

    /// Sends each key as its own write, letting the reader handle it before the next.
    pub(super) fn keys(&mut self, keys: &[&str]) {
        for k in keys {
            self.send(k.as_bytes());
            std::thread::sleep(Duration::from_millis(15));
        }
        self.settle(Duration::from_millis(150));
    }

    /// Sends `sig` to the reader.
    pub(super) fn signal(&self, sig: libc::c_int) {
        // SAFETY: kill with a pid this test spawned.
        check(unsafe { libc::kill(self.child.id() as libc::pid_t, sig) }, "kill");
    }

    /// The reader's state letter from /proc (`T` is stopped, `S` sleeping, `R` running).
    pub(super) fn state(&self) -> char {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next()).unwrap_or('?')
    }

    /// Waits until the reader is in `state` (see [`Tui::state`]).
    #[track_caller]
    pub(super) fn wait_state(&mut self, state: char, timeout: Duration) {
        let until = Instant::now() + timeout;
        while self.state() != state {
            if Instant::now() > until {
                let now = self.state();
                self.kill();
                panic!("the reader is {now:?}, not {state:?}, after {timeout:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The terminal is in canonical (cooked) mode with echo, as a shell expects it.
    pub(super) fn cooked(&self) -> bool {
        // SAFETY: tcgetattr fills one termios; on Linux the master reports the slave's modes.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        check(unsafe { libc::tcgetattr(self.input.as_raw_fd(), &mut t) }, "tcgetattr");
        t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0
    }

    pub(super) fn resize(&mut self, cols: u16, rows: u16) {
        self.pty.resize(cols, rows);
        // The kernel signals the foreground group; signal the reader itself too, to be sure.
        // SAFETY: kill with a pid this test spawned.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGWINCH) };
        self.settle(Duration::from_millis(300));
    }

    /// Waits for the reader to exit on its own; returns its exit code and everything it wrote.
    pub(super) fn finish(mut self) -> (Option<i32>, Vec<u8>) {
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            self.check_deadline("waiting for it to exit");
            std::thread::sleep(Duration::from_millis(20));
        };
        // The reader thread ends at EIO, once the child's side of the pty is closed.
        let reader = self.reader.take().unwrap();
        let until = Instant::now() + Duration::from_secs(2);
        while !reader.is_finished() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        self.stop.store(true, Ordering::SeqCst);
        reader.join().unwrap();
        (status.code(), self.output())
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if self.reader.is_some() {
            self.kill();
        }
    }
}

/// Reads the master side until the child's side is closed (EIO) or `stop` is set. Answers the
/// cursor position query (`CSI 6n`) as a terminal would: crossterm waits for the answer.
pub(super) fn collect(fd: OwnedFd, out: &Mutex<Vec<u8>>, stop: &AtomicBool) {
    pub(super) const QUERY: &[u8] = b"\x1b[6n";
    let mut answer = std::fs::File::from(fd.try_clone().unwrap());
    let mut buf = [0u8; 65536];
    let mut scanned = 0;
    while !stop.load(Ordering::SeqCst) {
        let mut pfd = libc::pollfd { fd: fd.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        // SAFETY: one pollfd, then a read into a buffer of the length given.
        let ready = unsafe { libc::poll(&mut pfd, 1, 100) };
        if ready <= 0 {
            continue;
        }
        let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            return;
        }
        let mut out = out.lock().unwrap();
        out.extend_from_slice(&buf[..n as usize]);
        let queries = out[scanned..].windows(QUERY.len()).filter(|w| *w == QUERY).count();
        scanned = out.len().saturating_sub(QUERY.len() - 1);
        drop(out);
        for _ in 0..queries {
            let _ = answer.write_all(b"\x1b[1;1R");
        }
    }
}
