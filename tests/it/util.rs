//! A throwaway corpus folder for integration tests: copy fixtures, write bytes, make links, load.
// Each test crate includes this file and uses a different part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use yuedu::corpus::{Article, Corpus};

/// The hand-written text fixtures, one per loader quirk.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

pub fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// A well-formed article in the archive's format.
pub fn article_text(title: &str, url: &str, source: &str, date: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nurl: {url}\nsource: {source}\ndate: {date}\nfetch_date: {date}T08:00:00.000000\n---\n\n# {title}\n\n{body}\n"
    )
}

/// A corpus folder in a temporary directory, removed when dropped.
pub struct TestCorpus {
    dir: tempfile::TempDir,
}

impl Default for TestCorpus {
    fn default() -> Self {
        Self::new()
    }
}

impl TestCorpus {
    pub fn new() -> TestCorpus {
        TestCorpus { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes `bytes` at `rel`, creating folders on the way.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, bytes).expect("write file");
        path
    }

    /// Copies the fixture `name` to `rel`.
    pub fn fixture(&self, name: &str, rel: &str) -> PathBuf {
        self.write(rel, fixture_bytes(name))
    }

    pub fn mkdir(&self, rel: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(&path).expect("create folders");
        path
    }

    /// A symlink at `rel` pointing at `target` (taken as written, so it may dangle).
    #[cfg(unix)]
    pub fn symlink(&self, target: impl AsRef<Path>, rel: &str) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::os::unix::fs::symlink(target, &path).expect("symlink");
        path
    }

    /// Sets the modification time of `rel` to `secs` after the Unix epoch.
    pub fn set_mtime(&self, rel: &str, secs: u64) {
        let file = std::fs::File::options().write(true).open(self.path(rel)).expect("open for mtime");
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
        file.set_modified(time).expect("set mtime");
    }

    pub fn rename(&self, from: &str, to: &str) -> PathBuf {
        let to_path = self.path(to);
        if let Some(parent) = to_path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::rename(self.path(from), &to_path).expect("rename");
        to_path
    }

    pub fn load(&self) -> Corpus {
        Corpus::load(self.root()).expect("corpus loads")
    }
}

/// The loaded article read from `rel`, with a helpful failure listing what did load.
pub fn article<'a>(corpus: &'a Corpus, rel: &str) -> &'a Article {
    let want = corpus.root.join(rel);
    corpus.articles.iter().find(|a| a.path == want).unwrap_or_else(|| {
        let loaded: Vec<_> = corpus.articles.iter().map(|a| a.path.display().to_string()).collect();
        panic!("{rel} not among loaded articles {loaded:#?}\nproblems: {:#?}", corpus.problems)
    })
}
