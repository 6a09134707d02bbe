//! The rule file format (`assets/boilerplate.yaml`, or a user's file of the same shape) and its
//! compiled form.

use std::collections::HashSet;

use regex::RegexSet;
use serde::Deserialize;

use super::BoilerplateError;
use super::text::norm;

/// One group of rules: the generic ones, or one site's.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Group {
    /// Site name; a user group with a built-in name replaces the built-in one.
    pub name: String,
    /// Host names (or their endings, e.g. `freebuf.com`) of the article URL that turn this group on.
    pub hosts: Vec<String>,
    /// Lines whose presence anywhere in the body turns this group on (compared in normal form).
    pub detect: Vec<String>,
    /// Lines that are chrome wherever they stand (normal form: case, spaces, punctuation ignored).
    pub drop: Vec<String>,
    /// Regular expressions; a visible line that matches is chrome.
    pub drop_patterns: Vec<String>,
    /// Regular expressions for lines that are chrome only before the article text begins (bylines).
    pub head: Vec<String>,
    /// Regular expressions for lines that are chrome only after the article text ends.
    pub tail: Vec<String>,
    /// Lines that end the article: the line and everything after it are chrome.
    pub cut: Vec<String>,
    /// Regular expressions with the same effect as `cut`.
    pub cut_patterns: Vec<String>,
    /// Lines after which the article begins: everything up to them is chrome.
    pub start: Vec<String>,
    /// Headings of link lists ("推荐阅读", "Related posts"): the heading and the links under it go.
    pub sections: Vec<String>,
    /// Regular expressions matched against image alt text and address: cover, logo, QR, avatar.
    pub images: Vec<String>,
    /// Regular expressions for lines of failed loads (anti-bot, rate limit, deleted page).
    pub failed: Vec<String>,
    /// Regular expressions for the last line of a source card in the head (WeChat's "以下文章来源于"
    /// box): after a byline line, the paragraph that follows such a line is the card's blurb.
    pub cards: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Settings {
    /// Fewer tokens than this left: the page is empty.
    pub min_tokens: usize,
    /// With a failed-load line present, fewer tokens than this left: the page is empty.
    pub failed_min_tokens: usize,
    /// When the page never repeats its title (so nothing marks where an article starts), fewer
    /// tokens than this left: the page is empty (a site tagline or promo over a cut-off menu).
    pub unanchored_min_tokens: usize,
    /// When the page never repeats its title, at least this many blocks are left and none of
    /// them is a paragraph (see `paragraph_tokens`), what is left is a menu of cards (a heading
    /// and a one-line blurb each): the page is empty.
    pub menu_min_blocks: usize,
    /// A block with at least this many plain (unlinked) tokens is a paragraph of text.
    pub paragraph_tokens: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_tokens: 12,
            failed_min_tokens: 80,
            unanchored_min_tokens: 30,
            menu_min_blocks: 8,
            paragraph_tokens: 25,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct RuleFile {
    pub settings: Option<Settings>,
    pub generic: Group,
    pub sites: Vec<Group>,
}

impl RuleFile {
    pub fn parse(yaml: &str) -> Result<RuleFile, BoilerplateError> {
        serde_yaml::from_str(yaml).map_err(|e| BoilerplateError::Parse(e.to_string()))
    }

    /// A user file on top of this one: generic lists are appended, a site with a known name
    /// replaces that site, new sites are added, settings given replace the built-in ones.
    pub fn merge(&mut self, user: RuleFile) {
        if user.settings.is_some() {
            self.settings = user.settings;
        }
        let g = &mut self.generic;
        let u = user.generic;
        g.drop.extend(u.drop);
        g.drop_patterns.extend(u.drop_patterns);
        g.head.extend(u.head);
        g.tail.extend(u.tail);
        g.cut.extend(u.cut);
        g.cut_patterns.extend(u.cut_patterns);
        g.start.extend(u.start);
        g.sections.extend(u.sections);
        g.images.extend(u.images);
        g.failed.extend(u.failed);
        g.cards.extend(u.cards);
        for site in user.sites {
            match self.sites.iter_mut().find(|s| !s.name.is_empty() && s.name == site.name) {
                Some(existing) => *existing = site,
                None => self.sites.push(site),
            }
        }
    }
}

/// A group ready for matching.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub name: String,
    pub hosts: Vec<String>,
    pub detect: HashSet<String>,
    pub drop: HashSet<String>,
    pub drop_re: Option<RegexSet>,
    pub head_re: Option<RegexSet>,
    pub tail_re: Option<RegexSet>,
    pub cut: HashSet<String>,
    pub cut_re: Option<RegexSet>,
    pub start: HashSet<String>,
    pub sections: HashSet<String>,
    pub images_re: Option<RegexSet>,
    pub failed_re: Option<RegexSet>,
    pub cards_re: Option<RegexSet>,
}

fn set(items: &[String]) -> HashSet<String> {
    items.iter().map(|s| norm(s)).filter(|s| !s.is_empty()).collect()
}

/// `\b` and `\B` as ASCII word boundaries: a Unicode boundary makes the regex engine fall back
/// to its slowest matcher on every line of Chinese text.
fn ascii_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn regexes(group: &str, items: &[String]) -> Result<Option<RegexSet>, BoilerplateError> {
    if items.is_empty() {
        return Ok(None);
    }
    let items: Vec<String> = items.iter().map(|p| ascii_boundaries(p)).collect();
    let set_error = match RegexSet::new(&items) {
        Ok(set) => return Ok(Some(set)),
        Err(e) => e,
    };
    // Each pattern alone only when the set fails, so an error names the pattern at fault without
    // every start-up compiling every pattern twice.
    for p in &items {
        if let Err(e) = regex::Regex::new(p) {
            return Err(BoilerplateError::Pattern {
                group: group.to_string(),
                pattern: p.clone(),
                reason: e.to_string().lines().last().unwrap_or("").trim().to_string(),
            });
        }
    }
    Err(BoilerplateError::Pattern {
        group: group.to_string(),
        pattern: String::new(),
        reason: set_error.to_string(),
    })
}

impl Compiled {
    pub fn new(g: &Group) -> Result<Compiled, BoilerplateError> {
        let name = if g.name.is_empty() { "generic".to_string() } else { g.name.clone() };
        Ok(Compiled {
            hosts: g.hosts.iter().map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()).collect(),
            detect: set(&g.detect),
            drop: set(&g.drop),
            drop_re: regexes(&name, &g.drop_patterns)?,
            head_re: regexes(&name, &g.head)?,
            tail_re: regexes(&name, &g.tail)?,
            cut: set(&g.cut),
            cut_re: regexes(&name, &g.cut_patterns)?,
            start: set(&g.start),
            sections: set(&g.sections),
            images_re: regexes(&name, &g.images)?,
            failed_re: regexes(&name, &g.failed)?,
            cards_re: regexes(&name, &g.cards)?,
            name,
        })
    }

    /// Whether the article's host is one of this site's hosts (or a subdomain of one).
    pub fn host_matches(&self, host: &str) -> bool {
        self.hosts
            .iter()
            .any(|h| host == h || host.strip_suffix(h.as_str()).is_some_and(|p| p.ends_with('.')))
    }
}

/// All rules, compiled.
#[derive(Debug)]
pub(crate) struct RuleSet {
    pub settings: Settings,
    pub generic: Compiled,
    pub sites: Vec<Compiled>,
}

impl RuleSet {
    /// No rules at all.
    pub fn none() -> RuleSet {
        let generic = Compiled {
            name: "generic".into(),
            hosts: Vec::new(),
            detect: HashSet::new(),
            drop: HashSet::new(),
            drop_re: None,
            head_re: None,
            tail_re: None,
            cut: HashSet::new(),
            cut_re: None,
            start: HashSet::new(),
            sections: HashSet::new(),
            images_re: None,
            failed_re: None,
            cards_re: None,
        };
        RuleSet { settings: Settings::default(), generic, sites: Vec::new() }
    }

    pub fn compile(file: &RuleFile) -> Result<RuleSet, BoilerplateError> {
        Ok(RuleSet {
            settings: file.settings.unwrap_or_default(),
            generic: Compiled::new(&file.generic)?,
            sites: file.sites.iter().map(Compiled::new).collect::<Result<_, _>>()?,
        })
    }
}

/// The host part of a URL, lower-cased, without port or credentials.
pub(crate) fn host_of(url: &str) -> String {
    let rest = url.trim();
    let rest = rest.split_once("://").map_or(rest, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = authority.split(':').next().unwrap_or("");
    host.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_become_ascii_and_escapes_survive() {
        assert_eq!(ascii_boundaries(r"\bfoo\B\\b\d"), r"(?-u:\b)foo(?-u:\B)\\b\d");
    }

    #[test]
    fn host_of_strips_scheme_port_and_path() {
        assert_eq!(host_of("https://User@Mp.Weixin.qq.com:443/s?x=1"), "mp.weixin.qq.com");
        assert_eq!(host_of("www.freebuf.com/a"), "www.freebuf.com");
        assert_eq!(host_of(""), "");
    }

    #[test]
    fn subdomains_match_but_lookalikes_do_not() {
        let g = Group { hosts: vec!["freebuf.com".into()], ..Group::default() };
        let c = Compiled::new(&g).unwrap();
        assert!(c.host_matches("www.freebuf.com"));
        assert!(c.host_matches("freebuf.com"));
        assert!(!c.host_matches("notfreebuf.com"));
    }

    #[test]
    fn bad_pattern_is_named_in_the_error() {
        let g = Group { name: "x".into(), drop_patterns: vec!["(".into()], ..Group::default() };
        let err = Compiled::new(&g).unwrap_err().to_string();
        assert!(err.contains("x") && err.contains('('), "{err}");
    }

    #[test]
    fn user_site_replaces_builtin_site_of_same_name() {
        let mut base = RuleFile::parse("sites:\n  - name: a\n    drop: [x]\n").unwrap();
        let user = RuleFile::parse("generic:\n  drop: [y]\nsites:\n  - name: a\n    drop: [z]\n").unwrap();
        base.merge(user);
        assert_eq!(base.sites.len(), 1);
        assert_eq!(base.sites[0].drop, vec!["z".to_string()]);
        assert_eq!(base.generic.drop, vec!["y".to_string()]);
    }

    #[test]
    fn unknown_field_is_an_error() {
        assert!(RuleFile::parse("generic:\n  dorp: [x]\n").is_err());
    }
}
