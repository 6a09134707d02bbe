//! What the user can ask for (`Command`, bindable in config.yaml), what the app receives
//! (`Action`), and what it asks the outside world to do (`Effect`).

use std::path::PathBuf;
use std::sync::Arc;

use yuedu_core::corpus::{Article, ArticleId, Corpus, Duplicate, FileChanges};
use yuedu_core::document::AmbiWidth;
use yuedu_core::document::boilerplate::Templates;
use yuedu_core::facts::FactTable;
use yuedu_core::progress::Snapshot;

use crate::reader::Rendered;

/// A bindable command. Its name is the key of the `keys:` map in config.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    Down,
    Up,
    Top,
    Bottom,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    Open,
    SwitchFocus,
    NextArticle,
    PrevArticle,
    FindNext,
    FindPrev,
    BodySearch,
    Back,
    Cancel,
    Quit,
    Filter,
    Sort,
    PickSource,
    UnreadOnly,
    RawView,
    OpenUrl,
    CopyUrl,
    AddTags,
    RemoveTags,
    FollowUp,
    ToggleRead,
    BulkAddTags,
    BulkRemoveTags,
    TagList,
    Entities,
    CveBoard,
    CopyAll,
    HideEmpty,
    Undo,
    MarkAllRead,
    Link,
    SavedSearches,
    ListWider,
    ListNarrower,
    ExpandStory,
    FoldStories,
    NextCopy,
    Help,
}

/// A heading in the help overlay, and the commands under it.
pub struct Section {
    pub title: &'static str,
    pub commands: &'static [Command],
}

pub const SECTIONS: &[Section] = &[
    Section {
        title: "Moving",
        commands: &[
            Command::Down,
            Command::Up,
            Command::Top,
            Command::Bottom,
            Command::HalfPageDown,
            Command::HalfPageUp,
            Command::PageDown,
            Command::PageUp,
        ],
    },
    Section {
        title: "Reading",
        commands: &[
            Command::Open,
            Command::SwitchFocus,
            Command::NextArticle,
            Command::PrevArticle,
            Command::RawView,
            Command::OpenUrl,
            Command::CopyUrl,
            Command::Link,
            Command::NextCopy,
            Command::Back,
            Command::Cancel,
            Command::Quit,
        ],
    },
    Section {
        title: "Finding",
        commands: &[
            Command::Filter,
            Command::BodySearch,
            Command::FindNext,
            Command::FindPrev,
            Command::Sort,
            Command::PickSource,
            Command::UnreadOnly,
            Command::HideEmpty,
            Command::SavedSearches,
            Command::ListWider,
            Command::ListNarrower,
            Command::ExpandStory,
            Command::FoldStories,
        ],
    },
    Section { title: "Indicators", commands: &[Command::Entities, Command::CveBoard, Command::CopyAll] },
    Section {
        title: "Tags and read state",
        commands: &[
            Command::AddTags,
            Command::RemoveTags,
            Command::FollowUp,
            Command::ToggleRead,
            Command::BulkAddTags,
            Command::BulkRemoveTags,
            Command::MarkAllRead,
            Command::Undo,
            Command::TagList,
        ],
    },
    Section { title: "Help", commands: &[Command::Help] },
];

impl Command {
    pub const ALL: &'static [Command] = &[
        Command::Down,
        Command::Up,
        Command::Top,
        Command::Bottom,
        Command::HalfPageDown,
        Command::HalfPageUp,
        Command::PageDown,
        Command::PageUp,
        Command::Open,
        Command::SwitchFocus,
        Command::NextArticle,
        Command::PrevArticle,
        Command::FindNext,
        Command::FindPrev,
        Command::BodySearch,
        Command::Back,
        Command::Cancel,
        Command::Quit,
        Command::Filter,
        Command::Sort,
        Command::PickSource,
        Command::UnreadOnly,
        Command::RawView,
        Command::OpenUrl,
        Command::CopyUrl,
        Command::AddTags,
        Command::RemoveTags,
        Command::FollowUp,
        Command::ToggleRead,
        Command::BulkAddTags,
        Command::BulkRemoveTags,
        Command::TagList,
        Command::Entities,
        Command::CveBoard,
        Command::CopyAll,
        Command::HideEmpty,
        Command::Undo,
        Command::MarkAllRead,
        Command::Link,
        Command::SavedSearches,
        Command::ListWider,
        Command::ListNarrower,
        Command::ExpandStory,
        Command::FoldStories,
        Command::NextCopy,
        Command::Help,
    ];

    /// The name used in config.yaml.
    pub fn name(self) -> &'static str {
        self.info().0
    }

    /// One line for the help overlay.
    pub fn description(self) -> &'static str {
        self.info().1
    }

    /// The default keys, in the syntax config.yaml uses.
    pub fn default_keys(self) -> &'static [&'static str] {
        self.info().2
    }

    pub fn from_name(name: &str) -> Option<Command> {
        let name = name.trim().replace('-', "_").to_ascii_lowercase();
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    fn info(self) -> (&'static str, &'static str, &'static [&'static str]) {
        use Command::*;
        match self {
            Down => ("down", "move down / scroll down a line", &["j", "Down"]),
            Up => ("up", "move up / scroll up a line", &["k", "Up"]),
            Top => ("top", "go to the top", &["g", "Home"]),
            Bottom => ("bottom", "go to the bottom", &["G", "End"]),
            HalfPageDown => ("half_page_down", "half a page down", &["Ctrl-d"]),
            HalfPageUp => ("half_page_up", "half a page up", &["Ctrl-u"]),
            PageDown => ("page_down", "a page down", &["PgDn", "Space"]),
            PageUp => ("page_up", "a page up", &["PgUp"]),
            Open => ("open", "open the selected article", &["Enter"]),
            SwitchFocus => ("switch_focus", "switch between list and reader", &["Tab"]),
            NextArticle => ("next_article", "next article while reading", &["J"]),
            PrevArticle => ("prev_article", "previous article while reading", &["K", "p"]),
            FindNext => ("find_next", "next match in the article (else the next article)", &["n"]),
            FindPrev => ("find_prev", "previous match (else the previous article)", &["N"]),
            BodySearch => {
                ("body_search", "search every article's text (\"phrase\" -word OR source:)", &["\\"])
            }
            Back => ("back", "back one level (clears a filter; quits from the list)", &["q"]),
            Cancel => ("cancel", "back out (search, then filter), never quits", &["Esc"]),
            Quit => ("quit", "quit at once", &["Q", "Ctrl-c"]),
            Filter => ("filter", "filter the list (fuzzy, pinyin, fields); reader: find in it", &["/"]),
            Sort => ("sort", "cycle sort: best match, newest, oldest, source, title", &["s"]),
            PickSource => ("pick_source", "pick a source from a list with counts", &["S"]),
            UnreadOnly => ("unread_only", "show only unread articles (toggle)", &["u"]),
            RawView => ("raw_view", "toggle raw view (the body with page chrome)", &["r"]),
            OpenUrl => ("open_url", "open the URL in the browser (local display only)", &["o"]),
            CopyUrl => ("copy_url", "copy the URL (OSC 52, works over SSH and tmux)", &["y"]),
            AddTags => ("add_tags", "add tags (several at once, Tab completes)", &["t"]),
            RemoveTags => ("remove_tags", "remove tags", &["T"]),
            FollowUp => ("follow_up", "toggle the follow-up tag", &["f"]),
            ToggleRead => ("toggle_read", "toggle read / unread", &["m"]),
            BulkAddTags => ("bulk_add_tags", "add tags to every article shown", &["+"]),
            BulkRemoveTags => ("bulk_remove_tags", "remove tags from every article shown", &["-"]),
            TagList => ("tag_list", "list every tag with its count", &["L"]),
            Entities => ("entities", "the article's indicators (Enter filters to one, y copies)", &["i"]),
            CveBoard => ("cve_board", "CVE board of the list shown (Enter filters to a CVE)", &["C"]),
            CopyAll => ("copy_all", "indicators panel: copy every value of the kind", &["Y"]),
            HideEmpty => ("hide_empty", "hide empty pages (anti-bot, failed loads) (toggle)", &["E"]),
            Undo => ("undo", "undo the last tag or read change (bulk ones too)", &["U"]),
            MarkAllRead => ("mark_all_read", "mark every article shown as read (asks first)", &["M"]),
            Link => ("link", "open link N of the article: type N, Enter opens, y copies", &["l"]),
            SavedSearches => {
                ("saved_searches", "saved searches (config searches:) with unread counts", &["v"])
            }
            ListWider => ("list_wider", "widen the list pane (side by side)", &[">"]),
            ListNarrower => ("list_narrower", "narrow the list pane (side by side)", &["<"]),
            ExpandStory => ("expand_story", "show every copy of the selected story (toggle)", &["x"]),
            FoldStories => ("fold_stories", "fold copies of one story into one row (toggle)", &["F"]),
            NextCopy => ("next_copy", "read the next copy of this story (another source)", &["c"]),
            Help => ("help", "this help", &["?"]),
        }
    }
}

/// Text editing in a prompt or a picker's search line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    Backspace,
    DeleteWord,
    Clear,
    Left,
    Right,
    Home,
    End,
    Complete,
    Submit,
    Cancel,
}

/// Mouse input, when enabled in config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mouse {
    ScrollDown { column: u16, row: u16 },
    ScrollUp { column: u16, row: u16 },
    Click { column: u16, row: u16 },
}

/// Everything that changes the app: input, and the answers of the worker and the watcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Run(Command),
    Edit(Edit),
    /// An answer to a yes/no question.
    Confirm(bool),
    Paste(String),
    Mouse(Mouse),
    Resize {
        width: u16,
        height: u16,
    },
    /// Time passed: retry unsaved tags, look whether the corpus folder is still there.
    Tick,
    /// The corpus on disk changed (background load or reconcile).
    CorpusUpdated(Box<Corpus>),
    /// These files or folders changed on disk (the file watcher): the worker reads them.
    FilesChanged(Vec<PathBuf>),
    /// The worker read what changed below the watched paths.
    FilesRead(Box<FileChanges>),
    /// The worker wrote (or failed to write) the tag store.
    Saved(SaveReport),
    /// The worker read, cleaned and rendered an article.
    BodyRead(Box<BodyReply>),
    /// Whether the corpus folder exists, as the worker found it.
    RootChecked {
        exists: bool,
    },
    /// Background jobs and how far they are (an empty list: none running).
    Jobs(Vec<Snapshot>),
    /// A background job failed: the one line to show.
    Failed(String),
    /// The worker's answer to a body search.
    Searched(Box<crate::search::SearchReply>),
    /// The body pass's facts (empty pages, indicators), loaded or brought up to date.
    FactsLoaded(Arc<FactTable>),
    /// The body pass's stories (copies of one article across sources).
    StoriesLoaded(Arc<yuedu_core::stories::StoryTable>),
    /// The worker prepared every title for filtering, and the title sort order, for the corpus
    /// of this generation.
    Prepared {
        generation: u64,
        prepared: Box<yuedu_core::filter::Prepared>,
        title_rank: Arc<Vec<u32>>,
    },
}

/// A tag or read-state change for the worker to write, by article id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagWrite {
    Add { ids: Vec<String>, tags: Vec<String> },
    Remove { ids: Vec<String>, tags: Vec<String> },
    Read { id: String, read: bool },
    Position { id: String, pos: u16 },
    ReadMany { ids: Vec<String>, read: bool },
}

/// What a save came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveReport {
    /// Changes still not on disk after this write (kept in memory and retried).
    pub pending: usize,
    /// The one line to show when the write failed.
    pub error: Option<String>,
    /// A notice from the store (a corrupt file was moved aside).
    pub warning: Option<String>,
}

/// An article to read and render for the reading pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyRequest {
    pub index: usize,
    pub article: Box<Article>,
    pub templates: Arc<Templates>,
    pub width: usize,
    pub raw: bool,
    pub ambiwidth: AmbiWidth,
}

/// A rendered article, for the request of the same index, id, width and raw state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyReply {
    pub index: usize,
    pub id: ArticleId,
    pub width: usize,
    pub raw: bool,
    pub rendered: Arc<Rendered>,
}

/// What the app asks the outside world to do. The first group goes to the worker, which
/// answers with an [`Action`]; the rest is the terminal owner's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write a tag or read-state change to the store.
    Save(TagWrite),
    /// Retry the changes a failed write left pending.
    Flush,
    ReadBody(BodyRequest),
    /// Read what changed below these paths of the corpus at `root`.
    ReadFiles {
        root: PathBuf,
        duplicates: Vec<Duplicate>,
        paths: Vec<PathBuf>,
    },
    /// Look whether the corpus folder is still there.
    CheckRoot(PathBuf),
    /// Prepare these titles for filtering and rank them for the title sort (after the first
    /// frame, so the first `/` does not wait).
    Prepare {
        generation: u64,
        titles: Arc<Vec<(String, yuedu_core::corpus::Date)>>,
    },
    /// Run a full-text search of the article bodies.
    Search {
        query: String,
        limit: usize,
    },
    Quit,
    /// Open an http(s) URL with the system opener, passed as one argument.
    OpenUrl(String),
    /// Put this (already sanitized) text on the clipboard with OSC 52.
    Copy(String),
    /// Something visible changed without a key press (after a Tick).
    Redraw,
}

impl Effect {
    /// Effects the worker runs (disk and locks), as opposed to the terminal owner's.
    pub fn is_work(&self) -> bool {
        matches!(
            self,
            Effect::Save(_)
                | Effect::Flush
                | Effect::ReadBody(_)
                | Effect::ReadFiles { .. }
                | Effect::CheckRoot(_)
                | Effect::Search { .. }
                | Effect::Prepare { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_sections_cover_all() {
        for &c in Command::ALL {
            assert_eq!(Command::from_name(c.name()), Some(c));
            assert!(SECTIONS.iter().any(|s| s.commands.contains(&c)), "{c:?} missing from help");
        }
        assert_eq!(Command::from_name("half-page-down"), Some(Command::HalfPageDown));
        assert_eq!(Command::from_name("nope"), None);
    }
}
