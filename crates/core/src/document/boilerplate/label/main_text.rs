//! Stage 4, main text: the densest run of prose, split at deep runs of chrome, with the headings
//! before it and the reference list after it.

use super::super::Reason;
use super::super::blocks::{Block, Doc, Kind};
use super::super::text::{has_sentence_punct, is_technical, norm};
use super::*;

/// A chrome run inside the main text at least this deep (in score) splits it in two.
const VALLEY: f64 = 30.0;
/// A run of text split off the main one is kept when it scores at least this much...
const MIN_ISLAND: f64 = 40.0;
/// ...and at least this share of the main run.
const ISLAND_SHARE: f64 = 0.15;

impl Ctx<'_, '_> {
    /// Which blocks are the article's text: the densest run of prose, split at deep runs of
    /// chrome, plus islands of text cut off from it; the rest between `start` and `cut` is
    /// [`Reason::OutsideText`].
    pub(super) fn find_text(&mut self, start: usize, cut: usize, anchored: bool, prose: &[f64]) -> Vec<bool> {
        let doc = self.doc;
        let n = doc.blocks.len();
        let scores: Vec<f64> = (0..n).map(|i| self.score(i)).collect();
        let mut islands = Vec::new();
        if let Some((a, b, top)) = best_range(&scores, start, cut) {
            split(&scores, a, b, &mut islands, 0);
            // Text cut off from the main run by a long stretch of chrome (a table of contents, an
            // inline link list) is still the article's when there is enough of it.
            let floor = MIN_ISLAND.max(ISLAND_SHARE * top);
            outside(&scores, start, a, floor, &mut islands, 0);
            outside(&scores, b, cut, floor, &mut islands, 0);
        }
        // A run with no prose at all (headings and images only) is not an article.
        islands.retain(|&(a, b)| (a..b).any(|i| prose[i] > 0.0 && self.why[i].is_none()));
        islands.sort_unstable();
        // A page that repeats its title after some chrome has started its article: a thin text after
        // that repeat (a body cut short after a subheading) is still the article's. A title as the
        // first line anchors nothing: menus of scraped index pages start that way.
        if islands.is_empty() && anchored {
            let thin: Vec<usize> = (start..cut)
                .filter(|&i| {
                    let b = &doc.blocks[i];
                    self.why[i].is_none() && b.tokens > 0 && b.link_tokens * 2 < b.tokens
                })
                .collect();
            islands.extend(thin.into_iter().map(|i| (i, i + 1)));
        }
        // Between the repeated title and the text, only what looks like chrome stays out: the gap
        // holds subtitles, ledes and bylines.
        if let Some(first) = islands.first_mut() {
            let gap = &scores[start..first.0];
            if anchored && gap.iter().sum::<f64>() > -VALLEY {
                first.0 = start;
                for i in start..cut {
                    let b = &doc.blocks[i];
                    if i >= first.1 || self.why[i].is_some() {
                        continue;
                    }
                    if scores[i] < 0.0 && b.tokens > 0 && b.link_tokens * 2 > b.tokens {
                        self.why[i] = Some(Reason::OutsideText);
                    }
                    if scores[i] > 0.0 {
                        break;
                    }
                }
            }
        }
        let mut in_text = vec![false; n];
        for &(a, b) in &islands {
            let a = self.extend_back(a, start);
            let b = self.extend_references(b, cut);
            for t in in_text.iter_mut().take(b).skip(a) {
                *t = true;
            }
        }
        for i in start..cut {
            if !in_text[i] && self.why[i].is_none() {
                self.why[i] = Some(Reason::OutsideText);
                self.weak[i] = true;
            }
        }
        in_text
    }

    /// How much article-like text a block holds, before any decision.
    pub(super) fn prose(&self, i: usize, b: &Block) -> f64 {
        let f = self.block_flags[i] | self.line_flags(i);
        if f & (F_DROP | F_FAILED) != 0 && self.all_lines(i, F_DROP | F_FAILED) {
            return 0.0;
        }
        match b.kind {
            Kind::Code => b.tokens as f64,
            Kind::Heading(_) | Kind::Rule => 0.0,
            Kind::Table => {
                let p = b.plain_tokens();
                if p >= 8 && p >= b.link_tokens { p as f64 } else { 0.0 }
            }
            _ => (b.first..b.end).map(|k| line_prose(self.doc, k)).sum::<usize>() as f64,
        }
    }

    /// Score of a block for the main-text search: prose counts for, links and menus against.
    pub(super) fn score(&self, i: usize) -> f64 {
        let doc = self.doc;
        let b = &doc.blocks[i];
        if let Some(why) = self.why[i] {
            return if self.weak[i] && why == Reason::Template { 0.0 } else { -1.0 };
        }
        let p = b.plain_tokens() as f64;
        let l = b.link_tokens as f64;
        match b.kind {
            Kind::Code => 5.0 + b.tokens as f64,
            Kind::Rule => -0.5,
            _ if b.tokens == 0 => -0.5,
            Kind::Heading(_) => (p - 0.5 * l - 1.0).clamp(-3.0, 3.0),
            Kind::Table => {
                let penalty = if p >= 12.0 { 1.0 } else { 4.0 };
                p - 0.6 * l - penalty
            }
            // Line by line: a paragraph of short bare lines is a menu or an archive list, not prose.
            _ => (b.first..b.end).filter(|&k| doc.line_tokens[k] > 0).map(|k| line_score(doc, k)).sum(),
        }
    }

    /// Pulls headings and emphasis lines just before a run of text into it.
    pub(super) fn extend_back(&self, mut a: usize, start: usize) -> usize {
        let mut steps = 0;
        while a > start && steps < 2 {
            let b = &self.doc.blocks[a - 1];
            if self.why[a - 1].is_some() || !b.is_heading() || b.link_tokens > 0 {
                break;
            }
            a -= 1;
            steps += 1;
        }
        a
    }

    /// A reference list just after the text ("参考资料", "References") belongs to it.
    pub(super) fn extend_references(&self, end: usize, cut: usize) -> usize {
        let doc = self.doc;
        // The heading may close the run itself, with its list cut off after it.
        let mut j = if end > 0 && is_reference_heading(&doc.block_text(&doc.blocks[end - 1])) {
            end - 1
        } else {
            end
        };
        let mut skipped = 0;
        while j < cut && skipped < 3 {
            let b = &doc.blocks[j];
            if is_reference_heading(&doc.block_text(b)) {
                let mut k = j + 1;
                while k < cut {
                    let item = &doc.blocks[k];
                    let linky = item.links > 0 || item.tokens == 0;
                    if self.why[k].is_some() || item.is_heading() || !linky {
                        break;
                    }
                    k += 1;
                }
                return k;
            }
            if b.tokens > 0 {
                skipped += 1;
            }
            j += 1;
        }
        end
    }
}

/// Score of one line of text: prose for, links and bare labels against.
pub(super) fn line_score(doc: &Doc<'_>, k: usize) -> f64 {
    let text = doc.visible[k].trim();
    let l = doc.line_link_tokens[k] as f64;
    let p = doc.line_tokens[k] as f64 - l;
    if !text.chars().any(|c| c.is_alphabetic()) {
        return -1.0;
    }
    if l == 0.0 && is_technical(text) {
        return p.max(2.0);
    }
    let penalty = if p >= 12.0 || has_sentence_punct(text) { 1.0 } else { 3.0 };
    p - 0.6 * l - penalty
}

/// Tokens of the lines that read as prose.
pub(super) fn line_prose(doc: &Doc<'_>, k: usize) -> usize {
    let l = doc.line_link_tokens[k];
    let p = doc.line_tokens[k].saturating_sub(l);
    if p >= 8 && p >= l { p } else { 0 }
}

pub(super) fn is_reference_heading(text: &str) -> bool {
    let t = norm(text);
    let t = t.trim_end_matches(|c: char| c.is_ascii_digit());
    matches!(
        t,
        "参考资料"
            | "参考链接"
            | "参考文献"
            | "参考"
            | "相关链接"
            | "引用"
            | "references"
            | "reference"
            | "sources"
            | "source"
            | "links"
            | "furtherreading"
    )
}

/// The best-scoring run `[a, b)` of `s[lo..hi]`, if any scores above zero.
pub(super) fn best_range(s: &[f64], lo: usize, hi: usize) -> Option<(usize, usize, f64)> {
    let mut best: Option<(usize, usize, f64)> = None;
    let mut sum = 0.0;
    let mut from = lo;
    for (i, &v) in s.iter().enumerate().take(hi).skip(lo) {
        if sum <= 0.0 {
            sum = 0.0;
            from = i;
        }
        sum += v;
        if sum > 0.0 && best.is_none_or(|(_, _, b)| sum > b) {
            best = Some((from, i + 1, sum));
        }
    }
    best
}

/// The worst-scoring run inside `s[lo..hi]`.
pub(super) fn worst_range(s: &[f64], lo: usize, hi: usize) -> Option<(usize, usize, f64)> {
    let neg: Vec<f64> = s[lo..hi].iter().map(|v| -v).collect();
    best_range(&neg, 0, neg.len()).map(|(a, b, v)| (lo + a, lo + b, -v))
}

/// Runs in `s[lo..hi]` scoring at least `floor`, best first.
pub(super) fn outside(
    s: &[f64],
    lo: usize,
    hi: usize,
    floor: f64,
    out: &mut Vec<(usize, usize)>,
    depth: usize,
) {
    if depth >= 8 {
        return;
    }
    let Some((a, b, _)) = best_range(s, lo, hi).filter(|r| r.2 >= floor) else { return };
    split(s, a, b, out, depth + 1);
    outside(s, lo, a, floor, out, depth + 1);
    outside(s, b, hi, floor, out, depth + 1);
}

/// Splits a run at a deep valley of chrome; a side that is small next to the other is dropped.
pub(super) fn split(s: &[f64], a: usize, b: usize, out: &mut Vec<(usize, usize)>, depth: usize) {
    let valley = worst_range(s, a, b);
    let Some((va, vb, _)) = valley.filter(|&(_, _, v)| v <= -VALLEY && depth < 12) else {
        out.push((a, b));
        return;
    };
    let left = best_range(s, a, va);
    let right = best_range(s, vb, b);
    let (ls, rs) = (left.map_or(0.0, |r| r.2), right.map_or(0.0, |r| r.2));
    let top = ls.max(rs);
    for side in [left, right].into_iter().flatten() {
        if side.2 >= top || side.2 >= MIN_ISLAND.max(ISLAND_SHARE * top) {
            split(s, side.0, side.1, out, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_range_finds_the_dense_run() {
        let s = [-5.0, -5.0, 10.0, -1.0, 20.0, -8.0, -8.0];
        assert_eq!(best_range(&s, 0, s.len()).map(|r| (r.0, r.1)), Some((2, 5)));
    }

    #[test]
    fn deep_valley_splits_and_small_side_goes() {
        let s = [200.0, -40.0, 20.0];
        let mut out = Vec::new();
        let (a, b, _) = best_range(&s, 0, 3).unwrap();
        split(&s, a, b, &mut out, 0);
        assert_eq!(out, vec![(0, 1)]);
    }

    #[test]
    fn deep_valley_keeps_two_large_sides() {
        let s = [200.0, -40.0, 150.0];
        let mut out = Vec::new();
        split(&s, 0, 3, &mut out, 0);
        out.sort_unstable();
        assert_eq!(out, vec![(0, 1), (2, 3)]);
    }
}
