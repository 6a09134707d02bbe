//! The scanner: ASCII boundaries (so `访问evil-c2.com下载` is found), one pass per kind family
//! over the NFKC-normalized, refanged text.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use super::hosts::{self, Host};
use super::{Context, Entity, Kind, Warninglist, ids, links, net, refang};

/// The text being scanned and what the passes found so far.
pub(super) struct Scan<'t> {
    pub(super) text: &'t str,
    pub(super) bytes: &'t [u8],
    /// Offsets where refanging undid a defanged form.
    marks: Vec<usize>,
    /// Byte ranges of the URLs found (hashes inside are not indicators, domains inside are the
    /// URL's host).
    pub(super) urls: Vec<(usize, usize)>,
    /// Byte ranges of the e-mail addresses found.
    pub(super) emails: Vec<(usize, usize)>,
    /// Every occurrence; sorted and counted at the end (cheaper than hashing each).
    found: Vec<(Kind, String)>,
}

impl<'t> Scan<'t> {
    fn new(text: &'t str, marks: Vec<usize>) -> Scan<'t> {
        Scan { text, bytes: text.as_bytes(), marks, urls: Vec::new(), emails: Vec::new(), found: Vec::new() }
    }

    pub(super) fn add(&mut self, kind: Kind, value: String) {
        self.found.push((kind, value));
    }

    /// Some defanged form was undone in `start..end`.
    pub(super) fn defanged(&self, start: usize, end: usize) -> bool {
        let i = self.marks.partition_point(|&m| m < start);
        self.marks.get(i).is_some_and(|&m| m < end)
    }

    /// The byte before `i`, or a space at the start (a boundary).
    pub(super) fn before(&self, i: usize) -> u8 {
        if i == 0 { b' ' } else { self.bytes[i - 1] }
    }

    /// The byte at `i`, or a space at the end (a boundary).
    pub(super) fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(b' ')
    }
}

/// `pos` lies in one of the sorted, disjoint `spans`.
pub(super) fn inside(spans: &[(usize, usize)], pos: usize) -> bool {
    let i = spans.partition_point(|&(_, end)| end <= pos);
    spans.get(i).is_some_and(|&(start, _)| start <= pos)
}

/// Maximal runs of bytes in `class` that contain `trigger` (which must be in `class`), found by
/// searching for `trigger` so text without it costs one memchr.
pub(super) fn runs<'a>(
    text: &'a str,
    trigger: char,
    class: fn(u8) -> bool,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        let hit = pos + text.get(pos..)?.find(trigger)?;
        let mut start = hit;
        while start > 0 && class(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = hit + 1;
        while end < bytes.len() && class(bytes[end]) {
            end += 1;
        }
        pos = end;
        Some((start, end))
    })
}

/// Full-width letters, digits and the punctuation of indicators: only these make NFKC matter
/// (`ＣＶＥ－２０２４`, `ｅｖｉｌ．ｃｏｍ`). Chinese text is full of full-width commas and colons,
/// which NFKC would rewrite to no indicator's gain, so a text without these skips it.
static NFKC_MATTERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("[０-９Ａ-Ｚａ-ｚ．＠－／＿﹒﹣﹫]").expect("the NFKC trigger is a valid regex")
});

/// NFKC of `text`, or `text` itself when normalizing could not change an indicator. (A text
/// holding one of these is never NFKC-quick, so no separate quick check is needed.)
fn nfkc(text: &str) -> Cow<'_, str> {
    // Every character NFKC maps to an indicator's ASCII is encoded with a leading 0xEF.
    if !text.as_bytes().contains(&0xEF) || !NFKC_MATTERS.is_match(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.nfkc().collect())
}

pub(super) fn extract(text: &str, ctx: &Context<'_>, list: &Warninglist) -> Vec<Entity> {
    let normalized = nfkc(text);
    let (refanged, marks) = refang::refang_marked(&normalized);
    let mut scan = Scan::new(&refanged, marks);
    // URLs and e-mail addresses first: the passes after them look up their spans.
    links::scan_urls(&mut scan);
    links::scan_emails(&mut scan);
    links::scan_domains(&mut scan);
    net::scan_ipv4(&mut scan);
    net::scan_ipv6(&mut scan);
    ids::scan_hashes(&mut scan);
    ids::scan_cves(&mut scan);
    ids::scan_attack(&mut scan);
    let own = own_site(ctx);
    let mut found = scan.found;
    found.sort_unstable();
    let mut out: Vec<Entity> = Vec::new();
    for (kind, value) in found {
        match out.last_mut() {
            Some(last) if last.kind == kind && last.value == value => last.count += 1,
            _ => out.push(Entity { kind, value, count: 1 }),
        }
    }
    out.retain(|e| {
        !list.is_benign(e.kind, &e.value)
            && !own.as_deref().is_some_and(|site| on_site(e.kind, &e.value, site))
    });
    out
}

/// The registrable domain of the article's own URL.
fn own_site(ctx: &Context<'_>) -> Option<String> {
    let url = ctx.url?.trim();
    let (start, end) = hosts::host_range(url)?;
    let host = url[start..end].trim_matches('.');
    (host.contains('.') && host.bytes().any(|b| b.is_ascii_alphabetic()) && !host.starts_with('['))
        .then(|| hosts::registrable(host))
}

/// A domain, URL or e-mail address of the article's own site.
fn on_site(kind: Kind, value: &str, site: &str) -> bool {
    match kind {
        Kind::Domain => hosts::within(value, site),
        Kind::Url => matches!(hosts::url_host(value), Some(Host::Domain(d)) if hosts::within(d, site)),
        Kind::Email => value.rsplit_once('@').is_some_and(|(_, d)| hosts::within(d, site)),
        _ => false,
    }
}

pub(super) fn normalize_query(kind: Option<Kind>, value: &str) -> String {
    let normalized = nfkc(value.trim());
    let value = refang::refang(&normalized);
    let value = value.trim();
    let kind = kind.or_else(|| guess_kind(value));
    match kind {
        Some(Kind::Cve) => ids::normalize_cve(value).unwrap_or_else(|| value.to_ascii_uppercase()),
        Some(Kind::Attack) => value.to_ascii_uppercase(),
        Some(Kind::Ipv6) => {
            value.parse::<std::net::Ipv6Addr>().map_or_else(|_| value.to_lowercase(), |a| a.to_string())
        }
        Some(Kind::Url) => links::normalize_url(value),
        _ => value.to_lowercase(),
    }
}

/// The kind of a value typed without one (`ioc:`), for the kinds whose normal form is not
/// plain lower case.
fn guess_kind(value: &str) -> Option<Kind> {
    if ids::normalize_cve(value).is_some() {
        Some(Kind::Cve)
    } else if value.len() >= 5
        && value.as_bytes()[0].eq_ignore_ascii_case(&b't')
        && value[1..].bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        Some(Kind::Attack)
    } else if value.contains("://") {
        Some(Kind::Url)
    } else if value.contains(':') && value.parse::<std::net::Ipv6Addr>().is_ok() {
        Some(Kind::Ipv6)
    } else {
        None
    }
}
