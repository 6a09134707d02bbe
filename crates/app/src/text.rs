//! Display-width helpers for the screen chrome: truncate with an ellipsis, wrap, never split a
//! grapheme, and count widths exactly as ratatui's buffer does so columns line up.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// What a truncated cell ends with.
pub const ELLIPSIS: &str = "…";

/// Columns `s` takes on screen, grapheme by grapheme as the buffer counts them.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// `s` cut to at most `max` columns; a cut ends with [`ELLIPSIS`]. A wide character that does not
/// fit whole is left out rather than split.
pub fn truncate(s: &str, max: usize) -> String {
    let segs = truncate_marked(s, &[], max);
    segs.into_iter().map(|(t, _)| t).collect()
}

/// Like [`truncate`], keeping track of which pieces hold a highlighted character: `marks` are char
/// indices into `s`. Returns runs of (text, highlighted).
pub fn truncate_marked(s: &str, marks: &[usize], max: usize) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    if max == 0 {
        return out;
    }
    let fits = width(s) <= max;
    let room = if fits { max } else { max.saturating_sub(width(ELLIPSIS)) };
    let mut used = 0;
    let mut char_index = 0;
    for g in s.graphemes(true) {
        let w = g.width();
        let n = g.chars().count();
        if used + w > room {
            break;
        }
        used += w;
        let hl = !marks.is_empty() && (char_index..char_index + n).any(|i| marks.contains(&i));
        char_index += n;
        match out.last_mut() {
            Some((text, h)) if *h == hl => text.push_str(g),
            _ => out.push((g.to_string(), hl)),
        }
    }
    if !fits {
        match out.last_mut() {
            Some((text, false)) => text.push_str(ELLIPSIS),
            _ => out.push((ELLIPSIS.to_string(), false)),
        }
    }
    out
}

/// `s` in at most `max` columns, cut in the middle (`https://mp.weixin…&sn=3f2a`): both the
/// site and the end of a long URL stay readable.
pub fn middle(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let room = max.saturating_sub(width(ELLIPSIS));
    let head_room = room.div_ceil(2);
    let tail_room = room - head_room;
    let graphemes: Vec<&str> = s.graphemes(true).collect();
    let (mut head, mut used) = (String::new(), 0);
    for g in &graphemes {
        if used + g.width() > head_room {
            break;
        }
        used += g.width();
        head.push_str(g);
    }
    let (mut tail, mut used) = (Vec::new(), 0);
    for g in graphemes.iter().rev() {
        if used + g.width() > tail_room {
            break;
        }
        used += g.width();
        tail.push(*g);
    }
    tail.reverse();
    let out = format!("{head}{ELLIPSIS}{}", tail.concat());
    if width(&out) <= max { out } else { truncate(s, max) }
}

/// `s` padded with spaces (or cut) to exactly `cols` columns.
pub fn fit(s: &str, cols: usize) -> String {
    let mut t = truncate(s, cols);
    let w = width(&t);
    t.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    t
}

/// Greedy wrap to `max` columns: breaks after a space when the line holds one, else between
/// graphemes (CJK text has no spaces). Each returned line is at most `max` columns, except a single
/// grapheme wider than `max`, which gets a line of its own.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        // Byte offset in `line` just after the last space, and the width up to there.
        let mut last_space: Option<(usize, usize)> = None;
        for g in para.graphemes(true) {
            let w = g.width();
            if used + w > max && !line.is_empty() {
                match last_space {
                    Some((at, w_at)) if at < line.len() && !g.trim().is_empty() => {
                        let rest = line.split_off(at);
                        lines.push(line.trim_end().to_string());
                        line = rest;
                        used -= w_at;
                    }
                    _ => {
                        lines.push(line.trim_end().to_string());
                        line = String::new();
                        used = 0;
                    }
                }
                last_space = None;
                if g.trim().is_empty() && line.is_empty() {
                    continue;
                }
            }
            line.push_str(g);
            used += w;
            if g.trim().is_empty() {
                last_space = Some((line.len(), used));
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Tabs to spaces (to the next multiple of 4), so raw text keeps its columns on screen.
pub fn expand_tabs(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\t') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut col = 0;
    for g in s.graphemes(true) {
        match g {
            "\t" => {
                let n = 4 - col % 4;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            "\n" => {
                out.push('\n');
                col = 0;
            }
            _ => {
                out.push_str(g);
                col += g.width();
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_never_splits_a_wide_char() {
        assert_eq!(truncate("勒索软件攻击", 7), "勒索软…");
        assert_eq!(width(&truncate("勒索软件攻击", 7)), 7);
        assert_eq!(truncate("勒索软件攻击", 6), "勒索…");
        assert_eq!(truncate("勒索", 4), "勒索");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate("勒索", 1), "…");
        assert_eq!(truncate("a👨‍👩‍👧b", 4), "a👨‍👩‍👧b");
        assert_eq!(truncate("a👨‍👩‍👧b", 3), "a…");
    }

    #[test]
    fn marks_follow_chars() {
        let runs = truncate_marked("微信支付漏洞", &[0, 1], 20);
        assert_eq!(runs, vec![("微信".into(), true), ("支付漏洞".into(), false)]);
        let runs = truncate_marked("abcdef", &[4], 4);
        assert_eq!(runs, vec![("abc…".into(), false)]);
    }

    #[test]
    fn wrap_respects_width() {
        for w in 1..30 {
            for line in wrap("Hello wonderful world of 安全研究人员发现新的漏洞 again and again", w)
            {
                assert!(width(&line) <= w.max(2), "{line:?} at {w}");
            }
        }
        assert_eq!(wrap("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap("安全研究", 5), vec!["安全", "研究"]);
        assert_eq!(wrap("a\nb", 5), vec!["a", "b"]);
    }

    #[test]
    fn fit_pads() {
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("安全研究", 5), "安全…");
        assert_eq!(expand_tabs("a\tb"), "a   b");
    }
}
