//! The indicators panel of the open article (`i`) and the CVE board of the list shown (`C`),
//! both over the body pass's facts; and the empty-page marks (dimmed rows, `E` hides them).

use std::sync::Arc;

use yuedu_core::entities::{self, Kind};
use yuedu_core::facts::FactTable;
use yuedu_core::facts::board::{self, BoardTuning, CveRow, Mention, Window};

use super::{App, Command, Effect, Overlay, Pane};

/// One indicator as the panel lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelItem {
    pub kind: Kind,
    pub value: String,
    pub defanged: String,
    pub count: u32,
    /// A CVE whose year is later than the article's date (a sidebar, most likely).
    pub suspect: bool,
}

/// The indicators of one article, grouped by kind in [`Kind::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityPanel {
    pub index: usize,
    pub items: Vec<PanelItem>,
    pub cursor: usize,
}

impl EntityPanel {
    /// Lines as drawn: a heading line before each kind's first item. Returns, per line, the kind
    /// heading or the item index.
    pub fn lines(&self) -> Vec<Result<usize, Kind>> {
        let mut out = Vec::new();
        let mut last = None;
        for (i, it) in self.items.iter().enumerate() {
            if last != Some(it.kind) {
                out.push(Err(it.kind));
                last = Some(it.kind);
            }
            out.push(Ok(i));
        }
        out
    }
}

/// The CVE board of the list as it was when opened.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardView {
    pub rows: Vec<CveRow>,
    pub cursor: usize,
    /// The list's articles the pass has seen, of all listed: the board says when it is partial.
    pub seen: usize,
    pub listed: usize,
    pub weeks: usize,
}

impl App {
    pub fn facts(&self) -> &FactTable {
        &self.facts
    }

    /// Whether the body pass found article `index` empty (no article text once the chrome is
    /// gone); false when it has not seen it.
    pub fn is_empty_page(&self, index: usize) -> bool {
        self.corpus.articles.get(index).and_then(|a| self.facts.is_empty_page(a.id)).unwrap_or(false)
    }

    pub fn hide_empty(&self) -> bool {
        self.hide_empty
    }

    /// The rows an entity term can match, from the facts' value index: a handful instead of
    /// 150,000 lookups per keystroke.
    pub(super) fn entity_candidates(&mut self, query: &yuedu_core::filter::Query) -> Option<Vec<usize>> {
        let ids = self.facts.candidates(query)?;
        let articles = &self.corpus.articles;
        // Built once per corpus, on the first entity term.
        let index = self
            .id_index
            .get_or_insert_with(|| articles.iter().enumerate().map(|(i, a)| (a.id.0, i)).collect());
        Some(ids.iter().filter_map(|id| index.get(&id.0).copied()).collect())
    }

    pub(super) fn facts_loaded(&mut self, facts: Arc<FactTable>) {
        self.facts = facts;
        // A filter with entity terms, or hidden empty pages, depend on the facts.
        if self.filter.as_ref().is_some_and(|(q, _)| q.has_entity_terms()) {
            let text = self.filter_text.clone();
            self.filter = None;
            self.set_filter(&text);
        } else if self.hide_empty {
            self.rebuild(true);
        }
    }

    pub(super) fn toggle_hide_empty(&mut self) {
        self.hide_empty = !self.hide_empty;
        self.rebuild(true);
        let seen = self.facts.len();
        self.info(match (self.hide_empty, seen) {
            (true, 0) => "hiding empty pages once the body pass has seen them (none yet)",
            (true, _) => "hiding empty pages (anti-bot, failed loads, stubs)",
            (false, _) => "showing empty pages",
        });
    }

    pub(super) fn open_entities(&mut self) {
        let Some(index) = self.current() else {
            self.info("nothing selected");
            return;
        };
        let Some(article) = self.corpus.articles.get(index) else { return };
        let Some(facts) = self.facts.get(article.id) else {
            self.info("the body pass has not read this article yet: its indicators come when it has");
            return;
        };
        let items: Vec<PanelItem> = facts
            .entities
            .iter()
            .map(|e| PanelItem {
                kind: e.kind,
                value: e.value.clone(),
                defanged: entities::defang(e.kind, &e.value),
                count: e.count,
                suspect: facts.is_suspect(e),
            })
            .collect();
        if items.is_empty() {
            self.info("no indicators in this article");
            return;
        }
        self.overlay = Some(Overlay::Entities(EntityPanel { index, items, cursor: 0 }));
    }

    pub(super) fn open_board(&mut self) {
        let listed = self.rows.len();
        let mut seen = 0;
        let mentions: Vec<Mention<'_>> = self
            .rows
            .iter()
            .filter_map(|&i| self.corpus.articles.get(i))
            .filter_map(|a| self.facts.get(a.id))
            .inspect(|_| seen += 1)
            .map(|f| Mention { date: f.date, source: &f.source, entities: &f.entities })
            .collect();
        let tuning = BoardTuning::default();
        let mut rows = board::board(mentions, Window::default(), &tuning);
        // A CVE named only where its year is later than the article's is noise (see
        // `ArticleFacts::is_suspect`): as in `yuedu cves`, it is not on the board.
        rows.retain(|r| r.articles > 0);
        if rows.is_empty() {
            self.info(if seen == 0 {
                "no CVE board yet: the body pass has not read these articles"
            } else {
                "no CVEs in the articles shown"
            });
            return;
        }
        self.overlay = Some(Overlay::Board(BoardView { rows, cursor: 0, seen, listed, weeks: tuning.weeks }));
    }

    /// Keys while the panel or the board is open; None when neither is.
    pub(super) fn run_facts_overlay(&mut self, cmd: Command, page: usize) -> Option<Vec<Effect>> {
        let (cursor, len) = match self.overlay.as_mut()? {
            Overlay::Entities(p) => (&mut p.cursor, p.items.len()),
            Overlay::Board(b) => (&mut b.cursor, b.rows.len()),
            _ => return None,
        };
        match cmd {
            Command::Down
            | Command::Up
            | Command::PageDown
            | Command::PageUp
            | Command::Top
            | Command::Bottom => {
                *cursor = moved(*cursor, len.saturating_sub(1), cmd, page);
                return Some(Vec::new());
            }
            Command::Quit => return Some(self.quit()),
            Command::Open | Command::CopyUrl | Command::CopyAll => {}
            _ => {
                self.overlay = None;
                return Some(Vec::new());
            }
        }
        match self.overlay.take()? {
            Overlay::Entities(p) => Some(self.panel_command(p, cmd)),
            Overlay::Board(b) => Some(self.board_command(b, cmd)),
            _ => None,
        }
    }

    /// Enter, `y` and `Y` in the panel (taken out of the overlay; copying puts it back).
    fn panel_command(&mut self, p: EntityPanel, cmd: Command) -> Vec<Effect> {
        let Some(it) = p.items.get(p.cursor).cloned() else {
            if cmd != Command::Open {
                self.overlay = Some(Overlay::Entities(p));
            }
            return Vec::new();
        };
        match cmd {
            Command::Open => {
                self.filter_to(&term(it.kind, &it.value), false);
                Vec::new()
            }
            Command::CopyAll => {
                let all: Vec<String> =
                    p.items.iter().filter(|x| x.kind == it.kind).map(|x| x.value.clone()).collect();
                let what = format!("copied {} {}", all.len(), it.kind.name());
                self.overlay = Some(Overlay::Entities(p));
                self.copy_text(all.join("\n"), &what)
            }
            _ => {
                self.overlay = Some(Overlay::Entities(p));
                self.copy_text(it.value, "copied")
            }
        }
    }

    /// Enter and `y` on the board; `Y` closes it, as any other key does.
    fn board_command(&mut self, b: BoardView, cmd: Command) -> Vec<Effect> {
        let cve = b.rows.get(b.cursor).map(|r| r.cve.clone()).unwrap_or_default();
        match cmd {
            Command::Open if !cve.is_empty() => self.filter_to(&term(Kind::Cve, &cve), true),
            Command::CopyUrl => {
                self.overlay = Some(Overlay::Board(b));
                return self.copy_text(cve, "copied");
            }
            _ => {}
        }
        Vec::new()
    }

    /// Filters the list by `term`: on its own, or added to the filter in force (`narrow`, for
    /// the board, which counted the list as filtered).
    fn filter_to(&mut self, term: &str, narrow: bool) {
        let text = if narrow && !self.filter_text.trim().is_empty() {
            format!("{} {term}", self.filter_text.trim())
        } else {
            term.to_string()
        };
        self.clear_body_search();
        self.set_filter(&text);
        self.focus = Pane::List;
        let n = self.rows.len();
        self.info(format!("{n} article(s) name {}", term.split_once(':').map_or(term, |(_, v)| v)));
    }

    fn copy_text(&mut self, text: String, what: &str) -> Vec<Effect> {
        let text = yuedu_core::document::sanitize(&text).into_owned();
        if text.is_empty() {
            return Vec::new();
        }
        let first = text.lines().next().unwrap_or_default().to_string();
        self.info(if what == "copied" { format!("copied {first}") } else { what.to_string() });
        vec![Effect::Copy(text)]
    }
}

/// The filter term naming an indicator: `cve:`, `attack:`, else `ioc:`; quoted when the value
/// has characters the filter syntax reads.
pub fn term(kind: Kind, value: &str) -> String {
    let field = match kind {
        Kind::Cve => "cve",
        Kind::Attack => "attack",
        _ => "ioc",
    };
    if value.contains([' ', '"', ',']) {
        format!("{field}:\"{}\"", value.replace('"', ""))
    } else {
        format!("{field}:{value}")
    }
}

fn moved(cursor: usize, last: usize, cmd: Command, page: usize) -> usize {
    let page = page.max(1);
    match cmd {
        Command::Down => (cursor + 1).min(last),
        Command::Up => cursor.saturating_sub(1),
        Command::PageDown => (cursor + page).min(last),
        Command::PageUp => cursor.saturating_sub(page),
        Command::Top => 0,
        _ => last,
    }
}
