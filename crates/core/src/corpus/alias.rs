//! Source aliases from config.yaml (`sources: {aliases: {name: canonical}}`): one feed under
//! several names becomes one source everywhere (list, picker, `source:`, export).

use std::collections::{BTreeMap, HashMap};

use super::Article;

/// Alias → canonical name, looked up case-blind on the trimmed name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases(HashMap<String, String>);

fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl Aliases {
    pub fn new(map: &BTreeMap<String, String>) -> Aliases {
        Aliases(
            map.iter()
                .filter(|(_, to)| !to.trim().is_empty())
                .map(|(from, to)| (key(from), crate::document::sanitize(to.trim()).into_owned()))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The name `source` is shown under.
    pub fn resolve<'a>(&'a self, source: &'a str) -> &'a str {
        if self.0.is_empty() {
            return source;
        }
        self.0.get(&key(source)).map(String::as_str).unwrap_or(source)
    }

    /// Renames the sources of `articles` in place; returns how many changed.
    pub fn apply(&self, articles: &mut [Article]) -> usize {
        if self.0.is_empty() {
            return 0;
        }
        let mut changed = 0;
        for a in articles {
            if let Some(to) = self.0.get(&key(&a.source))
                && *to != a.source
            {
                a.source = to.clone();
                changed += 1;
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_case_blind_and_leaves_others() {
        let mut m = BTreeMap::new();
        m.insert("嘶吼 RoarTalk".to_string(), "嘶吼".to_string());
        m.insert("roartalk".to_string(), "嘶吼".to_string());
        let a = Aliases::new(&m);
        assert_eq!(a.resolve("嘶吼 roartalk "), "嘶吼");
        assert_eq!(a.resolve("RoarTalk"), "嘶吼");
        assert_eq!(a.resolve("FreeBuf"), "FreeBuf");
    }
}
