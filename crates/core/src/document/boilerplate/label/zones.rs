//! Stage 5, zones: bylines before the text, notes after it, stray rules, teasers, and a last pass
//! that revises weak labels from their neighbours.

use super::super::Reason;
use super::super::blocks::Kind;
use super::super::text::{has_sentence_punct, norm};
use super::meta::is_meta_line;
use super::*;

impl Ctx<'_, '_> {
    /// Bylines before the text begins and notes after it ends.
    pub(super) fn zones(&mut self, in_text: &[bool], source: &str, start: usize) {
        let doc = self.doc;
        let solid: Vec<usize> = (0..doc.blocks.len())
            .filter(|&i| {
                in_text[i]
                    && self.why[i].is_none()
                    && self.solid(i)
                    && !self.all_chrome_lines(i, F_HEAD | F_TAIL)
                    && !self.is_promo_block(i)
            })
            .collect();
        let (Some(&first), Some(&last)) = (solid.first(), solid.last()) else { return };
        let named = |i: usize| {
            let b = &doc.blocks[i];
            !source.is_empty() && b.tokens > 0 && b.tokens <= 20 && norm(&doc.block_text(b)) == source
        };
        // An author line just before the account's name ("原创", author, account).
        if let Some(s) = (start..first).find(|&i| named(i)) {
            for j in start..s {
                let b = &doc.blocks[j];
                let text = doc.block_text(b);
                if self.why[j].is_none()
                    && b.tokens > 0
                    && b.tokens <= 12
                    && b.links == 0
                    && !has_sentence_punct(&text)
                {
                    self.why[j] = Some(Reason::Byline);
                }
            }
        }
        for i in 0..doc.blocks.len() {
            if !in_text[i] || self.why[i].is_some() || (i > first && i < last) {
                continue;
            }
            let b = &doc.blocks[i];
            let mut flag = 0;
            if i <= first {
                flag |= F_HEAD;
            }
            if i >= last {
                flag |= F_TAIL;
            }
            let edge = i < first || i > last;
            if edge && self.is_meta_block(i) {
                self.why[i] = Some(Reason::Metadata);
            } else if edge && self.all_chrome_lines(i, flag) && !self.all_lines(i, flag) {
                // Rule-marked lines ("原创") mixed with metadata lines: a byline block.
                self.why[i] = Some(Reason::Metadata);
            } else if i > last && self.is_promo_block(i) {
                self.why[i] = Some(Reason::Promo);
            } else if edge && (named(i) || self.all_lines(i, flag)) {
                self.why[i] = Some(if i < first { Reason::Byline } else { Reason::Rule });
            } else if matches!(b.kind, Kind::Paragraph | Kind::Item | Kind::Other) {
                for l in b.first..b.end {
                    if self.flags[l] & flag != 0 {
                        self.line_drop[l] = true;
                    }
                }
            }
        }
    }

    /// Every text line of block `i` carries one of `flag` or is a metadata line.
    fn all_chrome_lines(&self, i: usize, flag: u16) -> bool {
        let b = &self.doc.blocks[i];
        b.tokens > 0
            && self.text_lines(b).all(|l| self.flags[l] & flag != 0 || is_meta_line(&self.doc.visible[l]))
    }

    pub(super) fn solid(&self, i: usize) -> bool {
        let b = &self.doc.blocks[i];
        match b.kind {
            Kind::Code => b.tokens > 0,
            Kind::Heading(_) | Kind::Rule => false,
            _ => {
                let p = b.plain_tokens();
                p >= 10 && p >= b.link_tokens && (p >= 20 || has_sentence_punct(&self.doc.block_text(b)))
            }
        }
    }

    /// Thematic breaks before the first or after the last kept text only delimit chrome.
    pub(super) fn trim_rules(&mut self) {
        let doc = self.doc;
        let kept: Vec<usize> = (0..doc.blocks.len()).filter(|&i| self.why[i].is_none()).collect();
        for dir in [false, true] {
            let order: Box<dyn Iterator<Item = &usize>> =
                if dir { Box::new(kept.iter().rev()) } else { Box::new(kept.iter()) };
            for &i in order {
                let b = &doc.blocks[i];
                if b.kind == Kind::Rule || (b.tokens == 0 && b.images.is_empty() && b.kind != Kind::Code) {
                    self.why[i] = Some(Reason::Rule);
                } else {
                    break;
                }
            }
        }
    }

    /// A teaser: an opening line repeated at the start of a later, fuller line.
    pub(super) fn drop_teasers(&mut self, start: usize, cut: usize) {
        let doc = self.doc;
        let mut head_lines = Vec::new();
        for i in start..cut {
            if self.why[i].is_some() {
                continue;
            }
            let b = &doc.blocks[i];
            for l in b.first..b.end {
                if doc.line_tokens[l] >= 8 && !self.line_drop[l] {
                    head_lines.push((i, l));
                }
            }
            if head_lines.len() >= 6 {
                break;
            }
        }
        for (bi, l) in head_lines {
            let key = norm(&doc.visible[l]);
            if key.chars().count() < 24 {
                continue;
            }
            let later = ((bi + 1)..cut).any(|j| {
                self.why[j].is_none()
                    && (doc.blocks[j].first..doc.blocks[j].end).any(|m| {
                        doc.visible[m].len() >= doc.visible[l].len()
                            && doc.visible[m].len() <= MAX_PHRASE_CHARS * 40
                            && norm(&doc.visible[m]).starts_with(&key)
                    })
            });
            if later {
                let b = &doc.blocks[bi];
                if b.end - b.first == 1 {
                    self.why[bi] = Some(Reason::Rule);
                } else {
                    self.line_drop[l] = true;
                }
            }
        }
    }

    /// A weakly dropped block between two kept blocks of text is kept: a lone short line inside
    /// the article is more likely the author's than the site's.
    pub(super) fn smooth(&mut self) {
        let n = self.doc.blocks.len();
        let kept = |why: &Option<Reason>| why.is_none();
        let mut revert = Vec::new();
        for i in 0..n {
            if !self.weak[i] || self.why[i] == Some(Reason::OutsideText) {
                continue;
            }
            let prev = (0..i).rev().find(|&j| self.doc.blocks[j].tokens > 0);
            let next = ((i + 1)..n).find(|&j| self.doc.blocks[j].tokens > 0);
            if let (Some(p), Some(q)) = (prev, next)
                && kept(&self.why[p])
                && kept(&self.why[q])
                && self.solid(p)
                && self.solid(q)
            {
                revert.push(i);
            }
        }
        for i in revert {
            self.why[i] = None;
        }
    }
}
