//! Generic detector, promotions at the tail: a notice that links back to the page itself
//! ("本文链接：…", "Permalink"), a random epigraph under the story ("…--托玛斯·杰弗逊"). Calls to
//! action and newsletter sign-ups are phrases, kept as `tail` patterns in the rule file.

use std::sync::OnceLock;

use regex::Regex;

use super::*;

/// A notice is short; a paragraph that cites the page is the author's.
const MAX_NOTICE_TOKENS: usize = 60;
/// A page key shorter than this (a bare host) would match every internal link.
const MIN_PAGE_KEY: usize = 12;

/// A quotation signed with a dash: "text--Author", "text —— Author".
fn epigraph_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^[^\[\]()<>]{4,120}?(--|——|—)\s?[^\s\-—][^\[\]()<>]{0,30}$")
            .expect("the epigraph pattern compiles")
    })
}

/// The URL without scheme, `www.`, query or trailing slash.
pub(super) fn page_key(url: &str) -> String {
    let u = url.trim();
    let u = u.split_once("://").map_or(u, |(_, rest)| rest);
    let u = u.strip_prefix("www.").unwrap_or(u);
    let u = u.split(['?', '#']).next().unwrap_or("");
    u.trim_end_matches('/').to_ascii_lowercase()
}

/// `raw` holds `page` as a whole URL: the page itself, not a longer path that starts like it.
fn links_to(raw: &str, page: &str) -> bool {
    raw.match_indices(page).any(|(at, _)| {
        let rest = raw[at + page.len()..].trim_start_matches('/');
        rest.is_empty() || rest.starts_with([')', '>', '"', '\'', '#', '?', ' ', '\n', '》', '*'])
    })
}

impl Ctx<'_, '_> {
    /// Block `i` is a tail promotion: a short notice linking to the page itself, or an epigraph.
    pub(super) fn is_promo_block(&self, i: usize) -> bool {
        let doc = self.doc;
        let b = &doc.blocks[i];
        if b.tokens == 0 || b.kind == Kind::Code || b.is_heading() {
            return false;
        }
        let raw = doc.lines[b.first..b.end].join("\n").to_ascii_lowercase();
        let self_link = self.page.len() >= MIN_PAGE_KEY && b.tokens <= MAX_NOTICE_TOKENS && links_to(&raw, &self.page);
        let epigraph = b.end - b.first == 1 && b.links == 0 && epigraph_re().is_match(doc.visible[b.first].trim());
        self_link || epigraph
    }
}
