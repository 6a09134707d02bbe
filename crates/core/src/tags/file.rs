//! The store on disk: reading it with the stamp of what was read, the writers' lock, atomic
//! replacement, moving a bad file aside. The JSON itself is in `json.rs`.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::Entry;
pub use super::json::{parse, serialize};
use crate::corpus::Date;

/// Written into every store; a file with a higher number came from a newer yuedu.
pub const FORMAT_VERSION: u32 = 1;

/// How long a writer waits for another process to finish its write.
const LOCK_WAIT: Duration = Duration::from_secs(10);

pub type Entries = BTreeMap<String, Entry>;

/// What reading the store found.
#[derive(Debug)]
pub enum Loaded {
    Missing,
    Parsed {
        entries: Entries,
        version: u32,
    },
    /// The file exists but is not a store; the text says why, on one line.
    Corrupt(String),
}

/// Which file was read: a writer replaces the store by renaming a new file over it, so another
/// writer's save always changes the inode and the change time. Equal stamps mean the store is
/// still the file this process read or wrote, and it need not be read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime_ns: i128,
    ctime_ns: i128,
}

impl Stamp {
    #[cfg(unix)]
    fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// Without inode numbers nothing tells two files apart: every stamp differs, so the store
    /// is always read again.
    #[cfg(not(unix))]
    fn of(_meta: &fs::Metadata) -> Stamp {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Stamp { dev: 0, ino: n, len: 0, mtime_ns: 0, ctime_ns: 0 }
    }
}

/// The stamp of the store as it is now; None when there is no file.
pub fn stamp(path: &Path) -> Option<Stamp> {
    fs::metadata(path).ok().map(|m| Stamp::of(&m))
}

/// Reads the store, with the stamp of the very file read (taken from the open file, so a rename
/// in between cannot mix two files up). A missing file (or a missing data dir) is an empty store.
pub fn read_stamped(path: &Path) -> io::Result<(Loaded, Option<Stamp>)> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => {
            return Ok((Loaded::Missing, None));
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    io::Read::read_to_end(&mut file, &mut bytes)?;
    Ok((parse(&bytes), Some(Stamp::of(&meta))))
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "state.json".into());
    name.push(suffix);
    path.with_file_name(name)
}

pub fn lock_path(path: &Path) -> PathBuf {
    sibling(path, ".lock")
}

pub fn temp_path(path: &Path) -> PathBuf {
    sibling(path, ".tmp")
}

fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Held while a writer reads, merges and replaces the store. Released when dropped, and by the
/// kernel when the process dies, so a killed writer never blocks the next one.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

#[derive(Debug)]
pub enum LockError {
    /// The path that failed, and why.
    Io(PathBuf, io::Error),
    Timeout,
}

pub fn lock(path: &Path) -> Result<Lock, LockError> {
    let dir = dir_of(path);
    fs::create_dir_all(dir).map_err(|e| LockError::Io(dir.to_path_buf(), e))?;
    let lock_path = lock_path(path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| LockError::Io(lock_path.clone(), e))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(fs::TryLockError::WouldBlock) => return Err(LockError::Timeout),
            Err(fs::TryLockError::Error(e)) => return Err(LockError::Io(lock_path, e)),
        }
    }
}

/// Replaces the store with `text`: temp file, fsync, rename over, fsync the folder. A crash at
/// any point leaves either the old store or the new one, never a mix. On failure the path that
/// failed is returned with the error.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), (PathBuf, io::Error)> {
    // A store that is a symlink (say into a dotfiles repo) is written where it points, so the
    // rename does not replace the link with a plain file.
    let resolved = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).ok(),
        _ => None,
    };
    let path = resolved.as_deref().unwrap_or(path);
    let dir = dir_of(path);
    fs::create_dir_all(dir).map_err(|e| (dir.to_path_buf(), e))?;
    let tmp = temp_path(path);
    let written = File::create(&tmp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        // A half-written temp file only takes space (perhaps on a full disk).
        let _ = fs::remove_file(&tmp);
        return Err((tmp, e));
    }
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| (dir.to_path_buf(), e))
}

/// Renames the store to `<name>.corrupt-<UTC time>` and returns the new path.
pub fn move_aside(path: &Path) -> io::Result<PathBuf> {
    let stamp = timestamp(SystemTime::now());
    for n in 1..1000 {
        let suffix = if n == 1 { format!(".corrupt-{stamp}") } else { format!(".corrupt-{stamp}-{n}") };
        let target = sibling(path, &suffix);
        if fs::symlink_metadata(&target).is_err() {
            fs::rename(path, &target)?;
            // Without this a crash could bring the bad file back under the store's name.
            let _ = File::open(dir_of(path)).and_then(|d| d.sync_all());
            return Ok(target);
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "too many corrupt copies with this timestamp"))
}

/// `20261122T071500Z`.
pub fn timestamp(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let d = Date::from_unix(secs);
    let s = secs.rem_euclid(86_400);
    format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", d.year, d.month, d.day, s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamp_is_utc_and_sortable() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_331_700);
        assert_eq!(timestamp(t), "20261122T071500Z");
    }
}
