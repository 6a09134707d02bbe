//! One-line text input (the filter and tag prompts, a picker's search) and list pickers with
//! counts (sources, tags).

use super::action::Edit;

/// An editable line with a cursor, counted in chars.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    text: String,
    cursor: usize,
}

/// Longest input accepted, so a paste cannot make a prompt unbounded.
const MAX_INPUT: usize = 1000;

impl LineEdit {
    pub fn new(text: &str) -> LineEdit {
        let mut e = LineEdit::default();
        e.insert_str(text);
        e
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text before the cursor (where the terminal cursor goes).
    pub fn before_cursor(&self) -> &str {
        &self.text[..self.byte_at(self.cursor)]
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text.char_indices().nth(char_index).map_or(self.text.len(), |(b, _)| b)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn insert(&mut self, c: char) {
        if c.is_control() || self.len() >= MAX_INPUT {
            return;
        }
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    /// Inserts pasted text: control characters and line breaks become spaces.
    pub fn insert_str(&mut self, s: &str) {
        for c in s.chars() {
            self.insert(if c.is_control() { ' ' } else { c });
        }
    }

    /// Applies an editing key; returns true when the text changed.
    pub fn edit(&mut self, e: &Edit) -> bool {
        let before = self.text.len();
        let old = self.text.clone();
        match e {
            Edit::Insert(c) => self.insert(*c),
            Edit::Backspace => {
                if self.cursor > 0 {
                    self.cursor -= 1;
                    let at = self.byte_at(self.cursor);
                    self.text.remove(at);
                }
            }
            Edit::DeleteWord => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                let (a, b) = (self.byte_at(start), self.byte_at(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor = start;
            }
            Edit::Clear => {
                self.text.clear();
                self.cursor = 0;
            }
            Edit::Left => self.cursor = self.cursor.saturating_sub(1),
            Edit::Right => self.cursor = (self.cursor + 1).min(self.len()),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = self.len(),
            Edit::Complete | Edit::Submit | Edit::Cancel => {}
        }
        before != self.text.len() || old != self.text
    }

    /// The word the cursor is at the end of (for completion).
    pub fn current_word(&self) -> &str {
        let before = self.before_cursor();
        let start = before.rfind([' ', ',']).map_or(0, |i| i + 1);
        &before[start..]
    }

    /// Replaces the word before the cursor with `word`.
    pub fn replace_current_word(&mut self, word: &str) {
        let n = self.current_word().chars().count();
        for _ in 0..n {
            self.edit(&Edit::Backspace);
        }
        for c in word.chars() {
            self.insert(c);
        }
    }
}

/// Splits tag input on spaces and commas; a leading `#` is dropped; duplicates removed.
pub fn parse_tags(input: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in input.split([' ', ',', '，', '　']) {
        let t = t.trim().trim_start_matches('#');
        if !t.is_empty() && !out.iter().any(|x| x == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// Completion for the last word of tag input: the candidates starting with it (case-insensitive),
/// less the words already typed.
pub fn tag_candidates<'a>(edit: &LineEdit, pool: &'a [String]) -> Vec<&'a str> {
    candidates_for(edit.current_word(), edit, pool)
}

fn candidates_for<'a>(word: &str, edit: &LineEdit, pool: &'a [String]) -> Vec<&'a str> {
    let word = word.to_lowercase();
    let typed = parse_tags(edit.text());
    let current = edit.current_word();
    pool.iter()
        .map(String::as_str)
        .filter(|t| t.to_lowercase().starts_with(&word))
        .filter(|t| *t == current || !typed.iter().any(|x| x == t))
        .collect()
}

/// Tab: completes to the only candidate (and a space), or to the longest common prefix, or, when
/// already there, cycles through the candidates. `cycle` remembers the prefix being cycled on;
/// the caller clears it on any other edit.
pub fn complete(edit: &mut LineEdit, pool: &[String], cycle: &mut Option<String>) {
    let word = edit.current_word().to_string();
    let prefix = cycle.clone().unwrap_or_else(|| word.clone());
    let cands = candidates_for(&prefix, edit, pool);
    match cands.as_slice() {
        [] => {}
        [one] if cycle.is_none() => {
            let one = one.to_string();
            edit.replace_current_word(&one);
            edit.insert(' ');
        }
        many => {
            let lcp = common_prefix(many);
            if cycle.is_none() && lcp.chars().count() > word.chars().count() {
                edit.replace_current_word(&lcp);
            } else {
                let pos = many.iter().position(|c| *c == word);
                let next = pos.map_or(0, |p| (p + 1) % many.len());
                let next = many[next].to_string();
                edit.replace_current_word(&next);
                *cycle = Some(prefix);
            }
        }
    }
}

fn common_prefix(words: &[&str]) -> String {
    let Some(first) = words.first() else { return String::new() };
    let mut n = first.chars().count();
    for w in &words[1..] {
        n = n.min(first.chars().zip(w.chars()).take_while(|(a, b)| a == b).count());
    }
    first.chars().take(n).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    Source,
    Tag,
    /// Saved searches from config, with unread counts.
    Saved,
}

/// A list of names with counts, narrowed by typing.
#[derive(Debug, Clone)]
pub struct Picker {
    pub kind: PickerKind,
    pub title: String,
    /// (name, count); a name of None is the "all" entry.
    pub items: Vec<(Option<String>, usize)>,
    pub search: LineEdit,
    /// Indices into `items` that match the search.
    pub shown: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
}

impl Picker {
    pub fn new(kind: PickerKind, title: String, items: Vec<(Option<String>, usize)>) -> Picker {
        let shown = (0..items.len()).collect();
        Picker { kind, title, items, search: LineEdit::default(), shown, selected: 0, offset: 0 }
    }

    /// New counts (the corpus changed), keeping the selection and the search.
    pub fn set_items(&mut self, items: Vec<(Option<String>, usize)>) {
        let (selected, offset) = (self.selected, self.offset);
        self.items = items;
        self.refilter();
        self.selected = selected.min(self.shown.len().saturating_sub(1));
        self.offset = offset.min(self.selected);
    }

    pub fn refilter(&mut self) {
        let q = self.search.text().trim().to_lowercase();
        self.shown = (0..self.items.len())
            .filter(|&i| {
                q.is_empty() || self.items[i].0.as_ref().is_some_and(|n| n.to_lowercase().contains(&q))
            })
            .collect();
        self.selected = 0;
        self.offset = 0;
    }

    pub fn chosen(&self) -> Option<&(Option<String>, usize)> {
        self.shown.get(self.selected).and_then(|&i| self.items.get(i))
    }

    /// Moves by `delta` rows, clamped; keeps the selection within `height` visible rows.
    pub fn step(&mut self, delta: isize, height: usize) {
        let last = self.shown.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing() {
        let mut e = LineEdit::new("勒索 ab");
        assert_eq!(e.before_cursor(), "勒索 ab");
        e.edit(&Edit::Backspace);
        e.edit(&Edit::Left);
        e.edit(&Edit::Insert('x'));
        assert_eq!(e.text(), "勒索 xa");
        assert_eq!(e.before_cursor(), "勒索 x");
        e.edit(&Edit::End);
        e.edit(&Edit::DeleteWord);
        assert_eq!(e.text(), "勒索 ");
        e.insert_str("a\u{1b}[31m\nb");
        assert_eq!(e.text(), "勒索 a [31m b");
    }

    #[test]
    fn tags_and_completion() {
        assert_eq!(parse_tags("ioc, #follow-up ioc  x"), vec!["ioc", "follow-up", "x"]);
        let pool: Vec<String> = ["follow-up", "forensics", "ioc"].iter().map(|s| s.to_string()).collect();
        let mut e = LineEdit::new("ioc fo");
        assert_eq!(tag_candidates(&e, &pool), vec!["follow-up", "forensics"]);
        let mut cycle = None;
        complete(&mut e, &pool, &mut cycle);
        assert_eq!(e.text(), "ioc follow-up");
        complete(&mut e, &pool, &mut cycle);
        assert_eq!(e.text(), "ioc forensics");
        complete(&mut e, &pool, &mut cycle);
        assert_eq!(e.text(), "ioc follow-up");
        let mut e = LineEdit::new("i");
        complete(&mut e, &pool, &mut None);
        assert_eq!(e.text(), "ioc ");
    }

    #[test]
    fn picker_narrows_and_steps() {
        let items = vec![(None, 3), (Some("FreeBuf".into()), 2), (Some("安全客".into()), 1)];
        let mut p = Picker::new(PickerKind::Source, "Sources".into(), items);
        p.step(5, 2);
        assert_eq!((p.selected, p.offset), (2, 1));
        p.search = LineEdit::new("free");
        p.refilter();
        assert_eq!(p.chosen().and_then(|c| c.0.clone()), Some("FreeBuf".into()));
    }
}
