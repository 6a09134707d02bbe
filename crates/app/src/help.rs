//! The help overlay's text, built from the live keymap so it lists every binding as bound.

use super::Keymap;
use super::action;

/// One line of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Heading(&'static str),
    /// The keys (from the live keymap) and what they do.
    Binding(String, &'static str),
    Text(&'static str),
    Blank,
}

/// The help overlay's text, built from the live keymap.
pub fn help_lines(keymap: &Keymap) -> Vec<HelpLine> {
    let mut out = Vec::new();
    for s in action::SECTIONS {
        out.push(HelpLine::Heading(s.title));
        for &c in s.commands {
            let keys: Vec<String> = keymap.keys(c).iter().map(ToString::to_string).collect();
            let keys = if keys.is_empty() { "(unbound)".to_string() } else { keys.join(", ") };
            out.push(HelpLine::Binding(keys, c.description()));
        }
        out.push(HelpLine::Blank);
    }
    out.push(HelpLine::Heading("In prompts and pickers"));
    out.push(HelpLine::Text("Enter keeps, Esc cancels (and clears a filter), Tab completes a tag,"));
    out.push(HelpLine::Text("Ctrl-w deletes a word, Ctrl-u clears; arrows move in a picker."));
    out.push(HelpLine::Blank);
    out.push(HelpLine::Text("Rebind any action in config.yaml, e.g.  keys: { down: [j, Down] }"));
    out
}

pub fn help_len(keymap: &Keymap) -> usize {
    help_lines(keymap).len()
}
