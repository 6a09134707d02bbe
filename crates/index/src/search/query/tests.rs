//! Query syntax tests: terms, phrases, OR, exclusions, fields, errors, and no panic on any input.

use proptest::prelude::*;

use super::*;
use crate::Tuning;
use crate::tokenize::Mode;

fn p(s: &str) -> SearchQuery {
    SearchQuery::parse(s).unwrap()
}

#[test]
fn words_phrases_or_and_exclusions() {
    let q = p(r#"勒索 "Volt Typhoon" lockbit OR blackcat -测试 -"old news""#);
    assert_eq!(q.groups, [vec!["勒索"], vec!["Volt Typhoon"], vec!["lockbit", "blackcat"]]);
    assert_eq!(q.exclude, ["测试", "old news"]);
    assert!(q.fields.is_none());
    // Lower-case `or` is a word.
    assert_eq!(p("a or b").groups.len(), 3);
}

#[test]
fn field_terms_are_the_filters_own() {
    let q = p(r#"cve source:"Hacker News" -tag:ioc date:2024"#);
    assert_eq!(q.groups, [vec!["cve"]]);
    assert!(q.fields.as_ref().is_some_and(filter::Query::has_fields));
    // Fields alone search everything they allow.
    assert!(p("source:freebuf").groups.is_empty());
    // A URL is text, not a field.
    assert_eq!(p("http://x.cn/a").groups, [vec!["http://x.cn/a"]]);
}

#[test]
fn fullwidth_syntax_works() {
    let q = p("ＣＶＥ－２０２４ ＯＲ 漏洞　ｓｏｕｒｃｅ：安全客");
    assert_eq!(q.groups, [vec!["CVE-2024", "漏洞"]]);
    assert!(q.fields.is_some());
}

#[test]
fn errors_are_one_clear_line() {
    let e = |s: &str| SearchQuery::parse(s).unwrap_err().to_string();
    assert_eq!(e("\"volt typhoon"), "unclosed quote in the query");
    assert_eq!(e("source:\"a b"), "unclosed quote in the query");
    assert!(e("sorce:freebuf").starts_with("unknown field \"sorce:\""), "{}", e("sorce:freebuf"));
    assert_eq!(e("OR x"), "OR needs a search term on each side");
    assert_eq!(e("x OR"), "OR needs a search term on each side");
    assert_eq!(e("a OR OR b"), "OR needs a search term on each side");
    assert_eq!(e("a OR -b"), "an excluded term cannot be part of OR");
    assert_eq!(e("a OR tag:x"), "a field term cannot be part of OR");
    assert_eq!(e("date:2024-13"), "date:2024-13: month \"13\" must be 01 to 12");
    assert_eq!(e("   "), "the query is empty");
    let tok = BodyTokenizer::new(Mode::Query, &Tuning::default());
    let field = tantivy::schema::Field::from_field_id(0);
    let none = p("+++ ???").to_tantivy(field, &tok).err().map(|e| e.to_string());
    assert_eq!(
        none.as_deref(),
        Some("nothing to search for: the query has no letters, digits or CJK characters")
    );
}

proptest! {
    #[test]
    fn parsing_and_building_never_panic(s in any::<String>()) {
        let tok = BodyTokenizer::new(Mode::Query, &Tuning::default());
        if let Ok(q) = SearchQuery::parse(&s) {
            let _ = q.to_tantivy(tantivy::schema::Field::from_field_id(0), &tok);
        }
    }

    #[test]
    fn syntax_heavy_strings_never_panic(s in r#"[-" “”:OR a-z源：ｓ\t]{0,24}"#) {
        let tok = BodyTokenizer::new(Mode::Query, &Tuning::default());
        if let Ok(q) = SearchQuery::parse(&s) {
            let _ = q.to_tantivy(tantivy::schema::Field::from_field_id(0), &tok);
        }
    }
}
