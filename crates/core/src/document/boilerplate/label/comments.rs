//! Generic detector, comment threads: a run of blocks that each open with a name and a
//! timestamp ("Dan H. • May 28, 2025 7:54 AM", an avatar and "[2024年5月10日 16:05](…#comment-1)",
//! "Anonimo 4 luglio 2024 alle ore 11:48") ends the article, however much the thread outweighs it.

use std::sync::OnceLock;

use regex::Regex;

use super::meta::has_date;
use super::*;

/// A comment header is a short block: a name, a date, perhaps a badge.
const MAX_HEADER_TOKENS: usize = 16;
/// So many headers make a thread; one dated line with a comment link may be a citation.
const MIN_HEADERS: usize = 2;
/// Blocks just before the first header that may belong to the thread ("### 14 Comments", an
/// avatar, a list number).
const MAX_LEAD_IN: usize = 3;

/// A permalink to one comment, as blog engines write them.
fn comment_link_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(#comment-?\d+|#c\d{5,}|[?&]showcomment=\d+|#li-comment-\d+|/comment-page-\d+|#reply-?\d+)",
        )
        .expect("the comment link pattern compiles")
    })
}

/// "Name • date": the bullet some themes put between a commenter and the time.
fn bullet_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\S.{0,60}\s[•·]\s").expect("the bullet pattern compiles"))
}

impl Ctx<'_, '_> {
    /// Block `i` opens a comment: short, dated, and linked to a comment or set off by a bullet.
    fn is_comment_header(&self, i: usize) -> bool {
        let doc = self.doc;
        let b = &doc.blocks[i];
        if b.tokens == 0 || b.tokens > MAX_HEADER_TOKENS || b.kind == Kind::Code {
            return false;
        }
        let visible = doc.visible[b.first..b.end].join(" ");
        if !has_date(&visible) {
            return false;
        }
        bullet_re().is_match(visible.trim())
            || doc.lines[b.first..b.end].iter().any(|l| comment_link_re().is_match(l))
    }

    /// The first block of a comment thread after some of the text, with the heading and the
    /// count just before it; `None` without a thread.
    pub(super) fn find_thread(&self, prose: &[f64]) -> Option<usize> {
        let doc = self.doc;
        let headers: Vec<usize> = (0..doc.blocks.len()).filter(|&i| self.is_comment_header(i)).collect();
        if headers.len() < MIN_HEADERS {
            return None;
        }
        let first = headers[0];
        if prose[..first].iter().sum::<f64>() <= 0.0 {
            return None;
        }
        let mut start = first;
        for _ in 0..MAX_LEAD_IN {
            let Some(j) = start.checked_sub(1) else { break };
            let b = &doc.blocks[j];
            let lead_in = b.is_heading()
                || b.tokens == 0
                || self.line_flags(j) & (F_CUT | F_CUT_SITE) != 0
                || (prose[j] == 0.0 && self.is_meta_block(j));
            if !lead_in {
                break;
            }
            start = j;
        }
        Some(start)
    }
}
