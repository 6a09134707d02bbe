//! The store's JSON: written one article per line, and read back line by line when it is still
//! laid out that way (a store of 120,000 articles parses several times faster so), else by a
//! general JSON parser (a file edited by hand).

use serde::Deserialize;

use super::Entry;
use super::file::{Entries, FORMAT_VERSION, Loaded};
use super::kept::{self, Kept, Written};

/// By far the most common entry: read, no tags.
const READ_ONLY: &str = r#"{"read":true}"#;

#[derive(Deserialize)]
struct OnDisk {
    version: u32,
    /// Read entry by entry: one of the wrong shape is kept aside, not the whole store lost.
    #[serde(default)]
    articles: std::collections::BTreeMap<String, serde_json::Value>,
}

pub fn parse(bytes: &[u8]) -> Loaded {
    // An empty file is what `touch` leaves; it holds nothing worth moving aside.
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Loaded::Parsed { entries: Entries::new(), kept: Kept::default(), version: FORMAT_VERSION };
    }
    if let Some((typed, version)) = parse_as_written(bytes) {
        let (entries, kept) = kept::split_typed(typed);
        return Loaded::Parsed { entries, kept, version };
    }
    match serde_json::from_slice::<OnDisk>(bytes) {
        Ok(d) => {
            let (entries, kept) = kept::split(d.articles);
            Loaded::Parsed { entries, kept, version: d.version }
        }
        Err(e) => Loaded::Corrupt(e.to_string()),
    }
}

/// An id that [`serialize`] writes between quotes as it is: nothing JSON would escape.
fn plain_key(id: &str) -> bool {
    !id.chars().any(|c| c == '"' || c == '\\' || c.is_control())
}

/// The exact layout [`serialize`] writes, or None (then the general parser decides). Every
/// entry's value still goes through serde unless it is [`READ_ONLY`].
fn parse_as_written(bytes: &[u8]) -> Option<(Entries, u32)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.split('\n');
    if lines.next()? != "{" {
        return None;
    }
    let version: u32 = lines.next()?.strip_prefix("  \"version\": ")?.strip_suffix(',')?.parse().ok()?;
    let mut pairs: Vec<(String, Entry)> = Vec::new();
    match lines.next()? {
        "  \"articles\": {}" => {}
        "  \"articles\": {" => {
            let mut more = true;
            loop {
                let line = lines.next()?;
                if line == "  }" {
                    // The last entry has no comma, and there is at least one.
                    if more || pairs.is_empty() {
                        return None;
                    }
                    break;
                }
                if !more {
                    return None;
                }
                let line = line.strip_prefix("    \"")?;
                let (line, comma) = match line.strip_suffix(',') {
                    Some(l) => (l, true),
                    None => (line, false),
                };
                more = comma;
                let (id, value) = line.split_once("\": ")?;
                if !plain_key(id) {
                    return None;
                }
                let entry = if value == READ_ONLY {
                    Entry { tags: Default::default(), read: true, pos: 0 }
                } else {
                    serde_json::from_str::<Entry>(value).ok()?
                };
                pairs.push((id.to_string(), entry));
            }
        }
        _ => return None,
    }
    if lines.next()? != "}" || !lines.next()?.is_empty() || lines.next().is_some() {
        return None;
    }
    // Written in key order; from_iter builds a sorted run in one pass (a repeated key keeps the
    // last value, as the general parser does).
    Some((pairs.into_iter().collect(), version))
}

/// One article per line, so the file stays readable and diffs well. What `kept` holds is
/// written back with the rest.
pub fn serialize(entries: &Entries, kept: &Kept) -> String {
    let mut out = String::with_capacity(64 + entries.len() * 40);
    out.push_str(&format!("{{\n  \"version\": {FORMAT_VERSION},\n  \"articles\": {{"));
    let all = kept::merged(entries, kept);
    let empty = all.is_empty();
    for (i, (id, written)) in all.into_iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        if plain_key(id) {
            out.push('"');
            out.push_str(id);
            out.push('"');
        } else {
            // Serializing strings and plain derived structs cannot fail.
            out.push_str(&serde_json::to_string(id).unwrap_or_default());
        }
        out.push_str(": ");
        match written {
            Written::Entry(entry) if entry.read && entry.tags.is_empty() && entry.pos == 0 => {
                out.push_str(READ_ONLY)
            }
            Written::Entry(entry) => out.push_str(&serde_json::to_string(&*entry).unwrap_or_default()),
            Written::Raw(value) => out.push_str(&serde_json::to_string(value).unwrap_or_default()),
        }
    }
    out.push_str(if empty { "}\n}\n" } else { "\n  }\n}\n" });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn general(text: &str) -> Loaded {
        match serde_json::from_str::<OnDisk>(text) {
            Ok(d) => {
                let (entries, kept) = kept::split(d.articles);
                Loaded::Parsed { entries, kept, version: d.version }
            }
            Err(e) => Loaded::Corrupt(e.to_string()),
        }
    }

    #[test]
    fn layout_is_one_article_per_line() {
        let mut e = Entries::new();
        e.insert(
            "b".into(),
            Entry { tags: ["ioc".to_string(), "周报".to_string()].into(), read: true, pos: 0 },
        );
        e.insert("a".into(), Entry { tags: Default::default(), read: true, pos: 0 });
        e.insert("q\"\\".into(), Entry { tags: ["x\"y".to_string()].into(), read: false, pos: 0 });
        let text = serialize(&e, &Kept::default());
        assert_eq!(
            text,
            "{\n  \"version\": 1,\n  \"articles\": {\n    \"a\": {\"read\":true},\n    \
             \"b\": {\"tags\":[\"ioc\",\"周报\"],\"read\":true},\n    \
             \"q\\\"\\\\\": {\"tags\":[\"x\\\"y\"]}\n  }\n}\n"
        );
        match parse(text.as_bytes()) {
            Loaded::Parsed { entries, version, .. } => assert_eq!((entries, version), (e, 1)),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            serialize(&Entries::new(), &Kept::default()),
            "{\n  \"version\": 1,\n  \"articles\": {}\n}\n"
        );
    }

    #[test]
    fn the_line_reader_agrees_with_the_general_parser() {
        let mut e = Entries::new();
        for i in 0..50 {
            let tags = (0..i % 3).map(|t| format!("t{t}")).collect();
            e.insert(format!("{i:016x}"), Entry { tags, read: i % 2 == 0, pos: 0 });
        }
        let text = serialize(&e, &Kept::default());
        assert!(parse_as_written(text.as_bytes()).is_some());
        let variants = [
            text.clone(),
            text.replacen(",\n", "\n", 1),
            text.replacen("\n  }", ",\n  }", 1),
            text.replacen("{\"read\":true}", "{\"read\":true} ", 1),
            text.replacen("\"version\": 1", "\"version\": 2", 1),
            text.replacen("\"version\": 1", "\"version\": x", 1),
            format!("{text} "),
            text.replacen("}\n}\n", "}\n}\n{}", 1),
            text.replacen("0000000000000003", "0000000000000001", 1),
            text.replacen("{\"read\":true}", "{\"read\":true,\"tags\":[1]}", 1),
            "{\n  \"version\": 1,\n  \"articles\": {\n  }\n}\n".to_string(),
        ];
        for v in variants {
            assert_eq!(format!("{:?}", parse(v.as_bytes())), format!("{:?}", general(&v)), "{v}");
        }
    }

    #[test]
    fn what_is_not_a_store() {
        for bad in [
            "{",
            "[]",
            "{\"articles\":{}}",
            "{\"version\":1} x",
            "\u{0}\u{1}",
            "{\"version\":1,\"articles\":[]}",
        ] {
            assert!(matches!(parse(bad.as_bytes()), Loaded::Corrupt(_)), "{bad:?}");
        }
        assert!(matches!(parse(b" \n"), Loaded::Parsed { .. }));
        assert!(matches!(parse(b"{\"version\":2,\"x\":1}"), Loaded::Parsed { version: 2, .. }));
    }

    #[test]
    fn a_bad_entry_or_tag_is_kept_out_of_view_and_written_back() {
        let text = "{\"version\":1,\"articles\":{\"a\":{\"read\":\"yes\"},\"b\":{\"tags\":[\"ok\",\"x\\u001b]52;c;QQ==\\u0007\",\"l1\\nl2\"],\"read\":true}}}";
        let Loaded::Parsed { entries, kept, .. } = parse(text.as_bytes()) else { panic!() };
        assert_eq!(entries.len(), 1);
        assert_eq!(entries["b"].tags.iter().collect::<Vec<_>>(), ["ok"]);
        assert!(entries["b"].read);
        assert_eq!(kept.raw.len(), 1);
        assert_eq!(kept.tags["b"].len(), 2);
        let again = serialize(&entries, &kept);
        let Loaded::Parsed { entries: e2, kept: k2, .. } = parse(again.as_bytes()) else { panic!() };
        assert_eq!((e2, k2), (entries, kept));
        assert!(again.contains("\"a\": {\"read\":\"yes\"}"), "{again}");
    }
}
