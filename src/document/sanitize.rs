//! Strips terminal escapes and invisible or direction-changing characters from untrusted text.

use std::borrow::Cow;

/// Placeholder: replaces control characters. The full rule set lands with the renderer.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| if c.is_control() && c != '\n' { '\u{FFFD}' } else { c }).collect())
}
