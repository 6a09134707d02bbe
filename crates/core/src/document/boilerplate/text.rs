//! Text measures shared by the stripper: scorer-like token counts and a normal form for comparing lines.

use unicode_normalization::UnicodeNormalization;

/// CJK ideographs, kana and hangul: each one is a token, as a reader counts them.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{3040}'..='\u{30ff}'
        | '\u{ac00}'..='\u{d7af}')
}

/// Tokens a reader would count: each CJK character and each word or number.
/// URLs count nothing: they are addresses, not prose.
pub(crate) fn count_tokens(s: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if !in_word && starts_url(rest) {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            rest = &rest[end..];
            continue;
        }
        if is_cjk(c) {
            in_word = false;
            n += 1;
        } else if c.is_alphanumeric() {
            if !in_word {
                n += 1;
                in_word = true;
            }
        } else {
            in_word = false;
        }
        rest = &rest[c.len_utf8()..];
    }
    n
}

fn starts_url(s: &str) -> bool {
    let head = s.as_bytes();
    let starts = |p: &[u8]| head.len() >= p.len() && head[..p.len()].eq_ignore_ascii_case(p);
    starts(b"http://") || starts(b"https://") || starts(b"ftp://") || starts(b"www.")
}

/// Whether the text ends or contains a sentence: prose, not a menu label.
pub(crate) fn has_sentence_punct(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '。' | '！' | '？' | '；' | '，' | '：' | '、'))
        || s.split_whitespace().any(|w| w.len() > 1 && w.ends_with(['.', ',', ':', ';', '!', '?']))
}

/// Indicators and other technical strings (defanged URLs, addresses, hashes, CVE ids, paths):
/// short lines of them are an article's evidence, not a menu.
pub(crate) fn is_technical(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let markers = ["hxxp", "[.]", "(.)", "cve-", "://"];
    if markers.iter().any(|m| lower.contains(m)) {
        return true;
    }
    s.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|' | '`' | '"' | '\'' | '(' | ')')).any(
        |w| {
            let hex = w.len() >= 16 && w.chars().all(|c| c.is_ascii_hexdigit());
            let parts: Vec<&str> = w.split('.').collect();
            let ipv4 = parts.len() == 4
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
            let path = (w.starts_with('/') || w.contains(":\\")) && w.len() >= 6 && !w.contains("//");
            hex || ipv4 || path
        },
    )
}

/// A normal form for comparing short lines: NFKC, lower case, entities decoded, and only letters,
/// digits and CJK kept. `"微信扫一扫 关注该公众号"` and `"微信扫一扫\n关注该公众号"` compare equal.
pub(crate) fn norm(s: &str) -> String {
    let decoded = decode_entities(s);
    let mut out = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if is_cjk(c) {
            out.push(c);
        } else if c.is_alphanumeric() {
            // NFKC only where it can matter (full-width forms, compatibility letters): it is slow.
            return decoded.nfkc().flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()).collect();
        }
    }
    out
}

/// The few HTML entities scrapers leave in titles and text.
pub(crate) fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.as_bytes()[..rest.len().min(12)].iter().position(|&b| b == b';');
        let decoded = end.and_then(|e| entity(&rest[1..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Key of a raw source line for template learning: link targets dropped, digits folded, then
/// [`norm`]. Lines that keep nothing (fences, rules, blank) have no key.
pub(crate) fn template_key(line: &str) -> Option<u64> {
    let mut visible = String::with_capacity(line.len());
    // Image alt texts ("image.png", "图片") repeat across a forum's articles while the images
    // differ: images never make a line recurring.
    let without_images = strip_images(line);
    let mut rest = without_images.as_ref();
    while let Some(i) = rest.find("](") {
        visible.push_str(&rest[..i]);
        rest = &rest[i + 2..];
        let close = rest.find(')').unwrap_or(rest.len());
        rest = &rest[close.min(rest.len())..];
        if !rest.is_empty() {
            rest = &rest[1..];
        }
    }
    visible.push_str(rest);
    let mut key = String::with_capacity(visible.len());
    let mut last_digit = false;
    for c in norm(&visible).chars() {
        let digit = c.is_ascii_digit();
        if !(digit && last_digit) {
            key.push(if digit { '0' } else { c });
        }
        last_digit = digit;
    }
    if key.is_empty() || key == "0" {
        return None;
    }
    Some(xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// The line without `![alt](target)` images.
fn strip_images(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains("![") {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("![") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("](").and_then(|j| after[j..].find(')').map(|k| j + k + 1)) {
            Some(end) => rest = &after[end..],
            None => {
                out.push_str("![");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_count_cjk_chars_and_ascii_words() {
        assert_eq!(count_tokens("微信扫一扫"), 5);
        assert_eq!(count_tokens("Hello, world 2024!"), 3);
        assert_eq!(count_tokens("see https://example.com/a?b=c now"), 2);
        assert_eq!(count_tokens("AI安全"), 3);
    }

    #[test]
    fn technical_strings_are_recognised() {
        assert!(is_technical("hxxp://securehost.com"));
        assert!(is_technical("C2: 45.9.148.10"));
        assert!(is_technical("d41d8cd98f00b204e9800998ecf8427e"));
        assert!(is_technical("CVE-2024-3094"));
        assert!(!is_technical("Home News Contact"));
    }

    #[test]
    fn norm_ignores_space_case_and_punctuation() {
        assert_eq!(norm("微信扫一扫\n关注该公众号"), norm("微信扫一扫 关注该公众号"));
        assert_eq!(norm("Sign In"), "signin");
        assert_eq!(norm("It&#8217;s &quot;ok&quot;"), "itsok");
    }

    #[test]
    fn template_key_ignores_link_targets_and_numbers() {
        assert_eq!(template_key("[Sign in](/login?a=1)"), template_key("[Sign in](/login?a=2)"));
        assert_eq!(template_key("阅读量 21"), template_key("阅读量 6025"));
        assert_eq!(template_key("```"), None);
        assert_eq!(template_key("![图片.png](https://x/1.png)"), None);
        assert_eq!(template_key("![a](b) Follow us"), template_key("Follow us"));
        assert_ne!(template_key("alpha"), template_key("beta"));
    }
}
