//! The tag store as a library: round-trip, concurrent writers, corrupt files and failed writes.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use yuedu::tags::{Entry, Store, TagsError};

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn open(path: &Path) -> Store {
    let opened = Store::open(path).unwrap();
    assert_eq!(opened.warning, None);
    opened.store
}

fn snapshot(store: &Store) -> Vec<(String, Entry)> {
    store.entries().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn store_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("data").join("state.json")
}

#[test]
fn round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let mut a = open(&path);
    assert!(a.is_empty());
    a.add("00000000000000aa", &s(&["ioc", "follow-up", "周报"])).unwrap();
    a.add("00000000000000bb", &s(&[" ioc "])).unwrap();
    a.set_read("00000000000000bb", true).unwrap();
    a.set_read("00000000000000cc", true).unwrap();
    a.remove("00000000000000aa", &s(&["follow-up"])).unwrap();
    a.add("00000000000000dd", &s(&["gone-soon"])).unwrap();
    a.remove("00000000000000dd", &s(&["gone-soon"])).unwrap();
    assert_eq!(a.pending(), 0);

    let b = open(&path);
    assert_eq!(snapshot(&b), snapshot(&a));
    assert_eq!(b.tags("00000000000000aa"), s(&["ioc", "周报"]));
    assert_eq!(b.tags("00000000000000bb"), s(&["ioc"]), "tags are trimmed");
    assert!(b.is_read("00000000000000bb") && b.is_read("00000000000000cc"));
    assert!(!b.is_read("00000000000000aa"));
    assert_eq!(b.entry("00000000000000dd"), None, "an entry with nothing left is dropped");
    assert_eq!(b.counts(), vec![("ioc".to_string(), 2), ("周报".to_string(), 1)]);

    // Human-readable: plain JSON with a version, one article per line.
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"version\": 1"), "{text}");
    assert!(text.contains("\"00000000000000aa\": {\"tags\":[\"ioc\",\"周报\"]}"), "{text}");
    let names: Vec<String> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "no temp file is left: {names:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]
    #[test]
    fn anything_written_reads_back(
        ops in prop::collection::vec(
            ("[0-9a-f]{16}", prop::collection::vec("[a-z0-9\u{4e00}-\u{4e20}:_.-]{1,12}", 0..4), any::<bool>()),
            1..8,
        )
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = store_path(&dir);
        let mut a = open(&path);
        for (id, tags, read) in &ops {
            let tags: Vec<String> = tags.iter().filter(|t| !t.starts_with('-')).cloned().collect();
            a.add(id, &tags).unwrap();
            a.set_read(id, *read).unwrap();
        }
        let b = open(&path);
        prop_assert_eq!(snapshot(&b), snapshot(&a));
    }
}

#[test]
fn invalid_tags_are_refused_before_anything_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let mut a = open(&path);
    let err = a.add("00000000000000aa", &s(&["ok", "not ok"])).unwrap_err();
    assert!(matches!(err, TagsError::InvalidTag(ref t) if t == "not ok"), "{err:?}");
    assert!(err.to_string().starts_with("invalid tag \"not ok\": "), "{err}");
    for bad in ["", "a\u{1b}[2J", "a\u{202e}b", "-x", &"x".repeat(65)] {
        assert!(matches!(a.add("00000000000000aa", &s(&[bad])), Err(TagsError::InvalidTag(_))), "{bad:?}");
    }
    assert!(matches!(a.add("a b", &s(&["x"])), Err(TagsError::InvalidId(_))));
    assert!(a.is_empty());
    assert!(!path.exists(), "nothing was written");
}

#[test]
fn bulk_tagging_is_one_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let mut a = open(&path);
    let ids: Vec<String> = (0..20_000u64).map(|i| format!("{i:016x}")).collect();
    a.add_many(&ids, &s(&["weekly", "ioc"])).unwrap();
    let before = fs::metadata(&path).unwrap().modified().unwrap();
    let b = open(&path);
    assert_eq!(b.len(), 20_000);
    assert_eq!(b.counts(), vec![("ioc".to_string(), 20_000), ("weekly".to_string(), 20_000)]);
    a.remove_many(&ids[..10_000], &s(&["weekly"])).unwrap();
    let b = open(&path);
    assert_eq!(b.counts(), vec![("ioc".to_string(), 20_000), ("weekly".to_string(), 10_000)]);
    assert!(fs::metadata(&path).unwrap().modified().unwrap() >= before);
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let writers: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|who| {
            let path = path.clone();
            std::thread::spawn(move || {
                // Each writer has its own handle on the file, as two processes would.
                let mut store = Store::open(&path).unwrap().store;
                for i in 0..60 {
                    store.add("00000000000000aa", &[format!("{who}{i}")]).unwrap();
                    store.add(&format!("{who}{i:015x}"), &[format!("own-{who}")]).unwrap();
                    if i % 10 == 0 {
                        store.set_read(&format!("{who}{i:015x}"), true).unwrap();
                    }
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let b = open(&path);
    let shared = b.tags("00000000000000aa");
    assert_eq!(shared.len(), 120, "{shared:?}");
    for who in ["a", "b"] {
        for i in 0..60 {
            assert!(b.has_tag("00000000000000aa", &format!("{who}{i}")));
            let own = format!("{who}{i:015x}");
            assert_eq!(b.tags(&own), vec![format!("own-{who}")]);
            assert_eq!(b.is_read(&own), i % 10 == 0);
        }
    }
}

#[test]
fn refresh_sees_the_other_process_and_keeps_pending() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let mut a = open(&path);
    let mut b = open(&path);
    a.add("00000000000000aa", &s(&["from-a"])).unwrap();
    assert!(b.tags("00000000000000aa").is_empty());
    b.refresh().unwrap();
    assert_eq!(b.tags("00000000000000aa"), s(&["from-a"]));
    // b's own write merges with a's instead of replacing it.
    b.add("00000000000000aa", &s(&["from-b"])).unwrap();
    a.add("00000000000000bb", &s(&["x"])).unwrap();
    assert_eq!(a.tags("00000000000000aa"), s(&["from-a", "from-b"]));
}

#[test]
fn corrupt_store_is_moved_aside_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let bad = b"{\"version\": 1, \"articles\": {\"00000000000000aa\": {\"tags\": [\"ioc\"";
    fs::write(&path, bad).unwrap();

    let opened = Store::open(&path).unwrap();
    let warning = opened.warning.expect("the user is told");
    assert!(!warning.contains('\n'));
    assert!(
        warning.contains("cannot be parsed") && warning.contains("next change moves it aside"),
        "{warning}"
    );
    let mut store = opened.store;
    assert!(store.is_empty());
    assert_eq!(fs::read(&path).unwrap(), bad, "opening (a reader) never moves the store");

    store.add("00000000000000bb", &s(&["new"])).unwrap();
    let warning = store.take_warning().expect("the writer says where it went");
    assert!(warning.contains("could not be parsed") && warning.contains("moved it to"), "{warning}");

    let aside: Vec<PathBuf> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("state.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert!(warning.contains(&aside[0].display().to_string()), "{warning}");
    assert_eq!(fs::read(&aside[0]).unwrap(), bad, "the bad file is kept byte for byte");

    store.add("00000000000000cc", &s(&["more"])).unwrap();
    assert_eq!(fs::read(&aside[0]).unwrap(), bad);
    assert_eq!(open(&path).tags("00000000000000bb"), s(&["new"]));
}

#[test]
fn store_corrupted_while_running_is_rescued_from_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let mut store = open(&path);
    store.add("00000000000000aa", &s(&["kept"])).unwrap();
    fs::write(&path, "garbage\n").unwrap();
    store.add("00000000000000bb", &s(&["new"])).unwrap();
    let warning = store.take_warning().expect("the user is told");
    assert!(warning.contains("moved it to") && warning.contains("held in memory"), "{warning}");
    let b = open(&path);
    assert_eq!((b.tags("00000000000000aa"), b.tags("00000000000000bb")), (s(&["kept"]), s(&["new"])));
    let moved = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(".corrupt-"))
        .unwrap();
    assert_eq!(fs::read_to_string(moved).unwrap(), "garbage\n");
}

#[test]
fn corrupt_store_that_cannot_be_moved_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, "not json").unwrap();
    // A folder where the lock file goes: no writer can start, even as root.
    fs::create_dir(path.with_file_name("state.json.lock")).unwrap();
    let opened = Store::open(&path).unwrap();
    let warning = opened.warning.unwrap();
    assert!(warning.contains("cannot be parsed"), "{warning}");
    let mut store = opened.store;
    assert!(store.add("00000000000000aa", &s(&["x"])).is_err());
    assert_eq!(store.tags("00000000000000aa"), s(&["x"]));
    assert_eq!(fs::read_to_string(&path).unwrap(), "not json");
}

#[test]
fn newer_format_is_read_but_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text =
        r#"{"version": 99, "articles": {"00000000000000aa": {"tags": ["ioc"], "colour": "red"}}, "more": 1}"#;
    fs::write(&path, text).unwrap();
    let opened = Store::open(&path).unwrap();
    assert!(opened.warning.unwrap().contains("newer yuedu (format 99)"));
    let mut store = opened.store;
    assert_eq!(store.tags("00000000000000aa"), s(&["ioc"]));
    let err = store.add("00000000000000aa", &s(&["x"])).unwrap_err();
    assert!(matches!(err, TagsError::NewerFormat { version: 99, .. }), "{err:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn unwritable_data_dir_keeps_changes_and_retries() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let path = data.join("state.json");
    // Permissions do not stop root; a file where the data folder should be stops everyone.
    fs::write(&data, "").unwrap();
    let mut store = open(&path);

    let err = store.add("00000000000000aa", &s(&["ioc"])).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, TagsError::Write { .. }), "{err:?}");
    assert!(msg.starts_with("cannot save tags: ") && msg.contains(&data.display().to_string()), "{msg}");
    assert!(!msg.contains('\n'));
    assert_eq!(store.tags("00000000000000aa"), s(&["ioc"]), "the change stays in memory");
    assert!(store.set_read("00000000000000aa", true).is_err());
    assert_eq!(store.pending(), 2);
    assert!(store.flush().is_err());
    assert_eq!(store.pending(), 2);

    fs::remove_file(&data).unwrap();
    store.flush().unwrap();
    assert_eq!(store.pending(), 0);
    let b = open(&path);
    assert_eq!(b.tags("00000000000000aa"), s(&["ioc"]));
    assert!(b.is_read("00000000000000aa"));
}

#[test]
fn failed_replace_leaves_the_old_store_and_next_write_retries() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let mut store = open(&path);
    store.add("00000000000000aa", &s(&["old"])).unwrap();
    let before = fs::read(&path).unwrap();
    // An I/O error while the temp file is written (EIO).
    yuedu::tags::fault::fail_next_write(5);

    let err = store.add("00000000000000aa", &s(&["new"])).unwrap_err();
    assert!(err.to_string().contains("state.json.") && err.to_string().contains(".tmp"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before, "the store on disk is untouched");
    assert_eq!(store.tags("00000000000000aa"), s(&["new", "old"]));
    assert_eq!(store.pending(), 1);

    // Any later change also carries the earlier one.
    store.add("00000000000000bb", &s(&["later"])).unwrap();
    assert_eq!(store.pending(), 0);
    let b = open(&path);
    assert_eq!((b.tags("00000000000000aa"), b.tags("00000000000000bb")), (s(&["new", "old"]), s(&["later"])));
}

#[test]
fn full_disk_is_reported_and_retried() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_path(&dir);
    let mut store = open(&path);
    store.add("00000000000000aa", &s(&["old"])).unwrap();
    // ENOSPC while the temp file is written, as on a full disk.
    yuedu::tags::fault::fail_next_write(28);
    let err = store.add("00000000000000aa", &s(&["new"])).unwrap_err();
    let e = match &err {
        TagsError::Write { error, .. } => error,
        other => panic!("{other:?}"),
    };
    assert_eq!(e.raw_os_error(), Some(28), "{err}");
    let msg = err.to_string();
    assert_eq!(msg.matches("os error 28").count(), 1, "{msg}");
    assert!(std::error::Error::source(&err).is_none(), "the cause is in the message, said once");
    assert_eq!(open(&path).tags("00000000000000aa"), s(&["old"]));
    assert_eq!(store.pending(), 1);
    let temps = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(temps, 0, "the failed temp file was removed, so the retry has room");
    store.flush().unwrap();
    assert_eq!(open(&path).tags("00000000000000aa"), s(&["new", "old"]));
}

#[test]
fn a_symlinked_store_stays_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("dotfiles").join("yuedu-state.json");
    fs::create_dir_all(real.parent().unwrap()).unwrap();
    fs::write(&real, "").unwrap();
    let path = store_path(&dir);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&real, &path).unwrap();
    let mut store = open(&path);
    store.add("00000000000000aa", &s(&["ioc"])).unwrap();
    assert!(fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
    assert!(fs::read_to_string(&real).unwrap().contains("\"ioc\""));
    assert_eq!(open(&path).tags("00000000000000aa"), s(&["ioc"]));
}
