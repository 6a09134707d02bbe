//! The real `yuedu` reader driven through a pseudo-terminal over the hostile corpus: every byte it
//! writes is parsed, and nothing but the reader's own control sequences may appear in it.
//! `YUEDU_PTY_DUMP=FILE cargo test --test tui_pty` keeps the raw bytes for a look.
#![cfg(target_os = "linux")]

#[path = "support/adversarial.rs"]
mod adversarial;
#[path = "support/runner.rs"]
mod runner;

use std::ffi::{CStr, OsStr};
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use base64::Engine;
use runner::{Home, corpus_args, drives_terminal, invisible};

/// The whole run, startup to exit, must fit in this; a hung reader is killed and the test fails.
const DEADLINE: Duration = Duration::from_secs(30);

/// The master side of a pseudo-terminal: what a terminal emulator holds.
struct Pty {
    master: OwnedFd,
}

fn check(ret: libc::c_int, what: &str) {
    assert!(ret >= 0, "{what}: {}", std::io::Error::last_os_error());
}

impl Pty {
    /// A new pseudo-terminal of the given size, and its slave side for the child.
    fn open(cols: u16, rows: u16) -> (Pty, OwnedFd) {
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

    fn resize(&self, cols: u16, rows: u16) {
        let ws = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
        // SAFETY: TIOCSWINSZ reads one winsize from the pointer.
        check(unsafe { libc::ioctl(self.master.as_raw_fd(), libc::TIOCSWINSZ, &ws) }, "TIOCSWINSZ");
    }
}

/// The reader running on a pseudo-terminal, with everything it writes collected by a thread.
struct Tui {
    child: Child,
    pty: Pty,
    input: std::fs::File,
    out: Arc<Mutex<Vec<u8>>>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    start: Instant,
}

impl Tui {
    fn start(home: &Home, args: &[&OsStr], cols: u16, rows: u16) -> Tui {
        let (pty, slave) = Pty::open(cols, rows);
        let mut cmd = home.command(args);
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
        drop(cmd);
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

    fn output(&self) -> Vec<u8> {
        self.out.lock().unwrap().clone()
    }

    fn len(&self) -> usize {
        self.out.lock().unwrap().len()
    }

    /// Fails the test, killing the reader first, once the deadline has passed.
    fn check_deadline(&mut self, doing: &str) {
        if self.start.elapsed() > DEADLINE {
            self.kill();
            panic!("the reader still runs after {DEADLINE:?} ({doing}): killed");
        }
    }

    #[track_caller]
    fn alive(&mut self, when: &str) {
        let status = self.child.try_wait().unwrap();
        assert!(status.is_none(), "the reader exited {when}: {status:?}; {}", tail(&visible(&self.output())));
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Waits until the screen shows `text`; returns the screen.
    #[track_caller]
    fn wait_for(&mut self, text: &str, timeout: Duration) -> String {
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
    fn settle(&mut self, quiet: Duration) {
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

    fn send(&mut self, bytes: &[u8]) {
        self.input.write_all(bytes).unwrap();
        self.input.flush().unwrap();
    }

    /// Sends each key as its own write, letting the reader handle it before the next.
    fn keys(&mut self, keys: &[&str]) {
        for k in keys {
            self.send(k.as_bytes());
            std::thread::sleep(Duration::from_millis(15));
        }
        self.settle(Duration::from_millis(150));
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.pty.resize(cols, rows);
        // The kernel signals the foreground group; signal the reader itself too, to be sure.
        // SAFETY: kill with a pid this test spawned.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGWINCH) };
        self.settle(Duration::from_millis(300));
    }

    /// Waits for the reader to exit on its own; returns its exit code and everything it wrote.
    fn finish(mut self) -> (Option<i32>, Vec<u8>) {
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
fn collect(fd: OwnedFd, out: &Mutex<Vec<u8>>, stop: &AtomicBool) {
    const QUERY: &[u8] = b"\x1b[6n";
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

/// One piece of the byte stream.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// `ESC [` params intermediates final.
    Csi {
        params: String,
        final_byte: char,
    },
    /// `ESC ]` ... BEL or ST: the body between.
    Osc(String),
    Char(char),
}

/// The token at `bytes[i..]` and where the next starts. Anything that is neither a CSI, an OSC
/// nor a UTF-8 character (a raw C1 byte, an ESC that starts some other sequence, a sequence cut
/// off) is an error.
fn token(bytes: &[u8], i: usize) -> Result<(Token, usize), String> {
    if bytes[i] == 0x1b {
        return match bytes.get(i + 1) {
            Some(b'[') => {
                let mut j = i + 2;
                while j < bytes.len() && (0x20..=0x3f).contains(&bytes[j]) {
                    j += 1;
                }
                match bytes.get(j) {
                    Some(&f) if (0x40..=0x7e).contains(&f) => {
                        let params = String::from_utf8_lossy(&bytes[i + 2..j]).into_owned();
                        Ok((Token::Csi { params, final_byte: f as char }, j + 1))
                    }
                    other => Err(format!("CSI not ended by a final byte ({other:?})")),
                }
            }
            Some(b']') => {
                let mut j = i + 2;
                loop {
                    let body = || String::from_utf8_lossy(&bytes[i + 2..j]).into_owned();
                    match bytes.get(j) {
                        Some(0x07) => return Ok((Token::Osc(body()), j + 1)),
                        Some(0x1b) if bytes.get(j + 1) == Some(&b'\\') => {
                            return Ok((Token::Osc(body()), j + 2));
                        }
                        Some(_) => j += 1,
                        None => return Err("OSC never ended".into()),
                    }
                }
            }
            other => Err(format!(
                "ESC followed by {:?}: not CSI or OSC (DCS, SOS, PM, APC, or a bare ESC)",
                other.map(|&b| b as char)
            )),
        };
    }
    let len = match bytes[i] {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        b => return Err(format!("{b:#04x} starts no UTF-8 character (a raw 8-bit C1 control?)")),
    };
    let c = bytes
        .get(i..i + len)
        .and_then(|s| std::str::from_utf8(s).ok())
        .and_then(|s| s.chars().next())
        .ok_or("invalid UTF-8")?;
    Ok((Token::Char(c), i + len))
}

/// The whole stream as tokens, each with its byte offset; the first error stops it.
fn tokens(bytes: &[u8]) -> Result<Vec<(usize, Token)>, String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let (t, next) = token(bytes, i).map_err(|e| format!("byte {i}: {e}; {}", context(bytes, i)))?;
        out.push((i, t));
        i = next;
    }
    Ok(out)
}

/// The bytes around offset `i`, escaped, for a failure message.
fn context(bytes: &[u8], i: usize) -> String {
    let from = i.saturating_sub(80);
    let to = (i + 80).min(bytes.len());
    format!(
        "before: {:?}, from there: {:?}",
        String::from_utf8_lossy(&bytes[from..i]),
        String::from_utf8_lossy(&bytes[i..to])
    )
}

/// The characters written, without control sequences: what a screen shows, in write order.
/// Bytes that do not parse are skipped, so a stream cut mid-sequence still reads.
fn visible(bytes: &[u8]) -> String {
    let mut s = String::new();
    let mut i = 0;
    while i < bytes.len() {
        match token(bytes, i) {
            Ok((Token::Char(c), next)) => {
                s.push(c);
                i = next;
            }
            Ok((_, next)) => i = next,
            Err(_) => i += 1,
        }
    }
    s
}

/// What the screen shows: a grid the stream's cursor moves and characters are applied to, enough
/// for the sequences the reader uses (cursor position, erase display; the rest leaves text alone).
struct Screen {
    rows: Vec<Vec<String>>,
    at: (usize, usize),
}

impl Screen {
    const COLS: usize = 200;
    const ROWS: usize = 50;

    fn of(bytes: &[u8]) -> Screen {
        let blank = vec![" ".to_string(); Screen::COLS];
        let mut s = Screen { rows: vec![blank; Screen::ROWS], at: (0, 0) };
        let mut i = 0;
        while i < bytes.len() {
            let Ok((t, next)) = token(bytes, i) else {
                i += 1;
                continue;
            };
            i = next;
            match t {
                Token::Csi { params, final_byte: 'H' } => {
                    let mut n = params.split(';').map(|p| p.parse::<usize>().unwrap_or(1).max(1) - 1);
                    s.at = (n.next().unwrap_or(0), n.next().unwrap_or(0));
                }
                Token::Csi { params, final_byte: 'J' } if params == "2" => {
                    s.rows.iter_mut().flatten().for_each(|cell| *cell = " ".into());
                }
                Token::Char(c) => {
                    let (r, col) = s.at;
                    let width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    // A zero-width character joins the cell before (a grapheme); a wide one
                    // covers the next cell too, which ratatui then skips.
                    let col = if width == 0 { col.saturating_sub(1) } else { col };
                    if let Some(row) = s.rows.get_mut(r) {
                        match row.get_mut(col) {
                            Some(cell) if width == 0 => cell.push(c),
                            Some(cell) => *cell = c.to_string(),
                            None => {}
                        }
                        if let Some(right) = row.get_mut(col + 1).filter(|_| width == 2) {
                            right.clear();
                        }
                    }
                    s.at.1 = col + width.max(1);
                }
                _ => {}
            }
        }
        s
    }

    fn text(&self) -> String {
        let rows = self.rows.iter().map(|r| r.concat().trim_end().to_string());
        rows.collect::<Vec<_>>().join("\n")
    }
}

/// SGR parameters as crossterm writes them for ratatui: one attribute, a reset of one, or an
/// indexed colour. Anything else (`31`, blink `5`) was not written by the reader.
fn sgr_allowed(params: &str) -> bool {
    const ATTRIBUTES: &[&str] =
        &["0", "1", "2", "3", "4", "7", "9", "22", "23", "24", "27", "29", "39", "49", "59"];
    let p: Vec<&str> = params.split(';').collect();
    let mut i = 0;
    while i < p.len() {
        if matches!(p[i], "38" | "48" | "58")
            && p.get(i + 1) == Some(&"5")
            && p.get(i + 2).is_some_and(|n| n.parse::<u8>().is_ok())
        {
            i += 3;
        } else if ATTRIBUTES.contains(&p[i]) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// The control sequences the reader itself writes, as found on a clean run over the demo corpus:
/// the alternate screen, bracketed paste, cursor hide and show, one cursor position query,
/// erase display, cursor moves and SGR. Returns why `t` is not one of them. Content may hold a
/// sequence of an allowed form (`ESC [0m`), but every hostile escape holds some form that is not
/// (`ESC [31;1m`, `ESC [3J`, `ESC [?1000h`): the test below the main one checks that.
fn disallowed(t: &Token) -> Option<String> {
    match t {
        Token::Csi { params, final_byte } => {
            let ok = match final_byte {
                'H' => {
                    let n: Vec<&str> = params.split(';').collect();
                    n.len() == 2 && n.iter().all(|x| x.parse::<u16>().is_ok_and(|v| v > 0))
                }
                'm' => sgr_allowed(params),
                'J' => params == "2",
                'h' | 'l' => ["?1049", "?2004", "?25"].contains(&params.as_str()),
                'n' => params == "6",
                _ => false,
            };
            (!ok).then(|| format!("CSI {params:?} {final_byte:?}"))
        }
        Token::Osc(body) => match body.strip_prefix("52;c;") {
            // The clipboard (`y`): base64, which nothing in a URL can break out of.
            Some(b64) => match base64::engine::general_purpose::STANDARD.decode(b64) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    match text.chars().find(|&c| drives_terminal(c) || invisible(c)) {
                        Some(c) => Some(format!("OSC 52 copies {c:?} in {text:?}")),
                        // `y` copies an article's URL and nothing else.
                        None if !(text.starts_with("https://") || text.starts_with("http://")) => {
                            Some(format!("OSC 52 copies {text:?}, not a URL"))
                        }
                        None => None,
                    }
                }
                Err(e) => Some(format!("OSC 52 with a payload that is not base64 ({e}): {body:?}")),
            },
            None => Some(format!("OSC {body:?}")),
        },
        Token::Char(c) if c.is_control() || drives_terminal(*c) || invisible(*c) => {
            Some(format!("char {c:?}"))
        }
        Token::Char(_) => None,
    }
}

/// Counts of what the stream held, for the report.
#[derive(Debug, Default)]
struct Scan {
    sequences: usize,
    chars: usize,
    copies: usize,
    mode_sets: std::collections::BTreeMap<String, usize>,
}

/// Every byte of `bytes` is a character or a sequence the reader writes itself.
fn scan(bytes: &[u8]) -> Result<Scan, String> {
    let mut s = Scan::default();
    for (at, t) in tokens(bytes)? {
        if let Some(why) = disallowed(&t) {
            return Err(format!("byte {at}: {why} did not come from the reader; {}", context(bytes, at)));
        }
        match t {
            Token::Char(_) => s.chars += 1,
            Token::Osc(_) => s.copies += 1,
            Token::Csi { params, final_byte } => {
                s.sequences += 1;
                if matches!(final_byte, 'h' | 'l' | 'n') {
                    *s.mode_sets.entry(format!("{params}{final_byte}")).or_default() += 1;
                }
            }
        }
    }
    Ok(s)
}

/// A bracketed paste of escapes, C0 and C1 controls and BiDi and invisible characters.
fn hostile_paste() -> String {
    let mut p = String::from("\x1b[200~");
    p.push_str("paste \x1b]0;pwned\x07\x1b[31mred\u{9b}2J\u{202e}gpj.exe\u{200b}\x07\x08\u{9d}8;;x\u{9c}");
    p.push_str("\x1b[201~");
    p
}

/// The last part of `text`, for a failure message.
fn tail(text: &str) -> String {
    let skip = text.chars().count().saturating_sub(1500);
    text.chars().skip(skip).collect()
}

#[test]
fn the_reader_writes_no_escape_from_content() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    std::fs::create_dir(&root).unwrap();
    adversarial::write_corpus(&root);
    let home = Home::new();
    let started = Instant::now();
    let mut tui = Tui::start(&home, &corpus_args(&root), 80, 24);
    tui.wait_for(" yuedu ", Duration::from_secs(15));
    tui.settle(Duration::from_millis(300));

    // The whole list, top to bottom, then the hostile titles by a filter.
    tui.keys(&["j"; 40]);
    tui.keys(&["G", "k", "k", "g", "\x1b[6~", "\x1b[6~", "g"]);
    tui.keys(&["/", "T", "i", "t", "l", "e", " ", "e", "n", "d", "\r"]);
    // Proof the scan sees real content: titles from the corpus, their escapes gone.
    let list = tui.wait_for("/Title end", Duration::from_secs(3));
    for title in ["Title RED end", "Title C1RED end", "Title evil.exe a end"] {
        assert!(list.contains(title), "{title:?} not shown:\n{list}");
    }

    // Every hostile article in the reader: page through it, raw and cleaned, copy its URL.
    tui.keys(&["\r", " ", "\x1b[6~", "r", " ", "r", "y"]);
    let mut copies = 1;
    for i in 0..40 {
        let keys: &[&str] = match i % 4 {
            0 => &["n", " "],
            1 => &["n", "r", "\x1b[6~"],
            2 => &["n", "\x1b[6~", "y"],
            _ => &["n", "r"],
        };
        copies += keys.iter().filter(|k| **k == "y").count();
        tui.keys(keys);
    }
    let reader = Screen::of(&tui.output()).text();
    assert!(reader.contains("https://evil.example/"), "not a hostile article:\n{reader}");
    tui.keys(&["q", "?", "j", "\x1b[6~"]);
    tui.wait_for("this help", Duration::from_secs(2));
    tui.keys(&["q"]);
    // A filter with CJK text, cancelled; then a pasted one full of escapes, applied and cleared.
    tui.keys(&["/", "标", "题", " ", "安", "全", "\x1b"]);
    tui.keys(&["/", &hostile_paste(), "\r"]);
    tui.wait_for("gpj.exe", Duration::from_secs(3));
    tui.keys(&["j", "\r", "q"]);
    tui.alive("after the pasted filter");

    // Down to one cell and back; keys in between.
    tui.resize(1, 1);
    tui.keys(&["j", "\r", " ", "q", "?", "q"]);
    tui.resize(200, 50);
    tui.keys(&["G", "\r", "q"]);
    tui.wait_for(" yuedu ", Duration::from_secs(3));
    tui.alive("after the resizes");

    // The corpus folder goes away while the reader runs: the list says so, keys still work.
    std::fs::remove_dir_all(&root).unwrap();
    tui.wait_for("corpus folder is gone", Duration::from_secs(6));
    tui.keys(&["j", "\r", " ", "\x1b[6~", "?", "q"]);
    tui.alive("after the corpus was deleted");
    tui.wait_for("corpus folder is gone", Duration::from_secs(3));
    tui.keys(&["Q"]);
    let (code, out) = tui.finish();
    if let Some(path) = std::env::var_os("YUEDU_PTY_DUMP") {
        std::fs::write(path, &out).unwrap();
    }
    let elapsed = started.elapsed();

    let text = visible(&out);
    assert!(!text.contains("panicked"), "panic: {}", tail(&text));
    assert_eq!(code, Some(0), "exit code; output: {}", tail(&text));
    let scan = scan(&out).unwrap_or_else(|e| panic!("{e}"));
    // The session was entered and left once, and the terminal restored at the end.
    for mode in ["?1049h", "?1049l", "?2004h", "?2004l", "6n"] {
        assert_eq!(scan.mode_sets.get(mode), Some(&1), "{mode}: {:?}", scan.mode_sets);
    }
    let leave = b"\x1b[?2004l\x1b[?1049l\x1b[?25h";
    let left = out.windows(leave.len()).rposition(|w| w == leave).map(|i| i + leave.len());
    let after = left.map(|i| String::from_utf8_lossy(&out[i..]).replace("\x1b[?25h", ""));
    assert_eq!(after.as_deref(), Some(""), "not restored at the end: {}", context(&out, out.len()));
    // A copy for each `y` on an article with a URL, and no other.
    assert!((10..=copies).contains(&scan.copies), "{} copies for {copies} presses of y", scan.copies);
    println!(
        "{} bytes, {} characters, {} sequences, {} clipboard copies, {:?}; {elapsed:?}",
        out.len(),
        scan.chars,
        scan.sequences,
        scan.copies,
        scan.mode_sets
    );
}

/// The scan can fail: each hostile escape, put into a clean stream, is caught.
#[test]
fn the_scan_catches_every_hostile_escape() {
    let clean =
        "\x1b[?1049h\x1b[1;1H\x1b[38;5;6;49mok\x1b[0m \u{200d}中文\x1b[2J\x1b]52;c;aHR0cHM6Ly9hLmIv\x07";
    scan(clean.as_bytes()).unwrap();
    for (name, e) in adversarial::ESCAPES {
        let stream = format!("{clean}\x1b[2;1Hbefore {e} after");
        assert!(scan(stream.as_bytes()).is_err(), "{name} passed the scan");
    }
    for bad in [
        &b"\x00"[..],
        b"\x9b31m",
        b"\xc2\x9b31m",
        b"\x1b]52;c;not base64!\x07",
        b"\x1b]52;c;G1szMW0=\x07",
        b"\x1b[3J",
        b"\x1b[H",
        b"\x1b[?1000h",
        b"\x1b[31m",
        b"\r\n",
    ] {
        let stream = [clean.as_bytes(), bad].concat();
        assert!(scan(&stream).is_err(), "{:?} passed the scan", String::from_utf8_lossy(bad));
    }
}
