//! Triage helpers: undo of the last tag or read change, mark all shown read, links by number,
//! saved searches with unread counts, the reading position, and the list's width.

use std::collections::BTreeMap;

use super::prompt::{LineEdit, Picker, PickerKind};
use super::reader::Reader;
use super::tagging::TagOp;
use super::{App, Bulk, Command, Effect, Overlay, Prompt, PromptKind, layout, text};
use yuedu_core::corpus::Corpus;
use yuedu_core::filter::{self, Query};

/// The source column never takes more than this many columns, however long a name is.
pub const SOURCE_MAX: usize = 24;
/// Positions are kept in ten-thousandths of the article.
const POSITION_SCALE: usize = 10_000;

/// What the last tag or read change replaced: each article's tags and read state before it.
#[derive(Debug, Clone)]
pub(crate) struct Undo {
    label: String,
    before: Vec<(usize, Vec<String>, bool)>,
}

/// The widest source name in display columns, capped at [`SOURCE_MAX`].
pub(crate) fn source_column(corpus: &Corpus) -> usize {
    let mut seen = std::collections::HashSet::new();
    let mut widest = 0;
    for a in &corpus.articles {
        if seen.insert(a.source.as_str()) {
            widest = widest.max(text::width(&a.source));
            if widest >= SOURCE_MAX {
                return SOURCE_MAX;
            }
        }
    }
    widest
}

impl App {
    /// Keeps the state of `indices` so the change about to be made can be undone.
    pub(crate) fn record_undo(&mut self, indices: &[usize], label: &str) {
        let before = indices.iter().map(|&i| (i, self.tags_of(i).to_vec(), self.is_read(i))).collect();
        self.undo = Some(Undo { label: label.to_string(), before });
    }

    /// Puts back what the last tag or read change replaced, bulk changes included.
    pub(crate) fn undo(&mut self) {
        let Some(undo) = self.undo.take() else {
            self.info("nothing to undo");
            return;
        };
        // Group by what to do, so a bulk undo is a few writes, not one per article.
        let mut removes: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
        let mut adds: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
        let mut reads: BTreeMap<bool, Vec<usize>> = BTreeMap::new();
        for (i, tags, read) in &undo.before {
            let now = self.tags_of(*i);
            let gone: Vec<String> = now.iter().filter(|t| !tags.contains(t)).cloned().collect();
            let back: Vec<String> = tags.iter().filter(|t| !now.contains(t)).cloned().collect();
            if !gone.is_empty() {
                removes.entry(gone).or_default().push(*i);
            }
            if !back.is_empty() {
                adds.entry(back).or_default().push(*i);
            }
            if self.is_read(*i) != *read {
                reads.entry(*read).or_default().push(*i);
            }
        }
        let mut result = Ok(());
        for (tags, indices) in removes {
            result = result.and(self.save(TagOp::Remove { indices, tags }));
        }
        for (tags, indices) in adds {
            result = result.and(self.save(TagOp::Add { indices, tags }));
        }
        for (read, indices) in reads {
            result = result.and(self.save(TagOp::ReadMany { indices, read }));
        }
        self.refresh_reader(None);
        if self.unread_only {
            self.rebuild(true);
        }
        match result {
            Err(e) => self.error(e),
            Ok(()) => self.info(format!("undone: {} ({} article(s))", undo.label, undo.before.len())),
        }
    }

    /// Asks before marking every article shown read.
    pub(crate) fn mark_all_read_prompt(&mut self) {
        let indices: Vec<usize> = self.rows.iter().copied().filter(|&i| !self.is_read(i)).collect();
        if indices.is_empty() {
            self.info("every article shown is read already");
            return;
        }
        self.overlay = Some(Overlay::Confirm(Bulk { add: false, tags: Vec::new(), indices, read: true }));
    }

    /// `l`: asks for a link number of the open article.
    pub(crate) fn link_prompt(&mut self) {
        let Some(r) = &self.reader else {
            self.info("no article open");
            return;
        };
        if r.body.links.is_empty() {
            self.info("this article has no links");
            return;
        }
        self.prompt =
            Some(Prompt { kind: PromptKind::Link, edit: LineEdit::default(), pool: Vec::new(), cycle: None });
    }

    /// Opens (or with `copy`, copies) link number `text` of the open article. Without a local
    /// display, opening copies instead, as the URL key says.
    pub(crate) fn follow_link(&mut self, text: &str, copy: bool) {
        let Some(r) = &self.reader else { return };
        let n: Option<usize> = text.trim().trim_start_matches('[').trim_end_matches(']').parse().ok();
        let Some(link) = n.and_then(|n| r.body.links.iter().find(|l| l.number == n)).cloned() else {
            let max = r.body.links.iter().map(|l| l.number).max().unwrap_or(0);
            self.error(format!("no link {:?}: the links are 1 to {max}", text.trim()));
            return;
        };
        let url = super::safe_url(&link.url);
        if copy || !self.env.has_display || !link.openable {
            self.info(format!("copied link {}: {url}", link.number));
            self.outbox.push(Effect::Copy(url));
        } else {
            self.info(format!("opening link {}: {url}", link.number));
            self.outbox.push(Effect::OpenUrl(url));
        }
    }

    /// The saved searches from config, each with the number of unread articles it matches now.
    pub(crate) fn open_saved_searches(&mut self) {
        if self.searches.is_empty() {
            self.info("no saved searches: add `searches: {name: query}` to config.yaml");
            return;
        }
        let items = self.saved_counts();
        let p = Picker::new(PickerKind::Saved, "Saved searches (unread)".into(), items);
        self.overlay = Some(Overlay::Picker(p));
    }

    /// (name, unread matches) per saved search. A body search (`\query`) is counted when run.
    pub(crate) fn saved_counts(&mut self) -> Vec<(Option<String>, usize)> {
        self.ensure_prepared();
        let searches = self.searches.clone();
        searches.into_iter().map(|(name, q)| (Some(name), self.unread_matching(&q))).collect()
    }

    /// Unread articles the filter query `q` matches (0 for a query that cannot be read).
    pub(crate) fn unread_matching(&self, q: &str) -> usize {
        let Ok(query) = Query::parse(q.trim_start_matches('\\')) else { return 0 };
        let n = self.corpus.articles.len();
        let hits = filter::filter_by(&query, n, |i| self.record(i), &self.prepared, None);
        hits.iter().filter(|h| !self.is_read(h.index)).count()
    }

    /// A saved search was picked: its query becomes the filter (or the body search).
    pub(crate) fn picked_saved(&mut self, name: &str) {
        let Some((_, q)) = self.searches.iter().find(|(n, _)| n == name).cloned() else { return };
        match q.strip_prefix('\\') {
            Some(body) => self.submit_body_search(body),
            None => {
                if let Err(e) = Query::parse_strict(&q) {
                    self.error(format!("saved search {name}: {e}"));
                    return;
                }
                self.set_filter(&q);
                self.info(format!("saved search {name}: {q}"));
            }
        }
        self.focus = super::Pane::List;
    }

    /// Keeps the open picker of saved searches current when the corpus changes under it.
    pub(crate) fn refresh_saved_counts(&mut self) {
        if matches!(&self.overlay, Some(Overlay::Picker(p)) if p.kind == PickerKind::Saved) {
            let items = self.saved_counts();
            if let Some(Overlay::Picker(p)) = &mut self.overlay {
                p.set_items(items);
            }
        }
    }

    /// Keeps where the reader is in the open article, for the next time it is opened.
    pub(crate) fn remember_position(&mut self) {
        let Some(r) = &self.reader else { return };
        if r.body.loading || r.total() == 0 {
            return;
        }
        let pos = (r.scroll * POSITION_SCALE / r.total()).min(POSITION_SCALE) as u16;
        let index = r.index;
        let Some(id) = self.corpus.articles.get(index).map(|a| a.id.to_string()) else { return };
        if self.store.position(&id) != pos {
            self.apply_op(TagOp::Position { index, pos });
        }
    }

    /// Scrolls a newly opened reader to where it was left (now, or when its body arrives).
    pub(crate) fn restore_position(&self, reader: &mut Reader) {
        let Some(id) = self.corpus.articles.get(reader.index).map(|a| a.id.to_string()) else { return };
        let pos = usize::from(self.store.position(&id));
        if pos == 0 {
            return;
        }
        if reader.body.loading {
            reader.anchor = Some((pos, POSITION_SCALE));
        } else {
            reader.scroll = pos * reader.total() / POSITION_SCALE;
        }
    }

    /// `<` and `>`: the list's share of the width side by side.
    pub(crate) fn resize_list(&mut self, delta: i16) {
        let to = (self.list_percent as i16 + delta)
            .clamp(layout::LIST_PERCENT_MIN as i16, layout::LIST_PERCENT_MAX as i16);
        self.list_percent = to as u16;
        if !layout::side_by_side(self.width) {
            let key = self.keymap.first(Command::ListWider).unwrap_or_default();
            self.info(format!(
                "list width {to}% (used side by side, from {} columns; {key} widens)",
                layout::SIDE_BY_SIDE
            ));
        } else {
            self.info(format!("list width {to}%"));
        }
        self.relayout();
    }
}
