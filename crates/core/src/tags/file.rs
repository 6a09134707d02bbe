//! The store on disk: JSON layout, the writers' lock, atomic replacement, moving a bad file aside.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::Entry;
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

#[derive(Deserialize)]
struct OnDisk {
    version: u32,
    #[serde(default)]
    articles: Entries,
}

/// Reads the store. A missing file (or a missing data dir) is an empty store.
pub fn read(path: &Path) -> io::Result<Loaded> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => {
            return Ok(Loaded::Missing);
        }
        Err(e) => return Err(e),
    };
    Ok(parse(&bytes))
}

pub fn parse(bytes: &[u8]) -> Loaded {
    // An empty file is what `touch` leaves; it holds nothing worth moving aside.
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Loaded::Parsed { entries: Entries::new(), version: FORMAT_VERSION };
    }
    match serde_json::from_slice::<OnDisk>(bytes) {
        Ok(d) => Loaded::Parsed { entries: d.articles, version: d.version },
        Err(e) => Loaded::Corrupt(e.to_string()),
    }
}

/// One article per line, so the file stays readable and diffs well.
pub fn serialize(entries: &Entries) -> String {
    let mut out = String::with_capacity(64 + entries.len() * 64);
    out.push_str(&format!("{{\n  \"version\": {FORMAT_VERSION},\n  \"articles\": {{"));
    for (i, (id, entry)) in entries.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        // Serializing strings and plain derived structs cannot fail.
        out.push_str(&serde_json::to_string(id).unwrap_or_default());
        out.push_str(": ");
        out.push_str(&serde_json::to_string(entry).unwrap_or_default());
    }
    out.push_str(if entries.is_empty() { "}\n}\n" } else { "\n  }\n}\n" });
    out
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

    #[test]
    fn layout_is_one_article_per_line() {
        let mut e = Entries::new();
        e.insert("b".into(), Entry { tags: ["ioc".to_string(), "周报".to_string()].into(), read: true });
        e.insert("a".into(), Entry { tags: Default::default(), read: true });
        let text = serialize(&e);
        assert_eq!(
            text,
            "{\n  \"version\": 1,\n  \"articles\": {\n    \"a\": {\"read\":true},\n    \
             \"b\": {\"tags\":[\"ioc\",\"周报\"],\"read\":true}\n  }\n}\n"
        );
        match parse(text.as_bytes()) {
            Loaded::Parsed { entries, version } => assert_eq!((entries, version), (e, 1)),
            other => panic!("{other:?}"),
        }
        assert_eq!(serialize(&Entries::new()), "{\n  \"version\": 1,\n  \"articles\": {}\n}\n");
    }

    #[test]
    fn what_is_not_a_store() {
        for bad in ["{", "[]", "{\"articles\":{}}", "{\"version\":1} x", "\u{0}\u{1}"] {
            assert!(matches!(parse(bad.as_bytes()), Loaded::Corrupt(_)), "{bad:?}");
        }
        assert!(matches!(parse(b" \n"), Loaded::Parsed { .. }));
        assert!(matches!(parse(b"{\"version\":2,\"x\":1}"), Loaded::Parsed { version: 2, .. }));
    }
}
