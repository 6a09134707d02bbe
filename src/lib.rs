//! yuedu: a keyboard-only terminal reader for local archives of scraped security news.
//!
//! The core (`corpus`, `document`, `filter`, `tags`, `config`) is plain Rust and never touches a
//! terminal; `app` is the headless model, `ui` draws it with ratatui, `tui` owns crossterm.

pub mod app;
pub mod commands;
pub mod config;
pub mod corpus;
mod demo;
pub mod document;
pub mod filter;
pub mod tags;
pub mod tui;
pub mod ui;
