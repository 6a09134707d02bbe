//! Effects that leave the process: the system browser and the OSC 52 clipboard.

use std::io::{self, Write};
use std::process::{Command, Stdio};

use base64::Engine;

/// Opens an http(s) URL with the platform opener. The URL is one argument, never shell text.
pub fn open_url(url: &str) -> io::Result<()> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not an http(s) URL"));
    }
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    let mut child = Command::new(opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Reap the opener so it does not linger as a zombie.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

/// The OSC 52 sequence that puts `text` on the system clipboard. The payload is base64, so
/// nothing in it can end the sequence early.
pub fn osc52_sequence(text: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{b64}\x07")
}

/// Writes the OSC 52 sequence. Inside tmux it is sent twice: as is (tmux takes it when
/// `set-clipboard` is on) and wrapped for passthrough (reaches the outer terminal when
/// `allow-passthrough` is on).
pub fn osc52(out: &mut impl Write, text: &str) -> io::Result<()> {
    let seq = osc52_sequence(text);
    out.write_all(seq.as_bytes())?;
    if std::env::var_os("TMUX").is_some_and(|v| !v.is_empty()) {
        out.write_all(tmux_passthrough(&seq).as_bytes())?;
    }
    out.flush()
}

/// `seq` wrapped in tmux's DCS passthrough, with each ESC doubled.
fn tmux_passthrough(seq: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_base64() {
        assert_eq!(osc52_sequence("https://a.b/\x07"), "\x1b]52;c;aHR0cHM6Ly9hLmIvBw==\x07");
        assert_eq!(tmux_passthrough("\x1b]52;c;YQ==\x07"), "\x1bPtmux;\x1b\x1b]52;c;YQ==\x07\x1b\\");
        assert!(open_url("file:///etc/passwd").is_err());
        assert!(open_url("javascript:alert(1)").is_err());
    }
}
