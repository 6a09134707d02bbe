//! Stories in the reader: copies of one story fold into one row (`×N`), a key expands the
//! selected story, opening a story marks every copy read, the reader says where else it ran
//! and steps through the copies.

use std::collections::HashMap;
use std::sync::Arc;

use super::tagging::TagOp;
use super::{App, Pane};
use yuedu_core::corpus::ArticleId;
use yuedu_core::stories::StoryTable;

/// "also in:" names at most this many other sources, then a count of the rest.
const ALSO_IN_MAX: usize = 6;

impl App {
    pub(crate) fn stories_loaded(&mut self, stories: Arc<StoryTable>) {
        self.stories = stories;
        self.index_stories();
        self.rebuild(true);
    }

    /// Numbers each multi-copy story densely per corpus index (0: a story of one), so folding a
    /// keystroke's 100,000 hits is array lookups, not hash lookups. Redone when the corpus or
    /// the stories change.
    pub(crate) fn index_stories(&mut self) {
        self.story_slot.clear();
        self.story_count = 0;
        if self.stories.is_empty() {
            return;
        }
        let mut slots: HashMap<u64, u32> = HashMap::new();
        let stories = &self.stories;
        self.story_slot = self
            .corpus
            .articles
            .iter()
            .map(|a| match stories.story_of(a.id) {
                Some((s, n)) if n > 1 => {
                    let next = slots.len() as u32 + 1;
                    *slots.entry(s.0).or_insert(next)
                }
                _ => 0,
            })
            .collect();
        self.story_count = slots.len();
    }

    fn slot(&self, index: usize) -> u32 {
        self.story_slot.get(index).copied().unwrap_or(0)
    }

    /// The story table the reader folds by.
    pub fn stories(&self) -> &StoryTable {
        &self.stories
    }

    /// Whether copies of a story fold into one row.
    pub fn folding(&self) -> bool {
        self.fold && !self.stories.is_empty()
    }

    /// The story of article `index` and its number of copies, when it has more than one.
    pub fn copies(&self, index: usize) -> Option<(ArticleId, usize)> {
        let a = self.corpus.articles.get(index)?;
        self.stories.story_of(a.id).filter(|(_, n)| *n > 1)
    }

    /// Whether row `index` is a copy shown under its expanded story (drawn indented).
    pub fn is_expanded_copy(&self, index: usize) -> bool {
        match (self.expanded, self.copies(index)) {
            (Some(e), Some((s, _))) => {
                e == s && self.rows.iter().position(|&i| i == index) != self.story_head(s)
            }
            _ => false,
        }
    }

    fn story_head(&self, story: ArticleId) -> Option<usize> {
        self.rows.iter().position(|&i| self.copies(i).is_some_and(|(s, _)| s == story))
    }

    /// One row per story, in the order `rows` has them (the first copy stands for the story,
    /// so a filter or a sort picks which); the expanded story lists all its copies under it.
    pub(crate) fn fold_rows(&self, rows: Vec<usize>) -> Vec<usize> {
        if !self.folding() {
            return rows;
        }
        let arts = &self.corpus.articles;
        // The story id may be an article since removed: its slot is found through a listed copy.
        let expanded = self.expanded.and_then(|e| {
            rows.iter().copied().find(|&i| self.slot(i) > 0 && self.stories.story_id(arts[i].id) == Some(e))
        });
        let expanded = expanded.map(|i| self.slot(i));
        let expanded_rows: Vec<usize> = match expanded {
            Some(e) => rows.iter().copied().filter(|&i| self.slot(i) == e).collect(),
            None => Vec::new(),
        };
        let mut seen = vec![false; self.story_count + 1];
        let mut out = Vec::with_capacity(rows.len());
        for i in rows {
            let s = self.slot(i);
            if s == 0 {
                out.push(i);
            } else if !std::mem::replace(&mut seen[s as usize], true) {
                if Some(s) == expanded {
                    out.extend(expanded_rows.iter().copied());
                } else {
                    out.push(i);
                }
            }
        }
        out
    }

    /// `x`: shows every copy of the selected story under it, or folds it again.
    pub(crate) fn toggle_expand(&mut self) {
        let Some(&i) = self.rows.get(self.selected) else { return };
        let Some((story, n)) = self.copies(i) else {
            self.info(if self.folding() {
                "this article has no other copies"
            } else {
                "no stories yet: the body pass finds them"
            });
            return;
        };
        if self.expanded == Some(story) {
            self.expanded = None;
            self.rebuild(true);
            self.info(format!("story folded ({n} copies)"));
        } else {
            self.expanded = Some(story);
            self.rebuild(true);
            self.info(format!("{n} copies of this story"));
        }
    }

    /// `F`: folding on or off.
    pub(crate) fn toggle_fold(&mut self) {
        self.fold = !self.fold;
        self.expanded = None;
        self.rebuild(true);
        self.info(if self.fold { "stories folded: one row per story" } else { "every copy listed" });
    }

    fn index_of_id(&mut self) -> &HashMap<u64, usize> {
        self.id_index.get_or_insert_with(|| {
            self.corpus.articles.iter().enumerate().map(|(i, a)| (a.id.0, i)).collect()
        })
    }

    /// The corpus indices of the other copies of article `index`'s story, earliest first.
    fn other_copies(&mut self, index: usize) -> Vec<usize> {
        let Some((story, _)) = self.copies(index) else { return Vec::new() };
        let members: Vec<ArticleId> = self.stories.members(story).collect();
        let map = self.index_of_id();
        members.iter().filter_map(|id| map.get(&id.0).copied()).filter(|&i| i != index).collect()
    }

    /// Opening a folded story reads it once: every copy is marked read.
    pub(crate) fn mark_copies_read(&mut self, index: usize) {
        if !self.folding() {
            return;
        }
        let unread: Vec<usize> = self.other_copies(index).into_iter().filter(|&i| !self.is_read(i)).collect();
        if !unread.is_empty() {
            self.apply_op(TagOp::ReadMany { indices: unread, read: true });
        }
    }

    /// "also in: …": the other sources that ran the story of article `index`.
    pub(crate) fn also_in(&mut self, index: usize) -> Option<String> {
        let own = self.corpus.articles.get(index)?.source.clone();
        let mut names: Vec<String> = Vec::new();
        for i in self.other_copies(index) {
            let s = &self.corpus.articles[i].source;
            if *s != own && !names.contains(s) {
                names.push(s.clone());
            }
        }
        if names.is_empty() {
            return None;
        }
        let more = names.len().saturating_sub(ALSO_IN_MAX);
        names.truncate(ALSO_IN_MAX);
        let tail = if more > 0 { format!(", +{more} more") } else { String::new() };
        Some(format!("also in: {}{tail}", names.join(", ")))
    }

    /// `c`: the next copy of the open article's story in the reader (earliest first, wrapping).
    pub(crate) fn next_copy(&mut self) {
        let Some(index) =
            self.reader.as_ref().map(|r| r.index).or_else(|| self.rows.get(self.selected).copied())
        else {
            return;
        };
        let Some((story, n)) = self.copies(index) else {
            self.info("this article has no other copies");
            return;
        };
        let members: Vec<ArticleId> = self.stories.members(story).collect();
        let order: Vec<usize> = {
            let map = self.index_of_id();
            members.iter().filter_map(|id| map.get(&id.0).copied()).collect()
        };
        let at = order.iter().position(|&i| i == index).unwrap_or(0);
        let Some(&next) = order.get((at + 1) % order.len().max(1)) else { return };
        self.show(next, true);
        self.focus = Pane::Reader;
        let k = order.iter().position(|&i| i == next).map_or(0, |p| p + 1);
        let source = self.corpus.articles.get(next).map(|a| a.source.clone()).unwrap_or_default();
        self.info(format!("copy {k}/{n}: {source}"));
    }
}
