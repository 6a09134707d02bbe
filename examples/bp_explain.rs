//! Dev tool: prints each block of the given articles with its boilerplate label and reason.
use yuedu::corpus;
use yuedu::document::boilerplate::{Meta, Stripper};

fn main() {
    let s = Stripper::builtin();
    let mode = std::env::args().nth(1).unwrap_or_default();
    if mode == "hostile" {
        let meta = Meta { title: "t", source: "s", url: "" };
        let huge_line = "没有换行的一整行文字，".repeat(300_000);
        let nested = "* ".repeat(20_000) + "deep";
        let n: usize = std::env::var("N").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
        let brackets = "[".repeat(n) + &"](".repeat(n / 2);
        let quotes = "> ".repeat(10_000) + "quoted";
        let many_lines = "Share\n\n".repeat(100_000);
        let controls = "\u{FFFD}\r\n\u{202E}\0\t".repeat(10_000);
        for (name, body) in [
            ("huge", &huge_line),
            ("nested", &nested),
            ("brackets", &brackets),
            ("quotes", &quotes),
            ("many", &many_lines),
            ("controls", &controls),
        ] {
            let t = std::time::Instant::now();
            let c = s.clean(body, &meta, None);
            println!("{name}: {:?} kept {}", t.elapsed(), c.markdown.len());
        }
        return;
    }
    if mode == "tdiff" {
        let corpus = yuedu::corpus::Corpus::load(std::path::Path::new("/work/shared/corpus")).unwrap();
        let bodies: Vec<(String, String)> = corpus
            .articles
            .iter()
            .filter_map(|a| corpus::read_body(&a.path).ok().map(|b| (a.source.clone(), b.text)))
            .collect();
        let t = yuedu::document::boilerplate::Templates::learn(
            bodies.iter().map(|(s, b)| (s.as_str(), b.as_str())),
        );
        for p in std::env::args().skip(2) {
            let path = std::path::Path::new(&p);
            let a = corpus::load_file(path).unwrap();
            let body = corpus::read_body(path).unwrap();
            let meta = Meta { title: &a.title, source: &a.source, url: a.url.as_deref().unwrap_or("") };
            let c = s.clean(&body.text, &meta, None);
            let ct = s.clean(&body.text, &meta, t.for_source(&a.source));
            println!("===== {}", p);
            let kept: std::collections::HashSet<&str> = ct.markdown.lines().collect();
            for l in c.markdown.lines() {
                if !kept.contains(l) && !l.trim().is_empty() {
                    let x: String = l.chars().take(120).collect();
                    println!("  - {}", x);
                }
            }
        }
        return;
    }
    if mode == "learn" {
        let root = std::env::args().nth(2).unwrap();
        let corpus = yuedu::corpus::Corpus::load(std::path::Path::new(&root)).unwrap();
        let t0 = std::time::Instant::now();
        let bodies: Vec<(String, String)> = corpus
            .articles
            .iter()
            .filter_map(|a| corpus::read_body(&a.path).ok().map(|b| (a.source.clone(), b.text)))
            .collect();
        let t1 = std::time::Instant::now();
        let total: usize = bodies.iter().map(|b| b.1.len()).sum();
        let t = yuedu::document::boilerplate::Templates::learn(
            bodies.iter().map(|(s, b)| (s.as_str(), b.as_str())),
        );
        let t2 = std::time::Instant::now();
        let mut hidden = 0usize;
        let mut hidden_t = 0usize;
        let mut empty = 0;
        let mut empty_t = 0;
        for (a, (src, body)) in corpus.articles.iter().zip(&bodies) {
            let meta = Meta { title: &a.title, source: src, url: a.url.as_deref().unwrap_or("") };
            let c = s.clean(body, &meta, None);
            let ct = s.clean(body, &meta, t.for_source(src));
            hidden += c.hidden_lines;
            hidden_t += ct.hidden_lines;
            empty += c.empty as usize;
            empty_t += ct.empty as usize;
            if c.empty != ct.empty || ct.hidden_lines > c.hidden_lines + 10 {
                println!(
                    "DIFF {} {} {} {} {}",
                    c.empty,
                    ct.empty,
                    c.hidden_lines,
                    ct.hidden_lines,
                    a.path.display()
                );
            }
        }
        let t3 = std::time::Instant::now();
        println!(
            "articles {} bytes {} read {:?} learn {:?} templates {} clean x2 {:?}",
            bodies.len(),
            total,
            t1 - t0,
            t2 - t1,
            t.len(),
            t3 - t2
        );
        println!("hidden {} with templates {}; empty {} with templates {}", hidden, hidden_t, empty, empty_t);
        let json = serde_json::to_string(&t).unwrap();
        println!("template json bytes {}", json.len());
        return;
    }
    for p in std::env::args().skip(2) {
        let path = std::path::Path::new(&p);
        let a = match corpus::load_file(path) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("{p}: {e:?}");
                continue;
            }
        };
        let body = corpus::read_body(path).unwrap();
        let meta = Meta { title: &a.title, source: &a.source, url: a.url.as_deref().unwrap_or("") };
        if mode == "edges" {
            let c = s.clean(&body.text, &meta, None);
            let kept: Vec<&str> = c.markdown.lines().filter(|l| !l.trim().is_empty()).collect();
            println!("===== {} empty={} kept={} hidden={}", p, c.empty, kept.len(), c.hidden_lines);
            let n = kept.len();
            for (i, l) in kept.iter().enumerate() {
                if i < 4 || i + 4 >= n {
                    let t: String = l.chars().take(120).collect();
                    println!("  {} {}", if i < 4 { "H" } else { "T" }, t);
                } else if i == 4 {
                    println!("  ...");
                }
            }
            continue;
        }
        if mode == "full" {
            let c = s.clean(&body.text, &meta, None);
            println!("===== {} empty={}", p, c.empty);
            println!("{}", c.markdown);
            continue;
        }
        if mode == "lost" {
            let lines: Vec<&str> = body.text.split('\n').collect();
            let mut head = false;
            for r in s.explain(&body.text, &meta, None) {
                if matches!(r.reason, yuedu::document::boilerplate::Reason::Content) {
                    continue;
                }
                let text: String = lines[r.first..r.end].join(" ");
                let plain = text.chars().filter(|c| c.is_alphabetic()).count();
                if plain >= 60 && !text.contains("](") {
                    if !head {
                        println!("===== {}", p);
                        head = true;
                    }
                    let t: String = text.chars().take(160).collect();
                    println!("  {:4} {:?} {}", r.first, r.reason, t);
                }
            }
            continue;
        }
        if mode == "clean" {
            let c = s.clean(&body.text, &meta, None);
            println!("===== {} empty={} hidden={}", p, c.empty, c.hidden_lines);
            println!("{}", c.markdown);
            continue;
        }
        let lines: Vec<&str> = body.text.split('\n').collect();
        println!("===== {}", p);
        for r in s.explain(&body.text, &meta, None) {
            let tag = format!("{:?}", r.reason);
            for l in r.first..r.end {
                let t = lines[l];
                if t.trim().is_empty() {
                    continue;
                }
                let t: String = t.chars().take(110).collect();
                let mark = if tag == "Content" { "K" } else { "-" };
                println!("{:4} {} {:12} {}", l, mark, if l == r.first { tag.as_str() } else { "" }, t);
            }
        }
    }
}
