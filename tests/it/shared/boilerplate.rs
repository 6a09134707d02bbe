//! Boilerplate stripping scored against the hand-labelled dev set in ../shared/gold.

use yuedu::document::boilerplate::{self, Meta};

use crate::util::shared;

/// The dev labels in ../shared, scored the way `score_clean.py` scores them (token bags).
#[test]
#[ignore = "needs ../shared"]
fn dev_labels_score_well() {
    let text = std::fs::read_to_string(shared("gold/dev_labels.jsonl")).unwrap();
    let corpus = shared("corpus");
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let g: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = corpus.join(g["path"].as_str().unwrap());
        let article = yuedu::corpus::load_file(&path).unwrap();
        let body = yuedu::corpus::read_body(&path).unwrap();
        let meta = Meta {
            title: &article.title,
            source: &article.source,
            url: article.url.as_deref().unwrap_or(""),
        };
        let cleaned = boilerplate::clean(&body.text, &meta);
        let file = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = file.split('\n').map(|l| l.trim_end_matches('\r')).collect();
        let pick = |key: &str| {
            let mut s = String::new();
            for r in g[key].as_array().into_iter().flatten() {
                let (a, b) = (r[0].as_u64().unwrap() as usize, r[1].as_u64().unwrap() as usize);
                for l in &lines[a - 1..b.min(lines.len())] {
                    s.push_str(l);
                    s.push('\n');
                }
            }
            s
        };
        let gold = bag(&pick("keep"));
        let neutral = bag(&pick("neutral"));
        let mut sys = bag(&cleaned.markdown);
        for (k, n) in &neutral {
            if let Some(v) = sys.get_mut(k) {
                *v = v.saturating_sub(*n);
            }
        }
        let hit: usize = sys.iter().map(|(k, n)| (*n).min(*gold.get(k).unwrap_or(&0))).sum();
        tp += hit;
        fp += sys.values().sum::<usize>() - hit;
        fneg += gold.values().sum::<usize>() - hit;
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fneg).max(1) as f64;
    let f = 2.0 * p * r / (p + r).max(f64::EPSILON);
    println!("dev labels: P={p:.3} R={r:.3} F1={f:.3}");
    assert!(r >= 0.97 && f >= 0.95, "P={p:.3} R={r:.3} F1={f:.3}");
}

/// Tokens as the scorer counts them: CJK characters and ASCII words, after images, link
/// targets, tags and URLs are removed.
fn bag(text: &str) -> std::collections::HashMap<String, usize> {
    let mut plain = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('[') {
        plain.push_str(&rest[..i]);
        let image = plain.ends_with('!');
        if image {
            plain.pop();
        }
        let after = &rest[i + 1..];
        match after.find(']').filter(|&j| after[j + 1..].starts_with('(')) {
            Some(j) => {
                if !image {
                    plain.push_str(&after[..j]);
                }
                let tail = &after[j + 2..];
                rest = tail.find(')').map_or("", |k| &tail[k + 1..]);
            }
            None => {
                plain.push('[');
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    let mut out = std::collections::HashMap::new();
    for word in plain.to_lowercase().split_whitespace() {
        if word.starts_with("http://") || word.starts_with("https://") || word.starts_with("www.") {
            continue;
        }
        let mut cur = String::new();
        for c in word.chars() {
            if c.is_ascii_alphanumeric() {
                cur.push(c);
                continue;
            }
            if !cur.is_empty() {
                *out.entry(std::mem::take(&mut cur)).or_insert(0) += 1;
            }
            if matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{3040}'..='\u{30ff}' | '\u{ac00}'..='\u{d7af}')
            {
                *out.entry(c.to_string()).or_insert(0) += 1;
            }
        }
        if !cur.is_empty() {
            *out.entry(cur).or_insert(0) += 1;
        }
    }
    out
}
