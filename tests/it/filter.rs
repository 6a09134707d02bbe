//! The filter rules through the public API: fuzzy, smart case, NFKC, pinyin, fields, ranking.

use rayon::prelude::*;
use yuedu::corpus::Date;
use yuedu::filter::{FilterError, Hit, Prepared, Query, Record, filter, highlight, prepare_all};

struct Row {
    title: &'static str,
    source: &'static str,
    date: (u16, u8, u8),
    tags: Vec<String>,
}

fn row(title: &'static str, date: (u16, u8, u8)) -> Row {
    Row { title, source: "FreeBuf", date, tags: Vec::new() }
}

fn records(rows: &[Row]) -> Vec<Record<'_>> {
    rows.iter()
        .map(|r| Record {
            title: r.title,
            source: r.source,
            date: Date::new(r.date.0, r.date.1, r.date.2).unwrap(),
            tags: &r.tags,
            entities: &[],
        })
        .collect()
}

fn run(q: &str, rows: &[Row]) -> Vec<Hit> {
    let recs = records(rows);
    let prepared = prepare_all(&recs);
    filter(&Query::parse(q).unwrap(), &recs, &prepared, None)
}

/// Titles of the hits, best first.
fn titles(q: &str, rows: &[Row]) -> Vec<&'static str> {
    run(q, rows).iter().map(|h| rows[h.index].title).collect()
}

/// The highlighted chars of the first hit.
fn marked(q: &str, title: &'static str) -> String {
    let rows = [row(title, (2024, 1, 1))];
    let hits = run(q, &rows);
    assert_eq!(hits.len(), 1, "{q:?} should match {title:?}");
    let recs = records(&rows);
    let positions = highlight(&Query::parse(q).unwrap(), &recs[0]);
    let chars: Vec<char> = title.chars().collect();
    positions.iter().map(|&i| chars[i]).collect()
}

fn matches(q: &str, title: &'static str) -> bool {
    !run(q, &[row(title, (2024, 1, 1))]).is_empty()
}

#[test]
fn fuzzy_latin_words() {
    assert!(matches("ransomware", "New LockBit Ransomware Variant"));
    assert!(matches("rnsmwr", "New LockBit Ransomware Variant"));
    assert!(!matches("ransomware", "New LockBit Variant"));
    assert_eq!(marked("lbit", "LockBit 3.0"), "LBit");
}

#[test]
fn smart_case_per_term() {
    assert!(matches("cve", "CVE-2024-3094 in xz"));
    assert!(matches("CVE", "CVE-2024-3094 in xz"));
    assert!(!matches("CVE", "cve-2024-3094 in xz"));
    // Each term decides on its own: `XZ` is exact-case, `cve` is not.
    assert!(matches("cve xz", "CVE-2024-3094 in xz"));
    assert!(!matches("cve XZ", "CVE-2024-3094 in xz"));
}

#[test]
fn every_term_must_match() {
    let rows = [
        row("Linux ransomware spreads", (2024, 1, 1)),
        row("Windows ransomware spreads", (2024, 1, 2)),
        row("Linux kernel patch", (2024, 1, 3)),
    ];
    assert_eq!(titles("ransomware linux", &rows), ["Linux ransomware spreads"]);
    assert_eq!(titles("  linux   ", &rows).len(), 2);
}

#[test]
fn nfkc_fullwidth_matches_ascii_and_back() {
    assert!(matches("cve", "ＣＶＥ-2024-1234 漏洞通告"));
    assert_eq!(marked("cve", "ＣＶＥ-2024-1234 漏洞通告"), "ＣＶＥ");
    assert!(matches("ＣＶＥ", "CVE-2024-1234"));
    assert!(matches("１２３４", "CVE-2024-1234"));
    // The fi ligature expands to two chars; the highlight is the one original char.
    assert_eq!(marked("fix", "ﬁx released"), "ﬁx");
}

#[test]
fn pinyin_initials() {
    assert!(matches("lsrj", "新型勒索软件攻击医院"));
    assert_eq!(marked("lsrj", "新型勒索软件攻击医院"), "勒索软件");
    assert!(matches("wx", "微信支付漏洞分析"));
    assert_eq!(marked("wx", "微信支付漏洞分析"), "微信");
    assert!(!matches("lsrjz", "勒索软件"));
}

#[test]
fn pinyin_full_syllables() {
    assert!(matches("lesuo", "勒索团伙新动向"));
    assert_eq!(marked("lesuo", "勒索团伙新动向"), "勒索");
    assert!(matches("lesuoruanjian", "勒索软件"));
    assert!(matches("lesrj", "勒索软件"));
    assert!(!matches("lesuox", "勒索"));
}

#[test]
fn pinyin_heteronyms_any_reading() {
    assert_eq!(marked("yh", "某银行遭遇钓鱼"), "银行");
    assert_eq!(marked("cq", "重庆警方破获案件"), "重庆");
    assert_eq!(marked("ct", "长亭科技发布报告"), "长亭");
    assert!(matches("yinhang", "某银行遭遇钓鱼"));
    assert!(matches("chongqing", "重庆警方"));
    assert!(matches("zhong", "重要通知"));
}

#[test]
fn mixed_chinese_latin_queries() {
    assert_eq!(marked("勒索rj", "警惕勒索软件"), "勒索软件");
    assert_eq!(marked("cveld", "CVE-2024 高危漏洞"), "CVE漏洞");
    assert!(matches("lockbit lsrj", "LockBit 勒索软件 3.0"));
    assert!(matches("勒索 lockbit", "LockBit 勒索软件 3.0"));
}

#[test]
fn chinese_query_matches_chinese_title() {
    let rows = [row("勒索软件攻击", (2024, 1, 1)), row("钓鱼攻击", (2024, 1, 2))];
    assert_eq!(titles("勒索", &rows), ["勒索软件攻击"]);
    assert_eq!(marked("勒索", "新型勒索软件"), "勒索");
}

#[test]
fn uppercase_terms_do_not_match_by_pinyin() {
    assert!(!matches("LSRJ", "勒索软件"));
}

#[test]
fn field_terms_source_tag_date() {
    let mut rows = vec![
        Row { title: "a one", source: "FreeBuf网络安全行业门户", date: (2024, 1, 15), tags: vec![] },
        Row { title: "a two", source: "安全客", date: (2024, 3, 31), tags: vec!["ioc".into()] },
        Row {
            title: "a three",
            source: "The Hacker News",
            date: (2024, 6, 1),
            tags: vec!["Follow-Up".into()],
        },
        Row { title: "a four", source: "The Record", date: (2023, 12, 31), tags: vec![] },
    ];
    rows[0].tags.push("ioc".into());
    let t = |q: &str| titles(q, &rows);
    assert_eq!(t("source:freebuf"), ["a one"]);
    assert_eq!(t("source:安全"), ["a two", "a one"]);
    assert_eq!(t(r#"source:"hacker news""#), ["a three"]);
    assert_eq!(t("source:record,安全客"), ["a two", "a four"]);
    assert_eq!(t("tag:IOC"), ["a two", "a one"]);
    assert_eq!(t("tag:follow-up"), ["a three"]);
    assert_eq!(t("tag:follow"), Vec::<&str>::new());
    assert_eq!(t("date:2024-01..2024-03"), ["a two", "a one"]);
    assert_eq!(t("date:2024-03-31"), ["a two"]);
    assert_eq!(t("date:2024"), ["a three", "a two", "a one"]);
    assert_eq!(t("date:2024-06.."), ["a three"]);
    assert_eq!(t("date:..2024-01"), ["a one", "a four"]);
    assert_eq!(t("date:2024 tag:ioc source:free"), ["a one"]);
}

#[test]
fn exclusions() {
    let rows = [
        Row {
            title: "LockBit 勒索软件", source: "安全客", date: (2024, 1, 1), tags: vec!["ioc".into()]
        },
        Row { title: "Phishing kit sold", source: "FreeBuf", date: (2024, 1, 2), tags: vec![] },
        Row { title: "Lazarus phishing", source: "The Record", date: (2024, 1, 3), tags: vec![] },
    ];
    let t = |q: &str| titles(q, &rows);
    assert_eq!(t("-lockbit"), ["Lazarus phishing", "Phishing kit sold"]);
    assert_eq!(t("phishing -kit"), ["Lazarus phishing"]);
    assert_eq!(t("-source:freebuf"), ["Lazarus phishing", "LockBit 勒索软件"]);
    assert_eq!(t("-tag:ioc"), ["Lazarus phishing", "Phishing kit sold"]);
    assert_eq!(t("-date:2024-01-02"), ["Lazarus phishing", "LockBit 勒索软件"]);
    // A Latin exclusion drops Chinese titles by contiguous pinyin, not by scattered letters.
    assert_eq!(t("-lsrj"), ["Lazarus phishing", "Phishing kit sold"]);
    assert_eq!(t("-勒索"), ["Lazarus phishing", "Phishing kit sold"]);
    // Exclusion is a substring test, not fuzzy: "lp" is in no title as such.
    assert_eq!(t("-lp").len(), 3);
}

#[test]
fn quoted_phrases_are_contiguous() {
    let rows = [row("lock bit", (2024, 1, 1)), row("lock the bit", (2024, 1, 2))];
    assert_eq!(titles("\"lock bit\"", &rows), ["lock bit"]);
    assert_eq!(titles("lock bit", &rows).len(), 2);
    assert_eq!(marked("\"lesuo\"", "新勒索软件"), "勒索");
    assert!(!matches("\"lsrj\"", "勒索的软件"));
}

#[test]
fn better_matches_rank_first() {
    let rows = [
        row("the rest of a long announcement with some words", (2024, 5, 1)),
        row("Ransomware hits hospital", (2024, 1, 1)),
        row("Ransom demands rise as malware wave returns", (2024, 6, 1)),
        row("Russia and its Smart Offensive on the Middle West and rest", (2024, 7, 1)),
    ];
    assert_eq!(
        titles("ransomware", &rows),
        [
            "Ransomware hits hospital",
            "Ransom demands rise as malware wave returns",
            "Russia and its Smart Offensive on the Middle West and rest"
        ]
    );
}

#[test]
fn ties_rank_newest_first() {
    let rows = [
        row("Ransomware report", (2023, 1, 1)),
        row("Ransomware report", (2024, 7, 1)),
        row("Ransomware report", (2024, 2, 1)),
    ];
    let hits = run("ransomware", &rows);
    assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), [1, 2, 0]);
    assert!(hits.windows(2).all(|w| w[0].score == w[1].score));
    // Pinyin ties too.
    let rows = [row("勒索软件", (2022, 1, 1)), row("勒索软件", (2025, 1, 1))];
    assert_eq!(run("lsrj", &rows).iter().map(|h| h.index).collect::<Vec<_>>(), [1, 0]);
}

#[test]
fn field_only_queries_keep_date_order() {
    let rows = [row("b", (2023, 5, 1)), row("a", (2024, 5, 1)), row("c", (2022, 5, 1))];
    let hits = run("source:freebuf", &rows);
    assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), [1, 0, 2]);
    assert!(hits.iter().all(|h| h.score == 0));
    let recs = records(&rows);
    let q = Query::parse("source:freebuf").unwrap();
    assert!(recs.iter().all(|r| highlight(&q, r).is_empty()));
    assert_eq!(run("", &rows).len(), 3);
}

#[test]
fn within_limits_the_search() {
    let rows =
        [row("ransomware a", (2024, 1, 1)), row("ransomware b", (2024, 1, 2)), row("other", (2024, 1, 3))];
    let recs = records(&rows);
    let prepared = prepare_all(&recs);
    let q = Query::parse("ransomware").unwrap();
    let hits = filter(&q, &recs, &prepared, Some(&[0, 2, 2, 99]));
    assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), [0]);
}

#[test]
fn missing_prepared_is_computed() {
    let rows = [row("勒索软件", (2024, 1, 1))];
    let recs = records(&rows);
    let q = Query::parse("lsrj").unwrap();
    assert_eq!(filter(&q, &recs, &Prepared::default(), None).len(), 1);
    // Only the first title prepared: the second is prepared on the spot.
    let rows = [row("ＣＶＥ 勒索软件", (2024, 1, 1)), row("ＣＶＥ 勒索软件", (2023, 1, 1))];
    let recs = records(&rows);
    let first = Prepared::new(recs[..1].par_iter().map(|r| (r.title, r.date)));
    assert_eq!(filter(&Query::parse("cve lsrj").unwrap(), &recs, &first, None).len(), 2);
}

#[test]
fn reused_preparation_equals_a_fresh_one() {
    let d = |y| Date::new(y, 1, 1).unwrap();
    let old = [("ＣＶＥ-2024 漏洞", d(2020)), ("plain title", d(2021)), ("勒索软件（二）", d(2022))];
    // Titles moved and one date changed: dates always come from the new side.
    let new = [
        ("new ＡＰＴ report", d(2024)),
        ("ＣＶＥ-2024 漏洞", d(2020)),
        ("勒索软件（二）", d(2023)),
        ("plain title", d(2021)),
    ];
    let old = Prepared::new(old.par_iter().copied());
    let fresh = Prepared::new(new.par_iter().copied());
    let reused = Prepared::reusing(new.par_iter().copied(), &old, &[None, Some(0), Some(2), Some(1)]);
    assert_eq!(reused, fresh);
    // An index past the old data is prepared afresh rather than trusted.
    assert_eq!(Prepared::reusing(new.par_iter().copied(), &old, &[Some(9), Some(0), None, None]), fresh);
}

#[test]
fn incremental_search_over_previous_hits_gives_the_same_result() {
    let rows = [
        row("勒索软件攻击", (2024, 1, 1)),
        row("LockBit ransomware", (2024, 1, 2)),
        row("Linux 内核漏洞", (2024, 1, 3)),
        row("Lazarus 组织", (2024, 1, 4)),
        row("乐视数据泄露", (2024, 1, 5)),
    ];
    let recs = records(&rows);
    let prepared = prepare_all(&recs);
    let typed = "lesuo rj";
    let mut prev = Query::parse("").unwrap();
    let mut prev_hits: Vec<usize> = (0..rows.len()).collect();
    for end in 1..=typed.len() {
        let q = Query::parse(&typed[..end]).unwrap();
        assert!(q.narrows(&prev), "{:?}", &typed[..end]);
        let full = filter(&q, &recs, &prepared, None);
        let inc = filter(&q, &recs, &prepared, Some(&prev_hits));
        assert_eq!(full, inc, "{:?}", &typed[..end]);
        prev_hits = full.iter().map(|h| h.index).collect();
        prev = q;
    }
    assert_eq!(prev_hits, [0]);
}

#[test]
fn bad_syntax_is_a_one_line_error() {
    let e = Query::parse("ransomware date:2024-13").unwrap_err();
    assert!(matches!(e, FilterError::BadDate { .. }));
    assert_eq!(e.to_string(), "date:2024-13: month \"13\" must be 01 to 12");
    assert!(Query::parse("date:2024-02-30").is_err());
    assert!(Query::parse("date:2024-06..2024-01").is_err());
    assert!(Query::parse("-date:nope").is_err());
}

#[test]
fn is_empty() {
    assert!(Query::parse("").unwrap().is_empty());
    assert!(Query::parse("   ").unwrap().is_empty());
    assert!(!Query::parse("x").unwrap().is_empty());
    assert!(!Query::parse("tag:x").unwrap().is_empty());
}

#[test]
fn very_long_terms_still_match() {
    let long: &'static str = "averyveryverylongwordthatgoesonandonforwellovera-sixty-four-char-limit";
    assert!(long.chars().count() > 64);
    let title: &'static str =
        "prefix averyveryverylongwordthatgoesonandonforwellovera-sixty-four-char-limit suffix";
    assert_eq!(marked(long, title), long);
    assert!(!matches(long, "prefix only"));
}
