//! Runs the real `yuedu` binary for the hostile-input tests: a home of its own, a CPU-time limit,
//! and checks on the raw bytes it writes.
// Each test crate includes this file and uses a different part of it.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Past this much CPU time a run counts as hung. CPU rather than wall time, so a loaded machine
/// does not fail the test; generous, as the tests run a debug build.
pub const LIMIT: Duration = Duration::from_secs(20);
/// A run blocked without using the CPU (on a FIFO, a lock) is caught by wall time.
pub const WALL_LIMIT: Duration = Duration::from_secs(90);

/// Config, data and cache in temporary folders of their own.
pub struct Home {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub what: String,
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Home {
    pub fn new() -> Home {
        Home { dir: tempfile::tempdir().unwrap() }
    }

    pub fn command(&self, args: &[&OsStr]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_yuedu"));
        let xdg = |which: &str| self.dir.path().join(which);
        cmd.args(args)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", xdg("config"))
            .env("XDG_DATA_HOME", xdg("data"))
            .env("XDG_CACHE_HOME", xdg("cache"))
            .env("XDG_STATE_HOME", xdg("state"))
            .env("RUST_BACKTRACE", "1")
            .env_remove("YUEDU_CORPUS")
            .env_remove("RUST_LOG");
        cmd
    }

    /// Runs `yuedu ARGS` and checks that it ended on its own, without a panic.
    pub fn run(&self, args: &[&OsStr]) -> Run {
        run_timed(self.command(args), describe(args)).sound()
    }
}

pub fn describe(args: &[&OsStr]) -> String {
    args.iter().map(|a| format!("{:?}", a)).collect::<Vec<_>>().join(" ")
}

/// CPU time used so far by process `pid` (Linux), from utime and stime in /proc/PID/stat.
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux configuration in use.
    Some(Duration::from_millis(ticks * 10))
}

/// Runs `cmd`, killing it and failing the test when it uses more than [`LIMIT`] of CPU time or
/// [`WALL_LIMIT`] of wall time.
pub fn run_timed(mut cmd: Command, what: String) -> Run {
    let start = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("yuedu starts");
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out_pipe.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err_pipe.read_to_end(&mut b);
        b
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        let cpu = cpu_time(child.id()).unwrap_or_default();
        if cpu > LIMIT || start.elapsed() > WALL_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`yuedu {what}` still running after {cpu:?} of CPU, {:?} of wall time: killed",
                start.elapsed()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        what,
        code: status.code(),
        stdout: out.join().unwrap(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    }
}

/// Characters that can move the cursor, change modes or talk to the clipboard (every C0 control
/// but LF and TAB, DEL, every C1 control), or reorder what the terminal shows.
pub fn drives_terminal(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b'..='\x1f' | '\x7f' | '\u{80}'..='\u{9f}') || reorders_text(c)
}

/// BiDi controls: they reorder what the terminal shows (`exe.txt` shown for `txt.exe`).
pub fn reorders_text(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Invisible characters the sanitizer deletes (issue 3, rule 4) and the Unicode line separators it
/// turns into LF. Not terminal commands, but they hide or reshape text.
pub fn invisible(c: char) -> bool {
    matches!(c,
        '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{ad}' | '\u{206a}'..='\u{206f}' | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}' | '\u{fe0e}' | '\u{fe0f}' | '\u{2028}' | '\u{2029}')
}

impl Run {
    /// Exited by itself (no signal, no abort) and did not panic.
    #[track_caller]
    pub fn sound(self) -> Run {
        assert!(self.code.is_some(), "`yuedu {}` killed by a signal; stderr: {}", self.what, self.stderr);
        assert!(self.code != Some(101), "`yuedu {}` exited 101 (panic); stderr: {}", self.what, self.stderr);
        for bad in ["panicked", "stack backtrace", "RUST_BACKTRACE", "memory allocation"] {
            assert!(!self.stderr.contains(bad), "`yuedu {}`: {bad} in stderr: {}", self.what, self.stderr);
        }
        self
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, Some(0), "`yuedu {}` failed; stderr: {}", self.what, self.stderr);
        self
    }

    /// Raw stdout bytes: valid UTF-8 (a stray 0x9B byte is CSI to an 8-bit terminal) and free of
    /// anything in [`drives_terminal`]. Stderr reaches the terminal too, and echoes file names.
    #[track_caller]
    pub fn safe(self) -> Run {
        self.scan(false);
        self
    }

    /// [`Run::safe`] for CSV, whose rows end in CRLF (RFC 4180).
    #[track_caller]
    pub fn safe_csv(self) -> Run {
        self.scan(true);
        self
    }

    #[track_caller]
    pub fn scan(&self, crlf: bool) {
        let text = match std::str::from_utf8(&self.stdout) {
            Ok(t) => t,
            Err(e) => panic!("`yuedu {}`: stdout is not UTF-8 at byte {}", self.what, e.valid_up_to()),
        };
        let text = if crlf { text.replace("\r\n", "\n") } else { text.to_string() };
        for (stream, text) in [("stdout", text.as_str()), ("stderr", self.stderr.as_str())] {
            if let Some((i, c)) = text.char_indices().find(|&(_, c)| drives_terminal(c)) {
                let from = text[..i].char_indices().rev().nth(40).map_or(0, |(j, _)| j);
                panic!("`yuedu {}`: {c:?} at byte {i} of {stream}, after {:?}", self.what, &text[from..i]);
            }
        }
    }

    /// The characters of [`invisible`] in stdout.
    pub fn invisible_chars(&self) -> Vec<char> {
        let mut found: Vec<char> =
            String::from_utf8_lossy(&self.stdout).chars().filter(|&c| invisible(c)).collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.stdout).unwrap()
    }

    /// A failure is a clean one: one line on stderr, nothing half-written on stdout.
    #[track_caller]
    pub fn clean_failure(&self) {
        assert!(self.code != Some(0), "`yuedu {}` was expected to fail", self.what);
        assert_eq!(self.stderr.lines().count(), 1, "`yuedu {}`: not one line: {:?}", self.what, self.stderr);
    }
}

pub fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

pub fn corpus_args(root: &Path) -> Vec<&OsStr> {
    vec![os("--corpus"), root.as_os_str()]
}
