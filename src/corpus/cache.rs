//! The index cache: every file's metadata, size and mtime in one file per corpus, so a warm start
//! reads one file and stats the tree instead of reading 150,000 heads.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3Builder;

use super::{Article, Corpus, CorpusError, Duplicate, Problem, load_files, load_files_learning, walk};
use crate::document::boilerplate::Templates;

/// Bumped whenever the cached data or its meaning changes; an older file is rebuilt.
const FORMAT_VERSION: u32 = 3;
const MAGIC: &[u8; 8] = b"YUEDUIDX";

#[derive(Debug, Serialize, Deserialize)]
struct IndexFile {
    version: u32,
    #[serde(with = "path_bytes")]
    root: PathBuf,
    /// Learned when the index is built from scratch, or again once a quarter of it has changed.
    /// Before the files, so [`templates`] reads them without decoding the rest.
    templates: Templates,
    dirs: Vec<DirStamp>,
    /// The corpus as assembled (duplicates merged, newest first), so a warm start with nothing
    /// changed does no merging or sorting.
    articles: Vec<Article>,
    /// Copies that lost a duplicate merge: they compete again when something changes.
    dropped: Vec<Article>,
    duplicates: Vec<Duplicate>,
    /// The folder in `dirs` of each of `articles`, then of each of `dropped` ([`NO_DIR`] when
    /// none), so a warm start stats each file by name inside its open folder.
    dir_of: Vec<u32>,
    problems: Vec<Problem>,
    /// Size and mtime of each problem file when it was tried, so it is tried again only once
    /// it changes.
    problem_stamps: Vec<Option<(u64, i64)>>,
}

const NO_DIR: u32 = u32::MAX;

impl IndexFile {
    fn new(root: &Path, templates: Templates, dirs: Vec<DirStamp>, corpus: Corpus, dropped: Vec<Article>) -> IndexFile {
        let dir_index: HashMap<&OsStr, u32, Xxh3Builder> =
            dirs.iter().enumerate().map(|(i, d)| (d.path.as_os_str(), i as u32)).collect();
        let dir_of = corpus
            .articles
            .iter()
            .chain(&dropped)
            .map(|a| a.path.parent().and_then(|p| dir_index.get(p.as_os_str())).copied().unwrap_or(NO_DIR))
            .collect();
        drop(dir_index);
        let problem_stamps = corpus.problems.iter().map(|p| stamp(&p.path)).collect();
        IndexFile {
            version: FORMAT_VERSION,
            root: root.to_path_buf(),
            templates,
            dirs,
            articles: corpus.articles,
            dropped,
            duplicates: corpus.duplicates,
            dir_of,
            problems: corpus.problems,
            problem_stamps,
        }
    }

    fn into_corpus(self) -> Corpus {
        Corpus {
            root: self.root,
            articles: self.articles,
            problems: self.problems,
            duplicates: self.duplicates,
            templates: self.templates,
        }
    }
}

/// Size and mtime of a regular file.
fn stamp(path: &Path) -> Option<(u64, i64)> {
    let meta = std::fs::metadata(path).ok()?;
    meta.is_file().then(|| (meta.len(), super::mtime_ns(&meta)))
}

/// The leading fields of [`IndexFile`].
#[derive(Deserialize)]
struct IndexHead {
    version: u32,
    #[serde(with = "path_bytes")]
    root: PathBuf,
    templates: Templates,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct DirStamp {
    #[serde(with = "path_bytes")]
    path: PathBuf,
    mtime_ns: i64,
}

/// How the cache served a load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Report {
    /// A valid cache file was found.
    pub hit: bool,
    /// Files read from disk because they were new, changed or not cached.
    pub reloaded: usize,
    /// Cached files that are gone.
    pub removed: usize,
    /// The cache file was (re)written.
    pub written: bool,
}

/// The cache file for `root` inside `cache_dir`.
pub fn file_for(root: &Path, cache_dir: &Path) -> PathBuf {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let hash = xxhash_rust::xxh3::xxh3_64(&path_bytes::to_bytes(&canonical));
    cache_dir.join("index").join(format!("{hash:016x}.idx"))
}

/// Far above any index we write (150,000 articles take tens of MB): anything larger is not ours.
const MAX_INDEX_BYTES: u64 = 1 << 30;

/// The first `limit` bytes of an index file (all of it when shorter), None when it is not one.
fn read_index_bytes(file: &Path, limit: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    // Only a regular file: opening a FIFO blocks until a writer comes, a device never ends.
    let meta = std::fs::metadata(file).ok()?;
    if !meta.is_file() || meta.len() > MAX_INDEX_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    std::fs::File::open(file).ok()?.take(limit).read_to_end(&mut bytes).ok()?;
    bytes.starts_with(MAGIC).then_some(bytes)
}

fn read_index(file: &Path, root: &Path) -> Option<IndexFile> {
    let bytes = read_index_bytes(file, MAX_INDEX_BYTES)?;
    let index: IndexFile = postcard::from_bytes(&bytes[MAGIC.len()..]).ok()?;
    (index.version == FORMAT_VERSION && index.root == root).then_some(index)
}

/// The boilerplate templates cached for `root`, without reading or decoding the file list: what
/// `show PATH` uses for a file inside the corpus.
pub fn templates(root: &Path, cache_dir: &Path) -> Option<Templates> {
    let file = file_for(root, cache_dir);
    // The templates lead the file; read more only while they are cut off.
    let mut limit = 1 << 20;
    loop {
        let bytes = read_index_bytes(&file, limit)?;
        match postcard::take_from_bytes::<IndexHead>(&bytes[MAGIC.len()..]) {
            Ok((head, _)) => {
                return (head.version == FORMAT_VERSION && head.root == root).then_some(head.templates);
            }
            Err(postcard::Error::DeserializeUnexpectedEnd) if (bytes.len() as u64) == limit => limit *= 4,
            Err(_) => return None,
        }
    }
}

fn write_index(file: &Path, index: &IndexFile) -> std::io::Result<()> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend(postcard::to_stdvec(index).map_err(std::io::Error::other)?);
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // Write beside and rename, so a reader never sees half a cache.
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The corpus as the cache last saw it, without touching the tree: what a warm start shows
/// first. None when there is no valid cache.
pub fn snapshot(root: &Path, cache_dir: &Path) -> Option<Corpus> {
    Some(read_index(&file_for(root, cache_dir), root)?.into_corpus())
}

/// Loads `root`, reusing cached metadata for every file whose size and mtime are unchanged, and
/// rewrites the cache when anything changed. A missing, corrupt or stale cache is rebuilt.
pub fn load(root: &Path, cache_dir: &Path) -> Result<(Corpus, Report), CorpusError> {
    if !root.exists() {
        return Err(CorpusError::Missing(root.to_path_buf()));
    }
    if !root.is_dir() {
        return Err(CorpusError::NotAFolder(root.to_path_buf()));
    }
    let file = file_for(root, cache_dir);
    let mut report = Report::default();
    let cached = read_index(&file, root);
    report.hit = cached.is_some();
    let (mut files, mut problems, dirs, mut templates) = match cached {
        Some(index) => match reconcile(root, index, &mut report) {
            Reconciled::Same(index) => return Ok((index.into_corpus(), report)),
            Reconciled::Changed { files, problems, dirs, templates } => (files, problems, dirs, templates),
        },
        None => {
            let (paths, problems) = walk::article_files(root);
            let (files, problems, templates) = load_files_learning(root, &paths, problems);
            report.reloaded = files.len() + problems.len();
            (files, problems, dir_stamps(root, &paths), templates)
        }
    };
    // Templates learned from a much smaller corpus (a folder that started small and grew) are
    // learned again from everything, which costs one cold read of the heads.
    if report.hit && report.reloaded * 4 > files.len() + problems.len() {
        let paths: Vec<PathBuf> = files.drain(..).map(|a| a.path).collect();
        (files, problems, templates) = load_files_learning(root, &paths, std::mem::take(&mut problems));
    }
    let (corpus, dropped) = Corpus::assemble_keeping_dropped(root, files, problems);
    let index = IndexFile::new(root, templates, dirs, corpus, dropped);
    report.written = write_index(&file, &index).is_ok();
    Ok((index.into_corpus(), report))
}

enum Reconciled {
    /// Nothing on disk changed: the index is the corpus.
    Same(IndexFile),
    Changed { files: Vec<Article>, problems: Vec<Problem>, dirs: Vec<DirStamp>, templates: Templates },
}

fn reconcile(root: &Path, index: IndexFile, report: &mut Report) -> Reconciled {
    // A file added, removed or renamed changes its folder's mtime; an edit changes its own.
    let tree_changed = index.dirs.par_iter().any(|d| dir_mtime(&d.path) != Some(d.mtime_ns));
    if !tree_changed {
        return reconcile_in_place(root, index, report);
    }
    let (paths, walk_problems) = walk::article_files(root);
    let dirs = dir_stamps(root, &paths);
    let IndexFile { articles, dropped, problems, templates, .. } = index;
    let mut cached = articles;
    cached.extend(dropped);
    drop(problems);
    // OsStr hashes as bytes; Path hashes component by component, which is several times slower.
    let position: HashMap<&OsStr, usize, Xxh3Builder> =
        cached.iter().enumerate().map(|(i, a)| (a.path.as_os_str(), i)).collect();
    let unchanged: Vec<Option<usize>> = paths
        .par_iter()
        .map(|p| {
            let i = *position.get(p.as_os_str())?;
            let meta = std::fs::metadata(p).ok()?;
            let a = &cached[i];
            (meta.len() == a.size && super::mtime_ns(&meta) == a.mtime_ns).then_some(i)
        })
        .collect();
    drop(position);
    let mut keep = vec![false; cached.len()];
    let mut stale = Vec::new();
    for (p, u) in paths.iter().zip(&unchanged) {
        match u {
            Some(i) => keep[*i] = true,
            None => stale.push(p.clone()),
        }
    }
    let current: HashSet<&OsStr, Xxh3Builder> = paths.iter().map(|p| p.as_os_str()).collect();
    report.removed = cached.iter().filter(|a| !current.contains(a.path.as_os_str())).count();
    drop(current);
    report.reloaded = stale.len();
    let mut files: Vec<Article> = cached.into_iter().zip(keep).filter_map(|(a, k)| k.then_some(a)).collect();
    let (loaded, problems) = load_files(root, &stale, walk_problems);
    files.extend(loaded);
    Reconciled::Changed { files, problems, dirs, templates }
}

/// No folder changed, so every cached file is still there: each is stat-ed in place, and a
/// problem file is tried again only when it changed.
fn reconcile_in_place(root: &Path, index: IndexFile, report: &mut Report) -> Reconciled {
    let same = unchanged_files(&index);
    let retry: Vec<bool> = index
        .problems
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let now = stamp(&p.path);
            now.is_some() && now != index.problem_stamps.get(i).copied().flatten()
        })
        .collect();
    if same.iter().all(|&s| s) && !retry.contains(&true) {
        return Reconciled::Same(index);
    }
    let IndexFile { articles, dropped, problems, templates, dirs, .. } = index;
    let mut stale: Vec<PathBuf> = Vec::new();
    let mut files = Vec::with_capacity(articles.len() + dropped.len());
    for (a, same) in articles.into_iter().chain(dropped).zip(same) {
        if same {
            files.push(a);
        } else {
            stale.push(a.path);
        }
    }
    let mut kept_problems = Vec::new();
    for (p, again) in problems.into_iter().zip(retry) {
        if again {
            stale.push(p.path);
        } else {
            kept_problems.push(p);
        }
    }
    report.reloaded = stale.len();
    let (loaded, problems) = load_files(root, &stale, kept_problems);
    files.extend(loaded);
    Reconciled::Changed { files, problems, dirs, templates }
}

/// Whether each of `articles` then `dropped` still has its cached size and mtime.
fn unchanged_files(index: &IndexFile) -> Vec<bool> {
    let files: &[&Article] = &index.articles.iter().chain(&index.dropped).collect::<Vec<_>>();
    let matches = |a: &Article, size: u64, mtime: i64| size == a.size && mtime == a.mtime_ns;
    let by_path = |a: &Article| std::fs::metadata(&a.path).is_ok_and(|m| matches(a, m.len(), super::mtime_ns(&m)));
    let mut by_dir: Vec<Vec<u32>> = vec![Vec::new(); index.dirs.len()];
    let mut loose: Vec<u32> = Vec::new();
    for slot in 0..files.len() {
        match index.dir_of.get(slot).and_then(|&d| by_dir.get_mut(d as usize)) {
            Some(v) => v.push(slot as u32),
            None => loose.push(slot as u32),
        }
    }
    // Stat-ing a name inside an open folder skips resolving the whole path again for each of
    // 150,000 files, which was most of a warm start.
    let found: Vec<(u32, bool)> = by_dir
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, slots)| {
            let folder = index.dirs.get(d).and_then(|d| in_dir::Folder::open(&d.path));
            slots.iter().map(move |&slot| {
                let a = files[slot as usize];
                let same = match (&folder, a.path.file_name()) {
                    (Some(f), Some(name)) => f.stat(name).is_some_and(|(size, mtime)| matches(a, size, mtime)),
                    _ => by_path(a),
                };
                (slot, same)
            })
        })
        .chain(loose.par_iter().map(|&slot| (slot, by_path(files[slot as usize]))))
        .collect();
    let mut same = vec![false; files.len()];
    for (slot, s) in found {
        same[slot as usize] = s;
    }
    same
}

/// Stat-ing files by name inside an open folder.
mod in_dir {
    use std::ffi::OsStr;
    use std::path::Path;

    #[cfg(unix)]
    pub struct Folder(rustix::fd::OwnedFd);

    #[cfg(unix)]
    impl Folder {
        pub fn open(path: &Path) -> Option<Folder> {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            rustix::fs::openat(rustix::fs::CWD, path, flags, Mode::empty()).ok().map(Folder)
        }

        /// Size and mtime (as [`super::super::mtime_ns`] gives it) of a regular file, following
        /// symlinks as `std::fs::metadata` does.
        pub fn stat(&self, name: &OsStr) -> Option<(u64, i64)> {
            let st = rustix::fs::statat(&self.0, name, rustix::fs::AtFlags::empty()).ok()?;
            let mtime = if st.st_mtime < 0 {
                0
            } else {
                i64::try_from(i128::from(st.st_mtime) * 1_000_000_000 + i128::from(st.st_mtime_nsec))
                    .unwrap_or(i64::MAX)
            };
            Some((u64::try_from(st.st_size).ok()?, mtime))
        }
    }

    #[cfg(not(unix))]
    pub struct Folder(std::path::PathBuf);

    #[cfg(not(unix))]
    impl Folder {
        pub fn open(path: &Path) -> Option<Folder> {
            path.is_dir().then(|| Folder(path.to_path_buf()))
        }

        pub fn stat(&self, name: &OsStr) -> Option<(u64, i64)> {
            let meta = std::fs::metadata(self.0.join(name)).ok()?;
            Some((meta.len(), super::super::mtime_ns(&meta)))
        }
    }
}

fn dir_mtime(path: &Path) -> Option<i64> {
    std::fs::metadata(path).ok().map(|m| super::mtime_ns(&m))
}

/// The root and every folder holding an article, with their mtimes.
fn dir_stamps(root: &Path, paths: &[PathBuf]) -> Vec<DirStamp> {
    let mut dirs: Vec<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
    for p in paths {
        // Every folder between the root and the file: a new sibling folder shows in its parent.
        let mut d = p.parent();
        while let Some(dir) = d {
            if !dir.starts_with(root) || dir == root {
                break;
            }
            dirs.push(dir);
            d = dir.parent();
        }
    }
    dirs.push(root);
    dirs.sort_unstable();
    dirs.dedup();
    dirs.par_iter()
        .filter_map(|d| Some(DirStamp { path: d.to_path_buf(), mtime_ns: dir_mtime(d)? }))
        .collect()
}

/// Paths as raw bytes, so names that are not UTF-8 survive the round trip.
pub(crate) mod path_bytes {
    use std::path::{Path, PathBuf};

    use serde::{Deserializer, Serializer};

    #[cfg(unix)]
    pub fn to_bytes(p: &Path) -> Vec<u8> {
        use std::os::unix::ffi::OsStrExt;
        p.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    pub fn to_bytes(p: &Path) -> Vec<u8> {
        p.to_string_lossy().into_owned().into_bytes()
    }
    #[cfg(unix)]
    fn from_bytes(b: Vec<u8>) -> PathBuf {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(b))
    }
    #[cfg(not(unix))]
    fn from_bytes(b: Vec<u8>) -> PathBuf {
        PathBuf::from(String::from_utf8_lossy(&b).into_owned())
    }

    pub fn serialize<S: Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&to_bytes(p))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        Ok(from_bytes(serde_bytes_vec(d)?))
    }

    /// A list of paths, each as bytes.
    pub mod many {
        use std::path::PathBuf;

        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        #[derive(Serialize, Deserialize)]
        struct One(#[serde(with = "super")] PathBuf);

        pub fn serialize<S: Serializer>(paths: &[PathBuf], s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(paths.iter().map(|p| One(p.clone())))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PathBuf>, D::Error> {
            Ok(Vec::<One>::deserialize(d)?.into_iter().map(|o| o.0).collect())
        }
    }

    fn serde_bytes_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("path bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
        }
        d.deserialize_byte_buf(V)
    }
}
