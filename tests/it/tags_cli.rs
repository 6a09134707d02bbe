//! `yuedu tags` as users run it: ids, moved files, corrupt stores, two processes, kill -9 mid-write.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use yuedu::corpus::ArticleId;

use crate::util::{Dir, TestCommand};

/// A temp corpus of a few articles, with a home of its own.
struct Env {
    dir: Dir,
}

const ALPHA: &str = "https://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=1&sn=aa";
const BETA: &str = "https://sec.example.com/news/2";
const GAMMA: &str = "https://sec.example.org/post/3";

impl Env {
    fn new() -> Env {
        let env = Env { dir: Dir::new() };
        env.article("2025/01/17/alpha.md", "某厂商路由器漏洞通告", ALPHA, "安全内参", "2025-01-17");
        env.article(
            "2025/02/01/beta.md",
            "Ransomware group targets clinics",
            BETA,
            "Sec Example",
            "2025-02-01",
        );
        env.article("2025/03/09/gamma.md", "供应链攻击复盘", GAMMA, "FreeBuf", "2025-03-09");
        env
    }

    fn corpus(&self) -> &Path {
        self.dir.root()
    }

    fn article(&self, rel: &str, title: &str, url: &str, source: &str, date: &str) {
        let text = format!(
            "---\ntitle: \"{title}\"\nurl: \"{url}\"\nsource: \"{source}\"\ndate: {date}\n---\n\n正文，一段自己写的测试文字。\n"
        );
        self.dir.write(rel, text);
    }

    fn store(&self) -> PathBuf {
        self.dir.store()
    }

    fn cmd(&self, args: &[&str]) -> TestCommand {
        self.dir.yuedu(args)
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        self.cmd(args).stdout()
    }

    /// Runs and expects failure; returns stderr.
    fn fails(&self, args: &[&str]) -> String {
        self.cmd(args).assert_err().stderr
    }

    fn on_disk(&self) -> serde_json::Value {
        let text = fs::read_to_string(self.store()).unwrap();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("store does not parse: {e}\n{text}"))
    }
}

fn id(url: &str) -> String {
    ArticleId::from_url(url).to_string()
}

fn lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}

#[test]
fn add_remove_and_list() {
    let env = Env::new();
    let a = id(ALPHA);
    let b = id(BETA);
    assert_eq!(env.ok(&["tags", "add", &a[..6], "follow-up", "ioc"]), format!("{a}\tfollow-up,ioc\n"));
    assert_eq!(env.ok(&["tags", "add", &b, "ioc", "周报"]), format!("{b}\tioc,周报\n"));
    assert_eq!(env.ok(&["tags", "list"]), "2\tioc\n1\tfollow-up\n1\t周报\n");
    assert_eq!(lines(&env.ok(&["tags", "list", &a[..5]])), ["follow-up", "ioc"]);
    assert_eq!(env.ok(&["tags", "rm", &a, "ioc"]), format!("{a}\tfollow-up\n"));
    assert_eq!(env.ok(&["tags", "list"]), "1\tfollow-up\n1\tioc\n1\t周报\n");
    assert_eq!(env.on_disk()["articles"][&b]["tags"], serde_json::json!(["ioc", "周报"]));
    // `list` sees the tags too.
    let listed = env.ok(&["list", "--format", "json"]);
    assert!(listed.contains("\"周报\""), "{listed}");
}

#[test]
fn bad_ids_and_tags_are_one_line_errors() {
    let env = Env::new();
    let a = id(ALPHA);
    for (args, want) in [
        (vec!["tags", "add", "ffffffffffffffff", "x"], "no article with id ffffffffffffffff"),
        (vec!["tags", "add", "zz", "x"], "is not an article id"),
        (vec!["tags", "list", "0000000000000000"], "no article with id"),
        (vec!["tags", "add", &a, "two words"], "invalid tag \"two words\""),
        (vec!["tags", "add", &a, "x\u{1b}]52;c;aGk=\u{7}"], "invalid tag"),
    ] {
        let err = env.fails(&args);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("yuedu: ") && err.contains(want), "{args:?}: {err}");
    }
    assert!(env.fails(&["tags", "add", &a]).contains("required"), "a tag is required");
    assert!(!env.store().exists() || env.on_disk()["articles"].as_object().unwrap().is_empty());
}

#[test]
fn ambiguous_prefix_is_refused() {
    let env = Env::new();
    // Enough articles that two ids share their first four hex digits.
    let mut seen = std::collections::HashMap::new();
    let mut prefix = None;
    for i in 0..2000 {
        let url = format!("https://many.example/{i}");
        let p = id(&url)[..4].to_string();
        if let Some(first) = seen.insert(p.clone(), url.clone()) {
            env.article(&format!("m/{i}a.md"), "one", &first, "s", "2024-01-01");
            env.article(&format!("m/{i}b.md"), "two", &url, "s", "2024-01-01");
            prefix = Some(p);
            break;
        }
    }
    let prefix = prefix.unwrap();
    let err = env.fails(&["tags", "add", &prefix, "x"]);
    assert!(err.contains("ambiguous"), "{err}");
}

#[test]
fn tags_follow_a_moved_file() {
    let env = Env::new();
    let a = id(ALPHA);
    env.ok(&["tags", "add", &a, "follow-up"]);
    let old = env.corpus().join("2025/01/17/alpha.md");
    let new = env.corpus().join("archive/renamed-elsewhere.md");
    fs::create_dir_all(new.parent().unwrap()).unwrap();
    fs::rename(&old, &new).unwrap();
    assert_eq!(env.ok(&["tags", "list", &a]), "follow-up\n");
    let tsv = env.ok(&["list"]);
    let row = tsv.lines().find(|l| l.starts_with(&a)).unwrap();
    assert!(row.contains("follow-up") && row.contains("renamed-elsewhere.md"), "{row}");
}

#[test]
fn entries_of_deleted_articles_are_kept() {
    let env = Env::new();
    let a = id(ALPHA);
    let c = id(GAMMA);
    env.ok(&["tags", "add", &a, "ioc"]);
    fs::remove_file(env.corpus().join("2025/01/17/alpha.md")).unwrap();
    env.ok(&["tags", "add", &c, "ioc"]);
    assert_eq!(env.ok(&["tags", "list"]), "2\tioc\n");
    assert_eq!(env.on_disk()["articles"][&a]["tags"], serde_json::json!(["ioc"]));
    // Its tags can still be seen and removed by id, but not added to.
    assert_eq!(env.ok(&["tags", "list", &a[..8]]), "ioc\n");
    assert!(env.fails(&["tags", "add", &a, "more"]).contains("no article with id"));
    env.ok(&["tags", "rm", &a, "ioc"]);
    assert_eq!(env.ok(&["tags", "list"]), "1\tioc\n");
}

#[test]
fn corrupt_store_is_moved_aside_and_the_command_carries_on() {
    let env = Env::new();
    let a = id(ALPHA);
    fs::create_dir_all(env.store().parent().unwrap()).unwrap();
    let junk = "{\"version\": 1, \"articles\": {\u{0}";
    fs::write(env.store(), junk).unwrap();
    // A reader shows it as empty and leaves it where it is.
    let err = env.cmd(&["tags", "list"]).assert_ok().stderr;
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot be parsed") && err.contains("next change moves it aside"), "{err}");
    assert_eq!(fs::read_to_string(env.store()).unwrap(), junk);
    // The first writer moves it aside.
    let err = env.cmd(&["tags", "add", &a, "ioc"]).assert_ok().stderr;
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(err.contains("could not be parsed") && err.contains(".corrupt-"), "{err}");
    let aside: Vec<_> = fs::read_dir(env.store().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("state.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(fs::read_to_string(&aside[0]).unwrap(), junk);
    assert_eq!(env.on_disk()["articles"][&a]["tags"], serde_json::json!(["ioc"]));
}

#[test]
fn unwritable_data_dir_fails_with_one_line() {
    let env = Env::new();
    let data = env.store().parent().unwrap().to_path_buf();
    fs::create_dir_all(data.parent().unwrap()).unwrap();
    fs::write(&data, "").unwrap();
    let err = env.fails(&["tags", "add", &id(ALPHA), "ioc"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("yuedu: cannot save tags: ")
            && err.contains(&env.dir.data_home().join("yuedu").display().to_string()),
        "{err}"
    );
}

#[test]
fn two_processes_at_once_lose_nothing() {
    let env = std::sync::Arc::new(Env::new());
    let a = id(ALPHA);
    let runs: Vec<_> = ["p", "q"]
        .into_iter()
        .map(|who| {
            let env = env.clone();
            let a = a.clone();
            std::thread::spawn(move || {
                for i in 0..12 {
                    env.ok(&["tags", "add", &a, &format!("{who}{i}")]);
                }
            })
        })
        .collect();
    for r in runs {
        r.join().unwrap();
    }
    let tags = env.on_disk()["articles"][&a]["tags"].as_array().unwrap().len();
    assert_eq!(tags, 24);
}

/// A small xorshift, seeded from the clock and printed, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn kill_9_never_corrupts_and_never_loses_a_confirmed_change() {
    let env = Env::new();
    let a = id(ALPHA);
    // A store of hundreds of (orphaned) entries, so a write takes long enough to be hit.
    {
        let mut store = yuedu::tags::Store::open(&env.store()).unwrap().store;
        let ids: Vec<String> = (0..500u64).map(|i| format!("{i:016x}")).collect();
        store.add_many(&ids, &["bulk".to_string()]).unwrap();
    }
    let one_run = (0..3)
        .map(|_| {
            let start = Instant::now();
            env.ok(&["tags", "add", &a, "warmup"]);
            start.elapsed().as_micros() as u64
        })
        .min()
        .unwrap();

    let seed = std::env::var("YUEDU_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    eprintln!("kill -9 test: seed {seed}, one run {one_run} µs");
    let mut rng = Rng(seed);
    let mut confirmed = vec!["warmup".to_string()];
    let (mut killed, mut finished, mut mid_write) = (0, 0, 0);
    // Kill times are drawn from [0, window); the window follows the real run time (which varies
    // with the machine's load) so that about half the runs are killed, at every stage of a run.
    let mut window = one_run as f64 * 2.0;
    let dir = env.store().parent().unwrap().to_path_buf();
    let temps = || {
        fs::read_dir(&dir)
            .map(|l| {
                l.filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".tmp")))
                    .count()
            })
            .unwrap_or(0)
    };
    for i in 0..200 {
        let tag = format!("k{i}");
        let stale_tmp = temps();
        let mut cmd = env.cmd(&["tags", "add", &a, &tag]);
        let mut child = cmd.std_command().stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(window as u64)));
        child.kill().unwrap(); // SIGKILL; harmless if the process has already exited.
        let status = child.wait().unwrap();
        if status.success() {
            finished += 1;
            confirmed.push(tag);
            window *= 0.9;
        } else {
            killed += 1;
            mid_write += usize::from(temps() > stale_tmp);
            window *= 1.1;
        }
        let disk = env.on_disk();
        assert_eq!(disk["version"], 1);
        let articles = disk["articles"].as_object().unwrap();
        assert_eq!(articles.len(), 501, "seed {seed}: bulk entries lost at run {i}");
        let tags: Vec<&str> =
            articles[&a]["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        for t in &confirmed {
            assert!(tags.contains(&t.as_str()), "seed {seed}: confirmed tag {t} lost at run {i}");
        }
    }
    eprintln!(
        "kill -9 test: {killed} killed ({mid_write} between temp file and rename), {finished} finished"
    );
    assert!(killed >= 10 && finished >= 10, "seed {seed}: kills should land both before and after the end");
    let names: Vec<String> = fs::read_dir(env.store().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("corrupt")), "{names:?}");
}

#[test]
fn help_lists_the_subcommands() {
    let env = Env::new();
    let help = env.ok(&["tags", "--help"]);
    for sub in ["add", "rm", "list"] {
        assert!(help.contains(sub), "{help}");
    }
    assert!(env.ok(&["export", "--help"]).contains("--format"));
}
