//! Paths in TSV and CSV output: exact, with what a terminal or a row cannot carry escaped visibly.
//!
//! A path is written byte for byte except: `\` as `\\`; tab, LF and CR as `\t`, `\n`, `\r`; and
//! as `\xHH` for each of its bytes, any other control character, any character that reorders or
//! hides text (BiDi controls, zero-width and other format characters), and any byte that is not
//! UTF-8. [`unescape`] gives back the exact bytes.

use std::path::Path;

/// Characters a terminal would act on or that hide text: C0 and C1 controls, DEL, soft hyphen,
/// BiDi and other format characters, variation selectors, tags, line and paragraph separators.
pub fn hides_or_acts(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
            | '\u{e0000}'..='\u{e007f}')
}

/// `path` on one line, exact but for the escapes described above.
pub fn escaped(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str());
    #[cfg(not(unix))]
    let lossy = path.to_string_lossy();
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    escape_bytes(bytes)
}

fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    let hex = |out: &mut String, bytes: &[u8]| {
        for b in bytes {
            out.push_str(&format!("\\x{b:02x}"));
        }
    };
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c if hides_or_acts(c) => hex(&mut out, c.encode_utf8(&mut [0; 4]).as_bytes()),
                c => out.push(c),
            }
        }
        hex(&mut out, chunk.invalid());
    }
    out
}

/// A path for JSON: exact when it is UTF-8 (JSON escapes the rest); otherwise [`escaped`], and
/// true to say so, since a JSON string cannot hold bytes that are not UTF-8.
pub fn for_json(path: &Path) -> (std::borrow::Cow<'_, str>, bool) {
    match path.to_str() {
        Some(s) => (s.into(), false),
        None => (escaped(path).into(), true),
    }
}

/// The bytes an [`escaped`] path stands for; None when `s` is not such a path (a stray `\`).
pub fn unescape(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        match bytes.get(i + 1)? {
            b'\\' => out.push(b'\\'),
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'x' => {
                let digits = std::str::from_utf8(bytes.get(i + 2..i + 4)?).ok()?;
                out.push(u8::from_str_radix(digits, 16).ok()?);
                i += 2;
            }
            _ => return None,
        }
        i += 2;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_what_cannot_be_shown_and_round_trips() {
        let cases: &[&[u8]] = &[
            b"/a/plain \xe6\xa0\x87\xe9\xa2\x98.md",
            "/a/zero\u{200b}width\u{202e}.md".as_bytes(),
            b"/a/tab\there\nnl\\back\x1b[31m.md",
            b"/a/latin1-\xe9\xff.md",
        ];
        for &bytes in cases {
            let e = escape_bytes(bytes);
            assert!(!e.chars().any(hides_or_acts), "{e:?}");
            assert_eq!(unescape(&e).as_deref(), Some(bytes), "{e:?}");
        }
        assert_eq!(escape_bytes(b"/a/\xe6\xa0\x87.md"), "/a/\u{6807}.md");
        assert_eq!(escape_bytes("a\u{200b}b\\c\td".as_bytes()), "a\\xe2\\x80\\x8bb\\\\c\\td");
        assert_eq!(escape_bytes(b"x\xff"), "x\\xff");
        assert_eq!(unescape("bad\\q"), None);
        assert_eq!(unescape("cut\\x4"), None);
    }
}
