//! Corpus loading: the real sample in ../shared when present, else a generated tree.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};

/// `YUEDU_BENCH_CORPUS`, else ../shared/corpus, else 2,000 generated articles.
fn corpus_dir(tmp: &Path) -> PathBuf {
    if let Some(p) = std::env::var_os("YUEDU_BENCH_CORPUS") {
        return PathBuf::from(p);
    }
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if shared.is_dir() {
        return shared;
    }
    for i in 0..2000 {
        let dir = tmp.join(format!("2024/{:02}/{:02}/daily", i % 12 + 1, i % 28 + 1));
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        let text = format!(
            "---\ntitle: 第{i}篇 勒索软件攻击分析: part {i}\nurl: https://example.com/a/{i}\nsource: 源{}\ndate: 2024-01-01\n---\n\n正文。\n",
            i % 50
        );
        std::fs::write(dir.join(format!("源{}_{i}.md", i % 50)), text).expect("temp dir is writable");
    }
    tmp.to_path_buf()
}

fn load(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = corpus_dir(tmp.path());
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("cold_no_cache", |b| {
        b.iter(|| yuedu::corpus::Corpus::load(&dir).map(|c| c.articles.len()))
    });
    let cache = tempfile::tempdir().expect("temp dir");
    if yuedu::corpus::cache::load(&dir, cache.path()).is_ok() {
        g.bench_function("warm_index_cache", |b| {
            b.iter(|| yuedu::corpus::cache::load(&dir, cache.path()).map(|(c, _)| c.articles.len()))
        });
        g.bench_function("count_from_checks", |b| b.iter(|| yuedu::corpus::cache::count(&dir, cache.path())));
        g.bench_function("snapshot_only", |b| {
            b.iter(|| yuedu::corpus::cache::snapshot(&dir, cache.path()).map(|c| c.articles.len()))
        });
    }
    g.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
