//! The real binary over the hostile corpus: `check`, `list` and `show` finish in time, never
//! panic, and never let a byte that could drive a terminal reach stdout.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::util::adversarial::{self, Written};
use crate::util::{Dir, TestCommand};

struct Hostile {
    _dir: Dir,
    root: PathBuf,
    written: Written,
}

/// One hostile corpus shared by every test in this file: writing it takes a moment.
fn hostile() -> &'static Hostile {
    static CORPUS: OnceLock<Hostile> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = Dir::new();
        let root = dir.root().to_path_buf();
        let written = adversarial::write_corpus(&root);
        Hostile { _dir: dir, root, written }
    })
}

/// `yuedu --corpus HOSTILE ARGS` with `home`'s home (each test has a home, and so a cache, of its own).
fn over_hostile<S: AsRef<OsStr>>(home: &Dir, args: impl IntoIterator<Item = S>) -> TestCommand {
    let mut cmd = home.command();
    cmd.corpus(&hostile().root).args(args);
    cmd
}

#[test]
fn check_finishes_and_reports_every_file() {
    let home = Dir::new();
    for extra in [&[][..], &["--no-cache"], &["--boilerplate"]] {
        let run = over_hostile(&home, ["check"]).args(extra).assert_ok().safe();
        let text = run.stdout();
        let count = |label: &str| -> usize {
            let line =
                text.lines().find(|l| l.starts_with(label)).unwrap_or_else(|| panic!("{label}: {text}"));
            line[label.len()..].trim().parse().unwrap()
        };
        let (loaded, skipped) = (count("articles loaded:"), count("files skipped:"));
        // Every regular article file is loaded or reported; links to one file load once.
        assert!(loaded > 150, "{text}");
        assert!(skipped >= 8, "binary files, loops, dangling links: {text}");
        for kind in ["binary content", "symlink loop", "dangling symlink"] {
            assert!(text.contains(&format!("  {kind}: ")), "{kind} not reported: {text}");
        }
    }
}

#[test]
fn list_rows_stay_rows_and_carry_no_escapes() {
    let home = Dir::new();
    let count_run = over_hostile(&home, ["list", "--count"]).assert_ok().safe();
    let count: usize = count_run.stdout().trim().parse().unwrap();
    // First run writes the index cache, the second reads it: both must be clean.
    for _ in 0..2 {
        let run = over_hostile(&home, ["list"]).assert_ok().safe();
        let rows: Vec<&str> = run.stdout().lines().collect();
        assert_eq!(rows.len(), count, "a title or path broke a row");
        for row in rows {
            assert_eq!(row.split('\t').count(), 6, "a field broke the columns: {row:?}");
            assert!(row.chars().count() < 5000, "fields must be bounded: {} chars", row.chars().count());
        }
        let run = over_hostile(&home, ["list", "--format", "json"]).assert_ok().safe();
        let items: serde_json::Value = serde_json::from_str(run.stdout()).expect("valid JSON");
        assert_eq!(items.as_array().map(Vec::len), Some(count));
    }
    // The path is escaped, not sanitized, in JSON: scripts get the file name back exactly.
    let run = over_hostile(&home, ["list", "--format", "json"]).assert_ok().safe();
    let items: serde_json::Value = serde_json::from_str(run.stdout()).unwrap();
    let paths: Vec<&str> = items.as_array().unwrap().iter().filter_map(|i| i["path"].as_str()).collect();
    assert!(paths.iter().any(|p| p.ends_with("name \u{9b}2J c1.md")), "C1 path lost: {paths:?}");
    for format in ["md", "json", "csv"] {
        let run = over_hostile(&home, ["export", "--format", format]).assert_ok();
        let run = if format == "csv" { run.safe_csv() } else { run.safe() };
        assert!(run.stdout.len() > 1000, "export {format} printed {} bytes", run.stdout.len());
    }
}

#[test]
fn list_filters_and_sources_carry_no_escapes() {
    let home = Dir::new();
    let mut queries: Vec<String> = adversarial::ESCAPES.iter().map(|(_, e)| e.to_string()).collect();
    queries.extend(
        [
            "title",
            "red",
            "pwned",
            "标",
            "source:Src",
            "source:\x1b[31m",
            "tag:",
            "tag:\u{9b}",
            "date:2024-13-45..9999-99-99",
            "date:..",
            "-",
            "-title",
            "\"",
            "👩\u{200d}👩",
            "*?[](){}^$\\",
        ]
        .map(String::from),
    );
    queries.push("a".repeat(50_000));
    queries.push("标题 ".repeat(5_000));
    for q in &queries {
        for fmt in ["tsv", "json"] {
            let filter = format!("--filter={q}");
            let run = over_hostile(&home, ["list", "--format", fmt, &filter]).output().safe();
            if run.code != Some(0) {
                run.clean_failure();
            }
        }
        let source = format!("--source={q}");
        over_hostile(&home, ["list", &source]).assert_ok().safe();
    }
}

/// Widths to render at: the narrowest `--width` takes (20) and odd ones near it, where long words
/// and wide characters barely fit, common ones, and a huge one.
const WIDTHS: &[&str] = &["20", "21", "23", "40", "80", "1000"];

/// `yuedu show` of `file` at every width and in every mode, with `home`'s home.
fn show_runs(home: &Dir, file: &Path) -> Vec<TestCommand> {
    // Large files at the extremes only: each run of them takes seconds in a debug build.
    let large = std::fs::metadata(file).is_ok_and(|m| m.len() > 256 * 1024);
    let widths = if large { &["20", "80"][..] } else { WIDTHS };
    let mut runs: Vec<Vec<&str>> = widths.iter().map(|w| vec!["show", "--width", w]).collect();
    runs.push(vec!["show", "--plain"]);
    runs.push(vec!["show", "--raw"]);
    runs.push(vec!["show", "--ambiwidth", "wide", "--width", "21"]);
    runs.into_iter()
        .map(|args| {
            let mut cmd = home.command();
            cmd.args(args).arg(file);
            cmd
        })
        .collect()
}

/// What one `show` run of a hostile file did, kept (without its stdout) for the tests that check it.
struct Shown {
    what: String,
    /// A file of `escapes/`, made to smuggle control and invisible characters through.
    escapes: bool,
    code: Option<i32>,
    stderr: String,
    /// Why the output could drive a terminal, if it could ([`crate::util::Output::safe`]).
    unsafe_output: Option<String>,
    invisible: Vec<char>,
}

/// Every file of the hostile corpus shown at every width and in every mode: run once for the two
/// tests below, since these runs take most of this module's time.
fn shown() -> &'static [Shown] {
    static SHOWN: OnceLock<Vec<Shown>> = OnceLock::new();
    SHOWN.get_or_init(|| {
        let h = hostile();
        let (home, escapes) = (Dir::new(), h.root.join("escapes"));
        let files = &h.written.files;
        // Two workers: the runs are independent and the machine is shared.
        std::thread::scope(|s| {
            let workers: Vec<_> = files
                .chunks(files.len().div_ceil(2))
                .map(|part| {
                    let (home, escapes) = (&home, &escapes);
                    s.spawn(move || {
                        let mut shown = Vec::new();
                        for file in part {
                            for mut cmd in show_runs(home, file) {
                                let run = cmd.output();
                                shown.push(Shown {
                                    escapes: file.starts_with(escapes),
                                    unsafe_output: run.unsafe_reason(false),
                                    invisible: run.invisible_chars(),
                                    what: run.what,
                                    code: run.code,
                                    stderr: run.stderr,
                                });
                            }
                        }
                        shown
                    })
                })
                .collect();
            workers.into_iter().flat_map(|w| w.join().expect("show worker")).collect()
        })
    })
}

#[test]
fn show_every_file_at_every_width_is_clean() {
    let files = &hostile().written.files;
    let mut failed = 0;
    for run in shown() {
        if let Some(why) = &run.unsafe_output {
            panic!("{why}");
        }
        if run.code != Some(0) {
            assert_eq!(run.stderr.lines().count(), 1, "`yuedu {}`: not one line: {:?}", run.what, run.stderr);
            failed += 1;
        }
    }
    // Loops, dangling links and binary files fail cleanly; most files must show.
    assert!(failed < files.len() * WIDTHS.len() / 5, "{failed} failed runs");
}

#[test]
fn show_by_id_and_missing_keys_fail_cleanly() {
    let home = Dir::new();
    let list = over_hostile(&home, ["list"]).assert_ok().safe();
    let ids: Vec<String> =
        list.stdout().lines().filter_map(|l| l.split('\t').next()).map(String::from).collect();
    for id in ids.iter().step_by(7) {
        over_hostile(&home, ["show", "--width", "20", id]).assert_ok().safe();
    }
    for key in ["\x1b[31m", "ffff", "zz", "no/such/dir/article.md", "\u{9b}2J", ""] {
        over_hostile(&home, ["show", key]).output().safe().clean_failure();
    }
}

/// The invisible characters of issue 3's rule 4 are removed too, in list, JSON and show output.
#[test]
fn no_invisible_characters_reach_stdout() {
    let home = Dir::new();
    let mut found = Vec::new();
    let list = over_hostile(&home, ["list"]).assert_ok();
    found.extend(list.invisible_chars().into_iter().map(|c| (c, "list".to_string())));
    let json = over_hostile(&home, ["list", "--format", "json"]).assert_ok();
    found.extend(json.invisible_chars().into_iter().map(|c| (c, "list --format json".to_string())));
    let escapes: Vec<&Shown> = shown().iter().filter(|run| run.escapes).collect();
    assert!(escapes.len() > 500, "{} runs of escapes/ files", escapes.len());
    for run in escapes {
        found.extend(run.invisible.iter().map(|&c| (c, run.what.clone())));
    }
    assert!(
        found.is_empty(),
        "{} invisible characters, first: {:?}",
        found.len(),
        &found[..found.len().min(5)]
    );
}

#[test]
fn yaml_bombs_load_in_bounded_memory() {
    let h = hostile();
    let home = Dir::new();
    assert!(h.written.bombs.len() >= 4);
    // 512 MiB: about 20 times what these runs need; an expanded bomb needs gigabytes.
    const CAP_KIB: u64 = 512 * 1024;
    for bomb in &h.written.bombs {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(bomb, dir.path().join("bomb.md")).unwrap();
        // Under a cap on the data segment an alias bomb that expands fails the allocation and
        // aborts instead of quietly eating the machine.
        home.command().data_limit(CAP_KIB).args(["show", "--width", "40"]).arg(bomb).assert_ok().safe();
        let run = home
            .command()
            .data_limit(CAP_KIB)
            .corpus(dir.path())
            .args(["list", "--no-cache"])
            .assert_ok()
            .safe();
        assert_eq!(run.stdout().lines().count(), 1, "{}", run.stdout());
    }
    // The cap really bites: a run that needs more than it fails.
    let small = home
        .command()
        .data_limit(1024)
        .args(["show", "--width", "40"])
        .arg(&h.written.bombs[0])
        .output_unchecked();
    assert_ne!(small.code, Some(0), "a 1 MiB cap must be too small to start: is ulimit -d working?");
}

/// Issue 19: many short lines, many paragraphs, a very wide table. Each renders in bounded
/// memory (a data segment of 1 GiB here, where 10M short lines took 1.8 GiB and 11M paragraphs
/// 3.7 GiB before the cut) and ends with a note saying how much was cut.
#[test]
fn huge_documents_render_in_bounded_memory_with_a_note() {
    let c = Dir::new();
    let head = |t: &str| format!("---\ntitle: {t}\nurl: https://huge.example/{t}\ndate: 2024-01-01\n---\n\n");
    let row = format!("|{}|\n", vec!["x"; 5000].join("|"));
    let sep = format!("|{}|\n", vec!["-"; 5000].join("|"));
    let files = [
        ("lines.md", format!("{}{}", head("lines"), "ab\n".repeat(10_000_000))),
        ("paras.md", format!("{}{}", head("paras"), "a\n\n".repeat(11_000_000))),
        ("table.md", format!("{}{row}{sep}{}", head("table"), row.repeat(200))),
    ];
    for (name, text) in &files {
        let path = c.write(name, text);
        for args in [&["show"][..], &["show", "--raw"]] {
            let run = c.yuedu(args).arg(&path).data_limit(1024 * 1024).assert_ok();
            assert!(run.stdout().contains("more lines not shown"), "{name} {args:?}: {}", run.stderr);
        }
    }
}
