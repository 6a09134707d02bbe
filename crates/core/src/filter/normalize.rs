//! NFKC normalization that remembers where each character came from, and the character masks
//! used to reject titles before the real matcher runs.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use super::pinyin;

/// A title whose matching form differs from the title itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Normalized {
    pub text: Box<str>,
    /// For each char of `text`, the index of the char of the original title it came from.
    pub origin: Box<[u32]>,
}

/// Lowercases a non-ASCII letter when that gives one char. ASCII case is kept so that the
/// matcher's smart case can see it.
pub(crate) fn fold(c: char) -> char {
    if c.is_ascii() || !c.is_uppercase() {
        return c;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Lowercases any letter (ASCII too), for case-blind comparisons.
pub(crate) fn fold_all(c: char) -> char {
    fold(c.to_ascii_lowercase())
}

/// The matching form of `title`, or `None` when it is the title itself (the common case, so
/// most titles carry no copy).
pub(crate) fn title(title: &str) -> Option<Normalized> {
    normalized(title, true)
}

/// [`title`]'s text alone, which is all that scoring needs.
pub(crate) fn text(title: &str) -> Option<Box<str>> {
    normalized(title, false).map(|n| n.text)
}

fn normalized(title: &str, origins: bool) -> Option<Normalized> {
    if title.is_ascii() {
        return None;
    }
    let quick = is_nfkc_quick(title.chars()) == IsNormalized::Yes;
    if quick && !title.chars().any(|c| fold(c) != c) {
        return None;
    }
    let mut text = String::with_capacity(title.len());
    let mut origin = Vec::with_capacity(if origins { title.len() } else { 0 });
    let mut group: Vec<char> = Vec::new();
    let combining = |&(_, c): &(usize, char)| canonical_combining_class(c) != 0;
    let mut chars = title.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        // ASCII and the common CJK ideographs are their own NFKC form, and most titles are made
        // of them: skip the normalizer for those.
        if !chars.peek().is_some_and(combining) && (c.is_ascii() || ('\u{3400}'..='\u{9FFF}').contains(&c)) {
            text.push(c);
            if origins {
                origin.push(i as u32);
            }
            continue;
        }
        // A starter and the combining marks after it normalize together, and all of the output
        // highlights the starter.
        group.clear();
        group.push(c);
        while let Some((_, mark)) = chars.next_if(combining) {
            group.push(mark);
        }
        for c in group.iter().copied().nfkc() {
            text.push(fold(c));
            if origins {
                origin.push(i as u32);
            }
        }
    }
    if *text == *title {
        return None;
    }
    Some(Normalized { text: text.into_boxed_str(), origin: origin.into_boxed_slice() })
}

/// The matching form of a query: NFKC (so full-width letters, digits, spaces and colons become
/// ASCII) with non-ASCII letters lowercased.
pub(crate) fn query(input: &str) -> String {
    input.nfkc().map(fold).collect()
}

/// The bit a char sets in a title's literal mask: letters case-blind, digits, a few buckets for
/// the rest. A query char whose bit is missing from the mask cannot match.
pub(crate) fn lit_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        'A'..='Z' => 1 << (c as u32 - 'A' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ if c.is_ascii() => 1 << (36 + c as u32 % 4),
        _ => 1 << (40 + c as u32 % 24),
    }
}

pub(crate) const LETTER_BITS: u64 = (1 << 26) - 1;

/// The literal mask of a text.
pub(crate) fn lit_mask(text: &str) -> u64 {
    if text.is_ascii() {
        return text.bytes().fold(0, |m, b| m | lit_bit(b as char));
    }
    text.chars().fold(0, |m, c| m | lit_bit(c))
}

/// Letters the readings of the text's Han characters use.
pub(crate) fn pinyin_mask(text: &str) -> u32 {
    if text.is_ascii() {
        return 0;
    }
    text.chars().filter(|c| !c.is_ascii()).fold(0, |m, c| m | pinyin::letters(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_the_text_of_title() {
        for t in [
            "Plain",
            "ＣＶＥ漏洞",
            "a\u{FB01}x",
            "e\u{301}t\u{301}\u{302}",
            "（二）：Ä",
            "勒索",
            "\u{301}x",
            "x\u{301}",
        ] {
            assert_eq!(text(t), title(t).map(|n| n.text), "{t:?}");
        }
    }

    #[test]
    fn ascii_and_plain_cjk_need_no_copy() {
        assert_eq!(title("Plain ASCII title"), None);
        assert_eq!(title("勒索软件攻击"), None);
    }

    #[test]
    fn fullwidth_is_folded_and_mapped_back() {
        let n = title("ＣＶＥ漏洞").unwrap();
        assert_eq!(&*n.text, "CVE漏洞");
        assert_eq!(&*n.origin, &[0, 1, 2, 3, 4]);
    }

    #[test]
    fn expansion_maps_every_output_char_to_its_source() {
        // U+FB01 (fi ligature) becomes two chars, both from index 1.
        let n = title("a\u{FB01}x").unwrap();
        assert_eq!(&*n.text, "afix");
        assert_eq!(&*n.origin, &[0, 1, 1, 2]);
    }

    #[test]
    fn combining_marks_compose_onto_their_starter() {
        let n = title("Cafe\u{301} É").unwrap();
        assert_eq!(&*n.text, "Café é");
        assert_eq!(n.origin[3], 3);
        assert_eq!(n.origin[5], 6);
    }

    #[test]
    fn query_is_nfkc_and_keeps_ascii_case() {
        assert_eq!(query("ＣＶＥ　source：X"), "CVE source:X");
        assert_eq!(query("ÉTÉ"), "éTé");
    }

    #[test]
    fn masks() {
        assert_eq!(lit_mask("Ab") & LETTER_BITS, 0b11);
        assert_eq!(lit_mask("ab1"), lit_mask("BA1"));
        assert_ne!(pinyin_mask("勒索") & pinyin::letter_bit(b's'), 0);
        assert_eq!(pinyin_mask("abc"), 0);
    }
}
