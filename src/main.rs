//! The `yuedu` binary: parses the command line, sets up logging, and hands off to the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use yuedu::commands::cves::CvesOptions;
use yuedu::commands::export::{ExportFormat, ExportOptions};
use yuedu::commands::iocs::IocFormat;
use yuedu::commands::search::SearchOptions;
use yuedu::commands::tags::Action;
use yuedu::commands::{self, Env, ListFormat, ListOptions, ShowOptions};
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
        /// Filter query: fuzzy terms, source:X, tag:X, date:A..B, cve:X, ioc:X, -term.
        #[arg(long, short, allow_hyphen_values = true)]
        filter: Option<String>,
        /// Only articles whose source contains this (case-blind), as `source:` in a filter.
        #[arg(long, short)]
        source: Option<String>,
        /// Only articles not marked read.
        #[arg(long)]
        unread: bool,
        /// Only articles with this tag (repeat for several: all must be present).
        #[arg(long, short)]
        tag: Vec<String>,
        /// The saved search NAME from config.yaml's `searches:`.
        #[arg(long, value_name = "NAME")]
        saved: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Tsv)]
        format: Format,
        /// Print only the number of articles.
        #[arg(long)]
        count: bool,
        /// Leave out empty pages (no article text once the chrome is gone; from the body pass).
        #[arg(long)]
        non_empty: bool,
        /// One row per story (the same news republished): its earliest copy, the number of
        /// copies and their sources (from the body pass).
        #[arg(long)]
        stories: bool,
    },
    /// Print the indicators one article names (CVEs, IPs, domains, URLs, hashes, e-mail, ATT&CK).
    Iocs {
        /// A file path (no corpus needed), or an article id (a unique prefix of 4 or more hex digits).
        article: String,
        #[arg(long, value_enum, default_value_t = IocFmt::Tsv)]
        format: IocFmt,
    },
    /// The CVE board: each CVE with its articles, sources, first and last seen, weight and trend.
    Cves {
        /// From this date (2024, 2024-03 or 2024-03-15).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Up to this date, inclusive.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// At most this many CVEs.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[arg(long, value_enum, default_value_t = Format::Tsv)]
        format: Format,
    },
    /// Print one article as text.
    Show {
        /// A file path, or an article id (a unique prefix of 4 or more hex digits).
        article: String,
        /// Wrap to this many columns, 20 or more (default: the terminal's width, else 80).
        #[arg(long, short, value_parser = parse_width)]
        width: Option<usize>,
        /// The cleaned body only: no header, no markers, one paragraph per line.
        #[arg(long, conflicts_with = "raw")]
        plain: bool,
        /// The body as it is in the file, sanitized.
        #[arg(long)]
        raw: bool,
        /// Each block of the body with the rule or heuristic that kept or dropped it.
        #[arg(long, conflicts_with_all = ["raw", "plain"])]
        explain: bool,
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
    /// Bring the body index (what `search` and the reader's `\` use) up to date now.
    Index {
        /// Report progress as `stage<TAB>done<TAB>total` lines on stderr (for the reader).
        #[arg(long, hide = true)]
        progress_lines: bool,
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
        #[arg(long, short, allow_hyphen_values = true)]
        filter: Option<String>,
        #[arg(long, value_enum, default_value_t = ExportFmt::Md)]
        format: ExportFmt,
        /// Write the chosen articles' indicators, one per line with the article id and date
        /// (csv or json).
        #[arg(long)]
        iocs: bool,
        /// Markdown with each article's cleaned text, for notes apps such as Obsidian.
        #[arg(long)]
        with_body: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum IocFmt {
    Tsv,
    Json,
    Csv,
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

/// The error and its causes on one line, without a backtrace. A cause that the message before
/// it already shows (an error whose text includes its source) is said once.
fn one_line(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain().map(|c| c.to_string()) {
        if parts.last().is_some_and(|last| last.contains(&cause)) || cause.is_empty() {
            continue;
        }
        parts.push(cause);
    }
    parts.join(": ")
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let paths = Paths::discover()?;
    init_logging(&paths);
    let config = Config::load(&paths.config_file())?;
    yuedu::corpus::set_follow_outside(config.follow_symlinks == yuedu::config::FollowSymlinks::Outside);
    let ambiwidth = match cli.ambiwidth {
        Some(Ambi::Wide) => AmbiWidth::Wide,
        Some(Ambi::Narrow) => AmbiWidth::Narrow,
        None => config.ambiwidth(),
    };
    let env = Env {
        paths: &paths,
        config: &config,
        corpus_flag: cli.corpus.clone(),
        corpus_env: std::env::var_os("YUEDU_CORPUS").filter(|v| !v.is_empty()).map(PathBuf::from),
        cache_dir: (!cli.no_cache).then_some(paths.cache_dir.as_path()),
        ambiwidth,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match cli.command {
        None => {
            drop(out);
            commands::read::run(&env)?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::List { filter, source, unread, tag, saved, format, count, non_empty, stories }) => {
            let format = list_format(format);
            let filter = match saved {
                Some(name) => {
                    let q = commands::saved_search(&config, &name)?;
                    Some(filter.map_or(q.clone(), |f| format!("{q} {f}")))
                }
                None => filter,
            };
            let opts = ListOptions { filter, source, format, count, non_empty, unread, tags: tag, stories };
            commands::list::run(&env, &opts, &mut out)?;
        }
        Some(Command::Iocs { article, format }) => {
            let format = match format {
                IocFmt::Tsv => IocFormat::Tsv,
                IocFmt::Json => IocFormat::Json,
                IocFmt::Csv => IocFormat::Csv,
            };
            commands::iocs::run(&env, &article, format, &mut out)
                .with_context(|| format!("iocs {}", yuedu::document::sanitize(&article)))?;
        }
        Some(Command::Cves { since, until, limit, format }) => {
            let opts = CvesOptions { since, until, limit, format: list_format(format) };
            commands::cves::run(&env, &opts, &mut out).context("cves")?;
        }
        Some(Command::Show { article, width, plain, raw, explain }) => {
            let width = width.or_else(terminal_width).unwrap_or(80);
            let opts = ShowOptions { width, plain, raw, explain, ambiwidth };
            commands::show::run(&env, &article, &opts, &mut out)
                .with_context(|| format!("show {}", yuedu::document::sanitize(&article)))?;
        }
        Some(Command::Search { query, fixed, format, limit, count }) => {
            let format = match format {
                Format::Tsv => ListFormat::Tsv,
                Format::Json => ListFormat::Json,
            };
            let opts = SearchOptions { query, fixed, format, limit, count };
            match commands::search::run(&env, &opts, &mut out) {
                Err(commands::CommandError::Query(msg)) => {
                    let _ = writeln!(std::io::stderr(), "yuedu: search: {msg}");
                    return Ok(ExitCode::from(2));
                }
                r => r?,
            }
        }
        Some(Command::Index { progress_lines }) => commands::search::update(&env, progress_lines, &mut out)?,
        Some(Command::Check { boilerplate }) => commands::check::run(&env, boilerplate, &mut out)?,
        Some(Command::Tags { action }) => {
            let action = match action {
                TagsAction::Add { id, tags } => Action::Add { id, tags },
                TagsAction::Rm { id, tags } => Action::Remove { id, tags },
                TagsAction::List { id } => Action::List { id },
            };
            commands::tags::run(&env, &action, &mut out)?;
        }
        Some(Command::Export { tag, filter, format, iocs, with_body }) => {
            let format = match format {
                ExportFmt::Md => ExportFormat::Md,
                ExportFmt::Json => ExportFormat::Json,
                ExportFmt::Csv => ExportFormat::Csv,
            };
            commands::export::run(
                &env,
                &ExportOptions { tags: tag, filter, format, iocs, with_body },
                &mut out,
            )?;
        }
    }
    // What is still buffered goes out here, and a reader that has gone away is a normal end.
    commands::write_out(&mut out, |_| Ok(())).context("writing to stdout")?;
    Ok(ExitCode::SUCCESS)
}

/// `--width`: a number of columns, at least [`commands::show::MIN_WIDTH`].
fn parse_width(s: &str) -> Result<usize, String> {
    let n: usize = s.parse().map_err(|_| format!("{s:?} is not a number of columns"))?;
    let min = commands::show::MIN_WIDTH;
    if n < min {
        return Err(format!("{n} is too narrow: the least is {min}"));
    }
    Ok(n)
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

fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    ratatui::crossterm::terminal::size().ok().map(|(w, _)| usize::from(w)).filter(|&w| w > 0)
}

fn list_format(f: Format) -> ListFormat {
    match f {
        Format::Tsv => ListFormat::Tsv,
        Format::Json => ListFormat::Json,
    }
}
