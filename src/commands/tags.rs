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
    // Only the article is looked up; the corpus is loaded in full only when the index is stale.
    let found = |key: &str| -> Result<Found, CommandError> { env.find(&env.choose()?, key) };
    match action {
        Action::Add { id, tags } => {
            let found = found(id)?;
            add(&found, &mut env.open_store()?, id, tags, out)
        }
        Action::Remove { id, tags } => {
            let found = found(id)?;
            remove(&found, &mut env.open_store()?, id, tags, out)
        }
        Action::List { id: None } => list_all(&env.open_store()?, out),
        Action::List { id: Some(id) } => {
            let found = found(id)?;
            list_one(&found, &env.open_store()?, id, out)
        }
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
    store.remove(&id, tags)?;
    write_id_tags(store, &id, out)
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
