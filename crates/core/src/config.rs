//! Where yuedu keeps its files, and the user's `config.yaml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::document::AmbiWidth;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no home directory: cannot place config and data files")]
    NoHome,
    #[error("cannot read {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("invalid config {path}: {reason}")]
    Parse { path: PathBuf, reason: String },
}

/// The folders yuedu uses, from the directories crate (XDG on Linux).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
    pub cache_dir: PathBuf,
    pub state_dir: PathBuf,
}

impl Paths {
    pub fn discover() -> Result<Paths, ConfigError> {
        let dirs = directories::ProjectDirs::from("", "", "yuedu").ok_or(ConfigError::NoHome)?;
        Ok(Paths {
            config_dir: dirs.config_dir().to_path_buf(),
            data_dir: dirs.data_dir().to_path_buf(),
            cache_dir: dirs.cache_dir().to_path_buf(),
            state_dir: dirs.state_dir().unwrap_or(dirs.data_dir()).to_path_buf(),
        })
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.yaml")
    }

    pub fn tag_store(&self) -> PathBuf {
        self.data_dir.join("state.json")
    }

    pub fn user_boilerplate(&self) -> PathBuf {
        self.config_dir.join("boilerplate.yaml")
    }

    /// The user's additions to the shipped warninglist (benign values that are never
    /// indicators).
    pub fn user_warninglist(&self) -> PathBuf {
        self.config_dir.join("warninglist.yaml")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AmbiSetting {
    #[default]
    Narrow,
    Wide,
}

/// `config.yaml`. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub corpus_dir: Option<PathBuf>,
    pub ambiwidth: AmbiSetting,
    pub mouse: bool,
    /// Start with empty pages (no article text once the chrome is gone) hidden; `E` toggles.
    pub hide_empty: bool,
    /// Action name to key names, e.g. `down: [j, Down]`.
    pub keys: BTreeMap<String, KeyList>,
    /// `outside` follows corpus symlinks whose target lies outside the corpus root.
    pub follow_symlinks: FollowSymlinks,
    /// `aliases: {name: canonical}`: one source under one name.
    pub sources: Sources,
    /// Saved searches, `name: query` (title filter, `search:` body terms, entity terms).
    pub searches: BTreeMap<String, String>,
    /// Fold copies of one story into one row (default true; `F` toggles).
    pub fold_stories: Option<bool>,
    /// The list pane's share of the width side by side, in percent (`<` and `>` move it).
    pub list_percent: Option<u16>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct Sources {
    pub aliases: BTreeMap<String, String>,
}

/// Which symlinks in the corpus are followed.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum FollowSymlinks {
    /// Only those whose target lies inside the corpus root; the others are reported.
    #[default]
    Inside,
    Outside,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn keys(&self) -> Vec<&str> {
        match self {
            KeyList::One(k) => vec![k.as_str()],
            KeyList::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

impl Config {
    /// Reads `path`; a missing file is the default config.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(ConfigError::Read { path: path.to_path_buf(), reason: e.to_string() }),
        };
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        serde_yaml::from_str(&text)
            .map_err(|e| ConfigError::Parse { path: path.to_path_buf(), reason: e.to_string() })
    }

    pub fn aliases(&self) -> crate::corpus::alias::Aliases {
        crate::corpus::alias::Aliases::new(&self.sources.aliases)
    }

    pub fn ambiwidth(&self) -> AmbiWidth {
        match self.ambiwidth {
            AmbiSetting::Narrow => AmbiWidth::Narrow,
            AmbiSetting::Wide => AmbiWidth::Wide,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys_and_rejects_typos() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.yaml");
        std::fs::write(&p, "corpus_dir: /data/news\nambiwidth: wide\nkeys:\n  down: [j, Down]\n  quit: Q\n")
            .unwrap();
        let c = Config::load(&p).unwrap();
        assert_eq!(c.corpus_dir, Some(PathBuf::from("/data/news")));
        assert_eq!(c.ambiwidth(), AmbiWidth::Wide);
        assert_eq!(c.keys["down"].keys(), vec!["j", "Down"]);
        assert_eq!(c.keys["quit"].keys(), vec!["Q"]);
        std::fs::write(&p, "corpus_dri: /x\n").unwrap();
        let err = Config::load(&p).unwrap_err().to_string();
        assert!(err.contains("corpus_dri"), "{err}");
        assert_eq!(Config::load(&dir.path().join("none.yaml")).unwrap(), Config::default());
    }
}
