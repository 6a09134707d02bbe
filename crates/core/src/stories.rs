//! Stories: the same news republished by many accounts, found by MinHash over the cleaned body
//! text and shown once. [`sign`] turns a body into a [`Signature`]; [`Clusterer`] groups
//! signatures by LSH banding and verified similarity; [`StoryTable`] is what readers look up.
//!
//! Shingles: 5-character shingles over the CJK characters of the text and 3-word shingles over
//! its Latin words (lowercased); whitespace and punctuation are ignored, so a re-wrapped or
//! re-punctuated copy signs the same. Titles are never a signal: recurring columns share titles
//! and not bodies, and reposts often retitle.

mod cluster;
mod table;

pub use cluster::{Clusterer, Entry};
pub use table::{StorySummary, StoryTable};

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Every tuning number of story detection, in one place. Measured on the labelled pairs of
/// `tests/data/stories/pairs.jsonl` (see README "Stories").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryTuning {
    /// MinHash values per signature (`bands × rows`). 64 keeps the estimate's standard error
    /// near 0.06 at J = 0.5 for 256 bytes an article.
    pub hashes: usize,
    /// LSH bands; each band is `hashes / bands` rows. 32 bands of 2 rows make a pair with
    /// Jaccard 0.3 a candidate with probability 0.95 (1 − (1 − 0.3²)³²), so a repost whose
    /// header and footer dilute the overlap still meets its original.
    pub bands: usize,
    /// Bodies with fewer distinct shingles never join a story: stubs ("read more at …") match
    /// each other by their chrome alone.
    pub min_shingles: u32,
    /// A candidate pair joins when its estimated Jaccard is at least this …
    pub jaccard: f64,
    /// … or its estimated containment (overlap / smaller set) is at least this, so a repost
    /// that adds a header or footer joins its original.
    pub containment: f64,
    /// … provided the smaller set is at least this share of the larger: containment of a short
    /// text in a long one (a digest quoting a paragraph) is not the same story.
    pub min_size_ratio: f64,
    /// Per band bucket, at most this many members are compared against each newcomer: a bucket
    /// this full is a shingle every copy of some chrome shares, and the members' other bands
    /// still meet.
    pub bucket_cap: usize,
}

impl Default for StoryTuning {
    fn default() -> StoryTuning {
        StoryTuning {
            hashes: 64,
            bands: 32,
            min_shingles: 40,
            jaccard: 0.5,
            containment: 0.8,
            min_size_ratio: 0.3,
            bucket_cap: 64,
        }
    }
}

impl StoryTuning {
    /// Rows per band.
    pub fn rows(&self) -> usize {
        (self.hashes / self.bands.max(1)).max(1)
    }

    /// A key that changes with any number here: signatures made under other tuning are redone.
    pub fn key(&self) -> u64 {
        let text = format!("{self:?}");
        xxh3_64_with_seed(text.as_bytes(), 1)
    }
}

/// One body's MinHash: the smallest value of each of `hashes` hash functions over its shingle
/// set, and the set's size (for the containment estimate).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Signature {
    pub mins: Vec<u32>,
    pub shingles: u32,
}

impl Signature {
    /// The estimated Jaccard similarity: the share of equal minima.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        let n = self.mins.len().min(other.mins.len());
        if n == 0 {
            return 0.0;
        }
        let same = self.mins.iter().zip(&other.mins).filter(|(a, b)| a == b).count();
        same as f64 / n as f64
    }

    /// Estimated overlap / smaller set, from the Jaccard estimate and the two set sizes:
    /// |A∩B| = J(|A|+|B|)/(1+J). No second sketch is kept: the sizes are exact, so the
    /// estimate is as good as J's, and it costs four bytes an article.
    pub fn containment(&self, other: &Signature) -> f64 {
        let j = self.jaccard(other);
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        let small = a.min(b).max(1.0);
        (j * (a + b) / (1.0 + j) / small).min(1.0)
    }

    /// Whether the two bodies are the same story under `t`.
    pub fn same_story(&self, other: &Signature, t: &StoryTuning) -> bool {
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        let j = self.jaccard(other);
        if j >= t.jaccard {
            return true;
        }
        a.min(b) >= t.min_size_ratio * a.max(b) && self.containment(other) >= t.containment
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff
        | 0x20000..=0x2ffff)
}

/// The distinct shingle hashes of `text`, sorted.
pub fn shingles(text: &str) -> Vec<u64> {
    const CJK_LEN: usize = 5;
    const WORDS: usize = 3;
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            cjk.push(c);
            flush_word(&mut word, &mut words);
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else {
            flush_word(&mut word, &mut words);
        }
    }
    flush_word(&mut word, &mut words);
    let mut buf = [0u8; 4 * CJK_LEN];
    for w in cjk.windows(CJK_LEN) {
        let mut len = 0;
        for c in w {
            len += c.encode_utf8(&mut buf[len..]).len();
        }
        out.push(xxh3_64_with_seed(&buf[..len], 5));
    }
    let mut joined = String::new();
    for w in words.windows(WORDS) {
        joined.clear();
        for (i, x) in w.iter().enumerate() {
            if i > 0 {
                joined.push(' ');
            }
            joined.push_str(x);
        }
        out.push(xxh3_64_with_seed(joined.as_bytes(), 3));
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn flush_word(word: &mut String, words: &mut Vec<String>) {
    if !word.is_empty() {
        words.push(std::mem::take(word));
    }
}

/// A cheap, well-mixing permutation of 64-bit values (splitmix64's finalizer): the i-th MinHash
/// function is `mix(h ^ seed_i)`.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The signature of a cleaned body, or None for a stub (fewer than `min_shingles`).
pub fn sign(text: &str, t: &StoryTuning) -> Option<Signature> {
    let set = shingles(text);
    let n = u32::try_from(set.len()).unwrap_or(u32::MAX);
    if n < t.min_shingles {
        return None;
    }
    let seeds: Vec<u64> = (0..t.hashes as u64).map(|i| mix(i.wrapping_add(0x9e37_79b9_7f4a_7c15))).collect();
    let mut mins = vec![u32::MAX; t.hashes];
    for h in set {
        for (m, s) in mins.iter_mut().zip(&seeds) {
            // The top 32 bits: 4 bytes a value, and a chance collision (2⁻³²) is below noise.
            let v = (mix(h ^ s) >> 32) as u32;
            if v < *m {
                *m = v;
            }
        }
    }
    Some(Signature { mins, shingles: n })
}

#[cfg(test)]
mod tests;
