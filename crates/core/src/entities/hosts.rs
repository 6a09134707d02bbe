//! Host names: the TLD list, domain validation, the host of a URL and an article's own site.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

/// The accepted TLDs (`assets/tlds.txt`).
const TLDS: &str = include_str!("../../../../assets/tlds.txt");

/// How much a TLD says on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tld {
    /// A name ending in it is a domain.
    Plain,
    /// Also a common file extension (`py`, `md`, `zip`): a domain only with more evidence.
    FileExt,
}

static TLD_SET: LazyLock<HashMap<&'static str, Tld>> = LazyLock::new(|| {
    TLDS.lines()
        .filter_map(|line| {
            let line = line.split('#').next()?.trim();
            let mut words = line.split_whitespace();
            let name = words.next()?;
            let kind = if words.next() == Some("file") { Tld::FileExt } else { Tld::Plain };
            Some((name, kind))
        })
        .collect()
});

/// The longest label DNS allows.
const MAX_LABEL: usize = 63;
/// The longest name DNS allows.
const MAX_NAME: usize = 253;

pub(super) fn tld(label: &str) -> Option<Tld> {
    if label.len() > MAX_LABEL || !label.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut lower = [0u8; MAX_LABEL];
    let lower = &mut lower[..label.len()];
    lower.copy_from_slice(label.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).ok().and_then(|l| TLD_SET.get(l).copied())
}

/// The TLD of `name` when it is a well-formed domain: two labels or more, each 1 to 63 of
/// `[A-Za-z0-9-]` without a leading or trailing `-`, ending in a known TLD.
pub(super) fn domain_tld(name: &str) -> Option<Tld> {
    if name.len() > MAX_NAME {
        return None;
    }
    let (rest, last) = name.rsplit_once('.')?;
    let kind = tld(last)?;
    for label in rest.split('.') {
        let b = label.as_bytes();
        let ok = !b.is_empty()
            && b.len() <= MAX_LABEL
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
            && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-');
        if !ok {
            return None;
        }
    }
    Some(kind)
}

/// The host of a URL, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Host<'a> {
    Domain(&'a str),
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
}

/// The byte range of the host in `url` (`scheme://user@HOST:port/path`), whatever its form.
pub(super) fn host_range(url: &str) -> Option<(usize, usize)> {
    let start = url.find("://")? + 3;
    let authority_end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    let host_start = url[start..authority_end].rfind('@').map_or(start, |i| start + i + 1);
    let authority = &url[host_start..authority_end];
    let host_len = if authority.starts_with('[') {
        authority.find(']')? + 1
    } else {
        match authority.rfind(':') {
            Some(i) if authority[i + 1..].bytes().all(|b| b.is_ascii_digit()) => i,
            Some(_) => return None,
            None => authority.len(),
        }
    };
    (host_len > 0).then_some((host_start, host_start + host_len))
}

/// The host of `url` when it is a domain with a known TLD, an IPv4 or a bracketed IPv6 address.
pub(super) fn url_host(url: &str) -> Option<Host<'_>> {
    let (start, end) = host_range(url)?;
    let host = &url[start..end];
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse().ok().map(Host::Ipv6);
    }
    if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return host.parse().ok().map(Host::Ipv4);
    }
    domain_tld(host).map(|_| Host::Domain(host))
}

/// Second-level labels under which a ccTLD registers names (`example.com.cn`, `bbc.co.uk`).
const REGISTRY_SECOND_LEVELS: &[&str] =
    &["com", "net", "org", "gov", "edu", "ac", "co", "or", "ne", "go", "mil", "gob", "nic"];

/// The registrable domain of `host` (lower case): its last two labels, or three under a
/// ccTLD's registry level (`a.b.com.cn` → `b.com.cn`). An approximation of the public suffix
/// list, enough to tell an article's own site.
pub(super) fn registrable(host: &str) -> String {
    let host = host.to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let keep = if n >= 3 && labels[n - 1].len() == 2 && REGISTRY_SECOND_LEVELS.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    labels[n.saturating_sub(keep)..].join(".")
}

/// `name` is `site` or one of its subdomains.
pub(super) fn within(name: &str, site: &str) -> bool {
    name == site
        || (name.len() > site.len()
            && name.ends_with(site)
            && name.as_bytes()[name.len() - site.len() - 1] == b'.')
}
