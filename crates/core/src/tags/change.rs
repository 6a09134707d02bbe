//! A change to the store, kept until it is on disk, and applying it.

use super::file::Entries;

/// One change, kept until it is on disk. Replaying a sequence of changes twice gives what
/// replaying it once gives, which is what lets a writer replay its queue on a fresh read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Change {
    Add {
        ids: Vec<String>,
        tags: Vec<String>,
    },
    Remove {
        ids: Vec<String>,
        tags: Vec<String>,
    },
    Read {
        id: String,
        read: bool,
    },
    /// Where the reader left the article, in ten-thousandths of its length (0: the top).
    Position {
        id: String,
        pos: u16,
    },
}

/// Applies `change`; true when that changed anything.
pub(super) fn apply(entries: &mut Entries, change: &Change) -> bool {
    let mut changed = false;
    match change {
        Change::Add { ids, tags } => {
            for id in ids {
                let e = entries.entry(id.clone()).or_default();
                for t in tags {
                    changed |= e.tags.insert(t.clone());
                }
            }
        }
        Change::Remove { ids, tags } => {
            for id in ids {
                if let Some(e) = entries.get_mut(id) {
                    // Case-blind, so a hand-written `Follow-Up` goes too.
                    let before = e.tags.len();
                    e.tags.retain(|have| !tags.iter().any(|t| have.to_lowercase() == *t));
                    changed |= e.tags.len() != before;
                    if e.tags.is_empty() && !e.read && e.pos == 0 {
                        entries.remove(id);
                    }
                }
            }
        }
        Change::Read { id, read: true } => {
            let e = entries.entry(id.clone()).or_default();
            changed = !e.read;
            e.read = true;
        }
        Change::Read { id, read: false } => {
            if let Some(e) = entries.get_mut(id) {
                changed = e.read;
                e.read = false;
                if e.tags.is_empty() && e.pos == 0 {
                    entries.remove(id);
                }
            }
        }
        Change::Position { id, pos } => {
            let e = entries.entry(id.clone()).or_default();
            changed = e.pos != *pos;
            e.pos = *pos;
            if e.tags.is_empty() && !e.read && e.pos == 0 {
                entries.remove(id);
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn apply_reports_change() {
        let mut e = Entries::new();
        let add = Change::Add { ids: s(&["a"]), tags: s(&["x"]) };
        assert!(apply(&mut e, &add));
        assert!(!apply(&mut e, &add));
        assert!(apply(&mut e, &Change::Read { id: "a".into(), read: true }));
        assert!(!apply(&mut e, &Change::Read { id: "a".into(), read: true }));
        assert!(!apply(&mut e, &Change::Remove { ids: s(&["b"]), tags: s(&["x"]) }));
        assert!(apply(&mut e, &Change::Remove { ids: s(&["a"]), tags: s(&["x"]) }));
        assert!(apply(&mut e, &Change::Read { id: "a".into(), read: false }));
        assert!(e.is_empty());
    }

    #[test]
    fn replaying_twice_equals_once() {
        let changes = [
            Change::Add { ids: s(&["a", "b"]), tags: s(&["x", "y"]) },
            Change::Remove { ids: s(&["a"]), tags: s(&["x"]) },
            Change::Read { id: "b".into(), read: true },
            Change::Add { ids: s(&["a"]), tags: s(&["x"]) },
            Change::Read { id: "b".into(), read: false },
            Change::Remove { ids: s(&["b"]), tags: s(&["x", "y"]) },
        ];
        let mut once = Entries::new();
        changes.iter().for_each(|c| {
            apply(&mut once, c);
        });
        let mut twice = once.clone();
        changes.iter().for_each(|c| {
            apply(&mut twice, c);
        });
        assert_eq!(once, twice);
        assert_eq!(once.keys().collect::<Vec<_>>(), ["a"], "b has nothing left and is dropped");
        assert_eq!(once["a"].tags, ["x".to_string(), "y".to_string()].into());
    }
}
