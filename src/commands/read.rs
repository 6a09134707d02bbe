//! Starting the reader (`yuedu` with no subcommand): the cached snapshot at once when there is
//! one, else an empty list while the corpus loads behind it; or, when stdin or stdout is not a
//! terminal, the plain list.

use std::io::IsTerminal;
use std::path::Path;

use super::{CommandError, Env};

/// Opens the reader on the chosen corpus, or prints the list when not on a terminal.
pub fn run(env: &Env<'_>) -> Result<(), CommandError> {
    env.load_rules()?;
    let choice = env.choose()?;
    let cache_dir = env.cache_dir;
    if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
        // Not a terminal (a pipe, a file): print the list instead of drawing a screen.
        let corpus = super::load_with(&choice, cache_dir)?;
        return super::minimal_view(&corpus, &mut std::io::stdout().lock());
    }
    // Warm start: show the cached snapshot at once and check it against the disk in the
    // background. First run (no index yet): the reader opens at once on an empty list and the
    // corpus loads in the background with its progress on screen. A path that is no folder
    // fails here, before the screen is taken.
    let snapshot = cache_dir.and_then(|dir| crate::corpus::cache::snapshot(&choice.path, dir));
    let reconcile_now = snapshot.is_some();
    let load_now = snapshot.is_none() && choice.path.is_dir();
    let corpus = match snapshot {
        Some(c) => c,
        None if load_now => crate::corpus::Corpus { root: choice.path.clone(), ..Default::default() },
        None => super::load_with(&choice, cache_dir)?,
    };
    let source = crate::tui::live::Source {
        root: choice.path.clone(),
        cache_dir: cache_dir.map(Path::to_path_buf),
        reconcile_now,
        load_now,
    };
    // The body index lives beside the index cache; without a cache there is no body search.
    let index = cache_dir.map(|dir| {
        crate::tui::index::Place::new(
            choice.path.clone(),
            dir.to_path_buf(),
            env.paths.tag_store(),
            env.paths.user_warninglist(),
        )
    });
    for p in super::check::config_problems(env.config) {
        tracing::warn!("{p}");
    }
    let opened = crate::tags::Store::open(&env.paths.tag_store())?;
    let notices: Vec<String> = opened.warning.into_iter().collect();
    tracing::info!(corpus = %corpus.root.display(), articles = corpus.articles.len(), reconcile_now, "reader start");
    crate::tui::run(corpus, opened.store, env.config, env.ambiwidth, notices, Some(source), index)
        .map_err(CommandError::Terminal)?;
    tracing::info!("reader exit");
    Ok(())
}
