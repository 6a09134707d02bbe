//! Strips terminal escapes and invisible or direction-changing characters from untrusted text.
//!
//! The rules, in order of precedence:
//! 1. whole escape sequences are removed: CSI (`ESC [` / U+009B) through its final byte; the string
//!    sequences OSC, DCS, SOS, PM, APC (`ESC ] P X ^ _` / U+009D U+0090 U+0098 U+009E U+009F)
//!    through BEL, `ESC \` or U+009C; `ESC` + intermediates + final byte; any other `ESC` with the
//!    character after it. A string sequence with no terminator loses only its introducer: the text
//!    after it stays visible, and is itself sanitized, so nothing harmful survives.
//! 2. CRLF, CR, U+2028 and U+2029 become LF; TAB becomes spaces up to the next tab stop (8 columns).
//! 3. any other C0 or C1 control and DEL becomes U+FFFD, so that it stays visible;
//! 4. BiDi controls, invisible format characters, tag characters and the variation selectors
//!    U+FE0E/U+FE0F are deleted.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
const C1_CSI: char = '\u{9b}';
const C1_ST: char = '\u{9c}';
const TAB_STOP: usize = 8;

/// Untrusted text made safe to print: see the module docs for the rules.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if is_clean(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(clean(text))
}

/// The render boundary's pass over one span of a line. Text was sanitized when parsed, but
/// nothing that could drive a terminal may reach one, so a control left over becomes `?` and a
/// character rule 4 deletes goes. Never widens the span: a control was measured as one column.
pub(crate) fn scrub_span(text: &mut String) {
    if is_clean(text) && !text.contains('\n') {
        return;
    }
    *text = text
        .chars()
        .filter(|c| !is_deleted(*c))
        .map(|c| if c.is_control() || c == '\u{2028}' || c == '\u{2029}' { '?' } else { c })
        .collect();
}

/// No rule applies to `text`. Scans bytes, decoding only after the lead bytes that can start a
/// character some rule touches (C1 and U+00AD: C2; U+061C: D8; U+2xxx: E2; U+Fxxx: EF; tags: F3).
fn is_clean(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if (b < 0x20 && b != b'\n') || b == 0x7f {
                return false;
            }
            i += 1;
            continue;
        }
        if matches!(b, 0xc2 | 0xd8 | 0xe2 | 0xef | 0xf3)
            && let Some(c) = text[i..].chars().next()
            && !is_plain(c)
        {
            return false;
        }
        i += 1;
    }
    true
}

/// A character no rule touches.
fn is_plain(c: char) -> bool {
    match c {
        '\n' => true,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => false,
        _ => !is_deleted(c) && c != '\u{2028}' && c != '\u{2029}',
    }
}

fn is_deleted(c: char) -> bool {
    matches!(c,
        // BiDi controls
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        // invisible format characters
        | '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{00ad}' | '\u{206a}'..='\u{206f}' | '\u{fff9}'..='\u{fffb}'
        // tag characters
        | '\u{e0000}'..='\u{e007f}'
        // text and emoji presentation selectors
        | '\u{fe0e}' | '\u{fe0f}')
}

/// Introducers of the string sequences (OSC, DCS, SOS, PM, APC) after ESC.
fn is_string_introducer(c: char) -> bool {
    matches!(c, ']' | 'P' | 'X' | '^' | '_')
}

fn is_c1_string_introducer(c: char) -> bool {
    matches!(c, '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}')
}

fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Display column since the last LF, for tab stops.
    let mut column = 0usize;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        rest = match c {
            ESC => skip_escape(after),
            C1_CSI => skip_csi(after),
            c if is_c1_string_introducer(c) => skip_string(after),
            '\r' => {
                out.push('\n');
                column = 0;
                after.strip_prefix('\n').unwrap_or(after)
            }
            '\n' | '\u{2028}' | '\u{2029}' => {
                out.push('\n');
                column = 0;
                after
            }
            '\t' => {
                let n = TAB_STOP - column % TAB_STOP;
                out.extend(std::iter::repeat_n(' ', n));
                column += n;
                after
            }
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => {
                out.push('\u{fffd}');
                column += 1;
                after
            }
            c if is_deleted(c) => after,
            c => {
                out.push(c);
                column += c.width().unwrap_or(0);
                after
            }
        };
    }
    out
}

/// After an ESC: the rest of the text once the whole sequence is dropped.
fn skip_escape(s: &str) -> &str {
    let mut chars = s.chars();
    match chars.next() {
        None => s,
        Some('[') => skip_csi(chars.as_str()),
        Some(c) if is_string_introducer(c) => skip_string(chars.as_str()),
        Some(c) if is_intermediate(c) => {
            let body = s.trim_start_matches(is_intermediate);
            match body.chars().next() {
                Some(f) if ('\u{30}'..='\u{7e}').contains(&f) => &body[1..],
                // No final byte: the intermediates were part of a broken sequence, drop them.
                _ => body,
            }
        }
        // A final byte, or any other character: ESC takes it along.
        Some(_) => chars.as_str(),
    }
}

fn is_intermediate(c: char) -> bool {
    ('\u{20}'..='\u{2f}').contains(&c)
}

/// After a CSI introducer: parameters, intermediates, then a final byte. A sequence broken by any
/// other character ends there, and that character is kept.
fn skip_csi(s: &str) -> &str {
    let body = s.trim_start_matches(|c| ('\u{20}'..='\u{3f}').contains(&c));
    match body.chars().next() {
        Some(f) if ('\u{40}'..='\u{7e}').contains(&f) => &body[1..],
        _ => body,
    }
}

/// After a string introducer: everything through BEL, ST (`ESC \` or U+009C). Another ESC ends
/// the string too (and starts a sequence of its own). Unterminated: only the introducer goes.
fn skip_string(s: &str) -> &str {
    for (i, c) in s.char_indices() {
        match c {
            BEL | C1_ST => return &s[i + c.len_utf8()..],
            ESC => return &s[i..],
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(sanitize("中文 text\nline"), Cow::Borrowed(_)));
    }

    #[test]
    fn idempotent_on_mixed_input() {
        let once = sanitize("a\u{1b}[1mb\r\nc\td\u{202e}e\u{9b}2Jf\u{1b}]0;t\u{7}g\u{0}");
        assert_eq!(once, "ab\nc       defg\u{fffd}");
        assert_eq!(sanitize(&once), once);
    }
}
