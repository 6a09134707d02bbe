//! Stage 2, bounds: the article ends at the first end marker and starts after the last repeat of
//! its title (or a start marker) in the head.

use super::super::Reason;
use super::super::blocks::{Block, Kind};
use super::super::text::norm;
use super::*;

/// A generic end marker ("Comments") ends the article once this share of its prose is behind it.
const END_SHARE: f64 = 0.3;
/// A link-list section heading or a call to action ends it once this share is behind it.
const SECTION_END_SHARE: f64 = 0.6;

/// How a block matches the title: not at all, loosely (a heading cut short), or fully (the
/// title itself, perhaps with a site name around it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum TitleMatch {
    No,
    Partial,
    Full,
}

pub(super) fn title_match(b: &Block, text: &str, title: &str) -> TitleMatch {
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

impl Ctx<'_, '_> {
    /// The first block after the article: the first site end marker, or a generic one past the
    /// middle of the text. Everything from it on is [`Reason::AfterEnd`].
    /// A comment thread found by [`Ctx::find_thread`] ends it too, and so does a link-list section
    /// ("推荐阅读") once most of the text is behind it: articles do not resume after one.
    pub(super) fn find_end(&mut self, prose: &[f64], thread: Option<usize>) -> usize {
        let n = self.doc.blocks.len();
        // The article ends at the first site end marker, or a generic one past the middle of the text.
        let total: f64 = prose.iter().sum();
        let mut cut = n;
        let mut before = 0.0;
        for i in 0..n {
            let f = self.block_flags[i] | self.line_flags(i);
            // A generic end marker counts once a good part of the text is behind it: comment threads
            // can outweigh the article, but a "Comments" line in the first lines is no end.
            let site_cut = f & F_CUT_SITE != 0 && (before > 0.0 || total - before - prose[i] <= 0.0);
            let generic_cut = f & F_CUT != 0 && before > 0.0 && before >= END_SHARE * total;
            let late = before > 0.0 && before >= SECTION_END_SHARE * total;
            let late_section = f & F_SECTION != 0 && late;
            // A call to action ("Found this article interesting?", "Support the show") past most
            // of the text: what follows is the site's (bios, sign-ups, more links).
            let late_promo = late && self.all_lines(i, F_TAIL);
            if site_cut || generic_cut || late_section || late_promo || thread == Some(i) {
                cut = i;
                break;
            }
            before += prose[i];
        }
        let why = if thread == Some(cut) { Reason::Comments } else { Reason::AfterEnd };
        let mut from = cut;
        if cut < n
            && why == Reason::AfterEnd
            && (self.block_flags[cut] | self.line_flags(cut)) & F_SECTION != 0
        {
            // A late link-list section: its links are a link list, what follows is after the end.
            self.why[cut] = Some(Reason::LinkList);
            from = self.drop_section(cut + 1, n);
        }
        for i in from..n {
            if self.why[i].is_none() {
                self.why[i] = Some(why);
            }
        }

        cut
    }

    /// The first block of the article and whether a repeat of the title (or a start marker)
    /// anchored it; what comes before is [`Reason::Title`] or [`Reason::BeforeStart`].
    pub(super) fn find_start(&mut self, prose: &[f64], matches: &[TitleMatch], cut: usize) -> (usize, bool) {
        let titled = |i: usize| matches[i] != TitleMatch::No;
        let upto: f64 = prose[..cut].iter().sum();
        let mut start = 0;
        let mut anchored = false;
        let mut seen = 0.0;
        let mut seen_at_start = 0.0;
        for i in 0..cut {
            let f = self.block_flags[i] | self.line_flags(i);
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
            self.why[i] = Some(if titled(i) { Reason::Title } else { Reason::BeforeStart });
        }
        (start, anchored)
    }
}

#[cfg(test)]
pub(super) fn is_title(text: &str, title: &str) -> bool {
    let doc = super::super::blocks::segment(text);
    doc.blocks.first().is_some_and(|b| title_match(b, &doc.block_text(b), title) != TitleMatch::No)
}

#[cfg(test)]
mod tests {
    use super::*;

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
