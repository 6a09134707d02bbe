//! Labels each block of a body as article text or chrome: rules first, then the main text found as
//! the densest run of prose, then a pass that revises labels from their neighbours.

// Blocks, their labels, scores and flags live in parallel vectors indexed by block number;
// index loops read more plainly here than zipped iterators.
#![allow(clippy::needless_range_loop)]

use std::collections::HashSet;

use super::blocks::{Block, Doc, Kind};
use super::rules::{Compiled, RuleSet, host_of};
use super::template::SourceTemplate;
use super::text::{has_sentence_punct, is_technical, norm, template_key};
use super::{Meta, Reason};

/// A chrome run inside the main text at least this deep (in score) splits it in two.
const VALLEY: f64 = 30.0;
/// A run of text split off the main one is kept when it scores at least this much...
const MIN_ISLAND: f64 = 40.0;
/// ...and at least this share of the main run.
const ISLAND_SHARE: f64 = 0.15;
/// Lines longer than this are never compared as phrases (they are prose, or hostile).
const MAX_PHRASE_CHARS: usize = 400;

const F_DROP: u16 = 1;
const F_HEAD: u16 = 1 << 1;
const F_TAIL: u16 = 1 << 2;
const F_CUT_SITE: u16 = 1 << 3;
const F_CUT: u16 = 1 << 4;
const F_START: u16 = 1 << 5;
const F_SECTION: u16 = 1 << 6;
const F_FAILED: u16 = 1 << 7;
const F_WEAK: u16 = 1 << 8;
const F_CARD: u16 = 1 << 9;
const F_START_SITE: u16 = 1 << 10;

/// What the labeller decided.
pub(crate) struct Outcome {
    pub keep_line: Vec<bool>,
    pub empty: bool,
    /// Per block: first line, end line, reason.
    pub blocks: Vec<(usize, usize, Reason)>,
}

struct Ctx<'d, 'a> {
    doc: &'d Doc<'a>,
    groups: Vec<&'d Compiled>,
    flags: Vec<u16>,
    /// Flags of whole blocks, matched on the block's joined text.
    block_flags: Vec<u16>,
    why: Vec<Option<Reason>>,
    weak: Vec<bool>,
    line_drop: Vec<bool>,
}

pub(crate) fn label(
    doc: &Doc<'_>,
    rules: &RuleSet,
    meta: &Meta<'_>,
    template: Option<&SourceTemplate>,
) -> Outcome {
    let n = doc.blocks.len();
    let mut cx = Ctx {
        doc,
        groups: Vec::new(),
        flags: vec![0; doc.lines.len()],
        block_flags: vec![0; n],
        why: vec![None; n],
        weak: vec![false; n],
        line_drop: vec![false; doc.lines.len()],
    };
    let line_norms: Vec<Option<String>> = doc
        .visible
        .iter()
        .map(|v| (v.len() <= MAX_PHRASE_CHARS * 4).then(|| norm(v)).filter(|s| !s.is_empty()))
        .collect();
    let block_norms: Vec<Option<String>> = doc
        .blocks
        .iter()
        .map(|b| {
            let multi = b.end - b.first > 1;
            let small =
                doc.visible[b.first..b.end].iter().map(String::len).sum::<usize>() <= MAX_PHRASE_CHARS * 4;
            (multi && small).then(|| norm(&doc.block_text(b))).filter(|s| !s.is_empty())
        })
        .collect();
    cx.groups = active_groups(rules, meta, &line_norms);
    cx.mark_lines(&line_norms, &block_norms);

    let failed =
        cx.flags.iter().any(|f| f & F_FAILED != 0) || cx.block_flags.iter().any(|f| f & F_FAILED != 0);

    let title = norm(meta.title);
    let source = norm(meta.source);
    let matches: Vec<TitleMatch> =
        doc.blocks
            .iter()
            .map(|b| {
                if b.kind == Kind::Code { TitleMatch::No } else { title_match(b, &doc.block_text(b), &title) }
            })
            .collect();
    let titled: Vec<bool> = matches.iter().map(|m| *m != TitleMatch::No).collect();
    // Repeats of the title are not article text, wherever they stand.
    let prose: Vec<f64> =
        doc.blocks.iter().enumerate().map(|(i, b)| if titled[i] { 0.0 } else { cx.prose(i, b) }).collect();

    // The article ends at the first site end marker, or a generic one past the middle of the text.
    let total: f64 = prose.iter().sum();
    let mut cut = n;
    let mut before = 0.0;
    for i in 0..n {
        let f = cx.block_flags[i] | cx.line_flags(i);
        // A generic end marker counts once a good part of the text is behind it: comment threads
        // can outweigh the article, but a "Comments" line in the first lines is no end.
        let site_cut = f & F_CUT_SITE != 0 && (before > 0.0 || total - before - prose[i] <= 0.0);
        if site_cut || (f & F_CUT != 0 && before > 0.0 && before >= 0.3 * total) {
            cut = i;
            break;
        }
        before += prose[i];
    }
    for i in cut..n {
        cx.why[i] = Some(Reason::AfterEnd);
    }

    // The article starts after the last repeat of its title (or a start marker) in the head.
    let upto: f64 = prose[..cut].iter().sum();
    let mut start = 0;
    let mut anchored = false;
    let mut seen = 0.0;
    let mut seen_at_start = 0.0;
    for i in 0..cut {
        let f = cx.block_flags[i] | cx.line_flags(i);
        // Only chrome comes before a repeated title: a heading that merely echoes the title after
        // paragraphs of text is the article's own. A loose echo gets less benefit of the doubt.
        // The page's own heading may follow a sidebar blurb or a cookie notice; a later repeat
        // after more text is the author's.
        let first_repeat = !anchored;
        let allowed = if matches[i] == TitleMatch::Full || f & F_START != 0 {
            if first_repeat { 150.0 } else { 40.0 }
        } else if matches[i] == TitleMatch::Partial {
            40.0
        } else {
            -1.0
        };
        let after = upto - seen - prose[i];
        let since = seen - seen_at_start;
        if (since <= allowed && seen <= after) || f & F_START_SITE != 0 {
            start = i + 1;
            anchored = i > 0;
            seen_at_start = seen + prose[i];
        }
        seen += prose[i];
    }
    for i in 0..start {
        cx.why[i] = Some(if titled[i] { Reason::Title } else { Reason::BeforeStart });
    }

    cx.apply_rules(start, cut, &source);
    cx.drop_card(start, cut);
    if let Some(t) = template {
        cx.apply_template(t, start, cut);
    }

    // The main text: the densest run of prose, split at deep runs of chrome.
    let scores: Vec<f64> = (0..n).map(|i| cx.score(i)).collect();
    let mut islands = Vec::new();
    if let Some((a, b, top)) = best_range(&scores, start, cut) {
        split(&scores, a, b, &mut islands, 0);
        // Text cut off from the main run by a long stretch of chrome (a table of contents, an
        // inline link list) is still the article's when there is enough of it.
        let floor = MIN_ISLAND.max(ISLAND_SHARE * top);
        outside(&scores, start, a, floor, &mut islands, 0);
        outside(&scores, b, cut, floor, &mut islands, 0);
    }
    // A run with no prose at all (headings and images only) is not an article.
    islands.retain(|&(a, b)| (a..b).any(|i| prose[i] > 0.0 && cx.why[i].is_none()));
    islands.sort_unstable();
    // A page that repeats its title after some chrome has started its article: a thin text after
    // that repeat (a body cut short after a subheading) is still the article's. A title as the
    // first line anchors nothing: menus of scraped index pages start that way.
    if islands.is_empty() && anchored {
        let thin: Vec<usize> = (start..cut)
            .filter(|&i| {
                let b = &doc.blocks[i];
                cx.why[i].is_none() && b.tokens > 0 && b.link_tokens * 2 < b.tokens
            })
            .collect();
        islands.extend(thin.into_iter().map(|i| (i, i + 1)));
    }
    // Between the repeated title and the text, only what looks like chrome stays out: the gap
    // holds subtitles, ledes and bylines.
    if let Some(first) = islands.first_mut() {
        let gap = &scores[start..first.0];
        if anchored && gap.iter().sum::<f64>() > -VALLEY {
            first.0 = start;
            for i in start..cut {
                let b = &doc.blocks[i];
                if i >= first.1 || cx.why[i].is_some() {
                    continue;
                }
                if scores[i] < 0.0 && b.tokens > 0 && b.link_tokens * 2 > b.tokens {
                    cx.why[i] = Some(Reason::OutsideText);
                }
                if scores[i] > 0.0 {
                    break;
                }
            }
        }
    }
    let mut in_text = vec![false; n];
    for &(a, b) in &islands {
        let a = cx.extend_back(a, start);
        let b = cx.extend_references(b, cut);
        for t in in_text.iter_mut().take(b).skip(a) {
            *t = true;
        }
    }
    for i in start..cut {
        if !in_text[i] && cx.why[i].is_none() {
            cx.why[i] = Some(Reason::OutsideText);
            cx.weak[i] = true;
        }
    }

    cx.zones(&in_text, &source, start);
    cx.trim_rules();
    cx.drop_teasers(start, cut);
    cx.smooth();

    let mut keep_line = vec![false; doc.lines.len()];
    let mut kept_tokens = 0;
    let mut reports = Vec::with_capacity(n);
    for (i, b) in doc.blocks.iter().enumerate() {
        let why = cx.why[i].unwrap_or(Reason::Content);
        reports.push((b.first, b.end, why));
        if why != Reason::Content {
            continue;
        }
        for l in b.first..b.end {
            if !cx.line_drop[l] {
                keep_line[l] = true;
                kept_tokens += doc.line_tokens[l];
            }
        }
    }
    let s = rules.settings;
    // A short body with nothing around it to drop (and no failed-load line) is a brief or a note,
    // not a promo over a cut-off menu.
    let dropped_text = reports.iter().any(|&(first, end, why)| {
        why != Reason::Title && (first..end).any(|l| !keep_line[l] && doc.line_tokens[l] > 0)
    });
    let empty = if dropped_text || failed {
        kept_tokens < s.min_tokens
            || (failed && kept_tokens < s.failed_min_tokens)
            || (!anchored && kept_tokens < s.unanchored_min_tokens)
    } else {
        kept_tokens == 0
    };
    if empty {
        keep_line.iter_mut().for_each(|k| *k = false);
    }
    Outcome { keep_line, empty, blocks: reports }
}

fn active_groups<'r>(
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

/// How a block matches the title: not at all, loosely (a heading cut short), or fully (the
/// title itself, perhaps with a site name around it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TitleMatch {
    No,
    Partial,
    Full,
}

fn title_match(b: &Block, text: &str, title: &str) -> TitleMatch {
    let t = norm(text);
    let (tl, nl) = (title.chars().count(), t.chars().count());
    if tl == 0 || nl == 0 {
        return TitleMatch::No;
    }
    if t == title {
        return TitleMatch::Full;
    }
    // Loose matches only for a title long enough not to be a common phrase, and only on a line
    // that stands alone (a heading or a one-line paragraph), never on a list item.
    let alone = b.is_heading() || (b.kind == Kind::Paragraph && b.end - b.first == 1);
    if tl < 20 || !alone {
        return if tl >= 6 && alone && (title.starts_with(&t) || title.ends_with(&t)) && nl * 10 >= tl * 6 {
            TitleMatch::Partial
        } else {
            TitleMatch::No
        };
    }
    // The title with a site name after it ("Title - Site") or before it ("Site | Title").
    if (t.starts_with(title) && nl <= tl + 48) || (t.ends_with(title) && nl <= tl + 30) {
        TitleMatch::Full
    } else if (title.starts_with(&t) || title.ends_with(&t)) && nl * 10 >= tl * 6 {
        TitleMatch::Partial
    } else {
        TitleMatch::No
    }
}

#[cfg(test)]
fn is_title(text: &str, title: &str) -> bool {
    let doc = super::blocks::segment(text);
    doc.blocks.first().is_some_and(|b| title_match(b, &doc.block_text(b), title) != TitleMatch::No)
}

fn in_set(set: &HashSet<String>, key: &Option<String>) -> bool {
    key.as_ref().is_some_and(|k| set.contains(k))
}

fn re_match(re: &Option<regex::RegexSet>, text: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(text))
}

impl Ctx<'_, '_> {
    fn line_flags(&self, i: usize) -> u16 {
        let b = &self.doc.blocks[i];
        self.flags[b.first..b.end].iter().fold(0, |a, f| a | f)
    }

    fn mark_lines(&mut self, line_norms: &[Option<String>], block_norms: &[Option<String>]) {
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
    fn text_lines(&self, b: &Block) -> impl Iterator<Item = usize> + '_ {
        let doc = self.doc;
        (b.first..b.end).filter(move |&l| doc.line_tokens[l] > 0)
    }

    /// Every line with text carries one of `flag`.
    fn all_lines(&self, i: usize, flag: u16) -> bool {
        let b = &self.doc.blocks[i];
        b.tokens > 0 && self.text_lines(b).all(|l| self.flags[l] & flag != 0)
    }

    /// How much article-like text a block holds, before any decision.
    fn prose(&self, i: usize, b: &Block) -> f64 {
        let f = self.block_flags[i] | self.line_flags(i);
        if f & (F_DROP | F_FAILED) != 0 && self.all_lines(i, F_DROP | F_FAILED) {
            return 0.0;
        }
        match b.kind {
            Kind::Code => b.tokens as f64,
            Kind::Heading(_) | Kind::Rule => 0.0,
            Kind::Table => {
                let p = b.plain_tokens();
                if p >= 8 && p >= b.link_tokens { p as f64 } else { 0.0 }
            }
            _ => (b.first..b.end).map(|k| line_prose(self.doc, k)).sum::<usize>() as f64,
        }
    }

    fn apply_rules(&mut self, start: usize, cut: usize, source: &str) {
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
    fn drop_card(&mut self, start: usize, cut: usize) {
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
    fn chrome_images(&self, b: &Block) -> bool {
        b.images.iter().all(|img| {
            self.groups.iter().any(|g| re_match(&g.images_re, &img.alt) || re_match(&g.images_re, &img.url))
        })
    }

    /// Drops the links under a link-list heading; returns the first block after them.
    fn drop_section(&mut self, mut i: usize, cut: usize) -> usize {
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

    fn apply_template(&mut self, t: &SourceTemplate, start: usize, cut: usize) {
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

    /// Score of a block for the main-text search: prose counts for, links and menus against.
    fn score(&self, i: usize) -> f64 {
        let doc = self.doc;
        let b = &doc.blocks[i];
        if let Some(why) = self.why[i] {
            return if self.weak[i] && why == Reason::Template { 0.0 } else { -1.0 };
        }
        let p = b.plain_tokens() as f64;
        let l = b.link_tokens as f64;
        match b.kind {
            Kind::Code => 5.0 + b.tokens as f64,
            Kind::Rule => -0.5,
            _ if b.tokens == 0 => -0.5,
            Kind::Heading(_) => (p - 0.5 * l - 1.0).clamp(-3.0, 3.0),
            Kind::Table => {
                let penalty = if p >= 12.0 { 1.0 } else { 4.0 };
                p - 0.6 * l - penalty
            }
            // Line by line: a paragraph of short bare lines is a menu or an archive list, not prose.
            _ => (b.first..b.end).filter(|&k| doc.line_tokens[k] > 0).map(|k| line_score(doc, k)).sum(),
        }
    }

    /// Pulls headings and emphasis lines just before a run of text into it.
    fn extend_back(&self, mut a: usize, start: usize) -> usize {
        let mut steps = 0;
        while a > start && steps < 2 {
            let b = &self.doc.blocks[a - 1];
            if self.why[a - 1].is_some() || !b.is_heading() || b.link_tokens > 0 {
                break;
            }
            a -= 1;
            steps += 1;
        }
        a
    }

    /// A reference list just after the text ("参考资料", "References") belongs to it.
    fn extend_references(&self, end: usize, cut: usize) -> usize {
        let doc = self.doc;
        let mut j = end;
        let mut skipped = 0;
        while j < cut && skipped < 3 {
            let b = &doc.blocks[j];
            if is_reference_heading(&doc.block_text(b)) {
                let mut k = j + 1;
                while k < cut {
                    let item = &doc.blocks[k];
                    let linky = item.links > 0 || item.tokens == 0;
                    if self.why[k].is_some() || item.is_heading() || !linky {
                        break;
                    }
                    k += 1;
                }
                return k;
            }
            if b.tokens > 0 {
                skipped += 1;
            }
            j += 1;
        }
        end
    }

    /// Bylines before the text begins and notes after it ends.
    fn zones(&mut self, in_text: &[bool], source: &str, start: usize) {
        let doc = self.doc;
        let solid: Vec<usize> = (0..doc.blocks.len())
            .filter(|&i| {
                in_text[i] && self.why[i].is_none() && self.solid(i) && !self.all_lines(i, F_HEAD | F_TAIL)
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
            if edge && (named(i) || self.all_lines(i, flag)) {
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

    fn solid(&self, i: usize) -> bool {
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
    fn trim_rules(&mut self) {
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
    fn drop_teasers(&mut self, start: usize, cut: usize) {
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
    fn smooth(&mut self) {
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

/// Score of one line of text: prose for, links and bare labels against.
fn line_score(doc: &Doc<'_>, k: usize) -> f64 {
    let text = doc.visible[k].trim();
    let l = doc.line_link_tokens[k] as f64;
    let p = doc.line_tokens[k] as f64 - l;
    if !text.chars().any(|c| c.is_alphabetic()) {
        return -1.0;
    }
    if l == 0.0 && is_technical(text) {
        return p.max(2.0);
    }
    let penalty = if p >= 12.0 || has_sentence_punct(text) { 1.0 } else { 3.0 };
    p - 0.6 * l - penalty
}

/// Tokens of the lines that read as prose.
fn line_prose(doc: &Doc<'_>, k: usize) -> usize {
    let l = doc.line_link_tokens[k];
    let p = doc.line_tokens[k].saturating_sub(l);
    if p >= 8 && p >= l { p } else { 0 }
}

fn is_reference_heading(text: &str) -> bool {
    let t = norm(text);
    let t = t.trim_end_matches(|c: char| c.is_ascii_digit());
    matches!(
        t,
        "参考资料"
            | "参考链接"
            | "参考文献"
            | "参考"
            | "相关链接"
            | "引用"
            | "references"
            | "reference"
            | "sources"
            | "source"
            | "links"
            | "furtherreading"
    )
}

/// The best-scoring run `[a, b)` of `s[lo..hi]`, if any scores above zero.
fn best_range(s: &[f64], lo: usize, hi: usize) -> Option<(usize, usize, f64)> {
    let mut best: Option<(usize, usize, f64)> = None;
    let mut sum = 0.0;
    let mut from = lo;
    for (i, &v) in s.iter().enumerate().take(hi).skip(lo) {
        if sum <= 0.0 {
            sum = 0.0;
            from = i;
        }
        sum += v;
        if sum > 0.0 && best.is_none_or(|(_, _, b)| sum > b) {
            best = Some((from, i + 1, sum));
        }
    }
    best
}

/// The worst-scoring run inside `s[lo..hi]`.
fn worst_range(s: &[f64], lo: usize, hi: usize) -> Option<(usize, usize, f64)> {
    let neg: Vec<f64> = s[lo..hi].iter().map(|v| -v).collect();
    best_range(&neg, 0, neg.len()).map(|(a, b, v)| (lo + a, lo + b, -v))
}

/// Runs in `s[lo..hi]` scoring at least `floor`, best first.
fn outside(s: &[f64], lo: usize, hi: usize, floor: f64, out: &mut Vec<(usize, usize)>, depth: usize) {
    if depth >= 8 {
        return;
    }
    let Some((a, b, _)) = best_range(s, lo, hi).filter(|r| r.2 >= floor) else { return };
    split(s, a, b, out, depth + 1);
    outside(s, lo, a, floor, out, depth + 1);
    outside(s, b, hi, floor, out, depth + 1);
}

/// Splits a run at a deep valley of chrome; a side that is small next to the other is dropped.
fn split(s: &[f64], a: usize, b: usize, out: &mut Vec<(usize, usize)>, depth: usize) {
    let valley = worst_range(s, a, b);
    let Some((va, vb, _)) = valley.filter(|&(_, _, v)| v <= -VALLEY && depth < 12) else {
        out.push((a, b));
        return;
    };
    let left = best_range(s, a, va);
    let right = best_range(s, vb, b);
    let (ls, rs) = (left.map_or(0.0, |r| r.2), right.map_or(0.0, |r| r.2));
    let top = ls.max(rs);
    for side in [left, right].into_iter().flatten() {
        if side.2 >= top || side.2 >= MIN_ISLAND.max(ISLAND_SHARE * top) {
            split(s, side.0, side.1, out, depth + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_range_finds_the_dense_run() {
        let s = [-5.0, -5.0, 10.0, -1.0, 20.0, -8.0, -8.0];
        assert_eq!(best_range(&s, 0, s.len()).map(|r| (r.0, r.1)), Some((2, 5)));
    }

    #[test]
    fn deep_valley_splits_and_small_side_goes() {
        let s = [200.0, -40.0, 20.0];
        let mut out = Vec::new();
        let (a, b, _) = best_range(&s, 0, 3).unwrap();
        split(&s, a, b, &mut out, 0);
        assert_eq!(out, vec![(0, 1)]);
    }

    #[test]
    fn deep_valley_keeps_two_large_sides() {
        let s = [200.0, -40.0, 150.0];
        let mut out = Vec::new();
        split(&s, 0, 3, &mut out, 0);
        out.sort_unstable();
        assert_eq!(out, vec![(0, 1), (2, 3)]);
    }

    #[test]
    fn title_matches_exact_suffixed_and_cut_short() {
        let t = norm("Watch Out for Salty2FA: New Phishing Kit");
        assert!(is_title("Watch Out for Salty2FA: New Phishing Kit", &t));
        assert!(is_title("Watch Out for Salty2FA: New Phishing Kit - The Hacker News", &t));
        assert!(is_title("Watch Out for Salty2FA: New Phishing", &t));
        assert!(!is_title("Watch Out", &t));
        assert!(!is_title("Something else entirely", &t));
    }
}
