//! `yuedu check`: what loaded, what was skipped and why, and how much boilerplate each source has.

use std::collections::BTreeMap;
use std::io::{self, Write};

use rayon::prelude::*;

use super::{CommandError, Env, progress_bar, write_out};
use crate::corpus::{self, Article, Corpus};
use crate::document::{self, boilerplate};
use crate::progress::Progress;

/// `yuedu check`.
pub fn run(env: &Env<'_>, boilerplate_report: bool, out: &mut dyn Write) -> Result<(), CommandError> {
    env.load_rules()?;
    let choice = env.choose()?;
    let corpus = env.load(&choice)?;
    check(&corpus, boilerplate_report, out)?;
    // What the last body pass found: check reads no bodies for it.
    let stories = env.cache_dir.and_then(|dir| crate::index::stories::read_table(&choice.path, dir));
    write_out(out, |out| super::check_stories::write(&corpus, stories.as_ref(), boilerplate_report, out))?;
    write_out(out, |out| {
        let problems = config_problems(env.config);
        writeln!(out, "config problems: {}", problems.len())?;
        for p in &problems {
            writeln!(out, "  {}", document::sanitize(p))?;
        }
        Ok(())
    })
}

/// Everything in config.yaml the reader would ignore or refuse: bad key entries (which keep
/// their defaults) and saved searches that cannot be read.
pub fn config_problems(config: &crate::config::Config) -> Vec<String> {
    let (_, mut problems) = crate::app::Keymap::from_config(&config.keys);
    for (name, q) in &config.searches {
        let q = q.strip_prefix('\\').unwrap_or(q);
        if let Err(e) = crate::filter::Query::parse_strict(q) {
            problems.push(format!("config searches.{name}: {e}"));
        }
    }
    problems
}

/// `check`: what loaded, what was skipped and why, what was derived, what was merged.
pub fn check(corpus: &Corpus, boilerplate_report: bool, out: &mut dyn Write) -> Result<(), CommandError> {
    write_out(out, |out| write_check(corpus, out))?;
    if boilerplate_report {
        let progress = Progress::new("cleaning articles");
        progress.set_total(corpus.articles.len());
        let bar = progress_bar::Bar::start(&progress);
        let stats = boilerplate_stats(corpus, &progress);
        progress.finish();
        drop(bar);
        write_out(out, |out| write_boilerplate_report(&stats, out))?;
    }
    Ok(())
}

fn write_check(c: &Corpus, out: &mut dyn Write) -> io::Result<()> {
    let count = |f: &dyn Fn(&Article) -> bool| c.articles.iter().filter(|a| f(a)).count();
    writeln!(out, "corpus: {}", corpus::shown(&c.root))?;
    writeln!(out, "articles loaded: {}", c.articles.len())?;
    writeln!(out, "files skipped: {}", c.problems.len())?;
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &c.problems {
        *by_kind.entry(p.kind.name()).or_default() += 1;
    }
    for (k, n) in by_kind {
        writeln!(out, "  {k}: {n}")?;
    }
    writeln!(out, "fallbacks:")?;
    writeln!(out, "  YAML fallback: {}", count(&|a| a.yaml_fallback))?;
    writeln!(out, "  derived title: {}", count(&|a| a.derived.title))?;
    writeln!(out, "  derived source: {}", count(&|a| a.derived.source))?;
    writeln!(out, "  derived date: {}", count(&|a| a.derived.date))?;
    let mut encodings: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &c.articles {
        *encodings.entry(a.encoding.name()).or_default() += 1;
    }
    let enc: Vec<String> = encodings.iter().map(|(k, n)| format!("{k} {n}")).collect();
    writeln!(out, "  encodings: {}", enc.join(", "))?;
    let extra: usize = c.duplicates.iter().map(|d| d.dropped.len()).sum();
    writeln!(
        out,
        "duplicates: {} URLs in several files, {} copies merged (largest copy kept)",
        c.duplicates.len(),
        extra
    )?;
    for p in c.problems.iter().take(20) {
        writeln!(out, "  skipped {}: {}", corpus::shown(&p.path), document::sanitize(&p.reason))?;
    }
    if c.problems.len() > 20 {
        writeln!(out, "  … and {} more", c.problems.len() - 20)?;
    }
    Ok(())
}

/// Per article: its source, the share of its text removed, and whether nothing was left.
fn boilerplate_stats<'a>(c: &'a Corpus, progress: &Progress) -> Vec<(&'a str, f64, bool)> {
    c.articles
        .par_iter()
        .filter_map(|a| {
            progress.add(1);
            let body = corpus::read_body(&a.path).ok()?;
            let meta =
                boilerplate::Meta { title: &a.title, source: &a.source, url: a.url.as_deref().unwrap_or("") };
            let cleaned = boilerplate::clean_with(&body.text, &meta, &c.templates);
            let total = body.text.chars().filter(|c| !c.is_whitespace()).count().max(1);
            let kept = cleaned.markdown.chars().filter(|c| !c.is_whitespace()).count();
            Some((a.source.as_str(), 1.0 - kept as f64 / total as f64, cleaned.empty))
        })
        .collect()
}

fn write_boilerplate_report(stats: &[(&str, f64, bool)], out: &mut dyn Write) -> io::Result<()> {
    struct Row {
        articles: usize,
        removed: f64,
        empty: usize,
    }
    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    for &(source, removed, empty) in stats {
        let r = rows.entry(source).or_insert(Row { articles: 0, removed: 0.0, empty: 0 });
        r.articles += 1;
        r.removed += removed;
        r.empty += usize::from(empty);
    }
    writeln!(out, "\nboilerplate by source (articles, average text removed, empty pages):")?;
    let mut rows: Vec<(&str, Row)> = rows.into_iter().collect();
    rows.sort_by(|a, b| b.1.articles.cmp(&a.1.articles).then_with(|| a.0.cmp(b.0)));
    for (source, r) in rows {
        let avg = 100.0 * r.removed / r.articles as f64;
        writeln!(out, "{:>6}  {:>5.1}%  {:>5}  {}", r.articles, avg, r.empty, source)?;
    }
    Ok(())
}
