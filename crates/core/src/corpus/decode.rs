//! Turns a file's bytes into text: UTF-8, else GB18030, else UTF-16 with a BOM, else lossy.

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Encoding {
    Utf8,
    Gb18030,
    Utf16,
    /// Not valid in any encoding we know: bad bytes became U+FFFD.
    Lossy,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
            Encoding::Utf16 => "UTF-16",
            Encoding::Lossy => "invalid bytes replaced",
        }
    }
}

/// Decodes `bytes`. `complete` is false when `bytes` is only the head of the file, so a
/// multi-byte character cut at the end must not count against an encoding.
pub fn decode(bytes: &[u8], complete: bool) -> (Cow<'_, str>, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest), Encoding::Utf8);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => return (Cow::Borrowed(s), Encoding::Utf8),
        // A character cut by the read limit: error_len() is None only for an incomplete tail.
        Err(e) if !complete && e.error_len().is_none() => {
            let s = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            return (Cow::Borrowed(s), Encoding::Utf8);
        }
        Err(_) => {}
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let enc = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let body = &bytes[2..];
        let body = if complete { body } else { &body[..body.len() & !1] };
        let (text, _) = enc.decode_without_bom_handling(body);
        return (Cow::Owned(text.into_owned()), Encoding::Utf16);
    }
    if mostly_utf8(bytes) {
        return (String::from_utf8_lossy(bytes), Encoding::Lossy);
    }
    if let Some(text) = gb18030_strict(bytes, complete) {
        return (Cow::Owned(text), Encoding::Gb18030);
    }
    (String::from_utf8_lossy(bytes), Encoding::Lossy)
}

/// UTF-8 text with a few bad bytes, such as a character cut by a scraper. Many UTF-8 Chinese
/// files also decode "cleanly" as GB18030, into mojibake, so they must not get that far; real
/// GB18030 text forms valid UTF-8 sequences only by rare chance.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut wide_chars, mut bad_runs) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        wide_chars += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad_runs += usize::from(!chunk.invalid().is_empty());
    }
    wide_chars >= 10 * bad_runs.max(1)
}

fn gb18030_strict(bytes: &[u8], complete: bool) -> Option<String> {
    let enc = encoding_rs::GB18030;
    // A GB18030 character is at most 4 bytes, so a cut tail is at most 3 bytes long.
    let cuts = if complete { 0..=0 } else { 0..=3.min(bytes.len()) };
    for cut in cuts {
        if let Some(text) =
            enc.decode_without_bom_handling_and_without_replacement(&bytes[..bytes.len() - cut])
        {
            return Some(text.into_owned());
        }
    }
    None
}

/// Binary content: NUL bytes in text that is not UTF-16, or mostly control bytes.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    if bytes.contains(&0) {
        return true;
    }
    let head = &bytes[..bytes.len().min(1024)];
    let controls =
        head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B)).count();
    head.len() >= 32 && controls * 10 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_cut_tail() {
        let bytes = "安全".as_bytes();
        let (s, enc) = decode(&bytes[..4], false);
        assert_eq!((s.as_ref(), enc), ("安", Encoding::Utf8));
    }

    #[test]
    fn gb18030() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("勒索软件攻击");
        let (s, enc) = decode(&bytes, true);
        assert_eq!((s.as_ref(), enc), ("勒索软件攻击", Encoding::Gb18030));
    }

    #[test]
    fn utf16_le_and_be() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in "标题 a".encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&le, true), (Cow::Owned("标题 a".to_string()), Encoding::Utf16));
        assert_eq!(decode(&be, true), (Cow::Owned("标题 a".to_string()), Encoding::Utf16));
        assert!(!looks_binary(&le));
    }

    #[test]
    fn utf8_with_a_cut_character_is_not_gb18030() {
        let bytes =
            ["加密了服务器安全".as_bytes(), &"安".as_bytes()[..2], "\n更多内容\n".as_bytes()].concat();
        let (s, enc) = decode(&bytes, true);
        assert_eq!(enc, Encoding::Lossy);
        assert_eq!(s, "加密了服务器安全\u{FFFD}\n更多内容\n");
        let (gb, _, _) = encoding_rs::GB18030.encode("加密了服务器安全，更多内容。攻击者横向移动");
        assert_eq!(decode(&gb, true).1, Encoding::Gb18030);
    }

    #[test]
    fn lossy_and_binary() {
        let (s, enc) = decode(b"ok \xFF\xFF\xFF end", true);
        assert_eq!(enc, Encoding::Lossy);
        assert!(s.contains('\u{FFFD}'));
        assert!(looks_binary(b"\x7fELF\x02\x01\x01\x00\x00\x00"));
        assert!(!looks_binary("---\ntitle: x\n---\n正文".as_bytes()));
    }
}
