//! Fuzzy title filtering with pinyin and field terms (`source:`, `tag:`, `date:`, `-term`).
//!
//! Titles are matched by skim v2's algorithm after NFKC normalization (so ＣＶＥ matches cve), with
//! smart case per term; a lowercase Latin term also matches Chinese titles by pinyin initials or
//! full syllables (`lsrj`, `lesuo` → 勒索软件), any reading of a heteronym counting. Hits rank by
//! score, then newest first, as fzf does. See `align` for why the matrix is ours and how it is
//! held to fuzzy-matcher's results.

mod align;
mod matcher;
mod normalize;
mod pinyin;
mod query;

use rayon::prelude::*;

use crate::corpus::Date;
pub use query::{FIELDS, Query};

/// What the filter sees of one article.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub title: &'a str,
    pub source: &'a str,
    pub date: Date,
    pub tags: &'a [String],
    /// The article's extracted indicators, for `cve:`, `ioc:` and `attack:` terms (empty when
    /// the body pass has not seen it yet).
    pub entities: &'a [crate::entities::Entity],
}

/// Every title's matching data, computed once so each keystroke stays cheap. The matching
/// texts (the NFKC form where it differs from the title) sit in one buffer in record order,
/// with each article's date beside its masks, so a scan over 150,000 titles reads memory front
/// to back and touches no article; chasing a pointer per title was most of the cost of a
/// one-letter query. The masks of chars and pinyin letters present reject most titles before
/// any matcher runs. Readings of Han characters come from a process-wide table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prepared {
    text: String,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Entry {
    lit: u64,
    /// Where the title's text ends in [`Prepared::text`]; it starts where the one before ends.
    end: usize,
    /// Pinyin letters, with [`EXPANDED`] set when the text is not the title itself.
    py: u32,
    date: Date,
}

const EXPANDED: u32 = 1 << 31;

/// One title as the matcher sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Title<'a> {
    pub text: &'a str,
    pub lit: u64,
    pub py: u32,
    /// The text is the NFKC form, not the title: char indices need mapping back.
    pub expanded: bool,
}

/// A title's matching text when it is not the title, and its masks.
type Part = (Option<Box<str>>, u64, u32);

fn prepare_one(title: &str) -> Part {
    let norm = normalize::text(title);
    let text = norm.as_deref().unwrap_or(title);
    let py = normalize::pinyin_mask(text) & !EXPANDED | if norm.is_some() { EXPANDED } else { 0 };
    let lit = normalize::lit_mask(text);
    (norm, lit, py)
}

/// Prepares one title on the spot and hands it to `f`. Its masks let everything through: for
/// a single match they cost more than the scan they save.
fn fresh<R>(title: &str, f: impl FnOnce(&Title<'_>) -> R) -> R {
    let norm = normalize::text(title);
    let text = norm.as_deref().unwrap_or(title);
    let py = if text.is_ascii() { 0 } else { normalize::LETTER_BITS as u32 };
    f(&Title { text, lit: u64::MAX, py, expanded: norm.is_some() })
}

impl Prepared {
    /// Prepares (title, date) pairs, in parallel.
    pub fn new<'a>(items: impl IndexedParallelIterator<Item = (&'a str, Date)>) -> Prepared {
        Prepared::reusing(items, &Prepared::default(), &[])
    }

    /// Like [`Prepared::new`], but title `i` is copied from `old` at `reuse[i]` when that is
    /// `Some`: a reload after a few files changed prepares only their titles. Dates are always
    /// the new ones.
    pub fn reusing<'a>(
        items: impl IndexedParallelIterator<Item = (&'a str, Date)>,
        old: &Prepared,
        reuse: &[Option<usize>],
    ) -> Prepared {
        pinyin::warm_up();
        let from_old = |i: usize| reuse.get(i).copied().flatten().filter(|&j| j < old.len());
        let parts: Vec<(&str, Date, Option<Part>)> = items
            .enumerate()
            .map(|(i, (title, date))| {
                (title, date, if from_old(i).is_some() { None } else { Some(prepare_one(title)) })
            })
            .collect();
        let mut out = Prepared::default();
        out.text.reserve(parts.iter().map(|p| p.0.len()).sum());
        out.entries.reserve_exact(parts.len());
        for (i, (title, date, part)) in parts.into_iter().enumerate() {
            let (lit, py) = match (part, from_old(i)) {
                (Some((norm, lit, py)), _) => {
                    out.text.push_str(norm.as_deref().unwrap_or(title));
                    (lit, py)
                }
                (None, Some(j)) => {
                    out.text.push_str(old.text_of(j));
                    (old.entries[j].lit, old.entries[j].py)
                }
                (None, None) => (0, 0),
            };
            out.entries.push(Entry { lit, end: out.text.len(), py, date });
        }
        out
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn text_of(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.entries[i - 1].end };
        self.text.get(start..self.entries[i].end).unwrap_or_default()
    }

    /// Title `i` as the matcher sees it, and its date.
    fn get(&self, i: usize) -> Option<(Title<'_>, Date)> {
        let e = self.entries.get(i)?;
        let title =
            Title { text: self.text_of(i), lit: e.lit, py: e.py & !EXPANDED, expanded: e.py & EXPANDED != 0 };
        Some((title, e.date))
    }

    /// Bytes this holds, for memory accounting.
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Prepared>()
            + self.text.capacity()
            + self.entries.capacity() * std::mem::size_of::<Entry>()
    }
}

/// Prepares every record's title, in parallel.
pub fn prepare_all(records: &[Record<'_>]) -> Prepared {
    Prepared::new(records.par_iter().map(|r| (r.title, r.date)))
}

/// A filter query that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("date:{value}: {reason}")]
    BadDate { value: String, reason: String },
    #[error("unknown field {name}: in {term:?}; the fields are {}", query::FIELDS.join(": "))]
    UnknownField { name: String, term: String },
    #[error("unclosed quote in {0:?}: add the closing \"")]
    UnclosedQuote(String),
}

/// One matching article. The highlighted chars are not kept: [`highlight`] finds them for the
/// rows on screen, which keeps a keystroke over 100,000 hits cheap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
}

/// Matches `records` (optionally only those at `within`) and ranks them best first, newest first
/// among ties, then in record order. A query without title terms scores every hit 0, so the hits
/// come newest first. Entry `i` of `prepared` must come from `records[i]` (title and date); a missing one is
/// computed on the spot.
pub fn filter(
    query: &Query,
    records: &[Record<'_>],
    prepared: &Prepared,
    within: Option<&[usize]>,
) -> Vec<Hit> {
    filter_by(query, records.len(), |i| records[i], prepared, within)
}

/// [`filter`] over `len` records that `record` makes on demand, so a caller holding its data
/// elsewhere need not build 150,000 records per keystroke.
pub fn filter_by<'r>(
    query: &Query,
    len: usize,
    record: impl Fn(usize) -> Record<'r> + Sync,
    prepared: &Prepared,
    within: Option<&[usize]>,
) -> Vec<Hit> {
    let one = |i: usize| -> Option<(Date, Hit)> {
        if i >= len {
            return None;
        }
        match prepared.get(i) {
            // Only field terms need the record.
            Some((t, date)) if query.fields.is_empty() => {
                let rec = Record { title: t.text, source: "", date, tags: &[], entities: &[] };
                Some((date, Hit { index: i, score: matcher::score_record(query, &rec, &t)? }))
            }
            Some((t, _)) => {
                let rec = record(i);
                Some((rec.date, Hit { index: i, score: matcher::score_record(query, &rec, &t)? }))
            }
            None => {
                let rec = record(i);
                let score = fresh(rec.title, |t| matcher::score_record(query, &rec, t))?;
                Some((rec.date, Hit { index: i, score }))
            }
        }
    };
    // Sorting 100,000 hits by one integer is several times faster than by three fields.
    let mut keys: Vec<u128> = match within {
        // Previous hits come in rank order; visiting records in memory order instead saves a
        // cache miss or three per hit. Many hits are cheaper marked than sorted.
        Some(w) if w.len() * 8 > len => {
            let mut keep = vec![false; len];
            for &i in w {
                if let Some(k) = keep.get_mut(i) {
                    *k = true;
                }
            }
            (0..len).into_par_iter().filter(|&i| keep[i]).filter_map(one).map(rank_key).collect()
        }
        Some(w) => {
            let mut w = w.to_vec();
            w.par_sort_unstable();
            w.par_iter().filter_map(|&i| one(i)).map(rank_key).collect()
        }
        None => (0..len).into_par_iter().filter_map(one).map(rank_key).collect(),
    };
    keys.par_sort_unstable_by(|a, b| b.cmp(a));
    keys.dedup();
    keys.into_iter().map(from_rank_key).collect()
}

/// A key that sorts descending as hits rank: score, then date, then record order (ascending).
fn rank_key((date, hit): (Date, Hit)) -> u128 {
    let score = hit.score.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    let score = (score as u32) ^ (1 << 31);
    let date = u32::from(date.year) << 16 | u32::from(date.month) << 8 | u32::from(date.day);
    let index = u64::MAX - hit.index as u64;
    u128::from(score) << 96 | u128::from(date) << 64 | u128::from(index)
}

fn from_rank_key(key: u128) -> Hit {
    let score = ((key >> 96) as u32 ^ (1 << 31)) as i32;
    Hit { index: (u64::MAX - key as u64) as usize, score: i64::from(score) }
}

/// The chars of `record`'s title that `query` matched (char indices, ascending), or none when
/// it does not match. Meant for the rows on screen: it prepares the title afresh.
pub fn highlight(query: &Query, record: &Record<'_>) -> Vec<usize> {
    fresh(record.title, |t| matcher::match_record(query, record, t))
        .map(|(_, positions)| positions)
        .unwrap_or_default()
}
