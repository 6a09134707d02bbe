//! Fuzzy title filtering with pinyin and field terms (`source:`, `tag:`, `date:`, `-term`).

use crate::corpus::Date;

/// What the filter sees of one article.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub title: &'a str,
    pub source: &'a str,
    pub date: Date,
    pub tags: &'a [String],
}

/// Per-title data computed once so each keystroke stays cheap.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    lower: String,
}

impl Prepared {
    pub fn new(title: &str) -> Prepared {
        Prepared { lower: title.to_lowercase() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError(pub String);

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for FilterError {}

/// A parsed filter query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    text: String,
}

impl Query {
    pub fn parse(input: &str) -> Result<Query, FilterError> {
        Ok(Query { text: input.trim().to_lowercase() })
    }
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
    /// True when every article matching `self` also matches `previous`, so the previous hits
    /// can be searched instead of the whole corpus.
    pub fn narrows(&self, previous: &Query) -> bool {
        self.text.starts_with(&previous.text)
    }
}

/// One matching article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: i64,
    /// Char indices into the title to highlight.
    pub positions: Vec<usize>,
}

/// Matches `records` (optionally only those at `within`) and ranks them best first, newest first
/// among ties. Placeholder: substring match.
pub fn filter(
    query: &Query,
    records: &[Record<'_>],
    prepared: &[Prepared],
    within: Option<&[usize]>,
) -> Vec<Hit> {
    let all: Vec<usize>;
    let idx = match within {
        Some(w) => w,
        None => {
            all = (0..records.len()).collect();
            &all
        }
    };
    idx.iter()
        .filter(|&&i| prepared.get(i).is_some_and(|p| p.lower.contains(&query.text)))
        .map(|&i| Hit { index: i, score: 0, positions: Vec::new() })
        .collect()
}
