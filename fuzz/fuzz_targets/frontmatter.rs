//! Front matter: decoding, fence splitting, the fast path against serde_yaml, and the loader
//! itself (head read, read-on past 4 KiB, derived fields, sanitizing) through a real file.
#![no_main]

#[path = "common.rs"]
mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use yuedu::corpus::{self, decode, frontmatter};

/// One scratch file per fuzzing process, in memory when /dev/shm exists.
fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = if std::path::Path::new("/dev/shm").is_dir() { "/dev/shm".into() } else { std::env::temp_dir() };
        dir.join(format!("yuedu-fuzz-{}.md", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    for complete in [true, false] {
        let (text, _) = decode::decode(data, complete);
        let split = frontmatter::split(&text);
        assert!(split.body.len() <= text.len());
        let Some(yaml) = split.yaml else { continue };
        let _ = frontmatter::parse(yaml);
        // The fast path claims to read exactly what serde_yaml reads.
        if yaml.len() <= frontmatter::MAX_STRICT_BYTES
            && let Some(fast) = frontmatter::parse_plain(yaml)
        {
            assert_eq!(Some(fast), frontmatter::parse_yaml(yaml), "fast path disagrees on {yaml:?}");
        }
    }

    let path = scratch();
    if std::fs::write(path, data).is_err() {
        return;
    }
    if let Ok(a) = corpus::load_file(path) {
        common::assert_safe_line("title", &a.title);
        common::assert_safe_line("source", &a.source);
        assert!(!a.title.is_empty() && !a.source.is_empty(), "empty title or source: {a:?}");
        assert!(a.title.chars().count() <= 1001, "title of {} chars", a.title.chars().count());
        if let Some(url) = &a.url {
            common::assert_safe_line("url", url);
        }
        if let Some(fetch) = &a.fetch_date {
            common::assert_safe_line("fetch_date", fetch);
        }
        let body = corpus::read_body(path).expect("a file that loaded can be read");
        common::assert_safe("body", &body.text);
    }
});
