//! Speed of the reading pane: wrapping a 100 KB article at width 100 must take at most 5 ms, and
//! opening an article (read, strip boilerplate, parse, render) at most 10 ms.
//!
//! Measured twice: wall time, and this thread's CPU time, which stays meaningful on a machine
//! shared with other jobs (where wall time mostly measures waiting for a core).

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, criterion_group, criterion_main};
use yuedu::document::{AmbiWidth, RenderOptions, parse};

/// About 100 KB of Markdown shaped like a real article: mostly Chinese prose with English terms,
/// numbers, links, a list, a table and a code block. Text written for this bench.
fn article() -> String {
    let section = "## 第{n}部分：漏洞分析\n\n\
近日，安全研究人员披露了一个影响广泛的远程代码执行漏洞（CVE-2024-{n:05}），攻击者可以通过构造\
恶意请求，在未经身份验证的情况下执行任意命令。该漏洞的CVSS评分为9.8，属于**严重**级别，\
受影响的设备数量超过30%，涉及金额约8.1355亿美元。厂商已于2024年3月发布补丁，建议用户\
尽快升级到最新版本，详情见[官方公告](https://example.com/advisory/{n})。\n\n\
Researchers observed exploitation attempts from 192.168.{m}.{n} shortly after the disclosure; the \
payload hash was 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 and the \
attackers used a *modified* version of a public proof of concept.\n\n\
- 第一步：确认受影响的版本，检查日志中是否存在异常的请求记录，并保留相关证据以便后续分析；\n\
- 第二步：应用厂商提供的补丁或临时缓解措施，例如限制管理接口的访问来源；\n  \
- 嵌套项目：重启服务后再次验证补丁是否生效，确认没有遗漏的节点。\n\n\
| 项目 | 版本 | 状态 |\n|---|---|---|\n| 网关 | 2.{n}.1 | 已修复 |\n| 控制台 | 5.0.{m} | 未修复 |\n\n\
```bash\ncurl -s https://example.com/check?id={n} | grep -E 'vulnerable|patched' && echo done\n```\n\n\
> 注意：「临时缓解措施」并不能替代正式补丁，请在维护窗口内完成升级……\n\n";
    let mut out = String::from("# 一份用于测试的安全通告\n\n");
    let mut n = 0;
    while out.len() < 100 * 1024 {
        n += 1;
        out.push_str(
            &section
                .replace("{n:05}", &format!("{n:05}"))
                .replace("{n}", &n.to_string())
                .replace("{m}", &(n % 250).to_string()),
        );
    }
    out
}

/// CPU time of the calling thread.
struct ThreadCpuTime;

fn thread_cpu_now() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we pass it.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

static WALL: WallTime = WallTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu_now()
    }
    fn end(&self, start: Duration) -> Duration {
        thread_cpu_now().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, d: &Duration) -> f64 {
        d.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Nanoseconds, like wall time.
        WALL.formatter()
    }
}

fn bench(c: &mut Criterion) {
    let md = article();
    let doc = parse(&md);
    let opts = RenderOptions { width: 100, ambiwidth: AmbiWidth::Narrow };
    c.bench_function("render 100KB at width 100", |b| b.iter(|| black_box(doc.render(black_box(&opts)))));
    c.bench_function("parse 100KB", |b| b.iter(|| black_box(parse(black_box(&md)))));
}

fn bench_cpu(c: &mut Criterion<ThreadCpuTime>) {
    let md = article();
    let doc = parse(&md);
    let opts = RenderOptions { width: 100, ambiwidth: AmbiWidth::Narrow };
    c.bench_function("render 100KB at width 100 (thread CPU time)", |b| {
        b.iter(|| black_box(doc.render(black_box(&opts))))
    });
    c.bench_function("parse 100KB (thread CPU time)", |b| b.iter(|| black_box(parse(black_box(&md)))));
}

/// What opening an article in the reader does, from the file on disk to wrapped lines.
fn open(path: &std::path::Path, templates: &yuedu::document::boilerplate::Templates) -> usize {
    use yuedu::document::boilerplate::{Meta, clean_with};
    let (Ok(a), Ok(body)) = (yuedu::corpus::load_file(path), yuedu::corpus::read_body(path)) else {
        return 0;
    };
    let meta = Meta { title: &a.title, source: &a.source, url: a.url.as_deref().unwrap_or("") };
    let cleaned = clean_with(&body.text, &meta, templates);
    parse(&cleaned.markdown).render(&RenderOptions { width: 100, ambiwidth: AmbiWidth::Narrow }).len()
}

fn bench_open(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let synthetic = dir.path().join("FreeBuf_一份用于测试的安全通告.md");
    let front = "---\ntitle: 一份用于测试的安全通告\nurl: https://example.com/a/1\nsource: FreeBuf\ndate: 2024-03-01\n---\n\n";
    std::fs::write(&synthetic, format!("{front}{}", article())).expect("write article");
    let none = Default::default();
    c.bench_function("open 100KB article at width 100", |b| b.iter(|| black_box(open(&synthetic, &none))));
    // The largest real page of the sample, with the sample's templates, when ../shared is there.
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if let Ok(corpus) = yuedu::corpus::Corpus::load(&shared)
        && let Some(big) = corpus.articles.iter().max_by_key(|a| a.size)
    {
        let name = format!("open largest sample page ({} KB)", big.size / 1024);
        c.bench_function(&name, |b| b.iter(|| black_box(open(&big.path, &corpus.templates))));
    } else {
        eprintln!("../shared/corpus absent: skipping the real-page open bench");
    }
}

criterion_group!(benches, bench, bench_open);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = bench_cpu
}
criterion_main!(benches, cpu);
