//! The corpus loader on files generated at test time: encodings, binary content, links and
//! permissions, duplicates, ids and order.

use super::*;

// ---------------------------------------------------------------- encodings (generated)

const ENCODED: &str = "---\ntitle: 勒索软件攻击事件分析\nurl: https://news.example/enc/1\nsource: 编码测试来源\ndate: 2024-11-11\n---\n\n# 勒索软件攻击事件分析\n\n攻击者在内网横向移动，加密了约 30% 的服务器。\n";

#[test]
fn gb18030_file_is_decoded() {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(ENCODED);
    assert!(!unmappable && std::str::from_utf8(&bytes).is_err());
    let c = Dir::new();
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
    let c = Dir::new();
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
    let c = Dir::new();
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
    let c = Dir::new();
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
    let c = Dir::new();
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
    let c = Dir::new();
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
    let c = Dir::new();
    let path = c.fixture("crlf.md", "locked.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let corpus = c.load();
    if std::fs::read(&path).is_ok() {
        // Permission bits do not stop this user (root): the file is then an ordinary article.
        assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
        assert_eq!(article(&corpus, "locked.md").path, path);
        return;
    }
    assert!(corpus.articles.is_empty());
    assert_eq!(corpus.problems.len(), 1);
    assert_eq!(
        (corpus.problems[0].kind, corpus.problems[0].reason.as_str()),
        (ProblemKind::PermissionDenied, "permission denied")
    );
}

#[test]
fn missing_or_file_root_is_an_error() {
    let c = Dir::new();
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
    let c = Dir::new();
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
    let c = Dir::new();
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
    let c = Dir::new();
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
    let c = Dir::new();
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
    let c = Dir::new();
    c.fixture("colon_title.md", "2025/04/12/daily/示例安全通告_旧名字.md");
    let before = c.load().articles[0].clone();
    assert_eq!(before.id, ArticleId::from_url("https://news.example/vuln/2025/0412?id=7&lang=zh"));
    c.rename("2025/04/12/daily/示例安全通告_旧名字.md", "archive/elsewhere/renamed.md");
    let after = c.load();
    assert_eq!(after.articles.len(), 1);
    assert_eq!(after.articles[0].id, before.id);
    assert_eq!(after.articles[0].title, before.title);
    // The same file under another corpus root keeps its id too.
    let other = Dir::new();
    other.fixture("colon_title.md", "x.md");
    assert_eq!(other.load().articles[0].id, before.id);
}

#[test]
fn ids_ignore_tracking_parameters_and_fragments() {
    let c = Dir::new();
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
    let (c1, c2) = (Dir::new(), Dir::new());
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
    let c = Dir::new();
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
    let c = Dir::new();
    let path = c.fixture("missing_fields.md", "2024/05/06/daily/示例来源_只有标题和链接.md");
    let alone = load_file(&path).unwrap();
    let in_corpus = c.load().articles[0].clone();
    assert_eq!(alone, in_corpus);
}
