//! Indicators an article names: CVE ids, IPs, domains, URLs, hashes, e-mail addresses and
//! ATT&CK technique ids, found in its cleaned text, refanged and normalized.
//!
//! The API here is what the body pass, the filter and the commands use; `extract` holds the
//! scanner, `refang` the defang/refang rules, `warninglist` the benign values dropped (shipped
//! as `assets/warninglist.yaml`, extended by the user's file of the same shape).

mod extract;
mod hosts;
mod ids;
mod links;
mod net;
mod refang;
#[cfg(test)]
mod tests;
mod warninglist;

use serde::{Deserialize, Serialize};

pub use refang::{defang, refang};
pub use warninglist::{BUILTIN_WARNINGLIST, Warninglist, WarninglistError};

/// What an indicator is. The order is the order the entities panel and `yuedu iocs` list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    Cve,
    Attack,
    Ipv4,
    Ipv6,
    Domain,
    Url,
    Email,
    Md5,
    Sha1,
    Sha256,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Cve,
        Kind::Attack,
        Kind::Ipv4,
        Kind::Ipv6,
        Kind::Domain,
        Kind::Url,
        Kind::Email,
        Kind::Md5,
        Kind::Sha1,
        Kind::Sha256,
    ];

    /// The name used in output and in `yuedu iocs`: `cve`, `ipv4`, `sha256`, …
    pub fn name(self) -> &'static str {
        match self {
            Kind::Cve => "cve",
            Kind::Attack => "attack",
            Kind::Ipv4 => "ipv4",
            Kind::Ipv6 => "ipv6",
            Kind::Domain => "domain",
            Kind::Url => "url",
            Kind::Email => "email",
            Kind::Md5 => "md5",
            Kind::Sha1 => "sha1",
            Kind::Sha256 => "sha256",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(name))
    }
}

/// One indicator of an article, normalized, with how often the article names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entity {
    pub kind: Kind,
    /// Normalized: refanged, CVE ids upper case, domains, hashes and e-mail addresses lower case.
    pub value: String,
    pub count: u32,
}

/// What the extractor knows of the article beyond its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The article's own URL: links to its own site are not indicators.
    pub url: Option<&'a str>,
}

/// Finds indicators in text. Holds the compiled warninglist; build it once and share it.
#[derive(Debug, Clone, Default)]
pub struct Extractor {
    warninglist: Warninglist,
}

impl Extractor {
    pub fn new(warninglist: Warninglist) -> Extractor {
        Extractor { warninglist }
    }

    /// The extractor with the shipped warninglist only.
    pub fn builtin() -> Extractor {
        Extractor::new(Warninglist::builtin())
    }

    /// Every indicator in `text` (NFKC first, then refanged), sorted by kind then value, each
    /// once with its count. Benign values (the warninglist, the article's own domain) are left
    /// out.
    pub fn extract(&self, text: &str, ctx: &Context<'_>) -> Vec<Entity> {
        extract::extract(text, ctx, &self.warninglist)
    }
}

/// The year of a CVE id (`CVE-2024-3400` → 2024).
pub fn cve_year(value: &str) -> Option<u16> {
    value.get(4..8)?.parse().ok()
}

/// Normalizes a value the user typed (`cve:cve-2024-3400`, `ioc:evil[.]com`) the way extracted
/// values are, so a term matches exactly. `kind` is the term's kind (`None` for `ioc:`, any
/// kind).
pub fn normalize_query(kind: Option<Kind>, value: &str) -> String {
    extract::normalize_query(kind, value)
}
