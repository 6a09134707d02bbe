//! The demo corpus, embedded from `assets/demo`, written out on first use.

use std::io;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// Writes the demo articles below `dir`, replacing any older copy of a file.
pub fn install(dir: &Path) -> io::Result<()> {
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
