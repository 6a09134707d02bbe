//! Properties of the filter over arbitrary input: no panic, sane positions, and searching the
//! previous hits when a query narrows gives what a full search gives.

use proptest::prelude::*;
use yuedu::corpus::Date;
use yuedu::filter::{Query, Record, filter, highlight, prepare_all};

/// Titles and queries drawn from the chars that matter: Latin, Han (with heteronyms),
/// full-width forms, ligatures, combining marks, punctuation, syntax chars, anything else.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("勒索软件".to_string()),
        Just("银行重庆长亭".to_string()),
        Just("ＣＶＥ".to_string()),
        Just("ﬁ".to_string()),
        Just("e\u{301}".to_string()),
        Just("lsrj".to_string()),
        Just("source:".to_string()),
        Just("tag:".to_string()),
        Just("date:2024..".to_string()),
        Just("-".to_string()),
        Just("\"".to_string()),
        Just(" ".to_string()),
        "[a-zA-Z]{1,6}",
        "[\u{4e00}-\u{4e20}]{1,3}",
        any::<String>(),
    ];
    prop::collection::vec(pieces, 0..6).prop_map(|v| v.concat())
}

fn check(titles: &[String], query: &str) -> Result<(), TestCaseError> {
    let tags = vec!["ioc".to_string()];
    let recs: Vec<Record<'_>> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| Record {
            title: t,
            source: t,
            date: Date::new(2020 + (i % 5) as u16, 1 + (i % 12) as u8, 1).unwrap(),
            tags: &tags,
            entities: &[],
        })
        .collect();
    let prepared = prepare_all(&recs);
    let Ok(q) = Query::parse(query) else { return Ok(()) };
    let hits = filter(&q, &recs, &prepared, None);
    for h in &hits {
        let positions = highlight(&q, &recs[h.index]);
        let n = titles[h.index].chars().count();
        prop_assert!(positions.iter().all(|&p| p < n), "{:?} in {:?}", positions, titles[h.index]);
        prop_assert!(positions.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(!q.is_ranked() || !positions.is_empty(), "a hit with nothing to highlight");
    }
    // The scoring pass and the highlighting pass agree on what matches.
    if q.is_ranked() {
        for (i, r) in recs.iter().enumerate() {
            let hit = hits.iter().any(|h| h.index == i);
            prop_assert_eq!(hit, !highlight(&q, r).is_empty(), "{:?}", titles[i]);
        }
    }
    prop_assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics(titles in prop::collection::vec(text(), 0..8), query in text()) {
        check(&titles, &query)?;
    }

    #[test]
    fn never_panics_on_any_string(titles in prop::collection::vec(any::<String>(), 0..4), query in any::<String>()) {
        check(&titles, &query)?;
    }

    #[test]
    fn narrowing_search_matches_full_search(
        titles in prop::collection::vec(text(), 1..10),
        query in text(),
        cut in 0usize..40,
    ) {
        let recs: Vec<Record<'_>> = titles
            .iter()
            .map(|t| Record { title: t, source: "s", date: Date::new(2024, 1, 1).unwrap(), tags: &[], entities: &[] })
            .collect();
        let prepared = prepare_all(&recs);
        let chars: Vec<char> = query.chars().collect();
        let shorter: String = chars[..cut.min(chars.len())].iter().collect();
        let (Ok(q), Ok(prev)) = (Query::parse(&query), Query::parse(&shorter)) else { return Ok(()) };
        if q.narrows(&prev) {
            let before: Vec<usize> = filter(&prev, &recs, &prepared, None).iter().map(|h| h.index).collect();
            let full = filter(&q, &recs, &prepared, None);
            let inc = filter(&q, &recs, &prepared, Some(&before));
            prop_assert_eq!(full, inc, "{:?} after {:?}", query, shorter);
        }
    }
}
