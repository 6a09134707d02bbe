//! Labels each block of a body as article text or chrome, in named stages: [`marks`] (rule flags
//! of lines and blocks), [`bounds`] (where the article starts and ends), [`apply`] (rules, cards,
//! templates), [`main_text`] (the densest run of prose), the generic detectors [`comments`],
//! [`meta`] and [`promo`], and [`zones`] (bylines, notes, a last smoothing pass).

// Blocks, their labels, scores and flags live in parallel vectors indexed by block number;
// index loops read more plainly here than zipped iterators.
#![allow(clippy::needless_range_loop)]

mod apply;
mod bounds;
mod comments;
mod main_text;
mod marks;
mod meta;
mod promo;
mod zones;

use super::blocks::{Block, Doc, Kind};
use super::rules::{Compiled, RuleSet, Settings};
use super::template::SourceTemplate;
use super::text::norm;
use super::{Meta, Reason};
use bounds::{TitleMatch, title_match};
use marks::active_groups;

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
    /// The article's own URL without its scheme, to spot notices that link back to the page.
    page: String,
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
        page: promo::page_key(meta.url),
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

    let thread = cx.find_thread(&prose);
    let cut = cx.find_end(&prose, thread);
    let (start, anchored) = cx.find_start(&prose, &matches, cut);

    cx.apply_rules(start, cut, &source);
    cx.drop_card(start, cut);
    if let Some(t) = template {
        cx.apply_template(t, start, cut);
    }
    cx.author_box(start, cut, &prose);

    let in_text = cx.find_text(start, cut, anchored, &prose);

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
    let kept_blocks: Vec<&Block> = doc
        .blocks
        .iter()
        .enumerate()
        .filter(|&(i, b)| cx.why[i].is_none() && b.tokens > 0)
        .map(|(_, b)| b)
        .collect();
    let empty =
        is_empty(&rules.settings, &reports, &keep_line, doc, &kept_blocks, kept_tokens, failed, anchored);
    if empty {
        keep_line.iter_mut().for_each(|k| *k = false);
    }
    Outcome { keep_line, empty, blocks: reports }
}

/// No article text is left: a failed load, a menu, a promo over a cut-off page. A short body with
/// nothing around it to drop (and no failed-load line) is a brief or a note, never empty.
#[allow(clippy::too_many_arguments)]
fn is_empty(
    s: &Settings,
    reports: &[(usize, usize, Reason)],
    keep_line: &[bool],
    doc: &Doc<'_>,
    kept_blocks: &[&Block],
    kept_tokens: usize,
    failed: bool,
    anchored: bool,
) -> bool {
    let dropped_text = reports.iter().any(|&(first, end, why)| {
        why != Reason::Title && (first..end).any(|l| !keep_line[l] && doc.line_tokens[l] > 0)
    });
    if !(dropped_text || failed) {
        return kept_tokens == 0;
    }
    // Cards of a mega-menu: many short blurbs, not one paragraph among them.
    let menu = !anchored
        && kept_blocks.len() >= s.menu_min_blocks
        && kept_blocks.iter().all(|b| b.plain_tokens() < s.paragraph_tokens);
    kept_tokens < s.min_tokens
        || (failed && kept_tokens < s.failed_min_tokens)
        || (!anchored && kept_tokens < s.unanchored_min_tokens)
        || menu
}
