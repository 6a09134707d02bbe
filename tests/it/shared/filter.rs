//! The filter over the real titles of ../shared/corpus: Chinese terms and their pinyin find the same.

use yuedu::filter::{Query, Record, filter, highlight, prepare_all};

#[test]
#[ignore = "needs ../shared"]
fn real_corpus_titles() {
    let corpus = super::corpus();
    let recs: Vec<Record<'_>> = corpus
        .articles
        .iter()
        .map(|a| Record { title: &a.title, source: &a.source, date: a.date, tags: &[], entities: &[] })
        .collect();
    let prepared = prepare_all(&recs);
    let by_chars = filter(&Query::parse("勒索").unwrap(), &recs, &prepared, None);
    let by_pinyin = filter(&Query::parse("lesuo").unwrap(), &recs, &prepared, None);
    assert!(!by_chars.is_empty());
    // Every title with 勒索 in it is found by its pinyin too.
    for h in &by_chars {
        if recs[h.index].title.contains("勒索") {
            assert!(by_pinyin.iter().any(|p| p.index == h.index), "{}", recs[h.index].title);
        }
    }
    for (q, hits) in [("lesuo", &by_pinyin), ("勒索", &by_chars)] {
        let q = Query::parse(q).unwrap();
        for h in hits.iter() {
            let positions = highlight(&q, &recs[h.index]);
            let n = recs[h.index].title.chars().count();
            assert!(!positions.is_empty(), "{}", recs[h.index].title);
            assert!(positions.iter().all(|&p| p < n));
            assert!(positions.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
