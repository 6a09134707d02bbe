//! The real `yuedu` reader driven through a pseudo-terminal over the hostile corpus: every byte it
//! writes is parsed, and nothing but the reader's own control sequences may appear in it.
//! `YUEDU_PTY_DUMP=FILE cargo test --test it tui_pty` keeps the raw bytes for a look.

mod pty;
mod stream;

use std::time::{Duration, Instant};

use crate::util::{Dir, adversarial};

use pty::Tui;
use stream::{Screen, context, scan, tail, visible};

/// A bracketed paste of escapes, C0 and C1 controls and BiDi and invisible characters.
fn hostile_paste() -> String {
    let mut p = String::from("\x1b[200~");
    p.push_str("paste \x1b]0;pwned\x07\x1b[31mred\u{9b}2J\u{202e}gpj.exe\u{200b}\x07\x08\u{9d}8;;x\u{9c}");
    p.push_str("\x1b[201~");
    p
}

#[test]
fn the_reader_writes_no_escape_from_content() {
    let home = Dir::new();
    let root = home.root().to_path_buf();
    adversarial::write_corpus(&root);
    let started = Instant::now();
    let mut tui = Tui::start(&home, &root, 80, 24);
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
    tui.keys(&["q", "?", "j", "\x1b[6~", "G"]);
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

/// Ctrl-Z (the key, in raw mode) and SIGTSTP (from outside) each give the terminal back in
/// cooked mode and stop the reader; SIGCONT (`fg`) takes it again, raw, and redraws.
#[test]
fn ctrl_z_and_sigtstp_stop_and_fg_redraws() {
    let home = Dir::new();
    home.write(
        "a.md",
        crate::util::article_text("Suspend me", "https://tstp.example/1", "Src", "2024-05-01", "Body."),
    );
    let mut tui = Tui::start(&home, home.root(), 80, 24);
    tui.wait_for("Suspend me", Duration::from_secs(15));
    tui.settle(Duration::from_millis(300));
    assert!(!tui.cooked(), "raw while it runs");
    for (how, stop) in [("ctrl-z", None), ("SIGTSTP", Some(libc::SIGTSTP))] {
        let before = tui.len();
        match stop {
            None => tui.send(b"\x1a"),
            Some(sig) => tui.signal(sig),
        }
        tui.wait_state('T', Duration::from_secs(5));
        assert!(tui.cooked(), "{how}: the terminal is cooked while stopped");
        let left = String::from_utf8_lossy(&tui.output()[before..]).into_owned();
        assert!(left.contains("\x1b[?1049l"), "{how}: left the alternate screen: {left:?}");
        let stopped_at = tui.len();
        tui.signal(libc::SIGCONT);
        tui.wait_for("Suspend me", Duration::from_secs(5));
        tui.settle(Duration::from_millis(200));
        assert!(!tui.cooked(), "{how}: raw again after fg");
        let back = String::from_utf8_lossy(&tui.output()[stopped_at..]).into_owned();
        assert!(back.contains("\x1b[?1049h") && back.contains("Suspend me"), "{how}: redrawn: {back:?}");
        // Keys work again at once, without Enter.
        tui.keys(&["?"]);
        tui.wait_for("┌ Keys", Duration::from_secs(3));
        tui.keys(&["q"]);
    }
    tui.keys(&["Q"]);
    let (code, out) = tui.finish();
    assert_eq!(code, Some(0), "{}", tail(&visible(&out)));
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
