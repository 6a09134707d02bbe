//! Keys to actions for the current mode (keymap, prompt editing, pickers, yes/no), prompt
//! submission, and the mouse.

use super::tagging::TagOp;
use super::{
    Action, App, Bulk, Command, Edit, Effect, Key, KeyCode, Mouse, Overlay, Pane, Prompt, PromptKind, prompt,
};

impl App {
    /// Turns a key into an action for the current mode and applies it.
    pub fn handle_key(&mut self, key: Key) -> Vec<Effect> {
        match self.action_for(key) {
            Some(a) => self.update(a),
            None => {
                if self.overlay.is_none() && self.prompt.is_none() {
                    self.message = None;
                }
                Vec::new()
            }
        }
    }

    /// The action `key` means now: prompts and pickers take text; the rest goes through the keymap.
    pub fn action_for(&self, key: Key) -> Option<Action> {
        let edit = |key: Key| -> Option<Edit> {
            Some(match (key.code, key.ctrl, key.alt) {
                (KeyCode::Char(c), false, false) => Edit::Insert(c),
                (KeyCode::Char('w'), true, _) | (KeyCode::Backspace, _, true) => Edit::DeleteWord,
                (KeyCode::Backspace, _, _) | (KeyCode::Char('h'), true, _) => Edit::Backspace,
                (KeyCode::Char('u'), true, _) => Edit::Clear,
                (KeyCode::Left, _, _) | (KeyCode::Char('b'), true, _) => Edit::Left,
                (KeyCode::Right, _, _) | (KeyCode::Char('f'), true, _) => Edit::Right,
                (KeyCode::Home, _, _) | (KeyCode::Char('a'), true, _) => Edit::Home,
                (KeyCode::End, _, _) | (KeyCode::Char('e'), true, _) => Edit::End,
                (KeyCode::Tab, _, _) => Edit::Complete,
                (KeyCode::Enter, _, _) => Edit::Submit,
                (KeyCode::Esc, _, _) | (KeyCode::Char('g'), true, _) => Edit::Cancel,
                _ => return None,
            })
        };
        if key == Key::ctrl('c') {
            return Some(Action::Run(Command::Quit));
        }
        match &self.overlay {
            Some(Overlay::Confirm(_)) => {
                return Some(Action::Confirm(matches!(
                    key.code,
                    KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter
                )));
            }
            Some(Overlay::Picker(_)) => {
                let nav = match (key.code, key.ctrl) {
                    (KeyCode::Down, _) | (KeyCode::Char('n'), true) | (KeyCode::Char('j'), true) => {
                        Some(Command::Down)
                    }
                    (KeyCode::Up, _) | (KeyCode::Char('p'), true) | (KeyCode::Char('k'), true) => {
                        Some(Command::Up)
                    }
                    (KeyCode::PageDown, _) | (KeyCode::Char('d'), true) => Some(Command::PageDown),
                    (KeyCode::PageUp, _) => Some(Command::PageUp),
                    _ => None,
                };
                return match nav {
                    Some(c) => Some(Action::Run(c)),
                    None => edit(key).map(Action::Edit),
                };
            }
            Some(Overlay::Help { .. }) => {
                return Some(Action::Run(match self.keymap.command(&key) {
                    Some(
                        c @ (Command::Down
                        | Command::Up
                        | Command::Top
                        | Command::Bottom
                        | Command::HalfPageDown
                        | Command::HalfPageUp
                        | Command::PageDown
                        | Command::PageUp
                        | Command::Quit),
                    ) => c,
                    _ => Command::Back,
                }));
            }
            // Moving, Enter, y and Y act on the panel; any other command closes it.
            Some(Overlay::Entities(_) | Overlay::Board(_)) => {
                return self.keymap.command(&key).map(Action::Run);
            }
            None => {}
        }
        if self.prompt.is_some() {
            return edit(key).map(Action::Edit);
        }
        self.keymap.command(&key).map(Action::Run)
    }

    pub(super) fn edit(&mut self, e: Edit) -> Vec<Effect> {
        if let Some(Overlay::Picker(p)) = &mut self.overlay {
            match e {
                Edit::Cancel => self.overlay = None,
                Edit::Submit => {
                    let picked = p.chosen().cloned();
                    let kind = p.kind;
                    self.overlay = None;
                    if let Some((name, _)) = picked {
                        self.picked(kind, name);
                    }
                }
                Edit::Complete => {}
                e => {
                    if p.search.edit(&e) {
                        p.refilter();
                    }
                }
            }
            return Vec::new();
        }
        let Some(prompt) = &mut self.prompt else { return Vec::new() };
        match e {
            Edit::Cancel => {
                let kind = prompt.kind.clone();
                self.prompt = None;
                if kind == PromptKind::Filter {
                    self.clear_filter();
                } else if kind == PromptKind::Find {
                    self.find = None;
                }
            }
            Edit::Submit => {
                let Some(prompt) = self.prompt.take() else { return Vec::new() };
                self.submit(prompt);
            }
            Edit::Complete => {
                if !matches!(prompt.kind, PromptKind::Filter | PromptKind::Find) {
                    prompt::complete(&mut prompt.edit, &prompt.pool, &mut prompt.cycle);
                }
            }
            Edit::Insert('y') if prompt.kind == PromptKind::Link => {
                let text = prompt.edit.text().to_string();
                self.prompt = None;
                self.follow_link(&text, true);
            }
            e => {
                prompt.cycle = None;
                if prompt.edit.edit(&e) {
                    match prompt.kind {
                        PromptKind::Filter => self.filter_typed(),
                        PromptKind::Find => {
                            let text = prompt.edit.text().to_string();
                            self.find_typed(&text);
                        }
                        _ => {}
                    }
                }
            }
        }
        Vec::new()
    }

    pub(super) fn submit(&mut self, prompt: Prompt) {
        let tags = prompt::parse_tags(prompt.edit.text());
        match prompt.kind {
            PromptKind::Filter => {
                if let Some(e) = &self.filter_error {
                    self.error(format!("filter not applied: {e}"));
                }
            }
            PromptKind::Find => {
                if let Some(s) = self.find_status() {
                    self.info(s);
                }
            }
            PromptKind::BodySearch => self.submit_body_search(prompt.edit.text()),
            PromptKind::Link => self.follow_link(prompt.edit.text(), false),
            _ if tags.is_empty() => {}
            PromptKind::AddTags { index } => {
                self.record_undo(&[index], "add tags");
                self.apply_op(TagOp::Add { indices: vec![index], tags })
            }
            PromptKind::RemoveTags { index } => {
                self.record_undo(&[index], "remove tags");
                self.apply_op(TagOp::Remove { indices: vec![index], tags })
            }
            PromptKind::BulkAdd | PromptKind::BulkRemove => {
                let add = prompt.kind == PromptKind::BulkAdd;
                if let Some(bad) = add.then(|| App::invalid_tag(&tags)).flatten() {
                    self.error(bad);
                    return;
                }
                self.overlay =
                    Some(Overlay::Confirm(Bulk { add, tags, indices: self.rows.clone(), read: false }));
            }
        }
    }

    pub(super) fn mouse(&mut self, m: Mouse) -> Vec<Effect> {
        if self.overlay.is_some() || self.prompt.is_some() {
            return Vec::new();
        }
        let a = self.areas();
        let over_reader = |column: u16, row: u16| {
            let r = a.reader;
            self.reader.is_some() && column >= r.x && column < r.right() && row >= r.y && row < r.bottom()
        };
        match m {
            Mouse::ScrollDown { column, row } | Mouse::ScrollUp { column, row } => {
                let down = matches!(m, Mouse::ScrollDown { .. });
                let in_reader = over_reader(column, row);
                self.step(if down { 3 } else { -3 }, in_reader);
            }
            Mouse::Click { column, row } => {
                let l = a.list;
                if column >= l.x && column < l.right() && row >= l.y && row < l.bottom() {
                    let i = self.offset + usize::from(row - l.y);
                    if i < self.rows.len() {
                        self.selected = i;
                        self.focus = Pane::List;
                        self.preview_stale = true;
                    }
                } else if over_reader(column, row) {
                    self.focus = Pane::Reader;
                }
            }
        }
        Vec::new()
    }
}
