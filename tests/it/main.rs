//! Every integration test of yuedu, one module per subject, built as one crate; `util` holds the harness.

mod adversarial;
mod app;
mod boilerplate;
mod cache;
mod cli;
mod cli_fast;
mod cli_triage;
mod corpus;
mod e2e_tmux;
mod entities;
mod export;
mod facts;
mod faults;
mod filter;
mod filter_props;
mod hardening;
mod render;
mod render_snapshots;
mod sanitize;
mod search;
mod shared;
mod stories;
mod tags_cli;
mod tags_store;
#[cfg(target_os = "linux")]
mod tui_pty;
mod ui;
mod ui_facts;
mod util;
mod wrap_props;
