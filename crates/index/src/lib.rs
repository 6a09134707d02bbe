//! yuedu's body pass and body search: every article is read and cleaned once, and the cleaned
//! text goes to every consumer (the search index first; entities and story clusters next).
//!
//! - [`pass`]: the pass itself, the [`Consumer`] trait and the per-article [`Stamps`] that make
//!   it incremental;
//! - [`search`]: the tantivy index of cleaned bodies and titles, its query syntax, ranking and
//!   snippets;
//! - [`stories`]: the story clusters (the same news republished), a consumer of the pass;
//! - [`tokenize`]: CJK bigrams, Latin words and whole identifiers, for the index and queries.

pub mod facts;
pub mod pass;
pub mod search;
pub mod stories;
pub mod tokenize;
mod tuning;

pub use facts::FactStore;
pub use pass::{BodyText, Consumer, PassReport, Stamp, Stamps};
pub use search::{Hit, QueryError, Results, SearchIndex, SearchQuery, Snippet};
pub use stories::StoryStore;
pub use tuning::Tuning;

use std::path::PathBuf;

/// What can go wrong building or searching the body index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index in {}: {source}", shown(.dir))]
    Tantivy { dir: PathBuf, source: tantivy::TantivyError },
    #[error("search index in {}: {source}", shown(.dir))]
    Io { dir: PathBuf, source: std::io::Error },
    #[error("the search index in {} is being updated by another yuedu", shown(.0))]
    Busy(PathBuf),
    #[error("{0}")]
    Query(#[from] search::QueryError),
}

fn shown(path: &std::path::Path) -> String {
    yuedu_core::corpus::shown(path)
}
