//! Checks shared by the fuzz targets: what sanitized text may never contain.
#![allow(dead_code)]

/// A character the sanitizer promises to remove (issue 3): C0 controls but LF, DEL, C1 controls,
/// BiDi controls, invisible format characters, tag characters, U+FE0E/U+FE0F, U+2028/U+2029.
pub fn unsafe_char(c: char) -> bool {
    matches!(c,
        '\0'..='\x09' | '\x0b'..='\x1f' | '\x7f'..='\u{9f}'
        | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{00ad}' | '\u{206a}'..='\u{206f}' | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}' | '\u{fe0e}' | '\u{fe0f}' | '\u{2028}' | '\u{2029}')
}

#[track_caller]
pub fn assert_safe(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|&c| unsafe_char(c)) {
        panic!("{what}: {c:?} survived in {text:?}");
    }
}

/// [`assert_safe`] for text that must also stay on one line.
#[track_caller]
pub fn assert_safe_line(what: &str, text: &str) {
    assert!(!text.contains('\n'), "{what}: line break in {text:?}");
    assert_safe(what, text);
}
