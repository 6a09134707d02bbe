//! What a hand-edited or synced store holds that yuedu must not show: entries of the wrong shape
//! and tags that break the rule. They are kept out of view and written back as they were.

use std::collections::{BTreeMap, BTreeSet};

use super::Entry;
use super::change::Change;
use super::file::Entries;
use super::validate;

/// The store's parts that are kept but never shown or printed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kept {
    /// Entries that are not an entry (`"read": "yes"`) or whose id breaks the rule, as read.
    pub raw: BTreeMap<String, serde_json::Value>,
    /// Tags that break [`validate::TAG_RULE`], by article.
    pub tags: BTreeMap<String, BTreeSet<String>>,
}

impl Kept {
    /// One line for the user: how much is kept out of view, and the first case, escaped.
    pub fn report(&self, path: &std::path::Path) -> Option<String> {
        let n_tags: usize = self.tags.values().map(BTreeSet::len).sum();
        let first = match (self.raw.iter().next(), self.tags.iter().next()) {
            (Some((id, _)), _) => format!("article {}: not a valid entry", validate::shown(id)),
            (None, Some((id, t))) => format!(
                "article {}: tag \"{}\"",
                validate::shown(id),
                t.iter().next().map(|t| validate::shown(t)).unwrap_or_default()
            ),
            (None, None) => return None,
        };
        Some(format!(
            "tag store {}: {} invalid tag(s) and {} invalid entr(y/ies) are kept in the file but not \
             shown (first: {first})",
            path.display(),
            n_tags,
            self.raw.len()
        ))
    }

    /// A change touching a kept part: a typed entry replaces a raw one, and a removed tag goes
    /// from the kept ones too. True when that changed anything.
    pub fn apply(&mut self, entries: &Entries, change: &Change) -> bool {
        let mut changed = false;
        let ids: Vec<&String> = match change {
            Change::Add { ids, .. } | Change::Remove { ids, .. } => ids.iter().collect(),
            Change::Read { id, .. } | Change::Position { id, .. } => vec![id],
        };
        for id in ids {
            if entries.contains_key(id) {
                changed |= self.raw.remove(id).is_some();
            }
        }
        if let Change::Remove { ids, tags } = change {
            for id in ids {
                if let Some(kept) = self.tags.get_mut(id) {
                    for t in tags {
                        changed |= kept.remove(t);
                    }
                    if kept.is_empty() {
                        self.tags.remove(id);
                    }
                }
            }
        }
        changed
    }
}

/// Splits what the file holds into what may be shown and what is kept out of view.
pub fn split(values: BTreeMap<String, serde_json::Value>) -> (Entries, Kept) {
    let mut kept = Kept::default();
    let mut entries = Entries::new();
    for (id, value) in values {
        match serde_json::from_value::<Entry>(value.clone()) {
            Ok(entry) if validate::id_ok(&id) => {
                let entry = keep_bad_tags(&id, entry, &mut kept);
                entries.insert(id, entry);
            }
            _ => {
                kept.raw.insert(id, value);
            }
        }
    }
    (entries, kept)
}

/// The same split for entries already typed (the fast line reader's result).
pub fn split_typed(typed: Entries) -> (Entries, Kept) {
    let mut kept = Kept::default();
    let mut entries = Entries::new();
    for (id, entry) in typed {
        if !validate::id_ok(&id) {
            if let Ok(v) = serde_json::to_value(&entry) {
                kept.raw.insert(id, v);
            }
            continue;
        }
        let entry = keep_bad_tags(&id, entry, &mut kept);
        entries.insert(id, entry);
    }
    (entries, kept)
}

fn keep_bad_tags(id: &str, mut entry: Entry, kept: &mut Kept) -> Entry {
    if entry.tags.iter().all(|t| validate::normalize(t).is_some()) {
        return entry;
    }
    let (good, bad): (BTreeSet<String>, BTreeSet<String>) =
        std::mem::take(&mut entry.tags).into_iter().partition(|t| validate::normalize(t).is_some());
    entry.tags = good;
    kept.tags.insert(id.to_string(), bad);
    entry
}

/// What to write for each article: the shown entries with their kept tags put back, and the raw
/// entries no change replaced.
pub fn merged<'a>(entries: &'a Entries, kept: &'a Kept) -> Vec<(&'a str, Written<'a>)> {
    let mut out: BTreeMap<&str, Written<'a>> = BTreeMap::new();
    for (id, v) in &kept.raw {
        out.insert(id, Written::Raw(v));
    }
    for (id, e) in entries {
        out.insert(id, Written::Entry(std::borrow::Cow::Borrowed(e)));
    }
    for (id, bad) in &kept.tags {
        let mut e = match out.remove(id.as_str()) {
            Some(Written::Entry(e)) => e.into_owned(),
            _ => Entry::default(),
        };
        e.tags.extend(bad.iter().cloned());
        out.insert(id, Written::Entry(std::borrow::Cow::Owned(e)));
    }
    out.into_iter().collect()
}

pub enum Written<'a> {
    Entry(std::borrow::Cow<'a, Entry>),
    Raw(&'a serde_json::Value),
}
