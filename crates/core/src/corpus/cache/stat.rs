//! Telling which cached files changed: each folder's mtime and each file's size and mtime, in one
//! pass that stats files by name inside their open folder; then the problem files.

use std::ffi::OsStr;
use std::path::Path;

use rayon::prelude::*;

use super::format::{Checks, NO_DIR};

/// What changed on disk since the index was written.
pub(crate) struct Fresh {
    /// A folder's mtime moved: files were added, removed or renamed, so the tree is walked
    /// again and `same` is not filled in.
    pub tree_changed: bool,
    /// Per cached file (in `Checks::files` order): its size and mtime are as cached.
    pub same: Vec<bool>,
    /// Per problem file: it changed since it was tried, so it is tried again.
    pub retry: Vec<bool>,
}

impl Fresh {
    pub fn unchanged(&self) -> bool {
        !self.tree_changed && !self.same.contains(&false) && !self.retry.contains(&true)
    }
}

/// Checks every folder and file, and the problem files.
pub(crate) fn check(checks: &Checks) -> Fresh {
    let (tree_changed, same) = folders_and_files(checks);
    if tree_changed {
        return Fresh { tree_changed, same: Vec::new(), retry: Vec::new() };
    }
    let retry = checks
        .problems
        .par_iter()
        .zip(&checks.problem_stamps)
        .map(|(p, then)| {
            let now = problem_stamp(&p.path);
            now.is_some() && now != *then
        })
        .collect();
    Fresh { tree_changed, same, retry }
}

pub(crate) fn dir_mtime(path: &Path) -> Option<i64> {
    std::fs::metadata(path).ok().map(|m| crate::corpus::mtime_ns(&m))
}

/// Size and mtime of a regular file.
pub(crate) fn stamp(path: &Path) -> Option<(u64, i64)> {
    let meta = std::fs::metadata(path).ok()?;
    meta.is_file().then(|| (meta.len(), crate::corpus::mtime_ns(&meta)))
}

/// What tells that a problem file may load now: size, mtime, and the inode change time, which
/// moves when only its permissions were fixed.
pub(crate) fn problem_stamp(path: &Path) -> Option<(u64, i64, i64)> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let changed = {
        use std::os::unix::fs::MetadataExt;
        meta.ctime().saturating_mul(1_000_000_000).saturating_add(meta.ctime_nsec())
    };
    #[cfg(not(unix))]
    let changed = 0;
    meta.is_file().then(|| (meta.len(), crate::corpus::mtime_ns(&meta), changed))
}

/// Folders with more files than this are stat-ed in several pieces, so one big flat folder
/// still keeps both cores busy.
const PIECE: usize = 512;

/// Whether any folder's mtime moved (or it is gone), and per file whether its size and mtime
/// are as cached. Each folder is opened once per piece: its own mtime comes from the open
/// handle, and its files are stat-ed by name inside it, which skips resolving 150,000 whole
/// paths, most of a warm start.
fn folders_and_files(checks: &Checks) -> (bool, Vec<bool>) {
    let files = &checks.files;
    let mut by_dir: Vec<Vec<u32>> = vec![Vec::new(); checks.dirs.len()];
    let mut loose: Vec<u32> = Vec::new();
    for (slot, &d) in files.dir.iter().enumerate() {
        match by_dir.get_mut(d as usize).filter(|_| d != NO_DIR) {
            Some(v) => v.push(slot as u32),
            None => loose.push(slot as u32),
        }
    }
    // Every folder at least once, even one holding no article.
    let pieces: Vec<(usize, &[u32])> = by_dir
        .iter()
        .enumerate()
        .flat_map(|(d, slots)| {
            let first: &[u32] = &[];
            std::iter::once((d, slots.get(..PIECE.min(slots.len())).unwrap_or(first)))
                .chain(slots.get(PIECE..).unwrap_or(first).chunks(PIECE).map(move |c| (d, c)))
        })
        .collect();
    let is = |slot: u32, now: Option<(u64, i64)>| {
        let i = slot as usize;
        (slot, now.is_some_and(|n| Some(&n.0) == files.size.get(i) && Some(&n.1) == files.mtime_ns.get(i)))
    };
    let found: Vec<(bool, Vec<(u32, bool)>)> = pieces
        .par_iter()
        .map(|&(d, slots)| {
            let dir = &checks.dirs[d];
            let folder = Folder::open(&dir.path);
            let dir_same = folder.as_ref().and_then(Folder::mtime) == Some(dir.mtime_ns);
            let same = slots
                .iter()
                .map(|&slot| {
                    is(slot, folder.as_ref().zip(files.name(slot as usize)).and_then(|(f, n)| f.stat(n)))
                })
                .collect();
            (dir_same, same)
        })
        .collect();
    let tree_changed = found.iter().any(|(dir_same, _)| !dir_same);
    let mut same = vec![false; files.len()];
    let loose_found: Vec<(u32, bool)> = loose
        .par_iter()
        .map(|&slot| is(slot, files.name(slot as usize).and_then(|n| stamp(Path::new(n)))))
        .collect();
    for (slot, s) in found.into_iter().flat_map(|(_, v)| v).chain(loose_found) {
        same[slot as usize] = s;
    }
    (tree_changed, same)
}

#[cfg(unix)]
struct Folder(rustix::fd::OwnedFd);

#[cfg(unix)]
impl Folder {
    fn open(path: &Path) -> Option<Folder> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        rustix::fs::openat(rustix::fs::CWD, path, flags, Mode::empty()).ok().map(Folder)
    }

    /// The folder's own mtime, as `corpus::mtime_ns` gives it.
    fn mtime(&self) -> Option<i64> {
        rustix::fs::fstat(&self.0).ok().map(|st| mtime_of(&st))
    }

    /// Size and mtime of a regular file (the mtime as `corpus::mtime_ns` gives it), following
    /// symlinks as `std::fs::metadata` does.
    fn stat(&self, name: &OsStr) -> Option<(u64, i64)> {
        let st = rustix::fs::statat(&self.0, name, rustix::fs::AtFlags::empty()).ok()?;
        if rustix::fs::FileType::from_raw_mode(st.st_mode) != rustix::fs::FileType::RegularFile {
            return None;
        }
        Some((u64::try_from(st.st_size).ok()?, mtime_of(&st)))
    }
}

/// Nanoseconds since the epoch; before the epoch counts as 0, as `SystemTime::duration_since`
/// makes it in `corpus::mtime_ns`.
#[cfg(unix)]
fn mtime_of(st: &rustix::fs::Stat) -> i64 {
    if st.st_mtime < 0 {
        return 0;
    }
    i64::try_from(i128::from(st.st_mtime) * 1_000_000_000 + i128::from(st.st_mtime_nsec)).unwrap_or(i64::MAX)
}

#[cfg(not(unix))]
struct Folder(std::path::PathBuf);

#[cfg(not(unix))]
impl Folder {
    fn open(path: &Path) -> Option<Folder> {
        path.is_dir().then(|| Folder(path.to_path_buf()))
    }

    fn mtime(&self) -> Option<i64> {
        dir_mtime(&self.0)
    }

    fn stat(&self, name: &OsStr) -> Option<(u64, i64)> {
        stamp(&self.0.join(name))
    }
}
