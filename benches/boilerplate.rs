//! Boilerplate stripping speed: one page, a hostile page, and template learning over a corpus
//! (the real sample in ../shared when present, else generated pages).

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use yuedu::document::boilerplate::{Meta, Stripper, Templates};

fn page(i: usize) -> String {
    let mut s = String::from("# Title\n\n* [Home](/)\n* [News](/news)\n* [About](/about)\n\n# Title\n\n");
    for p in 0..40 {
        s.push_str(&format!(
            "Paragraph {p} of article {i} explains one more step of the intrusion, in plain words.\n\n"
        ));
    }
    s.push_str(
        "## Related posts\n\n* [One](/1)\n* [Two](/2)\n\nCopyright © 2024 Example. All rights reserved.\n",
    );
    s
}

/// `(source, body)` pairs: ../shared/corpus when present, else 2,000 generated pages.
fn corpus() -> Vec<(String, String)> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if let Ok(c) = yuedu::corpus::Corpus::load(&shared)
        && !c.articles.is_empty()
    {
        return c
            .articles
            .iter()
            .filter_map(|a| yuedu::corpus::read_body(&a.path).ok().map(|b| (a.source.clone(), b.text)))
            .collect();
    }
    (0..2000).map(|i| (format!("source {}", i % 40), page(i))).collect()
}

fn bench(c: &mut Criterion) {
    let stripper = Stripper::builtin();
    let meta = Meta { title: "Title", source: "Example", url: "https://example.com/a" };
    let one = page(1);
    let hostile = "[".repeat(100_000) + &"](".repeat(50_000);
    let items = corpus();
    let mut g = c.benchmark_group("boilerplate");
    g.sample_size(10);
    g.bench_function("clean_page", |b| b.iter(|| stripper.clean(&one, &meta, None).hidden_lines));
    g.bench_function("clean_hostile_brackets", |b| {
        b.iter(|| stripper.clean(&hostile, &meta, None).hidden_lines)
    });
    g.bench_function("learn_templates_corpus", |b| {
        b.iter(|| Templates::learn(items.iter().map(|(s, t)| (s.as_str(), t.as_str()))).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
