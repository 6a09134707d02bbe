//! The body pass as the commands run it: the search index, the facts (empty pages,
//! entities) and the stories brought up to date together, under the index's update lock, with the extractor the
//! user's warninglist sets.

use std::path::Path;

use super::CommandError;
use crate::corpus;
use crate::entities::{BUILTIN_WARNINGLIST, Extractor, Warninglist};
use crate::facts::FactTable;
use crate::index::facts::CveArticle;
use crate::index::pass::PassReport;
use crate::index::stories::StoryTable;
use crate::index::{FactStore, IndexError, SearchIndex, StoryStore, Tuning, facts, stories};
use crate::progress::Progress;

/// The extractor in force and the key its facts are stored under.
#[derive(Debug, Clone)]
pub struct Rules {
    pub extractor: Extractor,
    pub key: u64,
}

impl Rules {
    /// The shipped warninglist plus `user_file` when it exists. A file that cannot be read is
    /// an error naming it, so a typo is never silently ignored.
    pub fn load(user_file: &Path) -> Result<Rules, CommandError> {
        let mut list = Warninglist::from_yaml(BUILTIN_WARNINGLIST)
            .map_err(|e| CommandError::NotFound(format!("the shipped warninglist: {e}")))?;
        let mut text = BUILTIN_WARNINGLIST.to_string();
        match std::fs::read_to_string(user_file) {
            Ok(user) => {
                let extra = Warninglist::from_yaml(&user)
                    .map_err(|e| CommandError::NotFound(format!("{}: {e}", corpus::shown(user_file))))?;
                list.extend(extra);
                text.push('\n');
                text.push_str(&user);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(CommandError::NotFound(format!("{}: {e}", corpus::shown(user_file)))),
        }
        Ok(Rules { extractor: Extractor::new(list), key: facts::rules_key(&text) })
    }
}

/// What a command needs to bring the pass up to date: the boilerplate rules and the
/// extractor, each loaded only when an update is due (a current index cleans nothing).
pub struct Needs<'a> {
    pub boilerplate: &'a mut dyn FnMut() -> Result<(), CommandError>,
    pub rules: &'a mut dyn FnMut() -> Result<Rules, CommandError>,
}

/// The search index and, when `want_facts`, the facts table, brought up to date when the
/// corpus's folders or its index cache changed since the last pass, or the facts are missing
/// or were made under other rules. When another yuedu is updating, they are used as they are.
pub fn up_to_date(
    root: &Path,
    cache_dir: &Path,
    needs: &mut Needs<'_>,
    want_facts: bool,
) -> Result<(SearchIndex, Option<FactTable>), CommandError> {
    let tuning = Tuning::default();
    if let Some(ix) = SearchIndex::open(root, cache_dir, tuning).filter(|ix| ix.is_current(cache_dir)) {
        // Stories are part of every pass: an index from before them, or made under other
        // story tuning, is brought up to date (only the stories read the bodies again).
        if stories::read_table(root, cache_dir).is_some() {
            if !want_facts {
                return Ok((ix, None));
            }
            let rules = (needs.rules)()?;
            if let Some(table) = FactStore::read_table(root, cache_dir, rules.key) {
                return Ok((ix, Some(table)));
            }
        }
    }
    (needs.boilerplate)()?;
    let rules = (needs.rules)()?;
    let progress = Progress::new("loading the corpus");
    let bar = super::progress_bar::Bar::start(&progress);
    let updated = match update(root, cache_dir, &rules, &progress) {
        Ok(Some((ix, table, _))) => Ok((ix, want_facts.then_some(table))),
        Ok(None) => match SearchIndex::open(root, cache_dir, tuning) {
            Some(ix) => {
                eprintln!("yuedu: another yuedu is updating the body index; using it as it is");
                let table =
                    want_facts.then(|| FactStore::read_table(root, cache_dir, rules.key).unwrap_or_default());
                Ok((ix, table))
            }
            None => Err(index_error(IndexError::Busy(SearchIndex::dir_for(root, cache_dir)))),
        },
        Err(e) => Err(e),
    };
    drop(bar);
    updated
}

/// One body pass over the corpus as the index cache has it now, for the search index and the
/// facts. None when another yuedu holds the index's update lock: asked before the corpus is
/// loaded, so a busy index costs no load.
pub fn update(
    root: &Path,
    cache_dir: &Path,
    rules: &Rules,
    progress: &Progress,
) -> Result<Option<(SearchIndex, FactTable, PassReport)>, CommandError> {
    let mut ix = match SearchIndex::open_for_update(root, cache_dir, Tuning::default()) {
        Ok(ix) => ix,
        Err(IndexError::Busy(_)) => return Ok(None),
        Err(e) => return Err(index_error(e)),
    };
    let mut facts = FactStore::open_for_update(root, cache_dir, rules.key);
    let mut stories = StoryStore::open_for_update(root, cache_dir);
    let (corpus, _) = corpus::cache::load(root, cache_dir)?;
    let report = ix
        .update_with(&corpus, cache_dir, progress, &mut [&mut facts, &mut stories], &rules.extractor)
        .map_err(index_error)?;
    tracing::info!(?report, "body index updated");
    // 150,000 articles take longer to free one by one than the OS takes to drop the lot.
    std::mem::forget(corpus);
    Ok(Some((ix, facts.into_table(), report)))
}

pub fn index_error(e: IndexError) -> CommandError {
    match e {
        IndexError::Query(q) => CommandError::Query(q.to_string()),
        e => CommandError::Index(e),
    }
}

/// How much a command needs the facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactsNeed {
    /// Not at all.
    None,
    /// When there is a body index already (kept up to date); else the command goes without
    /// (`list --format json` then writes `"empty": null`).
    IfIndexed,
    /// Up to date, building the index if there is none (entity terms, `--non-empty`, `cves`).
    Current,
}

/// The facts table for a command, as `need` says.
pub fn facts_for(
    env: &super::Env<'_>,
    choice: &super::CorpusChoice,
    need: FactsNeed,
) -> Result<Option<FactTable>, CommandError> {
    let Some(cache_dir) = indexed_dir(env, choice, need, "entity terms and empty pages")? else {
        return Ok(None);
    };
    Ok(bring_up_to_date(env, choice, cache_dir, true)?.1)
}

/// The cache dir whose body index serves `need`, or None when the command goes without;
/// `what` names what is missing when `--no-cache` leaves no index to build.
fn indexed_dir<'e>(
    env: &super::Env<'e>,
    choice: &super::CorpusChoice,
    need: FactsNeed,
    what: &str,
) -> Result<Option<&'e Path>, CommandError> {
    let cache_dir = match (need, env.cache_dir) {
        (FactsNeed::None, _) | (FactsNeed::IfIndexed, None) => return Ok(None),
        (FactsNeed::Current, None) => {
            return Err(CommandError::NotFound(format!(
                "{what} come from the body index in the cache dir: drop --no-cache"
            )));
        }
        (_, Some(dir)) => dir,
    };
    if need == FactsNeed::IfIndexed && SearchIndex::open(&choice.path, cache_dir, Tuning::default()).is_none()
    {
        return Ok(None);
    }
    Ok(Some(cache_dir))
}

/// [`up_to_date`] with the rules loaded only if the pass has something to read.
fn bring_up_to_date(
    env: &super::Env<'_>,
    choice: &super::CorpusChoice,
    cache_dir: &Path,
    want_facts: bool,
) -> Result<(SearchIndex, Option<FactTable>), CommandError> {
    let mut boilerplate = || env.load_rules();
    let mut rules = || env.extract_rules();
    let mut needs = Needs { boilerplate: &mut boilerplate, rules: &mut rules };
    up_to_date(&choice.path, cache_dir, &mut needs, want_facts)
}

/// The articles naming a CVE, for the board: from their own small file once the pass is up to
/// date (brought up to date first, as for [`FactsNeed::Current`]).
pub fn cve_articles(
    env: &super::Env<'_>,
    choice: &super::CorpusChoice,
) -> Result<Vec<CveArticle>, CommandError> {
    let Some(cache_dir) = env.cache_dir else {
        return Err(CommandError::NotFound(
            "the CVE board comes from the body index in the cache dir: drop --no-cache".into(),
        ));
    };
    bring_up_to_date(env, choice, cache_dir, false)?;
    let key = env.extract_rules()?.key;
    if let Some(found) = FactStore::read_cve_articles(&choice.path, cache_dir, key) {
        return Ok(found);
    }
    // No facts yet, or made under other rules: the pass brings them up to date.
    facts_for(env, choice, FactsNeed::Current)?;
    Ok(FactStore::read_cve_articles(&choice.path, cache_dir, key).unwrap_or_default())
}

/// The story table for a command: [`FactsNeed::IfIndexed`] reads it only when there is a body
/// index (kept up to date), [`FactsNeed::Current`] builds the index if need be.
pub fn stories_for(
    env: &super::Env<'_>,
    choice: &super::CorpusChoice,
    need: FactsNeed,
) -> Result<Option<StoryTable>, CommandError> {
    let Some(cache_dir) = indexed_dir(env, choice, need, "stories")? else {
        return Ok(None);
    };
    bring_up_to_date(env, choice, cache_dir, false)?;
    Ok(stories::read_table(&choice.path, cache_dir))
}
