//! Finds article files below a root, turning every unreadable entry into a reported problem.

use std::path::{Path, PathBuf};

use super::EXTENSIONS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum ProblemKind {
    Binary,
    DanglingSymlink,
    SymlinkLoop,
    PermissionDenied,
    NotAFile,
    Io,
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
    let (files, _, problems) = tree(root);
    (files, problems)
}

/// [`article_files`], plus every folder visited (the root included): the index cache stamps
/// them all, since a file added to a folder that held no article yet changes only its mtime.
pub(super) fn tree(root: &Path) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let mut problems = Vec::new();
    let walker = walkdir::WalkDir::new(root).follow_links(true).into_iter().filter_entry(|e| {
        e.depth() == 0 || !(e.file_type().is_dir() && e.file_name().to_string_lossy().starts_with('.'))
    });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && has_article_extension(e.path()) => files.push(e.into_path()),
            Ok(e) if e.file_type().is_dir() => dirs.push(e.into_path()),
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
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
