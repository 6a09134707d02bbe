//! The corpus: symlinks that leave the root, FIFOs and devices among the articles.

use std::fs;
use std::os::unix::fs::symlink;

use crate::util::{Dir, article_text};

fn corpus_with_links() -> (Dir, tempfile::TempDir) {
    let c = Dir::new();
    c.write(
        "a.md",
        article_text("Inside", "https://hardening.example/in", "Src", "2024-05-01", "Inside body."),
    );
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("passwd.md"), "root:x:0:0:OUTSIDE-SECRET\n").unwrap();
    fs::create_dir(outside.path().join("etc")).unwrap();
    fs::write(outside.path().join("etc").join("hosts.txt"), "OUTSIDE-HOSTS\n").unwrap();
    symlink(outside.path().join("passwd.md"), c.path("passwd.md")).unwrap();
    symlink(outside.path().join("etc"), c.path("etclink")).unwrap();
    // A link that stays inside is followed as before.
    symlink(c.path("a.md"), c.path("alias.md")).unwrap();
    (c, outside)
}

#[test]
fn symlinks_out_of_the_corpus_are_skipped_and_reported() {
    let (c, _outside) = corpus_with_links();
    let list = c.yuedu(["list"]).stdout();
    assert!(!list.contains("passwd") && !list.contains("hosts") && !list.contains("OUTSIDE"), "{list}");
    assert!(list.contains("Inside"), "{list}");
    let check = c.yuedu(["check"]).stdout();
    assert!(check.contains("symlink to outside the corpus: 2"), "{check}");
    assert!(check.contains("passwd.md") && check.contains("etclink"), "{check}");
    assert!(check.contains("follow_symlinks: outside"), "{check}");
    // Every export and a second (cached) run agree.
    for args in [&["export", "--format", "md"][..], &["list"]] {
        let out = c.yuedu(args).stdout();
        assert!(!out.contains("OUTSIDE"), "{out}");
    }
}

#[test]
fn follow_symlinks_outside_follows_them() {
    let (c, _outside) = corpus_with_links();
    // Cached first under the default, so the setting must also rebuild the index.
    c.yuedu(["list"]).assert_ok();
    c.write_config("follow_symlinks: outside\n");
    let list = c.yuedu(["list"]).stdout();
    assert!(list.contains("passwd.md") && list.contains("hosts.txt"), "{list}");
}

fn mkfifo(path: &std::path::Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: mkfifo reads one NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

#[cfg(target_os = "linux")]
#[test]
fn special_files_are_listed_by_check_with_their_reason() {
    let c = Dir::new();
    c.write("a.md", article_text("Inside", "https://hardening.example/in2", "Src", "2024-05-01", "Body."));
    mkfifo(&c.path("pipe.md"));
    c.write_config("follow_symlinks: outside\n");
    symlink("/dev/zero", c.path("zero.md")).unwrap();
    symlink("/dev/urandom", c.path("random.txt")).unwrap();
    let check = c.yuedu(["check"]).stdout();
    assert!(check.contains("files skipped: 3"), "{check}");
    assert!(check.contains("pipe.md: a FIFO, not a regular file"), "{check}");
    assert!(check.contains("zero.md: a character device, not a regular file"), "{check}");
    assert!(check.contains("random.txt: a character device"), "{check}");
    let run = c.yuedu(["show", c.path("pipe.md").to_str().unwrap()]).output();
    run.clean_failure();
    assert!(run.stderr.contains("a FIFO, not a regular file"), "{}", run.stderr);
    assert!(!run.stderr.contains("no such file"), "{}", run.stderr);
}
