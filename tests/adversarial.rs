//! The real binary over the hostile corpus: `check`, `list` and `show` finish in time, never
//! panic, and never let a byte that could drive a terminal reach stdout.

#[path = "support/adversarial.rs"]
mod adversarial;
#[path = "support/runner.rs"]
mod runner;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use adversarial::Written;
use runner::{Home, Run, corpus_args, describe, os, run_timed};

struct Hostile {
    _dir: tempfile::TempDir,
    root: PathBuf,
    written: Written,
}

/// One hostile corpus shared by every test in this file: writing it takes a moment.
fn hostile() -> &'static Hostile {
    static CORPUS: OnceLock<Hostile> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir(&root).unwrap();
        let written = adversarial::write_corpus(&root);
        Hostile { _dir: dir, root, written }
    })
}

#[test]
fn check_finishes_and_reports_every_file() {
    let h = hostile();
    let home = Home::new();
    for extra in [&[][..], &[os("--no-cache")], &[os("--boilerplate")]] {
        let mut args = vec![os("check")];
        args.extend(extra);
        args.extend(corpus_args(&h.root));
        let run = home.run(&args).ok().safe();
        let text = run.text();
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
    let h = hostile();
    let home = Home::new();
    let base = corpus_args(&h.root);
    let count_run = home.run(&[&[os("list"), os("--count")][..], &base].concat()).ok().safe();
    let count: usize = count_run.text().trim().parse().unwrap();
    // First run writes the index cache, the second reads it: both must be clean.
    for _ in 0..2 {
        let run = home.run(&[&[os("list")][..], &base].concat()).ok().safe();
        let rows: Vec<&str> = run.text().lines().collect();
        assert_eq!(rows.len(), count, "a title or path broke a row");
        for row in rows {
            assert_eq!(row.split('\t').count(), 6, "a field broke the columns: {row:?}");
            assert!(row.chars().count() < 5000, "fields must be bounded: {} chars", row.chars().count());
        }
        let run = home.run(&[&[os("list"), os("--format"), os("json")][..], &base].concat()).ok().safe();
        let items: serde_json::Value = serde_json::from_str(run.text()).expect("valid JSON");
        assert_eq!(items.as_array().map(Vec::len), Some(count));
    }
    // The path is escaped, not sanitized, in JSON: scripts get the file name back exactly.
    let run = home.run(&[&[os("list"), os("--format"), os("json")][..], &base].concat()).ok().safe();
    let items: serde_json::Value = serde_json::from_str(run.text()).unwrap();
    let paths: Vec<&str> = items.as_array().unwrap().iter().filter_map(|i| i["path"].as_str()).collect();
    assert!(paths.iter().any(|p| p.ends_with("name \u{9b}2J c1.md")), "C1 path lost: {paths:?}");
    for format in ["md", "json", "csv"] {
        let run = home.run(&[&[os("export"), os("--format"), os(format)][..], &base].concat()).ok();
        let run = if format == "csv" { run.safe_csv() } else { run.safe() };
        assert!(run.stdout.len() > 1000, "export {format} printed {} bytes", run.stdout.len());
    }
}

#[test]
fn list_filters_and_sources_carry_no_escapes() {
    let h = hostile();
    let home = Home::new();
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
            let args =
                [&[os("list"), os("--format"), os(fmt), os(&filter)][..], &corpus_args(&h.root)].concat();
            let run = home.run(&args).safe();
            if run.code != Some(0) {
                run.clean_failure();
            }
        }
        let source = format!("--source={q}");
        home.run(&[&[os("list"), os(&source)][..], &corpus_args(&h.root)].concat()).ok().safe();
    }
}

/// Widths to render at: the narrowest `--width` takes (20) and odd ones near it, where long words
/// and wide characters barely fit, common ones, and a huge one.
const WIDTHS: &[&str] = &["20", "21", "23", "40", "80", "1000"];

fn show_runs(file: &Path) -> Vec<Vec<&OsStr>> {
    // Large files at the extremes only: each run of them takes seconds in a debug build.
    let large = std::fs::metadata(file).is_ok_and(|m| m.len() > 256 * 1024);
    let widths = if large { &["20", "80"][..] } else { WIDTHS };
    let mut runs: Vec<Vec<&OsStr>> = widths.iter().map(|w| vec![os("show"), os("--width"), os(w)]).collect();
    runs.push(vec![os("show"), os("--plain")]);
    runs.push(vec![os("show"), os("--raw")]);
    runs.push(vec![os("show"), os("--ambiwidth"), os("wide"), os("--width"), os("21")]);
    for r in &mut runs {
        r.push(file.as_os_str());
    }
    runs
}

#[test]
fn show_every_file_at_every_width_is_clean() {
    let h = hostile();
    let home = Home::new();
    let files = &h.written.files;
    let failures = std::sync::atomic::AtomicUsize::new(0);
    // Two workers: the runs are independent and the machine is shared.
    std::thread::scope(|s| {
        for part in files.chunks(files.len().div_ceil(2)) {
            let (home, failures) = (&home, &failures);
            s.spawn(move || {
                for file in part {
                    for args in show_runs(file) {
                        let run = home.run(&args).safe();
                        if run.code != Some(0) {
                            run.clean_failure();
                            failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                }
            });
        }
    });
    // Loops, dangling links and binary files fail cleanly; most files must show.
    let failed = failures.into_inner();
    assert!(failed < files.len() * WIDTHS.len() / 5, "{failed} failed runs");
}

#[test]
fn show_by_id_and_missing_keys_fail_cleanly() {
    let h = hostile();
    let home = Home::new();
    let list = home.run(&[&[os("list")][..], &corpus_args(&h.root)].concat()).ok().safe();
    let ids: Vec<String> =
        list.text().lines().filter_map(|l| l.split('\t').next()).map(String::from).collect();
    for id in ids.iter().step_by(7) {
        let args = [&[os("show"), os("--width"), os("20"), os(id)][..], &corpus_args(&h.root)].concat();
        home.run(&args).ok().safe();
    }
    for key in ["\x1b[31m", "ffff", "zz", "no/such/dir/article.md", "\u{9b}2J", ""] {
        let args = [&[os("show"), os(key)][..], &corpus_args(&h.root)].concat();
        home.run(&args).safe().clean_failure();
    }
}

/// The invisible characters of issue 3's rule 4 are removed too, in list, JSON and show output.
#[test]
fn no_invisible_characters_reach_stdout() {
    let h = hostile();
    let home = Home::new();
    let mut found = Vec::new();
    let list = home.run(&[&[os("list")][..], &corpus_args(&h.root)].concat()).ok();
    found.extend(list.invisible_chars().into_iter().map(|c| (c, "list".to_string())));
    let json =
        home.run(&[&[os("list"), os("--format"), os("json")][..], &corpus_args(&h.root)].concat()).ok();
    found.extend(json.invisible_chars().into_iter().map(|c| (c, "list --format json".to_string())));
    for file in h.written.files.iter().filter(|f| f.starts_with(h.root.join("escapes"))) {
        for args in show_runs(file) {
            let run = home.run(&args);
            found.extend(run.invisible_chars().into_iter().map(|c| (c, run.what.clone())));
        }
    }
    assert!(
        found.is_empty(),
        "{} invisible characters, first: {:?}",
        found.len(),
        &found[..found.len().min(5)]
    );
}

/// Runs under a cap on the data segment, so an alias bomb that expands fails the allocation and
/// aborts instead of quietly eating the machine.
fn capped(home: &Home, args: &[&OsStr], max_data_kib: u64) -> Run {
    let inner = home.command(args);
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg(format!("ulimit -d {max_data_kib} && exec \"$0\" \"$@\"")).arg(inner.get_program());
    cmd.args(inner.get_args());
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    run_timed(cmd, format!("(data capped at {max_data_kib} KiB) {}", describe(args)))
}

#[test]
fn yaml_bombs_load_in_bounded_memory() {
    let h = hostile();
    let home = Home::new();
    assert!(h.written.bombs.len() >= 4);
    // 512 MiB: about 20 times what these runs need; an expanded bomb needs gigabytes.
    const CAP_KIB: u64 = 512 * 1024;
    for bomb in &h.written.bombs {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(bomb, dir.path().join("bomb.md")).unwrap();
        capped(&home, &[os("show"), os("--width"), os("40"), bomb.as_os_str()], CAP_KIB).sound().ok().safe();
        let args = [&[os("list"), os("--no-cache")][..], &corpus_args(dir.path())].concat();
        let run = capped(&home, &args, CAP_KIB).sound().ok().safe();
        assert_eq!(run.text().lines().count(), 1, "{}", run.text());
    }
    // The cap really bites: a run that needs more than it fails.
    let small = capped(&home, &[os("show"), os("--width"), os("40"), h.written.bombs[0].as_os_str()], 1024);
    assert_ne!(small.code, Some(0), "a 1 MiB cap must be too small to start: is ulimit -d working?");
}

/// For manual runs and fuzz seeds: `YUEDU_ADVERSARIAL_DIR=/tmp/x cargo test --test adversarial
/// -- --ignored write_corpus_for_manual_runs` writes the corpus there.
#[test]
#[ignore = "writes the corpus to $YUEDU_ADVERSARIAL_DIR for manual runs"]
fn write_corpus_for_manual_runs() {
    let Some(dir) = std::env::var_os("YUEDU_ADVERSARIAL_DIR").map(PathBuf::from) else {
        println!("YUEDU_ADVERSARIAL_DIR is not set: nothing written");
        return;
    };
    std::fs::create_dir_all(&dir).unwrap();
    let written = adversarial::write_corpus(&dir);
    println!("{} files in {}", written.files.len(), dir.display());
}
