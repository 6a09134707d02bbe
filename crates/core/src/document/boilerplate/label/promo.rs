//! Generic detector, promotions at the tail: a notice that links back to the page itself
//! ("本文链接：…", "Permalink") or states its licence, a random epigraph under the story
//! ("…--托玛斯·杰弗逊"), and the author box (an avatar whose alt text is the name that opens the
//! next block). Calls to action and newsletter sign-ups are phrases, kept as `tail` patterns in
//! the rule file.

use std::sync::OnceLock;

use regex::Regex;

use super::super::Reason;
use super::super::text::norm;
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

/// A line about the page itself: its link, its title, its licence.
fn notice_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^\W*(本文(链接|地址|标题)|原文(链接|地址)|permalink|版权(声明|所有)?\W*$|☆版权☆)")
            .expect("the notice pattern compiles")
    })
}

/// The author box comes after this share of the text's prose.
const AUTHOR_BOX_SHARE: f64 = 0.5;
/// An author's name is at most this many tokens; a bio at most [`MAX_NOTICE_TOKENS`].
const MAX_NAME_TOKENS: usize = 6;

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
        let self_link =
            self.page.len() >= MIN_PAGE_KEY && b.tokens <= MAX_NOTICE_TOKENS && links_to(&raw, &self.page);
        let epigraph =
            b.end - b.first == 1 && b.links == 0 && epigraph_re().is_match(doc.visible[b.first].trim());
        let notice = b.tokens <= MAX_NOTICE_TOKENS
            && self.text_lines(b).any(|l| notice_re().is_match(&doc.visible[l]));
        self_link || epigraph || notice
    }

    /// The author box past the middle of the text: an image whose alt text is a name, then a
    /// block that is that name, or opens with it and "is"/"是" (a bio); a bio after a name block
    /// goes with it.
    pub(super) fn author_box(&mut self, start: usize, cut: usize, prose: &[f64]) {
        let doc = self.doc;
        let total: f64 = prose[start..cut].iter().sum();
        let mut before = 0.0;
        for i in start..cut {
            before += prose[i];
            let b = &doc.blocks[i];
            let Some(img) = b.images.first() else { continue };
            let alt = norm(&img.alt);
            if b.tokens > 0 || alt.is_empty() || alt.chars().count() > 40 || before < AUTHOR_BOX_SHARE * total
            {
                continue;
            }
            let Some(next) = ((i + 1)..cut).find(|&j| doc.blocks[j].tokens > 0) else { continue };
            let nb = &doc.blocks[next];
            let text = doc.block_text(nb);
            let key = norm(&text);
            let name = key == alt && nb.tokens <= MAX_NAME_TOKENS;
            let rest = text.trim_start_matches(['#', '*', '[', ' ']).trim_start();
            let bio = key.starts_with(&alt)
                && nb.tokens <= MAX_NOTICE_TOKENS
                && rest.get(img.alt.trim().len()..).is_some_and(|r| {
                    let r = r.trim_start_matches([']', '*', ' ']);
                    r.starts_with("is ") || r.starts_with("was ") || r.starts_with('是')
                });
            if !(name || bio) {
                continue;
            }
            self.why[next] = Some(Reason::Promo);
            if name
                && let Some(after) = ((next + 1)..cut).find(|&j| doc.blocks[j].tokens > 0)
                && doc.blocks[after].tokens <= MAX_NOTICE_TOKENS
                && !doc.blocks[after].is_heading()
            {
                self.why[after] = Some(Reason::Promo);
            }
        }
    }
}
