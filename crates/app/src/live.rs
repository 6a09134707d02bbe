//! Swapping in a newer corpus (background reconcile, file watcher) without losing the user's place.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{App, Effect};
use yuedu_core::corpus::{ArticleId, Corpus, FileChanges};
use yuedu_core::filter::Prepared;

/// Where the user is, by article id, so it survives indices moving.
struct Place {
    selected: Option<ArticleId>,
    reader: Option<ArticleId>,
    /// The filter's title data, and where each article's title is in it.
    prepared: Prepared,
    prepared_at: HashMap<ArticleId, (String, usize)>,
}

impl App {
    /// Replaces the corpus with `corpus`, keeping the filter, the sort, the selected article and
    /// an open article where they still exist. Filter data is reused for unchanged titles.
    pub fn replace_corpus(&mut self, mut corpus: Corpus) {
        self.templates = std::sync::Arc::new(std::mem::take(&mut corpus.templates));
        let place = self.take_place();
        self.install(corpus, place);
    }

    /// What the worker read of the files the watcher saw change.
    pub fn apply_file_changes(&mut self, changes: FileChanges) {
        let place = self.take_place();
        let mut corpus = std::mem::take(&mut self.corpus);
        corpus.apply_read(changes);
        self.install(corpus, place);
    }

    fn take_place(&mut self) -> Place {
        let id_at = |app: &App, i: usize| app.corpus.articles.get(i).map(|a| a.id);
        let selected = self.rows.get(self.selected).and_then(|&i| id_at(self, i));
        let reader = self.reader.as_ref().and_then(|r| id_at(self, r.index));
        let prepared = std::mem::take(&mut self.prepared);
        let prepared_at = self
            .corpus
            .articles
            .iter()
            .enumerate()
            .take(prepared.len())
            .map(|(i, a)| (a.id, (a.title.clone(), i)))
            .collect();
        Place { selected, reader, prepared, prepared_at }
    }

    fn install(&mut self, mut corpus: Corpus, place: Place) {
        self.aliases.apply(&mut corpus.articles);
        self.generation += 1;
        self.title_rank = Default::default();
        self.source_col = super::triage::source_column(&corpus);
        let Place { selected: selected_id, reader: reader_id, prepared: old, prepared_at: mut old_at } =
            place;
        // Titles are prepared again only when they were before (the filter was used); otherwise
        // the filter prepares them on first use.
        self.prepared = if old.is_empty() {
            Prepared::default()
        } else {
            let reuse: Vec<Option<usize>> = corpus
                .articles
                .iter()
                .map(|a| match old_at.remove(&a.id) {
                    Some((title, i)) if title == a.title => Some(i),
                    _ => None,
                })
                .collect();
            Prepared::reusing(corpus.articles.par_iter().map(|a| (a.title.as_str(), a.date)), &old, &reuse)
        };
        (self.tags, self.read) = super::marks(&corpus, &self.store);
        // A reload after the folder was deleted (the watcher's last event) still says so.
        self.outbox.push(Effect::CheckRoot(corpus.root.clone()));
        self.corpus = corpus;
        self.id_index = None;
        self.index_stories();
        // Rendered pages are cached by index, and indices moved.
        self.cache = Default::default();
        self.bodies_in_flight.clear();

        let position = |app: &App, id: ArticleId| app.corpus.articles.iter().position(|a| a.id == id);
        match reader_id.map(|id| position(self, id)) {
            Some(Some(i)) => {
                if let Some(r) = self.reader.as_mut() {
                    r.index = i;
                }
                self.ensure_body();
            }
            Some(None) => {
                self.reader = None;
                self.notify("the open article was removed from the corpus", false);
            }
            None => {}
        }
        // The previous hits index the old corpus: filter from scratch.
        self.filter = None;
        let text = self.filter_text.clone();
        if text.trim().is_empty() {
            self.rebuild(false);
        } else {
            self.set_filter(&text);
        }
        if let Some(row) =
            selected_id.and_then(|id| self.rows.iter().position(|&i| self.corpus.articles[i].id == id))
        {
            self.selected = row;
            self.keep_visible();
        }
        self.preview_stale = true;
        self.refresh_saved_counts();
    }
}
