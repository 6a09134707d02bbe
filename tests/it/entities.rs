//! The indicator extractor on labelled fixture articles (tests/data/entities): precision and
//! recall per kind, and a run over ../shared's real articles.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use yuedu_core::entities::{Context, Extractor, Kind};

/// The least precision and recall every kind must reach on the fixtures.
const THRESHOLD: f64 = 0.95;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/entities")
}

/// The `url:` of a fixture's front matter and its body.
fn split(text: &str) -> (Option<&str>, &str) {
    let Some(rest) = text.strip_prefix("---\n") else { return (None, text) };
    let Some((front, body)) = rest.split_once("\n---\n") else { return (None, text) };
    let url = front.lines().find_map(|l| l.strip_prefix("url:")).map(str::trim);
    (url, body)
}

type Labels = BTreeSet<(String, Kind, String)>;

fn expected() -> Labels {
    let text = std::fs::read_to_string(data().join("expected.tsv")).expect("expected.tsv reads");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            let (file, kind, value) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
            (
                file.to_string(),
                Kind::parse(kind).unwrap_or_else(|| panic!("bad kind in {l:?}")),
                value.to_string(),
            )
        })
        .collect()
}

fn extracted() -> Labels {
    let ex = Extractor::builtin();
    let mut out = Labels::new();
    let mut files: Vec<_> = std::fs::read_dir(data()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "md")) {
        let text = std::fs::read_to_string(path).unwrap();
        let (url, body) = split(&text);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for e in ex.extract(body, &Context { url }) {
            out.insert((name.clone(), e.kind, e.value));
        }
    }
    out
}

/// Per kind: (true positives, false positives, false negatives).
fn score(want: &Labels, got: &Labels) -> BTreeMap<Kind, (usize, usize, usize)> {
    let mut table: BTreeMap<Kind, (usize, usize, usize)> =
        Kind::ALL.iter().map(|&k| (k, (0, 0, 0))).collect();
    for l in got {
        let row = table.get_mut(&l.1).unwrap();
        if want.contains(l) { row.0 += 1 } else { row.1 += 1 }
    }
    for l in want.difference(got) {
        table.get_mut(&l.1).unwrap().2 += 1;
    }
    table
}

fn ratio(a: usize, b: usize) -> f64 {
    if a + b == 0 { 1.0 } else { a as f64 / (a + b) as f64 }
}

#[test]
fn fixtures_reach_the_precision_and_recall_thresholds_per_kind() {
    let (want, got) = (expected(), extracted());
    let table = score(&want, &got);
    println!("| kind | expected | found | precision | recall |\n|---|---:|---:|---:|---:|");
    for (kind, &(tp, fp, fn_)) in &table {
        println!(
            "| {} | {} | {} | {:.2} | {:.2} |",
            kind.name(),
            tp + fn_,
            tp + fp,
            ratio(tp, fp),
            ratio(tp, fn_)
        );
    }
    let wrong: Vec<String> = got
        .symmetric_difference(&want)
        .map(|l| {
            let side = if want.contains(l) { "missed" } else { "spurious" };
            format!("{side}: {} {} {}", l.0, l.1.name(), l.2)
        })
        .collect();
    println!("{}", wrong.join("\n"));
    for (kind, &(tp, fp, fn_)) in &table {
        assert!(tp + fn_ > 0, "the fixtures name no {} indicator", kind.name());
        assert!(
            ratio(tp, fp) >= THRESHOLD && ratio(tp, fn_) >= THRESHOLD,
            "{}: P {:.2} R {:.2}\n{}",
            kind.name(),
            ratio(tp, fp),
            ratio(tp, fn_),
            wrong.join("\n")
        );
    }
}

#[test]
fn the_traps_in_the_fixtures_are_not_found() {
    let got = extracted();
    let values: BTreeSet<&str> = got.iter().map(|l| l.2.as_str()).collect();
    for trap in [
        "22.7.1.2",
        "9.1.18.2",
        "5.1.0.2",
        "4.5.3.2",
        "7.4.2.1",
        "7.2.6.3",
        "3.2.1.0",
        "install.sh",
        "setup.py",
        "readme.md",
        "main.rs",
        "poc.py",
        "192.168.10.5",
        "8.8.8.8",
        "203.0.113.10",
        "example.com",
        "d41d8cd98f00b204e9800998ecf8427e",
        "12345678901234567890123456789012",
        "labnews.com.cn",
        "https://www.labnews.com.cn/articles/2025/0220.html",
        "editor@labnews.com.cn",
        "threatnotes.io",
        "contact@threatnotes.io",
        "https://github.com/example-org/ivanti-check",
        "fe80::1",
    ] {
        assert!(!values.contains(trap), "trap {trap:?} was extracted");
    }
}

#[test]
#[ignore = "needs ../shared"]
fn shared_corpus_extracts_without_panicking_and_finds_cves() {
    let corpus = yuedu::corpus::Corpus::load(&crate::util::shared("corpus")).expect("shared corpus loads");
    let ex = Extractor::builtin();
    let mut with_cve = 0;
    for a in &corpus.articles {
        let Ok(body) = yuedu::corpus::read_body(&a.path) else { continue };
        let found = ex.extract(&body.text, &Context { url: a.url.as_deref() });
        with_cve += usize::from(found.iter().any(|e| e.kind == Kind::Cve));
        assert!(found.iter().all(|e| e.count >= 1 && !e.value.is_empty()));
    }
    assert!(with_cve >= 100, "only {with_cve} articles name a CVE");
}
