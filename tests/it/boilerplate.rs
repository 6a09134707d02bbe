//! Boilerplate stripping, one test per family of rules, on articles written for these tests.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use yuedu::document::boilerplate::{self, Cleaned, Meta, Reason, Stripper, Templates};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/boilerplate").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn clean(name: &str, title: &str, source: &str, url: &str) -> Cleaned {
    boilerplate::clean(&fixture(name), &Meta { title, source, url })
}

fn assert_has(c: &Cleaned, parts: &[&str]) {
    for p in parts {
        assert!(c.markdown.contains(p), "missing {p:?} in:\n{}", c.markdown);
    }
}

fn assert_lacks(c: &Cleaned, parts: &[&str]) {
    for p in parts {
        assert!(!c.markdown.contains(p), "kept chrome {p:?} in:\n{}", c.markdown);
    }
}

const WX: &str = "https://mp.weixin.qq.com/s?__biz=XXXX&mid=9";

#[test]
fn wechat_head_bylines_tail_and_link_list_go_article_stays() {
    let c = clean("wechat_article.md", "某市供水系统遭勒索攻击后的应急复盘", "示例安全观察", WX);
    assert!(!c.empty);
    assert_has(
        &c,
        &[
            "上个月，一家地方供水公司",
            "运维团队首先断开了办公网",
            "## 经验教训",
            "3. 对外暴露的远程管理服务要启用多因素认证。",
            "图：恢复过程时间线",
        ],
    );
    assert_lacks(
        &c,
        &[
            "# 某市供水系统",
            "cover_image",
            "原创",
            "李小明",
            "示例安全观察",
            "点击上方蓝字",
            "推荐阅读",
            "工控网络分区",
            "预览时标签不可点",
            "微信扫一扫",
            "轻点两下取消赞",
            "mmbiz_gif",
        ],
    );
    assert!(c.hidden_lines >= 25, "hidden {}", c.hidden_lines);
}

#[test]
fn lone_short_line_between_paragraphs_stays() {
    let c = clean("wechat_article.md", "某市供水系统遭勒索攻击后的应急复盘", "示例安全观察", WX);
    assert_has(&c, &["暖春三月"]);
}

#[test]
fn wechat_failed_load_is_empty() {
    let c = clean("wechat_failed.md", "一篇没有加载出来的文章", "某公众号", WX);
    assert!(c.empty);
    assert_eq!(c.markdown, "");
    assert!(c.hidden_lines >= 8);
}

#[test]
fn wechat_source_card_and_reposting_account_go() {
    let c = clean("wechat_card.md", "零信任落地的三个阶段", "原号", WX);
    assert_has(&c, &["零信任并不是一个可以一次性买到的产品", "第一阶段是梳理身份"]);
    assert_lacks(&c, &["以下文章来源于", "作者王五", "**示例研究院**", "每周更新", "转发号", "qlogo"]);
}

#[test]
fn chinese_site_menus_views_share_related_and_icp_footer_go() {
    let title = "某开源组件曝出远程代码执行漏洞";
    let c = clean("cn_news_site.md", title, "示例网", "https://www.example.cn/news/1.html");
    assert_has(&c, &["近日，某开源日志组件的维护者", "无法立即升级的用户", "尚未发现成功利用的案例"]);
    assert_lacks(
        &c,
        &[
            "主站",
            "云安全",
            "[登录]",
            "[资讯]",
            "阅读量",
            "分享到",
            "相关推荐",
            "另一款日志组件",
            "ICP",
            "Copyright",
        ],
    );
}

#[test]
fn reference_list_after_the_text_is_kept() {
    let title = "某开源组件曝出远程代码执行漏洞";
    let c = clean("cn_news_site.md", title, "示例网", "https://www.example.cn/news/1.html");
    assert_has(&c, &["参考资料", "官方安全公告", "补丁提交记录"]);
}

#[test]
fn english_site_nav_social_related_comments_and_copyright_go() {
    let title = "Researchers Find Hidden Backdoor in Popular Router Firmware";
    let c = clean("en_news_site.md", title, "Example News", "https://news.example.com/2024/05/backdoor.html");
    assert_has(
        &c,
        &["undocumented maintenance account", "read-only partition", "disable remote administration"],
    );
    assert_lacks(
        &c,
        &[
            "Skip to content",
            "[Webinars]",
            "twitter.com/example",
            "Subscribe",
            "Found this article interesting",
            "Tweet",
            "Related Articles",
            "command injection flaw",
            "Great write-up",
            "All rights reserved",
            "# [Researchers",
        ],
    );
}

#[test]
fn github_chrome_goes_readme_stays() {
    let c = clean(
        "github_readme.md",
        "someone starred example/scan-tool",
        "Private Feed",
        "https://github.com/example/scan-tool",
    );
    assert_has(
        &c,
        &["# scan-tool", "checks which TCP ports answer", "scan-tool 10.0.0.0/24", "gentle enough"],
    );
    assert_lacks(
        &c,
        &[
            "Navigation Menu",
            "Automate any workflow",
            "Pricing",
            "You must be signed in",
            "Repository files navigation",
            "© 2025 GitHub",
        ],
    );
}

#[test]
fn javascript_disabled_page_is_empty() {
    let c = clean(
        "twitter_js.md",
        "A tweet that never loaded",
        "Twitter @someone",
        "https://twitter.com/someone/status/1",
    );
    assert!(c.empty, "{}", c.markdown);
    assert_eq!(c.markdown, "");
}

#[test]
fn rate_limit_page_is_empty() {
    let c = clean(
        "rate_limited.md",
        "Example Library 4.2.0",
        "Files",
        "https://files.example.net/files/1/x.tar.xz",
    );
    assert!(c.empty, "{}", c.markdown);
}

#[test]
fn indicator_lists_are_article_text() {
    let c = clean(
        "ioc_list.md",
        "Tracking a Small Phishing Kit",
        "Example Blog",
        "https://blog.example.net/2024/kit.html",
    );
    assert_has(
        &c,
        &[
            "copies the login page",
            "hxxp://secure-login-example[.]com",
            "hxxp://bank-update-example[.]org",
            "d41d8cd98f00b204e9800998ecf8427e",
        ],
    );
    assert_lacks(&c, &["[Archive]", "Newer Post"]);
}

#[test]
fn explain_names_the_reason_for_each_block() {
    let s = Stripper::builtin();
    let body = fixture("wechat_article.md");
    let meta = Meta {
        title: "某市供水系统遭勒索攻击后的应急复盘", source: "示例安全观察", url: WX
    };
    let reports = s.explain(&body, &meta, None);
    let lines: Vec<&str> = body.split('\n').collect();
    let reason_of = |needle: &str| {
        reports
            .iter()
            .find(|r| lines[r.first..r.end].iter().any(|l| l.contains(needle)))
            .map(|r| r.reason)
            .unwrap_or_else(|| panic!("no block holds {needle:?}"))
    };
    assert_eq!(reason_of("![cover_image]"), Reason::BeforeStart);
    assert_eq!(reason_of("上个月"), Reason::Content);
    assert_eq!(reason_of("推荐阅读"), Reason::LinkList);
    assert_eq!(reason_of("预览时标签不可点"), Reason::AfterEnd);
}

/// A source no rule knows: its recurring footer is only found by the learned template.
fn unknown_source_article(i: usize) -> String {
    let topics = [
        "firewall rules",
        "password reuse",
        "phishing drills",
        "backup tests",
        "patch windows",
        "log retention",
        "vendor audits",
    ];
    let topic = topics[i % topics.len()];
    format!(
        "# Notes on {topic}\n\nThis week the team looked again at {topic} and wrote down what changed since the last review.\n\n\
         Most of the work was careful reading of old tickets about {topic}, and a few were closed for good.\n\n\
         Thanks for reading the Lantern Dispatch, a letter for people who run small networks.\n\n\
         Forward it to a colleague who keeps the lights on.\n"
    )
}

#[test]
fn learned_template_removes_a_footer_no_rule_knows() {
    let items: Vec<(String, String)> =
        (0..7).map(|i| ("Lantern Dispatch".to_string(), unknown_source_article(i))).collect();
    let templates = Templates::learn(items.iter().map(|(s, b)| (s.as_str(), b.as_str())));
    let t = templates.for_source("Lantern Dispatch").expect("7 articles make a template");
    assert!(t.articles == 7 && !t.is_empty());
    assert!(templates.for_source("Someone Else").is_none());

    let body = unknown_source_article(3);
    let meta =
        Meta { title: "Notes on backup tests", source: "Lantern Dispatch", url: "https://lantern.example/3" };
    let s = Stripper::builtin();
    let without = s.clean(&body, &meta, None);
    let with = s.clean(&body, &meta, Some(t));
    assert!(without.markdown.contains("Thanks for reading the Lantern Dispatch"));
    assert!(!with.markdown.contains("Thanks for reading the Lantern Dispatch"), "{}", with.markdown);
    assert!(!with.markdown.contains("Forward it to a colleague"));
    assert!(with.markdown.contains("looked again at backup tests"));
    assert!(with.markdown.contains("careful reading of old tickets"));
}

#[test]
fn templates_survive_a_serde_round_trip() {
    let items: Vec<(String, String)> =
        (0..6).map(|i| ("Lantern Dispatch".to_string(), unknown_source_article(i))).collect();
    let templates = Templates::learn(items.iter().map(|(s, b)| (s.as_str(), b.as_str())));
    let json = serde_json::to_string(&templates).unwrap();
    let back: Templates = serde_json::from_str(&json).unwrap();
    assert_eq!(back, templates);
}

fn user_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("boilerplate.yaml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn user_file_adds_generic_phrases_and_sites() {
    let body = "# A title here\n\nThe article body has a long enough sentence to count as prose for sure, \
                and it goes on for a while so that nobody mistakes it for a menu.\n\n\
                Sponsored by Example Corp\n\nAnother paragraph of the article with plenty of words in it, \
                telling the reader what happened next and why it matters.\n\n\
                Weekly tip: rotate your keys\n";
    let meta = Meta { title: "A title here", source: "Blog", url: "https://blog.example.org/p/1" };
    let builtin = Stripper::builtin().clean(body, &meta, None);
    assert!(builtin.markdown.contains("Sponsored by Example Corp"));

    let (_dir, path) = user_file(
        "generic:\n  drop:\n    - Sponsored by Example Corp\nsites:\n  - name: example-blog\n    hosts: [blog.example.org]\n    drop_patterns:\n      - '^Weekly tip:'\n",
    );
    let s = Stripper::with_user_file(&path).unwrap();
    let c = s.clean(body, &meta, None);
    assert!(!c.markdown.contains("Sponsored by"), "{}", c.markdown);
    assert!(!c.markdown.contains("Weekly tip"), "{}", c.markdown);
    assert!(c.markdown.contains("long enough sentence"));
    // The built-in rules still apply under a user file.
    let wx = s.clean(&fixture("wechat_failed.md"), &Meta { title: "x", source: "y", url: WX }, None);
    assert!(wx.empty);
}

#[test]
fn user_site_replaces_builtin_site_of_the_same_name() {
    let (_dir, path) = user_file("sites:\n  - name: wechat\n    hosts: [mp.weixin.qq.com]\n");
    let s = Stripper::with_user_file(&path).unwrap();
    let c = s.clean(
        &fixture("wechat_article.md"),
        &Meta {
            title: "某市供水系统遭勒索攻击后的应急复盘", source: "示例安全观察", url: WX
        },
        None,
    );
    // Without the built-in WeChat image rules its decorative GIF stays (the generic rules still
    // end the article at the late 推荐阅读 section, so the tail is cut either way).
    assert!(c.markdown.contains("mmbiz_gif/BBBB"), "{}", c.markdown);
    let builtin = Stripper::builtin().clean(
        &fixture("wechat_article.md"),
        &Meta {
            title: "某市供水系统遭勒索攻击后的应急复盘", source: "示例安全观察", url: WX
        },
        None,
    );
    assert!(!builtin.markdown.contains("mmbiz_gif/BBBB"), "{}", builtin.markdown);
}

#[test]
fn missing_user_file_is_no_error_and_bad_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(Stripper::with_user_file(&dir.path().join("absent.yaml")).is_ok());

    let (_d1, bad_yaml) = user_file("generic:\n  drop: [unclosed\n");
    let err = Stripper::with_user_file(&bad_yaml).unwrap_err().to_string();
    assert!(err.contains("boilerplate.yaml"), "{err}");

    let (_d2, bad_re) = user_file("generic:\n  drop_patterns: ['(oops']\n");
    let err = Stripper::with_user_file(&bad_re).unwrap_err().to_string();
    assert!(err.contains("(oops") && err.contains("boilerplate.yaml") && !err.contains('\n'), "{err}");

    let err = Stripper::from_yaml("generic:\n  drp: [x]\n").unwrap_err().to_string();
    assert!(err.contains("drp"), "{err}");
}

/// Bodies built to hurt a parser: one huge line, deep nesting, unbalanced brackets. Speed is
/// measured by the criterion bench (`benches/boilerplate.rs`); here they must just not panic.
#[test]
fn hostile_bodies_do_not_panic() {
    let meta = Meta { title: "t", source: "s", url: "" };
    let huge_line = "没有换行的一整行文字，".repeat(30_000);
    let nested = "* ".repeat(5_000) + "deep";
    let brackets = "[".repeat(10_000) + &"](".repeat(5_000);
    let quotes = "> ".repeat(5_000) + "quoted";
    let many_lines = "Share\n\n".repeat(20_000);
    let controls = "\u{FFFD}\r\n\u{202E}\0\t".repeat(2_000);
    for body in [&huge_line, &nested, &brackets, &quotes, &many_lines, &controls, &String::new()] {
        let c = boilerplate::clean(body, &meta);
        assert!(c.markdown.len() <= body.len());
    }
    let c = boilerplate::clean(&huge_line, &Meta { title: "另一个标题", source: "s", url: "" });
    assert!(!c.empty && c.markdown.len() == huge_line.len(), "one long line of prose is an article");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_body_keeps_only_its_own_lines(body in "(?s).{0,400}", title in ".{0,20}") {
        let c = boilerplate::clean(&body, &Meta { title: &title, source: "s", url: "https://mp.weixin.qq.com/s" });
        // The stripper drops carriage returns (or the U+FFFD a sanitizer left for them) at line
        // ends; every line it prints is otherwise a line of the body.
        let lines: std::collections::HashSet<&str> =
            body.split('\n').map(|l| l.trim_end_matches(['\r', '\u{FFFD}'])).collect();
        for l in c.markdown.split('\n') {
            prop_assert!(l.is_empty() || lines.contains(l), "line {:?} not in body", l);
        }
        prop_assert!(c.hidden_lines <= body.lines().count());
        prop_assert!(!c.empty || c.markdown.is_empty());
    }

    #[test]
    fn markdown_shaped_bodies_do_not_panic(parts in prop::collection::vec(
        prop::sample::select(vec![
            "# 标题\n", "* [链接](/a)\n", "正文，有标点。\n", "\n", "```\ncode\n", "| a | b |\n| --- | --- |\n",
            "> 引用\n", "![img](x.png)\n", "预览时标签不可点\n", "Copyright © 2024\n", "推荐阅读\n", "[未闭合\n",
        ]), 0..60)) {
        let body: String = parts.concat();
        let c = boilerplate::clean(&body, &Meta { title: "标题", source: "源", url: "https://mp.weixin.qq.com/s" });
        prop_assert!(!c.empty || c.markdown.is_empty());
    }
}

/// A blog post followed by a long thread of "Name • date" comments: the thread goes however much
/// it outweighs the post, and `explain` names it.
#[test]
fn comment_thread_after_a_short_post_goes() {
    let mut body = String::from(
        "# A short post about router defaults\n\n\
         Researchers found that many home routers ship with remote administration enabled, \
         which lets anyone on the internet reach the login page and try the default password.\n\n\
         The vendors said updates that turn the feature off by default will ship next month, and \
         that owners can already disable it by hand in the advanced settings of the web interface.\n\n\
         Tags: routers\n\n### Comments\n\n",
    );
    for i in 0..6 {
        body.push_str(&format!(
            "Reader{i} •\n[May {d}, 2025 7:{i}4 AM](https://blog.example.org/p/1#comment-{i}00)\n\n\
             This is comment number {i}, and it goes on at some length about routers, passwords, \
             vendors, firmware updates and what the commenter did last weekend with a spare box.\n\n",
            d = i + 1
        ));
    }
    let meta = Meta {
        title: "A short post about router defaults",
        source: "Example Blog",
        url: "https://blog.example.org/p/1",
    };
    let c = boilerplate::clean(&body, &meta);
    assert_has(&c, &["remote administration enabled"]);
    assert_lacks(&c, &["Reader0", "comment number 3", "spare box"]);
    let reports = Stripper::builtin().explain(&body, &meta, None);
    let lines: Vec<&str> = body.lines().collect();
    let thread = reports.iter().find(|r| lines[r.first].starts_with("Reader1")).unwrap();
    assert_eq!(thread.reason, Reason::Comments);
}

/// Bylines and counters around the text ("Dec 21, 2022", "4.2k 阅读 · 17") go; a short real
/// brief with no chrome around it is not empty.
#[test]
fn metadata_lines_go_and_a_short_brief_is_not_empty() {
    let body = "# 某厂商修复路由器漏洞\n\n2024-05-16 14:36:39\n\n4.2k 阅读 · 17\n\n\
                某厂商发布固件更新，修复了路由器管理界面中的一个命令注入漏洞，建议用户尽快升级。\n";
    let meta =
        Meta { title: "某厂商修复路由器漏洞", source: "示例", url: "https://news.example.cn/1" };
    let c = boilerplate::clean(body, &meta);
    assert!(!c.empty);
    assert_has(&c, &["命令注入漏洞"]);
    assert_lacks(&c, &["14:36:39", "4.2k"]);
    let brief = "一句话简讯：某开源项目发布安全更新，修复两个高危漏洞。\n";
    assert!(!boilerplate::clean(brief, &meta).empty);
}
