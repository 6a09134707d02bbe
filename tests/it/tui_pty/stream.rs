//! The reader's byte stream taken apart: tokens (CSI, OSC, characters), the screen they draw, and
//! the scan that allows only the reader's own sequences.

use base64::Engine;

use crate::util::terminal::{drives_terminal, invisible};

/// One piece of the byte stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
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
pub(super) fn token(bytes: &[u8], i: usize) -> Result<(Token, usize), String> {
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
pub(super) fn tokens(bytes: &[u8]) -> Result<Vec<(usize, Token)>, String> {
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
pub(super) fn context(bytes: &[u8], i: usize) -> String {
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
pub(super) fn visible(bytes: &[u8]) -> String {
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
pub(super) struct Screen {
    rows: Vec<Vec<String>>,
    at: (usize, usize),
}

impl Screen {
    pub(super) const COLS: usize = 200;
    pub(super) const ROWS: usize = 50;

    pub(super) fn of(bytes: &[u8]) -> Screen {
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

    pub(super) fn text(&self) -> String {
        let rows = self.rows.iter().map(|r| r.concat().trim_end().to_string());
        rows.collect::<Vec<_>>().join("\n")
    }
}

/// SGR parameters as crossterm writes them for ratatui: one attribute, a reset of one, or an
/// indexed colour. Anything else (`31`, blink `5`) was not written by the reader.
pub(super) fn sgr_allowed(params: &str) -> bool {
    pub(super) const ATTRIBUTES: &[&str] =
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
pub(super) fn disallowed(t: &Token) -> Option<String> {
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
pub(super) struct Scan {
    pub(super) sequences: usize,
    pub(super) chars: usize,
    pub(super) copies: usize,
    pub(super) mode_sets: std::collections::BTreeMap<String, usize>,
}

/// Every byte of `bytes` is a character or a sequence the reader writes itself.
pub(super) fn scan(bytes: &[u8]) -> Result<Scan, String> {
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

/// The last part of `text`, for a failure message.
pub(super) fn tail(text: &str) -> String {
    let skip = text.chars().count().saturating_sub(1500);
    text.chars().skip(skip).collect()
}
