//! CVE ids, ATT&CK technique ids and hashes: ASCII-bounded tokens of fixed shape.

use std::sync::LazyLock;

use regex::Regex;

use super::Kind;
use super::extract::{Scan, inside};

/// `CVE-2024-3400` with any dash NFKC leaves alone (en and em dash, hyphen, non-breaking
/// hyphen, minus, small hyphen-minus) or `_` between the parts, any case.
static CVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)cve[-_\x{2010}-\x{2015}\x{2212}\x{FE58}\x{FE63}]([0-9]{4})[-_\x{2010}-\x{2015}\x{2212}\x{FE58}\x{FE63}]([0-9]{4,7})")
        .expect("the CVE pattern is a valid regex")
});

/// The years CVE ids have.
const CVE_YEARS: std::ops::RangeInclusive<u16> = 1999..=2099;

/// The normal form of a CVE id written any of the ways [`CVE`] matches, when it is all of one.
pub(super) fn normalize_cve(value: &str) -> Option<String> {
    let m = CVE.captures(value)?;
    let whole = m.get(0)?;
    (whole.start() == 0 && whole.end() == value.len()).then(|| format!("CVE-{}-{}", &m[1], &m[2]))
}

pub(super) fn scan_cves(s: &mut Scan<'_>) {
    for m in CVE.captures_iter(s.text) {
        let Some(whole) = m.get(0) else { continue };
        let year: u16 = m[1].parse().unwrap_or(0);
        if s.before(whole.start()).is_ascii_alphanumeric()
            || s.at(whole.end()).is_ascii_alphanumeric()
            || !CVE_YEARS.contains(&year)
        {
            continue;
        }
        s.add(Kind::Cve, format!("CVE-{}-{}", &m[1], &m[2]));
    }
}

/// The technique numbers ATT&CK uses (`T1001` to `T1699`).
const ATTACK_TECHNIQUES: std::ops::RangeInclusive<u16> = 1001..=1699;

/// `T1059` or `T1566.001`, upper-case `T`, ASCII-bounded.
pub(super) fn scan_attack(s: &mut Scan<'_>) {
    let (text, b) = (s.text, s.bytes);
    let digits =
        |from: usize, n: usize| b.len() >= from + n && b[from..from + n].iter().all(u8::is_ascii_digit);
    let mut pos = 0;
    while let Some(i) = text.get(pos..).and_then(|t| t.find("T1")) {
        let start = pos + i;
        pos = start + 2;
        if s.before(start).is_ascii_alphanumeric() || !digits(start + 1, 4) {
            continue;
        }
        let number: u16 = text[start + 1..start + 5].parse().unwrap_or(0);
        let mut end = start + 5;
        if s.at(end) == b'.' && digits(end + 1, 3) && !s.at(end + 4).is_ascii_alphanumeric() {
            end += 4;
        }
        if s.at(end).is_ascii_alphanumeric() || !ATTACK_TECHNIQUES.contains(&number) {
            continue;
        }
        s.add(Kind::Attack, text[start..end].to_string());
        pos = end;
    }
}

/// The shortest hash, in hex digits.
const MIN_HASH: usize = 32;

/// Runs of exactly 32, 40 or 64 hex digits bounded by non-alphanumerics, with a digit and a
/// letter (not a phone number, not a word), outside URLs.
pub(super) fn scan_hashes(s: &mut Scan<'_>) {
    let b = s.bytes;
    // Any run of 32 or more starting in `i..i + 32` covers `i + 31`: probing that byte skips
    // 32 bytes of prose at a time. `b[i - 1]` is never a hex digit here.
    let mut i = 0;
    while i + MIN_HASH <= b.len() {
        let probe = i + MIN_HASH - 1;
        if !b[probe].is_ascii_hexdigit() {
            i = probe + 1;
            continue;
        }
        let mut start = probe;
        while start > i && b[start - 1].is_ascii_hexdigit() {
            start -= 1;
        }
        let mut end = probe + 1;
        while end < b.len() && b[end].is_ascii_hexdigit() {
            end += 1;
        }
        i = end;
        let kind = match end - start {
            32 => Kind::Md5,
            40 => Kind::Sha1,
            64 => Kind::Sha256,
            _ => continue,
        };
        let run = &b[start..end];
        if !run.iter().any(u8::is_ascii_digit)
            || run.iter().all(u8::is_ascii_digit)
            || s.before(start).is_ascii_alphanumeric()
            || s.at(end).is_ascii_alphanumeric()
            || inside(&s.urls, start)
        {
            continue;
        }
        s.add(kind, s.text[start..end].to_ascii_lowercase());
    }
}
