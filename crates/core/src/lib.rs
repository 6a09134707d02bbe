//! yuedu's core: loading a corpus, cleaning and laying out documents, filtering, tags and config.
//! Plain Rust with typed errors; it never touches a terminal (no ratatui, no crossterm).

pub mod config;
pub mod corpus;
pub mod document;
pub mod entities;
pub mod facts;
pub mod filter;
pub mod limits;
pub mod progress;
pub mod stories;
pub mod tags;
