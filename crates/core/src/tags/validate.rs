//! What a tag may be: one visible word, so it survives the list row, the filter and the export.

use unicode_normalization::UnicodeNormalization;

/// Longest tag accepted, in characters.
pub const MAX_TAG_CHARS: usize = 64;

/// Why a tag was refused, for the one-line error.
pub const TAG_RULE: &str = "a tag is 1 to 64 characters, with no spaces, commas or control characters, \
     and does not start with '-' or '+'";

/// Characters that are invisible or reorder text: a tag holding one could not be told apart from
/// another or could disguise itself on screen.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
            | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}')
}

/// The tag as stored (trimmed, NFC), or `None` when it breaks [`TAG_RULE`].
///
/// Commas are refused because the TSV and CSV outputs join tags with them; a leading `-` or `+`
/// because the filter and the bulk commands read those as operators.
pub fn normalize(tag: &str) -> Option<String> {
    // Case-blind: `Follow-Up` and `follow-up` are one tag.
    let tag: String = tag.trim().nfc().flat_map(char::to_lowercase).collect();
    let n = tag.chars().count();
    let ok = (1..=MAX_TAG_CHARS).contains(&n)
        && !tag.starts_with(['-', '+'])
        && !tag.chars().any(|c| c.is_whitespace() || c == ',' || is_hidden(c));
    ok.then_some(tag)
}

/// `text` with every control, invisible or reordering character written as `\u{..}`: safe to
/// put in a one-line message whatever a hand-edited file holds.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().take(MAX_TAG_CHARS * 2) {
        if is_hidden(c) || c.is_whitespace() && c != ' ' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// An id is whatever the corpus calls an article; it only has to fit on one line of the store.
pub fn id_ok(id: &str) -> bool {
    !id.is_empty() && id.len() <= 256 && !id.chars().any(|c| c.is_whitespace() || is_hidden(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_words_in_any_script() {
        assert_eq!(normalize(" follow-up ").as_deref(), Some("follow-up"));
        assert_eq!(normalize("周报").as_deref(), Some("周报"));
        assert_eq!(normalize("cve-2024:1").as_deref(), Some("cve-2024:1"));
        // Decomposed é becomes the composed form, so both spellings are one tag.
        assert_eq!(normalize("cafe\u{301}").as_deref(), Some("caf\u{e9}"));
    }

    #[test]
    fn refuses_blank_spaced_hidden_and_long() {
        for bad in
            ["", "  ", "a b", "a\tb", "a,b", "-x", "+x", "a\u{1b}[31m", "a\u{202e}b", "a\u{200b}", "x\0"]
        {
            assert_eq!(normalize(bad), None, "{bad:?}");
        }
        assert!(normalize(&"a".repeat(MAX_TAG_CHARS)).is_some());
        assert_eq!(normalize(&"a".repeat(MAX_TAG_CHARS + 1)), None);
    }

    #[test]
    fn shown_escapes_what_a_terminal_would_act_on() {
        assert_eq!(shown("a\u{1b}]52;c\u{7}\nb\u{202e}"), "a\\u{1b}]52;c\\u{7}\\u{a}b\\u{202e}");
    }

    #[test]
    fn ids() {
        assert!(id_ok("00ff00ff00ff00ff"));
        assert!(!id_ok(""));
        assert!(!id_ok("a b"));
    }
}
