//! Keys and the keymap: default bindings, overrides from config.yaml's `keys:` map, and lookup.
//! Key names: a single character (`j`, `G`, `?`), a named key (`Enter`, `Esc`, `Tab`, `Space`,
//! `Up`, `Down`, `Left`, `Right`, `Home`, `End`, `PgUp`, `PgDn`, `Backspace`, `Delete`, `F1`..),
//! optionally prefixed by `Ctrl-` or `Alt-`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use super::action::Command;
use yuedu_core::config::KeyList;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

/// One key press. Shift is folded into the character (`G`, `?`), so it is not a modifier here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key { code, ctrl: false, alt: false }
    }
    pub const fn char(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key { code: KeyCode::Char(c), ctrl: true, alt: false }
    }

    /// Parses a key name as config.yaml writes it.
    pub fn parse(name: &str) -> Result<Key, String> {
        let bad = || format!("unknown key {name:?}");
        let mut rest = name.trim();
        let (mut ctrl, mut alt) = (false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            let cut = ["ctrl-", "ctrl+", "c-", "control-"]
                .iter()
                .find(|p| lower.starts_with(*p) && rest.len() > p.len())
                .map(|p| (p.len(), true))
                .or_else(|| {
                    ["alt-", "alt+", "m-", "meta-"]
                        .iter()
                        .find(|p| lower.starts_with(*p) && rest.len() > p.len())
                        .map(|p| (p.len(), false))
                });
            match cut {
                Some((n, is_ctrl)) => {
                    if is_ctrl {
                        ctrl = true;
                    } else {
                        alt = true;
                    }
                    rest = &rest[n..];
                }
                None => break,
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => {
                // Ctrl-D and Ctrl-d are the same key to a terminal.
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
            (Some(_), Some(_)) => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" | "cr" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" | "shift-tab" | "s-tab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pgdown" | "pagedown" => KeyCode::PageDown,
                f if f.starts_with('f') => match f[1..].parse::<u8>() {
                    Ok(n) if (1..=24).contains(&n) => KeyCode::F(n),
                    _ => return Err(bad()),
                },
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("BackTab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
        }
    }
}

/// Key to command, and each command's keys in the order they were given (for help and hints).
#[derive(Debug, Clone)]
pub struct Keymap {
    by_key: HashMap<Key, Command>,
    by_command: BTreeMap<Command, Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::from_config(&BTreeMap::new()).0
    }
}

impl Keymap {
    /// The defaults with the user's bindings on top. A command named in config gets exactly the
    /// keys given there (an empty list unbinds it); a key the user gives to one command is taken
    /// from any other. Returns the keymap and one line per problem found.
    pub fn from_config(keys: &BTreeMap<String, KeyList>) -> (Keymap, Vec<String>) {
        let mut warnings = Vec::new();
        let mut user: BTreeMap<Command, Vec<Key>> = BTreeMap::new();
        for (name, list) in keys {
            let Some(cmd) = Command::from_name(name) else {
                warnings.push(format!("config keys: unknown action {name:?}"));
                continue;
            };
            let mut parsed = Vec::new();
            let mut bad = false;
            for k in list.keys() {
                match Key::parse(k) {
                    Ok(key) => parsed.push(key),
                    Err(e) => {
                        bad = true;
                        warnings.push(format!("config keys.{name}: {e}; keeping the default keys"));
                    }
                }
            }
            // A typo must not leave the action unbound (Down that stops working): the entry is
            // dropped whole and the defaults stay.
            if !bad {
                user.insert(cmd, parsed);
            }
        }
        let mut by_command: BTreeMap<Command, Vec<Key>> = BTreeMap::new();
        let mut by_key: HashMap<Key, Command> = HashMap::new();
        for (&cmd, ks) in &user {
            for &k in ks {
                if let Some(prev) = by_key.insert(k, cmd) {
                    warnings.push(format!(
                        "config keys: {k} is bound to both {} and {}; {} wins",
                        prev.name(),
                        cmd.name(),
                        cmd.name()
                    ));
                    if let Some(v) = by_command.get_mut(&prev) {
                        v.retain(|x| *x != k);
                    }
                }
                by_command.entry(cmd).or_default().push(k);
            }
            by_command.entry(cmd).or_default();
        }
        for &cmd in Command::ALL {
            if user.contains_key(&cmd) {
                continue;
            }
            let entry = by_command.entry(cmd).or_default();
            for name in cmd.default_keys() {
                let Ok(k) = Key::parse(name) else { continue };
                if let std::collections::hash_map::Entry::Vacant(v) = by_key.entry(k) {
                    v.insert(cmd);
                    entry.push(k);
                }
            }
        }
        (Keymap { by_key, by_command }, warnings)
    }

    pub fn command(&self, key: &Key) -> Option<Command> {
        self.by_key.get(key).copied()
    }

    pub fn keys(&self, cmd: Command) -> &[Key] {
        self.by_command.get(&cmd).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first key of `cmd` as text, for hints; None when unbound.
    pub fn first(&self, cmd: Command) -> Option<String> {
        self.keys(cmd).first().map(ToString::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_names() {
        assert_eq!(Key::parse("j"), Ok(Key::char('j')));
        assert_eq!(Key::parse("G"), Ok(Key::char('G')));
        assert_eq!(Key::parse("Ctrl-D"), Ok(Key::ctrl('d')));
        assert_eq!(Key::parse("C-u"), Ok(Key::ctrl('u')));
        assert_eq!(Key::parse("PgDn"), Ok(Key::plain(KeyCode::PageDown)));
        assert_eq!(Key::parse("space"), Ok(Key::char(' ')));
        assert_eq!(Key::parse("-"), Ok(Key::char('-')));
        assert_eq!(Key::parse("F5"), Ok(Key::plain(KeyCode::F(5))));
        assert!(Key::parse("Hyper-x").is_err());
        assert!(Key::parse("").is_err());
        assert!(Key::parse("F99").is_err());
        for name in ["Ctrl-d", "PgDn", "Space", "G", "Alt-x", "Esc"] {
            assert_eq!(Key::parse(name).unwrap().to_string(), name);
        }
    }

    #[test]
    fn defaults_follow_the_spec_table() {
        let km = Keymap::default();
        let cmd = |k: &str| km.command(&Key::parse(k).unwrap());
        assert_eq!(cmd("j"), Some(Command::Down));
        assert_eq!(cmd("Down"), Some(Command::Down));
        assert_eq!(cmd("Ctrl-d"), Some(Command::HalfPageDown));
        assert_eq!(cmd("Space"), Some(Command::PageDown));
        assert_eq!(cmd("J"), Some(Command::NextArticle));
        assert_eq!(cmd("n"), Some(Command::FindNext), "n is the next match, else the next article");
        assert_eq!(cmd("N"), Some(Command::FindPrev));
        assert_eq!(cmd("\\"), Some(Command::BodySearch));
        assert_eq!(cmd("Q"), Some(Command::Quit));
        assert_eq!(cmd("S"), Some(Command::PickSource));
        assert_eq!(cmd("z"), None);
    }

    #[test]
    fn user_bindings_replace_and_steal() {
        let mut keys = BTreeMap::new();
        keys.insert("down".to_string(), KeyList::Many(vec!["n".into(), "Down".into()]));
        keys.insert("help".to_string(), KeyList::One("F1".into()));
        keys.insert("bogus".to_string(), KeyList::One("x".into()));
        keys.insert("up".to_string(), KeyList::One("Hyper-k".into()));
        let (km, warnings) = Keymap::from_config(&keys);
        assert_eq!(km.command(&Key::char('n')), Some(Command::Down));
        assert_eq!(km.command(&Key::char('j')), None);
        assert_eq!(km.keys(Command::NextArticle), &[Key::char('J')]);
        assert_eq!(km.command(&Key::char('?')), None);
        assert_eq!(km.command(&Key::plain(KeyCode::F(1))), Some(Command::Help));
        // A key name that cannot be read keeps the defaults: Up must not stop working.
        assert_eq!(km.keys(Command::Up), &[Key::char('k'), Key::plain(KeyCode::Up)]);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }
}
