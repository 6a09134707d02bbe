//! YAML front matter: a strict serde_yaml parse first, a forgiving `key: value` reader after.

use std::collections::BTreeMap;

/// Front matter larger than this is not handed to serde_yaml, which bounds what an alias bomb
/// can expand to.
pub const MAX_STRICT_BYTES: usize = 16 * 1024;

/// Where the front matter sits in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences, or None when the text has no (closed) front matter.
    pub yaml: Option<&'a str>,
    /// Everything after the closing fence (or the whole text).
    pub body: &'a str,
}

/// Splits `text` at its front-matter fences. A text whose opening `---` is never closed is all body.
pub fn split(text: &str) -> Split<'_> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Split { yaml: None, body: text };
    }
    let mut pos = (first_end + 1).min(text.len());
    let yaml_start = pos;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            let body = &text[(end + 1).min(text.len())..];
            return Split { yaml: Some(&text[yaml_start..pos]), body };
        }
        pos = end + 1;
    }
    Split { yaml: None, body: text }
}

/// The parsed keys, every value as a string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub map: BTreeMap<String, String>,
    /// Strict YAML rejected the block and the line reader was used.
    pub fallback: bool,
}

impl Fields {
    /// A field's value, or None when it is missing or blank.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.map.get(key).map(|v| v.trim()).filter(|v| !v.is_empty())
    }
}

pub fn parse(yaml: &str) -> Fields {
    if let Some(fields) = parse_plain(yaml) {
        return fields;
    }
    if yaml.len() <= MAX_STRICT_BYTES
        && let Some(fields) = parse_yaml(yaml)
    {
        return fields;
    }
    Fields { map: parse_lines(yaml), fallback: true }
}

/// serde_yaml's reading, with known fields cut at ` #` restored; None when serde_yaml rejects it.
pub fn parse_yaml(yaml: &str) -> Option<Fields> {
    let mut map = parse_strict(yaml)?;
    let fallback = restore_comment_cuts(yaml, &mut map);
    Some(Fields { map, fallback })
}

/// Most front matter is `key: value` lines whose values YAML reads verbatim as strings. For those
/// the strict parse is known in advance, and skipping serde_yaml makes loading several times
/// faster. Anything else (quotes, flow or block syntax, comments, numbers, booleans,
/// continuation lines) returns None and goes through serde_yaml.
pub fn parse_plain(yaml: &str) -> Option<Fields> {
    // YAML rejects a document with a non-printable character anywhere, comments included, so
    // such front matter goes the long way (found by the frontmatter fuzz target).
    if !yaml.chars().all(yaml_printable) {
        return None;
    }
    let mut out = Fields::default();
    for line in yaml.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let (key, value) = key_value(line)?;
        if out.map.contains_key(key) {
            return None;
        }
        // ` #` starts a comment for serde_yaml; in a known field the text is restored as written
        // (see restore_comment_cuts), elsewhere the cut is kept, so only known fields qualify.
        let (checked, comment) = match value.split_once(" #") {
            Some((before, _)) if is_known(key) && !before.trim().is_empty() => (before, true),
            Some(_) => return None,
            None => (value, false),
        };
        if !plain_string(checked) {
            return None;
        }
        out.fallback |= comment;
        out.map.insert(key.to_string(), value.trim().to_string());
    }
    Some(out)
}

fn plain_string(v: &str) -> bool {
    let t = v.trim();
    if t.is_empty() {
        // YAML reads an empty value as null, which becomes "" like here.
        return v.is_empty() || v.chars().all(|c| c == ' ');
    }
    let first = t.chars().next().unwrap_or(' ');
    let special_start =
        "[]{}'\"&*!|>%@`#,?:-~".contains(first) || first.is_ascii_digit() || first == '.' || first == '+';
    let lower = t.to_ascii_lowercase();
    let keyword =
        matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n");
    // A value starting with a digit is a number, date or time only in some forms: the common
    // ISO date and timestamp are plain strings to serde_yaml, anything else goes the long way.
    let iso_date = first.is_ascii_digit() && is_iso_date_or_time(t);
    (!special_start || iso_date)
        && !keyword
        && !t.contains(": ")
        && !t.contains(" #")
        && !t.ends_with(':')
        && !t.contains('\t')
        && !t.chars().any(char::is_control)
        && t.len() == v.trim_start_matches(' ').len()
}

fn is_iso_date_or_time(t: &str) -> bool {
    let b = t.as_bytes();
    let date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    date && (b.len() == 10
        || (b[10] == b'T' && b[11..].iter().all(|c| c.is_ascii_digit() || b":.".contains(c))))
}

/// serde_yaml's reading, every scalar as a string; None when it rejects the block.
pub fn parse_strict(yaml: &str) -> Option<BTreeMap<String, String>> {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).ok()?;
    let mapping = match value {
        serde_yaml::Value::Mapping(m) => m,
        serde_yaml::Value::Null => return Some(BTreeMap::new()),
        _ => return None,
    };
    let mut out = BTreeMap::new();
    for (k, v) in mapping {
        let Some(key) = scalar(&k) else { continue };
        // A nested value in a known field means YAML read something else than the author meant,
        // e.g. `title: [webapps] Foo` as a list: let the line reader take the text as written.
        match scalar(&v) {
            Some(val) => {
                out.insert(key, val);
            }
            None if is_known(&key) => return None,
            None => {}
        }
    }
    Some(out)
}

/// Strict YAML reads ` #` in a plain value as the start of a comment, silently cutting titles
/// such as `Patch Tuesday #2`. Known fields take the text as written instead. Returns whether
/// any field was restored.
fn restore_comment_cuts(yaml: &str, map: &mut BTreeMap<String, String>) -> bool {
    let mut restored = false;
    for line in yaml.lines() {
        let Some((key, raw)) = key_value(line.trim_end_matches('\r')) else { continue };
        let raw = raw.trim();
        if !is_known(key) || !raw.contains(" #") || raw.starts_with(['"', '\'', '|', '>']) {
            continue;
        }
        if let Some(v) = map.get_mut(key)
            && v.as_str() != raw
            && raw.starts_with(v.as_str())
        {
            *v = raw.to_string();
            restored = true;
        }
    }
    restored
}

fn is_known(key: &str) -> bool {
    matches!(key, "title" | "url" | "source" | "date" | "fetch_date")
}

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

/// Reads `key: value` lines, splitting at the first `: `; other lines continue the last value.
fn parse_lines(yaml: &str) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in yaml.lines() {
        let line = line.trim_end_matches('\r');
        if let Some((key, value)) = key_value(line) {
            out.insert(key.to_string(), unquote(value.trim()).to_string());
            last = Some(key.to_string());
        } else if let Some(v) = last.as_ref().and_then(|k| out.get_mut(k)) {
            let more = line.trim();
            if !more.is_empty() {
                if !v.is_empty() {
                    v.push(' ');
                }
                v.push_str(more);
            }
        }
    }
    out
}

fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = match line.split_once(": ") {
        Some(kv) => kv,
        None => (line.strip_suffix(':')?, ""),
    };
    // A key YAML reads as a bool or null ("FALSE", "Null") comes back from serde_yaml spelled
    // differently: those go the long way (found by the frontmatter fuzz target).
    let lower = key.to_ascii_lowercase();
    let keyword =
        matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n");
    let ok = !key.is_empty()
        && !keyword
        && key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then_some((key, value))
}

/// YAML 1.2's printable set (tab, line breaks, and everything visible).
fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_keys_are_left_to_serde_yaml() {
        // Fuzz regression: serde_yaml reads the key `FALSE` as the bool false.
        let yaml = "FALSE: \u{e000}\u{f8ff}\u{fffd}p a rivate use\n";
        assert_eq!(parse_plain(yaml), None);
        // Fuzz regression: NUL after a ` #` in a known field makes the whole document invalid YAML.
        let yaml = "title: 安全早报 #128 | \0\0商修复\nsource: 示例 #date: 2025-08-05\n";
        assert_eq!(parse_plain(yaml), None);
        assert_eq!(parse_yaml(yaml), None);
        for yaml in ["FALSE: x\n", "Null: x\n", "yes: x\ntitle: t\n", "On: x\n", "title: a\u{7f}b\n"] {
            assert!(parse_plain(yaml).is_none_or(|f| Some(f) == parse_yaml(yaml)), "{yaml:?}");
        }
    }

    #[test]
    fn split_finds_fences() {
        let s = split("---\ntitle: a\n---\n# body\n");
        assert_eq!(s.yaml, Some("title: a\n"));
        assert_eq!(s.body, "# body\n");
    }

    #[test]
    fn unclosed_front_matter_is_body() {
        let text = "---\ntitle: a\nno end";
        assert_eq!(split(text), Split { yaml: None, body: text });
    }

    #[test]
    fn strict_yaml() {
        let f = parse("title: 标题\nsource: 安全内参\ndate: 2025-01-17\nextra: [1, 2]\n");
        assert!(!f.fallback);
        assert_eq!(f.get("title"), Some("标题"));
        assert_eq!(f.get("date"), Some("2025-01-17"));
    }

    #[test]
    fn fallback_for_webapps_and_colons() {
        let f = parse("title: [webapps] Foo 1.0 - SQLi\nsource: Exploit-DB\n");
        assert!(f.fallback);
        assert_eq!(f.get("title"), Some("[webapps] Foo 1.0 - SQLi"));
        let f = parse("title: 漏洞预警: 某产品 #1 存在 RCE\nurl: https://x.example/a?b=c\n");
        assert_eq!(f.get("title"), Some("漏洞预警: 某产品 #1 存在 RCE"));
        assert_eq!(f.get("url"), Some("https://x.example/a?b=c"));
    }

    #[test]
    fn fallback_joins_continuation_lines() {
        let f = parse("title: a: b\nsource: Think\nLove\nShare\ndate: 2023-07-29\n");
        assert!(f.fallback);
        assert_eq!(f.get("source"), Some("Think Love Share"));
        assert_eq!(f.get("date"), Some("2023-07-29"));
    }

    #[test]
    fn hash_in_title_is_not_a_comment() {
        let f = parse("title: Patch Tuesday #2 修复 60 个漏洞\nsource: a # b\nextra: x # real comment\n");
        assert!(f.fallback);
        assert_eq!(f.get("title"), Some("Patch Tuesday #2 修复 60 个漏洞"));
        assert_eq!(f.get("source"), Some("a # b"));
        assert_eq!(f.get("extra"), Some("x"));
    }

    #[test]
    fn plain_fast_path_agrees_with_serde_yaml() {
        let cases = [
            "title: 首个AI驱动的勒索软件组织\nurl: https://mp.weixin.qq.com/s?__biz=x&mid=1#rd\nsource: 安全内参\ndate: 2025-01-17\nfetch_date: 2025-10-06T20:10:43.527506\n",
            "title: Patch Tuesday, part two\nsource: \ndate: 2024-02-29\n",
            "title: It's fine\nsource: a-b_c (d)\n",
        ];
        for yaml in cases {
            let fast = parse_plain(yaml).expect("plain");
            assert_eq!(Some(fast), parse_yaml(yaml), "{yaml}");
        }
        let hash = "title: Patch Tuesday #2 \nextra: x\n";
        assert_eq!(parse_plain(hash), parse_yaml(hash));
        assert!(parse_plain(hash).is_some_and(|f| f.fallback));
        for yaml in [
            "title: [webapps] x\n",
            "title: 2024\n",
            "title: yes\n",
            "title: \"q\"\n",
            "extra: a #b\n",
            "source: Think\nLove\n",
            "title: a\ntitle: b\n",
            "title: *ref\n",
            "date: 2024-01-01 10:00\n",
        ] {
            assert_eq!(parse_plain(yaml), None, "{yaml}");
        }
    }

    #[test]
    fn empty_values_are_missing() {
        let f = parse("title: \nsource:\n");
        assert_eq!(f.get("title"), None);
        assert_eq!(f.get("source"), None);
    }
}
