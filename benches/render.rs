//! Speed of the reading pane: wrapping a 100 KB article at width 100 must take at most 5 ms.

use std::hint::black_box;

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

fn bench(c: &mut Criterion) {
    let md = article();
    let doc = parse(&md);
    let opts = RenderOptions { width: 100, ambiwidth: AmbiWidth::Narrow };
    c.bench_function("render 100KB at width 100", |b| b.iter(|| black_box(doc.render(black_box(&opts)))));
    c.bench_function("parse 100KB", |b| b.iter(|| black_box(parse(black_box(&md)))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
