//! Breaks styled text into lines no wider than a width: UAX #14 opportunities, tokens kept whole,
//! kinsoku, and a continuation mark where a unit longer than the line has to be cut.

use std::ops::Range;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::width::{CONTINUATION, TOO_WIDE, for_each_grapheme};
use super::{AmbiWidth, Span, Style};

/// Text with its styles: `runs` holds (end byte, style) in order, covering all of `text`.
/// `keep` lists byte ranges never to break inside (link markers, image placeholders).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Styled {
    pub text: String,
    pub runs: Vec<(usize, Style)>,
    pub keep: Vec<Range<usize>>,
}

impl Styled {
    pub fn push(&mut self, s: &str, style: Style) {
        if s.is_empty() {
            return;
        }
        self.text.push_str(s);
        match self.runs.last_mut() {
            Some((end, st)) if *st == style => *end = self.text.len(),
            _ => self.runs.push((self.text.len(), style)),
        }
    }

    pub fn plain(s: &str, style: Style) -> Self {
        let mut out = Self::default();
        out.push(s, style);
        out
    }
}

/// No line starts with these (closing punctuation, 行头禁则).
pub fn is_closing(c: char) -> bool {
    matches!(
        c,
        '。' | '，'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '】'
            | '》'
            | '〉'
            | '…'
            | '‥'
            | '．'
            | '｡'
            | '｣'
            | '､'
            | '〕'
            | '〗'
            | '〙'
            | '〛'
            | '〞'
            | '’'
            | '”'
            | '］'
            | '｝'
            | '％'
            | '・'
            | '·'
            | '〜'
            | '～'
            | ')'
            | ']'
            | '}'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | '%'
    )
}

/// No line ends with these (opening punctuation, 行尾禁则).
pub fn is_opening(c: char) -> bool {
    matches!(
        c,
        '（' | '「'
            | '『'
            | '【'
            | '《'
            | '〈'
            | '〔'
            | '〖'
            | '〘'
            | '〚'
            | '〝'
            | '‘'
            | '“'
            | '［'
            | '｛'
            | '｢'
            | '('
            | '['
            | '{'
    )
}

#[derive(Debug, Clone, Copy)]
struct G {
    start: usize,
    width: u8,
    space: bool,
    /// Starts with closing punctuation.
    closing: bool,
    /// Ends with opening punctuation.
    opening: bool,
    /// A line may start here.
    allow: bool,
}

/// One output row: graphemes `range` of the segment, and whether a continuation mark follows.
struct Row {
    range: Range<usize>,
    mark: bool,
}

/// Wraps `text` to `width` columns (at least 1). Each `\n` is a hard break. Leading and trailing
/// spaces of every line are dropped.
pub(crate) fn wrap(text: &Styled, width: usize, ambi: AmbiWidth) -> Vec<Vec<Span>> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut seg_start = 0;
    let mut gs = Vec::new();
    for seg in text.text.split('\n') {
        wrap_segment(text, seg_start..seg_start + seg.len(), width, ambi, &mut gs, &mut lines);
        seg_start += seg.len() + 1;
    }
    lines
}

fn wrap_segment(
    text: &Styled,
    seg: Range<usize>,
    width: usize,
    ambi: AmbiWidth,
    gs: &mut Vec<G>,
    out: &mut Vec<Vec<Span>>,
) {
    let s = &text.text[seg.clone()];
    graphemes(s, ambi, gs);
    if gs.is_empty() {
        out.push(Vec::new());
        return;
    }
    break_opportunities(s, gs, text, &seg);
    let rows = fill(gs, width);
    if rows.is_empty() {
        out.push(Vec::new());
    }
    for row in rows {
        out.push(row_spans(text, seg.start, s, gs, &row, width));
    }
}

/// Grapheme clusters with their widths and punctuation classes, into `gs`.
fn graphemes(s: &str, ambi: AmbiWidth, gs: &mut Vec<G>) {
    gs.clear();
    for_each_grapheme(s, ambi, |start, g, w| {
        let first = g.chars().next().unwrap_or(' ');
        let last = g.chars().next_back().unwrap_or(' ');
        gs.push(G {
            start,
            width: w.min(u8::MAX as usize) as u8,
            space: g == " " || g == "\u{3000}",
            closing: is_closing(first),
            opening: is_opening(last),
            allow: false,
        });
    });
}

/// Sets `allow`: UAX #14 opportunities, less those inside tokens and keep ranges, less kinsoku.
fn break_opportunities(s: &str, gs: &mut [G], text: &Styled, seg: &Range<usize>) {
    // Map UAX #14 byte offsets onto grapheme indices; both ascend.
    let mut gi = 0;
    for (at, op) in linebreaks(s) {
        if at >= s.len() || op != BreakOpportunity::Allowed {
            continue;
        }
        while gi < gs.len() && gs[gi].start < at {
            gi += 1;
        }
        if gi < gs.len() && gs[gi].start == at {
            gs[gi].allow = true;
        }
    }
    for r in tokens(s) {
        forbid_inside(gs, &r);
    }
    for k in text.keep.iter().filter(|k| k.start < seg.end && k.end > seg.start) {
        forbid_inside(gs, &(k.start.max(seg.start) - seg.start..k.end.min(seg.end) - seg.start));
    }
    kinsoku(gs);
}

fn forbid_inside(gs: &mut [G], r: &Range<usize>) {
    let first = gs.partition_point(|g| g.start <= r.start);
    for g in &mut gs[first..] {
        if g.start >= r.end {
            break;
        }
        g.allow = false;
    }
}

/// No break before closing punctuation, nor after opening punctuation (spaces between ignored).
fn kinsoku(gs: &mut [G]) {
    let mut after_opening = false;
    let mut i = 0;
    while i < gs.len() {
        if gs[i].allow {
            let before_closing = gs[i..].iter().find(|g| !g.space).is_some_and(|g| g.closing);
            if after_opening || before_closing {
                gs[i].allow = false;
            }
        }
        if !gs[i].space {
            after_opening = gs[i].opening;
        }
        i += 1;
    }
}

/// Greedy filling. A unit (graphemes between two opportunities) that fits goes on one line; one
/// longer than the line is cut, the piece ending in a continuation mark when there is room for it.
fn fill(gs: &[G], width: usize) -> Vec<Row> {
    let mark_w = 1; // CONTINUATION is one column in either mode
    let n = gs.len();
    let mut rows = Vec::new();
    let mut start = 0;
    loop {
        while start < n && gs[start].space {
            start += 1;
        }
        if start >= n {
            break;
        }
        let mut used = 0;
        let mut i = start;
        let mut last_break = None;
        while i < n {
            if i > start && gs[i].allow {
                last_break = Some(i);
            }
            let w = gs[i].width as usize;
            if !gs[i].space && used + w > width {
                break;
            }
            used += w;
            i += 1;
        }
        if i == n {
            rows.push(Row { range: start..n, mark: false });
            break;
        }
        if i > start && gs[i].allow {
            rows.push(Row { range: start..i, mark: false });
            start = i;
            continue;
        }
        if let Some(b) = last_break {
            rows.push(Row { range: start..b, mark: false });
            start = b;
            continue;
        }
        if i == start {
            // A single grapheme wider than the line (a wide character at width 1).
            rows.push(Row { range: start..start + 1, mark: false });
            start += 1;
            continue;
        }
        let k = kinsoku_cut(gs, start, cut_point(gs, start, i, used, width, mark_w));
        let mark = width > mark_w && width_of(&gs[start..k]) + mark_w <= width;
        rows.push(Row { range: start..k, mark });
        start = k;
    }
    rows
}

fn width_of(gs: &[G]) -> usize {
    gs.iter().map(|g| g.width as usize).sum()
}

/// Where to cut a unit that overflows at `i` (`used` columns in `start..i`): as far as leaves room
/// for the mark, then back past closing punctuation so the next line does not start with it.
fn cut_point(gs: &[G], start: usize, i: usize, used: usize, width: usize, mark_w: usize) -> usize {
    let mut k = i;
    let mut w = used;
    if width > mark_w {
        while k > start + 1 && w + mark_w > width {
            k -= 1;
            w -= gs[k].width as usize;
        }
    }
    k
}

/// Moves a cut back so the next line does not start with closing punctuation nor this one end
/// with opening punctuation (spaces at the cut ignored), if any earlier cut in the unit allows it.
fn kinsoku_cut(gs: &[G], start: usize, k: usize) -> usize {
    let ok = |c: usize| {
        let next = gs[c..].iter().find(|g| !g.space);
        let prev = gs[start..c].iter().rev().find(|g| !g.space);
        next.is_none_or(|g| !g.closing) && prev.is_some_and(|g| !g.opening)
    };
    (start + 1..=k).rev().find(|&c| ok(c)).unwrap_or(k)
}

fn row_spans(text: &Styled, base: usize, s: &str, gs: &[G], row: &Row, width: usize) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut push = |t: &str, style: Style| match spans.last_mut() {
        Some(last) if last.style == style => last.text.push_str(t),
        _ => spans.push(Span { text: t.to_string(), style }),
    };
    let r = &row.range;
    let end_byte = |i: usize| gs.get(i).map_or(s.len(), |g| g.start);
    // Drop trailing spaces.
    let mut last = r.end;
    while last > r.start && gs[last - 1].space {
        last -= 1;
    }
    let from = gs[r.start].start;
    let to = end_byte(last);
    if last == r.start + 1 && gs[r.start].width as usize > width {
        push(TOO_WIDE, style_at(text, base + from));
    } else {
        let mut pos = from;
        let mut run = text.runs.partition_point(|(end, _)| *end <= base + pos);
        while pos < to {
            let Some(&(end, style)) = text.runs.get(run) else { break };
            let stop = (end - base).min(to);
            push(&s[pos..stop], style);
            pos = stop;
            run += 1;
        }
    }
    if row.mark {
        push(CONTINUATION, Style { dim: true, mark: true, ..Style::default() });
    }
    spans
}

fn style_at(text: &Styled, at: usize) -> Style {
    let i = text.runs.partition_point(|(end, _)| *end <= at);
    text.runs.get(i).map_or_else(Style::default, |r| r.1)
}

/// Byte ranges of tokens kept whole: URLs, and runs of letters and digits with inner punctuation
/// that hold a digit (CVE ids, IP addresses, hashes, versions, numbers), with a unit after them
/// (30%, 2024年, 8.1355亿美元).
pub(crate) fn tokens(s: &str) -> Vec<Range<usize>> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if word_start
            && b.is_ascii_alphabetic()
            && let Some(end) = url_end(s, i)
        {
            out.push(i..end);
            i = end;
            continue;
        }
        if b.is_ascii_alphanumeric() || (matches!(b, b'$' | b'#') && next_is_digit(bytes, i)) {
            let mut end = i + 1;
            let mut digit = b.is_ascii_digit();
            while end < bytes.len() {
                let c = bytes[end];
                if c.is_ascii_alphanumeric() {
                    digit |= c.is_ascii_digit();
                    end += 1;
                } else if INNER.contains(&c) && bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric) {
                    end += 1;
                } else {
                    break;
                }
            }
            if digit {
                let end = with_unit(s, end);
                if end - i > 1 {
                    out.push(i..end);
                }
            }
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

const INNER: &[u8] = b".,:/_-+#@&=?~";

fn next_is_digit(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
}

fn url_end(s: &str, i: usize) -> Option<usize> {
    let rest = &s[i..];
    let is_url = ["http://", "https://", "ftp://", "www.", "mailto:"]
        .iter()
        .any(|p| rest.as_bytes().get(..p.len()).is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes())));
    if !is_url {
        return None;
    }
    let len = rest
        .bytes()
        .position(|b| !b.is_ascii_graphic() || matches!(b, b'<' | b'>' | b'"' | b'\''))
        .unwrap_or(rest.len());
    let token = rest[..len].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}']);
    Some(i + token.len())
}

/// Extends a number token over a following `%` or up to four CJK unit characters.
fn with_unit(s: &str, end: usize) -> usize {
    let units = s[end..]
        .chars()
        .take(4)
        .take_while(|&c| {
            matches!(c, '%' | '‰' | '℃' | '°')
                || "万亿千百兆元角美欧英镑日韩港台币年月日时分秒个家次人名位倍天周岁号期款项件例条"
                    .contains(c)
        })
        .map(char::len_utf8)
        .sum::<usize>();
    end + units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str, width: usize) -> Vec<String> {
        wrap(&Styled::plain(s, Style::default()), width, AmbiWidth::Narrow)
            .iter()
            .map(|l| l.iter().map(|s| s.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn chinese_breaks_between_ideographs_with_kinsoku() {
        assert_eq!(lines("中文文本。测试", 6), ["中文文", "本。测", "试"]);
        // 本 is pulled down with 。 rather than 。 starting a line.
        assert_eq!(lines("中文文本。测试", 5), ["中文", "文", "本。", "测试"]);
        assert_eq!(lines("他说「你好」", 6), ["他说", "「你", "好」"]);
    }

    #[test]
    fn tokens_found() {
        let s = "共8.1355亿美元，CVE-2024-12345 见 https://a.com/x。30%的2024年 v1.2";
        let found: Vec<&str> = tokens(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(found, ["8.1355亿美元", "CVE-2024-12345", "https://a.com/x", "30%", "2024年", "v1.2"]);
    }
}
