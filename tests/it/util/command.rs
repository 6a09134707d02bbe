//! `TestCommand` runs the real `yuedu` binary under CPU and wall-time limits; `Output` checks what it wrote.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::terminal::{drives_terminal, invisible};

/// Past this much CPU time a run counts as hung. CPU rather than wall time, so a loaded machine
/// does not fail the test; generous, as the tests run a debug build.
pub const LIMIT: Duration = Duration::from_secs(20);
/// A run blocked without using the CPU (on a FIFO, a lock) is caught by wall time.
pub const WALL_LIMIT: Duration = Duration::from_secs(90);

/// `yuedu` with arguments, environment and stdin, made by [`super::Dir::command`] so that it
/// never sees the user's real config, data or cache. It can be run more than once.
pub struct TestCommand {
    cmd: Command,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
}

impl TestCommand {
    pub(super) fn new() -> TestCommand {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_yuedu"));
        cmd.env("RUST_BACKTRACE", "1").env_remove("YUEDU_CORPUS").env_remove("RUST_LOG");
        TestCommand { cmd, args: Vec::new(), stdin: None }
    }

    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.args.push(format!("{:?}", arg.as_ref()));
        self.cmd.arg(arg);
        self
    }

    pub fn args<S: AsRef<OsStr>>(&mut self, args: impl IntoIterator<Item = S>) -> &mut Self {
        for a in args {
            self.arg(a);
        }
        self
    }

    /// `--corpus ROOT`.
    pub fn corpus(&mut self, root: &Path) -> &mut Self {
        self.arg("--corpus").arg(root)
    }

    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Self {
        self.cmd.env(key, value);
        self
    }

    pub fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.cmd.current_dir(dir);
        self
    }

    /// What the binary reads on stdin (nothing, at end of file, unless set).
    pub fn stdin(&mut self, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Caps the data segment (`ulimit -d`), so a run that tries to allocate more fails instead
    /// of quietly eating the machine.
    #[cfg(unix)]
    pub fn data_limit(&mut self, kib: u64) -> &mut Self {
        use std::os::unix::process::CommandExt;
        self.args.insert(0, format!("(data capped at {kib} KiB)"));
        let limit = libc::rlimit { rlim_cur: kib * 1024, rlim_max: kib * 1024 };
        // SAFETY: setrlimit is async-signal-safe and reads one rlimit from the pointer.
        unsafe {
            self.cmd.pre_exec(move || {
                if libc::setrlimit(libc::RLIMIT_DATA, &limit) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        self
    }

    /// The command line, for failure messages.
    pub fn what(&self) -> String {
        self.args.join(" ")
    }

    /// The underlying command, for a test that spawns it itself (on a pty, to kill it).
    pub fn std_command(&mut self) -> &mut Command {
        &mut self.cmd
    }

    /// Runs to the end, killing it and failing the test when it uses more than [`LIMIT`] of CPU
    /// time or [`WALL_LIMIT`] of wall time. Nothing else is checked.
    pub fn output_unchecked(&mut self) -> Output {
        let what = self.what();
        let start = Instant::now();
        let stdin = if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() };
        let mut child = self
            .cmd
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("yuedu starts");
        let input = child.stdin.take().zip(self.stdin.clone()).map(|(mut pipe, bytes)| {
            // A binary that stops reading early closes the pipe: not the test's concern.
            std::thread::spawn(move || drop(pipe.write_all(&bytes)))
        });
        let out = drain(child.stdout.take().expect("stdout piped"));
        let err = drain(child.stderr.take().expect("stderr piped"));
        let mut nap = Duration::from_millis(1);
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for yuedu") {
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
            std::thread::sleep(nap);
            nap = (nap * 2).min(Duration::from_millis(10));
        };
        if let Some(input) = input {
            input.join().expect("stdin writer");
        }
        let stderr = err.join().expect("stderr reader");
        Output {
            what,
            code: status.code(),
            stdout: out.join().expect("stdout reader"),
            stderr_utf8: std::str::from_utf8(&stderr).is_ok(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Runs to the end and checks that it ended on its own, without a panic ([`Output::sound`]).
    #[track_caller]
    pub fn output(&mut self) -> Output {
        self.output_unchecked().sound()
    }

    /// Runs and checks that it succeeded.
    #[track_caller]
    pub fn assert_ok(&mut self) -> Output {
        self.output().assert_ok()
    }

    /// Runs and checks that it failed (by its exit code, not a signal or a panic).
    #[track_caller]
    pub fn assert_err(&mut self) -> Output {
        self.output().assert_err()
    }

    /// Runs, checks that it succeeded, and returns stdout.
    #[track_caller]
    pub fn stdout(&mut self) -> String {
        self.assert_ok().stdout().to_string()
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = pipe.read_to_end(&mut b);
        b
    })
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

/// What one run of the binary did.
pub struct Output {
    /// The command line, for failure messages.
    pub what: String,
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    /// Decoded lossily; see [`Output::stderr_utf8`].
    pub stderr: String,
    stderr_utf8: bool,
}

impl Output {
    /// Exited by itself (no signal, no abort) and did not panic.
    #[track_caller]
    pub fn sound(self) -> Output {
        assert!(self.code.is_some(), "`yuedu {}` killed by a signal; stderr: {}", self.what, self.stderr);
        assert!(self.code != Some(101), "`yuedu {}` exited 101 (panic); stderr: {}", self.what, self.stderr);
        for bad in ["panicked", "stack backtrace", "RUST_BACKTRACE", "memory allocation"] {
            assert!(!self.stderr.contains(bad), "`yuedu {}`: {bad} in stderr: {}", self.what, self.stderr);
        }
        self
    }

    #[track_caller]
    pub fn assert_ok(self) -> Output {
        assert_eq!(self.code, Some(0), "`yuedu {}` failed; stderr: {}", self.what, self.stderr);
        self
    }

    #[track_caller]
    pub fn assert_err(self) -> Output {
        assert!(self.code.is_some(), "`yuedu {}` killed by a signal; stderr: {}", self.what, self.stderr);
        assert_ne!(
            self.code,
            Some(0),
            "`yuedu {}` was expected to fail; stdout: {}",
            self.what,
            self.lossy()
        );
        self
    }

    /// Stdout, which must be UTF-8, as must stderr.
    #[track_caller]
    pub fn stdout(&self) -> &str {
        self.stderr_utf8();
        std::str::from_utf8(&self.stdout).unwrap_or_else(|e| {
            panic!("`yuedu {}`: stdout is not UTF-8 at byte {}", self.what, e.valid_up_to())
        })
    }

    #[track_caller]
    pub fn stderr_utf8(&self) {
        assert!(self.stderr_utf8, "`yuedu {}`: stderr is not UTF-8: {:?}", self.what, self.stderr);
    }

    fn lossy(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Raw stdout bytes: valid UTF-8 (a stray 0x9B byte is CSI to an 8-bit terminal) and free of
    /// anything in [`drives_terminal`]. Stderr reaches the terminal too, and echoes file names.
    #[track_caller]
    pub fn safe(self) -> Output {
        self.scan(false);
        self
    }

    /// [`Output::safe`] for CSV, whose rows end in CRLF (RFC 4180).
    #[track_caller]
    pub fn safe_csv(self) -> Output {
        self.scan(true);
        self
    }

    #[track_caller]
    fn scan(&self, crlf: bool) {
        if let Some(why) = self.unsafe_reason(crlf) {
            panic!("{why}");
        }
    }

    /// Why stdout or stderr is not [`Output::safe`] (CRLF line ends allowed with `crlf`), if it is not.
    pub fn unsafe_reason(&self, crlf: bool) -> Option<String> {
        let text = match std::str::from_utf8(&self.stdout) {
            Ok(t) => t,
            Err(e) => {
                return Some(format!(
                    "`yuedu {}`: stdout is not UTF-8 at byte {}",
                    self.what,
                    e.valid_up_to()
                ));
            }
        };
        let text = if crlf { text.replace("\r\n", "\n") } else { text.to_string() };
        for (stream, text) in [("stdout", text.as_str()), ("stderr", self.stderr.as_str())] {
            if let Some((i, c)) = text.char_indices().find(|&(_, c)| drives_terminal(c)) {
                let from = text[..i].char_indices().rev().nth(40).map_or(0, |(j, _)| j);
                return Some(format!(
                    "`yuedu {}`: {c:?} at byte {i} of {stream}, after {:?}",
                    self.what,
                    &text[from..i]
                ));
            }
        }
        None
    }

    /// The characters of [`invisible`] in stdout.
    pub fn invisible_chars(&self) -> Vec<char> {
        let mut found: Vec<char> = self.lossy().chars().filter(|&c| invisible(c)).collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// A failure is a clean one: a failing exit and one line on stderr.
    #[track_caller]
    pub fn clean_failure(&self) {
        assert!(self.code != Some(0), "`yuedu {}` was expected to fail", self.what);
        assert_eq!(self.stderr.lines().count(), 1, "`yuedu {}`: not one line: {:?}", self.what, self.stderr);
    }

    /// A user mistake: a failing exit, nothing on stdout, one whole line on stderr, returned.
    #[track_caller]
    pub fn one_line_error(self) -> String {
        let run = self.assert_err();
        run.clean_failure();
        run.stderr_utf8();
        assert_eq!(run.stdout(), "", "`yuedu {}` printed to stdout", run.what);
        assert!(run.stderr.ends_with('\n'), "`yuedu {}`: {:?}", run.what, run.stderr);
        run.stderr.trim_end().to_string()
    }
}
