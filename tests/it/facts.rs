//! The body pass's facts from the command line: `yuedu iocs`, `yuedu cves`, entity terms in
//! `list` and `search`, `list --non-empty` and `"empty"`, `export --iocs`, and the user's
//! warninglist. Fixture articles are written here.

use crate::util::{Dir, TestCommand};

const FILLER: &str = "这是一段用来凑够正文长度的说明文字，和指标无关，只为让清理规则把它当成正文保留下来。";

/// A corpus of five articles: two name CVE-2024-3400 (from two sources), one names a CVE
/// newer than itself, one is an empty page, one names nothing.
fn home() -> Dir {
    let dir = Dir::new();
    let body = |text: &str| format!("{FILLER}\n\n{text}\n\n{FILLER}\n");
    dir.article(
        "2024/04/12/a.md",
        "漏洞通告：防火墙远程命令执行",
        "https://news.example.cn/a/1",
        "漏洞情报",
        "2024-04-12",
        &body("厂商修复了 CVE-2024-3400，攻击者从45.77.12.34回连，并访问hxxp://evil-c2[.]com/payload 下载后门。"),
    );
    dir.article(
        "2024/04/20/b.md",
        "=HYPERLINK(\"x\") 在野利用分析",
        "https://blog.example.org/b",
        "安全观察",
        "2024-04-20",
        &body("CVE-2024-3400 已被在野利用，另见 CVE-2024-21413 与技术 T1059.001。"),
    );
    dir.article(
        "2022/03/01/c.md",
        "旧闻：一次钓鱼演练",
        "https://old.example.net/c",
        "旧闻站",
        "2022-03-01",
        &body("演练中员工点开了附件。热门推荐：CVE-2025-0282 深度解析。"),
    );
    dir.article(
        "2024/05/01/d.md",
        "页面加载失败",
        "https://empty.example.com/d",
        "空页",
        "2024-05-01",
        "   \n",
    );
    dir.article(
        "2024/05/02/e.md",
        "年度报告",
        "https://report.example.com/e",
        "报告",
        "2024-05-02",
        &body("今年的攻击趋势总结。"),
    );
    dir
}

fn yuedu(dir: &Dir, args: &[&str]) -> TestCommand {
    dir.yuedu(args)
}

fn lines(out: &str) -> Vec<Vec<&str>> {
    out.lines().map(|l| l.split('\t').collect()).collect()
}

#[test]
fn iocs_of_a_path_lists_kind_value_count_without_a_corpus() {
    let dir = home();
    let path = dir.path("2024/04/12/a.md");
    // No --corpus and no corpus anywhere: a path is read on its own.
    let out = dir.command().args(["iocs", path.to_str().unwrap()]).assert_ok();
    let rows = lines(out.stdout());
    assert!(rows.contains(&vec!["cve", "CVE-2024-3400", "1"]), "{rows:?}");
    assert!(rows.contains(&vec!["ipv4", "45.77.12.34", "1"]), "{rows:?}");
    assert!(rows.contains(&vec!["url", "http://evil-c2.com/payload", "1"]), "{rows:?}");
    assert!(rows.iter().all(|r| r.len() == 3), "{rows:?}");
    let json = dir.command().args(["iocs", path.to_str().unwrap(), "--format", "json"]).assert_ok();
    let v: serde_json::Value = serde_json::from_str(json.stdout()).unwrap();
    let ip = v.as_array().unwrap().iter().find(|x| x["kind"] == "ipv4").unwrap();
    assert_eq!(ip["defanged"], "45[.]77[.]12[.]34");
}

#[test]
fn iocs_by_id_and_a_suspect_cve() {
    let dir = home();
    let list = yuedu(&dir, &["list"]).assert_ok();
    let id = lines(list.stdout())
        .into_iter()
        .find(|r| r[3] == "旧闻：一次钓鱼演练")
        .map(|r| r[0].to_string())
        .unwrap();
    let out = yuedu(&dir, &["iocs", &id, "--format", "json"]).assert_ok();
    let v: serde_json::Value = serde_json::from_str(out.stdout()).unwrap();
    let cve = v.as_array().unwrap().iter().find(|x| x["value"] == "CVE-2025-0282").expect("the sidebar CVE");
    assert_eq!(cve["suspect"], true, "a 2025 CVE in a 2022 article is suspect");
}

#[test]
fn cves_counts_articles_and_sources_and_leaves_suspects_out() {
    let dir = home();
    let out = yuedu(&dir, &["cves"]).assert_ok();
    let rows = lines(out.stdout());
    assert_eq!(rows[0][..3], ["CVE-2024-3400", "2", "2"], "{rows:?}");
    assert_eq!(rows[0][3..5], ["2024-04-12", "2024-04-20"]);
    assert!(rows.iter().any(|r| r[0] == "CVE-2024-21413" && r[1] == "1"));
    assert!(
        !rows.iter().any(|r| r[0] == "CVE-2025-0282"),
        "suspect-only CVEs are not on the board: {rows:?}"
    );
    let since = yuedu(&dir, &["cves", "--since", "2024-04-15", "--format", "json"]).assert_ok();
    let v: serde_json::Value = serde_json::from_str(since.stdout()).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2, "only b.md is in the window: {rows:?}");
    let top = rows.iter().find(|r| r["cve"] == "CVE-2024-3400").unwrap();
    assert_eq!(top["articles"].as_u64(), Some(1));
    assert_eq!(top["weekly"].as_array().map(Vec::len), Some(26));
    let limited = yuedu(&dir, &["cves", "--limit", "1"]).assert_ok();
    assert_eq!(limited.stdout().lines().count(), 1);
}

#[test]
fn a_bad_date_is_one_line_before_any_work() {
    let dir = home();
    let err = yuedu(&dir, &["cves", "--since", "last week"]).assert_err().one_line_error();
    assert!(err.contains("not a date"), "{err}");
}

#[test]
fn entity_terms_in_list_and_search_match_exactly() {
    let dir = home();
    let count = |args: &[&str]| yuedu(&dir, args).assert_ok().stdout().trim().to_string();
    assert_eq!(count(&["list", "--count", "--filter", "cve:cve-2024-3400"]), "2");
    assert_eq!(count(&["list", "--count", "--filter", "ioc:45.77.12[.]34"]), "1");
    assert_eq!(count(&["list", "--count", "--filter", "ioc:evil-c2.com"]), "1");
    assert_eq!(
        count(&["list", "--count", "--filter", "attack:T1059"]),
        "1",
        "a technique covers its sub-techniques"
    );
    assert_eq!(count(&["list", "--count", "--filter", "cve:CVE-2024-3400 source:安全观察"]), "1");
    assert_eq!(count(&["list", "--count", "--filter=-cve:CVE-2024-3400"]), "3");
    assert_eq!(count(&["search", "--count", "cve:CVE-2024-3400"]), "2");
    assert_eq!(count(&["search", "--count", "在野 cve:CVE-2024-3400"]), "1");
}

#[test]
fn empty_pages_are_marked_in_json_and_dropped_by_non_empty() {
    let dir = home();
    let before = yuedu(&dir, &["list", "--format", "json"]).assert_ok();
    let v: serde_json::Value = serde_json::from_str(before.stdout()).unwrap();
    assert!(v.as_array().unwrap().iter().all(|r| r["empty"].is_null()), "no body index yet: unknown");
    assert_eq!(yuedu(&dir, &["list", "--count", "--non-empty"]).assert_ok().stdout().trim(), "4");
    let after = yuedu(&dir, &["list", "--format", "json"]).assert_ok();
    let v: serde_json::Value = serde_json::from_str(after.stdout()).unwrap();
    for row in v.as_array().unwrap() {
        assert_eq!(row["empty"], row["title"] == "页面加载失败", "{row}");
    }
}

#[test]
fn export_iocs_writes_one_per_line_with_formulas_defused() {
    let dir = home();
    let out =
        yuedu(&dir, &["export", "--iocs", "--format", "csv", "--filter", "cve:CVE-2024-3400"]).assert_ok();
    let text = out.stdout();
    let mut rows = text.split("\r\n").filter(|l| !l.is_empty());
    assert_eq!(rows.next(), Some("id,date,kind,value,count,source,title"));
    let rows: Vec<&str> = rows.collect();
    assert!(rows.iter().any(|r| r.contains(",2024-04-12,cve,CVE-2024-3400,1,")), "{rows:?}");
    assert!(rows.iter().any(|r| r.contains(",attack,T1059.001,")), "{rows:?}");
    assert!(rows.iter().all(|r| !r.contains(",=HYPERLINK") && !r.contains(",\"=HYPERLINK")), "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("'=HYPERLINK")), "{rows:?}");
    let json = yuedu(&dir, &["export", "--iocs", "--format", "json"]).assert_ok();
    let v: serde_json::Value = serde_json::from_str(json.stdout()).unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|r| r["id"].as_str().is_some_and(|id| id.len() == 16) && r["date"].is_string())
    );
    let md = yuedu(&dir, &["export", "--iocs"]).assert_err().one_line_error();
    assert!(md.contains("csv or json"), "{md}");
}

#[test]
fn the_users_warninglist_adds_benign_values_and_a_bad_one_is_reported() {
    let dir = home();
    let path = dir.path("2024/04/12/a.md");
    let cfg = dir.config_home().join("yuedu");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("warninglist.yaml"), "ipv4_ranges: [45.77.12.0/24]\n").unwrap();
    let out = dir.command().args(["iocs", path.to_str().unwrap()]).assert_ok();
    assert!(!out.stdout().contains("45.77.12.34"), "{}", out.stdout());
    assert!(out.stdout().contains("CVE-2024-3400"));
    std::fs::write(cfg.join("warninglist.yaml"), "ipv4_ranges: [not a range]\n").unwrap();
    let err = dir.command().args(["iocs", path.to_str().unwrap()]).assert_err().one_line_error();
    assert!(err.contains("warninglist.yaml"), "{err}");
}
