//! Indicator extraction speed over ../shared's real articles (their bodies as read), else over
//! generated security-news pages; prints µs per article and MB/s beside criterion's figures.

use std::path::Path;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use yuedu_core::entities::{Context, Extractor};

fn page(i: usize) -> String {
    let mut s = String::from("# Campaign report\n\n");
    for p in 0..30 {
        s.push_str(&format!(
            "Paragraph {p} of report {i}: the actor used CVE-2024-{p:04} and T1059.001, beaconed to \
             hxxp://c2-{i}[.]xyz/x.php and 45.155.{}.{}, see [post](https://example.org/{p}). 攻击者访问evil{p}.com下载。\n\n",
            i % 250 + 1,
            p + 1
        ));
    }
    s
}

/// `(url, body)` pairs: ../shared/corpus when present, else 2,000 generated pages.
fn corpus() -> Vec<(Option<String>, String)> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if let Ok(c) = yuedu::corpus::Corpus::load(&shared)
        && !c.articles.is_empty()
    {
        return c
            .articles
            .iter()
            .filter_map(|a| yuedu::corpus::read_body(&a.path).ok().map(|b| (a.url.clone(), b.text)))
            .collect();
    }
    eprintln!("entities bench: no ../shared/corpus, using generated pages");
    (0..2000).map(|i| (None, page(i))).collect()
}

fn extract_all(ex: &Extractor, items: &[(Option<String>, String)]) -> usize {
    items.iter().map(|(url, text)| ex.extract(text, &Context { url: url.as_deref() }).len()).sum()
}

fn bench(c: &mut Criterion) {
    let ex = Extractor::builtin();
    let items = corpus();
    let bytes: usize = items.iter().map(|(_, t)| t.len()).sum();
    // One plain timing for the figures the README quotes (criterion reports the corpus as one).
    let start = Instant::now();
    let found = extract_all(&ex, &items);
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "entities: {} articles, {:.1} MB, {found} entities: {:.1} µs/article, {:.1} MB/s",
        items.len(),
        bytes as f64 / 1e6,
        secs * 1e6 / items.len() as f64,
        bytes as f64 / secs / 1e6
    );
    let mut g = c.benchmark_group("entities");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("extract_corpus", |b| b.iter(|| extract_all(&ex, &items)));
    let one = page(1);
    g.throughput(Throughput::Bytes(one.len() as u64));
    g.bench_function("extract_dense_page", |b| b.iter(|| ex.extract(&one, &Context::default()).len()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
