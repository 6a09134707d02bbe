//! `yuedu tags add|rm|list`: tagging from the shell. An id is found through the index without
//! loading the corpus when the index is current.

use std::io::Write;

use super::{CommandError, Env, Found, write_out};
use crate::tags::Store;

/// What `yuedu tags` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Add {
        id: String,
        tags: Vec<String>,
    },
    Remove {
        id: String,
        tags: Vec<String>,
    },
    /// Every tag with its count, or one article's tags.
    List {
        id: Option<String>,
    },
}

/// `yuedu tags ...`.
pub fn run(env: &Env<'_>, action: &Action, out: &mut dyn Write) -> Result<(), CommandError> {
    let key = match action {
        Action::Add { id, .. } | Action::Remove { id, .. } | Action::List { id: Some(id) } => id,
        Action::List { id: None } => return list_all(&env.open_store()?, out),
    };
    // Only the article is looked up (the corpus is loaded in full only when the index is
    // stale), while the store is read: each is about half of the time on a large archive.
    let (found, store) = std::thread::scope(|s| {
        let store = s.spawn(|| env.open_store());
        let found = env.choose().and_then(|choice| env.find(&choice, key));
        (found, store.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let mut store = store?;
    let found = found?;
    match action {
        Action::Add { tags, .. } => add(&found, &mut store, key, tags, out),
        Action::Remove { tags, .. } => remove(&found, &mut store, key, tags, out),
        Action::List { .. } => list_one(&found, &store, key, out),
    }
}

/// The full id for `key`: the article the corpus has under that prefix or, with `orphans`, an
/// entry in the store whose article is gone (so its tags can still be seen and removed).
pub fn resolve(found: &Found, store: &Store, key: &str, orphans: bool) -> Result<String, CommandError> {
    let err = match &found.article {
        Ok(a) => return Ok(a.id.to_string()),
        Err(msg) => msg.clone(),
    };
    let k = key.trim().to_ascii_lowercase();
    if orphans && found.matches == 0 && k.len() >= 4 && k.chars().all(|c| c.is_ascii_hexdigit()) {
        let mut hits = store.entries().map(|(id, _)| id).filter(|id| id.starts_with(&k));
        if let (Some(id), None) = (hits.next(), hits.next()) {
            return Ok(id.to_string());
        }
    }
    Err(CommandError::NotFound(err))
}

fn write_id_tags(store: &Store, id: &str, out: &mut dyn Write) -> Result<(), CommandError> {
    write_out(out, |out| writeln!(out, "{id}\t{}", store.tags(id).join(",")))
}

/// `tags add ID TAG...`: prints the id and the article's tags afterwards.
pub fn add(
    found: &Found,
    store: &mut Store,
    key: &str,
    tags: &[String],
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    let id = resolve(found, store, key, false)?;
    store.add(&id, tags)?;
    say_warning(store);
    write_id_tags(store, &id, out)
}

/// `tags rm ID TAG...`: prints the id and the tags left. Works for an article that is gone.
pub fn remove(
    found: &Found,
    store: &mut Store,
    key: &str,
    tags: &[String],
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    let id = resolve(found, store, key, true)?;
    let had: Vec<String> = store.tags(&id).iter().map(|t| t.to_lowercase()).collect();
    let missing: Vec<String> =
        tags.iter().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty() && !had.contains(t)).collect();
    store.remove(&id, tags)?;
    say_warning(store);
    if !missing.is_empty() {
        let shown: Vec<String> = missing.iter().map(|t| crate::tags::validate::shown(t)).collect();
        let _ = writeln!(std::io::stderr(), "yuedu: {id} had no tag {}", shown.join(", "));
    }
    write_id_tags(store, &id, out)
}

/// What the write had to do (a store that could not be parsed was moved aside), on one line.
fn say_warning(store: &mut Store) {
    if let Some(w) = store.take_warning() {
        let _ = writeln!(std::io::stderr(), "yuedu: {w}");
    }
}

/// `tags list`: `COUNT<TAB>TAG`, most used first.
pub fn list_all(store: &Store, out: &mut dyn Write) -> Result<(), CommandError> {
    write_out(out, |out| {
        for (tag, n) in store.counts() {
            writeln!(out, "{n}\t{tag}")?;
        }
        Ok(())
    })
}

/// `tags list ID`: the article's tags, one per line.
pub fn list_one(found: &Found, store: &Store, key: &str, out: &mut dyn Write) -> Result<(), CommandError> {
    let id = resolve(found, store, key, true)?;
    write_out(out, |out| {
        for tag in store.tags(&id) {
            writeln!(out, "{tag}")?;
        }
        Ok(())
    })
}
