//! The corpus loader against every quirk of the real archive: one hand-written fixture per quirk in
//! `tests/fixtures/corpus`, plus encodings, binary files and links generated here at test time.

#[path = "support/builder.rs"]
mod builder;

use builder::{TestCorpus, article, article_text, fixture_bytes, fixtures_dir};
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
    c.fixture("empty_fields.md", rel);
    let corpus = c.load();
    let a = article(&corpus, rel);
    assert_eq!((a.title.as_str(), a.source.as_str(), a.date), ("正文里的标题", "某来源", date("2024-05-07")));
    assert_eq!(a.derived, Derived { title: true, source: true, date: true });
    assert_eq!(a.url.as_deref(), Some("https://news.example/empty/1"));
}

#[test]
fn unknown_extra_keys_are_ignored() {
    let c = TestCorpus::new();
    c.fixture("extra_keys.md", "x.md");
    let corpus = c.load();
    let a = article(&corpus, "x.md");
    assert_eq!((a.title.as_str(), a.source.as_str(), a.date), ("多余的键", "示例来源", date("2025-03-01")));
    assert!(!a.yaml_fallback, "nested values in unknown keys must not force the fallback");
    assert_eq!(a.derived, NOT_DERIVED);
}

#[test]
fn no_front_matter_takes_the_first_heading_and_the_file_name() {
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
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
    let c = TestCorpus::new();
    c.write("m.md", article_text("T", "https://x.example/1", "S", "2024-01-01", "text\n\n<html> inline"));
    let corpus = c.load();
    let body = read_body(&article(&corpus, "m.md").path).unwrap();
    assert!(!body.was_html);
    assert!(body.text.contains("<html> inline"));
}

// ---------------------------------------------------------------- encodings (generated)

const ENCODED: &str = "---\ntitle: 勒索软件攻击事件分析\nurl: https://news.example/enc/1\nsource: 编码测试来源\ndate: 2024-11-11\n---\n\n# 勒索软件攻击事件分析\n\n攻击者在内网横向移动，加密了约 30% 的服务器。\n";

#[test]
fn gb18030_file_is_decoded() {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(ENCODED);
    assert!(!unmappable && std::str::from_utf8(&bytes).is_err());
    let c = TestCorpus::new();
    c.write("gb.md", &bytes);
    let corpus = c.load();
    let a = article(&corpus, "gb.md");
    assert_eq!(a.encoding, Encoding::Gb18030);
    assert_eq!(
        (a.title.as_str(), a.source.as_str(), a.date),
        ("勒索软件攻击事件分析", "编码测试来源", date("2024-11-11"))
    );
    assert!(read_body(&a.path).unwrap().text.contains("加密了约 30% 的服务器"));
}

#[test]
fn utf16_files_with_a_byte_order_mark_are_decoded() {
    let c = TestCorpus::new();
    let (mut le, mut be) = (vec![0xFF, 0xFE], vec![0xFE, 0xFF]);
    for unit in ENCODED.encode_utf16() {
        le.extend(unit.to_le_bytes());
    }
    for unit in ENCODED.replace("enc/1", "enc/2").encode_utf16() {
        be.extend(unit.to_be_bytes());
    }
    c.write("le.md", &le);
    c.write("be.md", &be);
    let corpus = c.load();
    assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
    for rel in ["le.md", "be.md"] {
        let a = article(&corpus, rel);
        assert_eq!(a.encoding, Encoding::Utf16, "{rel}");
        assert_eq!((a.title.as_str(), a.source.as_str()), ("勒索软件攻击事件分析", "编码测试来源"), "{rel}");
        let body = read_body(&a.path).unwrap().text;
        assert!(body.contains("加密了约 30% 的服务器"), "{rel}: {body:?}");
    }
}

#[test]
fn invalid_bytes_are_replaced_and_the_rest_kept() {
    let c = TestCorpus::new();
    let mut stray = ENCODED.replace("enc/1", "enc/2").into_bytes();
    stray.extend(b"\xFF\xFE\xFD tail\n");
    c.write("stray.md", &stray);
    // A multi-byte character cut short in the middle of Chinese text, as a truncating scraper leaves it.
    let cut =
        [&ENCODED.as_bytes()[..ENCODED.len() - 1], &"安".as_bytes()[..2], "全团队\n".as_bytes()].concat();
    c.write("cut.md", &cut);
    // Pure CJK lines: with one cut character these bytes are also "valid" GB18030, as mojibake.
    let cjk = [
        "---\ntitle: 标题\nurl: https://news.example/enc/3\n---\n加密了约 30% 的服务器安全".as_bytes(),
        &"安".as_bytes()[..2],
        "\n更多内容\n".as_bytes(),
    ]
    .concat();
    assert!(encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(&cjk).is_some());
    c.write("cjk.md", &cjk);
    let corpus = c.load();
    for rel in ["stray.md", "cut.md", "cjk.md"] {
        let a = article(&corpus, rel);
        assert_eq!(a.encoding, Encoding::Lossy, "{rel}");
        assert!(["勒索软件攻击事件分析", "标题"].contains(&a.title.as_str()), "{rel}: {}", a.title);
        let body = read_body(&a.path).unwrap().text;
        assert!(body.contains("加密了约 30% 的服务器"), "{rel}: {body:?}");
        assert!(body.contains('\u{FFFD}'), "{rel}: {body:?}");
    }
    assert!(read_body(&c.path("cut.md")).unwrap().text.contains("全团队"));
}

// ---------------------------------------------------------------- problems (generated)

#[test]
fn binary_file_is_reported_not_loaded() {
    let c = TestCorpus::new();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0".to_vec();
    png.extend(std::iter::repeat_n(0u8, 300));
    c.write("2024/01/01/daily/x_image.md", &png);
    c.write("ok.md", article_text("T", "https://x.example/1", "S", "2024-01-01", "b"));
    let corpus = c.load();
    assert_eq!(corpus.articles.len(), 1);
    assert_eq!(corpus.problems.len(), 1);
    let p = &corpus.problems[0];
    assert_eq!(
        (p.path.as_path(), p.kind),
        (c.path("2024/01/01/daily/x_image.md").as_path(), ProblemKind::Binary)
    );
    assert_eq!(p.reason, "binary content");
    assert!(load_file(&p.path).is_err());
}

#[cfg(unix)]
#[test]
fn dangling_symlink_is_reported() {
    let c = TestCorpus::new();
    c.symlink("/nonexistent/yuedu/gone.md", "2024/01/01/daily/gone.md");
    c.write("ok.md", article_text("T", "https://x.example/1", "S", "2024-01-01", "b"));
    let corpus = c.load();
    assert_eq!(corpus.articles.len(), 1);
    assert_eq!(corpus.problems.len(), 1, "{:?}", corpus.problems);
    let p = &corpus.problems[0];
    assert_eq!((p.path.clone(), p.kind), (c.path("2024/01/01/daily/gone.md"), ProblemKind::DanglingSymlink));
    assert_eq!(p.reason, "dangling symlink");
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported() {
    let c = TestCorpus::new();
    c.symlink("b.md", "a.md");
    c.symlink("a.md", "b.md");
    c.write("sub/ok.md", article_text("T", "https://x.example/1", "S", "2024-01-01", "b"));
    c.symlink("..", "sub/up");
    let corpus = c.load();
    assert_eq!(corpus.articles.len(), 1, "the folder loop must not load ok.md twice: {:?}", corpus.articles);
    let kinds: Vec<_> = corpus.problems.iter().map(|p| (p.path.clone(), p.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (c.path("a.md"), ProblemKind::SymlinkLoop),
            (c.path("b.md"), ProblemKind::SymlinkLoop),
            (c.path("sub/up"), ProblemKind::SymlinkLoop),
        ]
    );
    assert!(corpus.problems.iter().all(|p| p.reason == "symlink loop"));
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let c = TestCorpus::new();
    let path = c.fixture("crlf.md", "locked.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        eprintln!("skipped: permission bits do not stop this user (root?) from reading {}", path.display());
        return;
    }
    let corpus = c.load();
    assert!(corpus.articles.is_empty());
    assert_eq!(corpus.problems.len(), 1);
    assert_eq!(
        (corpus.problems[0].kind, corpus.problems[0].reason.as_str()),
        (ProblemKind::PermissionDenied, "permission denied")
    );
}

#[test]
fn missing_or_file_root_is_an_error() {
    let c = TestCorpus::new();
    let file = c.write("f.md", "x");
    assert!(matches!(Corpus::load(&c.path("nope")), Err(CorpusError::Missing(_))));
    assert!(matches!(Corpus::load(&file), Err(CorpusError::NotAFolder(_))));
    assert_eq!(
        Corpus::load(&c.path("nope")).unwrap_err().to_string(),
        format!("corpus folder {} does not exist", c.path("nope").display())
    );
}

#[test]
fn only_article_extensions_outside_hidden_folders_are_loaded() {
    let c = TestCorpus::new();
    for (i, rel) in ["a.md", "b.markdown", "c.txt", "d.html", "e.htm", "F.MD"].iter().enumerate() {
        c.write(rel, article_text("T", &format!("https://x.example/{i}"), "S", "2024-01-01", "b"));
    }
    for rel in ["g.json", "h.jpg", "README", ".git/i.md", "notes/.hidden/j.md"] {
        c.write(rel, article_text("T", &format!("https://y.example/{rel}"), "S", "2024-01-01", "b"));
    }
    let corpus = c.load();
    let mut names: Vec<_> = corpus
        .articles
        .iter()
        .map(|a| a.path.strip_prefix(c.root()).unwrap().display().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["F.MD", "a.md", "b.markdown", "c.txt", "d.html", "e.htm"]);
}

// ---------------------------------------------------------------- duplicates

#[test]
fn duplicate_urls_keep_the_largest_copy() {
    let c = TestCorpus::new();
    let full = c.fixture("dup_full.md", "2024/09/01/daily/示例公众号_重复抓取的文章.md");
    let cut = c.fixture("dup_truncated.md", "2024/09/02/daily/示例公众号_重复抓取的文章.md");
    let corpus = c.load();
    assert_eq!(corpus.articles.len(), 1);
    assert_eq!(corpus.articles[0].path, full, "the larger file wins over the later fetch");
    assert_eq!(corpus.duplicates.len(), 1);
    let d = &corpus.duplicates[0];
    assert_eq!((&d.kept, &d.dropped), (&full, &vec![cut]));
    assert_eq!(d.id, corpus.articles[0].id);
}

#[test]
fn equal_size_duplicates_keep_the_latest_fetch() {
    let (old, new) = (fixture_bytes("dup_tie_old.md"), fixture_bytes("dup_tie_new.md"));
    assert_eq!(old.len(), new.len(), "fixtures must be the same size for this test");
    let c = TestCorpus::new();
    let old_path = c.fixture("dup_tie_old.md", "a/old.md");
    let new_path = c.fixture("dup_tie_new.md", "b/new.md");
    let corpus = c.load();
    assert_eq!(corpus.articles.len(), 1);
    assert_eq!(corpus.articles[0].path, new_path);
    assert_eq!(corpus.articles[0].fetch_date.as_deref(), Some("2025-10-07T10:00:00.000000"));
    assert_eq!(corpus.duplicates[0].dropped, vec![old_path]);
}

#[test]
fn identical_duplicates_keep_the_first_path() {
    let c = TestCorpus::new();
    let b = c.fixture("dup_tie_old.md", "b/copy.md");
    let a = c.fixture("dup_tie_old.md", "a/copy.md");
    let z = c.fixture("dup_tie_old.md", "z/copy.md");
    let corpus = c.load();
    assert_eq!(corpus.articles.len(), 1);
    assert_eq!(corpus.articles[0].path, a);
    assert_eq!(corpus.duplicates[0].dropped, vec![b, z]);
}

// ---------------------------------------------------------------- ids and order

#[test]
fn url_ids_survive_moving_and_renaming_the_file() {
    let c = TestCorpus::new();
    c.fixture("colon_title.md", "2025/04/12/daily/示例安全通告_旧名字.md");
    let before = c.load().articles[0].clone();
    assert_eq!(before.id, ArticleId::from_url("https://news.example/vuln/2025/0412?id=7&lang=zh"));
    c.rename("2025/04/12/daily/示例安全通告_旧名字.md", "archive/elsewhere/renamed.md");
    let after = c.load();
    assert_eq!(after.articles.len(), 1);
    assert_eq!(after.articles[0].id, before.id);
    assert_eq!(after.articles[0].title, before.title);
    // The same file under another corpus root keeps its id too.
    let other = TestCorpus::new();
    other.fixture("colon_title.md", "x.md");
    assert_eq!(other.load().articles[0].id, before.id);
}

#[test]
fn ids_ignore_tracking_parameters_and_fragments() {
    let c = TestCorpus::new();
    c.fixture("dup_full.md", "a.md");
    c.fixture("dup_truncated.md", "b.md");
    let corpus = c.load();
    assert_eq!(corpus.articles.len(), 1, "chksm, scene and #rd must not make two articles");
    assert_eq!(
        corpus.articles[0].id,
        ArticleId::from_url("https://mp.weixin.qq.com/s?__biz=MzDemo==&mid=100&idx=1&sn=abc")
    );
}

#[test]
fn articles_without_url_are_named_by_their_path_below_the_root() {
    let (c1, c2) = (TestCorpus::new(), TestCorpus::new());
    c1.fixture("no_front_matter.md", "notes/n.md");
    c2.fixture("no_front_matter.md", "notes/n.md");
    let id = c1.load().articles[0].id;
    assert_eq!(id, ArticleId::from_relative_path("notes/n.md"));
    assert_eq!(c2.load().articles[0].id, id, "the root's location must not change the id");
    c1.rename("notes/n.md", "notes/m.md");
    assert_ne!(c1.load().articles[0].id, id, "without a URL the path is the identity");
}

#[test]
fn articles_are_newest_first_and_found_by_id_prefix() {
    let c = TestCorpus::new();
    for (i, d) in ["2024-03-01", "2025-01-17", "2024-11-30"].iter().enumerate() {
        c.write(
            &format!("{i}.md"),
            article_text(&format!("T{i}"), &format!("https://x.example/{i}"), "S", d, "b"),
        );
    }
    let corpus = c.load();
    let dates: Vec<String> = corpus.articles.iter().map(|a| a.date.to_string()).collect();
    assert_eq!(dates, ["2025-01-17", "2024-11-30", "2024-03-01"]);
    let a = &corpus.articles[1];
    let id = a.id.to_string();
    assert_eq!(corpus.find(&id).unwrap().path, a.path);
    assert_eq!(corpus.find(&id[..6].to_uppercase()).unwrap().path, a.path);
    assert!(corpus.find("ab").is_err());
    assert!(corpus.find("not-hex").is_err());
}

#[test]
fn load_file_alone_derives_the_same_fields() {
    let c = TestCorpus::new();
    let path = c.fixture("missing_fields.md", "2024/05/06/daily/示例来源_只有标题和链接.md");
    let alone = load_file(&path).unwrap();
    let in_corpus = c.load().articles[0].clone();
    assert_eq!(alone, in_corpus);
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
