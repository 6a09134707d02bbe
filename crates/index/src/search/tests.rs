//! Search index tests on fixture articles: matching, phrases, identifiers, ranking, field terms,
//! incremental updates and fault handling.

use std::path::Path;

use super::*;

const FILLER: &str = "这是一段用来凑够正文长度的说明文字，和查询无关，只为让清理规则把它当成正文保留下来。";

fn write(root: &Path, name: &str, title: &str, source: &str, date: &str, body: &str) {
    let text = format!(
        "---\ntitle: {title}\nurl: https://example.test/{name}\nsource: {source}\ndate: {date}\n---\n\n{FILLER}\n\n{body}\n\n{FILLER}\n"
    );
    std::fs::write(root.join(name), text).unwrap();
}

struct Fixture {
    root: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let f = Fixture { root: tempfile::tempdir().unwrap(), cache: tempfile::tempdir().unwrap() };
        let r = f.root.path();
        write(
            r,
            "a.md",
            "勒索软件攻击物流公司",
            "安全观察",
            "2024-05-01",
            "攻击者部署勒索软件，加密了调度系统。",
        );
        write(
            r,
            "b.md",
            "漏洞通告",
            "漏洞情报",
            "2024-04-12",
            "Palo Alto 修复 CVE-2024-3400，攻击者从 45.77.12.34 回连。",
        );
        write(
            r,
            "c.md",
            "Volt Typhoon targets utilities",
            "ThreatLedger",
            "2023-01-09",
            "The Volt Typhoon group used T1059.001 and living off the land.",
        );
        write(
            r,
            "d.md",
            "勒索与软件",
            "安全观察",
            "2024-06-01",
            "先说勒索，再说一段别的话，最后才提到软件供应商。",
        );
        write(
            r,
            "e.md",
            "样本分析",
            "威胁猎人",
            "2022-03-03",
            "样本哈希 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08，银狐木马变种。",
        );
        write(
            r,
            "f.md",
            "Typhoon season",
            "ThreatLedger",
            "2025-01-01",
            "A typhoon hit the coast; the volt meter broke.",
        );
        f
    }

    fn update(&self) -> (SearchIndex, PassReport) {
        let (corpus, _) = corpus::cache::load(self.root.path(), self.cache.path()).unwrap();
        let mut ix =
            SearchIndex::open_for_update(self.root.path(), self.cache.path(), Tuning::default()).unwrap();
        let report = ix.update(&corpus, self.cache.path(), &Progress::hidden()).unwrap();
        (ix, report)
    }

    fn open(&self) -> Option<SearchIndex> {
        SearchIndex::open(self.root.path(), self.cache.path(), Tuning::default())
    }
}

fn titles(ix: &SearchIndex, q: &str) -> Vec<String> {
    let q = SearchQuery::parse(q).unwrap();
    ix.search(&q, 10, HashMap::new()).unwrap().hits.into_iter().map(|h| h.title).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn finds_words_inside_cjk_runs_and_keeps_runs_as_phrases() {
    let f = Fixture::new();
    let (ix, report) = f.update();
    assert_eq!(report.read, 6);
    assert_eq!(sorted(titles(&ix, "勒索")), ["勒索与软件", "勒索软件攻击物流公司"]);
    // 勒索软件 is one run: 勒索…软件 far apart does not match.
    assert_eq!(titles(&ix, "勒索软件"), ["勒索软件攻击物流公司"]);
    assert_eq!(titles(&ix, "银狐"), ["样本分析"]);
    assert_eq!(titles(&ix, "狐"), ["样本分析"]);
}

#[test]
fn identifiers_are_found_whole_in_any_case_and_width() {
    let f = Fixture::new();
    let (ix, _) = f.update();
    for q in ["CVE-2024-3400", "cve-2024-3400", "ＣＶＥ-2024-3400", "45.77.12.34", "3400"] {
        assert_eq!(titles(&ix, q), ["漏洞通告"], "{q}");
    }
    assert!(titles(&ix, "CVE-2024-34").is_empty());
    assert_eq!(titles(&ix, "t1059.001"), ["Volt Typhoon targets utilities"]);
    assert_eq!(titles(&ix, "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"), ["样本分析"]);
}

#[test]
fn phrases_or_exclusions_and_fields() {
    let f = Fixture::new();
    let (ix, _) = f.update();
    assert_eq!(titles(&ix, "\"volt typhoon\""), ["Volt Typhoon targets utilities"]);
    // Words need not be adjacent; the newer article ranks below the one with both in its title.
    assert_eq!(sorted(titles(&ix, "volt typhoon")), ["Typhoon season", "Volt Typhoon targets utilities"]);
    assert_eq!(sorted(titles(&ix, "银狐 OR 45.77.12.34")), ["样本分析", "漏洞通告"]);
    assert_eq!(titles(&ix, "勒索 -软件供应商"), ["勒索软件攻击物流公司"]);
    assert_eq!(titles(&ix, "勒索 date:2024-06"), ["勒索与软件"]);
    assert_eq!(titles(&ix, "typhoon -source:threatledger"), Vec::<String>::new());
    assert_eq!(sorted(titles(&ix, "source:观察")), ["勒索与软件", "勒索软件攻击物流公司"]);
    let q = SearchQuery::parse("勒索 tag:跟进").unwrap();
    let id = ix.search(&SearchQuery::parse("勒索软件").unwrap(), 1, HashMap::new()).unwrap().hits[0].id;
    let tags = HashMap::from([(id.0, vec!["跟进".to_string()])]);
    let r = ix.search(&q, 10, tags).unwrap();
    assert_eq!((r.total, r.hits[0].title.as_str()), (1, "勒索软件攻击物流公司"));
}

#[test]
fn hits_carry_their_article_and_count_beyond_the_limit() {
    let f = Fixture::new();
    let (ix, _) = f.update();
    let q = SearchQuery::parse("勒索").unwrap();
    let r = ix.search(&q, 1, HashMap::new()).unwrap();
    assert_eq!((r.total, r.hits.len()), (2, 1));
    let h = &r.hits[0];
    assert!(h.path.ends_with("a.md") || h.path.ends_with("d.md"));
    assert!(h.url.as_deref().is_some_and(|u| u.starts_with("https://example.test/")));
    assert_eq!(ix.search(&q, 0, HashMap::new()).unwrap().total, 2);
    let s = ix.snippet(
        &SearchQuery::parse("CVE-2024-3400").unwrap(),
        &ix.search(&SearchQuery::parse("cve-2024-3400").unwrap(), 1, HashMap::new()).unwrap().hits[0],
    );
    assert!(s.text.contains("CVE-2024-3400"), "{s:?}");
    assert_eq!(s.matches.len(), 1);
}

#[test]
fn updates_read_only_what_changed_and_the_head_says_when_current() {
    let f = Fixture::new();
    let (ix, _) = f.update();
    drop(ix);
    let ix = f.open().unwrap();
    assert!(ix.is_current(f.cache.path()));
    assert_eq!(f.update().1.read, 0);
    std::thread::sleep(std::time::Duration::from_millis(20));
    write(f.root.path(), "g.md", "新文章", "安全观察", "2024-07-01", "新的勒索事件。");
    std::fs::remove_file(f.root.path().join("f.md")).unwrap();
    assert!(!f.open().unwrap().is_current(f.cache.path()));
    let (ix, report) = f.update();
    assert_eq!((report.read, report.removed), (1, 1));
    assert_eq!(sorted(titles(&ix, "勒索")).len(), 3);
    assert!(titles(&ix, "coast").is_empty());
    assert_eq!(ix.len(), 6);
}

#[test]
fn a_damaged_or_half_written_index_is_rebuilt_and_a_killed_build_resumes() {
    let f = Fixture::new();
    let (ix, _) = f.update();
    let dir = ix.dir.clone();
    drop(ix);
    // The head says generation 99, tantivy's commit says less: not trusted.
    let mut head = meta::read_head(&dir, f.root.path()).unwrap();
    head.generation = 99;
    meta::write_head(&dir, &head).unwrap();
    assert!(f.open().is_none());
    assert_eq!(f.update().1.read, 6);
    // Garbage in tantivy's meta.json: rebuilt.
    std::fs::write(dir.join("meta.json"), b"{not json").unwrap();
    assert!(f.open().is_none());
    assert_eq!(f.update().1.read, 6);
    // A build killed after a commit mid-way: that commit recorded no folders, so the index is
    // not current, and the next update reads only what the commit did not hold.
    let mut head = meta::read_head(&dir, f.root.path()).unwrap();
    let mut stamps = meta::read_stamps(&dir, head.generation).unwrap();
    let dropped: Vec<u64> = stamps.0.keys().take(2).copied().collect();
    for id in &dropped {
        stamps.0.remove(id);
    }
    meta::write_stamps(&dir, head.generation, &stamps).unwrap();
    head.folders.clear();
    meta::write_head(&dir, &head).unwrap();
    assert!(!f.open().unwrap().is_current(f.cache.path()));
    let (ix, report) = f.update();
    assert_eq!(report.read, 2);
    // Re-added, not doubled.
    assert_eq!(sorted(titles(&ix, "勒索")).len(), 2);
    assert_eq!(
        ix.search(&SearchQuery::parse("source:安全观察").unwrap(), 10, HashMap::new()).unwrap().total,
        2
    );
}

#[test]
fn a_second_writer_is_told_the_index_is_busy() {
    let f = Fixture::new();
    let (corpus, _) = corpus::cache::load(f.root.path(), f.cache.path()).unwrap();
    let _first = SearchIndex::open_for_update(f.root.path(), f.cache.path(), Tuning::default()).unwrap();
    let second = SearchIndex::open_for_update(f.root.path(), f.cache.path(), Tuning::default());
    assert!(matches!(second, Err(IndexError::Busy(_))), "{:?}", second.err());
    drop(corpus);
}
