//! The list pane's logic: filtering (live, reusing the previous hits when the query narrows),
//! the source and unread limits, sorting, moving, and the source and tag pickers.

use std::collections::HashMap;

use super::prompt::{Picker, PickerKind};
use super::{App, Pane, layout};
use yuedu_core::filter::{self, Query};

/// List order. `Best` is match quality while a filter is active, else newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Best,
    Newest,
    Oldest,
    Source,
    Title,
}

impl Sort {
    pub fn label(self, filtering: bool) -> &'static str {
        match self {
            Sort::Best if filtering => "best match",
            Sort::Best | Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Source => "source",
            Sort::Title => "title",
        }
    }
}

impl App {
    /// Recomputes the rows from the filter hits, the source and unread limits and the sort.
    /// `keep` keeps the selected article selected if it is still listed; else the top is selected.
    pub(super) fn rebuild(&mut self, keep: bool) {
        let prev = self.rows.get(self.selected).copied();
        let n = self.corpus.articles.len();
        let mut rows: Vec<usize> = match (&self.body_results, &self.filter) {
            (Some(r), _) => r.hits.iter().map(|h| h.0).filter(|&i| i < n).collect(),
            (None, Some((_, hits))) => hits.iter().map(|h| h.index).filter(|&i| i < n).collect(),
            (None, None) => (0..n).collect(),
        };
        if let Some(src) = &self.source {
            rows.retain(|&i| self.corpus.articles[i].source == *src);
        }
        if self.unread_only {
            rows.retain(|&i| !self.read.get(i).copied().unwrap_or(false));
        }
        if self.hide_empty && !self.facts.is_empty() {
            rows.retain(|&i| !self.is_empty_page(i));
        }
        let arts = &self.corpus.articles;
        // The corpus is sorted newest first, so its index order is date order.
        match self.sort {
            Sort::Best => {}
            Sort::Newest => rows.sort_unstable(),
            Sort::Oldest => rows.sort_unstable_by(|a, b| b.cmp(a)),
            Sort::Source => rows.sort_by_cached_key(|&i| (arts[i].source.to_lowercase(), i)),
            // The ranks come from the worker; until then (a moment after the first frame) the
            // titles are compared directly.
            Sort::Title => match self.title_rank.get(..n) {
                Some(rank) if rank.len() == n => rows.sort_unstable_by_key(|&i| rank[i]),
                _ => rows.sort_by_cached_key(|&i| (arts[i].title.to_lowercase(), i)),
            },
        }
        self.rows = self.fold_rows(rows);
        self.selected = match (keep, prev) {
            (true, Some(p)) => self.rows.iter().position(|&i| i == p).unwrap_or(0),
            _ => 0,
        };
        if !keep {
            self.offset = 0;
        }
        self.keep_visible();
        self.preview_stale = true;
    }

    /// Scrolls the list so the selected row is on screen, and clamps both to the rows.
    pub(super) fn keep_visible(&mut self) {
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        let h = self.list_height().max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + h {
            self.offset = self.selected + 1 - h;
        }
        self.offset = self.offset.min(self.rows.len().saturating_sub(h));
    }

    /// Moves the selection, or scrolls the reader, by `delta` rows.
    pub(super) fn step(&mut self, delta: isize, in_reader: bool) {
        if in_reader {
            let h = self.reader_height();
            if let Some(r) = &mut self.reader {
                r.scroll = r.scroll.saturating_add_signed(delta).min(r.max_scroll(h));
            }
            return;
        }
        if self.rows.is_empty() {
            return;
        }
        let to = self.selected.saturating_add_signed(delta).min(self.rows.len() - 1);
        if to != self.selected {
            self.selected = to;
            self.preview_stale = true;
        }
        self.keep_visible();
    }

    /// After a resize: new page heights, a new reader width.
    pub(super) fn relayout(&mut self) {
        self.keep_visible();
        if self.reader.is_some() {
            self.refresh_reader(None);
        }
        if layout::side_by_side(self.width) && self.focus == Pane::List {
            self.preview_stale = true;
        }
    }

    /// The filter prompt's text changed: filter again, live.
    pub(super) fn filter_typed(&mut self) {
        let text = self.prompt.as_ref().map(|p| p.edit.text().to_string()).unwrap_or_default();
        self.set_filter(&text);
    }

    /// Applies filter text. Bad syntax leaves the rows as they were and sets the error line.
    pub fn set_filter(&mut self, text: &str) {
        self.filter_text = text.to_string();
        let query = match Query::parse(text) {
            Ok(q) => q,
            Err(e) => {
                self.filter_error = Some(yuedu_core::document::sanitize(&e.to_string()).into_owned());
                return;
            }
        };
        self.filter_error = None;
        if text.trim().is_empty() || query.is_empty() {
            if self.filter.take().is_some() {
                self.rebuild(false);
            }
            return;
        }
        self.ensure_prepared();
        let candidates = self.entity_candidates(&query);
        let within: Option<Vec<usize>> = candidates.or_else(|| {
            self.filter
                .as_ref()
                .filter(|(prev, _)| query.narrows(prev))
                .map(|(_, hits)| hits.iter().map(|h| h.index).collect())
        });
        let n = self.corpus.articles.len();
        let hits = filter::filter_by(&query, n, |i| self.record(i), &self.prepared, within.as_deref());
        self.filter = Some((query, hits));
        self.rebuild(false);
    }

    /// Prepares every title for filtering, once: 150,000 titles take a noticeable moment.
    pub(super) fn ensure_prepared(&mut self) {
        use rayon::prelude::*;
        if self.prepared.len() != self.corpus.articles.len() {
            self.prepared = yuedu_core::filter::Prepared::new(
                self.corpus.articles.par_iter().map(|a| (a.title.as_str(), a.date)),
            );
        }
    }

    /// Asks the worker to prepare the titles once the first frame is up, so the first `/` and
    /// the title sort do not wait for it.
    pub(super) fn request_prepare(&mut self) {
        let n = self.corpus.articles.len();
        if n == 0 || self.prepare_asked == Some(self.generation) {
            return;
        }
        if self.prepared.len() == n && self.title_rank.len() == n {
            return;
        }
        self.prepare_asked = Some(self.generation);
        let titles = self.corpus.articles.iter().map(|a| (a.title.clone(), a.date)).collect();
        self.outbox.push(super::Effect::Prepare {
            generation: self.generation,
            titles: std::sync::Arc::new(titles),
        });
    }

    /// The worker's prepared titles, if they are still of this corpus.
    pub(super) fn prepared_arrived(
        &mut self,
        generation: u64,
        prepared: yuedu_core::filter::Prepared,
        title_rank: std::sync::Arc<Vec<u32>>,
    ) {
        if generation != self.generation || prepared.len() != self.corpus.articles.len() {
            return;
        }
        if self.prepared.len() != prepared.len() {
            self.prepared = prepared;
        }
        self.title_rank = title_rank;
        if self.sort == Sort::Title {
            self.rebuild(true);
        }
    }

    pub(super) fn clear_filter(&mut self) {
        self.filter_text.clear();
        self.filter_error = None;
        self.filter = None;
        self.rebuild(true);
    }

    pub(super) fn cycle_sort(&mut self) {
        let filtering = self.filter.is_some();
        self.sort = match self.sort {
            Sort::Best if filtering => Sort::Newest,
            Sort::Best | Sort::Newest => Sort::Oldest,
            Sort::Oldest => Sort::Source,
            Sort::Source => Sort::Title,
            Sort::Title => Sort::Best,
        };
        self.rebuild(true);
        self.info(format!("sort: {}", self.sort.label(filtering)));
    }

    pub(super) fn open_source_picker(&mut self) {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for a in &self.corpus.articles {
            *counts.entry(a.source.as_str()).or_default() += 1;
        }
        let mut items: Vec<(Option<String>, usize)> =
            counts.into_iter().map(|(s, n)| (Some(s.to_string()), n)).collect();
        items.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        items.insert(0, (None, self.corpus.articles.len()));
        let mut p = Picker::new(PickerKind::Source, "Sources".into(), items);
        if let Some(cur) = &self.source
            && let Some(i) = p.items.iter().position(|(n, _)| n.as_deref() == Some(cur.as_str()))
        {
            let rows = usize::from(self.picker_area(&p).height.saturating_sub(3)).max(1);
            p.step(i as isize, rows);
        }
        self.overlay = Some(super::Overlay::Picker(p));
    }

    pub(super) fn open_tag_list(&mut self) {
        let counts = self.tag_counts();
        if counts.is_empty() {
            self.info("no tags yet");
            return;
        }
        let tagged = self.tags.iter().filter(|t| !t.is_empty()).count();
        let mut items: Vec<(Option<String>, usize)> = counts.into_iter().map(|(t, n)| (Some(t), n)).collect();
        items.insert(0, (None, tagged));
        self.overlay = Some(super::Overlay::Picker(Picker::new(PickerKind::Tag, "Tags".into(), items)));
    }

    pub(super) fn picked(&mut self, kind: PickerKind, name: Option<String>) {
        match (kind, name) {
            (PickerKind::Source, name) => {
                self.info(match &name {
                    Some(s) => format!("source: {s}"),
                    None => "all sources".to_string(),
                });
                self.source = name;
                self.rebuild(false);
            }
            (PickerKind::Tag, Some(t)) => {
                self.set_filter(&format!("tag:{t}"));
                self.focus = Pane::List;
            }
            (PickerKind::Tag, None) => self.clear_filter(),
            (PickerKind::Saved, Some(name)) => self.picked_saved(&name),
            (PickerKind::Saved, None) => {}
        }
    }

    /// Every tag shown, with the number of articles carrying it, most used first.
    pub fn tag_counts(&self) -> Vec<(String, usize)> {
        let mut m: HashMap<&str, usize> = HashMap::new();
        for t in self.tags.iter().flatten() {
            *m.entry(t.as_str()).or_default() += 1;
        }
        let mut v: Vec<(String, usize)> = m.into_iter().map(|(t, n)| (t.to_string(), n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
}

/// Every title prepared for filtering, and each article's rank in title order (case-blind).
pub(crate) fn prepare(
    titles: &[(String, yuedu_core::corpus::Date)],
) -> (yuedu_core::filter::Prepared, Vec<u32>) {
    use rayon::prelude::*;
    let prepared = yuedu_core::filter::Prepared::new(titles.par_iter().map(|(t, d)| (t.as_str(), *d)));
    let keys: Vec<String> = titles.par_iter().map(|(t, _)| t.to_lowercase()).collect();
    let mut order: Vec<u32> = (0..titles.len() as u32).collect();
    order.par_sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]).then(a.cmp(&b)));
    let mut rank = vec![0u32; titles.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    (prepared, rank)
}
