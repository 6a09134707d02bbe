//! Body search in the reader: `\` asks the worker's full-text index, the hits become the list
//! (each with a snippet line), and opening one lands on its first match with every match lit.

use std::collections::HashMap;

use yuedu_core::corpus::ArticleId;

use super::find::Find;
use super::{App, Effect, Prompt, PromptKind};

/// How many hits a body search shows.
pub const SEARCH_LIMIT: usize = 500;

/// The full-text index, as the worker sees it. The terminal owner plugs in the real one, so the
/// model's crate links no search engine.
pub trait BodySearch: Send {
    fn search(&mut self, query: &str, limit: usize) -> SearchReply;
}

/// One hit of a body search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub id: ArticleId,
    /// One sanitized line around the best match.
    pub snippet: String,
}

/// What a body search found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchReply {
    pub query: String,
    /// Best first.
    pub hits: Vec<SearchHit>,
    /// Articles that matched in all (more than `hits` when cut at the limit).
    pub total: usize,
    /// The words and phrases to light up in an opened hit.
    pub terms: Vec<String>,
    /// The query was wrong, or there is no index yet: the one line to show.
    pub error: Option<String>,
    /// The index does not hold every article yet: (indexed, total).
    pub partial: Option<(usize, usize)>,
}

/// The body search shown as the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyResults {
    pub query: String,
    pub terms: Vec<String>,
    /// Corpus index and snippet of each hit, best first.
    pub hits: Vec<(usize, String)>,
    pub total: usize,
    pub partial: Option<(usize, usize)>,
}

impl BodyResults {
    pub fn snippet(&self, index: usize) -> Option<&str> {
        self.hits.iter().find(|(i, _)| *i == index).map(|(_, s)| s.as_str())
    }
}

impl App {
    pub(super) fn body_search_prompt(&mut self) {
        let text = self.body_results.as_ref().map(|r| r.query.clone()).unwrap_or_default();
        self.prompt = Some(Prompt {
            kind: PromptKind::BodySearch,
            edit: super::prompt::LineEdit::new(&text),
            pool: Vec::new(),
            cycle: None,
        });
    }

    /// Enter in the body search prompt.
    pub(super) fn submit_body_search(&mut self, query: &str) {
        let query = query.trim();
        if query.is_empty() {
            self.clear_body_search();
            return;
        }
        self.searching = true;
        self.info(format!("searching article bodies for {query}…"));
        self.outbox.push(Effect::Search { query: query.to_string(), limit: SEARCH_LIMIT });
    }

    /// The worker's answer: the hits become the list.
    pub(super) fn search_answered(&mut self, reply: SearchReply) {
        self.searching = false;
        if let Some(e) = reply.error {
            self.error(e);
            return;
        }
        let at: HashMap<ArticleId, usize> =
            self.corpus.articles.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        let hits: Vec<(usize, String)> =
            reply.hits.into_iter().filter_map(|h| at.get(&h.id).map(|&i| (i, h.snippet))).collect();
        let n = hits.len();
        let partial = reply.partial.map(|(done, all)| format!(" (index partial: {done}/{all} articles)"));
        self.info(format!(
            "{} article(s) mention {}{}",
            reply.total.max(n),
            reply.query,
            partial.as_deref().unwrap_or("")
        ));
        self.body_results = Some(BodyResults {
            query: reply.query,
            terms: reply.terms,
            hits,
            total: reply.total,
            partial: reply.partial,
        });
        self.focus = super::Pane::List;
        self.rebuild(false);
    }

    pub(super) fn clear_body_search(&mut self) {
        if self.body_results.take().is_some() {
            self.rebuild(false);
        }
    }

    /// Opening a hit of a body search: the find lights its terms and lands on the first.
    pub(super) fn find_search_terms(&mut self) {
        let Some(r) = &self.body_results else { return };
        let terms: Vec<&str> = r.terms.iter().map(String::as_str).collect();
        let find = Find::terms(&r.query, &terms);
        self.find_jump = true;
        self.set_find(find);
    }

    pub fn body_results(&self) -> Option<&BodyResults> {
        self.body_results.as_ref()
    }

    /// Screen lines per list row: two while body search hits show their snippets.
    pub fn row_lines(&self) -> usize {
        if self.body_results.is_some() { 2 } else { 1 }
    }
}
