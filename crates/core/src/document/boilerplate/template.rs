//! Templates learned from a corpus: lines that recur across many articles of one source are that
//! source's chrome, even when no rule knows the site.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::text::template_key;

/// A source needs this many articles before its template is trusted.
pub const MIN_ARTICLES: usize = 5;
/// A line is template when it is in at least this share of a source's articles.
pub const MIN_SHARE: f64 = 0.3;
/// Counting is lossy (Manku and Motwani): counts may be low by at most this share of articles,
/// which bounds memory on sources with many thousands of articles.
const ERROR_SHARE: f64 = 0.02;

/// The recurring lines of one source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceTemplate {
    /// Articles the template was learned from.
    pub articles: usize,
    lines: HashSet<u64>,
}

impl SourceTemplate {
    /// Number of recurring lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Whether a raw body line is one of the recurring lines.
    pub fn contains_line(&self, line: &str) -> bool {
        template_key(line).is_some_and(|k| self.lines.contains(&k))
    }

    pub(crate) fn contains_key(&self, key: u64) -> bool {
        self.lines.contains(&key)
    }
}

/// Templates of every source with enough articles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Templates {
    sources: HashMap<String, SourceTemplate>,
}

#[derive(Default)]
struct Counter {
    articles: usize,
    /// key -> (count, maximal undercount)
    counts: HashMap<u64, (u32, u32)>,
}

impl Counter {
    fn bucket_width() -> usize {
        (1.0 / ERROR_SHARE).ceil() as usize
    }

    fn add(&mut self, keys: &[u64]) {
        self.articles += 1;
        let bucket = self.articles.div_ceil(Self::bucket_width()) as u32;
        for &k in keys {
            self.counts.entry(k).and_modify(|e| e.0 += 1).or_insert((1, bucket - 1));
        }
        if self.articles.is_multiple_of(Self::bucket_width()) {
            self.counts.retain(|_, (c, d)| *c + *d > bucket);
        }
    }

    fn finish(self) -> Option<SourceTemplate> {
        if self.articles < MIN_ARTICLES {
            return None;
        }
        let n = self.articles as f64;
        let need = ((MIN_SHARE - ERROR_SHARE) * n).ceil().max(2.0) as u32;
        let need =
            if self.articles < Self::bucket_width() { (MIN_SHARE * n).ceil().max(2.0) as u32 } else { need };
        let lines: HashSet<u64> =
            self.counts.into_iter().filter(|(_, (c, _))| *c >= need).map(|(k, _)| k).collect();
        Some(SourceTemplate { articles: self.articles, lines })
    }
}

/// The keys of a text's lines, sorted and without repeats: what learning counts per article.
/// The corpus loader keys the parts of each file it reads, so templates are learned while
/// indexing without reading whole bodies.
pub fn line_keys(text: &str) -> Vec<u64> {
    let mut keys: Vec<u64> = text.lines().filter_map(template_key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Counts line keys per source, one article at a time.
#[derive(Default)]
pub struct Learner {
    counters: HashMap<String, Counter>,
}

impl Learner {
    /// Adds one article of `source`, given by the keys of its lines (see [`line_keys`]).
    pub fn add(&mut self, source: &str, keys: &[u64]) {
        match self.counters.get_mut(source) {
            Some(c) => c.add(keys),
            None => self.counters.entry(source.to_string()).or_default().add(keys),
        }
    }

    pub fn finish(self) -> Templates {
        let sources = self.counters.into_iter().filter_map(|(s, c)| c.finish().map(|t| (s, t))).collect();
        Templates { sources }
    }
}

impl Templates {
    /// Learns from `(source, body)` pairs in one pass. Bodies are keyed in parallel, a few
    /// thousand at a time, so memory stays bounded; counts are bounded per source too.
    pub fn learn<S, B>(items: impl Iterator<Item = (S, B)>) -> Templates
    where
        S: AsRef<str> + Send,
        B: AsRef<str> + Send,
    {
        const CHUNK: usize = 2048;
        let mut learner = Learner::default();
        let mut items = items.fuse();
        loop {
            let chunk: Vec<(S, B)> = items.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let keyed: Vec<(S, Vec<u64>)> =
                chunk.into_par_iter().map(|(source, body)| (source, line_keys(body.as_ref()))).collect();
            for (source, keys) in keyed {
                learner.add(source.as_ref(), &keys);
            }
        }
        learner.finish()
    }

    /// The template of a source, if it had enough articles.
    pub fn for_source(&self, source: &str) -> Option<&SourceTemplate> {
        self.sources.get(source)
    }

    /// Number of sources with a template.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word unique to `i` (digits would be folded together by the line key).
    fn word(i: usize) -> String {
        i.to_string().bytes().map(|b| (b'a' + b - b'0') as char).collect()
    }

    fn page(i: usize) -> String {
        let w = word(i);
        format!("[Home](/) [About](/about)\n\nArticle {w} says something new.\n\nFooter line © Example\n")
    }

    #[test]
    fn recurring_lines_become_template_unique_lines_do_not() {
        let items: Vec<(String, String)> = (0..6).map(|i| ("Site".to_string(), page(i))).collect();
        let t = Templates::learn(items.iter().map(|(s, b)| (s.as_str(), b.as_str())));
        let st = t.for_source("Site").unwrap();
        assert!(st.contains_line("Footer line © Example"));
        assert!(st.contains_line("[Home](/x) [About](/y)"));
        assert!(!st.contains_line("Article d says something new."));
    }

    #[test]
    fn small_sources_get_no_template() {
        let t = Templates::learn((0..4).map(|i| ("Tiny", page(i))));
        assert!(t.for_source("Tiny").is_none());
    }

    #[test]
    fn lossy_counting_keeps_frequent_lines_over_many_articles() {
        let items = (0..1000).map(|i| {
            let body = if i % 3 == 0 {
                format!("Subscribe now\n\nunique {}\n", word(i))
            } else {
                format!("unique {}\n", word(i))
            };
            ("Big", body)
        });
        let t = Templates::learn(items);
        let st = t.for_source("Big").unwrap();
        assert!(st.contains_line("Subscribe now"));
        assert!(st.len() < 5, "only the recurring line, not the unique ones: {}", st.len());
    }
}
