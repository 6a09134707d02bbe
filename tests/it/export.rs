//! `yuedu export`: which articles, and the Markdown checklist, JSON and CSV they are written as.

use std::path::Path;

use yuedu::corpus::ArticleId;

use crate::util::{Dir, Output};

struct Env {
    dir: Dir,
}

const ALPHA: &str = "https://mp.weixin.qq.com/s?__biz=MzA&mid=7&idx=1&sn=bb";
const BETA: &str = "https://sec.example.com/a (1)";
const GAMMA: &str = "https://sec.example.org/c";

impl Env {
    /// Three articles, two of them tagged, one with a title a spreadsheet would run as a formula.
    fn new() -> Env {
        let env = Env { dir: Dir::new() };
        env.article("2025/01/17/a.md", "漏洞通告：某网关 [紧急] *更新*", ALPHA, "安全内参", "2025-01-17");
        env.article(
            "2025/02/01/b.md",
            "=HYPERLINK(\\\"x\\\"), \\\"quoted\\\"",
            BETA,
            "Sec, Example",
            "2025-02-01",
        );
        env.article("2025/03/09/c.md", "Phishing wave hits banks", GAMMA, "FreeBuf", "2025-03-09");
        env.ok(&["tags", "add", &id(ALPHA), "report-weekly", "ioc"]);
        env.ok(&["tags", "add", &id(BETA), "report-weekly"]);
        env
    }

    fn corpus(&self) -> &Path {
        self.dir.root()
    }

    fn article(&self, rel: &str, title: &str, url: &str, source: &str, date: &str) {
        let text = format!(
            "---\ntitle: \"{title}\"\nurl: \"{url}\"\nsource: \"{source}\"\ndate: {date}\n---\n\n自己写的正文。\n"
        );
        self.dir.write(rel, text);
    }

    fn run(&self, args: &[&str]) -> Output {
        self.dir.yuedu(args).output()
    }

    fn ok(&self, args: &[&str]) -> String {
        self.dir.yuedu(args).stdout()
    }
}

fn id(url: &str) -> String {
    ArticleId::from_url(url).to_string()
}

#[test]
fn markdown_checklist() {
    let env = Env::new();
    let md = env.ok(&["export", "--tag", "report-weekly", "--format", "md"]);
    let corpus = env.corpus().display().to_string();
    assert_eq!(
        md,
        format!(
            "- [ ] [=HYPERLINK(\"x\"), \"quoted\"](https://sec.example.com/a%20%281%29) — Sec, Example, \
             2025-02-01 · report-weekly <!-- {corpus}/2025/02/01/b.md -->\n\
             - [ ] [漏洞通告：某网关 \\[紧急\\] \\*更新\\*]({ALPHA}) — 安全内参, 2025-01-17 · ioc, report-weekly \
             <!-- {corpus}/2025/01/17/a.md -->\n"
        )
    );
    // Markdown is the default, and untagged articles are listed without the tag part.
    let all = env.ok(&["export"]);
    assert_eq!(all.lines().count(), 3);
    assert!(all.starts_with(
        "- [ ] [Phishing wave hits banks](https://sec.example.org/c) — FreeBuf, 2025-03-09 <!--"
    ));
}

#[test]
fn json_has_every_field() {
    let env = Env::new();
    let out = env.ok(&["export", "--tag", "ioc", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["id"], id(ALPHA));
    assert_eq!(r["title"], "漏洞通告：某网关 [紧急] *更新*");
    assert_eq!(r["date"], "2025-01-17");
    assert_eq!(r["source"], "安全内参");
    assert_eq!(r["url"], ALPHA);
    assert_eq!(r["tags"], serde_json::json!(["ioc", "report-weekly"]));
    assert_eq!(r["read"], false);
    assert_eq!(r["path"], env.corpus().join("2025/01/17/a.md").display().to_string());
}

/// Splits RFC 4180 CSV, enough to check what `export` writes.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let (mut row, mut cell, mut quoted) = (vec![], String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}

#[test]
fn csv_is_quoted_and_defused() {
    let env = Env::new();
    let out = env.ok(&["export", "--format", "csv", "--tag", "report-weekly"]);
    assert!(out.ends_with("\r\n"));
    let rows = parse_csv(&out);
    assert_eq!(rows[0], ["id", "title", "date", "source", "url", "tags", "path", "read"]);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][0], id(BETA));
    assert_eq!(rows[1][1], "'=HYPERLINK(\"x\"), \"quoted\"", "a formula is made inert");
    assert_eq!(rows[1][3], "Sec, Example");
    assert_eq!(rows[1][5], "report-weekly");
    assert_eq!(rows[2][5], "ioc,report-weekly");
    assert_eq!(rows[2][6], env.corpus().join("2025/01/17/a.md").display().to_string());
}

#[test]
fn filter_and_tags_narrow_together() {
    let env = Env::new();
    let filtered = env.ok(&["export", "--filter", "phishing", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&filtered).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["id"], id(GAMMA));
    let both = env.ok(&["export", "--filter", "phishing", "--tag", "ioc", "--format", "json"]);
    assert_eq!(both.trim(), "[]");
    let two_tags = env.ok(&["export", "-t", "ioc", "-t", "report-weekly", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&two_tags).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    let err = env.run(&["export", "--tag", "a b"]).one_line_error();
    assert!(err.contains("invalid tag \"a b\""), "{err}");
}
