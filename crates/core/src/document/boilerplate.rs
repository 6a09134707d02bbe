//! Removes site chrome (menus, follow prompts, footers, link lists) from an article body.
//!
//! The body is cut into Markdown blocks; rules from `assets/boilerplate.yaml` (plus an optional
//! user file of the same format) and templates learned per source mark chrome; the main text is
//! the densest run of prose between the last repeat of the title and the first end marker; a last
//! pass revises weak labels from their neighbours.

mod blocks;
mod label;
mod rules;
mod template;
mod text;

use std::borrow::Cow;
use std::path::Path;
use std::sync::OnceLock;

pub use template::{Learner, MIN_ARTICLES, MIN_SHARE, SourceTemplate, Templates, line_keys};
pub(crate) use text::decode_entities;

use rules::{RuleFile, RuleSet};

/// The built-in rules, embedded in the binary.
pub const BUILTIN_RULES: &str = include_str!("../../../../assets/boilerplate.yaml");

/// What the stripper kept of a body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cleaned {
    /// The kept blocks, still Markdown. Empty when `empty` is set.
    pub markdown: String,
    /// Source lines with text that were dropped as chrome (blank lines are not counted).
    pub hidden_lines: usize,
    /// No article text survived: a failed load, an anti-bot page, only navigation.
    pub empty: bool,
}

/// Facts about the article the rules may use.
#[derive(Debug, Clone, Copy)]
pub struct Meta<'a> {
    pub title: &'a str,
    pub source: &'a str,
    pub url: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum BoilerplateError {
    #[error("invalid boilerplate rules: {0}")]
    Parse(String),
    #[error("invalid pattern {pattern:?} in boilerplate rules ({group}): {reason}")]
    Pattern { group: String, pattern: String, reason: String },
    #[error("cannot read boilerplate rules {path}: {reason}")]
    Read { path: String, reason: String },
}

/// Why a block was kept or dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Article text.
    Content,
    /// The title repeated as a heading.
    Title,
    /// Before the article starts (menus above the repeated title).
    BeforeStart,
    /// After an end marker (the WeChat tail, comment sections).
    AfterEnd,
    /// A rule phrase or pattern.
    Rule,
    /// Byline lines between the title and the text.
    Byline,
    /// A link list under a heading such as 推荐阅读 or "Related posts".
    LinkList,
    /// A cover, logo, QR-code or avatar image.
    Image,
    /// A line the source repeats in many articles.
    Template,
    /// Outside the main run of text (menus, sidebars, footers).
    OutsideText,
    /// The text of a failed load: anti-bot check, rate limit, deleted page.
    Failed,
    /// A comment thread (blocks that open with a name and a timestamp) and what follows it.
    Comments,
    /// A metadata line at the head or tail of the text: author, date, counters.
    Metadata,
    /// A promotion at the tail: a notice linking back to the page, an epigraph.
    Promo,
}

impl Reason {
    /// A short name for `yuedu show --explain`.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Content => "content",
            Reason::Title => "title",
            Reason::BeforeStart => "before-start",
            Reason::AfterEnd => "after-end",
            Reason::Rule => "rule",
            Reason::Byline => "byline",
            Reason::LinkList => "link-list",
            Reason::Image => "image",
            Reason::Template => "template",
            Reason::OutsideText => "outside-text",
            Reason::Failed => "failed-load",
            Reason::Comments => "comments",
            Reason::Metadata => "metadata",
            Reason::Promo => "promo",
        }
    }

    /// What the reason means, for a user writing `boilerplate.yaml`.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::Content => "article text",
            Reason::Title => "the title repeated",
            Reason::BeforeStart => "before the article starts (above the repeated title or a start marker)",
            Reason::AfterEnd => "after an end marker (cut, cut_patterns, a late sections heading)",
            Reason::Rule => "a drop, drop_patterns, head or tail rule, or the source's name",
            Reason::Byline => "a byline or source card between the title and the text",
            Reason::LinkList => "a link list under a sections heading",
            Reason::Image => "a cover, logo, QR-code or avatar image (images rule)",
            Reason::Template => "a line this source repeats in many articles",
            Reason::OutsideText => "outside the main run of text (menus, sidebars, footers)",
            Reason::Failed => "a failed-load line (failed rule)",
            Reason::Comments => "a comment thread: blocks opening with a name and a timestamp",
            Reason::Metadata => "a metadata line: author, date, counters",
            Reason::Promo => "a tail notice linking back to the page, or an epigraph",
        }
    }
}

/// One block of the body and why it was kept or dropped; see [`Stripper::explain`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockReport {
    /// Body line numbers, 0-based, `first..end`.
    pub first: usize,
    pub end: usize,
    pub reason: Reason,
}

/// Every block of a body with its reason, and whether the page came out empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub blocks: Vec<BlockReport>,
    /// The body lines (0-based) as the blocks count them.
    pub lines: Vec<String>,
    pub empty: bool,
}

/// A boilerplate stripper built from a rule set.
#[derive(Debug)]
pub struct Stripper {
    rules: RuleSet,
}

impl Stripper {
    /// The built-in rules.
    pub fn builtin() -> Stripper {
        // The embedded file is checked by a unit test; should it ever fail, strip nothing.
        Stripper::from_yaml(BUILTIN_RULES).unwrap_or_else(|_| Stripper { rules: RuleSet::none() })
    }

    /// Rules from YAML text alone (the format of `assets/boilerplate.yaml`).
    pub fn from_yaml(yaml: &str) -> Result<Stripper, BoilerplateError> {
        let file = RuleFile::parse(yaml)?;
        Ok(Stripper { rules: RuleSet::compile(&file)? })
    }

    /// The built-in rules with a user file on top: its generic lists add to the built-in ones,
    /// its sites add to them or replace a built-in site of the same name. A missing file is no
    /// error.
    pub fn with_user_file(path: &Path) -> Result<Stripper, BoilerplateError> {
        let mut file = RuleFile::parse(BUILTIN_RULES)?;
        match std::fs::read_to_string(path) {
            Ok(text) => file.merge(RuleFile::parse(&text).map_err(|e| match e {
                BoilerplateError::Parse(reason) => {
                    BoilerplateError::Parse(format!("{}: {reason}", path.display()))
                }
                other => other,
            })?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(BoilerplateError::Read {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                });
            }
        }
        // The built-in patterns compile (a unit test says so): a bad one is the user's.
        let rules = RuleSet::compile(&file).map_err(|e| match e {
            BoilerplateError::Pattern { group, pattern, reason } => {
                BoilerplateError::Pattern { group: format!("{}: {group}", path.display()), pattern, reason }
            }
            other => other,
        })?;
        Ok(Stripper { rules })
    }

    /// Strips chrome from `body`. A source template, when given, marks that source's recurring
    /// lines as chrome too.
    pub fn clean(&self, body: &str, meta: &Meta<'_>, template: Option<&SourceTemplate>) -> Cleaned {
        let body = line_ends(body);
        let doc = blocks::segment(&body);
        let out = label::label(&doc, &self.rules, meta, template);
        let mut markdown = String::new();
        let mut hidden = 0;
        let mut in_run = false;
        for (i, line) in doc.lines.iter().enumerate() {
            let blank = line.trim().is_empty();
            if out.keep_line[i] || (in_run && blank && next_kept(&out.keep_line, &doc.lines, i)) {
                if !in_run && !markdown.is_empty() {
                    markdown.push_str("\n\n");
                } else if in_run {
                    markdown.push('\n');
                }
                markdown.push_str(line);
                in_run = true;
            } else {
                in_run = false;
                hidden += usize::from(!blank);
            }
        }
        Cleaned { markdown, hidden_lines: hidden, empty: out.empty }
    }

    /// Every block of `body` with the reason it was kept or dropped: what a user checks when a
    /// paragraph went missing.
    pub fn explain(
        &self,
        body: &str,
        meta: &Meta<'_>,
        template: Option<&SourceTemplate>,
    ) -> Vec<BlockReport> {
        self.explain_all(body, meta, template).blocks
    }

    /// [`Stripper::explain`] with the body's lines and the empty-page decision.
    pub fn explain_all(&self, body: &str, meta: &Meta<'_>, template: Option<&SourceTemplate>) -> Explained {
        let body = line_ends(body);
        let doc = blocks::segment(&body);
        let out = label::label(&doc, &self.rules, meta, template);
        Explained {
            blocks: out
                .blocks
                .into_iter()
                .map(|(first, end, reason)| BlockReport { first, end, reason })
                .collect(),
            lines: doc.lines.iter().map(|l| l.to_string()).collect(),
            empty: out.empty,
        }
    }
}

/// Unix line ends. Carriage returns, or the U+FFFD a sanitizer put in their place, before a line
/// end would make blank lines look non-blank and run every paragraph together.
fn line_ends(body: &str) -> Cow<'_, str> {
    if !body.contains(['\r', '\u{FFFD}']) {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_end_matches(['\r', '\u{FFFD}']));
    }
    Cow::Owned(out)
}

/// Whether the blank run starting at `i` is followed by a kept line (so the blank stays inside a
/// kept stretch rather than trailing it).
fn next_kept(keep: &[bool], lines: &[&str], i: usize) -> bool {
    let mut j = i;
    while j < lines.len() && lines[j].trim().is_empty() {
        if keep[j] {
            return true;
        }
        j += 1;
    }
    j < lines.len() && keep[j]
}

/// The rules every clean uses: the built-in ones unless [`set_rules`] came first.
static RULES: OnceLock<Stripper> = OnceLock::new();

/// Sets the process's rules (the built-in ones plus the user's file), once, before the first
/// clean. Returns false when rules were already in use.
pub fn set_rules(stripper: Stripper) -> bool {
    RULES.set(stripper).is_ok()
}

fn rules() -> &'static Stripper {
    RULES.get_or_init(Stripper::builtin)
}

/// Strips chrome from `body` with the process's rules and no template.
pub fn clean(body: &str, meta: &Meta<'_>) -> Cleaned {
    rules().clean(body, meta, None)
}

/// Strips chrome from `body` with the process's rules and the template learned for its source.
pub fn clean_with(body: &str, meta: &Meta<'_>, templates: &Templates) -> Cleaned {
    rules().clean(body, meta, templates.for_source(meta.source))
}

/// [`Stripper::explain_all`] with the process's rules and the template learned for the source.
pub fn explain_with(body: &str, meta: &Meta<'_>, templates: &Templates) -> Explained {
    rules().explain_all(body, meta, templates.for_source(meta.source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_compile() {
        Stripper::from_yaml(BUILTIN_RULES).unwrap();
    }
}
