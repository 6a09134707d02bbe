//! The subcommands, one module each, writing to any `Write`; this file holds what they share:
//! choosing and loading the corpus, finding an article by id, and ending quietly on a closed pipe.

pub mod bodies;
pub mod check;
pub mod check_stories;
pub mod csv;
pub mod cves;
pub mod export;
pub mod iocs;
pub mod list;
pub mod paths;
pub mod progress_bar;
pub mod read;
pub mod search;
pub mod show;
pub mod story_rows;
pub mod tags;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::config::{Config, Paths};
use crate::corpus::{self, Article, Corpus, CorpusError, IdPrefix, Problem};
use crate::document::AmbiWidth;
use crate::document::boilerplate::{self, BoilerplateError, Templates};
use crate::filter;
use crate::tags::{Store, TagsError};

pub use list::{ListFormat, ListOptions, terminal_safe_json};
pub use show::{ShowOptions, show};

/// A command's failure. Variants that show a cause in their message do not also hand it out as
/// `source()`, so a caller joining the chain says each cause once.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    #[error(transparent)]
    Filter(#[from] filter::FilterError),
    #[error(transparent)]
    Tags(#[from] TagsError),
    #[error(transparent)]
    Rules(#[from] BoilerplateError),
    #[error("{0}")]
    NotFound(String),
    #[error("{}: {}", corpus::shown(&.0.path), .0.reason)]
    Unloadable(Problem),
    #[error("cannot prepare the demo corpus in {}: {error}", path.display())]
    Demo { path: PathBuf, error: io::Error },
    #[error("writing output: {0}")]
    Output(io::Error),
    #[error("terminal: {0}")]
    Terminal(io::Error),
    /// A search query that cannot be read: a usage error.
    #[error("{0}")]
    Query(String),
    #[error(transparent)]
    Index(crate::index::IndexError),
}

impl From<io::Error> for CommandError {
    fn from(e: io::Error) -> CommandError {
        CommandError::Output(e)
    }
}

/// Treats a closed pipe (`yuedu list | head -1`) as a normal end: the one place every command's
/// output goes through.
pub fn ok_on_pipe(r: io::Result<()>) -> Result<(), CommandError> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// Writes with `write` then flushes `out`, both through [`ok_on_pipe`].
pub fn write_out<W: Write + ?Sized>(
    out: &mut W,
    write: impl FnOnce(&mut W) -> io::Result<()>,
) -> Result<(), CommandError> {
    ok_on_pipe(write(out).and_then(|()| out.flush()))
}

/// Where the corpus came from, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Env,
    Config,
    DataDir,
    Demo,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusChoice {
    pub path: PathBuf,
    pub origin: Origin,
}

/// What every command may need, as the command line and the environment gave it.
pub struct Env<'a> {
    pub paths: &'a Paths,
    pub config: &'a Config,
    /// `--corpus`.
    pub corpus_flag: Option<PathBuf>,
    /// `$YUEDU_CORPUS`.
    pub corpus_env: Option<PathBuf>,
    /// The index cache folder; None with `--no-cache`.
    pub cache_dir: Option<&'a Path>,
    pub ambiwidth: AmbiWidth,
}

impl Env<'_> {
    pub fn choose(&self) -> Result<CorpusChoice, CommandError> {
        choose_corpus(self.corpus_flag.clone(), self.corpus_env.clone(), self.config, self.paths)
    }

    /// Compiles the boilerplate rules (a few tens of ms, so only commands that read bodies do).
    /// The entity extractor with the shipped and the user's warninglist.
    pub fn extract_rules(&self) -> Result<bodies::Rules, CommandError> {
        bodies::Rules::load(&self.paths.user_warninglist())
    }

    pub fn load_rules(&self) -> Result<(), CommandError> {
        boilerplate::set_rules(boilerplate::Stripper::with_user_file(&self.paths.user_boilerplate())?);
        Ok(())
    }

    /// Opens the tag store; a store that had to be moved aside is reported on one line.
    pub fn open_store(&self) -> Result<Store, CommandError> {
        let opened = Store::open(&self.paths.tag_store())?;
        if let Some(w) = opened.warning {
            let _ = writeln!(io::stderr(), "yuedu: {w}");
        }
        Ok(opened.store)
    }

    /// The corpus through the index cache (or from disk with `--no-cache`).
    /// Source aliases from config are applied here, after the cache: they are a view, so
    /// editing them needs no rebuild.
    pub fn load(&self, choice: &CorpusChoice) -> Result<Corpus, CommandError> {
        let mut corpus = load_with(choice, self.cache_dir)?;
        self.config.aliases().apply(&mut corpus.articles);
        Ok(corpus)
    }

    pub fn find(&self, choice: &CorpusChoice, key: &str) -> Result<Found, CommandError> {
        let mut found = find(choice, self.cache_dir, key)?;
        if let Ok(a) = &mut found.article {
            self.config.aliases().apply(std::slice::from_mut(a));
        }
        Ok(found)
    }
}

/// What [`find`] found.
#[derive(Debug)]
pub struct Found {
    /// The one article, or why there is none (not an id, no match, ambiguous).
    pub article: Result<Article, String>,
    /// How many of the corpus's articles the prefix matches.
    pub matches: usize,
    pub templates: Templates,
}

/// The query of saved search `name` (config.yaml `searches:`), or an error naming the ones
/// there are.
pub fn saved_search(config: &Config, name: &str) -> Result<String, CommandError> {
    match config.searches.get(name) {
        Some(q) if q.starts_with('\\') => Err(CommandError::NotFound(format!(
            "saved search {name:?} is a body search: run yuedu search {:?}",
            q.trim_start_matches('\\')
        ))),
        Some(q) => Ok(q.clone()),
        None if config.searches.is_empty() => Err(CommandError::NotFound(format!(
            "no saved search {name:?}: config.yaml has no `searches:` (name: query)"
        ))),
        None => Err(CommandError::NotFound(format!(
            "no saved search {name:?}; saved searches: {}",
            config.searches.keys().cloned().collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// `--corpus`, then `$YUEDU_CORPUS`, then `corpus_dir` in config, then the data dir if it holds
/// articles, then the demo corpus.
pub fn choose_corpus(
    flag: Option<PathBuf>,
    env: Option<PathBuf>,
    config: &Config,
    paths: &Paths,
) -> Result<CorpusChoice, CommandError> {
    let pick = |path, origin| Ok(CorpusChoice { path, origin });
    if let Some(p) = flag {
        return pick(p, Origin::Flag);
    }
    if let Some(p) = env {
        return pick(p, Origin::Env);
    }
    if let Some(p) = &config.corpus_dir {
        return pick(p.clone(), Origin::Config);
    }
    if holds_articles(&paths.data_dir) {
        return pick(paths.data_dir.clone(), Origin::DataDir);
    }
    let demo = paths.cache_dir.join("demo");
    crate::demo::install(&demo).map_err(|error| CommandError::Demo { path: demo.clone(), error })?;
    pick(demo, Origin::Demo)
}

fn holds_articles(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir).max_depth(6).into_iter().filter_map(Result::ok).any(|e| {
        e.file_type().is_file()
            && e.path().extension().and_then(|x| x.to_str()).is_some_and(|x| corpus::EXTENSIONS.contains(&x))
    })
}

pub fn load(choice: &CorpusChoice) -> Result<Corpus, CommandError> {
    Ok(Corpus::load(&choice.path)?)
}

/// Loads through the index cache in `cache_dir`, or straight from disk when it is None, with a
/// progress bar on a terminal when that takes a while (a cold index build).
pub fn load_with(choice: &CorpusChoice, cache_dir: Option<&Path>) -> Result<Corpus, CommandError> {
    let progress = crate::progress::Progress::new("loading");
    let _bar = progress_bar::Bar::start(&progress);
    let corpus = match cache_dir {
        Some(dir) => {
            let (corpus, report) = corpus::cache::load_with_progress(&choice.path, dir, &progress)?;
            tracing::debug!(?report, "index cache");
            corpus
        }
        None => Corpus::load_with_progress(&choice.path, &progress)?,
    };
    progress.finish();
    Ok(corpus)
}

/// The article an id prefix names: from the index when it is current (one chunk decoded), else
/// from a full load (which brings the index up to date).
pub fn find(choice: &CorpusChoice, cache_dir: Option<&Path>, key: &str) -> Result<Found, CommandError> {
    let prefix = match IdPrefix::parse(key) {
        Ok(p) => p,
        Err(msg) => return Ok(Found { article: Err(msg), matches: 0, templates: Templates::default() }),
    };
    if let Some(found) = cache_dir.and_then(|dir| corpus::cache::find(&choice.path, dir, &prefix)) {
        return Ok(Found { article: found.article, matches: found.matches, templates: found.templates });
    }
    let mut corpus = load_with(choice, cache_dir)?;
    let matches = corpus.articles.iter().filter(|a| prefix.matches(a.id)).count();
    let article = corpus.find(key).cloned();
    Ok(Found { article, matches, templates: std::mem::take(&mut corpus.templates) })
}

/// Until the full reader lands: the list, newest first, as plain lines.
pub fn minimal_view(corpus: &Corpus, out: &mut dyn Write) -> Result<(), CommandError> {
    write_out(out, |out| {
        for a in &corpus.articles {
            writeln!(out, "{}  {}  {}", a.date, a.source, a.title)?;
        }
        Ok(())
    })
}
