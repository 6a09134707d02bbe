//! The store on disk: reading it with the stamp of what was read, the writers' lock, atomic
//! replacement, moving a bad file aside. The JSON itself is in `json.rs`.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::Entry;
pub use super::json::{parse, serialize};
use super::kept::Kept;
use crate::corpus::Date;
use crate::limits::LIMITS;

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
        /// What the file holds that is not shown (bad entries, bad tags), written back.
        kept: Kept,
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
/// Anything but a regular file (a FIFO, a device, a folder, a symlink to one) is an error, found
/// without blocking on it, and so is a file over [`LIMITS`]`.store_bytes`.
pub fn read_stamped(path: &Path) -> io::Result<(Loaded, Option<Stamp>)> {
    let file = match open_nonblocking(path) {
        Ok(f) => f,
        Err(e) if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => {
            return Ok((Loaded::Missing, None));
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    regular(&meta)?;
    let cap = LIMITS.store_bytes;
    if meta.len() > cap {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // The file may grow while it is read: never read more than the cap.
    io::Read::read_to_end(&mut io::Read::take(file, cap + 1), &mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_big(bytes.len() as u64));
    }
    Ok((parse(&bytes), Some(Stamp::of(&meta))))
}

fn too_big(len: u64) -> io::Error {
    let mib = |n: u64| n / (1024 * 1024);
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "it is over {} MiB ({} MiB), more than a tag store may hold",
            mib(LIMITS.store_bytes),
            mib(len)
        ),
    )
}

/// Opening a FIFO for reading blocks until a writer comes; `O_NONBLOCK` returns at once, and the
/// type check then refuses it. Regular files ignore the flag.
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}

/// Ok for a regular file; else an error naming what it is.
fn regular(meta: &fs::Metadata) -> io::Result<()> {
    let t = meta.file_type();
    if t.is_file() {
        return Ok(());
    }
    let what = if t.is_dir() { "a folder" } else { special_kind(&t) };
    Err(io::Error::new(io::ErrorKind::InvalidInput, format!("it is {what}, not a regular file")))
}

#[cfg(unix)]
fn special_kind(t: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_t: &fs::FileType) -> &'static str {
    "a special file"
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "state.json".into());
    name.push(suffix);
    path.with_file_name(name)
}

pub fn lock_path(path: &Path) -> PathBuf {
    sibling(path, ".lock")
}

/// A temp file of `path`'s: `state.json.<6 random characters>.tmp`, or the fixed
/// `state.json.tmp` older versions used.
fn is_temp_of(name: &str, store_name: &str) -> bool {
    name.strip_prefix(store_name)
        .and_then(|r| r.strip_prefix('.'))
        .and_then(|r| r.strip_suffix("tmp"))
        .is_some_and(|middle| middle.is_empty() || (middle.len() == TEMP_RANDOM + 1 && middle.ends_with('.')))
}

/// Random characters in a temp file's name.
const TEMP_RANDOM: usize = 6;

/// Removes the temp files of writers that died before their rename. Only called under the lock,
/// and every writer makes its temp file under the lock, so none of them is in use. A planted
/// symlink among them is unlinked, never followed.
fn remove_stale_temps(dir: &Path, store_name: &str) {
    let Ok(list) = fs::read_dir(dir) else { return };
    for entry in list.flatten() {
        if entry.file_name().to_str().is_some_and(|n| is_temp_of(n, store_name)) {
            let _ = fs::remove_file(entry.path());
        }
    }
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
/// failed is returned with the error. Call it only under the lock.
///
/// The temp file gets a fresh random name and is created with `O_CREAT | O_EXCL`, so a file or
/// symlink planted in its place is never written through. A store that is a symlink to a regular
/// file (say into a dotfiles repo) is replaced where it points, so the link stays a link; a store
/// that is, or points to, anything else (`/dev/null`, a FIFO) is refused.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), (PathBuf, io::Error)> {
    let fail = |p: &Path, e| (p.to_path_buf(), e);
    let resolved = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match fs::canonicalize(path) {
            Ok(target) => Some(target),
            // A dangling link: the new store replaces the link.
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(fail(path, e)),
        },
        _ => None,
    };
    let path = resolved.as_deref().unwrap_or(path);
    let existing = match fs::symlink_metadata(path) {
        Ok(m) => {
            regular(&m).map_err(|e| fail(path, e))?;
            Some(m)
        }
        Err(_) => None,
    };
    let dir = dir_of(path);
    fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("state.json");
    remove_stale_temps(dir, name);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{name}."))
        .suffix(".tmp")
        .rand_bytes(TEMP_RANDOM)
        .tempfile_in(dir)
        .map_err(|e| fail(&dir.join(format!("{name}.XXXXXX.tmp")), e))?;
    let tmp_path = tmp.path().to_path_buf();
    #[cfg(unix)]
    if let Some(m) = &existing {
        // tempfile creates 0600; the store keeps the mode it had.
        use std::os::unix::fs::PermissionsExt;
        let mode = m.permissions().mode() & 0o777;
        let _ = tmp.as_file().set_permissions(fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = &existing;
    let written =
        tmp.write_all(text.as_bytes()).and_then(|()| fault::check()).and_then(|()| tmp.as_file().sync_all());
    // On any failure the temp file is removed when `tmp` drops: it only takes space (perhaps on
    // a full disk).
    written.map_err(|e| fail(&tmp_path, e))?;
    tmp.persist(path).map_err(|e| fail(&tmp_path, e.error))?;
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| fail(dir, e))
}

/// A write error injected by tests on the calling thread: a full disk cannot be made on demand
/// now that the temp file's name is random (it was a symlink to `/dev/full`).
#[doc(hidden)]
pub mod fault {
    use std::cell::Cell;
    use std::io;

    thread_local! {
        static NEXT_WRITE: Cell<Option<i32>> = const { Cell::new(None) };
    }

    /// The next store write on this thread fails with OS error `errno` (28 is ENOSPC).
    pub fn fail_next_write(errno: i32) {
        NEXT_WRITE.with(|c| c.set(Some(errno)));
    }

    pub(super) fn check() -> io::Result<()> {
        match NEXT_WRITE.with(Cell::take) {
            Some(errno) => Err(io::Error::from_raw_os_error(errno)),
            None => Ok(()),
        }
    }
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
    fn temp_names() {
        for yes in ["state.json.tmp", "state.json.aB3dE9.tmp"] {
            assert!(is_temp_of(yes, "state.json"), "{yes}");
        }
        for no in ["state.json", "state.json.lock", "state.json.corrupt-x", "state.json.ab.tmp", "x.tmp"] {
            assert!(!is_temp_of(no, "state.json"), "{no}");
        }
    }

    #[test]
    fn stamp_is_utc_and_sortable() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_331_700);
        assert_eq!(timestamp(t), "20261122T071500Z");
    }
}
