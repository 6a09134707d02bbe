//! The tag store: symlinks, special files, huge files, untrusted tags and one bad entry.

use std::fs;
use std::os::unix::fs::{FileTypeExt, symlink};

use yuedu::tags::Store;

use crate::util::{Dir, article_text};

fn one_article() -> (Dir, String) {
    let c = Dir::new();
    c.write("a.md", article_text("Title", "https://hardening.example/1", "Src", "2024-05-01", "Body text."));
    let run = c.yuedu(["list"]).assert_ok();
    let id = run.stdout().split('\t').next().unwrap().to_string();
    (c, id)
}

#[cfg(target_os = "linux")]
#[test]
fn a_store_linked_to_a_device_is_refused_not_replaced() {
    let (c, id) = one_article();
    let store = c.store();
    fs::create_dir_all(store.parent().unwrap()).unwrap();
    // What the issue saw: run as root, one `tags add` turned /dev/null into a regular file. A
    // device node of the test's own (the null device, made by mknod, which needs root) stands in
    // for it, so a yuedu with the bug breaks only that node, never the system's /dev/null.
    let node = c.home().join("null");
    let made = std::ffi::CString::new(node.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: mknod reads one NUL-terminated path.
    if unsafe { libc::mknod(made.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) } != 0 {
        eprintln!("skipped: mknod needs root");
        return;
    }
    symlink(&node, &store).unwrap();
    let run = c.yuedu(["tags", "add", &id, "ioc"]).assert_err();
    assert!(run.stdout.is_empty());
    let last = run.stderr.lines().last().unwrap_or_default();
    assert!(last.contains("character device, not a regular file"), "{}", run.stderr);
    assert!(fs::metadata(&node).unwrap().file_type().is_char_device(), "the device is still a device");
    assert!(fs::symlink_metadata(&store).unwrap().file_type().is_symlink());
}

#[test]
fn a_planted_temp_file_is_never_written_through() {
    let (c, id) = one_article();
    let store = c.store();
    fs::create_dir_all(store.parent().unwrap()).unwrap();
    let victim = c.home().join("victim.txt");
    fs::write(&victim, "precious\n").unwrap();
    symlink(&victim, store.with_file_name("state.json.tmp")).unwrap();
    c.yuedu(["tags", "add", &id, "ioc"]).assert_ok();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(fs::read_to_string(&store).unwrap().contains("\"ioc\""));
    assert!(fs::symlink_metadata(&store).unwrap().file_type().is_file());
}

#[test]
fn a_fifo_store_does_not_hang_any_command() {
    let (c, id) = one_article();
    let store = c.store();
    fs::create_dir_all(store.parent().unwrap()).unwrap();
    rustix_mkfifo(&store);
    // `list --count` reads no tags; it must simply end.
    assert_eq!(c.yuedu(["list", "--count"]).stdout().trim(), "1");
    for args in [&["list"][..], &["tags", "list"], &["export", "--format", "md"], &["tags", "add", &id, "x"]]
    {
        let run = c.yuedu(args).output();
        assert!(run.stderr.contains("a FIFO, not a regular file"), "{}: {}", run.what, run.stderr);
    }
    assert!(fs::symlink_metadata(&store).unwrap().file_type().is_fifo(), "left as it is");
}

#[cfg(target_os = "linux")]
#[test]
fn a_store_linked_to_dev_zero_is_refused_in_bounded_memory() {
    let (c, _) = one_article();
    let store = c.store();
    fs::create_dir_all(store.parent().unwrap()).unwrap();
    symlink("/dev/zero", &store).unwrap();
    // 512 MiB of data segment: reading /dev/zero unbounded would exceed it and abort.
    let run = c.yuedu(["tags", "list"]).data_limit(512 * 1024).output();
    assert!(run.stderr.contains("character device"), "{}", run.stderr);
}

#[test]
fn a_huge_store_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let f = fs::File::create(&path).unwrap();
    // Sparse: costs no disk.
    f.set_len(yuedu::limits::LIMITS.store_bytes + 1).unwrap();
    let opened = Store::open(&path).unwrap();
    let w = opened.warning.unwrap();
    assert!(w.contains("more than a tag store may hold"), "{w}");
    assert!(opened.store.is_empty());
}

fn rustix_mkfifo(path: &std::path::Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: mkfifo reads one NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

const HOSTILE: &str = concat!(
    "{\"version\":1,\"articles\":{\"ID\":{\"tags\":[\"ok\",",
    "\"x\\u001b]52;c;SGVsbG8=\\u0007\",\"c1\\u009b2J\",\"bidi\\u202egnp.exe\",\"line\\n# forged\"]}}}"
);

#[test]
fn tags_from_the_file_are_validated_and_never_printed_raw() {
    let (c, id) = one_article();
    let store = c.store();
    fs::create_dir_all(store.parent().unwrap()).unwrap();
    let text = HOSTILE.replace("ID", &id);
    fs::write(&store, &text).unwrap();
    for args in [
        &["list"][..],
        &["list", "--format", "json"],
        &["tags", "list"],
        &["tags", "list", &id],
        &["export", "--format", "md"],
        &["export", "--format", "csv"],
        &["export", "--format", "json"],
    ] {
        let run = c.yuedu(args).assert_ok();
        let run = if args.contains(&"csv") { run.safe_csv() } else { run.safe() };
        assert!(!run.stdout().contains("forged"), "{}: {}", run.what, run.stdout());
        assert!(!run.stdout().contains("52;c"), "{}: {}", run.what, run.stdout());
        assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{202e}'), "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "reported once: {}", run.stderr);
        assert!(run.stderr.contains("4 invalid tag(s)"), "{}: {}", run.what, run.stderr);
    }
    assert_eq!(c.yuedu(["tags", "list"]).stdout(), "1\tok\n");
    // A write keeps them in the file, untouched.
    c.yuedu(["tags", "add", &id, "new"]).assert_ok();
    let after: serde_json::Value = serde_json::from_str(&fs::read_to_string(&store).unwrap()).unwrap();
    let tags = after["articles"][&id]["tags"].as_array().unwrap();
    assert_eq!(tags.len(), 6, "{after}");
    assert!(tags.iter().any(|t| t == "line\n# forged"));
}

#[test]
fn one_bad_field_hides_nothing_else_and_a_reader_moves_nothing() {
    let (c, id) = one_article();
    let store = c.store();
    fs::create_dir_all(store.parent().unwrap()).unwrap();
    let text = format!(
        "{{\"version\":1,\"articles\":{{\"{id}\":{{\"tags\":[\"kept\"]}},\"00000000000000bb\":{{\"read\":\"yes\"}}}}}}"
    );
    fs::write(&store, &text).unwrap();
    let run = c.yuedu(["tags", "list"]).assert_ok();
    assert_eq!(run.stdout(), "1\tkept\n");
    assert!(run.stderr.contains("1 invalid entr"), "{}", run.stderr);
    c.yuedu(["list"]).assert_ok();
    assert_eq!(fs::read_to_string(&store).unwrap(), text, "a reader changes nothing");
    let names: Vec<String> = fs::read_dir(store.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert!(!names.iter().any(|n| n.contains("corrupt")), "{names:?}");
    // A writer keeps the bad entry as it was.
    c.yuedu(["tags", "add", &id, "more"]).assert_ok();
    let after: serde_json::Value = serde_json::from_str(&fs::read_to_string(&store).unwrap()).unwrap();
    assert_eq!(after["articles"]["00000000000000bb"]["read"], "yes");
    assert_eq!(after["articles"][&id]["tags"], serde_json::json!(["kept", "more"]));
}
