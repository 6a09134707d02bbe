//! Benign values that are never indicators (documentation and private ranges, public resolvers,
//! empty-file hashes, example domains), in the manner of MISP's warninglists.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use serde::Deserialize;

use super::{Kind, hosts};

/// The shipped list.
pub const BUILTIN_WARNINGLIST: &str = include_str!("../../../../assets/warninglist.yaml");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WarninglistError {
    #[error("invalid warninglist: {0}")]
    Parse(String),
}

/// Compiled benign values.
#[derive(Debug, Clone, Default)]
pub struct Warninglist {
    ipv4: Vec<(u32, u32)>,
    ipv6: Vec<(u128, u128)>,
    domains: HashSet<String>,
    values: HashMap<Kind, HashSet<String>>,
}

/// The file's shape; unknown keys are an error so a typo does not silently list nothing.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    ipv4_ranges: Vec<String>,
    #[serde(default)]
    ipv6_ranges: Vec<String>,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    values: BTreeMap<String, Vec<String>>,
}

static BUILTIN: LazyLock<Warninglist> =
    LazyLock::new(|| Warninglist::from_yaml(BUILTIN_WARNINGLIST).unwrap_or_default());

fn bad(reason: String) -> WarninglistError {
    // One line: serde_yaml's messages may span several.
    WarninglistError::Parse(reason.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `a.b.c.d/len` or a single address as (network, mask).
fn cidr4(s: &str) -> Result<(u32, u32), WarninglistError> {
    let (addr, len) = split_cidr(s, 32)?;
    let addr: Ipv4Addr = addr.parse().map_err(|_| bad(format!("bad IPv4 range {s:?}")))?;
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Ok((u32::from(addr) & mask, mask))
}

fn cidr6(s: &str) -> Result<(u128, u128), WarninglistError> {
    let (addr, len) = split_cidr(s, 128)?;
    let addr: Ipv6Addr = addr.parse().map_err(|_| bad(format!("bad IPv6 range {s:?}")))?;
    let mask = if len == 0 { 0 } else { u128::MAX << (128 - len) };
    Ok((u128::from(addr) & mask, mask))
}

fn split_cidr(s: &str, max: u32) -> Result<(&str, u32), WarninglistError> {
    let s = s.trim();
    match s.split_once('/') {
        None => Ok((s, max)),
        Some((addr, len)) => match len.parse::<u32>() {
            Ok(n) if n <= max => Ok((addr, n)),
            _ => Err(bad(format!("bad prefix length in {s:?} (0 to {max})"))),
        },
    }
}

impl Warninglist {
    pub fn builtin() -> Warninglist {
        BUILTIN.clone()
    }

    /// Parses the YAML format of `assets/warninglist.yaml`.
    pub fn from_yaml(text: &str) -> Result<Warninglist, WarninglistError> {
        let file: File = if text.trim().is_empty() {
            File::default()
        } else {
            serde_yaml::from_str(text).map_err(|e| bad(e.to_string()))?
        };
        let mut list = Warninglist::default();
        for r in &file.ipv4_ranges {
            list.ipv4.push(cidr4(r)?);
        }
        for r in &file.ipv6_ranges {
            list.ipv6.push(cidr6(r)?);
        }
        for d in &file.domains {
            let d = d.trim().trim_start_matches("*.").trim_matches('.').to_ascii_lowercase();
            if d.is_empty() || !d.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
                return Err(bad(format!("bad domain {d:?}")));
            }
            list.domains.insert(d);
        }
        for (kind, values) in &file.values {
            let kind = Kind::parse(kind).ok_or_else(|| bad(format!("unknown kind {kind:?} in values")))?;
            for v in values {
                list.values.entry(kind).or_default().insert(super::normalize_query(Some(kind), v));
            }
        }
        Ok(list)
    }

    /// Adds the entries of `other` (a user's file adds to the shipped list).
    pub fn extend(&mut self, other: Warninglist) {
        self.ipv4.extend(other.ipv4);
        self.ipv6.extend(other.ipv6);
        self.domains.extend(other.domains);
        for (kind, values) in other.values {
            self.values.entry(kind).or_default().extend(values);
        }
    }

    /// Whether a normalized value is benign: listed as a value, in a listed range, or a listed
    /// domain or its subdomain. A URL is benign when its host is; an e-mail address when its
    /// domain is.
    pub fn is_benign(&self, kind: Kind, value: &str) -> bool {
        if self.values.get(&kind).is_some_and(|v| v.contains(value)) {
            return true;
        }
        match kind {
            Kind::Ipv4 => value.parse::<Ipv4Addr>().is_ok_and(|a| self.ipv4_listed(a)),
            Kind::Ipv6 => value.parse::<Ipv6Addr>().is_ok_and(|a| self.ipv6_listed(a)),
            Kind::Domain => self.domain_listed(value),
            Kind::Email => value.rsplit_once('@').is_some_and(|(_, d)| self.domain_listed(d)),
            Kind::Url => match hosts::url_host(value) {
                Some(hosts::Host::Domain(d)) => self.domain_listed(d),
                Some(hosts::Host::Ipv4(a)) => self.ipv4_listed(a),
                Some(hosts::Host::Ipv6(a)) => self.ipv6_listed(a),
                None => false,
            },
            _ => false,
        }
    }

    fn ipv4_listed(&self, a: Ipv4Addr) -> bool {
        let a = u32::from(a);
        self.ipv4.iter().any(|&(net, mask)| a & mask == net)
    }

    fn ipv6_listed(&self, a: Ipv6Addr) -> bool {
        if let Some(v4) = a.to_ipv4_mapped() {
            return self.ipv4_listed(v4);
        }
        let a = u128::from(a);
        self.ipv6.iter().any(|&(net, mask)| a & mask == net)
    }

    /// `domain` or one of its parent domains is listed.
    pub(super) fn domain_listed(&self, domain: &str) -> bool {
        let lower;
        let mut rest = if domain.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = domain.to_ascii_lowercase();
            lower.as_str()
        } else {
            domain
        };
        loop {
            if self.domains.contains(rest) {
                return true;
            }
            match rest.split_once('.') {
                Some((_, parent)) => rest = parent,
                None => return false,
            }
        }
    }
}
