//! The scanner: ASCII boundaries (so `访问evil-c2.com下载` is found), one pass per kind family.

use super::{Context, Entity, Kind, Warninglist};

pub(super) fn extract(text: &str, _ctx: &Context<'_>, list: &Warninglist) -> Vec<Entity> {
    // Placeholder until the scanner lands: CVE ids only.
    let mut found: std::collections::BTreeMap<(Kind, String), u32> = Default::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = text.get(i..).and_then(|t| t.find("CVE-")) {
        let start = i + at;
        let mut end = start + 4;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'-') {
            end += 1;
        }
        let value = &text[start..end];
        if value.len() >= 13 && !list.is_benign(Kind::Cve, value) {
            *found.entry((Kind::Cve, value.to_string())).or_default() += 1;
        }
        i = end;
    }
    found.into_iter().map(|((kind, value), count)| Entity { kind, value, count }).collect()
}

pub(super) fn normalize_query(kind: Option<Kind>, value: &str) -> String {
    match kind {
        Some(Kind::Cve) | Some(Kind::Attack) => value.trim().to_ascii_uppercase(),
        _ => value.trim().to_lowercase(),
    }
}
