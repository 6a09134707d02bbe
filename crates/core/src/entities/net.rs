//! IPv4 and IPv6 addresses, told apart from version numbers, dates and times.

use std::net::Ipv6Addr;

use super::Kind;
use super::extract::{Scan, runs};

/// Words that, right before a dotted quad, make it a version (`version 4.19.0.12`).
const VERSION_WORDS: &[&str] =
    &["version", "versions", "ver", "ver.", "build", "release", "firmware", "kernel", "patch", "update"];

/// Chinese words that, a few characters before a dotted quad, make it a version (`版本 2.0.1.5`,
/// `受影响版本为 22.7.1.2`, `升级至 4.5.3.2`).
const VERSION_WORDS_ZH: &[&str] = &["版本", "固件", "内核", "更新至", "更新到", "升级至", "升级到", "补丁"];

/// How far back to look for a version word, in bytes.
const VERSION_LOOKBACK: usize = 32;
/// How far back a Chinese version word may end, in bytes (`版本号为：` is five characters).
const VERSION_LOOKBACK_ZH: usize = 18;

/// The octet of a dotted quad: 0 to 255, no leading zero but in `0`.
fn octet(s: &str) -> Option<u8> {
    if s.is_empty()
        || s.len() > 3
        || (s.len() > 1 && s.starts_with('0'))
        || !s.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    s.parse().ok()
}

/// A version word ends the text before `start` (spaces, `:`, `：` and `=` between), or a
/// Chinese one ends shortly before it.
fn after_version_word(text: &str, start: usize) -> bool {
    let window = |len: usize| {
        let mut from = start.saturating_sub(len);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        &text[from..start]
    };
    let before = window(VERSION_LOOKBACK).trim_end_matches([' ', '\t', ':', '：', '=']);
    let ascii = VERSION_WORDS.iter().any(|w| {
        let cut = before.len().wrapping_sub(w.len());
        before.len() >= w.len()
            && before.is_char_boundary(cut)
            && before[cut..].eq_ignore_ascii_case(w)
            && !before.as_bytes()[..cut].last().is_some_and(u8::is_ascii_alphabetic)
    });
    ascii || VERSION_WORDS_ZH.iter().any(|w| window(VERSION_LOOKBACK_ZH).contains(w))
}

/// Dotted quads bounded by anything but `[0-9.]`, letters and `_` (so not `v1.2.3.4`, not part
/// of `1.2.3.4.5`). Versions are left out: four single digits (`3.2.1.0`) or a version word
/// before.
pub(super) fn scan_ipv4(s: &mut Scan<'_>) {
    let (text, b) = (s.text, s.bytes);
    for (start, run_end) in runs(text, '.', |c| c.is_ascii_digit() || c == b'.') {
        // One trailing dot ends a sentence; a leading one continues a longer number.
        let end = if b[run_end - 1] == b'.' { run_end - 1 } else { run_end };
        let prev = s.before(start);
        let next = s.at(run_end);
        if b[start] == b'.'
            || prev.is_ascii_alphabetic()
            || prev == b'_'
            || next.is_ascii_alphanumeric()
            || next == b'_'
        {
            continue;
        }
        let candidate = &text[start..end];
        let mut octets = [0u8; 4];
        let mut n = 0;
        for part in candidate.split('.') {
            match (n < 4).then(|| octet(part)).flatten() {
                Some(o) => octets[n] = o,
                None => {
                    n = 5;
                    break;
                }
            }
            n += 1;
        }
        if n != 4 || octets.iter().all(|&o| o < 10) || after_version_word(text, start) {
            continue;
        }
        s.add(Kind::Ipv4, candidate.to_string());
    }
}

/// The fewest hex digits an address must have (`1::2` is not one).
const MIN_IPV6_HEX_DIGITS: usize = 4;

/// Candidates of hex digits, colons and dots that `Ipv6Addr` parses, with three groups or more
/// or `::` and two, and a decimal digit (`dead::beef`, `Abc::Def` are identifiers). Times
/// (`10:30:00`) and MAC addresses do not parse.
pub(super) fn scan_ipv6(s: &mut Scan<'_>) {
    let (text, b) = (s.text, s.bytes);
    for (run_start, run_end) in runs(text, ':', |c| c.is_ascii_hexdigit() || c == b':' || c == b'.') {
        let (prev, next) = (s.before(run_start), s.at(run_end));
        if prev.is_ascii_alphanumeric() || prev == b'_' || next.is_ascii_alphanumeric() || next == b'_' {
            continue;
        }
        let (mut start, mut end) = (run_start, run_end);
        while end > start && b[end - 1] == b'.' {
            end -= 1;
        }
        if end - start >= 2 && b[end - 1] == b':' && b[end - 2] != b':' {
            end -= 1;
        }
        if end - start >= 2 && b[start] == b':' && b[start + 1] != b':' {
            start += 1;
        }
        let candidate = &text[start..end];
        let groups = candidate.split(':').filter(|g| !g.is_empty()).count();
        let hex_digits = candidate.bytes().filter(u8::is_ascii_hexdigit).count();
        if candidate.bytes().filter(|&c| c == b':').count() < 2
            || !(groups >= 3 || (groups >= 2 && candidate.contains("::")))
            || !candidate.bytes().any(|c| c.is_ascii_digit())
            || hex_digits < MIN_IPV6_HEX_DIGITS
        {
            continue;
        }
        if let Ok(addr) = candidate.parse::<Ipv6Addr>() {
            s.add(Kind::Ipv6, addr.to_string());
        }
    }
}
