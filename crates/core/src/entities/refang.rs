//! Refanging (`hxxp://evil[.]com` → `http://evil.com`) and defanging for display.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::Kind;

/// Defanged forms and what they stand for, matched without regard to ASCII case.
const RULES: &[(&str, &str)] = &[
    ("[.]", "."),
    ("(.)", "."),
    ("{.}", "."),
    ("[dot]", "."),
    ("(dot)", "."),
    ("{dot}", "."),
    ("[@]", "@"),
    ("(@)", "@"),
    ("{@}", "@"),
    ("[at]", "@"),
    ("(at)", "@"),
    ("{at}", "@"),
    ("[:]", ":"),
    ("[://]", "://"),
    ("hxxp", "http"),
];

/// Any rule's pattern: a text without one is returned as it is, without a copy.
static ANY_RULE: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = RULES.iter().map(|(p, _)| regex::escape(p)).collect();
    Regex::new(&format!("(?i){}", alternatives.join("|"))).expect("the refang rules are a valid regex")
});

/// `text` with the common defanging undone: `hxxp`→`http`, `[.]` `(.)` `{.}` `[dot]`→`.`,
/// `[@]` `[at]` `(at)`→`@`, `[:]`→`:` (so `[:]//`→`://`), `[://]`→`://`. Idempotent: the result
/// holds no defanged form, even where undoing one forms another (`[[.]]`).
pub fn refang(text: &str) -> Cow<'_, str> {
    refang_marked(text).0
}

/// [`refang`], with the byte offsets in the result where a defanged form was undone (the
/// scanner counts a name with a file-extension TLD as a domain when it was defanged).
pub(super) fn refang_marked(text: &str) -> (Cow<'_, str>, Vec<usize>) {
    let Some(first) = ANY_RULE.find(text) else {
        return (Cow::Borrowed(text), Vec::new());
    };
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut marks = Vec::new();
    out.extend_from_slice(&text.as_bytes()[..first.start()]);
    for &byte in &text.as_bytes()[first.start()..] {
        out.push(byte);
        // Every pattern ends in one of these; checking only then keeps the loop cheap.
        if !matches!(byte, b']' | b')' | b'}' | b'p' | b'P') {
            continue;
        }
        // Undoing one form may complete another that ends here (`[[.]]`): repeat until none.
        while let Some((pattern, replacement)) = ends_with_rule(&out) {
            let at = out.len() - pattern.len();
            let cased = cased_like(&out[at..], replacement);
            out.truncate(at);
            out.extend_from_slice(&cased);
            marks.retain(|&m| m < at);
            marks.push(at);
        }
    }
    // Only ASCII was removed or inserted, so the bytes are still UTF-8.
    let out = String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (Cow::Owned(out), marks)
}

fn ends_with_rule(out: &[u8]) -> Option<(&'static str, &'static str)> {
    RULES.iter().copied().find(|(pattern, _)| {
        out.len() >= pattern.len()
            && out[out.len() - pattern.len()..].eq_ignore_ascii_case(pattern.as_bytes())
    })
}

/// The replacement, upper case where the defanged form was (`HXXP` → `HTTP`).
fn cased_like(original: &[u8], replacement: &str) -> Vec<u8> {
    if original.len() == replacement.len() {
        original
            .iter()
            .zip(replacement.bytes())
            .map(|(o, r)| if o.is_ascii_uppercase() { r.to_ascii_uppercase() } else { r })
            .collect()
    } else {
        replacement.as_bytes().to_vec()
    }
}

/// A defanged form of a normalized value, safe to paste into chat or a ticket: dots of hosts
/// become `[.]`, `http` becomes `hxxp`, `@` becomes `[@]`, the colons of an IPv6 address
/// `[:]`. Ids and hashes are returned as they are. [`refang`] gives the value back.
pub fn defang(kind: Kind, value: &str) -> String {
    match kind {
        Kind::Ipv4 | Kind::Domain => value.replace('.', "[.]"),
        Kind::Ipv6 => value.replace(':', "[:]"),
        Kind::Url => {
            let dotted = value.replace('.', "[.]");
            match dotted.get(..4) {
                Some(scheme) if scheme.eq_ignore_ascii_case("http") => {
                    format!("{}xx{}", &dotted[..1], &dotted[3..])
                }
                _ => dotted,
            }
        }
        Kind::Email => value.replace('@', "[@]").replace('.', "[.]"),
        _ => value.to_string(),
    }
}
