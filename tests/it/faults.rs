//! Faults outside the TUI: the corpus folder deleted between commands, a file deleted or replaced
//! while `show` reads it, and an index cache that cannot be read or written.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::util::{Dir, article_text};

fn two_articles() -> Dir {
    let c = Dir::new();
    let body = "正文第一段。\n\nSecond paragraph with enough words to wrap at a narrow width.";
    c.write(
        "2024/05/01/a.md",
        article_text("第一篇", "https://faults.example/1", "来源", "2024-05-01", body),
    );
    c.write("2024/05/02/b.md", article_text("Second", "https://faults.example/2", "Src", "2024-05-02", body));
    c
}

/// `yuedu list` over `root`, run with `home`'s home.
fn list_rows(home: &Dir, root: &Path) -> Vec<String> {
    let run = home.command().corpus(root).arg("list").assert_ok().safe();
    run.stdout().lines().map(String::from).collect()
}

#[test]
fn corpus_folder_deleted_between_commands() {
    let c = two_articles();
    let root = c.root().to_path_buf();
    let rows = list_rows(&c, &root);
    assert_eq!(rows.len(), 2);
    let id = rows[0].split('\t').next().unwrap().to_string();
    c.yuedu(["check"]).assert_ok();

    std::fs::remove_dir_all(&root).unwrap();
    for args in [
        &["list"][..],
        &["list", "--format", "json"],
        &["list", "--count"],
        &["check"],
        &["show", &id],
        &["export"],
    ] {
        let run = c.yuedu(args).output().safe();
        run.clean_failure();
        assert!(run.stderr.contains("does not exist"), "{}: {}", run.what, run.stderr);
        assert!(run.stdout.is_empty(), "{}: printed {:?}", run.what, run.stdout());
    }
    // Back, but empty: the cached index must not bring the old articles back.
    std::fs::create_dir(&root).unwrap();
    assert!(list_rows(&c, &root).is_empty());
    c.write("2024/06/01/c.md", article_text("Third", "https://faults.example/3", "Src", "2024-06-01", "x"));
    let rows = list_rows(&c, &root);
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains("Third"));
}

#[test]
fn corpus_emptied_between_commands_lists_nothing() {
    let c = two_articles();
    assert_eq!(list_rows(&c, c.root()).len(), 2);
    std::fs::remove_dir_all(c.path("2024")).unwrap();
    assert!(list_rows(&c, c.root()).is_empty());
    let check = c.yuedu(["check"]).assert_ok().safe();
    assert!(check.stdout().contains("articles loaded: 0"), "{}", check.stdout());
}

#[test]
fn show_of_a_deleted_file_fails_in_one_line() {
    let c = two_articles();
    let rows = list_rows(&c, c.root());
    let path = c.path("2024/05/01/a.md");
    let id = rows.iter().find(|r| r.contains("第一篇")).unwrap().split('\t').next().unwrap().to_string();
    std::fs::remove_file(&path).unwrap();
    for key in [path.as_os_str(), id.as_ref()] {
        let run = c.yuedu([std::ffi::OsStr::new("show"), key]).output().safe();
        run.clean_failure();
        assert!(run.stdout.is_empty());
    }
    // The library path a reader takes: the list was loaded before the file went away.
    let corpus = yuedu::corpus::Corpus::load(c.root()).unwrap();
    let b = corpus.articles.iter().find(|a| a.title == "Second").unwrap();
    std::fs::remove_file(&b.path).unwrap();
    let err = yuedu::corpus::read_body(&b.path).unwrap_err().to_string();
    assert!(err.starts_with("cannot read ") && !err.contains('\n'), "{err}");
}

/// `show` runs again and again while another thread deletes the file, writes it back, truncates
/// it and swaps in binary junk. Every run either shows the article or fails in one line.
#[test]
fn show_while_the_file_changes_under_it() {
    let c = two_articles();
    let path = c.path("2024/05/01/a.md");
    let good = std::fs::read(&path).unwrap();
    let long = [good.clone(), "more text. ".repeat(50_000).into_bytes()].concat();
    let stop = AtomicBool::new(false);
    let (mut shown, mut failed) = (0, 0);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut i = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let _ = match i % 5 {
                    0 => std::fs::remove_file(&path),
                    1 => std::fs::write(&path, &long),
                    2 => std::fs::write(&path, &good[..good.len() / 3]),
                    3 => std::fs::write(
                        &path,
                        [&good[..40], &[0u8, 0xff, 0x1b, 0x9b][..], &good[40..]].concat(),
                    ),
                    _ => std::fs::write(&path, &good),
                };
                i += 1;
                std::thread::sleep(std::time::Duration::from_micros(300));
            }
        });
        for n in 0..60 {
            let width = ["20", "21", "80"][n % 3];
            let run = c.command().args(["show", "--width", width]).arg(&path).output().safe();
            if run.code == Some(0) {
                shown += 1;
            } else {
                run.clean_failure();
                failed += 1;
            }
        }
        stop.store(true, Ordering::Relaxed);
    });
    assert_eq!(shown + failed, 60);
}

/// The index cache is an optimisation: when it cannot be read or written, commands work anyway.
#[test]
fn an_unusable_cache_is_skipped() {
    let c = two_articles();
    let expected = {
        let home = Dir::new();
        list_rows(&home, c.root())
    };
    assert_eq!(expected.len(), 2);
    type Break = fn(&Path, &Path);
    let breaks: [(&str, Break); 6] = [
        // Tests run as root, where permissions do not stop a write: put a file in the way instead.
        ("cache home is a file", |cache_home, _| std::fs::write(cache_home, "x").unwrap()),
        ("cache dir is a file", |cache_home, _| {
            std::fs::create_dir_all(cache_home).unwrap();
            std::fs::write(cache_home.join("yuedu"), "x").unwrap();
        }),
        ("index dir is a file", |cache_home, _| {
            std::fs::create_dir_all(cache_home.join("yuedu")).unwrap();
            std::fs::write(cache_home.join("yuedu/index"), "x").unwrap();
        }),
        ("index file is a folder", |cache_home, root| {
            std::fs::create_dir_all(index_file(cache_home, root)).unwrap();
        }),
        ("index file is /dev/zero", |cache_home, root| {
            let file = index_file(cache_home, root);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink("/dev/zero", file).unwrap();
        }),
        ("index file is a FIFO", |cache_home, root| {
            let file = index_file(cache_home, root);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            let made = std::process::Command::new("mkfifo").arg(&file).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        }),
    ];
    for (what, break_it) in breaks {
        let home = Dir::new();
        let cache_home = home.cache_home();
        break_it(&cache_home, c.root());
        for _ in 0..2 {
            let run = home.command().corpus(c.root()).arg("list").assert_ok().safe();
            let rows: Vec<String> = run.stdout().lines().map(String::from).collect();
            assert_eq!(rows, expected, "{what}");
            assert!(run.stderr.is_empty(), "{what}: {}", run.stderr);
            let check = home.command().corpus(c.root()).arg("check").assert_ok();
            assert!(check.stdout().contains("articles loaded: 2"), "{what}: {}", check.stdout());
        }
    }
}

fn index_file(cache_home: &Path, root: &Path) -> std::path::PathBuf {
    yuedu::corpus::cache::file_for(root, &cache_home.join("yuedu"))
}
