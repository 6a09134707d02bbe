//! The CLI of issue 13: id commands through the index (and never a stale answer), closed pipes,
//! `show --width` for the header, causes said once, exact paths in TSV/CSV, load progress.

use std::process::Stdio;

use crate::util::{Dir, Output, article_text};
use yuedu::document::{AmbiWidth, display_width};

fn corpus() -> Dir {
    let c = Dir::new();
    c.write(
        "2025/01/17/安全内参_路由器漏洞.md",
        article_text("某厂商路由器漏洞通告", "https://a.example/1", "安全内参", "2025-01-17", "正文一段。"),
    );
    c.write(
        "2025/02/01/Sec_ransomware.md",
        article_text("Ransomware group targets clinics", "https://b.example/2", "Sec", "2025-02-01", "Body."),
    );
    c
}

fn run(c: &Dir, args: &[&str]) -> Output {
    c.yuedu(args).output()
}

/// `(id, path)` of every row of `list`.
fn rows(c: &Dir) -> Vec<(String, String)> {
    let list = run(c, &["list"]).assert_ok();
    list.stdout()
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            (cells[0].to_string(), cells[cells.len() - 1].to_string())
        })
        .collect()
}

#[test]
fn id_commands_answer_from_a_current_index_and_never_from_a_stale_one() {
    let c = corpus();
    let ids = rows(&c);
    let id = &ids[0].0;
    // Through the index built by `list`.
    let added = run(&c, &["tags", "add", &id[..6], "ioc"]).assert_ok();
    assert_eq!(added.stdout(), format!("{id}\tioc\n"));
    assert_eq!(run(&c, &["tags", "list", id]).assert_ok().stdout(), "ioc\n");
    let shown = run(&c, &["show", "--width", "60", id]).assert_ok();
    assert!(shown.stdout().starts_with("Ransomware group targets clinics\n"), "{}", shown.stdout());
    let md = run(&c, &["export", "--tag", "ioc"]).assert_ok();
    assert_eq!(md.stdout().lines().count(), 1, "{}", md.stdout());
    assert!(md.stdout().contains("Ransomware group"), "{}", md.stdout());
    // A new article after the index was written: the index is stale and must not answer.
    c.write(
        "2025/03/09/FreeBuf_new.md",
        article_text("供应链攻击复盘", "https://c.example/3", "FreeBuf", "2025-03-09", "新的。"),
    );
    let new_id = yuedu::corpus::ArticleId::from_url("https://c.example/3").to_string();
    let shown = run(&c, &["show", &new_id]).assert_ok();
    assert!(shown.stdout().starts_with("供应链攻击复盘\n"), "{}", shown.stdout());
    run(&c, &["tags", "add", &new_id, "ioc"]).assert_ok();
    assert_eq!(
        run(&c, &["export", "--tag", "ioc", "--format", "json"])
            .assert_ok()
            .stdout()
            .matches("\"id\"")
            .count(),
        2
    );
    // An article removed after the index was written is gone, not served from the index.
    std::fs::remove_file(c.path("2025/01/17/安全内参_路由器漏洞.md")).unwrap();
    let gone = &ids[1].0;
    run(&c, &["show", gone]).clean_failure();
    let failed = run(&c, &["tags", "add", gone, "x"]);
    failed.clean_failure();
    assert!(failed.stderr.contains("no article with id"), "{}", failed.stderr);
}

/// Runs with stdout a pipe whose reader is already closed.
fn into_closed_pipe(c: &Dir, args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut cmd = c.yuedu(args);
    let out = cmd.std_command().stdout(Stdio::from(writer)).stderr(Stdio::piped()).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_closed_pipe_is_a_quiet_end() {
    let c = corpus();
    let id = rows(&c)[0].0.clone();
    run(&c, &["tags", "add", &id, "ioc"]).assert_ok();
    let runs: &[&[&str]] = &[
        &["list"],
        &["list", "--format", "json"],
        &["list", "--count"],
        &["show", &id],
        &["show", "--plain", &id],
        &["export"],
        &["export", "--format", "json"],
        &["export", "--format", "csv"],
        &["export", "--tag", "ioc", "--format", "csv"],
        &["tags", "list"],
        &["tags", "list", &id],
        &["check"],
        &["check", "--boilerplate"],
    ];
    for args in runs {
        let (code, stderr) = into_closed_pipe(&c, args);
        assert_eq!((code, stderr.as_str()), (Some(0), ""), "yuedu {args:?}");
    }
}

#[test]
fn show_width_holds_for_the_header_and_the_empty_page_notice() {
    let c = Dir::new();
    let title = "全球物流巨头遭勒索攻击核心调度系统停摆七十二小时之后的复盘与反思以及对行业的启示";
    let url = format!("https://mp.weixin.qq.com/s?__biz=MzA{}&mid=1", "x".repeat(80));
    c.write("2025/01/18/a.md", article_text(title, &url, "安全观察室安全观察室安全观察室", "2025-01-18", ""));
    let id = rows(&c)[0].0.clone();
    for width in [20, 33, 47] {
        let shown = run(&c, &["show", "--width", &width.to_string(), &id]).assert_ok();
        let text = shown.stdout();
        assert!(text.contains("No article text was"), "{text}");
        for line in text.lines() {
            assert!(display_width(line, AmbiWidth::Narrow) <= width, "{width}: {line:?}");
        }
        let joined: String = text.lines().collect();
        assert_eq!(joined.matches(&url).count(), 2, "the URL's pieces join back: {text}");
    }
    let narrow = run(&c, &["show", "--width", "19", &id]);
    assert_eq!(narrow.code, Some(2), "{}", narrow.stderr);
    assert!(narrow.stderr.contains("--width"), "{}", narrow.stderr);
}

#[test]
fn an_error_says_its_cause_once() {
    let c = corpus();
    let failed = run(&c, &["list", "--filter", "date:foo"]);
    failed.clean_failure();
    assert_eq!(failed.stderr.matches("is not a date").count(), 1, "{}", failed.stderr);
    assert_eq!(failed.stderr.matches("foo").count(), 2, "the term and the value: {}", failed.stderr);
}

#[test]
fn tsv_and_csv_paths_name_the_file() {
    let c = corpus();
    let odd = c.write(
        "2025/04/01/zero\u{200b}width\\tab\t.md",
        article_text("Odd name", "https://d.example/4", "Sec", "2025-04-01", "Body."),
    );
    let rows = rows(&c);
    let (id, path) = rows.iter().find(|(_, p)| p.contains("zero")).expect("the odd file is listed");
    assert!(!path.contains('\u{200b}') && !path.contains('\t'), "escaped visibly: {path:?}");
    let bytes = yuedu::commands::paths::unescape(path).expect("a well-formed escape");
    let back = std::path::PathBuf::from(String::from_utf8(bytes).unwrap());
    assert_eq!(back, odd);
    assert!(back.is_file());
    run(&c, &["tags", "add", id, "odd"]).assert_ok();
    let csv = run(&c, &["export", "--tag", "odd", "--format", "csv"]).assert_ok();
    assert!(csv.stdout().contains(path.as_str()), "{}", csv.stdout());
    let json = run(&c, &["export", "--tag", "odd", "--format", "json"]).assert_ok();
    let value: serde_json::Value = serde_json::from_str(json.stdout()).unwrap();
    assert_eq!(value[0]["path"].as_str(), odd.to_str(), "JSON keeps the path exact");
}

#[test]
fn loading_reports_progress() {
    let c = corpus();
    let cache = tempfile::tempdir().unwrap();
    let progress = yuedu::progress::Progress::new("loading");
    yuedu::corpus::cache::load_with_progress(c.root(), cache.path(), &progress).unwrap();
    let s = progress.snapshot();
    assert_eq!((s.name.as_str(), s.done, s.total), (yuedu::corpus::STAGE_READING, 2, 2));
    let progress = yuedu::progress::Progress::new("loading");
    yuedu::corpus::Corpus::load_with_progress(c.root(), &progress).unwrap();
    assert_eq!((progress.snapshot().done, progress.snapshot().total), (2, 2));
}
