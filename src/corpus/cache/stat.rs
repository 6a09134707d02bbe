//! Telling which cached files changed: folder mtimes first, then each file's size and mtime,
//! stat-ed by name inside its open folder.

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

/// Checks every folder and, when none changed, every file and problem file.
pub(crate) fn check(checks: &Checks) -> Fresh {
    let tree_changed = checks.dirs.par_iter().any(|d| dir_mtime(&d.path) != Some(d.mtime_ns));
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
    Fresh { tree_changed, same: unchanged_files(checks), retry }
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

fn unchanged_files(checks: &Checks) -> Vec<bool> {
    let mut by_dir: Vec<Vec<u32>> = vec![Vec::new(); checks.dirs.len()];
    let mut loose: Vec<u32> = Vec::new();
    for (slot, f) in checks.files.iter().enumerate() {
        match by_dir.get_mut(f.dir as usize).filter(|_| f.dir != NO_DIR) {
            Some(v) => v.push(slot as u32),
            None => loose.push(slot as u32),
        }
    }
    let is = |slot: u32, now: Option<(u64, i64)>| {
        let f = &checks.files[slot as usize];
        (slot, now == Some((f.size, f.mtime_ns)))
    };
    // Stat-ing a name inside an open folder skips resolving the whole path again for each of
    // 150,000 files, which was most of a warm start.
    let pieces: Vec<(usize, &[u32])> =
        by_dir.iter().enumerate().flat_map(|(d, slots)| slots.chunks(PIECE).map(move |c| (d, c))).collect();
    let found: Vec<(u32, bool)> = pieces
        .par_iter()
        .flat_map_iter(|&(d, slots)| {
            let folder = checks.dirs.get(d).and_then(|d| Folder::open(&d.path));
            slots.iter().map(move |&slot| {
                let name = &checks.files[slot as usize].name;
                is(slot, folder.as_ref().and_then(|f| f.stat(name.as_os_str())))
            })
        })
        .chain(loose.par_iter().map(|&slot| is(slot, stamp(&checks.files[slot as usize].name))))
        .collect();
    let mut same = vec![false; checks.files.len()];
    for (slot, s) in found {
        same[slot as usize] = s;
    }
    same
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

    /// Size and mtime of a regular file (the mtime as `corpus::mtime_ns` gives it), following
    /// symlinks as `std::fs::metadata` does.
    fn stat(&self, name: &OsStr) -> Option<(u64, i64)> {
        let st = rustix::fs::statat(&self.0, name, rustix::fs::AtFlags::empty()).ok()?;
        if rustix::fs::FileType::from_raw_mode(st.st_mode) != rustix::fs::FileType::RegularFile {
            return None;
        }
        // Before the epoch counts as 0, as `SystemTime::duration_since` makes it.
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
struct Folder(std::path::PathBuf);

#[cfg(not(unix))]
impl Folder {
    fn open(path: &Path) -> Option<Folder> {
        path.is_dir().then(|| Folder(path.to_path_buf()))
    }

    fn stat(&self, name: &OsStr) -> Option<(u64, i64)> {
        stamp(&self.0.join(name))
    }
}
