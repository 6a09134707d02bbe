//! Tag and read-state changes: shown at once, saved at once, and kept in memory and retried when
//! the store cannot be written (disk full, read-only data dir).

use super::prompt::LineEdit;
use super::{App, Bulk, Command, Effect, FOLLOW_UP, Prompt, PromptKind, SaveReport, TagWrite};
use yuedu_core::tags::{TagsError, validate};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TagOp {
    Add { indices: Vec<usize>, tags: Vec<String> },
    Remove { indices: Vec<usize>, tags: Vec<String> },
    Read { index: usize, read: bool },
    ReadMany { indices: Vec<usize>, read: bool },
    Position { index: usize, pos: u16 },
}

impl TagOp {
    fn indices(&self) -> &[usize] {
        match self {
            TagOp::Add { indices, .. } | TagOp::Remove { indices, .. } | TagOp::ReadMany { indices, .. } => {
                indices
            }
            TagOp::Read { index, .. } | TagOp::Position { index, .. } => std::slice::from_ref(index),
        }
    }
}

impl App {
    /// Applies `op` to the model's copy of the store (which validates it) and sends it to the
    /// worker to write. Err is the one line to show when the change itself is invalid; a failed
    /// write comes back later as [`Action::Saved`](crate::Action::Saved).
    pub(super) fn save(&mut self, op: TagOp) -> Result<(), String> {
        let ids: Vec<String> = op
            .indices()
            .iter()
            .filter_map(|&i| self.corpus.articles.get(i))
            .map(|a| a.id.to_string())
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        let (result, write) = match op.clone() {
            TagOp::Add { tags, .. } => (self.store.add_many(&ids, &tags), TagWrite::Add { ids, tags }),
            TagOp::Remove { tags, .. } => {
                (self.store.remove_many(&ids, &tags), TagWrite::Remove { ids, tags })
            }
            TagOp::Read { read, .. } => {
                let id = ids.into_iter().next().unwrap_or_default();
                (self.store.set_read(&id, read), TagWrite::Read { id, read })
            }
            TagOp::ReadMany { read, .. } => {
                (self.store.set_read_many(&ids, read), TagWrite::ReadMany { ids, read })
            }
            TagOp::Position { pos, .. } => {
                let id = ids.into_iter().next().unwrap_or_default();
                (self.store.set_position(&id, pos), TagWrite::Position { id, pos })
            }
        };
        for &i in op.indices() {
            self.reload(i);
        }
        result.map_err(|e| e.to_string())?;
        self.saving += 1;
        self.outbox.push(Effect::Save(write));
        Ok(())
    }

    /// Asks the worker to write what a failed write left pending.
    pub(super) fn retry_pending(&mut self) {
        self.saving += 1;
        self.outbox.push(Effect::Flush);
    }

    /// The worker's answer to a save or a retry.
    pub(super) fn saved(&mut self, report: SaveReport) -> Vec<Effect> {
        let before = (self.message.clone(), self.unsaved, self.saving);
        self.saving = self.saving.saturating_sub(1);
        let was_unsaved = self.unsaved;
        self.unsaved = report.pending;
        if let Some(e) = report.error.or(report.warning) {
            if self.quit_after_save {
                let key = self.keymap.first(Command::Quit).unwrap_or_else(|| "Q".into());
                self.error(format!("{e}; press {key} again to quit anyway"));
            } else {
                self.error(e);
            }
        } else if was_unsaved > 0 && self.unsaved == 0 {
            self.info("unsaved tag changes are saved now");
        }
        if self.quit_after_save && self.saving == 0 && self.unsaved == 0 {
            return vec![Effect::Quit];
        }
        // A retry that failed as before changes nothing on screen.
        let shown = (self.message.clone(), self.unsaved, self.saving);
        if shown.0 == before.0 && shown.1 == before.1 { Vec::new() } else { vec![Effect::Redraw] }
    }

    /// The shown tags and read state of article `index`, from the store.
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
        self.record_undo(&[index], "follow-up");
        let tags = vec![FOLLOW_UP.to_string()];
        if self.tags_of(index).iter().any(|t| t == FOLLOW_UP) {
            self.apply_op(TagOp::Remove { indices: vec![index], tags });
            self.keep_message(format!("{FOLLOW_UP} removed"));
        } else {
            self.apply_op(TagOp::Add { indices: vec![index], tags });
            self.keep_message(format!("tagged {FOLLOW_UP}"));
        }
    }

    pub(super) fn toggle_read(&mut self) {
        let Some(index) = self.current() else { return };
        let read = !self.is_read(index);
        self.record_undo(&[index], if read { "mark read" } else { "mark unread" });
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

    /// The first tag the store would refuse, as the line to show.
    pub(super) fn invalid_tag(tags: &[String]) -> Option<String> {
        tags.iter()
            .find(|t| validate::normalize(t).is_none())
            .map(|t| TagsError::InvalidTag(t.clone()).to_string())
    }

    pub(super) fn apply_bulk(&mut self, bulk: Bulk) {
        // Only the articles the change changes, so the count is true and the write small.
        let indices: Vec<usize> = bulk
            .indices
            .iter()
            .copied()
            .filter(|&i| {
                let have = self.tags_of(i);
                if bulk.add {
                    !bulk.tags.iter().all(|t| have.contains(t))
                } else {
                    bulk.tags.iter().any(|t| have.contains(t))
                }
            })
            .collect();
        let changed = indices.len();
        if bulk.read {
            let indices: Vec<usize> = bulk.indices.iter().copied().filter(|&i| !self.is_read(i)).collect();
            let n = indices.len();
            self.record_undo(&indices, "mark all read");
            let result = if n == 0 { Ok(()) } else { self.save(TagOp::ReadMany { indices, read: true }) };
            self.refresh_reader(None);
            match result {
                Err(e) => self.error(e),
                Ok(()) => {
                    let key = self
                        .keymap
                        .first(Command::Undo)
                        .map(|k| format!(" ({k} undoes)"))
                        .unwrap_or_default();
                    self.info(format!("marked {n} article(s) read{key}"));
                }
            }
            return;
        }
        self.record_undo(&indices, if bulk.add { "bulk add" } else { "bulk remove" });
        let op = if bulk.add {
            TagOp::Add { indices, tags: bulk.tags.clone() }
        } else {
            TagOp::Remove { indices, tags: bulk.tags.clone() }
        };
        let result = if changed == 0 { Ok(()) } else { self.save(op) };
        self.refresh_reader(None);
        let list = bulk.tags.join(", ");
        match result {
            Err(e) => self.error(e),
            Ok(()) if bulk.add => self.info(format!("added {list} to {changed} article(s)")),
            Ok(()) => self.info(format!("removed {list} from {changed} article(s)")),
        }
    }
}
