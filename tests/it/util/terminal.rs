//! Which characters may not reach a terminal from content: controls, BiDi reordering, invisibles.

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
