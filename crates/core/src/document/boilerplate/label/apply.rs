//! Stage 3, rules: marked lines and blocks, link-list sections, WeChat source cards, chrome
//! images and the source's learned template.

use super::super::Reason;
use super::super::blocks::{Block, Kind};
use super::super::template::SourceTemplate;
use super::super::text::{has_sentence_punct, norm, template_key};
use super::marks::re_match;
use super::*;

impl Ctx<'_, '_> {
    pub(super) fn apply_rules(&mut self, start: usize, cut: usize, source: &str) {
        let doc = self.doc;
        let mut i = start;
        while i < cut {
            let b = &doc.blocks[i];
            if self.why[i].is_some() {
                i += 1;
                continue;
            }
            let bf = self.block_flags[i];
            let lf = self.line_flags(i);
            if (bf | lf) & F_SECTION != 0 && b.tokens <= 12 {
                self.why[i] = Some(Reason::LinkList);
                i = self.drop_section(i + 1, cut);
                continue;
            }
            if bf & F_DROP != 0 || self.all_lines(i, F_DROP | F_FAILED) {
                let failed = (bf | lf) & F_FAILED != 0;
                self.why[i] = Some(if failed { Reason::Failed } else { Reason::Rule });
                // Only a one- or two-word label ("Share", "关注") might be the author's own line.
                self.weak[i] =
                    !failed && b.tokens <= 2 && self.text_lines(b).all(|l| self.flags[l] & F_WEAK != 0);
            } else if lf & (F_DROP | F_FAILED) != 0
                && matches!(b.kind, Kind::Paragraph | Kind::Item | Kind::Other)
            {
                for l in b.first..b.end {
                    if self.flags[l] & (F_DROP | F_FAILED) != 0 {
                        self.line_drop[l] = true;
                    }
                }
            } else if b.tokens == 0 && !b.images.is_empty() && self.chrome_images(b) {
                self.why[i] = Some(Reason::Image);
            } else if b.tokens > 0
                && !source.is_empty()
                && b.kind != Kind::Code
                && norm(&doc.block_text(b)) == source
            {
                self.why[i] = Some(Reason::Rule);
            }
            i += 1;
        }
    }

    /// WeChat's source card: "以下文章来源于 X，作者 Y", an avatar, the name, a card-end line ("."),
    /// then the source's blurb. The account's own name just above the card goes with it.
    pub(super) fn drop_card(&mut self, start: usize, cut: usize) {
        let doc = self.doc;
        let text_blocks: Vec<usize> = (start..cut).filter(|&i| doc.blocks[i].tokens > 0).take(10).collect();
        let Some(k0) = text_blocks.iter().position(|&i| self.line_flags(i) & F_HEAD != 0) else { return };
        let ends_card = |i: usize| {
            let b = &doc.blocks[i];
            (b.first..b.end)
                .rev()
                .find(|&l| !doc.lines[l].trim().is_empty())
                .is_some_and(|l| self.flags[l] & F_CARD != 0)
        };
        let Some(k1) = (k0..text_blocks.len().min(k0 + 4)).find(|&k| ends_card(text_blocks[k])) else {
            return;
        };
        let (c0, c1) = (text_blocks[k0], text_blocks[k1]);
        for i in c0..=c1 {
            if self.why[i].is_none() {
                self.why[i] = Some(Reason::Byline);
            }
        }
        if let Some(&blurb) = text_blocks.get(k1 + 1) {
            let b = &doc.blocks[blurb];
            if b.tokens <= 120 && !b.is_heading() && self.why[blurb].is_none() {
                self.why[blurb] = Some(Reason::Byline);
            }
        }
        if k0 > 0 {
            let name = text_blocks[k0 - 1];
            let b = &doc.blocks[name];
            if b.tokens <= 20
                && b.links == 0
                && !has_sentence_punct(&doc.block_text(b))
                && self.why[name].is_none()
            {
                self.why[name] = Some(Reason::Byline);
            }
        }
    }

    /// All images of the block are covers, logos, QR codes or avatars.
    pub(super) fn chrome_images(&self, b: &Block) -> bool {
        b.images.iter().all(|img| {
            self.groups.iter().any(|g| re_match(&g.images_re, &img.alt) || re_match(&g.images_re, &img.url))
        })
    }

    /// Drops the links under a link-list heading; returns the first block after them.
    pub(super) fn drop_section(&mut self, mut i: usize, cut: usize) -> usize {
        let doc = self.doc;
        while i < cut {
            let b = &doc.blocks[i];
            let linky = b.tokens == 0 || b.link_tokens * 2 >= b.tokens;
            let text = doc.block_text(b);
            let short_note = b.plain_tokens() <= 12 && !has_sentence_punct(&text);
            let plain_heading = matches!(b.kind, Kind::Heading(_)) && b.link_tokens == 0;
            if plain_heading || b.kind == Kind::Code || !(linky || short_note) {
                break;
            }
            if self.why[i].is_none() {
                self.why[i] = Some(Reason::LinkList);
            }
            i += 1;
        }
        i
    }

    pub(super) fn apply_template(&mut self, t: &SourceTemplate, start: usize, cut: usize) {
        let doc = self.doc;
        let mut plain = Vec::new();
        for i in start..cut {
            let b = &doc.blocks[i];
            if self.why[i].is_some() || b.kind == Kind::Code {
                continue;
            }
            let mut keyed = 0;
            let mut hits = 0;
            for l in b.first..b.end {
                if let Some(k) = template_key(doc.lines[l]) {
                    keyed += 1;
                    hits += usize::from(t.contains_key(k));
                }
            }
            if keyed > 0 && hits == keyed {
                if b.link_tokens * 2 >= b.tokens {
                    self.why[i] = Some(Reason::Template);
                } else {
                    plain.push(i);
                }
            }
        }
        // Recurring plain text inside the article is often its own structure (field labels such
        // as "Author:", a standing translation note): it is the template's only in the run that
        // ends the page (a newsletter sign-off, a standing footer).
        let last_own = (start..cut)
            .rev()
            .find(|&i| self.why[i].is_none() && doc.blocks[i].tokens > 0 && plain.binary_search(&i).is_err());
        for i in plain {
            if last_own.is_none_or(|j| i > j) {
                self.why[i] = Some(Reason::Template);
            }
        }
    }
}
