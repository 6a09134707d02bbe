//! Filter speed over 150,000 titles: preparing them, one keystroke for typical queries, and
//! (group `app`) a keystroke typed into the TUI's prompt, highlights of a screenful included.
//!
//! Titles come from `../shared/corpus` (or the folder in `YUEDU_BENCH_CORPUS`), replicated with
//! varied dates and suffixes, when it is present; otherwise from a generator of mixed Chinese and
//! English security headlines.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group};
use yuedu::corpus::{Corpus, Date};
use yuedu::filter::{Query, Record, filter, prepare_all};

const N: usize = 150_000;

struct Item {
    title: String,
    source: String,
    date: Date,
}

fn corpus_items() -> Option<Vec<Item>> {
    let root = match std::env::var_os("YUEDU_BENCH_CORPUS") {
        Some(dir) => dir.into(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    let corpus = Corpus::load(&root).ok()?;
    let base: Vec<&yuedu::corpus::Article> = corpus.articles.iter().filter(|a| !a.title.is_empty()).collect();
    if base.is_empty() {
        return None;
    }
    eprintln!("titles: {} from {} (replicated)", N, root.display());
    Some(
        (0..N)
            .map(|i| {
                let a = base[i % base.len()];
                let copy = i / base.len();
                // Vary each copy a little so no two titles are the same string.
                let title = if copy == 0 { a.title.clone() } else { format!("{} ({copy})", a.title) };
                Item { title, source: a.source.clone(), date: date_of(i) }
            })
            .collect(),
    )
}

fn date_of(i: usize) -> Date {
    let day = (i * 7919) % (4 * 365);
    Date::new(2022 + (day / 365) as u16, 1 + ((day % 365) / 31).min(11) as u8, 1 + (day % 28) as u8)
        .unwrap_or_default()
}

fn synthetic_items() -> Vec<Item> {
    eprintln!("titles: {N} synthetic (../shared/corpus absent)");
    let zh = [
        "勒索软件",
        "漏洞",
        "攻击",
        "银行",
        "微信",
        "重庆",
        "长亭",
        "钓鱼",
        "数据泄露",
        "安全",
        "预警",
        "威胁情报",
        "供应链",
        "恶意软件",
        "高危",
        "通告",
        "分析",
        "APT组织",
        "补丁",
        "远程代码执行",
    ];
    let en = [
        "ransomware",
        "Linux",
        "kernel",
        "exploit",
        "CVE-2024-3094",
        "phishing",
        "campaign",
        "Microsoft",
        "patch",
        "zero-day",
        "botnet",
        "LockBit",
        "supply",
        "chain",
        "attack",
        "report",
        "Windows",
        "RCE",
    ];
    let sources =
        ["FreeBuf", "安全客", "The Hacker News", "嘶吼专业版", "BleepingComputer", "奇安信威胁情报中心"];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    (0..N)
        .map(|i| {
            let words = 3 + next() % 6;
            let chinese = i % 3 != 0;
            let mut title = String::new();
            for w in 0..words {
                let word =
                    if chinese && next() % 4 != 0 { zh[next() % zh.len()] } else { en[next() % en.len()] };
                if w > 0 && (!chinese || word.is_ascii()) {
                    title.push(' ');
                }
                title.push_str(word);
            }
            Item { title, source: sources[next() % sources.len()].to_string(), date: date_of(i) }
        })
        .collect()
}

const QUERIES: [(&str, &str); 9] = [
    ("latin_word", "ransomware"),
    ("chinese_word", "勒索"),
    ("pinyin_initials", "lsrj"),
    ("pinyin_full", "lesuo"),
    ("two_terms", "ransomware linux"),
    ("mixed_two_terms", "漏洞 cve"),
    ("field_and_word", "source:freebuf date:2023.. -test 漏洞"),
    ("one_letter", "r"),
    ("two_letters", "ra"),
];

/// A keystroke as the TUI makes it: the previous query's hits are the only candidates.
const KEYSTROKES: [(&str, &str, &str); 3] = [
    ("keystroke_ransomware", "ransomwar", "ransomware"),
    ("keystroke_lsrj", "lsr", "lsrj"),
    ("keystroke_ra", "r", "ra"),
];

fn bench(c: &mut Criterion) {
    let items = corpus_items().unwrap_or_else(synthetic_items);
    let records: Vec<Record<'_>> = items
        .iter()
        .map(|it| Record { title: &it.title, source: &it.source, date: it.date, tags: &[], entities: &[] })
        .collect();
    let prepared = prepare_all(&records);
    let bytes = prepared.memory_bytes();
    let titles: usize = items.iter().map(|it| it.title.len()).sum();
    eprintln!(
        "prepared: {:.1} MiB for {} titles ({:.1} bytes each; the titles themselves: {:.1} MiB)",
        bytes as f64 / 1048576.0,
        N,
        bytes as f64 / N as f64,
        titles as f64 / 1048576.0
    );

    let mut g = c.benchmark_group("filter");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    g.bench_function("prepare_150k", |b| b.iter(|| prepare_all(black_box(&records))));

    for (name, q) in QUERIES {
        let query = Query::parse(q).expect("bench query parses");
        let hits = filter(&query, &records, &prepared, None).len();
        eprintln!("{name}: {q:?} -> {hits} hits");
        g.bench_function(name, |b| b.iter(|| filter(black_box(&query), &records, &prepared, None)));
    }

    // What `yuedu list --filter Q` does: one pass, each title prepared as it is matched.
    let unprepared = yuedu::filter::Prepared::default();
    for q in ["勒索", "ransomware", "lsrj", "ra"] {
        let query = Query::parse(q).expect("bench query parses");
        g.bench_function(format!("one_shot_{q}"), |b| {
            b.iter(|| filter(black_box(&query), &records, &unprepared, None))
        });
    }

    for (name, before, after) in KEYSTROKES {
        let prev = Query::parse(before).expect("bench query parses");
        let next = Query::parse(after).expect("bench query parses");
        assert!(next.narrows(&prev));
        let within: Vec<usize> = filter(&prev, &records, &prepared, None).iter().map(|h| h.index).collect();
        eprintln!("{name}: {before:?} -> {after:?} over {} previous hits", within.len());
        g.bench_function(name, |b| b.iter(|| filter(black_box(&next), &records, &prepared, Some(&within))));
    }
    g.finish();
}

/// Process CPU time (all threads), from /proc; `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// `YUEDU_BENCH_QUICK=1 cargo bench --bench filter`: wall and CPU time per call, which tells
/// apart a slow filter from a busy machine (CPU / 2 is the wall time on 2 idle cores).
fn quick() {
    let items = corpus_items().unwrap_or_else(synthetic_items);
    let records: Vec<Record<'_>> = items
        .iter()
        .map(|it| Record { title: &it.title, source: &it.source, date: it.date, tags: &[], entities: &[] })
        .collect();
    // `YUEDU_BENCH_ONLY=name YUEDU_BENCH_ITERS=n` runs one case n times, for `perf stat`.
    let only = std::env::var("YUEDU_BENCH_ONLY").ok();
    let iters: Option<u32> = std::env::var("YUEDU_BENCH_ITERS").ok().and_then(|v| v.parse().ok());
    let measure = |name: &str, f: &dyn Fn()| {
        if only.as_deref().is_some_and(|o| o != name) {
            return;
        }
        if let Some(n) = iters {
            (0..n).for_each(|_| f());
            return;
        }
        f();
        let (wall, cpu) = (std::time::Instant::now(), cpu_time());
        let mut n = 0u32;
        while wall.elapsed() < Duration::from_secs(2) || n < 5 {
            f();
            n += 1;
        }
        let w = wall.elapsed() / n;
        let c = cpu.zip(cpu_time()).map(|(a, b)| (b - a) / n);
        eprintln!(
            "{name:24} wall {:8.2} ms   cpu {:8.2} ms",
            w.as_secs_f64() * 1e3,
            c.map_or(f64::NAN, |c| c.as_secs_f64() * 1e3)
        );
    };
    measure("prepare_150k", &|| drop(black_box(prepare_all(&records))));
    let prepared = prepare_all(&records);
    if only.as_deref() == Some("setup") {
        return;
    }
    for (name, q) in QUERIES {
        let query = Query::parse(q).expect("bench query parses");
        if only.is_none() {
            eprintln!("{q:?}: {} hits", filter(&query, &records, &prepared, None).len());
        }
        measure(name, &|| drop(black_box(filter(&query, &records, &prepared, None))));
    }
    for (name, before, after) in KEYSTROKES {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let prev = Query::parse(before).expect("bench query parses");
        let next = Query::parse(after).expect("bench query parses");
        let within: Vec<usize> = filter(&prev, &records, &prepared, None).iter().map(|h| h.index).collect();
        measure(name, &|| drop(black_box(filter(&next, &records, &prepared, Some(&within)))));
    }
}

/// Typing into the TUI's filter prompt, as the app does it per key: the filter over the previous
/// hits, the rows rebuilt, and the highlights of a screenful of rows (what the view asks for).
fn app_keystrokes(c: &mut Criterion) {
    let Some(mut app) = app_over_corpus() else {
        eprintln!("app keystrokes: skipped (../shared/corpus or YUEDU_BENCH_CORPUS absent)");
        return;
    };
    let mut g = c.benchmark_group("app");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    // As the reader does after its first frame: the UI thread asks (a copy of the titles), the
    // worker prepares and ranks them and answers.
    let ask = std::time::Instant::now();
    let fx = app.settle();
    eprintln!(
        "app: asking the worker to prepare 150,000 titles took {:.1} ms on the UI thread",
        ask.elapsed().as_secs_f64() * 1e3
    );
    let dir = std::env::temp_dir().join(format!("yuedu-bench-w-{}", std::process::id()));
    let store = yuedu::tags::Store::open(&dir.join("tags.json")).expect("bench store").store;
    let worker = std::time::Instant::now();
    yuedu::app::worker::Inline::new(store).run(&mut app, fx);
    eprintln!(
        "app: the worker's prepare and title ranks took {:.1} ms",
        worker.elapsed().as_secs_f64() * 1e3
    );
    // The first key after that is like any other.
    let first = std::time::Instant::now();
    app.set_filter("r");
    eprintln!(
        "app: first keystroke after the worker's prepare: {:.1} ms",
        first.elapsed().as_secs_f64() * 1e3
    );
    app.set_filter("");
    // Sorting by title: Source → Title, with the worker's ranks.
    g.bench_function("sort_to_title", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                while app.sort() != yuedu::app::Sort::Source {
                    app.update(yuedu::app::Action::Run(yuedu::app::Command::Sort));
                }
                let start = std::time::Instant::now();
                app.update(yuedu::app::Action::Run(yuedu::app::Command::Sort));
                spent += start.elapsed();
            }
            spent
        })
    });
    for (name, before, after) in [
        ("type_r", "", "r"),
        ("type_ra", "r", "ra"),
        ("type_ransomware", "ransomwar", "ransomware"),
        ("type_lsrj", "lsr", "lsrj"),
    ] {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    app.set_filter(before);
                    let start = std::time::Instant::now();
                    app.set_filter(after);
                    let marks: usize = app.rows().iter().take(50).map(|&i| app.highlights(i).len()).sum();
                    spent += start.elapsed();
                    black_box(marks);
                }
                spent
            })
        });
    }
    // Folding on: a third of the articles are copies in stories of three, as a heavily
    // republished archive has them; the same keystrokes then fold the rows as they are built.
    let rows: Vec<_> = app
        .corpus()
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let head = if i % 9 < 3 { app.corpus().articles[i - i % 9 % 3].id } else { a.id };
            (a.id, head, a.date)
        })
        .collect();
    app.update(yuedu::app::Action::StoriesLoaded(std::sync::Arc::new(
        yuedu::stories::StoryTable::from_rows(rows),
    )));
    eprintln!("app: folded {} articles into {} rows", app.corpus().articles.len(), app.rows().len());
    for (name, before, after) in
        [("folded_type_r", "", "r"), ("folded_type_ransomware", "ransomwar", "ransomware")]
    {
        g.bench_function(name, |b| b.iter_custom(|iters| keystrokes(&mut app, before, after, iters)));
    }
    app.update(yuedu::app::Action::Run(yuedu::app::Command::FoldStories));
    // Entity terms: one article in eight names one or two of 700 CVEs, as in the sample.
    let mut table: yuedu::facts::FactTable = app
        .corpus()
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let cve = |n: usize| yuedu::entities::Entity {
                kind: yuedu::entities::Kind::Cve,
                value: format!("CVE-2024-{:04}", 3000 + n % 700),
                count: 1,
            };
            let entities = if i % 8 == 0 { vec![cve(i / 8), cve(i / 8 + 350)] } else { Vec::new() };
            let facts = yuedu::facts::ArticleFacts {
                date: a.date,
                source: a.source.as_str().into(),
                empty: i % 2 == 1,
                entities,
            };
            (a.id, facts)
        })
        .collect();
    // As the reader's index thread does before handing the facts over.
    table.index_values();
    app.update(yuedu::app::Action::FactsLoaded(std::sync::Arc::new(table)));
    for (name, before, after) in [
        ("type_cve_term", "cve:CVE-2024-340", "cve:CVE-2024-3400"),
        ("word_then_cve", "漏洞", "漏洞 cve:CVE-2024-3400"),
    ] {
        g.bench_function(name, |b| b.iter_custom(|iters| keystrokes(&mut app, before, after, iters)));
    }
    g.finish();
}

/// `iters` keystrokes from the filter `before` to `after`, timing only the second.
fn keystrokes(app: &mut yuedu::app::App, before: &str, after: &str, iters: u64) -> Duration {
    let mut spent = Duration::ZERO;
    for _ in 0..iters {
        app.set_filter(before);
        let start = std::time::Instant::now();
        app.set_filter(after);
        spent += start.elapsed();
        black_box(app.rows().len());
    }
    spent
}

/// An app over 150,000 articles: the bench corpus's articles, replicated with varied titles.
fn app_over_corpus() -> Option<yuedu::app::App> {
    let root = match std::env::var_os("YUEDU_BENCH_CORPUS") {
        Some(dir) => dir.into(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    let mut corpus = Corpus::load(&root).ok()?;
    let base = std::mem::take(&mut corpus.articles);
    if base.is_empty() {
        return None;
    }
    corpus.articles = (0..N)
        .map(|i| {
            let mut a = base[i % base.len()].clone();
            let copy = i / base.len();
            // Distinct ids, as distinct articles have: the facts are looked up by id.
            a.id = yuedu::corpus::ArticleId((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            if copy > 0 {
                a.title = format!("{} ({copy})", a.title);
                a.path = a.path.with_file_name(format!("copy{copy}-{}", a.path.display()));
            }
            a
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("yuedu-bench-{}", std::process::id()));
    let store = yuedu::tags::Store::open(&dir.join("tags.json")).ok()?.store;
    let config = yuedu::config::Config::default();
    let mut app = yuedu::app::App::new(corpus, store, &config, yuedu::app::Env::default());
    app.update(yuedu::app::Action::Resize { width: 120, height: 60 });
    Some(app)
}

criterion_group!(benches, bench, app_keystrokes);

fn main() {
    if std::env::var_os("YUEDU_BENCH_QUICK").is_some() {
        quick();
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
