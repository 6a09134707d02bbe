//! The demo corpus, embedded from `assets/demo`, written out on first use.

use std::io;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// Writes the demo articles below `dir`, replacing any older copy of a file and removing
/// articles that an older demo had and this one does not.
pub fn install(dir: &Path) -> io::Result<()> {
    remove_stale(dir);
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if std::fs::read_to_string(&path).is_ok_and(|t| t == *text) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
    }
    Ok(())
}

fn remove_stale(dir: &Path) {
    let current: std::collections::HashSet<std::path::PathBuf> =
        FILES.iter().map(|(rel, _)| dir.join(rel)).collect();
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() && !current.contains(entry.path()) {
            // Best effort: a file we cannot remove is merely listed once more.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
