//! The real `yuedu` binary: `list`, `show`, `check`, where the corpus comes from, and how user
//! mistakes are reported. Config, data and cache live in temporary folders.

use std::path::Path;

use crate::util::{Dir, TestCommand, article_text};

/// Three articles from two sources, written out of date order, with one more duplicate copy.
fn sample() -> Dir {
    let c = Dir::new();
    c.write(
        "2024/03/01/daily/安全观察_旧闻.md",
        article_text(
            "旧闻：某厂商修复漏洞",
            "https://mp.weixin.qq.com/s?__biz=MzA=&mid=1&idx=1&sn=a",
            "安全观察",
            "2024-03-01",
            "较早的文章：厂商在三月修复了一个远程代码执行漏洞，并建议用户尽快升级。",
        ),
    );
    c.write(
        "2025/01/17/daily/Threat Ledger_New Botnet.md",
        article_text(
            "New Botnet Hijacks Routers",
            "https://news.example/2025/01/botnet",
            "Threat Ledger",
            "2025-01-17",
            "The newest article.",
        ),
    );
    c.write(
        "2024/11/30/daily/安全观察_中间.md",
        article_text(
            "中间的文章",
            "https://mp.weixin.qq.com/s?__biz=MzA=&mid=2&idx=1&sn=b",
            "安全观察",
            "2024-11-30",
            "中间的一篇：研究人员分析了一个新的勒索软件家族的加密流程。",
        ),
    );
    c.write("notes/no-url.md", "# 没有链接的笔记\n\n正文。\n");
    c.set_mtime("notes/no-url.md", 1_600_000_000); // 2020-09-13: oldest
    c
}

fn tsv_rows(stdout: &str) -> Vec<Vec<String>> {
    stdout.lines().map(|l| l.split('\t').map(str::to_string).collect()).collect()
}

#[test]
fn list_prints_tsv_rows_newest_first() {
    let c = sample();
    let run = c.yuedu(["list"]).assert_ok();
    let rows = tsv_rows(run.stdout());
    assert_eq!(rows.len(), 4, "{}", run.stdout());
    for r in &rows {
        assert_eq!(r.len(), 6, "id, date, source, title, tags, path: {r:?}");
        assert!(r[0].len() == 16 && r[0].chars().all(|c| c.is_ascii_hexdigit()), "id {:?}", r[0]);
        assert_eq!(r[4], "", "no tags yet");
    }
    let cols = |i: usize| rows.iter().map(|r| r[i].as_str()).collect::<Vec<_>>();
    assert_eq!(cols(1), ["2025-01-17", "2024-11-30", "2024-03-01", "2020-09-13"]);
    assert_eq!(cols(2), ["Threat Ledger", "安全观察", "安全观察", "unknown"]);
    assert_eq!(
        cols(3),
        ["New Botnet Hijacks Routers", "中间的文章", "旧闻：某厂商修复漏洞", "没有链接的笔记"]
    );
    assert_eq!(rows[0][5], c.path("2025/01/17/daily/Threat Ledger_New Botnet.md").to_str().unwrap());
    assert_eq!(rows[3][5], c.path("notes/no-url.md").to_str().unwrap());
}

#[test]
fn list_count_prints_only_the_number() {
    let c = sample();
    assert_eq!(c.yuedu(["list", "--count"]).stdout(), "4\n");
    let run = c.yuedu(["list", "--count", "--source", "安全观察"]).assert_ok();
    assert_eq!(run.stdout(), "2\n");
    // Warm counts come from the cache's checks; a file broken in place (its folder's mtime
    // unchanged) is seen all the same, as is one added.
    let count = || c.yuedu(["list", "--count"]).stdout();
    assert_eq!(count(), "4\n");
    c.write("2024/03/01/daily/安全观察_旧闻.md", b"\x00\x01\x02binary");
    c.set_mtime("2024/03/01/daily/安全观察_旧闻.md", 1_800_000_000);
    assert_eq!(count(), "3\n");
    assert_eq!(count(), "3\n");
    c.write("2024/03/01/daily/new.md", article_text("新", "https://n.example/1", "源", "2024-03-02", "正文"));
    assert_eq!(count(), "4\n");
}

#[test]
fn list_json_has_the_documented_keys() {
    let c = sample();
    let run = c.yuedu(["list", "--format", "json"]).assert_ok();
    let items: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(run.stdout()).unwrap();
    assert_eq!(items.len(), 4);
    for item in &items {
        let mut keys: Vec<&str> = item.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["copies", "date", "empty", "id", "path", "source", "story", "tags", "title", "url"]
        );
        assert_eq!(item["tags"], serde_json::json!([]));
    }
    assert_eq!(items[0]["title"], "New Botnet Hijacks Routers");
    assert_eq!(items[0]["date"], "2025-01-17");
    assert_eq!(items[0]["url"], "https://news.example/2025/01/botnet");
    assert_eq!(items[3]["url"], serde_json::Value::Null, "the note has no url");
    // The same ids as the tsv.
    let tsv = c.yuedu(["list"]).assert_ok();
    let ids: Vec<String> = tsv_rows(tsv.stdout()).into_iter().map(|r| r[0].clone()).collect();
    let json_ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(json_ids, ids);
}

#[test]
fn list_source_keeps_one_source_case_insensitively() {
    let c = sample();
    let run = c.yuedu(["list", "--source", "threat ledger"]).assert_ok();
    let rows = tsv_rows(run.stdout());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][3], "New Botnet Hijacks Routers");
    let none = c.yuedu(["list", "--source", "nobody"]).assert_ok();
    assert_eq!(none.stdout(), "");
}

#[test]
fn show_path_needs_no_corpus() {
    let c = sample();
    let path = c.path("2024/11/30/daily/安全观察_中间.md");
    // A corpus that does not exist proves the file is read on its own.
    let run = c.command().env("YUEDU_CORPUS", "/nonexistent/yuedu").arg("show").arg(&path).assert_ok();
    let lines: Vec<&str> = run.stdout().lines().collect();
    assert_eq!(lines[0], "中间的文章");
    assert_eq!(lines[1], "安全观察 · 2024-11-30");
    assert_eq!(lines[2], "https://mp.weixin.qq.com/s?__biz=MzA=&mid=2&idx=1&sn=b");
    assert!(run.stdout().contains("研究人员分析了一个新的勒索软件家族"), "{}", run.stdout());
    // A relative path works too.
    let rel = c.command().current_dir(c.root()).args(["show", "notes/no-url.md"]).assert_ok();
    assert!(rel.stdout().starts_with("没有链接的笔记\nunknown · 2020-09-13\n"), "{}", rel.stdout());
}

#[test]
fn show_finds_an_article_by_id_and_by_prefix() {
    let c = sample();
    let list = c.yuedu(["list"]).assert_ok();
    let row = tsv_rows(list.stdout()).into_iter().find(|r| r[3] == "旧闻：某厂商修复漏洞").unwrap();
    let full = c.yuedu(["show", &row[0]]).assert_ok();
    assert!(full.stdout().starts_with("旧闻：某厂商修复漏洞\n安全观察 · 2024-03-01\n"), "{}", full.stdout());
    assert!(full.stdout().contains("较早的文章：厂商在三月修复了一个远程代码执行漏洞，并建议用户尽快升级。"));
    let prefix = c.yuedu(["show", &row[0][..8]]).assert_ok();
    assert_eq!(prefix.stdout(), full.stdout());
    let raw = c.yuedu(["show", &row[0], "--raw"]).assert_ok();
    assert!(raw.stdout().contains("# 旧闻：某厂商修复漏洞"), "{}", raw.stdout());
    // YUEDU_CORPUS is used when there is no flag.
    let env = c.command().env("YUEDU_CORPUS", c.root()).args(["show", &row[0][..8]]).assert_ok();
    assert_eq!(env.stdout(), full.stdout());
}

#[test]
fn check_reports_loaded_skipped_fallbacks_and_duplicates() {
    let c = sample();
    c.write("2024/01/01/daily/x_broken.md", b"\x89PNG\r\n\x1a\n\0\0\0\0\0\0\0\0binary");
    c.fixture("webapps_title.md", "2025/07/03/daily/Exploit Archive RSS Feed_[webapps] Acme.md");
    c.write(
        "2025/01/18/daily/Threat Ledger_New Botnet.md",
        article_text(
            "New Botnet Hijacks Routers",
            "https://news.example/2025/01/botnet/",
            "Threat Ledger",
            "2025-01-17",
            "cut...",
        ),
    );
    let run = c.yuedu(["check"]).assert_ok();
    let out = run.stdout();
    for want in [
        format!("corpus: {}", c.root().display()),
        "articles loaded: 5".into(),
        "files skipped: 1".into(),
        "  binary content: 1".into(),
        "  YAML fallback: 1".into(),
        "  derived title: 1".into(),
        "  derived source: 1".into(),
        "  derived date: 1".into(),
        "  encodings: UTF-8 5".into(),
        "duplicates: 1 URLs in several files, 1 copies merged (largest copy kept)".into(),
    ] {
        assert!(out.lines().any(|l| l == want), "missing line {want:?} in:\n{out}");
    }
    assert!(out.contains("x_broken.md: binary content"), "{out}");
    assert_eq!(run.stderr, "");
}

#[test]
fn check_fails_only_when_the_corpus_folder_is_missing() {
    let empty = Dir::new();
    let run = empty.yuedu(["check"]).assert_ok();
    assert!(run.stdout().contains("articles loaded: 0\n"), "{}", run.stdout());
    let missing = empty.path("gone");
    let err = empty.command().arg("check").corpus(&missing).output().one_line_error();
    assert!(err.contains(missing.to_str().unwrap()) && err.contains("does not exist"), "{err}");
}

#[test]
fn user_mistakes_get_one_line_and_a_failing_exit() {
    let c = sample();
    let root = c.root().to_str().unwrap();
    let file = c.path("notes/no-url.md");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["show", "ffffffffffff", "--corpus", root], "no article with id"),
        (vec!["show", "ab", "--corpus", root], "not an article id"),
        (vec!["show", "missing/file.md", "--corpus", root], "no such file"),
        (vec!["list", "--corpus", file.to_str().unwrap()], "is not a folder"),
        (vec!["list", "--corpus", "/nonexistent/yuedu"], "does not exist"),
    ];
    for (args, want) in cases {
        let err = c.command().args(&args).output().one_line_error();
        assert!(err.starts_with("yuedu: ") && err.contains(want), "{args:?}: {err}");
    }
    // A broken config file is a mistake too.
    c.write_config("corpus_dri: /x\n");
    let err = c.command().args(["list", "--count"]).output().one_line_error();
    assert!(err.contains("config.yaml") && err.contains("corpus_dri"), "{err}");
}

#[test]
fn usage_mistakes_get_one_line() {
    let home = Dir::new();
    for args in [&["list", "--format", "xml"][..], &["bogus"], &["show"], &["list", "--width", "3"]] {
        let err = home.command().args(args).output().one_line_error();
        assert!(err.starts_with("yuedu: ") || err.starts_with("error: "), "{args:?}: {err}");
    }
}

#[test]
fn usage_mistakes_fail_without_a_panic() {
    let home = Dir::new();
    for args in [&["list", "--format", "xml"][..], &["bogus"], &["show"], &["list", "--width", "3"]] {
        let run = home.command().args(args).output();
        assert_eq!(run.code, Some(2), "{args:?}");
        assert_eq!(run.stdout(), "");
        assert!(run.stderr.starts_with("yuedu: "), "{args:?}: {}", run.stderr);
    }
    assert_eq!(home.command().arg("--help").assert_ok().stderr, "");
}

/// The demo articles shipped in assets/demo, as the library loads them.
fn demo_titles() -> Vec<String> {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let corpus = yuedu::corpus::Corpus::load(&demo).unwrap();
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    corpus.articles.iter().map(|a| a.title.clone()).collect()
}

#[test]
fn with_no_flag_env_or_config_the_demo_opens() {
    let home = Dir::new();
    let titles = demo_titles();
    assert!(titles.len() >= 14, "the demo should look like a real archive: {titles:?}");
    let count = home.command().args(["list", "--count"]).assert_ok();
    assert_eq!(count.stdout(), format!("{}\n", titles.len()));
    let list = home.command().args(["list"]).assert_ok();
    let listed: Vec<String> = tsv_rows(list.stdout()).into_iter().map(|r| r[3].clone()).collect();
    assert_eq!(listed, titles);
    for row in tsv_rows(list.stdout()) {
        assert!(Path::new(&row[5]).starts_with(home.cache_home()), "demo is installed in the cache: {row:?}");
    }
    let check = home.command().args(["check"]).assert_ok();
    assert!(check.stdout().contains("files skipped: 0\n"), "{}", check.stdout());
    // The bare command (no terminal here) shows the same articles.
    let bare = home.command().assert_ok();
    assert_eq!(bare.stdout().lines().count(), titles.len());
    assert!(bare.stdout().contains(&titles[0]));
}

#[test]
fn corpus_choice_flag_then_env_then_config_then_data_dir() {
    let home = Dir::new();
    let (flag, env, config, data) = (Dir::new(), Dir::new(), Dir::new(), home.data_home().join("yuedu"));
    for (i, c) in [&flag, &env, &config].iter().enumerate() {
        for j in 0..=i {
            c.write(
                &format!("{j}.md"),
                article_text("T", &format!("https://x.example/{j}"), "S", "2024-01-01", "b"),
            );
        }
    }
    std::fs::create_dir_all(data.join("2024/01/01/daily")).unwrap();
    for j in 0..4 {
        let text = article_text("T", &format!("https://x.example/{j}"), "S", "2024-01-01", "b");
        std::fs::write(data.join(format!("2024/01/01/daily/{j}.md")), text).unwrap();
    }
    let count = |cmd: &mut TestCommand| cmd.args(["list", "--count"]).stdout();
    assert_eq!(count(&mut home.command()), "4\n", "the data dir holds articles");
    home.write_config(&format!("corpus_dir: {}\n", config.root().display()));
    assert_eq!(count(&mut home.command()), "3\n", "config beats the data dir");
    assert_eq!(count(home.command().env("YUEDU_CORPUS", env.root())), "2\n", "env beats config");
    assert_eq!(
        count(home.command().env("YUEDU_CORPUS", env.root()).corpus(flag.root())),
        "1\n",
        "the flag beats everything"
    );
}

#[test]
fn stale_demo_articles_are_removed_on_upgrade() {
    let home = Dir::new();
    let fresh = home.command().args(["list", "--count"]).stdout();
    let stale = home.cache_home().join("yuedu/demo/2025/01/17/daily/安全内参_示例文章.md");
    std::fs::write(
        &stale,
        article_text("示例文章", "https://example.com/yuedu/demo/1", "安全内参", "2025-01-17", "旧"),
    )
    .unwrap();
    assert_eq!(
        home.command().args(["list", "--count"]).stdout(),
        fresh,
        "an article of an older demo is still listed"
    );
}
