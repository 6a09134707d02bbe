//! The search syntax: words that must all match, `"quoted phrases"`, `-excluded` terms, `OR`
//! between terms, and the title filter's field terms (`source:`, `tag:`, `date:`), which
//! `yuedu_core::filter` parses so they mean the same in both places. Case-blind, NFKC (so
//! fullwidth syntax works). A word is matched as its tokens in a row: `CVE-2024-3400` whole,
//! `勒索软件` as the phrase of its bigrams.

use tantivy::Term;
use tantivy::query::{AllQuery, BooleanQuery, Occur, PhraseQuery, Query, RegexQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use unicode_normalization::UnicodeNormalization;
use yuedu_core::filter::{self, FilterError};

use crate::tokenize::{BodyTokenizer, is_cjk};

/// A query that cannot be read: one line saying why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is empty")]
    Empty,
    #[error("unclosed quote in the query")]
    UnclosedQuote,
    #[error(
        "unknown field {0:?}: the fields are source:, tag:, date:, cve:, ioc: and attack: (quote the term to search for it as text)"
    )]
    UnknownField(String),
    #[error("OR needs a search term on each side")]
    DanglingOr,
    #[error("{0} cannot be part of OR")]
    OrOperand(&'static str),
    #[error("nothing to search for: the query has no letters, digits or CJK characters")]
    NothingSearchable,
    #[error("{0}")]
    Field(#[from] FilterError),
}

/// A parsed search query.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Every group must match; a group matches when any of its terms does (`a OR b`).
    pub(crate) groups: Vec<Vec<String>>,
    pub(crate) exclude: Vec<String>,
    /// The field terms, parsed by the title filter; None without any.
    pub(crate) fields: Option<filter::Query>,
}

const QUOTES: [char; 3] = ['"', '“', '”'];
const FIELDS: [&str; 7] = ["source", "tag", "tags", "date", "cve", "ioc", "attack"];

enum Raw {
    Text { negate: bool, text: String },
    Field(String),
    Or,
}

impl SearchQuery {
    pub fn parse(input: &str) -> Result<SearchQuery, QueryError> {
        let chars: Vec<char> = input.nfkc().collect();
        let raws = lex(&chars)?;
        let mut q = SearchQuery::default();
        let mut field_text: Vec<String> = Vec::new();
        let (mut pending_or, mut last_positive) = (false, false);
        for raw in raws {
            match raw {
                Raw::Or if !last_positive || pending_or => return Err(QueryError::DanglingOr),
                Raw::Or => pending_or = true,
                Raw::Field(_) if pending_or => return Err(QueryError::OrOperand("a field term")),
                Raw::Field(f) => {
                    field_text.push(f);
                    last_positive = false;
                }
                Raw::Text { negate: true, .. } if pending_or => {
                    return Err(QueryError::OrOperand("an excluded term"));
                }
                Raw::Text { negate: true, text } => {
                    q.exclude.push(text);
                    last_positive = false;
                }
                Raw::Text { negate: false, text } => {
                    match q.groups.last_mut() {
                        Some(g) if pending_or => g.push(text),
                        _ => q.groups.push(vec![text]),
                    }
                    pending_or = false;
                    last_positive = true;
                }
            }
        }
        if pending_or {
            return Err(QueryError::DanglingOr);
        }
        if !field_text.is_empty() {
            q.fields = Some(filter::Query::parse(&field_text.join(" "))?).filter(filter::Query::has_fields);
        }
        if q.groups.is_empty() && q.exclude.is_empty() && q.fields.is_none() {
            return Err(QueryError::Empty);
        }
        Ok(q)
    }

    /// Whether the query has `cve:`, `ioc:` or `attack:` terms, which need the facts table.
    pub fn has_entity_terms(&self) -> bool {
        self.fields.as_ref().is_some_and(filter::Query::has_entity_terms)
    }

    /// The whole input as one phrase, no syntax: what `rg -F` would look for.
    pub fn literal(input: &str) -> Result<SearchQuery, QueryError> {
        let text: String = input.nfkc().collect();
        if text.trim().is_empty() {
            return Err(QueryError::Empty);
        }
        Ok(SearchQuery { groups: vec![vec![text]], ..SearchQuery::default() })
    }

    /// Whether the query has field terms, which are applied to each hit's metadata (and need
    /// the tags for `tag:`).
    pub fn has_fields(&self) -> bool {
        self.fields.is_some()
    }

    /// The positive terms, for snippets: every alternative of every group.
    /// The words and phrases a hit must or may contain (not the excluded ones): what a reader
    /// lights up in an opened hit.
    pub fn positive_terms(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().flatten().map(String::as_str)
    }

    /// The tantivy query over `text`, tokenized by `tok` (in query mode).
    pub(crate) fn to_tantivy(&self, text: Field, tok: &BodyTokenizer) -> Result<Box<dyn Query>, QueryError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for group in &self.groups {
            let alts: Vec<Box<dyn Query>> = group.iter().filter_map(|t| term_query(text, tok, t)).collect();
            match alts.len() {
                0 => {}
                1 => clauses.extend(alts.into_iter().map(|q| (Occur::Must, q))),
                _ => clauses.push((Occur::Must, Box::new(BooleanQuery::union(alts)))),
            }
        }
        let positive = !clauses.is_empty();
        if !positive && !self.groups.is_empty() {
            return Err(QueryError::NothingSearchable);
        }
        clauses.extend(
            self.exclude.iter().filter_map(|t| term_query(text, tok, t)).map(|q| (Occur::MustNot, q)),
        );
        if !positive {
            if clauses.is_empty() && self.fields.is_none() {
                return Err(QueryError::NothingSearchable);
            }
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }
}

/// The query for one word or phrase: its tokens at their relative positions. A lone CJK char is
/// indexed only inside bigrams, so it matches any bigram that starts or ends with it.
fn term_query(field: Field, tok: &BodyTokenizer, text: &str) -> Option<Box<dyn Query>> {
    let tokens = tok.tokens(text);
    let first = tokens.first()?;
    let term = |s: &str| Term::from_field_text(field, s);
    if tokens.len() == 1 {
        let t = first.text.as_str();
        let single_cjk = t.chars().count() == 1 && t.chars().all(is_cjk);
        let exact: Box<dyn Query> = Box::new(TermQuery::new(term(t), IndexRecordOption::WithFreqs));
        if !single_cjk {
            return Some(exact);
        }
        let mut alts = vec![exact];
        for pattern in [format!("{t}."), format!(".{t}")] {
            if let Ok(q) = RegexQuery::from_pattern(&pattern, field) {
                alts.push(Box::new(q));
            }
        }
        return Some(Box::new(BooleanQuery::union(alts)));
    }
    let base = first.position;
    let terms: Vec<(usize, Term)> = tokens.iter().map(|t| (t.position - base, term(&t.text))).collect();
    Some(Box::new(PhraseQuery::new_with_offset(terms)))
}

/// Splits the query into terms, `OR`s and field terms.
fn lex(chars: &[char]) -> Result<Vec<Raw>, QueryError> {
    let mut out = Vec::new();
    let mut i = 0;
    let at_break = |j: usize| j >= chars.len() || chars[j].is_whitespace();
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        if chars[i] == 'O' && chars.get(i + 1) == Some(&'R') && at_break(i + 2) {
            out.push(Raw::Or);
            i += 2;
            continue;
        }
        let negate = chars[i] == '-' && !at_break(i + 1);
        let start = i;
        if negate {
            i += 1;
        }
        if QUOTES.contains(&chars[i]) {
            let (text, next) = quoted(chars, i)?;
            i = next;
            out.push(Raw::Text { negate, text });
            continue;
        }
        let word_start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != ':' && !QUOTES.contains(&chars[i]) {
            i += 1;
        }
        let name: String = chars[word_start..i].iter().collect();
        let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic());
        if is_name && i + 1 < chars.len() && chars[i] == ':' && !chars[i + 1].is_whitespace() {
            let lower = name.to_ascii_lowercase();
            if FIELDS.contains(&lower.as_str()) {
                i += 1;
                if QUOTES.contains(&chars[i]) {
                    let (_, next) = quoted(chars, i)?;
                    i = next;
                } else {
                    while i < chars.len() && !chars[i].is_whitespace() {
                        i += 1;
                    }
                }
                out.push(Raw::Field(chars[start..i].iter().collect()));
                continue;
            }
            // `http://…` and the like are text; `foo:bar` is most likely a mistyped field.
            if chars[i + 1] != '/' {
                return Err(QueryError::UnknownField(format!("{name}:")));
            }
        }
        // A quote inside a word ends it and opens a phrase.
        while i < chars.len() && !chars[i].is_whitespace() && !QUOTES.contains(&chars[i]) {
            i += 1;
        }
        out.push(Raw::Text { negate, text: chars[word_start..i].iter().collect() });
    }
    Ok(out)
}

/// The text of the quoted phrase opening at `start`, and where the query goes on.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), QueryError> {
    let end = chars[start + 1..].iter().position(|c| QUOTES.contains(c)).ok_or(QueryError::UnclosedQuote)?;
    let text = chars[start + 1..start + 1 + end].iter().collect();
    Ok((text, start + end + 2))
}

#[cfg(test)]
mod tests;
