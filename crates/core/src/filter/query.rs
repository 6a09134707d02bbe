//! The filter syntax: fuzzy words, "quoted phrases", `-` exclusions and the field terms
//! `source:`, `tag:` and `date:`, and when one query's results are a subset of another's.

use super::FilterError;
use super::matcher::Pattern;
use super::normalize;
use crate::corpus::Date;
use crate::entities::{self, Kind};

/// A title term that must match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Include {
    pub pattern: Pattern,
    /// A quoted phrase: contiguous, not fuzzy.
    pub phrase: bool,
}

/// A metadata term; any of the alternatives (`source:a,b`) satisfies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Field {
    /// Case-blind substrings of the source name.
    Source(Vec<Vec<char>>),
    /// Case-blind whole tags.
    Tag(Vec<Vec<char>>),
    Date(DateRange),
    /// Extracted indicators (`cve:`, `attack:`, `ioc:` for any kind), normalized as the
    /// extractor normalizes them and matched whole; `attack:T1059` also covers its
    /// sub-techniques (T1059.001), as ATT&CK groups them.
    Entity {
        kind: Option<Kind>,
        values: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldTerm {
    pub negate: bool,
    pub field: Field,
}

/// Inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateRange {
    pub from: Date,
    pub to: Date,
}

impl DateRange {
    pub fn contains(&self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }
    fn within(&self, other: &DateRange) -> bool {
        other.from <= self.from && self.to <= other.to
    }
}

/// A parsed filter query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub(crate) include: Vec<Include>,
    /// Titles containing one of these (literally or as contiguous pinyin) are dropped.
    pub(crate) exclude: Vec<Pattern>,
    pub(crate) fields: Vec<FieldTerm>,
}

const QUOTES: [char; 3] = ['"', '“', '”'];
/// The field names a term may start with (`name:value`).
pub const FIELDS: &[&str] = &["source", "tag", "tags", "date", "cve", "ioc", "attack"];
/// fzf's mark for an exact term: `'xz` is contiguous and literal.
const EXACT: char = '\'';
/// A quoted Latin term this short is literal: as pinyin `"xz"` would match thousands of titles
/// (下载, 新增, …), which is never what quoting it meant.
const LITERAL_QUOTED_MAX: usize = 4;

impl Query {
    /// Parses the filter syntax. Whitespace separates terms; a term may be
    /// - `word`: fuzzy over the title, by pinyin too (smart case: an upper-case letter makes it exact-case);
    /// - `"a phrase"`: contiguous (literal when it is Latin of up to 4 chars, so `"xz"` is not
    ///   read as pinyin);
    /// - `'term`: contiguous and literal, as in fzf;
    /// - `cve:CVE-2024-3400`, `attack:T1059`, `ioc:45.77.12.34` (any kind; defanged values are
    ///   refanged): the article's extracted entities, matched whole;
    /// - `source:X`, `tag:X` (several as `X,Y`, values may be quoted), `date:2024`, `date:2024-03`,
    ///   `date:2024-03-15`, `date:2024-01..2024-03`, `date:2024-06..`, `date:..2023`;
    /// - any of these after `-`, which excludes instead.
    ///
    /// An unfinished term (`source:`, a lone `-`, an unclosed quote) is taken as far as it goes,
    /// so a query being typed is never an error; a date that cannot be read is.
    pub fn parse(input: &str) -> Result<Query, FilterError> {
        let chars: Vec<char> = normalize::query(input).chars().collect();
        let mut q = Query::default();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                i += 1;
                continue;
            }
            let negate = chars[i] == '-';
            if negate {
                i += 1;
            }
            if i < chars.len() && QUOTES.contains(&chars[i]) {
                let (phrase, next) = quoted(&chars, i);
                i = next;
                let literal = phrase.is_ascii() && phrase.chars().count() <= LITERAL_QUOTED_MAX;
                q.add_title_term(phrase, negate, true, literal);
                continue;
            }
            if i < chars.len() && chars[i] == EXACT {
                let from = i + 1;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                q.add_title_term(chars[from..i].iter().collect(), negate, true, true);
                continue;
            }
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != ':' {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect::<String>().to_ascii_lowercase();
            if i < chars.len() && chars[i] == ':' && FIELDS.contains(&name.as_str()) {
                i += 1;
                let value: String = if i < chars.len() && QUOTES.contains(&chars[i]) {
                    let (v, next) = quoted(&chars, i);
                    i = next;
                    v
                } else {
                    let from = i;
                    while i < chars.len() && !chars[i].is_whitespace() {
                        i += 1;
                    }
                    chars[from..i].iter().collect()
                };
                q.add_field(&name, value.trim(), negate)?;
                continue;
            }
            while i < chars.len() && !chars[i].is_whitespace() {
                i += 1;
            }
            q.add_title_term(chars[start..i].iter().collect(), negate, false, false);
        }
        Ok(q)
    }

    /// [`Query::parse`] for a finished query (the command line, a saved search): a term that
    /// looks like a field but names none (`url:x`, `foo:bar`) and an unclosed quote are errors
    /// instead of title text.
    pub fn parse_strict(input: &str) -> Result<Query, FilterError> {
        let quotes = input.chars().filter(|c| QUOTES.contains(c)).count();
        let straight = input.chars().filter(|&c| c == '"').count();
        if straight % 2 == 1 || (quotes - straight) % 2 == 1 {
            return Err(FilterError::UnclosedQuote(input.to_string()));
        }
        for term in input.split_whitespace() {
            let term = term.trim_start_matches('-');
            if let Some((name, _)) = term.split_once(':') {
                let lower = name.to_ascii_lowercase();
                let looks_like_field = name.len() >= 2 && name.chars().all(|c| c.is_ascii_alphabetic());
                if looks_like_field && !FIELDS.contains(&lower.as_str()) && !is_scheme(&lower, term) {
                    return Err(FilterError::UnknownField { name: name.to_string(), term: term.to_string() });
                }
            }
        }
        Query::parse(input)
    }

    fn add_title_term(&mut self, text: String, negate: bool, phrase: bool, literal: bool) {
        if text.is_empty() {
            return;
        }
        let pattern = if literal { Pattern::literal(&text) } else { Pattern::new(&text) };
        if negate {
            self.exclude.push(pattern);
        } else {
            self.include.push(Include { pattern, phrase });
        }
    }

    fn add_field(&mut self, name: &str, value: &str, negate: bool) -> Result<(), FilterError> {
        if value.is_empty() {
            return Ok(());
        }
        let alternatives = || -> Vec<Vec<char>> {
            value
                .split(',')
                .map(|v| v.trim().chars().map(normalize::fold_all).collect::<Vec<char>>())
                .filter(|v| !v.is_empty())
                .collect()
        };
        let entity = |kind: Option<Kind>| Field::Entity {
            kind,
            values: value
                .split(',')
                .map(|v| entities::normalize_query(kind, v))
                .filter(|v| !v.is_empty())
                .collect(),
        };
        let field = match name {
            "source" => Field::Source(alternatives()),
            "tag" | "tags" => Field::Tag(alternatives()),
            "cve" => entity(Some(Kind::Cve)),
            "attack" => entity(Some(Kind::Attack)),
            "ioc" => entity(None),
            _ => Field::Date(parse_date_range(value)?),
        };
        let empty = matches!(&field, Field::Source(v) | Field::Tag(v) if v.is_empty())
            || matches!(&field, Field::Entity { values, .. } if values.is_empty());
        if !empty {
            self.fields.push(FieldTerm { negate, field });
        }
        Ok(())
    }

    /// True when the query has field terms (`source:`, `tag:`, `date:`, entity terms).
    pub fn has_fields(&self) -> bool {
        !self.fields.is_empty()
    }

    /// The values of each positive entity term (alternatives of one term together): what an
    /// index of entity values can look up.
    pub fn entity_values(&self) -> Vec<&[String]> {
        self.fields
            .iter()
            .filter(|f| !f.negate)
            .filter_map(|f| match &f.field {
                Field::Entity { values, .. } => Some(values.as_slice()),
                _ => None,
            })
            .collect()
    }

    /// True when the query has entity terms (`cve:`, `ioc:`, `attack:`): matching it needs each
    /// article's extracted entities in [`Record::entities`](super::Record).
    pub fn has_entity_terms(&self) -> bool {
        self.fields.iter().any(|f| matches!(f.field, Field::Entity { .. }))
    }

    /// Whether `record`'s source, date and tags satisfy every field term; the title terms are
    /// not looked at. What the body search applies to its hits, so `source:` and friends mean
    /// the same there as in the title filter.
    pub fn fields_match(&self, record: &super::Record<'_>) -> bool {
        self.fields.iter().all(|f| super::matcher::field_holds(f, record))
    }

    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty() && self.fields.is_empty()
    }

    /// True when the query ranks by match quality (it has title terms to score); otherwise the
    /// hits come in date order.
    pub fn is_ranked(&self) -> bool {
        !self.include.is_empty()
    }

    /// True when every article matching `self` also matches `previous`, so the previous hits
    /// can be searched instead of the whole corpus. Conservative: `false` is always safe.
    pub fn narrows(&self, previous: &Query) -> bool {
        // Every constraint of `previous` must follow from one of `self`.
        previous.include.iter().all(|p| self.include.iter().any(|s| include_implies(s, p)))
            && previous.exclude.iter().all(|p| self.exclude.iter().any(|s| starts_with(&p.chars, &s.chars)))
            && previous.fields.iter().all(|p| self.fields.iter().any(|s| field_implies(s, p)))
    }
}

fn starts_with(long: &[char], prefix: &[char]) -> bool {
    long.starts_with(prefix)
}

/// A match of a term implies a match of any prefix of it: cut a fuzzy or pinyin alignment short
/// and it still aligns (the last syllable just takes fewer letters). Smart case only gets looser
/// for the prefix, which is lowercase wherever the longer term is.
fn include_implies(s: &Include, p: &Include) -> bool {
    // A term read by pinyin matches more than a literal one, so it never implies it.
    starts_with(&s.pattern.chars, &p.pattern.chars)
        && (s.phrase || !p.phrase)
        && (p.pattern.pinyin || !s.pattern.pinyin)
}

fn field_implies(s: &FieldTerm, p: &FieldTerm) -> bool {
    if s.negate != p.negate {
        return false;
    }
    match (&s.field, &p.field, s.negate) {
        // Each source `s` accepts contains a substring `p` accepts.
        (Field::Source(sa), Field::Source(pa), false) => sa.iter().all(|x| pa.iter().any(|y| contains(x, y))),
        // `s` drops at least what `p` drops.
        (Field::Source(sa), Field::Source(pa), true) => pa.iter().all(|y| sa.iter().any(|x| contains(y, x))),
        (Field::Tag(sa), Field::Tag(pa), false) => sa.iter().all(|x| pa.contains(x)),
        (Field::Tag(sa), Field::Tag(pa), true) => pa.iter().all(|y| sa.contains(y)),
        (Field::Date(sr), Field::Date(pr), false) => sr.within(pr),
        (Field::Date(sr), Field::Date(pr), true) => pr.within(sr),
        (Field::Entity { kind: sk, values: sv }, Field::Entity { kind: pk, values: pv }, false) => {
            sk == pk && sv.iter().all(|x| pv.contains(x))
        }
        (Field::Entity { kind: sk, values: sv }, Field::Entity { kind: pk, values: pv }, true) => {
            sk == pk && pv.iter().all(|y| sv.contains(y))
        }
        _ => false,
    }
}

fn contains(hay: &[char], needle: &[char]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// Reads a quoted value starting at the quote at `start`; an unclosed quote runs to the end.
/// `http://…` in a query is a URL fragment to look for, not a field.
fn is_scheme(name: &str, term: &str) -> bool {
    matches!(name, "http" | "https") && term[name.len()..].starts_with("://")
}

fn quoted(chars: &[char], start: usize) -> (String, usize) {
    let mut i = start + 1;
    let mut out = String::new();
    while i < chars.len() && !QUOTES.contains(&chars[i]) {
        out.push(chars[i]);
        i += 1;
    }
    (out, (i + 1).min(chars.len()))
}

const EARLIEST: Date = Date { year: 1, month: 1, day: 1 };
const LATEST: Date = Date { year: 9999, month: 12, day: 31 };

/// `2024`, `2024-03`, `2024-03-15` (or with `/`), and ranges `A..B`, `A..`, `..B`.
pub(crate) fn parse_date_range(value: &str) -> Result<DateRange, FilterError> {
    let bad = |reason: String| FilterError::BadDate { value: value.to_string(), reason };
    let range = match value.split_once("..") {
        None => period(value).map_err(bad)?,
        Some(("", "")) => return Err(bad("a range needs a start, an end or both".into())),
        Some((a, b)) => {
            let from = if a.is_empty() { EARLIEST } else { period(a).map_err(bad)?.from };
            let to = if b.is_empty() { LATEST } else { period(b).map_err(bad)?.to };
            DateRange { from, to }
        }
    };
    if range.from > range.to {
        return Err(bad("the range ends before it starts".into()));
    }
    Ok(range)
}

/// The days a year, month or day covers.
fn period(s: &str) -> Result<DateRange, String> {
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    let shape = || format!("{s:?} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD");
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(shape());
    }
    if parts[0].len() != 4 {
        return Err(format!("year {:?} must have 4 digits", parts[0]));
    }
    let year: u16 = parts[0].parse().map_err(|_| shape())?;
    if year == 0 {
        return Err("there is no year 0000".into());
    }
    let Some(m) = parts.get(1) else {
        return Ok(DateRange {
            from: Date { year, month: 1, day: 1 },
            to: Date { year, month: 12, day: 31 },
        });
    };
    let month: u8 = match m.parse() {
        Ok(v) if m.len() <= 2 && (1..=12).contains(&v) => v,
        _ => return Err(format!("month {m:?} must be 01 to 12")),
    };
    let Some(d) = parts.get(2) else {
        let last = (28..=31).rev().find_map(|d| Date::new(year, month, d)).ok_or_else(shape)?;
        return Ok(DateRange { from: Date { year, month, day: 1 }, to: last });
    };
    let day = d
        .parse::<u8>()
        .ok()
        .filter(|_| d.len() <= 2)
        .and_then(|day| Date::new(year, month, day))
        .ok_or_else(|| format!("{year:04}-{month:02} has no day {d:?}"))?;
    Ok(DateRange { from: day, to: day })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let q = Query::parse(r#"  ransomware "lock bit" -test -"old news" "#).unwrap();
        let inc: Vec<(&str, bool)> = q.include.iter().map(|i| (i.pattern.text.as_str(), i.phrase)).collect();
        assert_eq!(inc, [("ransomware", false), ("lock bit", true)]);
        let exc: Vec<&str> = q.exclude.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(exc, ["test", "old news"]);
    }

    #[test]
    fn exact_and_short_quoted_latin_terms_are_literal() {
        let q = Query::parse(r#"'xz "xz" "lesuo" lsrj -'ad"#).unwrap();
        let inc: Vec<(&str, bool, bool)> =
            q.include.iter().map(|i| (i.pattern.text.as_str(), i.phrase, i.pattern.pinyin)).collect();
        assert_eq!(
            inc,
            [("xz", true, false), ("xz", true, false), ("lesuo", true, true), ("lsrj", false, true)]
        );
        assert_eq!((q.exclude[0].text.as_str(), q.exclude[0].pinyin), ("ad", false));
        let p = |s: &str| Query::parse(s).unwrap();
        assert!(!p("xz").narrows(&p("'x")));
        assert!(p("'xz").narrows(&p("x")));
    }

    #[test]
    fn fields_with_alternatives_quotes_and_negation() {
        let q = Query::parse(r#"source:"Hacker News",FreeBuf -tag:IOC Tag:跟进"#).unwrap();
        assert_eq!(q.fields.len(), 3);
        let s = |v: &str| v.chars().collect::<Vec<char>>();
        assert_eq!(q.fields[0], FieldTerm { negate: false, field: Field::Source(vec![s("hacker news")]) });
        assert_eq!(q.fields[1], FieldTerm { negate: true, field: Field::Tag(vec![s("ioc")]) });
        assert_eq!(q.fields[2], FieldTerm { negate: false, field: Field::Tag(vec![s("跟进")]) });
        // The `,FreeBuf` after the closing quote is a title word of its own.
        assert_eq!(q.include[0].pattern.text, ",FreeBuf");
    }

    #[test]
    fn unknown_field_names_are_title_words() {
        let q = Query::parse("CVE-2024:1234 http://x").unwrap();
        assert_eq!(q.include.len(), 2);
        assert!(q.fields.is_empty());
    }

    #[test]
    fn fullwidth_syntax_is_understood() {
        let q = Query::parse("ｓｏｕｒｃｅ：安全客　ＣＶＥ").unwrap();
        assert_eq!(q.fields.len(), 1);
        assert_eq!(q.include[0].pattern.text, "CVE");
    }

    #[test]
    fn unfinished_terms_are_not_errors() {
        for s in ["source:", "-", "tag:", "date:", "\"unclosed", "-\"", "\"\""] {
            let q = Query::parse(s).unwrap();
            assert!(s.contains("unclosed") || q.is_empty(), "{s}");
        }
        assert_eq!(Query::parse("\"unclosed phrase").unwrap().include[0].pattern.text, "unclosed phrase");
    }

    #[test]
    fn date_forms() {
        let r = |s: &str| parse_date_range(s).unwrap();
        assert_eq!(r("2024"), DateRange { from: d(2024, 1, 1), to: d(2024, 12, 31) });
        assert_eq!(r("2024-02"), DateRange { from: d(2024, 2, 1), to: d(2024, 2, 29) });
        assert_eq!(r("2023/2"), DateRange { from: d(2023, 2, 1), to: d(2023, 2, 28) });
        assert_eq!(r("2024-03-15"), DateRange { from: d(2024, 3, 15), to: d(2024, 3, 15) });
        assert_eq!(r("2024-01..2024-03"), DateRange { from: d(2024, 1, 1), to: d(2024, 3, 31) });
        assert_eq!(r("2024-06.."), DateRange { from: d(2024, 6, 1), to: LATEST });
        assert_eq!(r("..2023"), DateRange { from: EARLIEST, to: d(2023, 12, 31) });
    }

    #[test]
    fn bad_dates_say_why_in_one_line() {
        let e = |s: &str| Query::parse(s).unwrap_err().to_string();
        assert_eq!(e("date:2024-13"), "date:2024-13: month \"13\" must be 01 to 12");
        assert_eq!(e("date:2023-02-29"), "date:2023-02-29: 2023-02 has no day \"29\"");
        assert_eq!(e("date:24"), "date:24: year \"24\" must have 4 digits");
        assert_eq!(e("date:2024-05..2024-03"), "date:2024-05..2024-03: the range ends before it starts");
        assert_eq!(e("date:.."), "date:..: a range needs a start, an end or both");
        assert!(e("date:yesterday").contains("use YYYY, YYYY-MM or YYYY-MM-DD"));
        assert!(e("-date:2024-1-1-1").contains("is not a date"));
        for s in ["date:2024-13", "date:x", "date:2024-05..2024-03"] {
            assert!(!e(s).contains('\n'));
        }
    }

    #[test]
    fn narrows_when_a_term_grows() {
        let p = |s: &str| Query::parse(s).unwrap();
        assert!(p("ran").narrows(&p("ra")));
        assert!(p("ran").narrows(&p("")));
        assert!(p("ransom w").narrows(&p("ransom")));
        assert!(p("ransom wa").narrows(&p("ransom w")));
        assert!(p("lesu").narrows(&p("les")));
        assert!(p("\"lock b\"").narrows(&p("lock")));
        assert!(!p("ra").narrows(&p("ran")));
        assert!(!p("rna").narrows(&p("ran")));
        assert!(!p("\"lock\"").narrows(&p("\"lock b\"")));
    }

    #[test]
    fn narrows_for_exclusions_and_fields() {
        let p = |s: &str| Query::parse(s).unwrap();
        // Excluding a shorter word drops more.
        assert!(p("-ad").narrows(&p("-adv")));
        assert!(!p("-adv").narrows(&p("-ad")));
        assert!(p("source:freebuf").narrows(&p("source:free")));
        assert!(!p("source:free").narrows(&p("source:freebuf")));
        assert!(p("-source:free").narrows(&p("-source:freebuf")));
        assert!(p("source:a").narrows(&p("source:a,b")));
        assert!(!p("source:a,b").narrows(&p("source:a")));
        assert!(!p("tag:fol").narrows(&p("tag:fo")));
        assert!(p("tag:ioc x").narrows(&p("tag:ioc")));
        assert!(p("date:2024-02").narrows(&p("date:2024")));
        assert!(!p("date:2024").narrows(&p("date:2024-02")));
        assert!(p("-date:2024").narrows(&p("-date:2024-02")));
        assert!(!p("-tag:a").narrows(&p("tag:a")));
    }
}
