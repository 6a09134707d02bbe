//! Writes the tests' hostile corpus into a folder, for manual runs and fuzz seeds:
//! `cargo run --example adversarial_corpus -- /tmp/hostile`. (It was an ignored test before.)

use std::path::PathBuf;

/// The generator the integration tests use, compiled here from its place in tests/.
#[path = "../tests/it/util"]
#[allow(dead_code)]
mod util {
    pub mod adversarial;
}

fn main() {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: cargo run --example adversarial_corpus -- FOLDER");
        std::process::exit(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        std::process::exit(1);
    }
    let written = util::adversarial::write_corpus(&dir);
    println!("{} files in {}", written.files.len(), dir.display());
}
