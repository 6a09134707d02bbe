//! The tag and read-state store: one human-readable file, written safely on every change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum TagsError {
    #[error("cannot write tag store {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("invalid tag {0:?}")]
    InvalidTag(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub tags: BTreeSet<String>,
    pub read: bool,
}

/// The open store. Placeholder: in memory only until the store lands.
#[derive(Debug, Default)]
pub struct Store {
    path: PathBuf,
    entries: BTreeMap<String, Entry>,
}

/// The store plus anything the user must be told about opening it.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub warning: Option<String>,
}

impl Store {
    pub fn open(path: &Path) -> Result<Opened, TagsError> {
        Ok(Opened { store: Store { path: path.to_path_buf(), entries: BTreeMap::new() }, warning: None })
    }
    pub fn path(&self) -> &Path {
        &self.path
    }
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.get(id)
    }
    pub fn tags(&self, id: &str) -> Vec<String> {
        self.entries.get(id).map(|e| e.tags.iter().cloned().collect()).unwrap_or_default()
    }
    pub fn is_read(&self, id: &str) -> bool {
        self.entries.get(id).is_some_and(|e| e.read)
    }
    pub fn add(&mut self, id: &str, tags: &[String]) -> Result<(), TagsError> {
        self.entries.entry(id.to_string()).or_default().tags.extend(tags.iter().cloned());
        Ok(())
    }
    pub fn remove(&mut self, id: &str, tags: &[String]) -> Result<(), TagsError> {
        if let Some(e) = self.entries.get_mut(id) {
            for t in tags {
                e.tags.remove(t);
            }
        }
        Ok(())
    }
    pub fn set_read(&mut self, id: &str, read: bool) -> Result<(), TagsError> {
        self.entries.entry(id.to_string()).or_default().read = read;
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
}
