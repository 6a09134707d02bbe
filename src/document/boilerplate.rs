//! Removes site chrome (menus, follow prompts, footers, link lists) from an article body.

/// What the stripper kept of a body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cleaned {
    /// The kept blocks, still Markdown.
    pub markdown: String,
    /// Source lines of chrome that were dropped.
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

/// Placeholder: keeps everything until the stripper lands.
pub fn clean(body: &str, _meta: &Meta<'_>) -> Cleaned {
    Cleaned { markdown: body.to_string(), hidden_lines: 0, empty: body.trim().is_empty() }
}
