//! Refanging (`hxxp://evil[.]com` → `http://evil.com`) and defanging for display.

use std::borrow::Cow;

use super::Kind;

/// `text` with the common defanging undone: `hxxp`→`http`, `[.]` `(.)` `[dot]`→`.`, `[@]`
/// `[at]`→`@`, `[:]//`→`://`. Idempotent.
pub fn refang(text: &str) -> Cow<'_, str> {
    // Placeholder until the full rules land: only the most common forms.
    if !text.contains("[.]") && !text.contains("hxxp") {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("[.]", ".").replace("hxxp", "http"))
}

/// A defanged form of a normalized value, safe to paste into chat or a ticket: dots of hosts
/// become `[.]`, `http` becomes `hxxp`, `@` becomes `[@]`. Ids and hashes are returned as they
/// are.
pub fn defang(kind: Kind, value: &str) -> String {
    match kind {
        Kind::Ipv4 | Kind::Domain => value.replace('.', "[.]"),
        Kind::Ipv6 => value.replace(':', "[:]"),
        Kind::Url => value.replacen("http", "hxxp", 1).replace('.', "[.]"),
        Kind::Email => value.replace('@', "[@]").replace('.', "[.]"),
        _ => value.to_string(),
    }
}
