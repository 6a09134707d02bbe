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
pub use query::Query;

/// What the filter sees of one article.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub title: &'a str,
    pub source: &'a str,
    pub date: Date,
    pub tags: &'a [String],
}

/// Per-title data computed once so each keystroke stays cheap: the NFKC form when it differs
/// from the title, and masks of the chars and pinyin letters present, which reject most titles
/// before any matcher runs. Readings of Han characters come from a process-wide table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prepared {
    norm: Option<Box<normalize::Normalized>>,
    lit: u64,
    py: u32,
}

impl Prepared {
    pub fn new(title: &str) -> Prepared {
        let norm = normalize::title(title).map(Box::new);
        let text = norm.as_ref().map_or(title, |n| &n.text);
        Prepared { lit: normalize::lit_mask(text), py: normalize::pinyin_mask(text), norm }
    }

    /// The text the matcher sees.
    fn text<'a>(&'a self, title: &'a str) -> &'a str {
        self.norm.as_ref().map_or(title, |n| &n.text)
    }

    /// The char of the original title that char `k` of the matching text came from.
    fn original_index(&self, k: usize) -> usize {
        match &self.norm {
            Some(n) => n.origin.get(k).map_or(k, |&o| o as usize),
            None => k,
        }
    }

    fn has_expansions(&self) -> bool {
        self.norm.is_some()
    }

    /// Bytes this value holds, itself included, for memory accounting.
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Prepared>()
            + self.norm.as_ref().map_or(0, |n| {
                std::mem::size_of::<normalize::Normalized>() + n.text.len() + n.origin.len() * 4
            })
    }
}

/// Prepares every record's title, in parallel.
pub fn prepare_all(records: &[Record<'_>]) -> Vec<Prepared> {
    pinyin::warm_up();
    records.par_iter().map(|r| Prepared::new(r.title)).collect()
}

/// A filter query that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("date:{value}: {reason}")]
    BadDate { value: String, reason: String },
}

/// One matching article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
    /// Char indices into the title to highlight, ascending.
    pub positions: Vec<usize>,
}

/// Matches `records` (optionally only those at `within`) and ranks them best first, newest first
/// among ties, then in record order. A query without title terms scores every hit 0, so the hits
/// come newest first. `prepared[i]` must come from `records[i].title`; a missing one is
/// computed on the spot.
pub fn filter(
    query: &Query,
    records: &[Record<'_>],
    prepared: &[Prepared],
    within: Option<&[usize]>,
) -> Vec<Hit> {
    let one = |i: usize| -> Option<(Date, Hit)> {
        let rec = records.get(i)?;
        let (score, positions) = match prepared.get(i) {
            Some(p) => matcher::match_record(query, rec, p)?,
            None => matcher::match_record(query, rec, &Prepared::new(rec.title))?,
        };
        Some((rec.date, Hit { index: i, score, positions }))
    };
    let mut hits: Vec<(Date, Hit)> = match within {
        Some(w) => w.par_iter().filter_map(|&i| one(i)).collect(),
        None => (0..records.len()).into_par_iter().filter_map(one).collect(),
    };
    hits.par_sort_unstable_by(|(da, a), (db, b)| {
        b.score.cmp(&a.score).then(db.cmp(da)).then(a.index.cmp(&b.index))
    });
    hits.dedup_by_key(|(_, h)| h.index);
    hits.into_iter().map(|(_, h)| h).collect()
}
