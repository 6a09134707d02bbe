//! Generic detector, metadata lines: a short line of author, date and counters ("Dec 21, 2022",
//! "企业资讯行业 2023-02-20 17:24:02", "4.2k 阅读 · 7 · 17") at the head or tail of the text, on
//! any site.

use std::sync::OnceLock;

use regex::Regex;

use super::super::text::{count_tokens, has_sentence_punct};
use super::*;

/// A metadata line has at most this many tokens: a byline, not a sentence that mentions a date.
const MAX_META_TOKENS: usize = 16;

fn date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})",
            r"|(\d{1,2}[-/.]\d{1,2}[-/.]\d{4})",
            r"|(\d{1,2}\s*:\s*\d{2}(\s*:\s*\d{2})?(\s*[ap]\.?m\.?)?)",
            r"|((?-u:\b)(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4})",
            r"|((?-u:\b)\d{1,2}(st|nd|rd|th)?\s+\p{L}{3,12}\.?,?\s+\d{4}(?-u:\b))",
            r"|(\p{L}{3,10}\.?\s+\d{1,2},\s+\d{4})",
            r"|(\d+\s+(seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago)",
            r"|(\d+\s*(分钟|小时|天)前)",
        ))
        .expect("the date pattern compiles")
    })
}

/// Words that label a counter or a publication step, not text.
fn counter_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)(?-u:\b)(min(ute)?s?\s+read|views?|reads?|comments?|likes?|claps?|shares?|replies|kudos|followers?|posts?)(?-u:\b)",
            r"|阅读量?|浏览量?|次阅读|人阅读|条评论|评论数?|点赞数?|收藏数?|篇文章|发布于?|发表于|更新于|最新推荐文章于|已被查看|次|热度|赞",
        ))
        .expect("the counter pattern compiles")
    })
}

/// A date, a time or a relative date appears in `s`.
pub(super) fn has_date(s: &str) -> bool {
    date_re().is_match(s)
}

/// `s` is only counters: numbers, separators and counter words ("4.2k 阅读 ·", "17 ·", "-- 2").
fn is_counter(s: &str) -> bool {
    let rest = counter_re().replace_all(s, " ");
    let digits = s.chars().any(|c| c.is_ascii_digit());
    digits
        && rest.chars().all(|c| {
            c.is_ascii_digit()
                || c.is_whitespace()
                || matches!(
                    c,
                    '·' | '•'
                        | '|'
                        | ','
                        | '.'
                        | '/'
                        | '-'
                        | ':'
                        | '：'
                        | '+'
                        | 'k'
                        | 'K'
                        | 'w'
                        | 'W'
                        | 'm'
                        | 'M'
                        | '万'
                        | '('
                        | ')'
                        | '（'
                        | '）'
                )
        })
}

/// One line of metadata: short, no sentence, and a date or nothing but counters.
pub(super) fn is_meta_line(s: &str) -> bool {
    let s = s.trim().trim_matches(|c: char| c == '*' || c == '_');
    if s.is_empty() || count_tokens(s) > MAX_META_TOKENS {
        return false;
    }
    if is_counter(s) {
        return true;
    }
    // A date with a few words around it; a sentence that merely mentions a date goes on.
    has_date(s) && !(has_sentence_punct(s) && s.ends_with(['.', '。', '!', '?', '！', '？']))
}

impl Ctx<'_, '_> {
    /// Every text line of block `i` is a metadata line.
    pub(super) fn is_meta_block(&self, i: usize) -> bool {
        let doc = self.doc;
        let b = &doc.blocks[i];
        b.tokens > 0
            && matches!(b.kind, Kind::Paragraph | Kind::Item | Kind::Other | Kind::Heading(_))
            && self.text_lines(b).all(|l| is_meta_line(&doc.visible[l]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_dates_and_counters_are_metadata() {
        for s in [
            "Dec 21, 2022",
            "2022年12月4日",
            "企业资讯行业 2023-02-20 17:24:02",
            "83347",
            "最新推荐文章于 2025-04-18 10:15:43 发布",
            "17 ·",
            "4.2k 阅读",
            "43 篇文章",
            "Posted: March 1, 2023",
            "Set 04, 2024  Marina Londei",
            "Anonimo 4 luglio 2024 alle ore 11:48",
            "19 条评论",
            "3 min read",
        ] {
            assert!(is_meta_line(s), "{s}");
        }
    }

    #[test]
    fn sentences_and_labels_are_not_metadata() {
        for s in [
            "The attack began on May 28, 2025 and lasted a week.",
            "订阅专栏",
            "Related posts",
            "CVE-2024-44274: Rizki Maulana, Matthew Butler, Jake Derouin",
            "2024年，攻击者利用该漏洞入侵了超过一百家企业的内部网络，造成了严重的数据泄露和经济损失。",
        ] {
            assert!(!is_meta_line(s), "{s}");
        }
    }
}
