//! Tokenizer tests: bigram positions, identifiers whole and in parts, NFKC and case.

use super::*;

fn index(text: &str) -> Vec<(String, usize)> {
    BodyTokenizer::new(Mode::Index, &Tuning::default())
        .tokens(text)
        .into_iter()
        .map(|t| (t.text, t.position))
        .collect()
}

fn query(text: &str) -> Vec<(String, usize)> {
    BodyTokenizer::new(Mode::Query, &Tuning::default())
        .tokens(text)
        .into_iter()
        .map(|t| (t.text, t.position))
        .collect()
}

fn texts(tokens: &[(String, usize)]) -> Vec<&str> {
    tokens.iter().map(|(t, _)| t.as_str()).collect()
}

#[test]
fn cjk_runs_are_overlapping_bigrams_at_consecutive_positions() {
    let t = index("勒索软件攻击");
    assert_eq!(texts(&t), ["勒索", "索软", "软件", "件攻", "攻击"]);
    assert_eq!(t.iter().map(|x| x.1).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    // 勒索 is a token of 勒索软件, so a query for it finds the text.
    assert!(t.iter().any(|(x, _)| x == "勒索"));
}

#[test]
fn a_lone_cjk_char_is_a_unigram_and_runs_break_at_punctuation() {
    assert_eq!(texts(&index("银，狐狸")), ["银", "狐狸"]);
    assert_eq!(index("勒索。软件"), [("勒索".into(), 0), ("软件".into(), 1)]);
}

#[test]
fn scripts_follow_each_other_in_position() {
    let t = index("勒索LockBit3.0变种");
    assert_eq!(
        t,
        [
            ("勒索".to_string(), 0),
            ("lockbit3".into(), 1),
            ("lockbit3.0".into(), 1),
            ("0".into(), 2),
            ("变种".into(), 3)
        ]
    );
}

#[test]
fn identifiers_are_whole_and_in_parts() {
    let t = index("patch CVE-2024-3400 now");
    let words = texts(&t);
    for w in ["cve-2024-3400", "cve", "2024", "3400", "cve-2024", "2024-3400", "patch", "now"] {
        assert!(words.contains(&w), "{w} in {words:?}");
    }
    let pos = |w: &str| t.iter().find(|x| x.0 == w).unwrap().1;
    assert_eq!((pos("patch"), pos("cve-2024-3400"), pos("3400"), pos("now")), (0, 1, 3, 4));
    assert!(texts(&index("c2 at 45.77.12.34:443")).contains(&"45.77.12.34"));
    assert!(texts(&index("T1059.001 used")).contains(&"t1059.001"));
    assert!(texts(&index("cdn.evil.com/x")).contains(&"evil.com"));
    let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    assert!(texts(&index(&format!("sha256: {sha}."))).contains(&sha));
}

#[test]
fn a_query_identifier_is_one_token_in_any_case() {
    assert_eq!(query("CVE-2024-3400"), [("cve-2024-3400".to_string(), 0)]);
    assert_eq!(query("cve-2024-3400"), query("CVE-2024-3400"));
    assert_eq!(query("8.8.8.8"), [("8.8.8.8".to_string(), 0)]);
    // Longer than the spans indexed: its parts, as a phrase.
    assert_eq!(texts(&query("a.b.c.d.e.f.g")), ["a", "b", "c", "d", "e", "f", "g"]);
}

#[test]
fn trailing_and_doubled_connectors_end_the_identifier() {
    assert_eq!(
        texts(&index("see CVE-2024-3400.")),
        ["see", "cve", "cve-2024", "cve-2024-3400", "2024", "2024-3400", "3400"]
    );
    assert_eq!(texts(&index("a..b --x")), ["a", "b", "x"]);
}

#[test]
fn nfkc_and_case_fold() {
    assert_eq!(query("ＣＶＥ"), [("cve".to_string(), 0)]);
    assert_eq!(query("Ｖｏｌｔ　Ｔｙｐｈｏｏｎ"), query("volt typhoon"));
    assert_eq!(texts(&query("ÜBER Straße")), ["über", "straße"]);
}

#[test]
fn offsets_point_into_the_original_text() {
    let text = "看ＣＶＥ-2024漏洞";
    let toks = BodyTokenizer::new(Mode::Query, &Tuning::default()).tokens(text);
    let cve = toks.iter().find(|t| t.text == "cve-2024").unwrap();
    assert_eq!(&text[cve.offset_from..cve.offset_to], "ＣＶＥ-2024");
}

#[test]
fn overlong_tokens_are_dropped_but_keep_their_position() {
    let blob = "A".repeat(500);
    assert_eq!(index(&format!("x {blob} y")), [("x".to_string(), 0), ("y".into(), 2)]);
}
