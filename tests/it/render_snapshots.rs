//! Golden renderings at widths 20, 40 and 80 of the cases issue 3 lists. All text written for
//! these tests. Each snapshot starts with a ruler of the width; every line is checked to fit it.

use yuedu::document::{AmbiWidth, RenderOptions, display_width, parse};

const CHINESE: &str = "近日，某安全团队在一次例行审计中发现：一款广泛使用的网络设备存在严重缺陷（影响多个版本）。\
攻击者只需发送一个特制的数据包，便可“绕过”认证机制，进而完全控制整台设备！研究人员提醒：「请尽快升级」，\
并关闭不必要的远程管理端口……你准备好了吗？";

const MIXED: &str = "据Example Security报告，2024年全球勒索软件造成的损失约为8.1355亿美元，同比增长30%。\
漏洞CVE-2024-3094影响xz-utils 5.6.0和5.6.1两个版本，攻击源IP包括203.0.113.42，样本的SHA256为\
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855。\
详情见https://example.com/reports/2024/ransomware-annual-summary?lang=zh ，或阅读英文版 report。";

const LIST: &str = "- 第一项：检查所有对外开放的管理接口，确认是否已经启用多因素认证，并把检查结果记录在案。
- Second item: rotate every credential that may have been exposed during the incident window, \
including long-lived API tokens.
  - 嵌套项：优先处理具有管理员权限的账号，其次是服务账号。
  - Nested item: document each rotation in the ticket before closing it.
- 第三项

1. 备份现有配置文件，并校验备份的完整性（例如计算 SHA256）。
2. Apply the vendor patch, then restart the service during the maintenance window.
10. 观察日志至少24小时。";

const TABLE: &str = "| 漏洞编号 | 产品 | 严重程度 | 状态 |
|:---|:---:|---:|---|
| CVE-2024-0001 | 网关设备 | 高危 | 已修复 |
| CVE-2024-0002 | 管理控制台 | 中危 | 待修复 |
| CVE-2024-0003 | 日志服务 | 低 | 不受影响 |";

const CODE: &str = "检查脚本如下：

```python
def check(host, port=443):
    url = f\"https://{host}:{port}/api/v1/status?verbose=true&format=json\"
    # 检查服务状态，超时五秒
    return requests.get(url, timeout=5).json()
```";

/// Headings, emphasis, links, images, a quote, a rule and inline HTML together.
const ARTICLE: &str = "# 周报：本周**重点**漏洞

**本周结论。**共披露漏洞12个，详见[官方公告](https://example.com/notice)与\
[内部页面](/internal/page)，勿点[这里](javascript:alert(1))。

![拓扑示意图](https://example.com/a.png)

> 引用：安全不是产品，而是*过程*。
> ~~旧结论已撤回~~

---

正文<b>加粗</b>结束<br>第二行。";

fn render(md: &str, width: usize, ambi: AmbiWidth) -> String {
    let lines = parse(md).render(&RenderOptions { width, ambiwidth: ambi });
    let mut out = format!("{}\n", "-".repeat(width));
    for line in lines {
        let text = line.plain_text();
        assert!(display_width(&text, ambi) <= width, "{text:?} is wider than {width}");
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

macro_rules! snapshots {
    ($($name:ident: $text:expr),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                for width in [20, 40, 80] {
                    insta::assert_snapshot!(
                        format!("{}_{}", stringify!($name), width),
                        render($text, width, AmbiWidth::Narrow)
                    );
                }
            }
        )*
    };
}

snapshots! {
    chinese_paragraph: CHINESE,
    mixed_text: MIXED,
    long_list: LIST,
    cjk_table: TABLE,
    code_block: CODE,
    article: ARTICLE,
}

#[test]
fn ambiguous_wide() {
    insta::assert_snapshot!("mixed_text_40_wide", render(MIXED, 40, AmbiWidth::Wide));
    insta::assert_snapshot!("article_40_wide", render(ARTICLE, 40, AmbiWidth::Wide));
}
