//! The story table readers use: per article its story and the story's size, per story its
//! members (earliest first), and the summary `yuedu check` prints.

use std::collections::HashMap;

use crate::corpus::{ArticleId, Date};

/// Which story each article belongs to. A story's id is one of its members' article ids (see
/// [`super::Clusterer::finish`]); an article alone is a story of one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryTable {
    story: HashMap<u64, u64>,
    /// Members of each story, by (date, id).
    members: HashMap<u64, Vec<(Date, ArticleId)>>,
}

/// The figures `yuedu check` prints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StorySummary {
    /// Stories, singletons included.
    pub stories: usize,
    /// Stories of two copies or more.
    pub multi_copy_stories: usize,
    /// Articles in those.
    pub multi_copy_articles: usize,
    /// The largest stories: (story id, copies), largest first.
    pub largest: Vec<(ArticleId, usize)>,
}

impl StoryTable {
    /// From (article, story, article date) rows.
    pub fn from_rows(rows: Vec<(ArticleId, ArticleId, Date)>) -> StoryTable {
        let mut t = StoryTable::default();
        for (id, story, date) in rows {
            t.story.insert(id.0, story.0);
            t.members.entry(story.0).or_default().push((date, id));
        }
        for m in t.members.values_mut() {
            m.sort_unstable_by_key(|(d, id)| (*d, id.0));
        }
        t
    }

    /// Every (article, story, date) row, for writing.
    pub fn rows(&self) -> Vec<(ArticleId, ArticleId, Date)> {
        let mut out = Vec::with_capacity(self.story.len());
        for (story, members) in &self.members {
            out.extend(members.iter().map(|(d, id)| (*id, ArticleId(*story), *d)));
        }
        out
    }

    pub fn len(&self) -> usize {
        self.story.len()
    }

    pub fn is_empty(&self) -> bool {
        self.story.is_empty()
    }

    /// The story an article belongs to.
    pub fn story_id(&self, id: ArticleId) -> Option<ArticleId> {
        self.story.get(&id.0).map(|s| ArticleId(*s))
    }

    /// The article's story and how many copies it has.
    pub fn story_of(&self, id: ArticleId) -> Option<(ArticleId, usize)> {
        let s = self.story.get(&id.0)?;
        Some((ArticleId(*s), self.members.get(s).map_or(1, Vec::len)))
    }

    /// A story's members, earliest first (empty for an unknown id).
    pub fn members(&self, story: ArticleId) -> impl Iterator<Item = ArticleId> + '_ {
        self.members.get(&story.0).into_iter().flatten().map(|(_, id)| *id)
    }

    /// Every story id with its size.
    pub fn stories(&self) -> impl Iterator<Item = (ArticleId, usize)> + '_ {
        self.members.iter().map(|(s, m)| (ArticleId(*s), m.len()))
    }

    /// The counts and the `top` largest stories (ties by id, so the output is stable).
    pub fn summary(&self, top: usize) -> StorySummary {
        let mut multi: Vec<(ArticleId, usize)> = self.stories().filter(|(_, n)| *n > 1).collect();
        multi.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.0.cmp(&b.0.0)));
        StorySummary {
            stories: self.members.len(),
            multi_copy_stories: multi.len(),
            multi_copy_articles: multi.iter().map(|(_, n)| n).sum(),
            largest: multi.into_iter().take(top).collect(),
        }
    }
}
