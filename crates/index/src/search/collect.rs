//! Collecting hits: the field terms applied to each matching document (from its fast fields, by
//! the title filter's own test), BM25 times a small recency boost, the best `limit` kept and
//! every match counted.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};
use yuedu_core::corpus::ArticleId;
use yuedu_core::facts::FactTable;
use yuedu_core::filter::{self, Record};

use super::schema::{DATE, ID, SOURCE, day_number, unpack_date};
use crate::Tuning;

/// What the field terms need besides the document: the tags and the facts (entities), by
/// article id.
pub(crate) struct FieldFilter {
    pub query: filter::Query,
    pub tags: HashMap<u64, Vec<String>>,
    pub facts: Option<Arc<FactTable>>,
}

pub(crate) struct Ranked {
    pub limit: usize,
    pub filter: Option<Arc<FieldFilter>>,
    /// Day number of the newest article: ages count from it.
    pub newest_day: i64,
    pub weight: f32,
    pub half_life: f32,
}

impl Ranked {
    pub fn new(limit: usize, filter: Option<FieldFilter>, newest_date: u64, tuning: &Tuning) -> Ranked {
        Ranked {
            limit,
            filter: filter.map(Arc::new),
            newest_day: day_number(newest_date),
            weight: tuning.recency_weight,
            half_life: tuning.recency_half_life_days.max(1.0),
        }
    }
}

/// One kept hit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub score: Score,
    pub date: u64,
    pub id: u64,
    pub address: DocAddress,
}

impl Scored {
    /// Best first: score, then newer, then index order.
    fn rank(&self, other: &Scored) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(other.date.cmp(&self.date))
            .then(self.address.cmp(&other.address))
    }
}

impl PartialEq for Scored {
    fn eq(&self, other: &Scored) -> bool {
        self.rank(other) == Ordering::Equal
    }
}
impl Eq for Scored {}
impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Scored) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
/// Greater is better, so a min-heap of `Reverse` drops the worst.
impl Ord for Scored {
    fn cmp(&self, other: &Scored) -> Ordering {
        other.rank(self)
    }
}

pub(crate) struct Segment {
    segment: SegmentOrdinal,
    date: Column<u64>,
    id: Column<u64>,
    source: Option<StrColumn>,
    filter: Option<Arc<FieldFilter>>,
    /// Field-term results for untagged documents by (source ordinal, date): few distinct pairs.
    memo: HashMap<(u64, u64), bool>,
    scratch: String,
    limit: usize,
    newest_day: i64,
    weight: f32,
    half_life: f32,
    best: BinaryHeap<Reverse<Scored>>,
    count: usize,
}

impl Segment {
    fn passes(&mut self, doc: DocId, id: u64, date: u64) -> bool {
        let Some(f) = self.filter.clone() else { return true };
        let ord = self.source.as_ref().and_then(|c| c.term_ords(doc).next()).unwrap_or(u64::MAX);
        let tags = f.tags.get(&id);
        let entities = f.facts.as_ref().map_or(&[][..], |t| t.entities(ArticleId(id)));
        let plain = tags.is_none() && entities.is_empty();
        if let (true, Some(&ok)) = (plain, self.memo.get(&(ord, date))) {
            return ok;
        }
        self.scratch.clear();
        if let (Some(c), true) = (&self.source, ord != u64::MAX) {
            let _ = c.ord_to_str(ord, &mut self.scratch);
        }
        let rec = Record {
            title: "",
            source: &self.scratch,
            date: unpack_date(date),
            tags: tags.map_or(&[][..], Vec::as_slice),
            entities,
        };
        let ok = f.query.fields_match(&rec);
        if plain {
            self.memo.insert((ord, date), ok);
        }
        ok
    }
}

impl SegmentCollector for Segment {
    type Fruit = (Vec<Scored>, usize);

    fn collect(&mut self, doc: DocId, score: Score) {
        let id = self.id.first(doc).unwrap_or(0);
        let date = self.date.first(doc).unwrap_or(0);
        if !self.passes(doc, id, date) {
            return;
        }
        self.count += 1;
        let age = (self.newest_day - day_number(date)).max(0) as f32;
        let score = score * (1.0 + self.weight * (-age / self.half_life).exp2());
        let hit = Scored { score, date, id, address: DocAddress::new(self.segment, doc) };
        if self.best.len() < self.limit {
            self.best.push(Reverse(hit));
        } else if self.best.peek().is_some_and(|Reverse(worst)| hit > *worst) {
            self.best.pop();
            self.best.push(Reverse(hit));
        }
    }

    fn harvest(self) -> (Vec<Scored>, usize) {
        (self.best.into_iter().map(|Reverse(s)| s).collect(), self.count)
    }
}

impl Collector for Ranked {
    type Fruit = (Vec<Scored>, usize);
    type Child = Segment;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Segment> {
        let fast = reader.fast_fields();
        Ok(Segment {
            segment,
            date: fast.u64(DATE)?,
            id: fast.u64(ID)?,
            source: if self.filter.is_some() { fast.str(SOURCE)? } else { None },
            filter: self.filter.clone(),
            memo: HashMap::new(),
            scratch: String::new(),
            limit: self.limit,
            newest_day: self.newest_day,
            weight: self.weight,
            half_life: self.half_life,
            best: BinaryHeap::new(),
            count: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<(Vec<Scored>, usize)>) -> tantivy::Result<(Vec<Scored>, usize)> {
        let count = fruits.iter().map(|f| f.1).sum();
        let mut all: Vec<Scored> = fruits.into_iter().flat_map(|f| f.0).collect();
        all.sort_by(|a, b| a.rank(b));
        all.truncate(self.limit);
        Ok((all, count))
    }
}
