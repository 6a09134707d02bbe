//! The `yuedu` binary: parses the command line, sets up logging, and hands off to the library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use yuedu::commands::search::SearchOptions;
use yuedu::commands::tags::{self as tag_cmd, ExportFormat, ExportOptions};
use yuedu::commands::{self, ListFormat, ListOptions, ShowOptions};
use yuedu::config::{Config, Paths};
use yuedu::document::AmbiWidth;

#[derive(Parser, Debug)]
#[command(
    name = "yuedu",
    version,
    about = "阅读 — a keyboard-only terminal reader for scraped security news"
)]
struct Cli {
    /// Folder of articles (else $YUEDU_CORPUS, config.yaml's corpus_dir, the data dir, the demo).
    #[arg(long, global = true, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Count East Asian ambiguous-width characters (“ ” … —) as wide.
    #[arg(long, global = true, value_enum)]
    ambiwidth: Option<Ambi>,
    /// Read every file instead of using (and updating) the index cache.
    #[arg(long, global = true)]
    no_cache: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Ambi {
    Narrow,
    Wide,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print articles, newest first.
    List {
        /// Filter query: fuzzy terms, source:X, tag:X, date:A..B, -term.
        #[arg(long, short)]
        filter: Option<String>,
        /// Only articles from this source (exact, case-insensitive).
        #[arg(long, short)]
        source: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Tsv)]
        format: Format,
        /// Print only the number of articles.
        #[arg(long)]
        count: bool,
    },
    /// Print one article as text.
    Show {
        /// A file path, or an article id (a unique prefix of 4 or more hex digits).
        article: String,
        /// Wrap to this many columns (default: the terminal's width, else 80).
        #[arg(long, short)]
        width: Option<usize>,
        /// The cleaned body only: no header, no markers, one paragraph per line.
        #[arg(long, conflicts_with = "raw")]
        plain: bool,
        /// The body as it is in the file, sanitized.
        #[arg(long)]
        raw: bool,
    },
    /// Search article bodies and titles (the index is brought up to date first).
    Search {
        /// Words must all match; "a phrase"; -word excludes; a OR b; source:X tag:X date:A..B.
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// Take the whole query as one literal phrase, without syntax (like rg -F).
        #[arg(long, short = 'F')]
        fixed: bool,
        #[arg(long, value_enum, default_value_t = Format::Tsv)]
        format: Format,
        /// At most this many hits, best first.
        #[arg(long, short = 'n', default_value_t = 20)]
        limit: usize,
        /// Print only the number of matching articles.
        #[arg(long)]
        count: bool,
    },
    /// Load the corpus and report what was loaded, skipped, derived and merged.
    Check {
        /// Per source: articles, share of text removed as boilerplate, empty pages.
        #[arg(long)]
        boilerplate: bool,
    },
    /// Add, remove or list tags.
    Tags {
        #[command(subcommand)]
        action: TagsAction,
    },
    /// Write articles with their tags as a Markdown checklist, JSON or CSV.
    Export {
        /// Only articles with this tag (repeat for several: all must be present).
        #[arg(long, short)]
        tag: Vec<String>,
        /// Filter query, as for `list --filter`.
        #[arg(long, short)]
        filter: Option<String>,
        #[arg(long, value_enum, default_value_t = ExportFmt::Md)]
        format: ExportFmt,
    },
}

#[derive(Subcommand, Debug)]
enum TagsAction {
    /// Add tags to an article (an id, or a unique prefix of 4 or more hex digits).
    Add {
        id: String,
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// Remove tags from an article.
    #[command(alias = "remove")]
    Rm {
        id: String,
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// Every tag with its count, most used first; or, given an id, that article's tags.
    List { id: Option<String> },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFmt {
    Md,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Tsv,
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            let _ = writeln!(std::io::stderr(), "yuedu: {}", usage_error_line(&e));
            return ExitCode::from(2);
        }
        Err(e) => {
            // Help and version go to stdout as clap renders them.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "yuedu: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// clap's multi-line usage error as one line: the message and its hints, then where help is.
fn usage_error_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let parts: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .filter(|l| !l.starts_with("Usage:"))
        .map(|l| l.strip_prefix("error: ").unwrap_or(l))
        .collect();
    format!("{} (see yuedu --help)", parts.join(" "))
}

/// The error and its causes on one line, without a backtrace.
fn one_line(e: &anyhow::Error) -> String {
    e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ")
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let paths = Paths::discover()?;
    init_logging(&paths);
    let config = Config::load(&paths.config_file())?;
    // Compiling the rules takes a few tens of ms, so only the commands that read articles do it.
    let load_rules = || -> anyhow::Result<()> {
        let rules = yuedu::document::boilerplate::Stripper::with_user_file(&paths.user_boilerplate())?;
        yuedu::document::boilerplate::set_rules(rules);
        Ok(())
    };
    let ambiwidth = match cli.ambiwidth {
        Some(Ambi::Wide) => AmbiWidth::Wide,
        Some(Ambi::Narrow) => AmbiWidth::Narrow,
        None => config.ambiwidth(),
    };
    let env_corpus = std::env::var_os("YUEDU_CORPUS").filter(|v| !v.is_empty()).map(PathBuf::from);
    let cache_dir = (!cli.no_cache).then_some(paths.cache_dir.as_path());
    let choose = || commands::choose_corpus(cli.corpus.clone(), env_corpus.clone(), &config, &paths);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let code = match cli.command {
        None => {
            load_rules()?;
            let choice = choose()?;
            drop(out);
            use std::io::IsTerminal;
            if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
                // Not a terminal (a pipe, a file): print the list instead of drawing a screen.
                let corpus = commands::load_with(&choice, cache_dir)?;
                commands::minimal_view(&corpus, &mut std::io::stdout().lock())?;
                return Ok(ExitCode::SUCCESS);
            }
            // Warm start: show the cached snapshot at once and check it against the disk in
            // the background; without a cache, load (and build it) first.
            // First run (no index yet): the reader opens at once and the corpus loads in the
            // background with its progress on screen. A path that is no folder fails here.
            let snapshot = cache_dir.and_then(|dir| yuedu::corpus::cache::snapshot(&choice.path, dir));
            let reconcile_now = snapshot.is_some();
            let load_now = snapshot.is_none() && choice.path.is_dir();
            let corpus = match snapshot {
                Some(c) => c,
                None if load_now => yuedu::corpus::Corpus { root: choice.path.clone(), ..Default::default() },
                None => commands::load_with(&choice, cache_dir)?,
            };
            let source = yuedu::tui::live::Source {
                root: choice.path.clone(),
                cache_dir: cache_dir.map(Path::to_path_buf),
                reconcile_now,
                load_now,
            };
            let opened = yuedu::tags::Store::open(&paths.tag_store())?;
            let notices: Vec<String> = opened.warning.into_iter().collect();
            tracing::info!(corpus = %corpus.root.display(), articles = corpus.articles.len(), reconcile_now, "reader start");
            yuedu::tui::run(corpus, opened.store, &config, ambiwidth, notices, Some(source))
                .context("terminal")?;
            tracing::info!("reader exit");
            ExitCode::SUCCESS
        }
        Some(Command::List { filter, source, format, count }) => {
            let choice = choose()?;
            // A bare count needs no article when the cache is current.
            let cached_count = (count && filter.is_none() && source.is_none())
                .then_some(cache_dir)
                .flatten()
                .and_then(|dir| yuedu::corpus::cache::count(&choice.path, dir));
            if let Some(n) = cached_count {
                match writeln!(out, "{n}").and_then(|()| out.flush()) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                    r => r?,
                }
                return Ok(ExitCode::SUCCESS);
            }
            let corpus = commands::load_with(&choice, cache_dir)?;
            let format = match format {
                Format::Tsv => ListFormat::Tsv,
                Format::Json => ListFormat::Json,
            };
            let opts = ListOptions { filter, source, format, count };
            let store = open_store(&paths)?;
            commands::list(&corpus, &store, &opts, &mut out)?;
            out.flush()?;
            // 150,000 articles take longer to free one by one than the OS takes to drop the lot.
            std::mem::forget(corpus);
            ExitCode::SUCCESS
        }
        Some(Command::Show { article, width, plain, raw }) => {
            load_rules()?;
            let width = width.or_else(terminal_width).unwrap_or(80);
            let opts = ShowOptions { width, plain, raw, ambiwidth };
            commands::show(&article, choose, cache_dir, &opts, &mut out)
                .with_context(|| format!("show {}", yuedu::document::sanitize(&article)))?;
            ExitCode::SUCCESS
        }
        Some(Command::Search { query, fixed, format, limit, count }) => {
            let Some(cache_dir) = cache_dir else {
                anyhow::bail!("search keeps its index in the cache dir: drop --no-cache");
            };
            // Only an update cleans bodies, so only an update compiles the rules.
            let rules = || -> Result<(), commands::CommandError> {
                let stripper =
                    yuedu::document::boilerplate::Stripper::with_user_file(&paths.user_boilerplate())?;
                yuedu::document::boilerplate::set_rules(stripper);
                Ok(())
            };
            let format = match format {
                Format::Tsv => ListFormat::Tsv,
                Format::Json => ListFormat::Json,
            };
            let opts = SearchOptions { query, fixed, format, limit, count };
            let store = || open_store(&paths).unwrap_or_default();
            match commands::search::search(&choose()?, cache_dir, store, rules, &opts, &mut out) {
                Err(commands::CommandError::Query(msg)) => {
                    let _ = writeln!(std::io::stderr(), "yuedu: search: {msg}");
                    return Ok(ExitCode::from(2));
                }
                r => r?,
            }
            ExitCode::SUCCESS
        }
        Some(Command::Check { boilerplate }) => {
            load_rules()?;
            let corpus = commands::load_with(&choose()?, cache_dir)?;
            commands::check(&corpus, boilerplate, &mut out)?;
            ExitCode::SUCCESS
        }
        Some(Command::Tags { action }) => {
            let mut store = open_store(&paths)?;
            match action {
                TagsAction::Add { id, tags } => {
                    tag_cmd::add(&commands::load(&choose()?)?, &mut store, &id, &tags, &mut out)?
                }
                TagsAction::Rm { id, tags } => {
                    tag_cmd::remove(&commands::load(&choose()?)?, &mut store, &id, &tags, &mut out)?
                }
                TagsAction::List { id: None } => tag_cmd::list_all(&store, &mut out)?,
                TagsAction::List { id: Some(id) } => {
                    tag_cmd::list_one(&commands::load(&choose()?)?, &store, &id, &mut out)?
                }
            }
            ExitCode::SUCCESS
        }
        Some(Command::Export { tag, filter, format }) => {
            let corpus = commands::load(&choose()?)?;
            let store = open_store(&paths)?;
            let format = match format {
                ExportFmt::Md => ExportFormat::Md,
                ExportFmt::Json => ExportFormat::Json,
                ExportFmt::Csv => ExportFormat::Csv,
            };
            tag_cmd::export(&corpus, &store, &ExportOptions { tags: tag, filter, format }, &mut out)?;
            ExitCode::SUCCESS
        }
    };
    out_flush()?;
    Ok(code)
}

/// Logs go to `yuedu.log` in the state dir, never to the screen (which the reader owns).
/// `YUEDU_LOG` sets the level (default `info`). Logging is skipped if the file cannot be opened.
fn init_logging(paths: &Paths) {
    let path = paths.state_dir.join("yuedu.log");
    let file = std::fs::create_dir_all(&paths.state_dir)
        .and_then(|_| std::fs::OpenOptions::new().create(true).append(true).open(&path));
    let Ok(file) = file else { return };
    let filter = tracing_subscriber::EnvFilter::try_from_env("YUEDU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
}

/// Opens the tag store; a store that had to be moved aside is reported on one line.
fn open_store(paths: &Paths) -> anyhow::Result<yuedu::tags::Store> {
    let opened = yuedu::tags::Store::open(&paths.tag_store())?;
    if let Some(w) = opened.warning {
        eprintln!("yuedu: {w}");
    }
    Ok(opened.store)
}

fn out_flush() -> anyhow::Result<()> {
    match std::io::stdout().flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("writing to stdout"),
    }
}

fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    ratatui::crossterm::terminal::size().ok().map(|(w, _)| usize::from(w)).filter(|&w| w > 0)
}
