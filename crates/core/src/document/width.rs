//! Display width of text in terminal columns, measured per grapheme cluster.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::AmbiWidth;

/// What a grapheme wider than the whole line (a wide character at width 1) is drawn as, so that no
/// line ever exceeds its width. ASCII, hence one column in every terminal.
pub const TOO_WIDE: &str = "?";

/// The mark that ends a piece of a token or code line cut because it was longer than the width.
/// U+21A9 has East Asian Width "neutral": one column in both ambiguous-width modes.
pub const CONTINUATION: &str = "↩";

/// The ellipsis used by [`truncate_to_width`]. It is ambiguous-width, so its width is measured.
const ELLIPSIS: &str = "…";

/// Columns one grapheme cluster takes.
pub fn grapheme_width(g: &str, ambi: AmbiWidth) -> usize {
    if g.len() == 1 {
        // ASCII: printable is one column; controls never reach here after sanitizing, but count
        // them as one so a stray one cannot make a line wider than measured.
        return 1;
    }
    let w = match ambi {
        AmbiWidth::Narrow => g.width(),
        AmbiWidth::Wide => g.width_cjk(),
    };
    // unicode-width may sum a cluster's parts; a terminal draws a cluster in at most two columns.
    w.min(2)
}

/// Columns `s` takes, summed per grapheme cluster.
pub fn display_width(s: &str, ambi: AmbiWidth) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    let mut total = 0;
    for_each_grapheme(s, ambi, |_, _, w| total += w);
    total
}

/// A character that forms a grapheme cluster on its own whenever the next character is one too:
/// printable ASCII, Latin-1, common punctuation, kana and CJK ideographs (grapheme break class
/// Other). Checking this first skips the full segmenter for almost all article text.
fn is_simple(c: char) -> bool {
    matches!(c,
        ' '..='~' | '\u{a0}'..='\u{ac}' | '\u{ae}'..='\u{ff}' | '\u{2010}'..='\u{2027}'
        | '\u{3000}'..='\u{3029}' | '\u{3030}'..='\u{303f}' | '\u{3041}'..='\u{3096}'
        | '\u{30a0}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff01}'..='\u{ff60}')
}

fn char_width(c: char, ambi: AmbiWidth) -> usize {
    // The bulk of article text, without the table lookup.
    if (' '..='~').contains(&c) {
        return 1;
    }
    if ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{ff01}'..='\u{ff60}').contains(&c) {
        return 2;
    }
    match ambi {
        AmbiWidth::Narrow => c.width(),
        AmbiWidth::Wide => c.width_cjk(),
    }
    .unwrap_or(1)
}

/// Calls `f(byte offset, cluster, columns)` for each grapheme cluster of `s`, in order.
pub(crate) fn for_each_grapheme(s: &str, ambi: AmbiWidth, mut f: impl FnMut(usize, &str, usize)) {
    let mut i = 0;
    let mut chars = s.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        debug_assert_eq!(at, i);
        chars.next();
        let next = chars.peek().map(|&(_, n)| n);
        if is_simple(c) && next.is_none_or(is_simple) {
            let end = i + c.len_utf8();
            f(i, &s[i..end], char_width(c, ambi));
            i = end;
            continue;
        }
        // Up to the next boundary between two simple characters, which is always a cluster
        // boundary, then the full segmenter on that stretch.
        let mut prev_simple = is_simple(c);
        let mut end = s.len();
        while let Some(&(j, n)) = chars.peek() {
            let simple = is_simple(n);
            if prev_simple && simple {
                end = j;
                break;
            }
            prev_simple = simple;
            chars.next();
        }
        for (off, g) in s[i..end].grapheme_indices(true) {
            f(i + off, g, grapheme_width(g, ambi));
        }
        i = end;
    }
}

/// `s` cut to at most `width` columns, ending in `…` when something was cut. Never splits a
/// grapheme cluster or a wide character.
pub fn truncate_to_width(s: &str, width: usize, ambi: AmbiWidth) -> String {
    if display_width(s, ambi) <= width {
        return s.to_string();
    }
    let ellipsis = display_width(ELLIPSIS, ambi);
    if width < ellipsis {
        return ".".repeat(width);
    }
    let room = width - ellipsis;
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g, ambi);
        if used + w > room {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out.push_str(ELLIPSIS);
    out
}

/// `s` padded with spaces on the right to exactly `width` columns (or left as is if wider).
pub fn pad_to_width(s: &str, width: usize, ambi: AmbiWidth) -> String {
    let w = display_width(s, ambi);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// `c` repeated to fill `width` columns; a space pads when `c` is two columns and `width` is odd.
pub fn fill(c: &str, width: usize, ambi: AmbiWidth) -> String {
    let w = grapheme_width(c, ambi).max(1);
    let mut out = c.repeat(width / w);
    out.extend(std::iter::repeat_n(' ', width % w));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_per_mode() {
        assert_eq!(display_width("abc", AmbiWidth::Narrow), 3);
        assert_eq!(display_width("中文", AmbiWidth::Narrow), 4);
        assert_eq!(display_width("“a”", AmbiWidth::Narrow), 3);
        assert_eq!(display_width("“a”", AmbiWidth::Wide), 5);
        assert_eq!(display_width("e\u{301}", AmbiWidth::Narrow), 1);
        assert_eq!(display_width(CONTINUATION, AmbiWidth::Wide), 1);
    }

    #[test]
    fn truncation_keeps_wide_chars_whole() {
        assert_eq!(truncate_to_width("中文标题", 5, AmbiWidth::Narrow), "中文…");
        assert_eq!(truncate_to_width("中文标题", 8, AmbiWidth::Narrow), "中文标题");
        assert_eq!(truncate_to_width("中文标题", 6, AmbiWidth::Wide), "中文…");
        assert_eq!(truncate_to_width("abcdef", 4, AmbiWidth::Narrow), "abc…");
        assert_eq!(truncate_to_width("中文", 1, AmbiWidth::Wide), ".");
        for w in 0..10 {
            for ambi in [AmbiWidth::Narrow, AmbiWidth::Wide] {
                assert!(display_width(&truncate_to_width("a中“b”文字x", w, ambi), ambi) <= w);
            }
        }
    }

    #[test]
    fn fill_never_overflows() {
        assert_eq!(fill("─", 5, AmbiWidth::Wide), "── ");
        assert_eq!(fill("─", 3, AmbiWidth::Narrow), "───");
    }
}
