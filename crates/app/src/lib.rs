//! The reader's model: all state of the TUI, changed only by [`App::update`] with an [`Action`].
//! It never touches the terminal; what it needs done outside comes back as [`Effect`]s, so every
//! behaviour can be tested by feeding actions and looking at the state.

pub mod action;
pub mod entities;
mod find;
mod help;
mod input;
pub mod keymap;
pub mod layout;
mod list;
mod live;
pub mod prompt;
pub mod reader;
mod reading;
mod search;
mod stories;
mod tagging;
pub mod text;
mod triage;
pub mod worker;

pub use action::{Action, BodyReply, BodyRequest, Command, Edit, Effect, Mouse, SaveReport, TagWrite};
pub use find::{Find, Hit as FindHit};
pub use help::{HelpLine, help_len, help_lines};
pub use keymap::{Key, KeyCode, Keymap};
pub use layout::Pane;
pub use list::Sort;
pub use reading::safe_url;
pub use search::{BodyResults, BodySearch, SEARCH_LIMIT, SearchHit, SearchReply};

use std::sync::Arc;

use yuedu_core::config::Config;
use yuedu_core::corpus::{Article, ArticleId, Corpus};
use yuedu_core::document::boilerplate::Templates;
use yuedu_core::document::{AmbiWidth, sanitize};
use yuedu_core::facts::FactTable;
use yuedu_core::filter::{self, Hit, Prepared, Query, Record};
use yuedu_core::progress::Snapshot;
use yuedu_core::tags::Store;

use prompt::{LineEdit, Picker};
use reader::{Reader, RenderCache};
use tagging::TagOp;

/// The tag toggled by the follow-up key.
pub const FOLLOW_UP: &str = "follow-up";

/// What the app knows of the world outside: decided once by the terminal owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Env {
    /// False under NO_COLOR: styles only (bold, dim, reverse, underline).
    pub color: bool,
    /// A local display is there to open a browser on (X11, Wayland or macOS).
    pub has_display: bool,
    pub ambiwidth: AmbiWidth,
}

impl Default for Env {
    fn default() -> Self {
        Env { color: true, has_display: false, ambiwidth: AmbiWidth::Narrow }
    }
}

/// A one-line message on the status line, until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// Typing a filter: the list narrows with each key; Esc clears it.
    Filter,
    /// Typing a search inside the open article: matches light up with each key.
    Find,
    /// Typing a full-text search of every article's body: runs on Enter.
    BodySearch,
    AddTags {
        index: usize,
    },
    RemoveTags {
        index: usize,
    },
    BulkAdd,
    BulkRemove,
    /// A link number of the open article.
    Link,
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub edit: LineEdit,
    /// Completion pool for tag prompts.
    pub pool: Vec<String>,
    cycle: Option<String>,
}

impl Prompt {
    pub fn label(&self) -> &'static str {
        match self.kind {
            PromptKind::Filter => "/",
            PromptKind::Find => "find: ",
            PromptKind::BodySearch => "search bodies: ",
            PromptKind::AddTags { .. } => "add tags: ",
            PromptKind::RemoveTags { .. } => "remove tags: ",
            PromptKind::BulkAdd => "add tags to all shown: ",
            PromptKind::BulkRemove => "remove tags from all shown: ",
            PromptKind::Link => "link number (Enter opens, y copies): ",
        }
    }

    /// Completion candidates for the word being typed (tag prompts only).
    pub fn candidates(&self) -> Vec<&str> {
        match self.kind {
            PromptKind::Filter | PromptKind::Find | PromptKind::BodySearch | PromptKind::Link => Vec::new(),
            _ => prompt::tag_candidates(&self.edit, &self.pool),
        }
    }
}

/// A bulk tag change waiting for a yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bulk {
    pub add: bool,
    pub tags: Vec<String>,
    pub indices: Vec<usize>,
    /// Mark the articles read instead of changing tags.
    pub read: bool,
}

impl Bulk {
    /// The question the confirmation asks.
    pub fn question(&self) -> String {
        let n = self.indices.len();
        let s = if n == 1 { "" } else { "s" };
        if self.read {
            return format!("Mark {n} article{s} read?");
        }
        let (verb, prep) = if self.add { ("Add", "to") } else { ("Remove", "from") };
        format!("{verb} {} {prep} {n} article{s}?", self.tags.join(", "))
    }
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Picker(Picker),
    Confirm(Bulk),
    /// The open article's indicators.
    Entities(entities::EntityPanel),
    /// The CVE board of the list shown.
    Board(entities::BoardView),
}

/// The whole state of the reader.
pub struct App {
    corpus: Corpus,
    /// Taken out of the corpus so a body request can share it with the worker.
    templates: Arc<Templates>,
    /// A detached copy: changes apply in memory here and go to the worker's store as effects.
    store: Store,
    keymap: Keymap,
    env: Env,
    /// Effects raised while handling an action, handed out when `update` returns.
    outbox: Vec<Effect>,
    /// Saves sent to the worker and not answered yet.
    saving: usize,
    /// Changes the worker could not write yet (it retries them).
    unsaved: usize,
    /// Quit once the saves in flight are answered.
    quit_after_save: bool,
    /// Bodies asked of the worker, by (index, width, raw).
    bodies_in_flight: Vec<(usize, usize, bool)>,
    /// Files changed on disk that the worker is reading.
    files_in_flight: usize,
    /// Background jobs and their progress, as last reported.
    jobs: Vec<Snapshot>,
    /// What the body pass found: empty pages and indicators, by article id.
    facts: Arc<FactTable>,
    /// Rows the pass found empty are left out of the list.
    hide_empty: bool,
    /// Article index by id, for entity terms' candidates; dropped when the corpus changes.
    id_index: Option<std::collections::HashMap<u64, usize>>,

    prepared: Prepared,
    /// Each article's place in title order, from the worker (empty until it answers).
    title_rank: Arc<Vec<u32>>,
    /// Counts corpus replacements, so a late answer about an old corpus is dropped.
    generation: u64,
    /// The generation whose titles the worker was asked to prepare.
    prepare_asked: Option<u64>,
    /// The state before the last tag or read change, to put back.
    undo: Option<triage::Undo>,
    /// The list's share of the width side by side, in percent.
    list_percent: u16,
    /// The source column's width: the widest source, up to a cap.
    source_col: usize,
    aliases: yuedu_core::corpus::alias::Aliases,
    /// Copies of one article across sources, from the body pass.
    stories: Arc<yuedu_core::stories::StoryTable>,
    /// Per corpus index, its multi-copy story numbered from 1 (0: alone); see `index_stories`.
    story_slot: Vec<u32>,
    story_count: usize,
    /// One row per story.
    fold: bool,
    /// The story whose copies are listed under it.
    expanded: Option<ArticleId>,
    /// Saved searches from config: (name, query).
    searches: Vec<(String, String)>,
    /// Tags and read state per article, as shown: the store plus changes not yet saved.
    tags: Vec<Vec<String>>,
    read: Vec<bool>,

    // The list.
    rows: Vec<usize>,
    selected: usize,
    offset: usize,
    sort: Sort,
    source: Option<String>,
    unread_only: bool,
    filter_text: String,
    filter: Option<(Query, Vec<Hit>)>,
    filter_error: Option<String>,

    reader: Option<Reader>,
    /// The search inside the open article.
    find: Option<Find>,
    /// Move to the first match once the body it is in arrives (a body search hit opened).
    find_jump: bool,
    /// The body search whose hits are the list.
    body_results: Option<BodyResults>,
    /// A body search is out with the worker.
    searching: bool,
    cache: RenderCache,
    /// The list moved in side-by-side mode: the preview is loaded at the next settle.
    preview_stale: bool,

    width: u16,
    height: u16,
    focus: Pane,
    overlay: Option<Overlay>,
    prompt: Option<Prompt>,
    message: Option<Message>,
    corpus_gone: bool,
    quit_armed: bool,
}

/// Tags and read state per article, as the store holds them. Walks the store's entries rather
/// than formatting and looking up 150,000 ids, which the first frame would wait for.
fn marks(corpus: &Corpus, store: &Store) -> (Vec<Vec<String>>, Vec<bool>) {
    let n = corpus.articles.len();
    let (mut tags, mut read) = (vec![Vec::new(); n], vec![false; n]);
    if store.is_empty() {
        return (tags, read);
    }
    let index: std::collections::HashMap<u64, usize> =
        corpus.articles.iter().enumerate().map(|(i, a)| (a.id.0, i)).collect();
    for (key, _) in store.entries() {
        // Only a key that is an article id as written: "00ab" is not article 0xab.
        let Some(&i) =
            key.parse::<ArticleId>().ok().filter(|id| id.to_string() == key).and_then(|id| index.get(&id.0))
        else {
            continue;
        };
        tags[i] = store.tags(key);
        read[i] = store.is_read(key);
    }
    (tags, read)
}

impl App {
    /// The model over `corpus`, showing what `store` holds. It never writes `store` (it keeps a
    /// detached copy): tag changes come out as [`Effect::Save`] for the worker.
    pub fn new(mut corpus: Corpus, store: Store, config: &Config, env: Env) -> App {
        let (keymap, warnings) = Keymap::from_config(&config.keys);
        let aliases = config.aliases();
        aliases.apply(&mut corpus.articles);
        let source_col = triage::source_column(&corpus);
        let store = store.detached_copy();
        let (tags, read) = marks(&corpus, &store);
        let templates = Arc::new(std::mem::take(&mut corpus.templates));
        let mut app = App {
            corpus,
            templates,
            store,
            keymap,
            env,
            outbox: Vec::new(),
            saving: 0,
            unsaved: 0,
            quit_after_save: false,
            bodies_in_flight: Vec::new(),
            files_in_flight: 0,
            jobs: Vec::new(),
            facts: Arc::default(),
            hide_empty: config.hide_empty,
            id_index: None,
            // Built on first use (see `ensure_prepared`): the first frame does not wait for it.
            prepared: Prepared::default(),
            title_rank: Arc::default(),
            generation: 0,
            prepare_asked: None,
            undo: None,
            list_percent: config
                .list_percent
                .unwrap_or(layout::LIST_PERCENT)
                .clamp(layout::LIST_PERCENT_MIN, layout::LIST_PERCENT_MAX),
            source_col,
            aliases,
            stories: Arc::default(),
            story_slot: Vec::new(),
            story_count: 0,
            fold: config.fold_stories.unwrap_or(true),
            expanded: None,
            searches: config.searches.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            tags,
            read,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            sort: Sort::Best,
            source: None,
            unread_only: false,
            filter_text: String::new(),
            filter: None,
            filter_error: None,
            reader: None,
            find: None,
            find_jump: false,
            body_results: None,
            searching: false,
            cache: RenderCache::default(),
            preview_stale: false,
            width: 80,
            height: 24,
            focus: Pane::List,
            overlay: None,
            prompt: None,
            message: None,
            corpus_gone: false,
            quit_armed: false,
        };
        app.rebuild(false);
        if let Some(first) = warnings.first() {
            // The status line is one row: the first problem, and where to read them all.
            let more =
                if warnings.len() > 1 { format!(" (+{} more)", warnings.len() - 1) } else { String::new() };
            app.error(format!("{first}{more}; `yuedu check` lists config problems"));
        }
        app
    }

    // ---- read access for the view and for tests ----

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }
    pub fn store(&self) -> &Store {
        &self.store
    }
    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }
    pub fn env(&self) -> Env {
        self.env
    }
    pub fn size(&self) -> (u16, u16) {
        (self.width, self.height)
    }
    pub fn focus(&self) -> Pane {
        self.focus
    }
    /// The pane on screen when only one fits.
    pub fn shown_pane(&self) -> Pane {
        if self.reader.is_some() { self.focus } else { Pane::List }
    }
    pub fn areas(&self) -> layout::Areas {
        layout::areas_at(self.width, self.height, self.shown_pane(), self.list_percent)
    }
    /// The list's share of the width side by side, in percent.
    pub fn list_percent(&self) -> u16 {
        self.list_percent
    }
    /// Columns for the source in the list: the widest source, up to a cap.
    pub fn source_column(&self) -> usize {
        self.source_col
    }
    /// Where the selected row is in the list, counted from 1 (0 when the list is empty).
    pub fn position(&self) -> usize {
        if self.rows.is_empty() { 0 } else { self.selected.min(self.rows.len() - 1) + 1 }
    }
    /// The open article's place in the list shown: (N, M), counted from 1.
    pub fn reader_position(&self) -> Option<(usize, usize)> {
        let r = self.reader.as_ref()?;
        let n = self.rows.iter().position(|&i| i == r.index)?;
        Some((n + 1, self.rows.len()))
    }
    /// Article indices in list order.
    pub fn rows(&self) -> &[usize] {
        &self.rows
    }
    pub fn selected(&self) -> usize {
        self.selected
    }
    pub fn offset(&self) -> usize {
        self.offset
    }
    pub fn selected_article(&self) -> Option<&Article> {
        self.rows.get(self.selected).and_then(|&i| self.corpus.articles.get(i))
    }
    pub fn article(&self, index: usize) -> Option<&Article> {
        self.corpus.articles.get(index)
    }
    pub fn tags_of(&self, index: usize) -> &[String] {
        self.tags.get(index).map(Vec::as_slice).unwrap_or(&[])
    }
    pub fn is_read(&self, index: usize) -> bool {
        self.read.get(index).copied().unwrap_or(false)
    }
    /// Char positions in the title that the filter matched. Found per call, for the rows on
    /// screen only: keeping them for every hit made broad queries slow.
    pub fn highlights(&self, index: usize) -> Vec<usize> {
        match &self.filter {
            Some((query, _)) if index < self.corpus.articles.len() => {
                filter::highlight(query, &self.record(index))
            }
            _ => Vec::new(),
        }
    }
    /// What the filter matches article `index` (which must be in the corpus) on.
    pub(crate) fn record(&self, index: usize) -> Record<'_> {
        let a = &self.corpus.articles[index];
        Record {
            title: &a.title,
            source: &a.source,
            date: a.date,
            tags: self.tags_of(index),
            entities: self.facts.entities(a.id),
        }
    }
    pub fn sort(&self) -> Sort {
        self.sort
    }
    pub fn filter_text(&self) -> &str {
        &self.filter_text
    }
    pub fn filter_active(&self) -> bool {
        self.filter.is_some()
    }
    pub fn filter_error(&self) -> Option<&str> {
        self.filter_error.as_deref()
    }
    pub fn source_filter(&self) -> Option<&str> {
        self.source.as_deref()
    }
    pub fn unread_only(&self) -> bool {
        self.unread_only
    }
    pub fn reader(&self) -> Option<&Reader> {
        self.reader.as_ref()
    }
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }
    pub fn prompt(&self) -> Option<&Prompt> {
        self.prompt.as_ref()
    }
    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }
    pub fn corpus_gone(&self) -> bool {
        self.corpus_gone
    }
    /// Tag changes kept in memory because the store could not be written.
    pub fn unsaved(&self) -> usize {
        self.unsaved
    }
    /// Saves sent to the worker and not answered yet.
    pub fn saving(&self) -> usize {
        self.saving
    }
    /// Background jobs still running, with their progress.
    pub fn jobs(&self) -> &[Snapshot] {
        &self.jobs
    }
    /// The templates the reader cleans bodies with.
    pub fn templates(&self) -> &Arc<Templates> {
        &self.templates
    }
    /// Work is out with the worker: the event loop should look for answers often.
    pub fn busy(&self) -> bool {
        self.saving > 0
            || !self.bodies_in_flight.is_empty()
            || self.files_in_flight > 0
            || !self.jobs.is_empty()
    }
    pub fn rendered_cached(&self) -> usize {
        self.cache.len()
    }
    /// Rows of the list when it is on screen (it may be hidden behind the reader); a row takes
    /// two lines while body search hits show their snippets.
    pub fn list_height(&self) -> usize {
        let lines = usize::from(self.areas_for(Pane::List).list.height);
        (lines / self.row_lines()).max(1)
    }
    /// Rows of article text on screen.
    pub fn reader_height(&self) -> usize {
        usize::from(self.areas_for(Pane::Reader).reader.height)
    }
    pub(crate) fn areas_for(&self, pane: Pane) -> layout::Areas {
        layout::areas_at(self.width, self.height, pane, self.list_percent)
    }
    /// The help overlay's box.
    pub fn help_area(&self) -> layout::Rect {
        let want = u16::try_from(help_len(&self.keymap) + 2).unwrap_or(u16::MAX);
        layout::overlay(self.width, self.height, 84, want)
    }
    /// A picker's box: a search line above the list, inside a border.
    pub fn picker_area(&self, p: &Picker) -> layout::Rect {
        let want = u16::try_from(p.items.len() + 3).unwrap_or(u16::MAX);
        layout::overlay(self.width, self.height, 64, want)
    }
    /// Rows of text in the help overlay.
    pub fn help_rows(&self) -> usize {
        usize::from(self.help_area().height.saturating_sub(2)).max(1)
    }
    fn picker_rows(&self) -> usize {
        match &self.overlay {
            Some(Overlay::Picker(p)) => usize::from(self.picker_area(p).height.saturating_sub(3)).max(1),
            _ => 1,
        }
    }

    // ---- messages ----

    /// Shows a one-line message from outside the app (a failed effect, a startup notice).
    pub fn notify(&mut self, text: &str, error: bool) {
        if error {
            self.error(text);
        } else {
            self.info(text);
        }
    }

    fn info(&mut self, text: impl AsRef<str>) {
        self.message = Some(Message { text: sanitize(text.as_ref()).into_owned(), error: false });
    }

    fn error(&mut self, text: impl AsRef<str>) {
        self.message = Some(Message { text: sanitize(text.as_ref()).into_owned(), error: true });
    }

    // ---- update ----

    /// Applies one action and returns what must be done outside: the worker's effects (disk,
    /// locks) and the terminal's. The view is a function of the state this leaves.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut fx = self.dispatch(action);
        fx.append(&mut self.outbox);
        fx
    }

    fn dispatch(&mut self, action: Action) -> Vec<Effect> {
        let input = matches!(
            action,
            Action::Run(_) | Action::Edit(_) | Action::Confirm(_) | Action::Paste(_) | Action::Mouse(_)
        );
        if input {
            if !matches!(action, Action::Run(Command::Quit)) {
                self.quit_armed = false;
                self.quit_after_save = false;
            }
            if self.overlay.is_none() && self.prompt.is_none() {
                self.message = None;
            }
        }
        match action {
            Action::Resize { width, height } => {
                self.width = width;
                self.height = height;
                self.relayout();
                Vec::new()
            }
            Action::Tick => self.tick(),
            Action::CorpusUpdated(corpus) => {
                self.replace_corpus(*corpus);
                vec![Effect::Redraw]
            }
            Action::FilesChanged(paths) => {
                self.files_in_flight += 1;
                let (root, duplicates) = (self.corpus.root.clone(), self.corpus.duplicates.clone());
                vec![Effect::ReadFiles { root, duplicates, paths }]
            }
            Action::FilesRead(changes) => {
                self.files_in_flight = self.files_in_flight.saturating_sub(1);
                self.apply_file_changes(*changes);
                vec![Effect::Redraw]
            }
            Action::Saved(report) => self.saved(report),
            Action::Searched(reply) => {
                self.search_answered(*reply);
                vec![Effect::Redraw]
            }
            Action::StoriesLoaded(stories) => {
                self.stories_loaded(stories);
                vec![Effect::Redraw]
            }
            Action::Prepared { generation, prepared, title_rank } => {
                self.prepared_arrived(generation, *prepared, title_rank);
                Vec::new()
            }
            Action::FactsLoaded(facts) => {
                self.facts_loaded(facts);
                vec![Effect::Redraw]
            }
            Action::BodyRead(reply) => {
                self.body_read(*reply);
                vec![Effect::Redraw]
            }
            Action::RootChecked { exists } => {
                if self.corpus_gone == exists {
                    self.corpus_gone = !exists;
                    return vec![Effect::Redraw];
                }
                Vec::new()
            }
            Action::Failed(text) => {
                self.error(text);
                vec![Effect::Redraw]
            }
            Action::Jobs(jobs) => {
                if self.jobs == jobs {
                    return Vec::new();
                }
                self.jobs = jobs;
                vec![Effect::Redraw]
            }
            Action::Confirm(yes) => {
                if let Some(Overlay::Confirm(bulk)) = self.overlay.take()
                    && yes
                {
                    self.apply_bulk(bulk);
                }
                Vec::new()
            }
            Action::Paste(text) => {
                if let Some(p) = &mut self.prompt {
                    p.edit.insert_str(&text);
                    p.cycle = None;
                    if p.kind == PromptKind::Filter {
                        self.filter_typed();
                    } else if p.kind == PromptKind::Find {
                        let text = p.edit.text().to_string();
                        self.find_typed(&text);
                    }
                } else if let Some(Overlay::Picker(p)) = &mut self.overlay {
                    p.search.insert_str(&text);
                    p.refilter();
                }
                Vec::new()
            }
            Action::Edit(e) => self.edit(e),
            Action::Mouse(m) => self.mouse(m),
            Action::Run(c) => self.run(c),
        }
    }

    /// Work deferred until the input queue is empty: loading the preview in side-by-side mode.
    /// Returns the effects that raised (a body to read).
    pub fn settle(&mut self) -> Vec<Effect> {
        self.request_prepare();
        if self.preview_stale {
            self.preview_stale = false;
            if layout::side_by_side(self.width)
                && self.focus == Pane::List
                && let Some(&index) = self.rows.get(self.selected)
                && self.reader.as_ref().is_none_or(|r| r.index != index)
            {
                self.show(index, false);
            }
        }
        std::mem::take(&mut self.outbox)
    }

    /// [`update`](App::update) then [`settle`](App::settle), as the event loop does after a burst.
    pub fn apply(&mut self, action: Action) -> Vec<Effect> {
        let mut fx = self.update(action);
        fx.extend(self.settle());
        fx
    }

    fn run(&mut self, cmd: Command) -> Vec<Effect> {
        let h = self.help_rows();
        let max = help_len(&self.keymap).saturating_sub(h);
        if let Some(Overlay::Help { scroll }) = &mut self.overlay {
            match cmd {
                Command::Down => *scroll = (*scroll + 1).min(max),
                Command::Up => *scroll = scroll.saturating_sub(1),
                Command::PageDown | Command::HalfPageDown => *scroll = (*scroll + h).min(max),
                Command::PageUp | Command::HalfPageUp => *scroll = scroll.saturating_sub(h),
                Command::Top => *scroll = 0,
                Command::Bottom => *scroll = max,
                Command::Quit => return self.quit(),
                _ => self.overlay = None,
            }
            return Vec::new();
        }
        let h = self.picker_rows();
        if let Some(Overlay::Picker(p)) = &mut self.overlay {
            match cmd {
                Command::Down => p.step(1, h),
                Command::Up => p.step(-1, h),
                Command::PageDown => p.step(h as isize, h),
                Command::PageUp => p.step(-(h as isize), h),
                Command::Quit => return self.quit(),
                _ => {}
            }
            return Vec::new();
        }
        if let Some(fx) = self.run_facts_overlay(cmd, self.list_height()) {
            return fx;
        }
        let in_reader = self.focus == Pane::Reader && self.reader.is_some();
        match cmd {
            Command::Down | Command::Up | Command::HalfPageDown | Command::HalfPageUp => {
                let page = if in_reader { self.reader_height() } else { self.list_height() }.max(1);
                let delta = match cmd {
                    Command::Down => 1,
                    Command::Up => -1,
                    Command::HalfPageDown => (page / 2).max(1) as isize,
                    _ => -((page / 2).max(1) as isize),
                };
                self.step(delta, in_reader);
            }
            Command::PageDown | Command::PageUp => {
                let page =
                    if in_reader { self.reader_height().saturating_sub(1) } else { self.list_height() };
                let page = page.max(1) as isize;
                self.step(if cmd == Command::PageDown { page } else { -page }, in_reader);
            }
            Command::Top => self.step(isize::MIN / 2, in_reader),
            Command::Bottom => self.step(isize::MAX / 2, in_reader),
            Command::Open => self.open_selected(),
            Command::SwitchFocus => self.switch_focus(),
            Command::NextArticle => self.next_article(1),
            Command::PrevArticle => self.next_article(-1),
            Command::Back => return self.back(),
            Command::Cancel => self.cancel(),
            Command::Undo => self.undo(),
            Command::MarkAllRead => self.mark_all_read_prompt(),
            Command::Link => self.link_prompt(),
            Command::SavedSearches => self.open_saved_searches(),
            Command::ListWider => self.resize_list(layout::LIST_PERCENT_STEP as i16),
            Command::ListNarrower => self.resize_list(-(layout::LIST_PERCENT_STEP as i16)),
            Command::ExpandStory => self.toggle_expand(),
            Command::FoldStories => self.toggle_fold(),
            Command::NextCopy => self.next_copy(),
            Command::Quit => return self.quit(),
            Command::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Command::Filter if in_reader => self.find_prompt(),
            Command::FindNext | Command::FindPrev => self.find_step(cmd == Command::FindNext),
            Command::BodySearch => {
                self.body_search_prompt();
                self.focus = Pane::List;
            }
            Command::Filter => {
                // Typing starts after this key: the preparation is hidden behind it.
                self.ensure_prepared();
                self.prompt = Some(Prompt {
                    kind: PromptKind::Filter,
                    edit: LineEdit::new(&self.filter_text),
                    pool: Vec::new(),
                    cycle: None,
                });
                self.focus = Pane::List;
            }
            Command::Sort => self.cycle_sort(),
            Command::PickSource => self.open_source_picker(),
            Command::TagList => self.open_tag_list(),
            Command::UnreadOnly => {
                self.unread_only = !self.unread_only;
                self.rebuild(true);
                self.info(if self.unread_only {
                    "showing unread articles only"
                } else {
                    "showing all articles"
                });
            }
            Command::RawView => self.toggle_raw(),
            Command::OpenUrl => return self.open_url(),
            Command::CopyUrl => return self.copy_url(),
            Command::AddTags | Command::RemoveTags => self.tag_prompt(cmd == Command::AddTags),
            Command::FollowUp => self.toggle_follow_up(),
            Command::ToggleRead => self.toggle_read(),
            Command::BulkAddTags | Command::BulkRemoveTags => self.bulk_prompt(cmd == Command::BulkAddTags),
            Command::Entities => self.open_entities(),
            Command::CveBoard => self.open_board(),
            Command::CopyAll => self.info("Y copies every indicator of a kind in the indicators panel (i)"),
            Command::HideEmpty => self.toggle_hide_empty(),
        }
        Vec::new()
    }

    fn switch_focus(&mut self) {
        self.focus = match self.focus {
            Pane::List if self.reader.is_some() => Pane::Reader,
            Pane::List => {
                self.info("no article open: Enter opens the selected one");
                Pane::List
            }
            Pane::Reader => Pane::List,
        };
    }

    fn back(&mut self) -> Vec<Effect> {
        if self.back_out() {
            return Vec::new();
        }
        self.quit()
    }

    /// Esc: backs out like `q`, but from the top level it does nothing (fzf and lazygit users
    /// press it to leave things, not the program).
    fn cancel(&mut self) {
        if !self.back_out() {
            let key = self.keymap.first(Command::Back).unwrap_or_else(|| "q".into());
            self.info(format!("nothing to cancel; {key} quits"));
        }
    }

    /// One level back: closes the find, the reader, the body search, the filter. False when
    /// there was nothing to back out of.
    fn back_out(&mut self) -> bool {
        if self.focus == Pane::Reader && self.find.take().is_some() {
            return true;
        }
        if self.focus == Pane::Reader {
            self.remember_position();
            self.focus = Pane::List;
            if !layout::side_by_side(self.width) {
                self.reader = None;
            }
            return true;
        }
        if self.body_results.is_some() {
            self.clear_body_search();
            self.info("search cleared");
            return true;
        }
        if self.filter.is_some() || self.source.is_some() || self.unread_only || self.filter_error.is_some() {
            self.source = None;
            self.unread_only = false;
            self.clear_filter();
            self.info("filter cleared");
            return true;
        }
        false
    }

    fn quit(&mut self) -> Vec<Effect> {
        if (self.unsaved == 0 && self.saving == 0) || self.quit_armed {
            return vec![Effect::Quit];
        }
        // Quit when the worker has written what is in flight; a second key quits at once.
        self.quit_armed = true;
        self.quit_after_save = true;
        if self.saving == 0 {
            self.retry_pending();
        }
        let n = self.unsaved.max(self.saving);
        let key = self.keymap.first(Command::Quit).unwrap_or_else(|| "Q".into());
        self.error(format!("saving {n} tag change(s) before quitting; press {key} again to quit anyway"));
        Vec::new()
    }

    fn tick(&mut self) -> Vec<Effect> {
        if self.unsaved > 0 && self.saving == 0 {
            self.retry_pending();
        }
        vec![Effect::CheckRoot(self.corpus.root.clone())]
    }

    /// Whether the event loop should send ticks soon (unsaved changes to retry).
    pub fn wants_tick(&self) -> bool {
        self.unsaved > 0
    }

    /// A tag change applied to the view at once and saved; a failed save is kept and retried.
    fn apply_op(&mut self, op: TagOp) {
        if let Err(e) = self.save(op) {
            self.error(e);
        }
        self.refresh_reader(None);
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("rows", &self.rows.len())
            .field("selected", &self.selected)
            .field("focus", &self.focus)
            .field("filter", &self.filter_text)
            .finish_non_exhaustive()
    }
}
