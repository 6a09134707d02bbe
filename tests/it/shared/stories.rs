//! Story detection on the labelled pairs of `tests/data/stories/pairs.jsonl` (paths into
//! `../shared/corpus`): copies must join, recurring columns and random pairs must not.

use std::collections::HashMap;
use std::path::Path;

use yuedu::corpus::Article;
use yuedu::index::pass::read_clean;
use yuedu::stories::{Clusterer, Entry, StoryTable, StoryTuning, sign};

#[test]
#[ignore = "needs ../shared"]
fn labelled_pairs_copies_join_columns_and_random_pairs_do_not() {
    let corpus = super::corpus();
    let by_path: HashMap<&Path, &Article> = corpus.articles.iter().map(|a| (a.path.as_path(), a)).collect();
    let root = crate::util::shared("corpus");
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/stories/pairs.jsonl"))
            .expect("pairs file");
    let mut pairs = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("pair json");
        let find = |k: &str| {
            let p = root.join(v[k].as_str().expect("path"));
            *by_path.get(p.as_path()).unwrap_or_else(|| panic!("{} not in the corpus", p.display()))
        };
        pairs.push((v["label"].as_str().expect("label").to_string(), find("a"), find("b")));
    }
    let tuning = StoryTuning::default();
    let mut entries: HashMap<u64, Entry> = HashMap::new();
    for (_, a, b) in &pairs {
        for art in [a, b] {
            entries.entry(art.id.0).or_insert_with(|| Entry {
                id: art.id,
                date: art.date,
                sig: sign(&read_clean(art, &corpus.templates).text, &tuning),
            });
        }
    }
    let mut entries: Vec<Entry> = entries.into_values().collect();
    entries.sort_by_key(|e| (e.date, e.id.0));
    let mut c = Clusterer::new(tuning);
    for e in entries {
        c.insert(e);
    }
    let table = c.finish(&StoryTable::default());
    let mut figures: HashMap<&str, (usize, usize)> = HashMap::new();
    for (label, a, b) in &pairs {
        let joined = table.story_id(a.id).is_some() && table.story_id(a.id) == table.story_id(b.id);
        let f = figures.entry(label.as_str()).or_default();
        f.0 += usize::from(joined);
        f.1 += 1;
        if joined != (label == "copy") {
            println!(
                "{label} {}: {} | {}",
                if joined { "joined" } else { "apart" },
                a.path.display(),
                b.path.display()
            );
        }
    }
    println!("joined / pairs: {figures:?}");
    let rate = |l: &str| figures.get(l).map_or(0.0, |(j, n)| *j as f64 / (*n).max(1) as f64);
    assert!(rate("copy") >= 0.90, "copy recall {}", rate("copy"));
    assert!(rate("column") <= 0.05, "columns joined {}", rate("column"));
    assert_eq!(figures.get("random").map_or(0, |f| f.0), 0, "random pairs joined");
}
