//! Tag and read-state changes: shown at once, saved at once, and kept in memory and retried when
//! the store cannot be written (disk full, read-only data dir).

use super::prompt::LineEdit;
use super::{App, Bulk, FOLLOW_UP, Prompt, PromptKind};
use crate::tags::TagsError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TagOp {
    Add { index: usize, tags: Vec<String> },
    Remove { index: usize, tags: Vec<String> },
    Read { index: usize, read: bool },
}

impl TagOp {
    fn index(&self) -> usize {
        match self {
            TagOp::Add { index, .. } | TagOp::Remove { index, .. } | TagOp::Read { index, .. } => *index,
        }
    }
}

/// Longest tag accepted, in chars.
const MAX_TAG: usize = 64;

fn check_tag(t: &str) -> Result<(), String> {
    if t.is_empty()
        || t.chars().count() > MAX_TAG
        || t.chars().any(|c| c.is_control() || c.is_whitespace() || super::reading::is_invisible(c))
    {
        return Err(format!("invalid tag {:?}: no spaces, at most {MAX_TAG} characters", t));
    }
    Ok(())
}

impl App {
    /// Shows `op` at once and writes it. Err is the one line to show.
    pub(super) fn save(&mut self, op: TagOp) -> Result<(), String> {
        if let TagOp::Add { tags, .. } = &op {
            tags.iter().try_for_each(|t| check_tag(t))?;
        }
        let index = op.index();
        if index >= self.corpus.articles.len() {
            return Ok(());
        }
        self.show_op(&op);
        if !self.pending.is_empty() && self.retry_pending().is_err() {
            self.pending.push(op);
            return Err(self.unsaved_line(None));
        }
        match self.store_op(&op) {
            Ok(()) => Ok(()),
            Err(TagsError::InvalidTag(t)) => {
                self.reload(index);
                Err(format!("invalid tag {t:?}"))
            }
            Err(e) => {
                tracing::warn!("tag store write failed: {e}");
                self.pending.push(op);
                Err(self.unsaved_line(Some(&e.to_string())))
            }
        }
    }

    fn unsaved_line(&self, why: Option<&str>) -> String {
        let n = self.pending.len();
        let why = why.map(|w| format!(" ({w})")).unwrap_or_default();
        format!("tags not saved{why}: {n} change(s) kept in memory, retrying")
    }

    fn store_op(&mut self, op: &TagOp) -> Result<(), TagsError> {
        let Some(id) = self.corpus.articles.get(op.index()).map(|a| a.id.to_string()) else { return Ok(()) };
        match op {
            TagOp::Add { tags, .. } => self.store.add(&id, tags),
            TagOp::Remove { tags, .. } => self.store.remove(&id, tags),
            TagOp::Read { read, .. } => self.store.set_read(&id, *read),
        }
    }

    /// Writes the changes that failed before, oldest first; stops at the first failure.
    pub(super) fn retry_pending(&mut self) -> Result<(), String> {
        while let Some(op) = self.pending.first().cloned() {
            match self.store_op(&op) {
                Ok(()) | Err(TagsError::InvalidTag(_)) => {
                    self.pending.remove(0);
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        Ok(())
    }

    fn show_op(&mut self, op: &TagOp) {
        match op {
            TagOp::Add { index, tags } => {
                if let Some(have) = self.tags.get_mut(*index) {
                    for t in tags {
                        if !have.contains(t) {
                            have.push(t.clone());
                        }
                    }
                    have.sort();
                }
            }
            TagOp::Remove { index, tags } => {
                if let Some(have) = self.tags.get_mut(*index) {
                    have.retain(|t| !tags.contains(t));
                }
            }
            TagOp::Read { index, read } => {
                if let Some(r) = self.read.get_mut(*index) {
                    *r = *read;
                }
            }
        }
    }

    fn reload(&mut self, index: usize) {
        let Some(id) = self.corpus.articles.get(index).map(|a| a.id.to_string()) else { return };
        if let Some(t) = self.tags.get_mut(index) {
            *t = self.store.tags(&id);
        }
        if let Some(r) = self.read.get_mut(index) {
            *r = self.store.is_read(&id);
        }
    }

    pub(super) fn toggle_follow_up(&mut self) {
        let Some(index) = self.current() else { return };
        let tags = vec![FOLLOW_UP.to_string()];
        if self.tags_of(index).iter().any(|t| t == FOLLOW_UP) {
            self.apply_op(TagOp::Remove { index, tags });
            self.keep_message(format!("{FOLLOW_UP} removed"));
        } else {
            self.apply_op(TagOp::Add { index, tags });
            self.keep_message(format!("tagged {FOLLOW_UP}"));
        }
    }

    pub(super) fn toggle_read(&mut self) {
        let Some(index) = self.current() else { return };
        let read = !self.is_read(index);
        self.apply_op(TagOp::Read { index, read });
        self.keep_message(if read { "marked read".into() } else { "marked unread".into() });
    }

    /// Shows `text` unless applying the change already put an error on the status line.
    fn keep_message(&mut self, text: String) {
        if !self.message.as_ref().is_some_and(|m| m.error) {
            self.info(text);
        }
    }

    pub(super) fn tag_prompt(&mut self, add: bool) {
        let Some(index) = self.current() else {
            self.info("nothing selected");
            return;
        };
        let pool: Vec<String> = if add {
            self.tag_counts().into_iter().map(|(t, _)| t).collect()
        } else {
            self.tags_of(index).to_vec()
        };
        if !add && pool.is_empty() {
            self.info("this article has no tags");
            return;
        }
        let kind = if add { PromptKind::AddTags { index } } else { PromptKind::RemoveTags { index } };
        self.prompt = Some(Prompt { kind, edit: LineEdit::default(), pool, cycle: None });
    }

    pub(super) fn bulk_prompt(&mut self, add: bool) {
        if self.rows.is_empty() {
            self.info("no articles shown");
            return;
        }
        let pool: Vec<String> = if add {
            self.tag_counts().into_iter().map(|(t, _)| t).collect()
        } else {
            let mut v: Vec<String> =
                self.rows.iter().flat_map(|&i| self.tags_of(i).iter().cloned()).collect();
            v.sort();
            v.dedup();
            v
        };
        let kind = if add { PromptKind::BulkAdd } else { PromptKind::BulkRemove };
        self.prompt = Some(Prompt { kind, edit: LineEdit::default(), pool, cycle: None });
    }

    pub(super) fn apply_bulk(&mut self, bulk: Bulk) {
        if let Some(bad) = bulk.tags.iter().find_map(|t| check_tag(t).err()) {
            self.error(bad);
            return;
        }
        let mut changed = 0;
        let mut first_error = None;
        for &index in &bulk.indices {
            let have = self.tags_of(index);
            let op = if bulk.add {
                if bulk.tags.iter().all(|t| have.contains(t)) {
                    continue;
                }
                TagOp::Add { index, tags: bulk.tags.clone() }
            } else {
                if !bulk.tags.iter().any(|t| have.contains(t)) {
                    continue;
                }
                TagOp::Remove { index, tags: bulk.tags.clone() }
            };
            changed += 1;
            if let Err(e) = self.save(op) {
                first_error.get_or_insert(e);
            }
        }
        self.refresh_reader(None);
        let list = bulk.tags.join(", ");
        match first_error {
            Some(e) => self.error(e),
            None if bulk.add => self.info(format!("added {list} to {changed} article(s)")),
            None => self.info(format!("removed {list} from {changed} article(s)")),
        }
    }
}
