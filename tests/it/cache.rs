//! The index cache: warm loads reuse it, changes on disk show up, a broken cache is rebuilt.

use crate::util::{Dir, article_text};
use yuedu::corpus::cache;

fn titles(c: &yuedu::corpus::Corpus) -> Vec<String> {
    let mut t: Vec<String> = c.articles.iter().map(|a| a.title.clone()).collect();
    t.sort();
    t
}

fn corpus_with_two() -> Dir {
    let c = Dir::new();
    c.write(
        "2024/01/02/daily/源_a.md",
        article_text("甲", "https://e.example/a", "源", "2024-01-02", "正文"),
    );
    c.write(
        "2024/01/03/daily/源_b.md",
        article_text("乙", "https://e.example/b", "源", "2024-01-03", "正文"),
    );
    c
}

#[test]
fn second_load_is_served_from_the_cache() {
    let c = corpus_with_two();
    let cache_dir = tempfile::tempdir().unwrap();
    let (first, r1) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!((r1.hit, r1.written, r1.reloaded), (false, true, 2));
    let (second, r2) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!((r2.hit, r2.written, r2.reloaded, r2.removed), (true, false, 0, 0));
    assert_eq!(first.articles, second.articles);
    assert_eq!(cache::snapshot(c.root(), cache_dir.path()).map(|s| s.articles), Some(first.articles));
}

#[test]
fn edits_additions_and_deletions_are_seen() {
    let c = corpus_with_two();
    let cache_dir = tempfile::tempdir().unwrap();
    cache::load(c.root(), cache_dir.path()).unwrap();

    c.write(
        "2024/01/02/daily/源_a.md",
        article_text("甲改", "https://e.example/a", "源", "2024-01-02", "正文"),
    );
    c.set_mtime("2024/01/02/daily/源_a.md", 1_800_000_000);
    let (after_edit, r) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!((r.reloaded, r.removed), (1, 0));
    assert_eq!(titles(&after_edit), vec!["乙", "甲改"]);

    c.write(
        "2024/02/01/daily/源_c.md",
        article_text("丙", "https://e.example/c", "源", "2024-02-01", "正文"),
    );
    std::fs::remove_file(c.path("2024/01/03/daily/源_b.md")).unwrap();
    let (after, r) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!((r.reloaded, r.removed), (1, 1));
    assert_eq!(titles(&after), vec!["丙", "甲改"]);
    assert_eq!(titles(&after), titles(&c.load()), "the cache agrees with a fresh load");
}

#[test]
fn corrupt_or_foreign_cache_is_rebuilt_silently() {
    let c = corpus_with_two();
    let cache_dir = tempfile::tempdir().unwrap();
    cache::load(c.root(), cache_dir.path()).unwrap();
    let file = cache::file_for(c.root(), cache_dir.path());
    for junk in [&b"garbage"[..], b"YUEDUIDX\xff\xff\xff\xff", b""] {
        std::fs::write(&file, junk).unwrap();
        assert!(cache::snapshot(c.root(), cache_dir.path()).is_none());
        let (corpus, r) = cache::load(c.root(), cache_dir.path()).unwrap();
        assert_eq!((r.hit, r.written), (false, true));
        assert_eq!(titles(&corpus), vec!["乙", "甲"]);
    }
}

#[test]
fn problems_are_cached_and_retried() {
    let c = corpus_with_two();
    c.write("2024/01/04/daily/bin.md", b"\x00\x01\x02binary");
    let cache_dir = tempfile::tempdir().unwrap();
    let (first, _) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!(first.problems.len(), 1);
    let (second, r) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!(second.problems, first.problems);
    // An unchanged problem file is not read again, so the cache is not rewritten.
    assert_eq!((r.reloaded, r.written), (0, false));
    c.write(
        "2024/01/04/daily/bin.md",
        article_text("修好了", "https://e.example/d", "源", "2024-01-04", "x"),
    );
    let (third, _) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert!(third.problems.is_empty());
    assert!(titles(&third).contains(&"修好了".to_string()));
}

#[test]
fn duplicates_merge_again_when_a_copy_changes_in_place() {
    let c = Dir::new();
    let url = "https://e.example/same";
    c.write("2024/01/02/a/源_a.md", article_text("短", url, "源", "2024-01-02", "短"));
    c.write("2024/01/02/b/源_b.md", article_text("长", url, "源", "2024-01-02", "长长长长长长长长长长长长"));
    let cache_dir = tempfile::tempdir().unwrap();
    let (first, _) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!(titles(&first), vec!["长"]);
    assert_eq!(first.duplicates.len(), 1);
    let (warm, r) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!((r.hit, r.reloaded), (true, 0));
    assert_eq!((warm.articles, warm.duplicates), (first.articles.clone(), first.duplicates.clone()));
    // The losing copy grows in place (its folder's mtime stays): it wins the merge now.
    c.write("2024/01/02/a/源_a.md", article_text("短改长", url, "源", "2024-01-02", &"长".repeat(40)));
    c.set_mtime("2024/01/02/a/源_a.md", 1_800_000_000);
    let (after, r) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!(r.reloaded, 1);
    assert_eq!(titles(&after), vec!["短改长"]);
    assert_eq!(after.duplicates.len(), 1);
    assert_eq!(titles(&after), titles(&c.load()), "the cache agrees with a fresh load");
}

#[test]
fn count_comes_from_the_checks_only_while_nothing_changed() {
    let c = corpus_with_two();
    // A second copy of 乙: merged, so it is not counted.
    c.write("2024/01/03/mirror/源_b.md", article_text("乙", "https://e.example/b", "源", "2024-01-03", "正"));
    let cache_dir = tempfile::tempdir().unwrap();
    assert_eq!(cache::count(c.root(), cache_dir.path()), None, "no cache yet");
    let (first, _) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!(first.articles.len(), 2);
    assert_eq!(cache::count(c.root(), cache_dir.path()), Some(2));
    c.write(
        "2024/01/02/daily/源_a.md",
        article_text("甲改", "https://e.example/a", "源", "2024-01-02", "正文"),
    );
    c.set_mtime("2024/01/02/daily/源_a.md", 1_800_000_000);
    assert_eq!(cache::count(c.root(), cache_dir.path()), None, "an edit in place");
    cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!(cache::count(c.root(), cache_dir.path()), Some(2));
    c.write(
        "2024/01/05/daily/源_e.md",
        article_text("戊", "https://e.example/e", "源", "2024-01-05", "正文"),
    );
    assert_eq!(cache::count(c.root(), cache_dir.path()), None, "a new file");
    let (last, _) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!(cache::count(c.root(), cache_dir.path()), Some(last.articles.len()));
    assert_eq!(last.articles.len(), 3);
}

#[test]
fn a_file_added_to_a_folder_without_articles_is_seen() {
    let c = corpus_with_two();
    c.write("2024/01/09/images/cover.png", b"\x89PNG");
    let cache_dir = tempfile::tempdir().unwrap();
    cache::load(c.root(), cache_dir.path()).unwrap();
    c.write(
        "2024/01/09/images/源_i.md",
        article_text("图", "https://e.example/i", "源", "2024-01-09", "正文"),
    );
    assert_eq!(cache::count(c.root(), cache_dir.path()), None);
    let (after, r) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!(r.reloaded, 1);
    assert_eq!(titles(&after), vec!["乙", "图", "甲"]);
}

#[cfg(unix)]
#[test]
fn a_problem_file_whose_permissions_change_is_tried_again() {
    use std::os::unix::fs::PermissionsExt;
    let c = corpus_with_two();
    let bin = c.write("2024/01/04/daily/bin.md", b"\x00\x01\x02binary");
    let cache_dir = tempfile::tempdir().unwrap();
    cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!(cache::count(c.root(), cache_dir.path()), Some(2));
    // Only the inode's change time moves, as when a permission problem is fixed.
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(cache::count(c.root(), cache_dir.path()), None);
    let (_, r) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert_eq!(r.reloaded, 1);
}

#[test]
fn missing_root_is_an_error() {
    let cache_dir = tempfile::tempdir().unwrap();
    let err = cache::load(&cache_dir.path().join("nope"), cache_dir.path()).unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
}

#[test]
fn watcher_changes_apply_incrementally() {
    let c = corpus_with_two();
    let mut corpus = c.load();
    let added = c.write(
        "2024/03/01/daily/源_n.md",
        article_text("新", "https://e.example/n", "源", "2024-03-01", "x"),
    );
    assert!(corpus.apply_changes(std::slice::from_ref(&added)));
    assert_eq!(titles(&corpus), vec!["乙", "新", "甲"]);
    assert_eq!(corpus.articles[0].title, "新", "newest first");

    // A copy with the same URL, larger: it wins; removing it brings the other back.
    let dup = c.write(
        "2024/03/02/daily/源_dup.md",
        article_text("新副本", "https://e.example/n", "源", "2024-03-01", "更长的正文更长的正文"),
    );
    assert!(corpus.apply_changes(std::slice::from_ref(&dup)));
    assert_eq!(titles(&corpus), vec!["乙", "新副本", "甲"]);
    std::fs::remove_file(&dup).unwrap();
    assert!(corpus.apply_changes(&[dup]));
    assert_eq!(titles(&corpus), vec!["乙", "新", "甲"]);

    // A whole folder removed.
    std::fs::remove_dir_all(c.path("2024/01")).unwrap();
    assert!(corpus.apply_changes(&[c.path("2024/01")]));
    assert_eq!(titles(&corpus), vec!["新"]);
    assert!(!corpus.apply_changes(&[c.path("elsewhere.bin")]));
    assert_eq!(titles(&corpus), titles(&c.load()), "agrees with a fresh load");
}

/// Six newsletter issues of one source with the same sign-off, one long enough that its
/// footer is only in the tail the loader keys.
fn newsletter() -> Dir {
    let c = Dir::new();
    let topics =
        ["rotate keys", "audit logins", "test backups", "patch routers", "train staff", "map assets"];
    for (i, topic) in topics.iter().enumerate() {
        let filler = if i == 0 {
            "A long paragraph about patch windows and change review. ".repeat(120)
        } else {
            String::new()
        };
        let body = format!(
            "This issue looks at how small teams {topic}, and what they learned doing it.\n\n\
             The notes below list the steps, the tools and the mistakes that came up when they set out \
             to {topic}, in the order the team met them.\n\n{filler}\n\n\
             Thanks for reading Key Letter, written for people who keep small networks running.\n"
        );
        let name = format!("2024/02/0{}/daily/Key Letter_issue {i}.md", i + 1);
        let url = format!("https://letter.example/{i}");
        c.write(&name, article_text(&format!("Issue {i}"), &url, "Key Letter", "2024-02-01", &body));
    }
    c
}

#[test]
fn templates_are_learned_while_indexing_and_cached() {
    let c = newsletter();
    let cache_dir = tempfile::tempdir().unwrap();
    let (cold, _) = cache::load(c.root(), cache_dir.path()).unwrap();
    let footer = "Thanks for reading Key Letter, written for people who keep small networks running.";
    let t = cold.templates.for_source("Key Letter").expect("six articles make a template");
    assert!(t.contains_line(footer));
    assert!(
        !t.contains_line(
            "This issue looks at how small teams patch routers, and what they learned doing it."
        )
    );
    // The same templates come back warm, from the snapshot and on their own.
    let (warm, report) = cache::load(c.root(), cache_dir.path()).unwrap();
    assert!(report.hit);
    assert_eq!(warm.templates, cold.templates);
    assert_eq!(cache::snapshot(c.root(), cache_dir.path()).unwrap().templates, cold.templates);
    assert_eq!(cache::templates(c.root(), cache_dir.path()), Some(cold.templates.clone()));
    // Without a cache the loader learns the same.
    assert_eq!(yuedu::corpus::Corpus::load(c.root()).unwrap().templates, cold.templates);
}

#[test]
fn show_uses_the_cached_template_for_a_file_inside_the_corpus() {
    let c = newsletter();
    let cache_dir = tempfile::tempdir().unwrap();
    cache::load(c.root(), cache_dir.path()).unwrap();
    let path = c.root().join("2024/02/04/daily/Key Letter_issue 3.md");
    let show = |dir: Option<&std::path::Path>| {
        let mut out = Vec::new();
        let choice = || {
            Ok(yuedu::commands::CorpusChoice {
                path: c.root().to_path_buf(),
                origin: yuedu::commands::Origin::Flag,
            })
        };
        let opts = yuedu::commands::ShowOptions {
            width: 80,
            plain: true,
            raw: false,
            explain: false,
            ambiwidth: yuedu::document::AmbiWidth::Narrow,
        };
        yuedu::commands::show(path.to_str().unwrap(), choice, dir, &opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let with = show(Some(cache_dir.path()));
    let without = show(None);
    assert!(with.contains("how small teams patch routers"), "{with}");
    assert!(!with.contains("Thanks for reading Key Letter"), "{with}");
    assert!(without.contains("Thanks for reading Key Letter"), "{without}");
}
