//! Loads all of `../shared/corpus`, the sample of the real archive: every file must be loaded,
//! reported or merged, and strict-YAML front matter must come through unchanged.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use yuedu::corpus::{self, Article};

/// Article files on disk, counted independently of the loader (hidden folders excluded, as documented).
fn files_on_disk(root: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter(|e| {
            e.path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| corpus::EXTENSIONS.iter().any(|k| k.eq_ignore_ascii_case(x)))
        })
        .map(|e| e.into_path())
        .collect()
}

#[test]
#[ignore = "needs ../shared"]
fn every_file_is_loaded_reported_or_merged() {
    let corpus = super::corpus();
    let disk = files_on_disk(&corpus.root);
    let dropped: Vec<&PathBuf> = corpus.duplicates.iter().flat_map(|d| &d.dropped).collect();
    let accounted: Vec<&PathBuf> = corpus
        .articles
        .iter()
        .map(|a| &a.path)
        .chain(corpus.problems.iter().map(|p| &p.path))
        .chain(dropped.iter().copied())
        .collect();
    let unique: BTreeSet<PathBuf> = accounted.iter().map(|p| (*p).clone()).collect();
    assert_eq!(accounted.len(), unique.len(), "a file was counted twice");
    let missing: Vec<_> = disk.difference(&unique).collect();
    let extra: Vec<_> = unique.difference(&disk).collect();
    assert!(missing.is_empty(), "files neither loaded nor reported: {missing:#?}");
    assert!(extra.is_empty(), "paths that are not article files: {extra:#?}");
    println!(
        "{} files: {} articles, {} problems, {} duplicate copies merged",
        disk.len(),
        corpus.articles.len(),
        corpus.problems.len(),
        dropped.len()
    );
    for p in &corpus.problems {
        assert!(!p.reason.is_empty() && !p.reason.contains('\n'), "{p:?}");
    }
}

#[test]
#[ignore = "needs ../shared"]
fn every_body_reads_without_error() {
    let corpus = super::corpus();
    let mut html = 0;
    for a in &corpus.articles {
        let body = corpus::read_body(&a.path).unwrap_or_else(|e| panic!("{}: {e}", a.path.display()));
        html += usize::from(body.was_html);
        assert!(!body.text.contains('\r'), "{}", a.path.display());
    }
    println!("{} bodies read, {html} converted from raw HTML", corpus.articles.len());
}

/// The YAML between the fences, read here independently of the loader.
fn front_matter(text: &str) -> Option<String> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text).replace("\r\n", "\n");
    let rest = text.strip_prefix("---\n")?;
    let end = rest.lines().position(|l| l.trim_end() == "---")?;
    Some(rest.lines().take(end).map(|l| format!("{l}\n")).collect())
}

/// As the loader stores a field: sanitized (invisible and control characters go), on one line.
fn collapse(s: &str) -> String {
    yuedu::document::sanitize(&entities(s)).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// HTML entities in a front-matter value, which the loader decodes (`&amp;` and `&` are one
/// source): named ones scrapers leave, and numeric ones.
fn entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.as_bytes()[..rest.len().min(12)].iter().position(|&b| b == b';');
        let c = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix('#')
                    .and_then(|n| match n.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok(),
                        None => n.parse().ok(),
                    })
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match c {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A scalar's text as the author wrote it; None for a list or mapping.
fn scalar(v: &serde_yaml::Value) -> Option<String> {
    use serde_yaml::Value;
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Tagged(t) => scalar(&t.value),
        Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

/// Strict YAML cuts a plain value at ` #` (a comment); the loader keeps the whole text, as written.
fn uncut(yaml: &str, key: &str, parsed: String) -> String {
    let prefix = format!("{key}: ");
    let Some(raw) = yaml.lines().find_map(|l| l.strip_prefix(&prefix)).map(str::trim) else {
        return parsed;
    };
    let plain = !raw.starts_with(['"', '\'', '|', '>']);
    if plain && raw.contains(" #") && raw != parsed && raw.starts_with(parsed.as_str()) {
        raw.to_string()
    } else {
        parsed
    }
}

/// `YYYY-MM-DD` at the start of a front-matter date, if it is a real day.
fn day(s: &str) -> Option<String> {
    let d = s.trim().get(..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
        return None;
    }
    let (y, m, dd): (u32, u32, u32) = (d[..4].parse().ok()?, d[5..7].parse().ok()?, d[8..].parse().ok()?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let len = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (y >= 1 && (1..=12).contains(&m) && dd >= 1 && dd <= len[m as usize - 1]).then(|| d.to_string())
}

#[test]
#[ignore = "needs ../shared"]
fn strict_yaml_fields_match_the_front_matter() {
    let corpus = super::corpus();
    let (mut strict, mut rejected, mut nested, mut failures) = (0, 0, 0, Vec::new());
    for a in &corpus.articles {
        let Ok(text) = std::fs::read_to_string(&a.path) else { continue };
        let Some(yaml) = front_matter(&text) else { continue };
        let Ok(map) = serde_yaml::from_str::<serde_yaml::Mapping>(&yaml) else {
            rejected += 1;
            continue;
        };
        let field = |k: &str| map.get(k).map_or(Some(String::new()), scalar);
        let (Some(title), Some(source), Some(date)) = (field("title"), field("source"), field("date")) else {
            nested += 1; // e.g. `title: [a, b]`: the loader reads the text as written instead
            continue;
        };
        strict += 1;
        failures.extend(compare(
            a,
            "title",
            &collapse(&uncut(&yaml, "title", title)),
            &a.title,
            a.derived.title,
        ));
        failures.extend(compare(
            a,
            "source",
            &collapse(&uncut(&yaml, "source", source)),
            &a.source,
            a.derived.source,
        ));
        match day(&date) {
            Some(d) if a.date.to_string() != d || a.derived.date => failures.push(format!(
                "{}: date {d:?} loaded as {} (derived {})",
                a.path.display(),
                a.date,
                a.derived.date
            )),
            None if !a.derived.date => {
                failures.push(format!("{}: date {date:?} is no day but was not derived", a.path.display()))
            }
            _ => {}
        }
    }
    println!(
        "{strict} files strict YAML accepts checked; {rejected} rejected (fallback); {nested} with a list or map value"
    );
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert!(strict > 0, "no strict-YAML file was checked");
}

/// A present value must be loaded as is; an empty one must be derived.
fn compare(a: &Article, key: &str, want: &str, got: &str, derived: bool) -> Option<String> {
    let ok = if want.is_empty() { derived && !got.is_empty() } else { !derived && got == want };
    (!ok).then(|| format!("{}: {key} {want:?} loaded as {got:?} (derived {derived})", a.path.display()))
}
