//! Issue 19, "Hardening": a hostile or broken tag store, index cache, corpus entry or document
//! must not write where it should not, hang, exhaust memory or put raw bytes on a terminal.

mod cache;
mod corpus;
mod store;
