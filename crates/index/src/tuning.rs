//! Every tuning number of the body pass and the search index, named and explained in one place.

/// The numbers the pass, the tokenizer, the index writer and the ranking use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tuning {
    /// Articles read and cleaned in parallel before they are handed to the consumers: bounds the
    /// cleaned text held in memory (about 10 KB an article) while keeping both cores busy.
    pub chunk: usize,
    /// A commit every this many articles, so a build killed half-way resumes from the last
    /// commit instead of starting over; each commit also writes the stamps (about 10 MB for
    /// 150,000 articles), so not much more often.
    pub commit_every: usize,
    /// tantivy's indexing memory, shared by its threads: the main lever on peak RSS while
    /// building (tantivy needs at least 15 MB a thread).
    pub writer_memory: usize,
    /// tantivy indexing threads; reading and cleaning take the rest of the cores.
    pub writer_threads: usize,
    /// Text indexed per article: the rest of a huge page (a log dump, a base64 blob) adds
    /// nothing an analyst searches for and would dominate memory.
    pub max_indexed_bytes: usize,
    /// Longer tokens (base64 runs, minified code) are not indexed. A SHA-512 in hex is 128.
    pub max_token_bytes: usize,
    /// Identifiers joined by `-`, `.` or `_` are indexed whole and as every run of up to this
    /// many of their parts (so `evil.com` is found in `cdn.evil.com`); longer queries of
    /// parts are matched as phrases.
    pub max_span: usize,
    /// The recency boost: a hit's BM25 score is multiplied by `1 + recency_weight * 2^(-age /
    /// recency_half_life_days)`, the age counted from the newest article in the index. Small,
    /// so relevance leads and recency breaks near-ties.
    pub recency_weight: f32,
    pub recency_half_life_days: f32,
    /// Characters of body text shown around the best match in a snippet.
    pub snippet_chars: usize,
    /// Snippet lines rank by distinct terms, then matches up to this many (more do not make a
    /// better snippet), then length up to `snippet_prose_chars` (a line that long is prose, not
    /// a menu entry that happens to name the term).
    pub snippet_enough_matches: usize,
    pub snippet_prose_chars: usize,
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning {
            chunk: 512,
            commit_every: 25_000,
            writer_memory: 96 * 1024 * 1024,
            writer_threads: 1,
            max_indexed_bytes: 2 * 1024 * 1024,
            max_token_bytes: 160,
            max_span: 6,
            recency_weight: 0.2,
            recency_half_life_days: 365.0,
            snippet_chars: 160,
            snippet_enough_matches: 3,
            snippet_prose_chars: 120,
        }
    }
}
