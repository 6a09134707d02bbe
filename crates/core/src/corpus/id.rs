//! Stable article ids: a hash of the normalized URL, so an id survives moving or renaming a file.

use std::fmt;
use std::str::FromStr;

/// 64-bit id, shown as 16 hex digits. Any unique prefix of at least 4 digits names an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ArticleId(pub u64);

impl ArticleId {
    pub fn from_url(url: &str) -> ArticleId {
        ArticleId(xxhash_rust::xxh3::xxh3_64(normalize_url(url).as_bytes()))
    }

    /// For articles without a URL: the path relative to the corpus root, with `/` separators.
    pub fn from_relative_path(path: &str) -> ArticleId {
        ArticleId(xxhash_rust::xxh3::xxh3_64(format!("path:{path}").as_bytes()))
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl FromStr for ArticleId {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        u64::from_str_radix(s, 16).map(ArticleId)
    }
}

/// What a user typed to name an article: 4 or more hex digits, any case, matching every id
/// that starts with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdPrefix {
    /// Lowercase, trimmed: how messages show it.
    pub text: String,
}

impl IdPrefix {
    pub fn parse(key: &str) -> Result<IdPrefix, String> {
        let text = key.trim().to_ascii_lowercase();
        if text.len() < 4 || !text.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!("{text:?} is not an article id (4 to 16 hex digits)"));
        }
        Ok(IdPrefix { text })
    }

    /// The ids it names, as an inclusive range; None past 16 digits, which name nothing.
    pub fn range(&self) -> Option<(u64, u64)> {
        if self.text.len() > 16 {
            return None;
        }
        let lo_text = format!("{:0<16}", self.text);
        let hi_text = format!("{:f<16}", self.text);
        Some((u64::from_str_radix(&lo_text, 16).ok()?, u64::from_str_radix(&hi_text, 16).ok()?))
    }

    pub fn matches(&self, id: ArticleId) -> bool {
        self.range().is_some_and(|(lo, hi)| (lo..=hi).contains(&id.0))
    }

    /// The message for `n` matches (1 is not an error).
    pub fn not_unique(&self, n: usize) -> String {
        if n == 0 {
            format!("no article with id {}", self.text)
        } else {
            format!("id {} is ambiguous: give more digits", self.text)
        }
    }
}

/// Query parameters that track the reader rather than name the page.
fn is_tracking_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_")
        || matches!(
            name.as_str(),
            "chksm"
                | "scene"
                | "subscene"
                | "srcid"
                | "sharer_sharetime"
                | "sharer_shareid"
                | "sharer_shareinfo"
                | "sharer_shareinfo_first"
                | "isappinstalled"
                | "clicktime"
                | "enterid"
                | "exptype"
                | "ascene"
                | "devicetype"
                | "nettype"
                | "pass_ticket"
                | "wx_header"
                | "fbclid"
                | "gclid"
                | "spm"
                | "mc_cid"
                | "mc_eid"
        )
}

/// Lower-cases scheme and host, drops the fragment, default ports, a trailing slash and
/// tracking parameters, and sorts the remaining parameters.
pub fn normalize_url(url: &str) -> String {
    let url = url.trim();
    // A plain anchor (`#rd`, `#section-2`) names a place in the page and is dropped; a fragment
    // carrying a route or parameters (`#/post/7`, `#a=1&b=2`) names the page and is kept.
    let (url, fragment) = match url.split_once('#') {
        Some((u, f)) if f.contains(['/', '=', '&', '?']) => (u, Some(f)),
        Some((u, _)) => (u, None),
        None => (url, None),
    };
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => return url.to_string(),
    };
    let (authority, path_query) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let mut host = authority.to_ascii_lowercase();
    for (s, port) in [("http", ":80"), ("https", ":443")] {
        if scheme == s && host.ends_with(port) {
            host.truncate(host.len() - port.len());
        }
    }
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let path = path.trim_end_matches('/');
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| !is_tracking_param(p.split('=').next().unwrap_or(p)))
        .collect();
    params.sort_unstable();
    let scheme = if scheme == "http" { "https".to_string() } else { scheme };
    let mut out = format!("{scheme}://{host}{path}");
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_fragment_slash_and_tracking() {
        assert_eq!(
            normalize_url("HTTP://Example.COM:80/a/b/?utm_source=x&b=2&a=1#top"),
            "https://example.com/a/b?a=1&b=2"
        );
        assert_eq!(normalize_url("https://example.com"), "https://example.com");
        assert_eq!(normalize_url("https://spa.example/#/post/7"), "https://spa.example#/post/7");
    }

    #[test]
    fn wechat_keeps_identity_params_only() {
        let a = "https://mp.weixin.qq.com/s?__biz=MzA&mid=22&idx=1&sn=abc&chksm=ff#rd";
        let b = "https://mp.weixin.qq.com/s?__biz=MzA&mid=22&idx=1&sn=abc&scene=58&subscene=0#rd";
        assert_eq!(ArticleId::from_url(a), ArticleId::from_url(b));
        let c = "https://mp.weixin.qq.com/s?__biz=MzA&mid=22&idx=2&sn=abc";
        assert_ne!(ArticleId::from_url(a), ArticleId::from_url(c));
    }

    #[test]
    fn prefixes_name_ranges() {
        let p = IdPrefix::parse(" 3F2A ").unwrap();
        assert_eq!(p.range(), Some((0x3f2a_0000_0000_0000, 0x3f2a_ffff_ffff_ffff)));
        assert!(p.matches(ArticleId(0x3f2a_0000_0000_0001)) && !p.matches(ArticleId(0x3f2b_0000_0000_0000)));
        assert_eq!(IdPrefix::parse("0123456789abcdef0").unwrap().range(), None);
        assert!(IdPrefix::parse("3f2").is_err() && IdPrefix::parse("3f2g").is_err());
    }

    #[test]
    fn id_round_trips_as_hex() {
        let id = ArticleId::from_url("https://a.example/x");
        assert_eq!(id.to_string().len(), 16);
        assert_eq!(id.to_string().parse::<ArticleId>().ok(), Some(id));
    }
}
