//! The CVE board: one row per CVE over a date window, with how many articles and sources name
//! it, when it was first and last seen, a weight in the manner of Feedly and a trend figure.
//!
//! Weight: each article naming a CVE adds `1/√n`, `n` the distinct CVEs that article names, so a
//! monthly bulletin listing eighty CVEs does not outweigh eighty articles about one each
//! (Feedly weights mentions the same way). Trend: the weight of the window's last
//! [`BoardTuning::recent_days`] minus the mean weekly weight of the
//! [`BoardTuning::baseline_weeks`] before them: above zero, a CVE is being talked about more than
//! it was. Suspect mentions (a CVE year later than the article's date) are left out of every
//! figure and counted on their own.

use std::collections::{HashMap, HashSet};

use crate::corpus::Date;
use crate::entities::{Entity, Kind};

/// The board's numbers, named in one place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoardTuning {
    /// Weeks of mentions kept per row for the sparkline, ending at the window's end.
    pub weeks: usize,
    /// The recent part of the trend.
    pub recent_days: i64,
    /// The baseline of the trend, in weeks before the recent part.
    pub baseline_weeks: i64,
}

impl Default for BoardTuning {
    fn default() -> BoardTuning {
        BoardTuning { weeks: 26, recent_days: 7, baseline_weeks: 4 }
    }
}

/// Inclusive bounds; an open end is unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    pub since: Option<Date>,
    pub until: Option<Date>,
}

impl Window {
    pub fn contains(&self, d: Date) -> bool {
        self.since.is_none_or(|s| d >= s) && self.until.is_none_or(|u| d <= u)
    }
}

/// One CVE of the board.
#[derive(Debug, Clone, PartialEq)]
pub struct CveRow {
    pub cve: String,
    pub articles: usize,
    pub sources: usize,
    pub first_seen: Date,
    pub last_seen: Date,
    pub weight: f64,
    pub trend: f64,
    /// Articles per week, oldest first, the last week ending at the window's end.
    pub weekly: Vec<u32>,
    /// Articles that name it with a year later than their own date (not counted above).
    pub suspect: usize,
}

/// One article as the board sees it.
#[derive(Debug, Clone, Copy)]
pub struct Mention<'a> {
    pub date: Date,
    pub source: &'a str,
    pub entities: &'a [Entity],
}

#[derive(Default)]
struct Acc<'a> {
    articles: usize,
    sources: HashSet<&'a str>,
    first: Option<Date>,
    last: Option<Date>,
    weight: f64,
    recent: f64,
    baseline: f64,
    weekly: Vec<u32>,
    suspect: usize,
}

/// The board over `articles` within `window`, heaviest first (then more articles, then the
/// newer id). The window's end is `until`, or the newest article date in it.
pub fn board<'a>(
    articles: impl IntoIterator<Item = Mention<'a>>,
    window: Window,
    tuning: &BoardTuning,
) -> Vec<CveRow> {
    let inside: Vec<Mention<'a>> = articles.into_iter().filter(|m| window.contains(m.date)).collect();
    let end = window.until.or_else(|| inside.iter().map(|m| m.date).max()).map_or(0, Date::day_number);
    let recent_from = end - tuning.recent_days + 1;
    let baseline_from = recent_from - 7 * tuning.baseline_weeks;
    let mut acc: HashMap<&'a str, Acc<'a>> = HashMap::new();
    for m in &inside {
        let cves: Vec<&Entity> = m.entities.iter().filter(|e| e.kind == Kind::Cve).collect();
        if cves.is_empty() {
            continue;
        }
        let (suspect, real): (Vec<&Entity>, Vec<&Entity>) =
            cves.into_iter().partition(|e| super::is_suspect(m.date, e));
        for e in suspect {
            acc.entry(e.value.as_str()).or_default().suspect += 1;
        }
        let share = 1.0 / (real.len().max(1) as f64).sqrt();
        let day = m.date.day_number();
        for e in real {
            let a = acc.entry(e.value.as_str()).or_default();
            a.articles += 1;
            a.sources.insert(m.source);
            a.first = Some(a.first.map_or(m.date, |f| f.min(m.date)));
            a.last = Some(a.last.map_or(m.date, |l| l.max(m.date)));
            a.weight += share;
            if day >= recent_from {
                a.recent += share;
            } else if day >= baseline_from {
                a.baseline += share;
            }
            let weeks_back = (end - day).div_euclid(7);
            if (0..tuning.weeks as i64).contains(&weeks_back) {
                a.weekly.resize(tuning.weeks, 0);
                a.weekly[tuning.weeks - 1 - weeks_back as usize] += 1;
            }
        }
    }
    let baseline_weeks = tuning.baseline_weeks.max(1) as f64;
    let mut rows: Vec<CveRow> = acc
        .into_iter()
        .map(|(cve, mut a)| {
            a.weekly.resize(tuning.weeks, 0);
            CveRow {
                cve: cve.to_string(),
                articles: a.articles,
                sources: a.sources.len(),
                first_seen: a.first.unwrap_or_default(),
                last_seen: a.last.unwrap_or_default(),
                weight: a.weight,
                trend: a.recent - a.baseline / baseline_weeks,
                weekly: a.weekly,
                suspect: a.suspect,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then(b.articles.cmp(&a.articles))
            .then_with(|| cve_order(&b.cve, &a.cve))
    });
    rows
}

/// CVE ids by year, then number (so CVE-2024-10000 sorts after CVE-2024-9999).
fn cve_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |s: &str| {
        let mut parts = s.split('-').skip(1).map(|p| p.parse::<u64>().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    };
    key(a).cmp(&key(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cve(v: &str) -> Entity {
        Entity { kind: Kind::Cve, value: v.into(), count: 1 }
    }

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap_or_default()
    }

    #[test]
    fn weights_share_an_article_and_suspects_stay_out() {
        let one = [cve("CVE-2024-1111")];
        let three = [cve("CVE-2024-1111"), cve("CVE-2024-2222"), cve("CVE-2030-0001")];
        let rows = board(
            [
                Mention { date: d(2024, 5, 1), source: "a", entities: &one },
                Mention { date: d(2024, 5, 20), source: "b", entities: &three },
            ],
            Window::default(),
            &BoardTuning::default(),
        );
        let first = &rows[0];
        assert_eq!(first.cve, "CVE-2024-1111");
        assert_eq!((first.articles, first.sources), (2, 2));
        assert_eq!((first.first_seen, first.last_seen), (d(2024, 5, 1), d(2024, 5, 20)));
        // 1 + 1/√2: the suspect 2030 id does not count towards the second article's share.
        assert!((first.weight - (1.0 + 1.0 / 2f64.sqrt())).abs() < 1e-9, "{}", first.weight);
        let suspect = rows.iter().find(|r| r.cve == "CVE-2030-0001").map(|r| (r.articles, r.suspect));
        assert_eq!(suspect, Some((0, 1)));
        assert_eq!(first.weekly.iter().sum::<u32>(), 2);
        assert_eq!(first.weekly.last(), Some(&1));
    }

    #[test]
    fn the_window_bounds_counts_and_trend() {
        let e = [cve("CVE-2023-0001")];
        let m = |date| Mention { date, source: "s", entities: &e };
        let window = Window { since: Some(d(2024, 1, 1)), until: Some(d(2024, 3, 31)) };
        let rows = board(
            [m(d(2023, 12, 31)), m(d(2024, 3, 30)), m(d(2024, 3, 10)), m(d(2024, 4, 2))],
            window,
            &BoardTuning::default(),
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].articles, 2);
        // Recent: one mention in the last 7 days; baseline: one in the 4 weeks before, a week's mean of 1/4.
        assert!((rows[0].trend - 0.75).abs() < 1e-9, "{}", rows[0].trend);
    }
}
