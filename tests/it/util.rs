//! The test harness: `Dir`, a throwaway corpus and home, and `TestCommand`, the binary run in it.
// Every module uses a different part of it.
#![allow(dead_code)]

pub mod adversarial;
pub mod app;
mod command;
pub mod terminal;

use std::path::{Path, PathBuf};

use yuedu::corpus::{Article, Corpus};

pub use command::{Output, TestCommand};

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

/// A temporary folder, removed when dropped, holding a corpus (`corpus/`, created empty) and a
/// home (`home/`) whose XDG config, data, cache and state folders the binary is pointed at, so
/// the user's real files are never read or written.
pub struct Dir {
    tmp: tempfile::TempDir,
    root: PathBuf,
    home: PathBuf,
}

impl Default for Dir {
    fn default() -> Self {
        Self::new()
    }
}

impl Dir {
    pub fn new() -> Dir {
        let tmp = tempfile::tempdir().expect("temp dir");
        let (root, home) = (tmp.path().join("corpus"), tmp.path().join("home"));
        std::fs::create_dir(&root).expect("corpus folder");
        std::fs::create_dir(&home).expect("home folder");
        Dir { tmp, root, home }
    }

    /// The corpus folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `rel` inside the corpus folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    /// `$XDG_CONFIG_HOME`: the config file is `config/yuedu/config.yaml` below it.
    pub fn config_home(&self) -> PathBuf {
        self.home.join("config")
    }

    /// `$XDG_DATA_HOME`: the tag store is `yuedu/state.json` below it.
    pub fn data_home(&self) -> PathBuf {
        self.home.join("data")
    }

    /// `$XDG_CACHE_HOME`: the index cache and the demo corpus live below it.
    pub fn cache_home(&self) -> PathBuf {
        self.home.join("cache")
    }

    pub fn state_home(&self) -> PathBuf {
        self.home.join("state")
    }

    /// The tag store the binary uses with this home.
    pub fn store(&self) -> PathBuf {
        self.data_home().join("yuedu").join("state.json")
    }

    /// Writes the config file the binary reads with this home.
    pub fn write_config(&self, yaml: &str) -> PathBuf {
        let path = self.config_home().join("yuedu").join("config.yaml");
        write_file(&path, yaml);
        path
    }

    /// Writes `bytes` at `rel` in the corpus, creating folders on the way.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        write_file(&path, bytes);
        path
    }

    /// Writes an article in the archive's format (see [`article_text`]) at `rel`.
    pub fn article(
        &self,
        rel: &str,
        title: &str,
        url: &str,
        source: &str,
        date: &str,
        body: &str,
    ) -> PathBuf {
        self.write(rel, article_text(title, url, source, date, body))
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

    /// The corpus as the library loads it.
    pub fn load(&self) -> Corpus {
        Corpus::load(self.root()).expect("corpus loads")
    }

    /// The binary with this home and no arguments; add them with [`TestCommand::args`].
    pub fn command(&self) -> TestCommand {
        let mut cmd = TestCommand::new();
        cmd.env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.config_home())
            .env("XDG_DATA_HOME", self.data_home())
            .env("XDG_CACHE_HOME", self.cache_home())
            .env("XDG_STATE_HOME", self.state_home());
        cmd
    }

    /// `yuedu --corpus ROOT ARGS` over this corpus, with this home.
    pub fn yuedu<S: AsRef<std::ffi::OsStr>>(&self, args: impl IntoIterator<Item = S>) -> TestCommand {
        let mut cmd = self.command();
        cmd.corpus(self.root()).args(args);
        cmd
    }
}

fn write_file(path: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folders");
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// The loaded article read from `rel`, with a helpful failure listing what did load.
pub fn article<'a>(corpus: &'a Corpus, rel: &str) -> &'a Article {
    let want = corpus.root.join(rel);
    corpus.articles.iter().find(|a| a.path == want).unwrap_or_else(|| {
        let loaded: Vec<_> = corpus.articles.iter().map(|a| a.path.display().to_string()).collect();
        panic!("{rel} not among loaded articles {loaded:#?}\nproblems: {:#?}", corpus.problems)
    })
}

/// `../shared/<rel>`, the sample of the real archive beside the checkout (or below
/// `$YUEDU_SHARED_DIR`), for the tests marked `#[ignore = "needs ../shared"]`. Panics when it is
/// absent: such a test was asked for by name or by `--include-ignored`.
pub fn shared(rel: &str) -> PathBuf {
    let dir = std::env::var_os("YUEDU_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = dir.join(rel);
    assert!(
        path.exists(),
        "{} is absent: this test needs ../shared (the sample archive beside the checkout); \
         run without --include-ignored to leave it out",
        path.display()
    );
    path
}
