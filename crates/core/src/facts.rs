//! What the body pass learned of each article beyond its metadata: whether any article text is
//! left once the chrome is gone, and the indicators it names. Pure data: the index crate keeps
//! it on disk, the reader and the commands read it.

pub mod board;

use std::collections::HashMap;
use std::sync::Arc;

use crate::corpus::{ArticleId, Date};
use crate::entities::{self, Entity, Kind};

/// One article's facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleFacts {
    pub date: Date,
    pub source: Arc<str>,
    /// No article text survived cleaning (an anti-bot page, a failed load, a feed stub).
    pub empty: bool,
    /// Sorted by kind, then value.
    pub entities: Vec<Entity>,
}

/// Whether `e` is a CVE whose year is later than `date`, the article's own: most likely a
/// sidebar or a "related" box the cleaning missed, not what the article is about.
pub fn is_suspect(date: Date, e: &Entity) -> bool {
    e.kind == Kind::Cve && date.year > 0 && entities::cve_year(&e.value).is_some_and(|y| y > date.year)
}

impl ArticleFacts {
    /// [`is_suspect`] for this article.
    pub fn is_suspect(&self, e: &Entity) -> bool {
        is_suspect(self.date, e)
    }

    /// The entities of one kind.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Entity> {
        self.entities.iter().filter(move |e| e.kind == kind)
    }
}

/// Every article's facts, by article id; with [`FactTable::index_values`], also the articles
/// by entity value, so an entity term finds its few candidates without a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactTable {
    rows: HashMap<u64, ArticleFacts>,
    /// Lower-cased value (and the parent of an ATT&CK sub-technique) → the articles naming it.
    by_value: Option<HashMap<String, Vec<ArticleId>>>,
}

impl FactTable {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, id: ArticleId) -> Option<&ArticleFacts> {
        self.rows.get(&id.0)
    }

    pub fn insert(&mut self, id: ArticleId, facts: ArticleFacts) {
        self.by_value = None;
        self.rows.insert(id.0, facts);
    }

    pub fn remove(&mut self, id: ArticleId) -> Option<ArticleFacts> {
        self.by_value = None;
        self.rows.remove(&id.0)
    }

    /// Builds the value index (a moment for 150,000 articles: done off the UI thread).
    pub fn index_values(&mut self) {
        let mut by: HashMap<String, Vec<ArticleId>> = HashMap::new();
        for (id, f) in &self.rows {
            for e in &f.entities {
                let key = e.value.to_ascii_lowercase();
                if e.kind == Kind::Attack
                    && let Some((parent, _)) = key.split_once('.')
                {
                    by.entry(parent.to_string()).or_default().push(ArticleId(*id));
                }
                by.entry(key).or_default().push(ArticleId(*id));
            }
        }
        self.by_value = Some(by);
    }

    /// The articles that can match `query`'s entity terms, a superset the filter then checks
    /// exactly; None when it has no positive entity term or the values are not indexed.
    pub fn candidates(&self, query: &crate::filter::Query) -> Option<Vec<ArticleId>> {
        let by = self.by_value.as_ref()?;
        let mut out: Option<std::collections::HashSet<ArticleId>> = None;
        for alternatives in query.entity_values() {
            let set: std::collections::HashSet<ArticleId> = alternatives
                .iter()
                .flat_map(|v| by.get(&v.to_ascii_lowercase()).into_iter().flatten().copied())
                .collect();
            out = Some(match out {
                None => set,
                Some(prev) => prev.intersection(&set).copied().collect(),
            });
        }
        out.map(|s| s.into_iter().collect())
    }

    pub fn iter(&self) -> impl Iterator<Item = (ArticleId, &ArticleFacts)> {
        self.rows.iter().map(|(id, f)| (ArticleId(*id), f))
    }

    /// The entities of an article, or none when the pass has not seen it.
    pub fn entities(&self, id: ArticleId) -> &[Entity] {
        self.rows.get(&id.0).map_or(&[][..], |f| f.entities.as_slice())
    }

    /// Whether the pass found the article empty; `None` when it has not seen it yet.
    pub fn is_empty_page(&self, id: ArticleId) -> Option<bool> {
        self.rows.get(&id.0).map(|f| f.empty)
    }

    /// The articles naming `value` (of `kind`, any kind for `None`), the way a filter term
    /// matches it.
    pub fn naming(&self, kind: Option<Kind>, value: &str) -> Vec<ArticleId> {
        let query = format!("{}:{}", kind.map_or("ioc", Kind::name), value);
        let Ok(q) = crate::filter::Query::parse(&query) else { return Vec::new() };
        self.rows
            .iter()
            .filter(|(_, f)| {
                let rec = crate::filter::Record {
                    title: "",
                    source: &f.source,
                    date: f.date,
                    tags: &[],
                    entities: &f.entities,
                };
                !f.entities.is_empty() && q.fields_match(&rec)
            })
            .map(|(id, _)| ArticleId(*id))
            .collect()
    }
}

impl FromIterator<(ArticleId, ArticleFacts)> for FactTable {
    fn from_iter<I: IntoIterator<Item = (ArticleId, ArticleFacts)>>(iter: I) -> FactTable {
        FactTable { rows: iter.into_iter().map(|(id, f)| (id.0, f)).collect(), by_value: None }
    }
}
