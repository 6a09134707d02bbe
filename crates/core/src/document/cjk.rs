//! CJK-friendly emphasis on top of pulldown-cmark, which (as of 0.13) has no option for it.
//!
//! CommonMark will not close `**中文。**正文`: the closing run follows punctuation and precedes a
//! letter, so it is not right-flanking. The CJK-friendly amendments
//! (github.com/tats-u/markdown-cjk-friendly) relax the rule next to CJK characters. They only ever
//! make more runs flanking, and each missing case is one where the standard rule wanted
//! punctuation on the other side of the run. So we insert a private punctuation mark there, parse
//! again, and delete the mark from the text: pulldown-cmark's own delimiter matching does the rest.

use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Unicode punctuation (category Po) that real articles do not use. A body that contains it is
/// parsed without the fix.
pub(crate) const MARKER: char = '\u{2e18}';

/// `source` with markers added where the CJK-friendly rules make a delimiter run flanking that
/// CommonMark does not, or `None` when nothing needs fixing.
pub(crate) fn add_markers(source: &str, options: Options) -> Option<String> {
    if !source.contains(['*', '~']) || source.contains(MARKER) {
        return None;
    }
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut in_code = 0usize;
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Text(_) if in_code == 0 => collect_runs(source, range, &mut runs),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => {
                let end = range.end;
                collect_runs(source, range.start..(range.start + 3).min(end), &mut runs);
                collect_runs(source, end.saturating_sub(3).max(range.start)..end, &mut runs);
            }
            _ => {}
        }
    }
    runs.sort_by_key(|r| r.start);
    runs.dedup();
    // (where, what to delete, whether to insert the marker)
    let mut edits: Vec<(Range<usize>, bool)> = Vec::new();
    for r in &runs {
        if is_glue(source, r) {
            edits.push((r.clone(), false));
        } else if let Some(at) = marker_position(source, r) {
            edits.push((at..at, true));
        }
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| (e.0.start, e.0.end));
    edits.dedup();
    let mut out = String::with_capacity(source.len() + edits.len() * MARKER.len_utf8());
    let mut last = 0;
    for (range, insert) in edits {
        if range.start < last {
            continue;
        }
        out.push_str(&source[last..range.start]);
        if insert {
            out.push(MARKER);
        }
        last = range.end;
    }
    out.push_str(&source[last..]);
    Some(out)
}

/// `**粗体****相邻**`: two bold spans glued together, a common scraping artifact. CommonMark's
/// rule of three leaves all the asterisks visible; dropping the inner `****` joins the spans.
fn is_glue(source: &str, run: &Range<usize>) -> bool {
    run.len() == 4
        && source.as_bytes()[run.start] == b'*'
        && !source[..run.start].ends_with('\\')
        && source[..run.start].chars().next_back().is_some_and(|c| !c.is_whitespace())
        && source[run.end..].chars().next().is_some_and(|c| !c.is_whitespace())
}

/// Adds each maximal run of `*` or `~` that touches `range` (source byte offsets).
fn collect_runs(source: &str, range: Range<usize>, runs: &mut Vec<Range<usize>>) {
    let bytes = source.as_bytes();
    let Some(slice) = bytes.get(range.clone()) else { return };
    let mut i = 0;
    while i < slice.len() {
        let b = slice[i];
        if b != b'*' && b != b'~' {
            i += 1;
            continue;
        }
        let mut start = range.start + i;
        while start > 0 && bytes[start - 1] == b {
            start -= 1;
        }
        let mut end = range.start + i;
        while end < bytes.len() && bytes[end] == b {
            end += 1;
        }
        if runs.last() != Some(&(start..end)) {
            runs.push(start..end);
        }
        i = end - range.start;
    }
}

/// Where a marker makes the run flanking as the CJK-friendly rules want, if anywhere.
fn marker_position(source: &str, run: &Range<usize>) -> Option<usize> {
    let before = &source[..run.start];
    // An escaped delimiter is text; leave it alone.
    if before.ends_with('\\') {
        return None;
    }
    let prev = before.chars().next_back()?;
    let next = source[run.end..].chars().next()?;
    if prev.is_whitespace() || next.is_whitespace() {
        return None;
    }
    let (p_punct, n_punct) = (is_punctuation(prev), is_punctuation(next));
    let cjk_side = is_cjk(prev) || is_cjk(next);
    if n_punct && !p_punct && cjk_side {
        // Not left-flanking by CommonMark: followed by punctuation, preceded by a letter.
        Some(run.start)
    } else if p_punct && !n_punct && cjk_side {
        // Not right-flanking by CommonMark: preceded by punctuation, followed by a letter.
        Some(run.end)
    } else {
        None
    }
}

/// A CJK character in the amendments' sense: East Asian Wide, Fullwidth or Halfwidth and not an
/// emoji, or Hangul.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xF900..=0xFAFF | 0xFE10..=0xFE1F
        | 0xFE30..=0xFE6F | 0xFF00..=0xFFEE | 0x1B000..=0x1B16F | 0x20000..=0x3FFFD)
}

/// CommonMark's Unicode punctuation: ASCII punctuation or general category P or S.
fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    let table = punctuation_table();
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

fn punctuation_table() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        use regex_syntax::hir::{Class, HirKind};
        let hir = regex_syntax::parse(r"[\p{P}\p{S}]").ok();
        match hir.as_ref().map(|h| h.kind()) {
            Some(HirKind::Class(Class::Unicode(class))) => {
                class.ranges().iter().map(|r| (r.start(), r.end())).collect()
            }
            _ => Vec::new(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_classes() {
        assert!(is_punctuation('。'));
        assert!(is_punctuation('「'));
        assert!(is_punctuation('$'));
        assert!(is_punctuation('¥'));
        assert!(is_punctuation(MARKER));
        assert!(!is_punctuation('中'));
        assert!(!is_punctuation('a'));
    }

    #[test]
    fn markers_only_where_cjk_rules_differ() {
        let o = Options::empty();
        assert_eq!(add_markers("**中文。**正文", o).as_deref(), Some("**中文。**\u{2e18}正文"));
        assert_eq!(
            add_markers("这是**「重要」**的", o).as_deref(),
            Some("这是\u{2e18}**「重要」**\u{2e18}的")
        );
        assert_eq!(add_markers("**bold** text", o), None);
        assert_eq!(add_markers("a **b.**c", o), None);
        assert_eq!(add_markers("`**中文。**正文`", o), None);
        assert_eq!(add_markers("\\**中文。**正文", o).as_deref(), Some("\\**中文。**\u{2e18}正文"));
        assert_eq!(add_markers("| **CVE****编号** |", o).as_deref(), Some("| **CVE编号** |"));
    }
}
