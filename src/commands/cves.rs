//! `yuedu cves`: the CVE board over the archive (see [`crate::facts::board`] for the weight
//! and the trend).

use std::io::{self, Write};

use super::bodies;
use super::{CommandError, Env, ListFormat, ok_on_pipe, terminal_safe_json};
use crate::corpus::Date;
use crate::facts::board::{self, BoardTuning, CveRow, Mention, Window};

#[derive(Debug, Clone)]
pub struct CvesOptions {
    pub since: Option<String>,
    pub until: Option<String>,
    pub limit: Option<usize>,
    pub format: ListFormat,
}

/// `yuedu cves`: brings the body pass up to date (the first run builds it), then writes the
/// board. A bad date is an error before anything is read.
pub fn run(env: &Env<'_>, opts: &CvesOptions, out: &mut dyn Write) -> Result<(), CommandError> {
    let window = Window {
        since: opts.since.as_deref().map(|s| bound(s, false)).transpose()?,
        until: opts.until.as_deref().map(|s| bound(s, true)).transpose()?,
    };
    if let (Some(a), Some(b)) = (window.since, window.until)
        && a > b
    {
        return Err(CommandError::Query(format!("--since {a} is after --until {b}")));
    }
    let choice = env.choose()?;
    let articles = bodies::cve_articles(env, &choice)?;
    let tuning = BoardTuning::default();
    let mentions = articles.iter().map(|a| Mention { date: a.date, source: &a.source, entities: &a.cves });
    let mut rows = board::board(mentions, window, &tuning);
    // Tens of thousands of small strings take longer to free one by one than the OS takes to
    // drop the lot.
    std::mem::forget(articles);
    rows.retain(|r| r.articles > 0);
    if let Some(n) = opts.limit {
        rows.truncate(n);
    }
    ok_on_pipe(match opts.format {
        ListFormat::Tsv => write_tsv(&rows, out),
        ListFormat::Json => write_json(&rows, out),
    })
}

/// `2024`, `2024-03` or `2024-03-15`; a month or a year as a bound starts at its first day
/// (`--since`) or ends at its last (`--until`).
fn bound(s: &str, end: bool) -> Result<Date, CommandError> {
    let bad = || CommandError::Query(format!("{s:?} is not a date: write 2024, 2024-03 or 2024-03-15"));
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |i: usize| parts.get(i).map(|p| p.parse::<u16>().map_err(|_| bad())).transpose();
    let (y, m, d) = (num(0)?.ok_or_else(bad)?, num(1)?, num(2)?);
    if parts.len() > 3 {
        return Err(bad());
    }
    let month = |m: u16| u8::try_from(m).map_err(|_| bad());
    let date = match (m, d, end) {
        (None, _, false) => Date::new(y, 1, 1),
        (None, _, true) => Date::new(y, 12, 31),
        (Some(m), None, false) => Date::new(y, month(m)?, 1),
        (Some(m), None, true) => {
            let m = month(m)?;
            let next = if m == 12 {
                Date::new(y.saturating_add(1), 1, 1)
            } else {
                Date::new(y, m.saturating_add(1), 1)
            };
            next.filter(|_| (1..=12).contains(&m)).map(|n| Date::from_day_number(n.day_number() - 1))
        }
        (Some(m), Some(d), _) => Date::new(y, month(m)?, u8::try_from(d).map_err(|_| bad())?),
    };
    date.ok_or_else(bad)
}

fn write_tsv(rows: &[CveRow], out: &mut dyn Write) -> io::Result<()> {
    for r in rows {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{:.2}\t{:+.2}\t{}",
            r.cve, r.articles, r.sources, r.first_seen, r.last_seen, r.weight, r.trend, r.suspect
        )?;
    }
    Ok(())
}

fn write_json(rows: &[CveRow], out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "cve": r.cve,
                "articles": r.articles,
                "sources": r.sources,
                "first_seen": r.first_seen.to_string(),
                "last_seen": r.last_seen.to_string(),
                "weight": (r.weight * 100.0).round() / 100.0,
                "trend": (r.trend * 100.0).round() / 100.0,
                "suspect": r.suspect,
                "weekly": r.weekly,
            })
        })
        .collect();
    let json = serde_json::to_string_pretty(&items).map_err(io::Error::other)?;
    writeln!(out, "{}", terminal_safe_json(&json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_cover_whole_months_and_years() {
        let d = |s, end| bound(s, end).ok().map(|d| d.to_string());
        assert_eq!(d("2024", false).as_deref(), Some("2024-01-01"));
        assert_eq!(d("2024", true).as_deref(), Some("2024-12-31"));
        assert_eq!(d("2024-02", true).as_deref(), Some("2024-02-29"));
        assert_eq!(d("2023-12", true).as_deref(), Some("2023-12-31"));
        assert_eq!(d("2024-03-15", false).as_deref(), Some("2024-03-15"));
        assert!(bound("2024-13", true).is_err());
        assert!(bound("yesterday", false).is_err());
        assert!(bound("2024-02-30", false).is_err());
    }
}
