//! The tag and read-state store: one human-readable file, written safely on every change.
//!
//! Every change is applied in memory, queued, and written at once under a lock: the writer
//! re-reads the file, replays its queued changes on what it finds and replaces the file
//! atomically, so two processes writing at once merge instead of overwriting each other. When a
//! write fails the change stays in memory and in the queue, and the next write retries it.
//!
//! The file (`state.json` in the data dir) is plain JSON, one article per line, keyed by the
//! article's stable id so tags follow a file that is moved or renamed:
//!
//! ```text
//! {
//!   "version": 1,
//!   "articles": {
//!     "3f2a9c0d1e4b5a67": {"tags":["follow-up","ioc"],"read":true}
//!   }
//! }
//! ```
//!
//! Beside it live `state.json.lock` (the writers' lock) and, briefly, a temp file with a random
//! name (`state.json.a1B2c3.tmp`).
//!
//! Nothing in the file is trusted: an entry of the wrong shape or a tag that breaks the rule
//! (one synced or edited by hand) is reported once, kept in the file and never shown.

mod change;
mod file;
mod json;
mod kept;
pub mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use change::{Change, apply};
pub use file::FORMAT_VERSION;
#[doc(hidden)]
pub use file::fault;
use file::{Entries, Loaded, LockError, Stamp};
use kept::Kept;

/// Each message ends with its cause, so no variant also returns it as `source()`: a chain
/// printer would say it twice (`… (os error 28): No space left on device (os error 28)`).
#[derive(Debug, thiserror::Error)]
pub enum TagsError {
    /// `path` is the file or folder that failed: the store, its temp file, its lock or the data dir.
    #[error("cannot save tags: {}: {error}", path.display())]
    Write { path: PathBuf, error: std::io::Error },
    #[error("cannot read tag store {}: {error}", path.display())]
    Read { path: PathBuf, error: std::io::Error },
    #[error("cannot save tags: another yuedu has held the lock {} for over 10 s", path.display())]
    Locked { path: PathBuf },
    #[error("tag store {} cannot be parsed ({reason}) and cannot be moved aside: {error}", path.display())]
    Corrupt { path: PathBuf, reason: String, error: std::io::Error },
    #[error("tag store {} was written by a newer yuedu (format {version}); not changing it", path.display())]
    NewerFormat { path: PathBuf, version: u32 },
    #[error("invalid tag {0:?}: {rule}", rule = validate::TAG_RULE)]
    InvalidTag(String),
    #[error("invalid article id {0:?}")]
    InvalidId(String),
}

/// What the store knows of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub tags: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read: bool,
    /// Where the reader left off, in ten-thousandths of the article (older versions ignore it).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pos: u16,
}

fn is_zero(n: &u16) -> bool {
    *n == 0
}

/// The open store.
#[derive(Debug, Default)]
pub struct Store {
    path: PathBuf,
    /// A copy that changes in memory only: the reader's model holds one while a worker thread
    /// holds the store that writes, so the model never waits on the disk or the lock.
    detached: bool,
    entries: Entries,
    /// What the file holds that is never shown; written back with `entries`.
    kept: Kept,
    /// Applied to `entries` but not yet on disk, oldest first.
    pending: Vec<Change>,
    /// The file came from a newer yuedu: it is read but never written.
    newer: Option<u32>,
    /// The file `entries` was read from or last written to, less `pending`; None when unknown.
    disk: Option<Stamp>,
    /// `pending` changes something in that file (so a save must write).
    dirty: bool,
    warning: Option<String>,
}

/// The store plus anything the user must be told about opening it.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub warning: Option<String>,
}

impl Store {
    /// Opens the store at `path` (which need not exist). Opening never changes the file: one
    /// that cannot be parsed is shown as empty and moved aside by the first write; one that
    /// cannot be read (or is not a regular file) is left alone, and writes fail until it can be.
    /// Either way the store opens and `warning` says what happened.
    pub fn open(path: &Path) -> Result<Opened, TagsError> {
        let mut store = Store { path: path.to_path_buf(), ..Store::default() };
        let warning = match file::read_stamped(path) {
            Ok((Loaded::Missing, _)) => None,
            Ok((Loaded::Parsed { entries, kept, version }, stamp)) => {
                store.entries = entries;
                store.disk = stamp;
                store.note_version(version);
                let report = kept.report(path);
                store.kept = kept;
                match (store.warning.take(), report) {
                    (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                    (a, b) => a.or(b),
                }
            }
            Ok((Loaded::Corrupt(reason), _)) => Some(format!(
                "tag store {} cannot be parsed ({reason}); no tags are shown, and the next change \
                 moves it aside",
                path.display()
            )),
            Err(e) => Some(format!(
                "{}; tags will not be saved until it can be read",
                TagsError::Read { path: path.to_path_buf(), error: e }
            )),
        };
        Ok(Opened { store, warning })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether another process holds the writers' lock right now (so a write would wait).
    pub fn lock_is_held(&self) -> bool {
        let Ok(file) = std::fs::File::open(file::lock_path(&self.path)) else { return false };
        match file.try_lock() {
            Ok(()) => {
                let _ = file.unlock();
                false
            }
            Err(std::fs::TryLockError::WouldBlock) => true,
            Err(std::fs::TryLockError::Error(_)) => false,
        }
    }

    /// A copy of what the store holds that applies changes (validated as usual) in memory and
    /// never writes: the model's view, kept in step with the store that writes.
    pub fn detached_copy(&self) -> Store {
        Store {
            path: self.path.clone(),
            detached: true,
            entries: self.entries.clone(),
            kept: self.kept.clone(),
            pending: Vec::new(),
            newer: self.newer,
            warning: None,
            disk: None,
            dirty: false,
        }
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.get(id)
    }

    /// Every article the store knows, by id; some may no longer be in the corpus.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn tags(&self, id: &str) -> Vec<String> {
        self.entries.get(id).map(|e| e.tags.iter().cloned().collect()).unwrap_or_default()
    }

    pub fn has_tag(&self, id: &str, tag: &str) -> bool {
        self.entries.get(id).is_some_and(|e| e.tags.contains(tag))
    }

    pub fn is_read(&self, id: &str) -> bool {
        self.entries.get(id).is_some_and(|e| e.read)
    }

    /// Changes made in memory that are not on disk yet (a failed write leaves them here).
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// A one-line notice from the last write or refresh (e.g. a corrupt file was moved aside).
    pub fn take_warning(&mut self) -> Option<String> {
        self.warning.take()
    }

    pub fn add(&mut self, id: &str, tags: &[String]) -> Result<(), TagsError> {
        self.add_many(&[id.to_string()], tags)
    }

    pub fn remove(&mut self, id: &str, tags: &[String]) -> Result<(), TagsError> {
        self.remove_many(&[id.to_string()], tags)
    }

    /// Adds `tags` to every article in `ids` with a single write. Tags are trimmed and put in
    /// NFC; an invalid tag or id rejects the whole call before anything changes.
    pub fn add_many(&mut self, ids: &[String], tags: &[String]) -> Result<(), TagsError> {
        let tags = tags
            .iter()
            .map(|t| validate::normalize(t).ok_or_else(|| TagsError::InvalidTag(t.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        let ids = checked_ids(ids)?;
        if ids.is_empty() || tags.is_empty() {
            return self.flush();
        }
        self.change(Change::Add { ids, tags })
    }

    /// Removes `tags` from every article in `ids` with a single write. Any tag may be removed,
    /// even one that would not pass validation today (the file may have been edited by hand).
    pub fn remove_many(&mut self, ids: &[String], tags: &[String]) -> Result<(), TagsError> {
        use unicode_normalization::UnicodeNormalization;
        let tags: Vec<String> =
            tags.iter().map(|t| t.trim().nfc().flat_map(char::to_lowercase).collect()).collect();
        let ids = checked_ids(ids)?;
        if ids.is_empty() || tags.is_empty() {
            return self.flush();
        }
        self.change(Change::Remove { ids, tags })
    }

    /// Where the reader left article `id` (ten-thousandths of its length).
    pub fn position(&self, id: &str) -> u16 {
        self.entry(id).map_or(0, |e| e.pos)
    }

    pub fn set_position(&mut self, id: &str, pos: u16) -> Result<(), TagsError> {
        if !validate::id_ok(id) {
            return Err(TagsError::InvalidId(id.to_string()));
        }
        self.change(Change::Position { id: id.to_string(), pos: pos.min(10_000) })
    }

    pub fn set_read(&mut self, id: &str, read: bool) -> Result<(), TagsError> {
        if !validate::id_ok(id) {
            return Err(TagsError::InvalidId(id.to_string()));
        }
        self.change(Change::Read { id: id.to_string(), read })
    }

    /// Writes the changes still pending after a failed write. Nothing pending, nothing written.
    pub fn flush(&mut self) -> Result<(), TagsError> {
        if self.pending.is_empty() || self.detached { Ok(()) } else { self.sync() }
    }

    /// Re-reads the file, which another process may have changed, keeping this process's
    /// pending changes on top.
    pub fn refresh(&mut self) -> Result<(), TagsError> {
        let (loaded, stamp) = file::read_stamped(&self.path)
            .map_err(|error| TagsError::Read { path: self.path.clone(), error })?;
        let (mut entries, mut kept, version) = match loaded {
            Loaded::Missing => (Entries::new(), Kept::default(), FORMAT_VERSION),
            Loaded::Parsed { entries, kept, version } => (entries, kept, version),
            // Only a writer holding the lock may move the file aside.
            Loaded::Corrupt(_) => return self.sync(),
        };
        self.note_version(version);
        let mut dirty = false;
        for c in &self.pending {
            dirty |= apply(&mut entries, c);
            dirty |= kept.apply(&entries, c);
        }
        (self.entries, self.kept) = (entries, kept);
        (self.disk, self.dirty) = (stamp, dirty);
        Ok(())
    }

    /// Every tag with the number of articles carrying it, most used first.
    pub fn counts(&self) -> Vec<(String, usize)> {
        let mut m: BTreeMap<&str, usize> = BTreeMap::new();
        for e in self.entries.values() {
            for t in &e.tags {
                *m.entry(t).or_default() += 1;
            }
        }
        let mut v: Vec<(String, usize)> = m.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    fn note_version(&mut self, version: u32) {
        if version > FORMAT_VERSION && self.newer.is_none() {
            self.warning = Some(format!(
                "tag store {} was written by a newer yuedu (format {version}); tags are shown but \
                 changes will not be saved",
                self.path.display()
            ));
        }
        self.newer = (version > FORMAT_VERSION).then_some(version);
    }

    /// Sets the read state of every article in `ids` with a single write.
    pub fn set_read_many(&mut self, ids: &[String], read: bool) -> Result<(), TagsError> {
        let ids = checked_ids(ids)?;
        if ids.is_empty() {
            return self.flush();
        }
        self.change_all(ids.into_iter().map(|id| Change::Read { id, read }).collect())
    }

    fn change(&mut self, change: Change) -> Result<(), TagsError> {
        self.change_all(vec![change])
    }

    fn change_all(&mut self, changes: Vec<Change>) -> Result<(), TagsError> {
        for change in changes {
            // Applied even when memory says it changes nothing: memory may be behind the file.
            self.dirty |= apply(&mut self.entries, &change);
            self.dirty |= self.kept.apply(&self.entries, &change);
            if !self.detached {
                self.pending.push(change);
            }
        }
        if self.detached {
            return Ok(());
        }
        self.sync()
    }

    /// Under the lock: re-reads the file, replays the pending changes on it, and replaces the
    /// file if that changed anything. A file that cannot be parsed is moved aside and replaced by
    /// what this process holds in memory.
    fn sync(&mut self) -> Result<(), TagsError> {
        let path = self.path.clone();
        if let Some(version) = self.newer {
            return Err(TagsError::NewerFormat { path, version });
        }
        let _lock = file::lock(&path).map_err(|e| match e {
            LockError::Io(path, error) => TagsError::Write { path, error },
            LockError::Timeout => TagsError::Locked { path: file::lock_path(&path) },
        })?;
        // The file is still the one memory came from (no other writer saved since, which would
        // have renamed a new file in): memory plus the pending changes is what to write, and
        // reading and parsing the whole store again is skipped.
        if self.disk.is_some() && file::stamp(&path) == self.disk {
            if self.dirty {
                file::write_atomic(&path, &file::serialize(&self.entries, &self.kept))
                    .map_err(|(path, error)| TagsError::Write { path, error })?;
                self.disk = file::stamp(&path);
            }
            self.pending.clear();
            self.dirty = false;
            return Ok(());
        }
        let (loaded, stamp) =
            file::read_stamped(&path).map_err(|error| TagsError::Read { path: path.clone(), error })?;
        let (mut next, mut next_kept, mut must_write) = match loaded {
            Loaded::Missing => (Entries::new(), Kept::default(), false),
            Loaded::Parsed { version, .. } if version > FORMAT_VERSION => {
                self.note_version(version);
                return Err(TagsError::NewerFormat { path, version });
            }
            Loaded::Parsed { entries, kept, .. } => (entries, kept, false),
            Loaded::Corrupt(reason) => {
                let aside = file::move_aside(&path).map_err(|error| TagsError::Corrupt {
                    path: path.clone(),
                    reason: reason.clone(),
                    error,
                })?;
                let kept = if self.entries.is_empty() {
                    "starting with no tags".to_string()
                } else {
                    format!("saved the {} articles' tags held in memory", self.entries.len())
                };
                self.warning = Some(format!(
                    "tag store {} could not be parsed ({reason}); moved it to {}; {kept}",
                    path.display(),
                    aside.display()
                ));
                // The bad file is out of the way; this process's memory is the best copy left.
                (self.entries.clone(), self.kept.clone(), true)
            }
        };
        for c in &self.pending {
            must_write |= apply(&mut next, c);
            must_write |= next_kept.apply(&next, c);
        }
        self.disk = stamp;
        if must_write {
            if let Err((path, error)) = file::write_atomic(&path, &file::serialize(&next, &next_kept)) {
                // Memory was not replaced by what was read, so it no longer matches that file.
                self.disk = None;
                return Err(TagsError::Write { path, error });
            }
            self.disk = file::stamp(&path);
        }
        (self.entries, self.kept) = (next, next_kept);
        self.pending.clear();
        self.dirty = false;
        Ok(())
    }
}

fn checked_ids(ids: &[String]) -> Result<Vec<String>, TagsError> {
    match ids.iter().find(|id| !validate::id_ok(id)) {
        Some(bad) => Err(TagsError::InvalidId(bad.clone())),
        None => Ok(ids.to_vec()),
    }
}
