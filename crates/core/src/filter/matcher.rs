//! Matching one record against a parsed query: field terms, exclusions, then the title terms
//! (literally and by pinyin), cheapest checks first.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::{SkimMatcherV2, SkimScoreConfig};

use super::query::{Field, FieldTerm, Include, Query};
use super::{Record, Title, align, normalize};

/// Terms up to this many chars go straight to scoring, without a scan for a match first.
const SCORE_WITHOUT_SCAN: usize = 2;

/// One title term, precomputed at parse time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    pub text: String,
    pub chars: Vec<char>,
    /// Smart case: an ASCII capital makes the term exact-case.
    pub case_sensitive: bool,
    /// Lowercase with a letter: may match Han characters by their readings.
    pub pinyin: bool,
    /// `None` for a term longer than [`align::MAX_PATTERN`] chars.
    plan: Option<align::Plan>,
    /// Literal-mask bits of every char: a title missing one cannot match literally.
    pub mask: u64,
}

impl Pattern {
    pub fn new(text: &str) -> Pattern {
        Pattern::with_pinyin(text, true)
    }

    /// A term matched only by the title's own characters, never by pinyin readings.
    pub fn literal(text: &str) -> Pattern {
        Pattern::with_pinyin(text, false)
    }

    fn with_pinyin(text: &str, allow_pinyin: bool) -> Pattern {
        let chars: Vec<char> = text.chars().collect();
        let case_sensitive = chars.iter().any(char::is_ascii_uppercase);
        let pinyin = allow_pinyin && !case_sensitive && chars.iter().any(char::is_ascii_alphabetic);
        let plan = align::Plan::new(&chars, case_sensitive, pinyin);
        let pinyin = pinyin && plan.is_some();
        let mask = chars.iter().fold(0, |m, &c| m | normalize::lit_bit(c));
        Pattern { text: text.to_string(), chars, case_sensitive, pinyin, plan, mask }
    }

    /// Whether the title may match by pinyin: every letter is in a reading or in the title, and
    /// every other char is in the title.
    fn pinyin_possible(&self, prep: &Title<'_>) -> bool {
        let letters = normalize::LETTER_BITS;
        let have = prep.lit | u64::from(prep.py);
        self.pinyin
            && prep.py != 0
            && self.mask & !have & letters == 0
            && self.mask & !prep.lit & !letters == 0
    }

    fn literal_possible(&self, prep: &Title<'_>) -> bool {
        self.mask & !prep.lit == 0
    }

    /// Char index of the first literal occurrence, by smart case.
    fn find(&self, text: &str) -> Option<usize> {
        let pat = self.text.as_bytes();
        let at = if self.case_sensitive {
            text.find(&self.text)?
        } else {
            // A valid UTF-8 needle only matches at char boundaries.
            text.as_bytes().windows(pat.len()).position(|w| w.eq_ignore_ascii_case(pat))?
        };
        Some(text.get(..at).map_or(0, |s| s.chars().count()))
    }

    /// Whether the title contains the term, literally or as contiguous pinyin.
    fn occurs_in(&self, text: &str, prep: &Title<'_>) -> bool {
        (self.literal_possible(prep) && self.find(text).is_some())
            || (self.pinyin_possible(prep)
                && self.plan.as_ref().is_some_and(|p| p.reachable::<true>(text, true)))
    }

    /// Whether a fuzzy match may exist; cheap, run on every title.
    fn may_match(&self, text: &str, prep: &Title<'_>) -> bool {
        let Some(plan) = &self.plan else { return self.literal_possible(prep) };
        if !self.literal_possible(prep) && !self.pinyin_possible(prep) {
            return false;
        }
        // A term this short matches most titles; scoring finds out as fast as a scan would.
        if self.chars.len() <= SCORE_WITHOUT_SCAN {
            return true;
        }
        if self.pinyin_possible(prep) {
            plan.reachable::<true>(text, false)
        } else {
            self.literal_possible(prep) && plan.reachable::<false>(text, false)
        }
    }

    /// Best fuzzy score and matched chars of the matching text.
    fn fuzzy(&self, text: &str, prep: &Title<'_>) -> Option<(i64, Vec<usize>)> {
        match &self.plan {
            Some(plan) if self.pinyin_possible(prep) => plan.best::<true>(text),
            Some(plan) => plan.best::<false>(text),
            // Terms too long for a plan go to fuzzy-matcher itself, with a fresh matcher each
            // time: a reused one carries bonuses over from earlier calls, and `use_cache(false)`
            // panics in fuzzy-matcher 0.3.7.
            None => SkimMatcherV2::default().smart_case().fuzzy_indices(text, &self.text),
        }
    }

    /// The score of [`Pattern::fuzzy`] without the positions; much cheaper.
    fn fuzzy_score(&self, text: &str, prep: &Title<'_>) -> Option<i64> {
        match &self.plan {
            Some(plan) if self.pinyin_possible(prep) => plan.score::<true>(text),
            Some(plan) => plan.score::<false>(text),
            None => self.fuzzy(text, prep).map(|(s, _)| s),
        }
    }

    /// A contiguous match, scored as a run of consecutive matches.
    fn phrase(&self, text: &str, prep: &Title<'_>) -> Option<(i64, Vec<usize>)> {
        let literal = if self.literal_possible(prep) { self.find(text) } else { None };
        let run = match literal {
            Some(start) => start..start + self.chars.len(),
            None if self.pinyin_possible(prep) => self.plan.as_ref()?.contiguous_run::<true>(text)?,
            None => return None,
        };
        let cfg = SkimScoreConfig::default();
        let n = self.chars.len() as i32;
        let head = if run.start == 0 { cfg.bonus_head * cfg.bonus_first_char_multiplier } else { 0 };
        let score = n * (cfg.score_match + cfg.bonus_consecutive) + head;
        Some((i64::from(score), run.collect()))
    }
}

pub(crate) fn field_holds(term: &FieldTerm, rec: &Record<'_>) -> bool {
    let holds = match &term.field {
        Field::Date(r) => r.contains(rec.date),
        Field::Source(alts) => alts.iter().any(|a| contains_folded(rec.source, a)),
        Field::Tag(alts) => rec
            .tags
            .iter()
            .any(|t| alts.iter().any(|a| t.trim().chars().map(normalize::fold_all).eq(a.iter().copied()))),
        Field::Entity { kind, values } => rec.entities.iter().any(|e| entity_holds(*kind, values, e)),
    };
    holds != term.negate
}

/// Whether entity `e` is one of `values` (of `kind`, or of any kind for `ioc:`).
fn entity_holds(kind: Option<crate::entities::Kind>, values: &[String], e: &crate::entities::Entity) -> bool {
    use crate::entities::Kind;
    match kind {
        Some(Kind::Attack) if e.kind == Kind::Attack => values.iter().any(|v| {
            e.value == *v || e.value.strip_prefix(v.as_str()).is_some_and(|rest| rest.starts_with('.'))
        }),
        Some(k) => e.kind == k && values.contains(&e.value),
        // `ioc:` is typed without a kind, so case cannot be normalized for it in advance.
        None => values.iter().any(|v| e.value.eq_ignore_ascii_case(v)),
    }
}

/// Case-blind substring test; `needle` is already folded.
fn contains_folded(hay: &str, needle: &[char]) -> bool {
    if needle.is_empty() {
        return true;
    }
    if hay.is_ascii() && needle.iter().all(char::is_ascii) {
        let n: Vec<u8> = needle.iter().map(|&c| c as u8).collect();
        return hay.as_bytes().windows(n.len()).any(|w| w.eq_ignore_ascii_case(&n));
    }
    hay.char_indices().any(|(i, _)| {
        let mut rest = hay[i..].chars().map(normalize::fold_all);
        needle.iter().all(|&c| rest.next() == Some(c))
    })
}

/// The text to match when the cheap checks (fields, exclusions, masks and scans) let the record
/// through.
fn candidate<'a>(q: &Query, rec: &Record<'_>, prep: &Title<'a>) -> Option<&'a str> {
    if !q.fields.iter().all(|f| field_holds(f, rec)) {
        return None;
    }
    let text = prep.text;
    if q.exclude.iter().any(|p| p.occurs_in(text, prep)) {
        return None;
    }
    if !q.include.iter().all(|i| i.phrase || i.pattern.may_match(text, prep)) {
        return None;
    }
    Some(text)
}

/// The score when the record matches: what [`match_record`] gives, without the positions.
pub(crate) fn score_record(q: &Query, rec: &Record<'_>, prep: &Title<'_>) -> Option<i64> {
    let text = candidate(q, rec, prep)?;
    let mut score = 0;
    for Include { pattern, phrase } in &q.include {
        score += if *phrase { pattern.phrase(text, prep)?.0 } else { pattern.fuzzy_score(text, prep)? };
    }
    Some(score)
}

/// The score and highlighted title chars (original indices, sorted) when the record matches.
pub(crate) fn match_record(q: &Query, rec: &Record<'_>, prep: &Title<'_>) -> Option<(i64, Vec<usize>)> {
    let text = candidate(q, rec, prep)?;
    let origin = if prep.expanded { normalize::title(rec.title) } else { None };
    let mut score = 0;
    let mut positions = Vec::new();
    for Include { pattern, phrase } in &q.include {
        let (s, pos) = if *phrase { pattern.phrase(text, prep)? } else { pattern.fuzzy(text, prep)? };
        score += s;
        positions.extend(pos.into_iter().map(|k| match &origin {
            Some(n) => n.origin.get(k).map_or(k, |&o| o as usize),
            None => k,
        }));
    }
    if q.include.len() > 1 || prep.expanded {
        positions.sort_unstable();
        positions.dedup();
    }
    Some((score, positions))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_gives_char_index() {
        assert_eq!(Pattern::new("bit").find("勒索LockBit"), Some(6));
        assert_eq!(Pattern::new("Bit").find("勒索Lockbit"), None);
    }

    #[test]
    fn literal_terms_do_not_match_by_pinyin() {
        let titles = |q: &str| -> Vec<&str> {
            let query = Query::parse(q).unwrap();
            ["下载工具更新", "xz utils 后门", "新增XZ漏洞"]
                .into_iter()
                .filter(|t| {
                    let rec = Record {
                        title: t,
                        source: "",
                        date: crate::corpus::Date::default(),
                        tags: &[],
                        entities: &[],
                    };
                    super::super::fresh(t, |p| score_record(&query, &rec, p)).is_some()
                })
                .collect()
        };
        assert_eq!(titles("xz"), ["下载工具更新", "xz utils 后门", "新增XZ漏洞"]);
        assert_eq!(titles("\"xz\""), ["xz utils 后门", "新增XZ漏洞"]);
        assert_eq!(titles("'xz"), ["xz utils 后门", "新增XZ漏洞"]);
        assert_eq!(titles("\"xiazai\""), ["下载工具更新"]);
    }

    #[test]
    fn folded_contains() {
        let f = |s: &str| s.chars().collect::<Vec<char>>();
        assert!(contains_folded("FreeBuf网络安全行业门户", &f("freebuf")));
        assert!(contains_folded("FreeBuf网络安全行业门户", &f("安全")));
        assert!(contains_folded("Ünited", &f("ün")));
        assert!(!contains_folded("安全客", &f("安全牛")));
    }
}
