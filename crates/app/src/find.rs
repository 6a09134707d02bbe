//! Finding text inside the open article, less-style: `/` in the reading pane, every match
//! highlighted, `n`/`N` between them. Also what a body search opens an article with.

use super::reader::Reader;
use super::{App, Command, Pane};

/// One match: a row of the reader (header then body) and a char range of its plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub row: usize,
    pub start: usize,
    pub end: usize,
}

/// The active search in the reading pane.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Find {
    /// What was typed (or the body search's terms), for the prompt and the status line.
    pub query: String,
    /// Each term, case-folded, as chars; a match is any of them.
    needles: Vec<Vec<char>>,
    pub hits: Vec<Hit>,
    /// Index into `hits` of the match moved to last.
    pub current: usize,
}

/// Case-blind comparison, char by char, so offsets stay char offsets of the original.
fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

impl Find {
    /// A search for the whole of `query` as one phrase (what `/` does).
    pub fn phrase(query: &str) -> Find {
        Find::terms(query, &[query])
    }

    /// A search for any of `terms`, shown as `query` (what a body search opens with).
    pub fn terms(query: &str, terms: &[&str]) -> Find {
        let needles = terms
            .iter()
            .map(|t| t.trim().chars().map(fold).collect::<Vec<char>>())
            .filter(|n| !n.is_empty())
            .collect();
        Find { query: query.to_string(), needles, hits: Vec::new(), current: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// Finds every match in the reader's rows, again (the body or the width changed).
    pub fn locate(&mut self, reader: &Reader) {
        self.hits.clear();
        for row in 0..reader.total() {
            let Some(line) = reader.line(row) else { break };
            let text: Vec<char> = line.plain_text().chars().map(fold).collect();
            let mut i = 0;
            while i < text.len() {
                let found = self.needles.iter().find(|n| text[i..].starts_with(n));
                match found {
                    Some(n) => {
                        self.hits.push(Hit { row, start: i, end: i + n.len() });
                        i += n.len();
                    }
                    None => i += 1,
                }
            }
        }
        self.current = self.current.min(self.hits.len().saturating_sub(1));
    }

    /// The char ranges matched in `row`, and whether each is the current match.
    pub fn in_row(&self, row: usize) -> impl Iterator<Item = (usize, usize, bool)> + '_ {
        let from = self.hits.partition_point(|h| h.row < row);
        self.hits[from..]
            .iter()
            .enumerate()
            .take_while(move |(_, h)| h.row == row)
            .map(move |(k, h)| (h.start, h.end, from + k == self.current))
    }
}

impl App {
    /// Opens the prompt that searches the open article.
    pub(super) fn find_prompt(&mut self) {
        let text = self.find.as_ref().map(|f| f.query.clone()).unwrap_or_default();
        self.prompt = Some(super::Prompt {
            kind: super::PromptKind::Find,
            edit: super::prompt::LineEdit::new(&text),
            pool: Vec::new(),
            cycle: None,
        });
    }

    /// The find prompt's text changed: match again and show the first match from the top of
    /// the view down, as less does.
    pub(super) fn find_typed(&mut self, text: &str) {
        if text.trim().is_empty() {
            self.find = None;
            return;
        }
        self.set_find(Find::phrase(text));
    }

    /// Puts `find` on the open article and moves to its first match at or below the view.
    pub(super) fn set_find(&mut self, mut find: Find) {
        let Some(r) = &self.reader else {
            self.find = Some(find);
            return;
        };
        find.locate(r);
        let top = r.scroll;
        find.current = find.hits.iter().position(|h| h.row >= top).unwrap_or(0);
        if !find.hits.is_empty() {
            self.find_jump = false;
        }
        self.find = Some(find);
        self.show_current_match();
    }

    /// After the reader's lines changed (a new width, the body arrived): match again.
    pub(super) fn relocate_find(&mut self) {
        if let (Some(f), Some(r)) = (&mut self.find, &self.reader) {
            let current = f.hits.get(f.current).map(|h| h.row);
            f.locate(r);
            if let Some(row) = current {
                f.current = f.hits.iter().position(|h| h.row >= row).unwrap_or(0);
            }
        }
    }

    /// `n`/`N`: the next or previous match; without a search in the reader, the next or
    /// previous article, as those keys did before.
    pub(super) fn find_step(&mut self, forward: bool) {
        let searching = self.focus == Pane::Reader && self.find.as_ref().is_some_and(|f| !f.is_empty());
        if !searching {
            self.next_article(if forward { 1 } else { -1 });
            return;
        }
        let Some(f) = &mut self.find else { return };
        let n = f.hits.len();
        if n == 0 {
            let q = f.query.clone();
            self.info(format!("no match for {q}"));
            return;
        }
        let wrapped = if forward { f.current + 1 == n } else { f.current == 0 };
        f.current = if forward { (f.current + 1) % n } else { (f.current + n - 1) % n };
        self.show_current_match();
        if wrapped {
            self.info(if forward { "search wrapped to the top" } else { "search wrapped to the bottom" });
        }
    }

    /// Scrolls so the current match is on screen, a few rows below the top.
    fn show_current_match(&mut self) {
        let h = self.reader_height();
        let Some(row) = self.find.as_ref().and_then(|f| f.hits.get(f.current)).map(|h| h.row) else {
            return;
        };
        if let Some(r) = &mut self.reader
            && (row < r.scroll || row >= r.scroll + h.max(1))
        {
            r.scroll = row.saturating_sub(FIND_CONTEXT_ROWS).min(r.max_scroll(h));
        }
    }

    /// The status line's note on the search: "match 2/5", or none.
    pub fn find_status(&self) -> Option<String> {
        let f = self.find.as_ref()?;
        if f.hits.is_empty() {
            return Some(format!("no match for {}", f.query));
        }
        let keys = |c| self.keymap.first(c).unwrap_or_default();
        Some(format!(
            "match {}/{} for {}  ({}/{} move)",
            f.current + 1,
            f.hits.len(),
            f.query,
            keys(Command::FindNext),
            keys(Command::FindPrev)
        ))
    }

    pub fn find(&self) -> Option<&Find> {
        self.find.as_ref()
    }
}

/// Rows of text kept above a match scrolled to, so it is read in context.
const FIND_CONTEXT_ROWS: usize = 3;

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use yuedu_core::document::{Line, Span, Style};

    use super::*;
    use crate::reader::Rendered;

    fn reader(rows: &[&str]) -> Reader {
        let lines = rows
            .iter()
            .map(|t| Line { spans: vec![Span { text: t.to_string(), style: Style::default() }] })
            .collect();
        Reader::new(0, false, Vec::new(), Arc::new(Rendered { lines, ..Rendered::default() }), 40)
    }

    #[test]
    fn matches_are_case_blind_char_ranges_in_every_row() {
        let r = reader(&["勒索软件 LockBit 与勒索", "lockbit again", "nothing"]);
        let mut f = Find::phrase("LOCKBIT");
        f.locate(&r);
        assert_eq!(f.hits, vec![Hit { row: 0, start: 5, end: 12 }, Hit { row: 1, start: 0, end: 7 }]);
        let mut f = Find::phrase("勒索");
        f.locate(&r);
        assert_eq!(f.hits.iter().map(|h| (h.row, h.start)).collect::<Vec<_>>(), vec![(0, 0), (0, 14)]);
        assert_eq!(f.in_row(0).collect::<Vec<_>>(), vec![(0, 2, true), (14, 16, false)]);
        let mut f = Find::terms("a b", &["again", "nothing"]);
        f.locate(&r);
        assert_eq!(f.hits.len(), 2);
        assert!(Find::phrase("  ").is_empty());
    }
}
