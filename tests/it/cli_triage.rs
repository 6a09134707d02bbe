//! Issue 18 on the command line: hyphen values, strict filter syntax, `--source` as `source:`,
//! `--unread`, `--tag`, `--saved`, `export --with-body`, `tags rm` of a missing tag, config
//! problems in `check`, entities decoded in front matter.

use yuedu::corpus::ArticleId;

use crate::util::Dir;

const A: &str = "https://sec.example.cn/a/1";
const B: &str = "https://sec.example.cn/b/2";
const C: &str = "https://news.example.com/c/3";

fn corpus() -> Dir {
    let d = Dir::new();
    d.article("2025/01/03/a.md", "勒索软件团伙再次活动", A, "KitPloit - PenTest &amp; Hacking Tools", "2025-01-03", "第一篇正文，讲勒索软件团伙如何在夜间加密医院的文件服务器，并在暗网公布窃取的数据样本。调查人员随后找到了入口。");
    d.article("2025/01/02/b.md", "Ransomware crew returns", B, "KitPloit - PenTest & Hacking Tools", "2025-01-02", "The crew came back after a quiet month, using a new loader and a fresh set of servers to stage its tools.\n\nResponders traced the first intrusion to an unpatched VPN gateway, as [the advisory](https://example.org/x) explains in detail.");
    d.article("2025/01/01/c.md", "Patch Tuesday notes", C, "Over Security", "2025-01-01", "This month's patches fix several remote code execution bugs in the mail server and a privilege escalation in the kernel that is already exploited.");
    d
}

fn id(url: &str) -> String {
    ArticleId::from_url(url).to_string()
}

fn titles(out: &str) -> Vec<String> {
    out.lines().map(|l| l.split('\t').nth(3).unwrap_or_default().to_string()).collect()
}

#[test]
fn a_filter_may_start_with_a_hyphen() {
    let d = corpus();
    let out = d.yuedu(["list", "--filter", "-ransomware"]).stdout();
    assert_eq!(titles(&out), ["勒索软件团伙再次活动", "Patch Tuesday notes"]);
}

#[test]
fn unknown_fields_and_unclosed_quotes_are_errors() {
    let d = corpus();
    let e = d.yuedu(["list", "--filter", "url:x"]).assert_err().one_line_error();
    assert!(
        e.contains("unknown field url") && e.contains("source: tag: tags: date: cve: ioc: attack"),
        "{e}"
    );
    let e = d.yuedu(["list", "--filter", "foo:bar patch"]).assert_err().one_line_error();
    assert!(e.contains("unknown field foo"), "{e}");
    let e = d.yuedu(["list", "--filter", "\"patch tues"]).assert_err().one_line_error();
    assert!(e.contains("unclosed quote"), "{e}");
    // A URL is text to look for, not a field.
    d.yuedu(["list", "--filter", "https://x"]).assert_ok();
}

#[test]
fn html_entities_are_decoded_so_one_source_has_one_name() {
    let d = corpus();
    let out = d.yuedu(["list", "--source", "kitploit"]).stdout();
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.lines().all(|l| l.split('\t').nth(2) == Some("KitPloit - PenTest & Hacking Tools")), "{out}");
    // --source is a case-blind substring, as source: is.
    let a = d.yuedu(["list", "--source", "over sec"]).stdout();
    let b = d.yuedu(["list", "--filter", "source:\"over sec\""]).stdout();
    assert_eq!(a, b);
    assert_eq!(titles(&a), ["Patch Tuesday notes"]);
}

#[test]
fn aliases_in_config_rename_sources_everywhere() {
    let d = corpus();
    d.write_config("sources:\n  aliases:\n    Over Security: KitPloit - PenTest & Hacking Tools\n");
    let out = d.yuedu(["list", "--source", "kitploit"]).stdout();
    assert_eq!(out.lines().count(), 3, "{out}");
}

#[test]
fn unread_tag_and_saved_searches() {
    let d = corpus();
    d.yuedu(["tags", "add", &id(A), "Follow-Up"]).assert_ok();
    let out = d.yuedu(["tags", "list", &id(A)]).stdout();
    assert_eq!(out, "follow-up\n", "tags are case-blind");
    assert_eq!(titles(&d.yuedu(["list", "--tag", "FOLLOW-UP"]).stdout()), ["勒索软件团伙再次活动"]);
    d.write_config("searches:\n  patches: patch\n  bad: \"url:x\"\n");
    assert_eq!(titles(&d.yuedu(["list", "--saved", "patches"]).stdout()), ["Patch Tuesday notes"]);
    let e = d.yuedu(["list", "--saved", "nope"]).assert_err().one_line_error();
    assert!(e.contains("bad, patches"), "{e}");
    let check = d.yuedu(["check"]).stdout();
    assert!(check.contains("config problems: 1") && check.contains("searches.bad"), "{check}");
    assert_eq!(d.yuedu(["list", "--unread", "--count"]).stdout(), "3\n");
}

#[test]
fn tags_rm_says_when_a_tag_was_not_there() {
    let d = corpus();
    d.yuedu(["tags", "add", &id(A), "ioc"]).assert_ok();
    let out = d.yuedu(["tags", "rm", &id(A), "missing", "IOC"]).assert_ok();
    let err = out.stderr.clone();
    assert!(err.contains("had no tag missing") && !err.contains("ioc"), "{err}");
    assert_eq!(d.yuedu(["tags", "list", &id(A)]).stdout(), "");
}

#[test]
fn export_with_body_writes_each_article_s_text() {
    let d = corpus();
    let md = d.yuedu(["export", "--with-body"]).stdout();
    assert!(md.contains("## Ransomware crew returns"), "{md}");
    assert!(md.contains("Responders traced the first intrusion"), "{md}");
    assert!(md.contains("第一篇正文，讲勒索软件团伙如何在夜间加密医院的文件服务器，并在暗网公布窃取的数据样本。调查人员随后找到了入口。"), "{md}");
    assert!(md.contains("[original](https://sec.example.cn/b/2)"), "{md}");
    let e = d.yuedu(["export", "--with-body", "--format", "csv"]).assert_err().one_line_error();
    assert!(e.contains("--with-body writes --format md"), "{e}");
}
