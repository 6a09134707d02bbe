//! Opening articles, moving between them, the raw view, and the URL actions (open, copy).

use std::sync::Arc;

use super::reader::{self, Reader};
use super::tagging::TagOp;
use super::{App, BodyReply, BodyRequest, Command, Effect, Pane, layout};

impl App {
    /// The article the tag and read keys act on: the open one when reading, else the selected one.
    pub(super) fn current(&self) -> Option<usize> {
        match (&self.reader, self.focus) {
            (Some(r), Pane::Reader) => Some(r.index),
            _ => self.rows.get(self.selected).copied(),
        }
    }

    pub(super) fn open_selected(&mut self) {
        let Some(&index) = self.rows.get(self.selected) else {
            self.info("nothing to open");
            return;
        };
        self.show(index, true);
        self.focus = Pane::Reader;
    }

    /// Puts article `index` in the reader; `opened` marks it read. The body comes from the
    /// cache, or from the worker (a "Loading" stand-in until it answers).
    pub(super) fn show(&mut self, index: usize, opened: bool) {
        let width = self.reader_width();
        let raw = false;
        if self.corpus.articles.get(index).is_none() {
            return;
        }
        self.remember_position();
        let body = self.body_for(index, width, raw);
        let header = self.header_for(index, &body, raw, width);
        let mut reader = Reader::new(index, raw, header, body, width);
        self.restore_position(&mut reader);
        self.reader = Some(reader);
        self.find = None;
        if self.body_results.is_some() {
            self.find_search_terms();
        }
        if opened {
            self.mark_copies_read(index);
        }
        if opened && !self.is_read(index) {
            self.apply_op(TagOp::Read { index, read: true });
        }
    }

    /// The rendered body if it is cached; else asks the worker for it.
    fn body_for(&mut self, index: usize, width: usize, raw: bool) -> Arc<reader::Rendered> {
        if let Some(b) = self.cache.get(index, width, raw) {
            return b;
        }
        let key = (index, width, raw);
        if !self.bodies_in_flight.contains(&key)
            && let Some(article) = self.corpus.articles.get(index)
        {
            self.bodies_in_flight.push(key);
            self.outbox.push(Effect::ReadBody(BodyRequest {
                index,
                article: Box::new(article.clone()),
                templates: Arc::clone(&self.templates),
                width,
                raw,
                ambiwidth: self.env.ambiwidth,
            }));
        }
        Arc::new(reader::Rendered::loading())
    }

    /// A body the worker rendered: cached, and shown if the reader is waiting for it.
    pub(super) fn body_read(&mut self, reply: BodyReply) {
        let key = (reply.index, reply.width, reply.raw);
        self.bodies_in_flight.retain(|k| *k != key);
        // The corpus may have changed under the request: an index is only trusted with its id.
        if self.corpus.articles.get(reply.index).map(|a| a.id) != Some(reply.id) {
            return;
        }
        if reply.rendered.error.is_some() {
            // An unreadable file may mean the whole folder went away.
            self.outbox.push(Effect::CheckRoot(self.corpus.root.clone()));
        }
        self.cache.put(reply.index, reply.width, reply.raw, Arc::clone(&reply.rendered));
        let Some(r) = &self.reader else { return };
        if (r.index, r.width, r.raw) == key && r.body.loading {
            let header = self.header_for(reply.index, &reply.rendered, reply.raw, reply.width);
            let height = self.reader_height();
            if let Some(r) = &mut self.reader {
                r.header = header;
                r.body = reply.rendered;
                if let Some((scroll, old_total)) = r.anchor.take() {
                    r.scroll = scroll * r.total() / old_total.max(1);
                }
                r.scroll = r.scroll.min(r.max_scroll(height));
            }
            self.relocate_find();
            if self.find_jump && self.find.as_ref().is_some_and(|f| !f.hits.is_empty()) {
                self.find_jump = false;
                if let Some(f) = self.find.clone() {
                    self.set_find(f);
                }
            }
        }
    }

    /// After the corpus moved under the reader: asks again for a body still loading.
    pub(super) fn ensure_body(&mut self) {
        if let Some(r) = &self.reader
            && r.body.loading
        {
            let (index, width, raw) = (r.index, r.width, r.raw);
            let body = self.body_for(index, width, raw);
            if let Some(r) = &mut self.reader {
                r.body = body;
            }
        }
    }

    pub(super) fn header_for(
        &mut self,
        index: usize,
        body: &reader::Rendered,
        raw: bool,
        width: usize,
    ) -> Vec<yuedu_core::document::Line> {
        match self.corpus.articles.get(index) {
            Some(_) => {
                let also = self.also_in(index);
                let a = &self.corpus.articles[index];
                let key = self.keymap.first(Command::RawView);
                let mut lines = reader::header(a, self.tags_of(index), body, raw, key.as_deref(), width);
                if let Some(also) = also {
                    // Under the URL, before the chrome note and the blank line.
                    let at = lines.len().saturating_sub(1);
                    for (k, l) in super::text::wrap(&also, width.max(1)).into_iter().enumerate() {
                        lines.insert(at + k, reader::dim(l));
                    }
                }
                lines
            }
            None => Vec::new(),
        }
    }

    pub(super) fn reader_width(&self) -> usize {
        layout::reader_text_width(&self.areas_for(Pane::Reader))
    }

    /// Re-renders the reader for a new width, raw state or tags, keeping the scroll in range.
    pub(super) fn refresh_reader(&mut self, raw: Option<bool>) {
        let width = self.reader_width();
        let Some(r) = &self.reader else { return };
        let (index, scroll) = (r.index, r.scroll);
        let raw = raw.unwrap_or(r.raw);
        let old_total = r.total().max(1);
        let same = r.width == width && r.raw == raw;
        let body = if same { Arc::clone(&r.body) } else { self.body_for(index, width, raw) };
        let header = self.header_for(index, &body, raw, width);
        let height = self.reader_height();
        let loading = body.loading;
        let mut r = Reader::new(index, raw, header, body, width);
        // Keep the same place in the text when the width changes the number of lines; when the
        // new body is still loading, once it arrives.
        if loading {
            r.scroll = scroll;
            r.anchor = Some((scroll, old_total));
        } else {
            r.scroll = (scroll * r.total() / old_total).min(r.max_scroll(height));
        }
        self.reader = Some(r);
        self.relocate_find();
    }

    pub(super) fn toggle_raw(&mut self) {
        let Some(r) = &self.reader else {
            self.info("no article open");
            return;
        };
        let raw = !r.raw;
        self.refresh_reader(Some(raw));
        if let Some(r) = &mut self.reader {
            r.scroll = 0;
            r.anchor = None;
        }
    }

    pub(super) fn next_article(&mut self, delta: isize) {
        if self.focus != Pane::Reader || self.reader.is_none() {
            self.step(delta, false);
            return;
        }
        let cur = self.reader.as_ref().map(|r| r.index);
        // Follow the list from the open article's row, or from the selection if it left the list.
        let from = cur.and_then(|c| self.rows.iter().position(|&i| i == c)).unwrap_or(self.selected);
        let Some(to) = from.checked_add_signed(delta).filter(|&t| t < self.rows.len()) else {
            self.info(if delta > 0 { "last article" } else { "first article" });
            return;
        };
        self.selected = to;
        self.keep_visible();
        if let Some(&index) = self.rows.get(to) {
            self.show(index, true);
        }
    }

    pub(super) fn open_url(&mut self) -> Vec<Effect> {
        let Some(url) = self.current_url() else { return Vec::new() };
        if !self.env.has_display {
            let key =
                self.keymap.first(Command::CopyUrl).map(|k| format!("; {k} copies it")).unwrap_or_default();
            self.error(format!("no local display to open a browser on{key}"));
            return Vec::new();
        }
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            self.error("only http and https links are opened");
            return Vec::new();
        }
        self.info(format!("opening {url}"));
        vec![Effect::OpenUrl(url)]
    }

    pub(super) fn copy_url(&mut self) -> Vec<Effect> {
        let Some(url) = self.current_url() else { return Vec::new() };
        self.info(format!("copied {url}"));
        vec![Effect::Copy(url)]
    }

    /// The current article's URL, made safe to hand on: no control, format or space characters.
    pub(super) fn current_url(&mut self) -> Option<String> {
        let Some(index) = self.current() else {
            self.info("nothing selected");
            return None;
        };
        let url = self.corpus.articles.get(index).and_then(|a| a.url.clone()).unwrap_or_default();
        let url = safe_url(&url);
        if url.is_empty() {
            self.error("this article has no URL");
            return None;
        }
        Some(url)
    }
}

/// A URL reduced to printable, non-space, non-format characters, at most 8 KiB.
pub fn safe_url(url: &str) -> String {
    let mut out = String::new();
    for c in url.trim().chars() {
        if c.is_control() || c.is_whitespace() || is_invisible(c) {
            continue;
        }
        if out.len() + c.len_utf8() > 8192 {
            break;
        }
        out.push(c);
    }
    out
}

/// Zero-width and direction-changing characters.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{AD}')
}
