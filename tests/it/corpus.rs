//! The corpus loader against every quirk of the real archive: one hand-written fixture per quirk in
//! `tests/fixtures/corpus`; encodings, binary files, links, duplicates and ids are in `files`.

mod files;

use crate::util::{Dir, article, article_text, fixture_bytes, fixtures_dir};
use yuedu::corpus::{
    self, ArticleId, Corpus, CorpusError, Date, Derived, Encoding, ProblemKind, load_file, read_body,
};

fn date(s: &str) -> Date {
    Date::parse_prefix(s).unwrap()
}

const NOT_DERIVED: Derived = Derived { title: false, source: false, date: false };

// ---------------------------------------------------------------- front matter

#[test]
fn webapps_title_falls_back_to_the_line_reader() {
    let rel = "2025/07/03/daily/Exploit Archive RSS Feed_[webapps] Acme Portal 2.3 - Authenticated SQL Injection.md";
    let c = Dir::new();
    c.fixture("webapps_title.md", rel);
    let corpus = c.load();
    let a = article(&corpus, rel);
    assert_eq!(a.title, "[webapps] Acme Portal 2.3 - Authenticated SQL Injection");
    assert_eq!(a.source, "Exploit Archive RSS Feed");
    assert_eq!(a.date, date("2025-07-03"));
    assert_eq!(a.url.as_deref(), Some("https://exploits.example/exploits/50001"));
    assert_eq!(a.fetch_date.as_deref(), Some("2025-10-06T21:14:05.118220"));
    assert!(a.yaml_fallback);
    assert_eq!(a.derived, NOT_DERIVED);
}

#[test]
fn title_with_colon_space_falls_back_and_keeps_the_url_query() {
    let c = Dir::new();
    c.fixture("colon_title.md", "a.md");
    let corpus = c.load();
    let a = article(&corpus, "a.md");
    assert_eq!(a.title, "漏洞预警: Acme 网关存在远程代码执行漏洞");
    assert_eq!(a.url.as_deref(), Some("https://news.example/vuln/2025/0412?id=7&lang=zh"));
    assert_eq!((a.source.as_str(), a.date), ("示例安全通告", date("2025-04-12")));
    assert!(a.yaml_fallback);
    assert_eq!(a.derived, NOT_DERIVED);
}

#[test]
fn title_with_space_hash_is_not_cut_as_a_comment() {
    let c = Dir::new();
    c.fixture("hash_title.md", "a.md");
    let corpus = c.load();
    let a = article(&corpus, "a.md");
    assert_eq!(a.title, "安全早报 #128 | 某厂商修复 12 个漏洞");
    assert_eq!(a.source, "示例安全早报");
    assert_eq!(a.derived, NOT_DERIVED);
}

#[test]
fn crlf_line_endings_in_strict_and_fallback_front_matter() {
    assert!(fixture_bytes("crlf.md").windows(2).any(|w| w == b"\r\n"), "fixture lost its CRLF");
    let c = Dir::new();
    c.fixture("crlf.md", "strict.md");
    c.fixture("crlf_fallback.md", "fallback.md");
    let corpus = c.load();
    let a = article(&corpus, "strict.md");
    assert_eq!(
        (a.title.as_str(), a.source.as_str(), a.date),
        ("CRLF 换行的文章", "示例来源", date("2024-06-18"))
    );
    assert_eq!(a.url.as_deref(), Some("https://news.example/crlf/1"));
    assert!(!a.yaml_fallback);
    let b = article(&corpus, "fallback.md");
    assert_eq!(b.title, "CRLF 与冒号: 严格 YAML 不接受");
    assert_eq!(b.url.as_deref(), Some("https://news.example/crlf/2"));
    assert_eq!(b.date, date("2024-06-19"));
    assert!(b.yaml_fallback);
    assert_eq!(b.derived, NOT_DERIVED);
    let body = read_body(&a.path).unwrap().text;
    assert!(body.contains("这一篇的每一行都以回车换行结束。"), "{body:?}");
    assert!(!body.contains('\r') && !body.contains('\u{FFFD}'), "line endings left in body: {body:?}");
}

#[test]
fn utf8_byte_order_mark_is_skipped() {
    assert!(fixture_bytes("bom.md").starts_with(b"\xEF\xBB\xBF"), "fixture lost its BOM");
    let c = Dir::new();
    c.fixture("bom.md", "bom.md");
    let corpus = c.load();
    let a = article(&corpus, "bom.md");
    assert_eq!((a.title.as_str(), a.date), ("带字节顺序标记的文章", date("2024-02-29")));
    assert_eq!(a.encoding, Encoding::Utf8);
    assert_eq!(a.derived, NOT_DERIVED);
    let body = read_body(&a.path).unwrap().text;
    assert!(body.trim_start().starts_with("# 带字节顺序标记的文章"), "{body:?}");
}

#[test]
fn missing_fields_are_derived_from_the_path() {
    let rel = "2024/05/06/daily/示例来源_只有标题和链接.md";
    let c = Dir::new();
    c.fixture("missing_fields.md", rel);
    let corpus = c.load();
    let a = article(&corpus, rel);
    assert_eq!(
        (a.title.as_str(), a.source.as_str(), a.date),
        ("只有标题和链接", "示例来源", date("2024-05-06"))
    );
    assert_eq!(a.derived, Derived { title: false, source: true, date: true });
    assert_eq!(a.fetch_date, None);
}

#[test]
fn empty_fields_are_derived_like_missing_ones() {
    let rel = "2024/05/07/daily/某来源_文件名里的标题.md";
    let c = Dir::new();
    c.fixture("empty_fields.md", rel);
    let corpus = c.load();
    let a = article(&corpus, rel);
    assert_eq!((a.title.as_str(), a.source.as_str(), a.date), ("正文里的标题", "某来源", date("2024-05-07")));
    assert_eq!(a.derived, Derived { title: true, source: true, date: true });
    assert_eq!(a.url.as_deref(), Some("https://news.example/empty/1"));
}

#[test]
fn unknown_extra_keys_are_ignored() {
    let c = Dir::new();
    c.fixture("extra_keys.md", "x.md");
    let corpus = c.load();
    let a = article(&corpus, "x.md");
    assert_eq!((a.title.as_str(), a.source.as_str(), a.date), ("多余的键", "示例来源", date("2025-03-01")));
    assert!(!a.yaml_fallback, "nested values in unknown keys must not force the fallback");
    assert_eq!(a.derived, NOT_DERIVED);
}

#[test]
fn no_front_matter_takes_the_first_heading_and_the_file_name() {
    let c = Dir::new();
    c.fixture("no_front_matter.md", "notes/随笔_文件名.md");
    c.set_mtime("notes/随笔_文件名.md", 1_700_000_000);
    let corpus = c.load();
    let a = article(&corpus, "notes/随笔_文件名.md");
    assert_eq!((a.title.as_str(), a.source.as_str()), ("没有前言的文章", "随笔"));
    assert_eq!(a.date, date("2023-11-14"), "no date in front matter or path: the mtime");
    assert_eq!(a.derived, Derived { title: true, source: true, date: true });
    assert_eq!((a.url.as_ref(), a.yaml_fallback), (None, false));
    let body = read_body(&a.path).unwrap().text;
    assert!(body.starts_with("# 没有前言的文章"), "{body:?}");
}

#[test]
fn no_heading_takes_the_title_from_the_file_name_and_source_is_unknown() {
    let c = Dir::new();
    c.fixture("no_heading.txt", "misc/plain-note.txt");
    c.fixture("no_heading.txt", "2024/01/02/daily/SomeFeed_Some Title.txt");
    c.fixture("no_heading.txt", "2024/01/03/daily/_What is it_.txt");
    c.set_mtime("misc/plain-note.txt", 951_782_400);
    let corpus = c.load();
    let a = article(&corpus, "misc/plain-note.txt");
    assert_eq!((a.title.as_str(), a.source.as_str(), a.date), ("plain-note", "unknown", date("2000-02-29")));
    let b = article(&corpus, "2024/01/02/daily/SomeFeed_Some Title.txt");
    assert_eq!((b.title.as_str(), b.source.as_str(), b.date), ("Some Title", "SomeFeed", date("2024-01-02")));
    let e = article(&corpus, "2024/01/03/daily/_What is it_.txt");
    assert_eq!((e.title.as_str(), e.source.as_str()), ("What is it_", "unknown"));
    for x in [a, b, e] {
        assert_eq!(x.derived, Derived { title: true, source: true, date: true });
    }
}

#[test]
fn multi_line_values_are_joined() {
    let c = Dir::new();
    c.fixture("multiline_strict.md", "strict.md");
    c.fixture("multiline_fallback.md", "fallback.md");
    let corpus = c.load();
    let a = article(&corpus, "strict.md");
    assert_eq!(a.title, "一个被折行的很长的标题 第二行接着写");
    assert_eq!(a.url.as_deref(), Some("https://news.example/multiline/1"));
    assert!(!a.yaml_fallback);
    let b = article(&corpus, "fallback.md");
    assert_eq!(b.title, "深度分析: 一个被折行的 很长的标题");
    assert_eq!(b.source, "Think Love Share");
    assert_eq!(b.url.as_deref(), Some("https://news.example/multiline/2"));
    assert_eq!(b.date, date("2023-07-30"));
    assert!(b.yaml_fallback);
    assert_eq!(b.derived, NOT_DERIVED);
}

#[test]
fn unclosed_front_matter_is_all_body() {
    let c = Dir::new();
    c.fixture("unclosed_front_matter.md", "2024/08/08/daily/来源_文件.md");
    let corpus = c.load();
    let a = article(&corpus, "2024/08/08/daily/来源_文件.md");
    assert_eq!(
        (a.title.as_str(), a.source.as_str(), a.date),
        ("前言没有结束的文章", "来源", date("2024-08-08"))
    );
    assert_eq!(a.url, None);
    assert_eq!(a.derived, Derived { title: true, source: true, date: true });
}

#[test]
fn invalid_date_is_derived_and_a_date_time_is_cut_to_the_day() {
    let c = Dir::new();
    c.fixture("bad_date.md", "2025/03/02/daily/示例来源_日期无效.md");
    c.fixture("datetime.md", "2025/03/03/daily/示例来源_日期带时间.md");
    let corpus = c.load();
    let a = article(&corpus, "2025/03/02/daily/示例来源_日期无效.md");
    assert_eq!(a.date, date("2025-03-02"));
    assert_eq!(a.derived, Derived { title: false, source: false, date: true });
    let b = article(&corpus, "2025/03/03/daily/示例来源_日期带时间.md");
    assert_eq!(b.date, date("2024-03-08"));
    assert_eq!(b.derived, NOT_DERIVED);
}

#[test]
fn whitespace_in_fields_is_collapsed_to_single_spaces() {
    let c = Dir::new();
    c.fixture("whitespace.md", "w.md");
    let corpus = c.load();
    let a = article(&corpus, "w.md");
    assert_eq!(a.title, "标题里有 制表符 和 多个空格");
    assert_eq!(a.source, "前后有空格的来源");
    assert_eq!(a.date, date("2024-10-10"));
}

#[test]
fn empty_file_is_an_article_with_derived_fields() {
    let rel = "2024/12/31/daily/空文件来源_空文件.md";
    let c = Dir::new();
    c.fixture("empty.md", rel);
    let corpus = c.load();
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    let a = article(&corpus, rel);
    assert_eq!((a.title.as_str(), a.source.as_str(), a.date), ("空文件", "空文件来源", date("2024-12-31")));
    assert_eq!(read_body(&a.path).unwrap().text, "");
}

#[test]
fn front_matter_longer_than_the_first_read_is_still_parsed() {
    let summary = "长".repeat(12_000); // 36 KB: past the first read and past the strict-YAML cap
    let text = format!(
        "---\nsummary: {summary}\ntitle: 很长的前言\nurl: https://news.example/long/1\nsource: 示例来源\ndate: 2024-04-04\n---\n\n正文。\n"
    );
    let c = Dir::new();
    c.write("long.md", text);
    let corpus = c.load();
    let a = article(&corpus, "long.md");
    assert_eq!((a.title.as_str(), a.source.as_str(), a.date), ("很长的前言", "示例来源", date("2024-04-04")));
    assert_eq!(a.derived, NOT_DERIVED);
    assert_eq!(read_body(&a.path).unwrap().text.trim(), "正文。");
}

// ---------------------------------------------------------------- bodies

#[test]
fn raw_html_body_after_a_title_line_is_converted() {
    let c = Dir::new();
    c.fixture("html_body.md", "h.md");
    let corpus = c.load();
    let a = article(&corpus, "h.md");
    assert_eq!((a.title.as_str(), a.source.as_str()), ("原始 HTML 正文", "示例实验室"));
    let body = read_body(&a.path).unwrap();
    assert!(body.was_html);
    for want in ["竞争条件", "第一步", "第二步"] {
        assert!(body.text.contains(want), "{want} missing from {:?}", body.text);
    }
    for tag in ["<article", "<p>", "<!DOCTYPE", "margin:0", "tracking"] {
        assert!(!body.text.contains(tag), "{tag} left in {:?}", body.text);
    }
}

#[test]
fn html_file_without_front_matter_is_converted() {
    let c = Dir::new();
    c.fixture("raw_page.html", "saved/Saved page.html");
    let corpus = c.load();
    let a = article(&corpus, "saved/Saved page.html");
    assert_eq!((a.title.as_str(), a.source.as_str()), ("Saved page", "unknown"));
    let body = read_body(&a.path).unwrap();
    assert!(body.was_html);
    assert!(body.text.contains("Saved without front matter"), "{:?}", body.text);
    assert!(!body.text.contains("<body>"), "{:?}", body.text);
}

#[test]
fn markdown_body_is_not_taken_for_html() {
    let c = Dir::new();
    c.write("m.md", article_text("T", "https://x.example/1", "S", "2024-01-01", "text\n\n<html> inline"));
    let corpus = c.load();
    let body = read_body(&article(&corpus, "m.md").path).unwrap();
    assert!(!body.was_html);
    assert!(body.text.contains("<html> inline"));
}

// ---------------------------------------------------------------- all fixtures together

#[test]
fn every_fixture_loads_without_problems() {
    let files: Vec<_> = std::fs::read_dir(fixtures_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    let articles: Vec<_> = files
        .iter()
        .filter(|p| p.extension().and_then(|e| e.to_str()).is_some_and(|e| corpus::EXTENSIONS.contains(&e)))
        .collect();
    assert!(articles.len() >= 20, "fixtures went missing: {files:?}");
    let corpus = Corpus::load(&fixtures_dir()).unwrap();
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    let dropped: usize = corpus.duplicates.iter().map(|d| d.dropped.len()).sum();
    assert_eq!(corpus.articles.len() + dropped, articles.len());
    for a in &corpus.articles {
        assert!(!a.title.is_empty() && !a.source.is_empty(), "{a:?}");
        assert!(!a.title.contains(['\n', '\r', '\t']), "{a:?}");
        read_body(&a.path).unwrap();
    }
}
