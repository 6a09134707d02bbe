//! The real `yuedu` binary: `list`, `show`, `check`, where the corpus comes from, and how user
//! mistakes are reported. Config, data and cache live in temporary folders.

#[path = "support/builder.rs"]
mod builder;

use std::path::{Path, PathBuf};
use std::process::Command;

use builder::{TestCorpus, article_text};

/// A home of its own: the user's real config and data are never touched.
struct Home {
    dir: tempfile::TempDir,
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Home {
    fn new() -> Home {
        Home { dir: tempfile::tempdir().unwrap() }
    }

    fn xdg(&self, which: &str) -> PathBuf {
        self.dir.path().join(which)
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_yuedu"));
        cmd.env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.xdg("config"))
            .env("XDG_DATA_HOME", self.xdg("data"))
            .env("XDG_CACHE_HOME", self.xdg("cache"))
            .env("XDG_STATE_HOME", self.xdg("state"))
            .env("RUST_BACKTRACE", "1")
            .env_remove("YUEDU_CORPUS")
            .env_remove("RUST_LOG");
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(self.command().args(args))
    }

    fn run_with(&self, cmd: &mut Command) -> Run {
        let out = cmd.output().expect("yuedu runs");
        let run = Run {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        };
        for bad in ["panicked", "stack backtrace", "RUST_BACKTRACE"] {
            assert!(!run.stderr.contains(bad), "{bad} in stderr: {}", run.stderr);
        }
        run
    }
}

impl Run {
    #[track_caller]
    fn ok(self) -> Run {
        assert_eq!(self.code, Some(0), "stderr: {}", self.stderr);
        self
    }

    /// A user mistake: non-zero exit, nothing on stdout, one line on stderr.
    #[track_caller]
    fn one_line_error(self) -> String {
        assert_ne!(self.code, Some(0), "expected failure; stdout: {}", self.stdout);
        assert!(self.code.is_some(), "killed by a signal");
        assert_eq!(self.stdout, "");
        assert_eq!(self.stderr.lines().count(), 1, "not one line: {:?}", self.stderr);
        assert!(self.stderr.ends_with('\n'));
        self.stderr.trim_end().to_string()
    }
}

/// Three articles from two sources, written out of date order, with one more duplicate copy.
fn sample() -> TestCorpus {
    let c = TestCorpus::new();
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

fn corpus_arg(c: &TestCorpus) -> String {
    c.root().to_str().unwrap().to_string()
}

#[test]
fn list_prints_tsv_rows_newest_first() {
    let (home, c) = (Home::new(), sample());
    let run = home.run(&["list", "--corpus", &corpus_arg(&c)]).ok();
    let rows = tsv_rows(&run.stdout);
    assert_eq!(rows.len(), 4, "{}", run.stdout);
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
    let (home, c) = (Home::new(), sample());
    assert_eq!(home.run(&["list", "--count", "--corpus", &corpus_arg(&c)]).ok().stdout, "4\n");
    let run = home.run(&["--corpus", &corpus_arg(&c), "list", "--count", "--source", "安全观察"]).ok();
    assert_eq!(run.stdout, "2\n");
    // Warm counts come from the cache's checks; a file broken in place (its folder's mtime
    // unchanged) is seen all the same, as is one added.
    let count = || home.run(&["list", "--count", "--corpus", &corpus_arg(&c)]).ok().stdout;
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
    let (home, c) = (Home::new(), sample());
    let run = home.run(&["list", "--format", "json", "--corpus", &corpus_arg(&c)]).ok();
    let items: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(items.len(), 4);
    for item in &items {
        let mut keys: Vec<&str> = item.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["date", "id", "path", "source", "tags", "title", "url"]);
        assert_eq!(item["tags"], serde_json::json!([]));
    }
    assert_eq!(items[0]["title"], "New Botnet Hijacks Routers");
    assert_eq!(items[0]["date"], "2025-01-17");
    assert_eq!(items[0]["url"], "https://news.example/2025/01/botnet");
    assert_eq!(items[3]["url"], serde_json::Value::Null, "the note has no url");
    // The same ids as the tsv.
    let tsv = home.run(&["list", "--corpus", &corpus_arg(&c)]).ok();
    let ids: Vec<String> = tsv_rows(&tsv.stdout).into_iter().map(|r| r[0].clone()).collect();
    let json_ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(json_ids, ids);
}

#[test]
fn list_source_keeps_one_source_case_insensitively() {
    let (home, c) = (Home::new(), sample());
    let run = home.run(&["list", "--source", "threat ledger", "--corpus", &corpus_arg(&c)]).ok();
    let rows = tsv_rows(&run.stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][3], "New Botnet Hijacks Routers");
    let none = home.run(&["list", "--source", "nobody", "--corpus", &corpus_arg(&c)]).ok();
    assert_eq!(none.stdout, "");
}

#[test]
fn show_path_needs_no_corpus() {
    let (home, c) = (Home::new(), sample());
    let path = c.path("2024/11/30/daily/安全观察_中间.md");
    // A corpus that does not exist proves the file is read on its own.
    let run =
        home.run_with(home.command().env("YUEDU_CORPUS", "/nonexistent/yuedu").arg("show").arg(&path)).ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "中间的文章");
    assert_eq!(lines[1], "安全观察 · 2024-11-30");
    assert_eq!(lines[2], "https://mp.weixin.qq.com/s?__biz=MzA=&mid=2&idx=1&sn=b");
    assert!(run.stdout.contains("研究人员分析了一个新的勒索软件家族"), "{}", run.stdout);
    // A relative path works too.
    let rel = home.run_with(home.command().current_dir(c.root()).args(["show", "notes/no-url.md"])).ok();
    assert!(rel.stdout.starts_with("没有链接的笔记\nunknown · 2020-09-13\n"), "{}", rel.stdout);
}

#[test]
fn show_finds_an_article_by_id_and_by_prefix() {
    let (home, c) = (Home::new(), sample());
    let list = home.run(&["list", "--corpus", &corpus_arg(&c)]).ok();
    let row = tsv_rows(&list.stdout).into_iter().find(|r| r[3] == "旧闻：某厂商修复漏洞").unwrap();
    let full = home.run(&["show", &row[0], "--corpus", &corpus_arg(&c)]).ok();
    assert!(full.stdout.starts_with("旧闻：某厂商修复漏洞\n安全观察 · 2024-03-01\n"), "{}", full.stdout);
    assert!(full.stdout.contains("较早的文章：厂商在三月修复了一个远程代码执行漏洞，并建议用户尽快升级。"));
    let prefix = home.run(&["show", &row[0][..8], "--corpus", &corpus_arg(&c)]).ok();
    assert_eq!(prefix.stdout, full.stdout);
    let raw = home.run(&["show", &row[0], "--raw", "--corpus", &corpus_arg(&c)]).ok();
    assert!(raw.stdout.contains("# 旧闻：某厂商修复漏洞"), "{}", raw.stdout);
    // YUEDU_CORPUS is used when there is no flag.
    let env = home.run_with(home.command().env("YUEDU_CORPUS", c.root()).args(["show", &row[0][..8]])).ok();
    assert_eq!(env.stdout, full.stdout);
}

#[test]
fn check_reports_loaded_skipped_fallbacks_and_duplicates() {
    let (home, c) = (Home::new(), sample());
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
    let run = home.run(&["check", "--corpus", &corpus_arg(&c)]).ok();
    let out = &run.stdout;
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
    let home = Home::new();
    let empty = TestCorpus::new();
    let run = home.run(&["check", "--corpus", &corpus_arg(&empty)]).ok();
    assert!(run.stdout.contains("articles loaded: 0\n"), "{}", run.stdout);
    let missing = empty.path("gone");
    let err = home.run(&["check", "--corpus", missing.to_str().unwrap()]).one_line_error();
    assert!(err.contains(missing.to_str().unwrap()) && err.contains("does not exist"), "{err}");
}

#[test]
fn user_mistakes_get_one_line_and_a_failing_exit() {
    let (home, c) = (Home::new(), sample());
    let root = corpus_arg(&c);
    let file = c.path("notes/no-url.md");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["show", "ffffffffffff", "--corpus", &root], "no article with id"),
        (vec!["show", "ab", "--corpus", &root], "not an article id"),
        (vec!["show", "missing/file.md", "--corpus", &root], "no such file"),
        (vec!["list", "--corpus", file.to_str().unwrap()], "is not a folder"),
        (vec!["list", "--corpus", "/nonexistent/yuedu"], "does not exist"),
    ];
    for (args, want) in cases {
        let err = home.run(&args).one_line_error();
        assert!(err.starts_with("yuedu: ") && err.contains(want), "{args:?}: {err}");
    }
    // A broken config file is a mistake too.
    std::fs::create_dir_all(home.xdg("config/yuedu")).unwrap();
    std::fs::write(home.xdg("config/yuedu/config.yaml"), "corpus_dri: /x\n").unwrap();
    let err = home.run(&["list", "--count"]).one_line_error();
    assert!(err.contains("config.yaml") && err.contains("corpus_dri"), "{err}");
}

#[test]
fn usage_mistakes_get_one_line() {
    let home = Home::new();
    for args in [&["list", "--format", "xml"][..], &["bogus"], &["show"], &["list", "--width", "3"]] {
        let err = home.run(args).one_line_error();
        assert!(err.starts_with("yuedu: ") || err.starts_with("error: "), "{args:?}: {err}");
    }
}

#[test]
fn usage_mistakes_fail_without_a_panic() {
    let home = Home::new();
    for args in [&["list", "--format", "xml"][..], &["bogus"], &["show"], &["list", "--width", "3"]] {
        let run = home.run(args);
        assert_eq!(run.code, Some(2), "{args:?}");
        assert_eq!(run.stdout, "");
        assert!(run.stderr.starts_with("yuedu: "), "{args:?}: {}", run.stderr);
    }
    assert_eq!(home.run(&["--help"]).ok().stderr, "");
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
    let home = Home::new();
    let titles = demo_titles();
    assert!(titles.len() >= 14, "the demo should look like a real archive: {titles:?}");
    let count = home.run(&["list", "--count"]).ok();
    assert_eq!(count.stdout, format!("{}\n", titles.len()));
    let list = home.run(&["list"]).ok();
    let listed: Vec<String> = tsv_rows(&list.stdout).into_iter().map(|r| r[3].clone()).collect();
    assert_eq!(listed, titles);
    for row in tsv_rows(&list.stdout) {
        assert!(Path::new(&row[5]).starts_with(home.xdg("cache")), "demo is installed in the cache: {row:?}");
    }
    let check = home.run(&["check"]).ok();
    assert!(check.stdout.contains("files skipped: 0\n"), "{}", check.stdout);
    // The bare command (no terminal here) shows the same articles.
    let bare = home.run(&[]).ok();
    assert_eq!(bare.stdout.lines().count(), titles.len());
    assert!(bare.stdout.contains(&titles[0]));
}

#[test]
fn corpus_choice_flag_then_env_then_config_then_data_dir() {
    let home = Home::new();
    let (flag, env, config, data) =
        (TestCorpus::new(), TestCorpus::new(), TestCorpus::new(), home.xdg("data/yuedu"));
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
    let count = |cmd: &mut Command| home.run_with(cmd.args(["list", "--count"])).ok().stdout;
    assert_eq!(count(&mut home.command()), "4\n", "the data dir holds articles");
    std::fs::create_dir_all(home.xdg("config/yuedu")).unwrap();
    std::fs::write(home.xdg("config/yuedu/config.yaml"), format!("corpus_dir: {}\n", corpus_arg(&config)))
        .unwrap();
    assert_eq!(count(&mut home.command()), "3\n", "config beats the data dir");
    assert_eq!(count(home.command().env("YUEDU_CORPUS", env.root())), "2\n", "env beats config");
    assert_eq!(
        count(home.command().env("YUEDU_CORPUS", env.root()).args(["--corpus", &corpus_arg(&flag)])),
        "1\n",
        "the flag beats everything"
    );
}

#[test]
fn stale_demo_articles_are_removed_on_upgrade() {
    let home = Home::new();
    let fresh = home.run(&["list", "--count"]).ok().stdout;
    let stale = home.xdg("cache/yuedu/demo/2025/01/17/daily/安全内参_示例文章.md");
    std::fs::write(
        &stale,
        article_text("示例文章", "https://example.com/yuedu/demo/1", "安全内参", "2025-01-17", "旧"),
    )
    .unwrap();
    assert_eq!(
        home.run(&["list", "--count"]).ok().stdout,
        fresh,
        "an article of an older demo is still listed"
    );
}
