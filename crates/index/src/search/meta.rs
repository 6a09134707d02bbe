//! The index's own files beside tantivy's: a small head (format version, corpus root, the
//! generation of the last commit, the corpus's folders and their mtimes) read by every search,
//! and the stamps of the articles held, read only to update. Both are written after tantivy's
//! commit, each to a temporary file renamed into place, with a checksum; tantivy's commit
//! payload names the generation, so a head is trusted only beside the commit it describes.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::schema::{path_bytes, path_from_bytes};
use crate::pass::{Stamp, Stamps};

/// Bumped whenever the schema, the tokenizer or these files change: an index of another
/// version is rebuilt.
pub(crate) const VERSION: u32 = 1;

const HEAD: &str = "yuedu-head";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Head {
    pub version: u32,
    pub root: Vec<u8>,
    pub generation: u64,
    /// Every folder of the corpus and its mtime when the index was last brought up to date.
    pub folders: Vec<(Vec<u8>, i64)>,
    /// The corpus index cache file's mtime then: another command that reconciled the corpus
    /// (and so saw a file edited in place) moves it.
    pub corpus_cache_mtime: i64,
    /// The newest article date (`yyyymmdd`): ages for the recency boost count from it.
    pub newest_date: u64,
    pub articles: usize,
}

impl Head {
    pub fn new(root: &Path) -> Head {
        Head { version: VERSION, root: path_bytes(root), ..Head::default() }
    }

    pub fn folders(&self) -> impl Iterator<Item = (PathBuf, i64)> + '_ {
        self.folders.iter().map(|(p, m)| (path_from_bytes(p), *m))
    }
}

pub(crate) fn read_head(dir: &Path, root: &Path) -> Option<Head> {
    let head: Head = postcard::from_bytes(&read_checked(&dir.join(HEAD))?).ok()?;
    (head.version == VERSION && head.root == path_bytes(root)).then_some(head)
}

pub(crate) fn write_head(dir: &Path, head: &Head) -> std::io::Result<()> {
    write_checked(&dir.join(HEAD), &postcard::to_stdvec(head).map_err(std::io::Error::other)?)
}

pub(crate) fn remove_head(dir: &Path) -> std::io::Result<()> {
    fs::remove_file(dir.join(HEAD))
}

fn stamps_file(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("yuedu-stamps-{generation}"))
}

type DiskStamp = (u64, Vec<u8>, u64, i64);

pub(crate) fn read_stamps(dir: &Path, generation: u64) -> Option<Stamps> {
    let rows: Vec<DiskStamp> = postcard::from_bytes(&read_checked(&stamps_file(dir, generation))?).ok()?;
    Some(Stamps(
        rows.into_iter()
            .map(|(id, path, size, mtime_ns)| (id, Stamp { path: path_from_bytes(&path), size, mtime_ns }))
            .collect(),
    ))
}

/// Writes the stamps of `generation` and removes those of older generations.
pub(crate) fn write_stamps(dir: &Path, generation: u64, stamps: &Stamps) -> std::io::Result<()> {
    let rows: Vec<DiskStamp> =
        stamps.0.iter().map(|(id, s)| (*id, path_bytes(&s.path), s.size, s.mtime_ns)).collect();
    write_checked(&stamps_file(dir, generation), &postcard::to_stdvec(&rows).map_err(std::io::Error::other)?)
}

/// Removes the stamps of generations other than `keep` (after the head names `keep`).
pub(crate) fn prune_stamps(dir: &Path, keep: u64) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(g) = name.to_str().and_then(|n| n.strip_prefix("yuedu-stamps-")) else { continue };
        if !g.parse::<u64>().is_ok_and(|g| g == keep) {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// The contents, when the trailing xxh3 checksum matches.
pub(crate) fn read_checked(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = fs::read(path).ok()?;
    let split = bytes.len().checked_sub(8)?;
    let sum = u64::from_le_bytes(bytes[split..].try_into().ok()?);
    bytes.truncate(split);
    (xxhash_rust::xxh3::xxh3_64(&bytes) == sum).then_some(bytes)
}

/// Writes `bytes` and a checksum to a temporary file, syncs it and renames it over `path`, so
/// a reader sees the old file or the new one, never a part.
pub(crate) fn write_checked(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.write_all(&xxhash_rust::xxh3::xxh3_64(bytes).to_le_bytes())?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    if let Some(parent) = path.parent().and_then(|p| fs::File::open(p).ok()) {
        let _ = parent.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_or_foreign_head_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new("/corpus");
        let head = Head { generation: 3, articles: 2, ..Head::new(root) };
        write_head(dir.path(), &head).unwrap();
        assert_eq!(read_head(dir.path(), root), Some(head));
        assert_eq!(read_head(dir.path(), Path::new("/other")), None);
        let file = dir.path().join(HEAD);
        let mut bytes = fs::read(&file).unwrap();
        bytes[2] ^= 1;
        fs::write(&file, &bytes).unwrap();
        assert_eq!(read_head(dir.path(), root), None);
        fs::write(&file, b"short").unwrap();
        assert_eq!(read_head(dir.path(), root), None);
    }

    #[test]
    fn stamps_round_trip_and_old_generations_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Stamps::default();
        s.0.insert(7, Stamp { path: "a/b.md".into(), size: 10, mtime_ns: -5 });
        write_stamps(dir.path(), 1, &Stamps::default()).unwrap();
        write_stamps(dir.path(), 2, &s).unwrap();
        prune_stamps(dir.path(), 2);
        assert_eq!(read_stamps(dir.path(), 2), Some(s));
        assert_eq!(read_stamps(dir.path(), 1), None);
    }
}
