//! The clusterer: LSH band buckets find candidate pairs, each is verified on its signatures,
//! and union-find joins the verified ones; story ids are then named stably against the
//! previous table.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64;

use super::{Signature, StoryTable, StoryTuning};
use crate::corpus::{ArticleId, Date};

/// One article as the clusterer sees it. `sig` is None for a stub, which stays alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: ArticleId,
    pub date: Date,
    pub sig: Option<Signature>,
}

/// Articles inserted one at a time: each newcomer is compared with the members of the band
/// buckets it falls in and joins every verified one. The components do not depend on the
/// order of insertion (pairs already joined are skipped, which changes no component), so
/// inserting new articles into a clusterer equals clustering everything at once, up to
/// [`StoryTuning::bucket_cap`].
pub struct Clusterer {
    tuning: StoryTuning,
    entries: Vec<Entry>,
    parent: Vec<u32>,
    buckets: HashMap<(u16, u64), Vec<u32>>,
    /// Candidate pairs verified: what clustering costs.
    pub verified: u64,
}

impl Clusterer {
    pub fn new(tuning: StoryTuning) -> Clusterer {
        Clusterer { tuning, entries: Vec::new(), parent: Vec::new(), buckets: HashMap::new(), verified: 0 }
    }

    fn find(&mut self, mut i: u32) -> u32 {
        while self.parent[i as usize] != i {
            let up = self.parent[self.parent[i as usize] as usize];
            self.parent[i as usize] = up;
            i = up;
        }
        i
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds one article, joining it to every story it is verified to belong to.
    pub fn insert(&mut self, entry: Entry) {
        let me = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        self.parent.push(me);
        let Some(sig) = entry.sig.clone() else {
            self.entries.push(entry);
            return;
        };
        self.entries.push(entry);
        let rows = self.tuning.rows();
        let mut keys = Vec::with_capacity(self.tuning.bands);
        for (band, chunk) in sig.mins.chunks(rows).enumerate().take(self.tuning.bands) {
            let bytes: Vec<u8> = chunk.iter().flat_map(|v| v.to_le_bytes()).collect();
            keys.push((band as u16, xxh3_64(&bytes)));
        }
        for key in keys {
            let members: Vec<u32> = self.buckets.get(&key).cloned().unwrap_or_default();
            for m in &members {
                if self.find(*m) == self.find(me) {
                    continue;
                }
                self.verified += 1;
                let joins = match &self.entries[*m as usize].sig {
                    Some(other) => sig.same_story(other, &self.tuning),
                    None => false,
                };
                if joins {
                    self.union(*m, me);
                }
            }
            if members.len() < self.tuning.bucket_cap {
                self.buckets.entry(key).or_default().push(me);
            }
        }
    }

    /// The stories, named against `previous`: a story keeps the id it had when the article
    /// holding that id is still a member (of several such ids, a merge keeps the earliest);
    /// otherwise it is named after its earliest member (by date, ties by id). So an id never
    /// moves when a copy arrives, even an earlier one: stability wins over "earliest".
    pub fn finish(mut self, previous: &StoryTable) -> StoryTable {
        let n = self.entries.len() as u32;
        let mut comps: HashMap<u32, Vec<u32>> = HashMap::new();
        for i in 0..n {
            let r = self.find(i);
            comps.entry(r).or_default().push(i);
        }
        let mut rows = Vec::with_capacity(self.entries.len());
        for members in comps.into_values() {
            let key = |i: &u32| {
                let e = &self.entries[*i as usize];
                (e.date, e.id.0)
            };
            let held: HashMap<u64, &u32> =
                members.iter().map(|i| (self.entries[*i as usize].id.0, i)).collect();
            let kept = members
                .iter()
                .filter_map(|i| previous.story_id(self.entries[*i as usize].id))
                .filter_map(|s| held.get(&s.0).copied())
                .min_by_key(|i| key(i));
            let name = kept.or_else(|| members.iter().min_by_key(|i| key(i)));
            let Some(name) = name else { continue };
            let story = self.entries[*name as usize].id;
            for i in &members {
                let e = &self.entries[*i as usize];
                rows.push((e.id, story, e.date));
            }
        }
        StoryTable::from_rows(rows)
    }
}
