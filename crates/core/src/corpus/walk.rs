//! Finds article files below a root, turning every unreadable entry into a reported problem.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::EXTENSIONS;

/// `follow_symlinks: outside` in the config: follow links whose target lies outside the root.
static FOLLOW_OUTSIDE: AtomicBool = AtomicBool::new(false);

/// Whether the walk follows a symlink whose target lies outside the corpus root (by default it
/// does not: the link is reported as skipped). Set once from the config at start.
pub fn set_follow_outside(follow: bool) {
    FOLLOW_OUTSIDE.store(follow, Ordering::Relaxed);
}

pub(crate) fn follow_outside() -> bool {
    FOLLOW_OUTSIDE.load(Ordering::Relaxed)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum ProblemKind {
    Binary,
    DanglingSymlink,
    SymlinkLoop,
    PermissionDenied,
    NotAFile,
    Io,
    /// A symlink whose target lies outside the corpus root (see `follow_symlinks`).
    OutsideRoot,
}

impl ProblemKind {
    pub fn name(self) -> &'static str {
        match self {
            ProblemKind::Binary => "binary content",
            ProblemKind::DanglingSymlink => "dangling symlink",
            ProblemKind::SymlinkLoop => "symlink loop",
            ProblemKind::PermissionDenied => "permission denied",
            ProblemKind::NotAFile => "not a regular file",
            ProblemKind::Io => "read error",
            ProblemKind::OutsideRoot => "symlink to outside the corpus",
        }
    }
}

/// A file that could not be loaded, with a one-line reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    #[serde(with = "super::cache::path_bytes")]
    pub path: PathBuf,
    pub kind: ProblemKind,
    pub reason: String,
}

pub(super) fn io_problem(path: &Path, e: &std::io::Error) -> Problem {
    use std::io::ErrorKind;
    let kind = match e.kind() {
        ErrorKind::PermissionDenied => ProblemKind::PermissionDenied,
        ErrorKind::NotFound if path.is_symlink() => ProblemKind::DanglingSymlink,
        _ if e.raw_os_error() == Some(40) => ProblemKind::SymlinkLoop, // ELOOP
        _ => ProblemKind::Io,
    };
    let reason = match kind {
        ProblemKind::Io => e.to_string(),
        k => k.name().to_string(),
    };
    Problem { path: path.to_path_buf(), kind, reason }
}

pub(super) fn has_article_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Every article file below `root` (following symlinks), sorted, plus the entries that failed.
/// Hidden folders such as `.git` are skipped.
pub(super) fn article_files(root: &Path) -> (Vec<PathBuf>, Vec<Problem>) {
    let (files, _, problems) = tree_within(root, root);
    (files, problems)
}

/// The article files below `dir`, a folder inside the corpus `root`.
pub(super) fn article_files_within(dir: &Path, root: &Path) -> Vec<PathBuf> {
    tree_within(dir, root).0
}

/// Whether a file the watcher reported may be read: not a symlink out of the corpus, unless
/// the config says to follow those.
pub(super) fn allowed(path: &Path, root: &Path) -> bool {
    follow_outside()
        || !path.is_symlink()
        || !outside(path, &root.canonicalize().unwrap_or_else(|_| root.to_path_buf()))
}

/// [`article_files`], plus every folder visited (the root included): the index cache stamps
/// them all, since a file added to a folder that held no article yet changes only its mtime.
pub(super) fn tree(root: &Path) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<Problem>) {
    tree_within(root, root)
}

fn tree_within(dir: &Path, root: &Path) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let mut problems = Vec::new();
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let follow_outside = follow_outside();
    let mut walker = walkdir::WalkDir::new(dir).follow_links(true).into_iter().filter_entry(|e| {
        e.depth() == 0 || !(e.file_type().is_dir() && e.file_name().to_string_lossy().starts_with('.'))
    });
    while let Some(entry) = walker.next() {
        match entry {
            Ok(e)
                if e.depth() > 0
                    && e.path_is_symlink()
                    && !follow_outside
                    && outside(e.path(), &real_root) =>
            {
                if e.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                let target = std::fs::canonicalize(e.path()).unwrap_or_default();
                problems.push(Problem {
                    path: e.into_path(),
                    kind: ProblemKind::OutsideRoot,
                    reason: format!(
                        "symlink to {} outside the corpus (follow_symlinks: outside in config.yaml follows it)",
                        crate::document::sanitize(&target.to_string_lossy())
                    ),
                });
            }
            Ok(e) if e.file_type().is_file() && has_article_extension(e.path()) => files.push(e.into_path()),
            Ok(e) if e.file_type().is_dir() => dirs.push(e.into_path()),
            Ok(e) if has_article_extension(e.path()) => {
                let what = special_kind(&e.file_type());
                problems.push(Problem {
                    path: e.into_path(),
                    kind: ProblemKind::NotAFile,
                    reason: format!("{what}, not a regular file"),
                });
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
                if err.loop_ancestor().is_some() {
                    problems.push(Problem {
                        path,
                        kind: ProblemKind::SymlinkLoop,
                        reason: "symlink loop".into(),
                    });
                } else if let Some(io) = err.io_error() {
                    // A dangling link with a non-article name is not worth reporting.
                    if path.is_symlink()
                        && !has_article_extension(&path)
                        && io.kind() == std::io::ErrorKind::NotFound
                    {
                        continue;
                    }
                    problems.push(io_problem(&path, io));
                } else {
                    problems.push(Problem { path, kind: ProblemKind::Io, reason: err.to_string() });
                }
            }
        }
    }
    files.sort();
    (files, dirs, problems)
}

/// A symlink's target lies outside `real_root` (the root with its own links resolved).
fn outside(link: &Path, real_root: &Path) -> bool {
    std::fs::canonicalize(link).map_or(true, |target| !target.starts_with(real_root))
}

/// What a file that is neither a regular file nor a folder is, for the one-line reason.
pub fn special_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        } else if t.is_char_device() {
            return "a character device";
        } else if t.is_block_device() {
            return "a block device";
        } else if t.is_socket() {
            return "a socket";
        }
    }
    let _ = t;
    "a special file"
}
