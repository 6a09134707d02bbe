//! What an index file must be before a byte of it is believed: ours (owned by this user, not
//! writable by others, in a folder that is neither), each section the length and checksum it
//! says, and every path in it inside the corpus root.

use std::fs::Metadata;
use std::path::{Component, Path};

use xxhash_rust::xxh3::xxh3_64;

/// Bytes after each section: the xxh3 of its bytes.
pub(crate) const SUM_BYTES: u64 = 8;

pub(crate) fn sum(bytes: &[u8]) -> [u8; 8] {
    xxh3_64(bytes).to_le_bytes()
}

pub(crate) fn sum_ok(bytes: &[u8], stored: &[u8]) -> bool {
    stored == sum(bytes)
}

/// As ssh treats its keys: a file or folder another user owns, or that anyone else may write,
/// could have been crafted, so it is not used (the index is rebuilt instead).
#[cfg(unix)]
pub(crate) fn private(meta: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.uid() == rustix::process::geteuid().as_raw() && meta.mode() & 0o002 == 0
}

#[cfg(not(unix))]
pub(crate) fn private(_meta: &Metadata) -> bool {
    true
}

/// The index file's folder passes [`private`].
pub(crate) fn folder_private(file: &Path) -> bool {
    file.parent().and_then(|d| std::fs::metadata(d).ok()).is_some_and(|m| private(&m))
}

/// `path` lies under `root`, with no `..` that could climb out of it.
pub(crate) fn under_root(path: &Path, root: &Path) -> bool {
    path.starts_with(root) && !path.components().any(|c| c == Component::ParentDir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_under_the_root() {
        let root = Path::new("/c");
        assert!(under_root(Path::new("/c/a/b.md"), root));
        assert!(!under_root(Path::new("/etc/passwd"), root));
        assert!(!under_root(Path::new("/c/../etc/passwd"), root));
        assert!(!under_root(Path::new("/cc/x.md"), root));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_anyone_may_write_is_not_trusted() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("x.idx");
        std::fs::write(&f, "x").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(private(&std::fs::metadata(&f).unwrap()));
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o646)).unwrap();
        assert!(!private(&std::fs::metadata(&f).unwrap()));
        // Owned by another user (root may change owners; others skip this half).
        if rustix::process::geteuid().is_root() {
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
            std::os::unix::fs::chown(&f, Some(65534), None).unwrap();
            assert!(!private(&std::fs::metadata(&f).unwrap()));
        }
    }
}
