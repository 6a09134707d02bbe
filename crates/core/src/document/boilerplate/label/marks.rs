//! Stage 1, marks: which rule groups apply to the page, and the rule flags of every line and block.

use std::collections::HashSet;

use super::super::Meta;
use super::super::blocks::Block;
use super::super::rules::{Compiled, RuleSet, host_of};
use super::*;

pub(super) fn active_groups<'r>(
    rules: &'r RuleSet,
    meta: &Meta<'_>,
    line_norms: &[Option<String>],
) -> Vec<&'r Compiled> {
    let host = host_of(meta.url);
    let mut groups = vec![&rules.generic];
    for site in &rules.sites {
        let by_host = !host.is_empty() && site.host_matches(&host);
        let by_body = !site.detect.is_empty()
            && line_norms.iter().flatten().any(|l| l.chars().count() <= 64 && site.detect.contains(l));
        if by_host || by_body {
            groups.push(site);
        }
    }
    groups
}

pub(super) fn in_set(set: &HashSet<String>, key: &Option<String>) -> bool {
    key.as_ref().is_some_and(|k| set.contains(k))
}

pub(super) fn re_match(re: &Option<regex::RegexSet>, text: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(text))
}

impl Ctx<'_, '_> {
    pub(super) fn line_flags(&self, i: usize) -> u16 {
        let b = &self.doc.blocks[i];
        self.flags[b.first..b.end].iter().fold(0, |a, f| a | f)
    }

    pub(super) fn mark_lines(&mut self, line_norms: &[Option<String>], block_norms: &[Option<String>]) {
        for (l, key) in line_norms.iter().enumerate() {
            let vis = self.doc.visible[l].trim();
            if vis.is_empty() {
                continue;
            }
            let phrase = vis.chars().count() <= MAX_PHRASE_CHARS;
            let mut f = 0;
            let mut strong = false;
            let mut weak = false;
            for g in &self.groups {
                let generic = g.name == "generic";
                if in_set(&g.drop, key) {
                    f |= F_DROP;
                    weak |= generic;
                    strong |= !generic;
                }
                if phrase && re_match(&g.drop_re, vis) {
                    f |= F_DROP;
                    strong = true;
                }
                if phrase && re_match(&g.head_re, vis) {
                    f |= F_HEAD;
                }
                if phrase && re_match(&g.tail_re, vis) {
                    f |= F_TAIL;
                }
                if in_set(&g.cut, key) || (phrase && re_match(&g.cut_re, vis)) {
                    f |= if generic { F_CUT } else { F_CUT_SITE };
                }
                if in_set(&g.start, key) {
                    f |= if generic { F_START } else { F_START_SITE };
                }
                if in_set(&g.sections, key) {
                    f |= F_SECTION;
                }
                if phrase && re_match(&g.failed_re, vis) {
                    f |= F_FAILED;
                }
                if phrase && re_match(&g.cards_re, vis) {
                    f |= F_CARD;
                }
            }
            if weak && !strong {
                f |= F_WEAK;
            }
            self.flags[l] = f;
        }
        for (i, key) in block_norms.iter().enumerate() {
            let mut f = 0;
            for g in &self.groups {
                let generic = g.name == "generic";
                if in_set(&g.drop, key) {
                    f |= F_DROP;
                }
                if in_set(&g.cut, key) {
                    f |= if generic { F_CUT } else { F_CUT_SITE };
                }
                if in_set(&g.sections, key) {
                    f |= F_SECTION;
                }
                if in_set(&g.start, key) {
                    f |= if generic { F_START } else { F_START_SITE };
                }
            }
            self.block_flags[i] = f;
        }
    }

    /// Lines of the block that carry text.
    pub(super) fn text_lines(&self, b: &Block) -> impl Iterator<Item = usize> + '_ {
        let doc = self.doc;
        (b.first..b.end).filter(move |&l| doc.line_tokens[l] > 0)
    }

    /// Every line with text carries one of `flag`.
    pub(super) fn all_lines(&self, i: usize, flag: u16) -> bool {
        let b = &self.doc.blocks[i];
        b.tokens > 0 && self.text_lines(b).all(|l| self.flags[l] & flag != 0)
    }
}
