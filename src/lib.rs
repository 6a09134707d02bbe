//! yuedu: a keyboard-only terminal reader for local archives of scraped security news.
//!
//! The core (`yuedu-core`: corpus, document, filter, tags, config), the model (`yuedu-app`) and
//! the body index (`yuedu-index`: the body pass and search) are crates of their own that link no
//! terminal library; this crate holds the commands, the view (`ui`, ratatui) and the terminal
//! (`tui`, the only owner of crossterm).

pub use yuedu_app as app;
pub use yuedu_core::{config, corpus, document, entities, facts, filter, limits, progress, stories, tags};
/// The body pass and body search (`yuedu search`).
pub use yuedu_index as index;

pub mod commands;
mod demo;
pub mod tui;
pub mod ui;
