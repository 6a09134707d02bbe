//! Snippets: the line of a hit's body where most of the query's terms match, cut to a window
//! around the first match, with the matches' byte ranges. Matching is the index's own: the line
//! is tokenized as the body was and each term's tokens must line up.

use std::collections::HashMap;

use tantivy::tokenizer::Token;
use yuedu_core::document;

use crate::Tuning;
use crate::tokenize::{BodyTokenizer, is_cjk};

/// One line around the best match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// Sanitized, one line, no tabs.
    pub text: String,
    /// Byte ranges of the matches within `text`.
    pub matches: Vec<(usize, usize)>,
}

/// A query term as the snippet finder looks for it: tokens at offsets from the first.
#[derive(Debug, Clone)]
pub(crate) enum Needle {
    Tokens(Vec<(usize, String)>),
    /// A lone CJK char, found inside bigrams: looked for as the char itself.
    Char(char),
}

impl Needle {
    pub fn of(term: &str, query_tok: &BodyTokenizer) -> Option<Needle> {
        let tokens = query_tok.tokens(term);
        let base = tokens.first()?.position;
        if let [t] = tokens.as_slice() {
            let mut chars = t.text.chars();
            if let (Some(c), None) = (chars.next(), chars.next())
                && is_cjk(c)
            {
                return Some(Needle::Char(c));
            }
        }
        Some(Needle::Tokens(tokens.into_iter().map(|t| (t.position - base, t.text)).collect()))
    }
}

/// The snippet of `body` (falling back to `title` when no line matches, then to the body's
/// first line), at most [`Tuning::snippet_chars`] chars. `body` may be raw Markdown: a line
/// that matches is flattened to plain text and matched again, so markup and link targets never
/// show. Lines rank by distinct terms matched, then matches, then length (see [`Tuning`]), so a
/// paragraph of prose beats a menu entry that names the term.
pub(crate) fn find(
    body: &str,
    title: &str,
    needles: &[Needle],
    index_tok: &BodyTokenizer,
    tuning: &Tuning,
) -> Snippet {
    let width = tuning.snippet_chars;
    type Candidate = ((usize, usize, usize), String, Vec<(usize, usize)>);
    let mut best: Option<Candidate> = None;
    for line in body.lines().chain(std::iter::once(title)) {
        if line.trim().is_empty() || matches_in(line, needles, index_tok).0 == 0 {
            continue;
        }
        let plain = document::parse(line).plain().replace('\n', " ");
        let (terms, matches) = matches_in(&plain, needles, index_tok);
        let rank = (
            terms,
            matches.len().min(tuning.snippet_enough_matches),
            plain.chars().count().min(tuning.snippet_prose_chars),
        );
        if terms > 0 && best.as_ref().is_none_or(|b| rank > b.0) {
            best = Some((rank, plain, matches));
        }
    }
    match best {
        Some((_, line, matches)) => window(&line, &matches, width),
        None => {
            let first = body.lines().find(|l| !l.trim().is_empty()).map(|l| document::parse(l).plain());
            window(first.as_deref().unwrap_or(title), &[], width)
        }
    }
}

/// How many needles match in `line`, and every match's byte range, in order.
fn matches_in(line: &str, needles: &[Needle], tok: &BodyTokenizer) -> (usize, Vec<(usize, usize)>) {
    let tokens: Vec<Token> = tok.tokens(line);
    let mut at: HashMap<(usize, &str), &Token> = HashMap::with_capacity(tokens.len());
    for t in &tokens {
        at.entry((t.position, t.text.as_str())).or_insert(t);
    }
    let mut found = 0;
    let mut ranges = Vec::new();
    for n in needles {
        let before = ranges.len();
        match n {
            Needle::Char(c) => {
                ranges.extend(line.match_indices(*c).map(|(i, s)| (i, i + s.len())));
            }
            Needle::Tokens(seq) => {
                let Some((_, first)) = seq.first() else { continue };
                for t in tokens.iter().filter(|t| &t.text == first) {
                    let hits: Option<Vec<&&Token>> =
                        seq.iter().map(|(off, s)| at.get(&(t.position + off, s.as_str()))).collect();
                    if let Some(hits) = hits {
                        let from = hits.iter().map(|h| h.offset_from).min().unwrap_or(t.offset_from);
                        let to = hits.iter().map(|h| h.offset_to).max().unwrap_or(t.offset_to);
                        ranges.push((from, to));
                    }
                }
            }
        }
        found += usize::from(ranges.len() > before);
    }
    ranges.sort_unstable();
    ranges.dedup();
    (found, ranges)
}

/// `line` cut to `width` chars around the first match, sanitized, with `…` where it was cut.
fn window(line: &str, matches: &[(usize, usize)], width: usize) -> Snippet {
    let width = width.max(8);
    let first = matches.first().map_or(0, |m| m.0);
    let starts: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
    let at = starts.partition_point(|&i| i < first);
    let from_char = at.saturating_sub(width / 3);
    let to_char = (from_char + width).min(starts.len());
    let from_char = to_char.saturating_sub(width).min(from_char);
    let from = starts.get(from_char).copied().unwrap_or(line.len());
    let to = starts.get(to_char).copied().unwrap_or(line.len());
    let mut text = String::new();
    if from > 0 {
        text.push('…');
    }
    let mut kept = Vec::new();
    // Sanitizing may change lengths, so it goes piece by piece: before, each match, after.
    let mut pos = from;
    for &(a, b) in matches.iter().filter(|m| m.0 >= from && m.1 <= to) {
        if a < pos {
            continue;
        }
        push_clean(&mut text, &line[pos..a]);
        let start = text.len();
        push_clean(&mut text, &line[a..b]);
        kept.push((start, text.len()));
        pos = b;
    }
    push_clean(&mut text, &line[pos..to]);
    if to < line.len() {
        text.push('…');
    }
    Snippet { text, matches: kept }
}

fn push_clean(out: &mut String, s: &str) {
    out.push_str(&document::sanitize(s).replace(['\t', '\r', '\n'], " "));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::Mode;

    fn snip(body: &str, terms: &[&str]) -> Snippet {
        let t = Tuning::default();
        let q = BodyTokenizer::new(Mode::Query, &t);
        let needles: Vec<Needle> = terms.iter().filter_map(|s| Needle::of(s, &q)).collect();
        find(body, "标题", &needles, &BodyTokenizer::new(Mode::Index, &t), &Tuning { snippet_chars: 40, ..t })
    }

    fn marked(s: &Snippet) -> Vec<&str> {
        s.matches.iter().map(|&(a, b)| &s.text[a..b]).collect()
    }

    #[test]
    fn picks_the_line_with_most_terms_and_marks_them() {
        let s = snip(
            "第一段没有。\n补丁修复 CVE-2024-3400，勒索软件团伙利用。\n只有勒索。",
            &["勒索软件", "cve-2024-3400"],
        );
        assert_eq!(s.text, "补丁修复 CVE-2024-3400，勒索软件团伙利用。");
        assert_eq!(marked(&s), ["CVE-2024-3400", "勒索软件"]);
    }

    #[test]
    fn long_lines_are_cut_around_the_match() {
        let body = format!("{}Volt Typhoon{}", "a ".repeat(100), " b".repeat(100));
        let s = snip(&body, &["\"volt typhoon\""]);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'), "{}", s.text);
        assert_eq!(marked(&s), ["Volt Typhoon"]);
        assert!(s.text.chars().count() <= 42);
    }

    #[test]
    fn markup_is_flattened_and_prose_beats_a_menu_entry() {
        let s = snip(
            "* [勒索软件](https://x.test/c)\n\n**勒索软件**团伙加密了 [调度系统](https://x.test/a)，索要赎金。",
            &["勒索软件"],
        );
        assert_eq!(s.text, "勒索软件团伙加密了 调度系统，索要赎金。");
        assert_eq!(marked(&s), ["勒索软件"]);
        // A match only in a link target is no match.
        let s = snip("see [this](https://x.test/#diff-abc123def)\n\nno hash here", &["abc123def"]);
        assert!(s.matches.is_empty(), "{s:?}");
    }

    #[test]
    fn a_lone_cjk_char_is_found_inside_words_and_controls_are_removed() {
        let s = snip("白银\x1b[31m狐狸\t出没", &["狐"]);
        assert_eq!(marked(&s), ["狐"]);
        assert!(!s.text.contains('\x1b') && !s.text.contains('\t'), "{:?}", s.text);
    }
}
