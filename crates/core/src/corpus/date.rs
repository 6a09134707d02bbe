//! A calendar date without a time zone: all the list needs, and cheap to sort.

use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let ok = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        ok.then_some(Date { year, month, day })
    }

    /// Reads the date at the start of `s`: `2024-01-31`, `2024/1/31` or `2024-01-31T08:00:00`.
    pub fn parse_prefix(s: &str) -> Option<Date> {
        let s = s.trim().trim_matches(|c| c == '"' || c == '\'');
        let mut parts = s.splitn(3, ['-', '/', '.']);
        let year = parts.next()?.trim().parse().ok()?;
        let month = parts.next()?.trim().parse().ok()?;
        let rest = parts.next()?;
        let day_digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        let tail = &rest[day_digits.len()..];
        if !(tail.is_empty() || tail.starts_with(['T', ' ', 't'])) {
            return None;
        }
        Date::new(year, month, day_digits.parse().ok()?)
    }

    /// The date `secs` seconds after the Unix epoch, in UTC.
    pub fn from_unix(secs: i64) -> Date {
        // Howard Hinnant's days-to-civil algorithm.
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date { year: year.clamp(1, 9999) as u16, month, day }
    }

    /// Days since the Unix epoch (Howard Hinnant's days-from-civil), for week arithmetic.
    pub fn day_number(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after the Unix epoch.
    pub fn from_day_number(days: i64) -> Date {
        Date::from_unix(days.saturating_mul(86_400))
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        assert_eq!(Date::parse_prefix("2025-01-17"), Date::new(2025, 1, 17));
        assert_eq!(Date::parse_prefix("2025/1/7"), Date::new(2025, 1, 7));
        assert_eq!(Date::parse_prefix("2025-10-06T20:10:43.527506"), Date::new(2025, 10, 6));
        assert_eq!(Date::parse_prefix("'2024-02-29'"), Date::new(2024, 2, 29));
    }

    #[test]
    fn rejects_invalid() {
        for s in ["2023-02-29", "2024-13-01", "2024-00-10", "yesterday", "2024-01-01x", "", "0-1-1"] {
            assert_eq!(Date::parse_prefix(s), None, "{s}");
        }
    }

    #[test]
    fn unix_epoch_days() {
        assert_eq!(Date::from_unix(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix(1_700_000_000).to_string(), "2023-11-14");
        assert_eq!(Date::from_unix(951_782_400).to_string(), "2000-02-29");
    }
}
