//! The reader's model over a small made-up corpus, for the app and screen tests: Chinese and English
//! titles, one long article, one empty page, one article without a URL. All prose here is written
//! for these tests.

use std::path::{Path, PathBuf};

use yuedu::app::worker::Inline;
use yuedu::app::{Action, App, Command, Edit, Effect, Env, Key};
use yuedu::config::Config;
use yuedu::corpus::Corpus;
use yuedu::tags::Store;

use super::Dir;

/// A [`Dir`] holding the corpus below, and the tag store path the app is given.
pub struct Fixture {
    pub dir: Dir,
    pub root: PathBuf,
    pub store_path: PathBuf,
}

/// Forty paragraphs, each different, so a cleaner that drops repeated lines keeps them all.
fn long_body() -> String {
    const WHO: &[&str] = &["调查人员", "值班护士", "网络管理员", "外部顾问", "院方发言人"];
    const WHAT: &[&str] = &[
        "发现备份服务器上的文件被改名",
        "注意到门诊系统在凌晨变慢",
        "在防火墙日志里看到陌生的连接",
        "确认有一台终端曾打开钓鱼邮件的附件",
        "把受影响的网段从内网隔离",
        "联系了设备厂商协助恢复数据",
        "统计出共有三百多台电脑受到影响",
        "向监管部门提交了初步报告",
    ];
    let mut s = String::from("# 勒索软件攻击多家医院，数据遭加密\n\n");
    for i in 0..40 {
        let who = WHO[i % WHO.len()];
        let what = WHAT[(i * 3) % WHAT.len()];
        s.push_str(&format!(
            "第{n}段：{who}{what}，时间是第{day}天的{hour}点左右，此后又用了{m}分钟核对记录。\n\n",
            n = i + 1,
            day = i / 5 + 1,
            hour = (i * 7) % 24,
            m = 10 + i * 3
        ));
    }
    s
}

/// (relative path, title, source, date, url, body); an empty body means the long one.
type Spec = (&'static str, &'static str, &'static str, &'static str, Option<&'static str>, &'static str);

const ARTICLES: &[Spec] = &[
    (
        "2025/01/17/daily/安全内参_勒索软件攻击多家医院.md",
        "勒索软件攻击多家医院，数据遭加密",
        "安全内参",
        "2025-01-17",
        Some("https://news.example.cn/a/1001"),
        "",
    ),
    (
        "2025/01/16/daily/FreeBuf_微信支付接口漏洞分析.md",
        "微信支付接口漏洞分析",
        "FreeBuf",
        "2025-01-16",
        Some("https://www.example.com/freebuf/2001"),
        "作者复现了一个签名校验绕过的问题。\n\n厂商已经在新版本中修复。\n",
    ),
    (
        "2025/01/15/daily/The Hacker News_New loader targets Exchange servers.md",
        "Researchers find a new loader targeting Exchange servers",
        "The Hacker News",
        "2025-01-15",
        Some("https://thn.example.com/2025/01/new-loader.html"),
        "A new loader was seen in the wild.\n\nIt hides its configuration in image files and talks to a \
         small set of servers.\n",
    ),
    (
        "2025/01/14/daily/安全客_银行系统遭遇供应链攻击.md",
        "银行系统遭遇供应链攻击",
        "安全客",
        "2025-01-14",
        Some("https://www.example.cn/anquanke/3001"),
        "一家软件供应商的更新包被篡改，多家银行受到影响。\n",
    ),
    (
        "2024/12/30/daily/FreeBuf_重庆某企业数据泄露事件分析.md",
        "重庆某企业数据泄露事件分析",
        "FreeBuf",
        "2024-12-30",
        Some("https://www.example.com/freebuf/2002"),
        "泄露的数据包括员工名单和合同扫描件。\n",
    ),
    (
        "2024/12/01/daily/安全客_页面加载失败.md",
        "页面加载失败的文章",
        "安全客",
        "2024-12-01",
        Some("https://www.example.cn/anquanke/3002"),
        "   \n",
    ),
    (
        "2024/11/02/daily/blog_Notes on CVE-2024-0001 triage.md",
        "Notes on CVE-2024-0001 triage",
        "blog",
        "2024-11-02",
        None,
        "Short notes written while sorting a batch of reports.\n",
    ),
    (
        "2024/10/10/daily/长亭_长亭科技发布年度安全报告.md",
        "长亭科技发布年度安全报告",
        "长亭",
        "2024-10-10",
        Some("http://www.example.cn/chaitin/4001"),
        "报告总结了一年来观察到的主要攻击趋势。\n",
    ),
];

impl Fixture {
    pub fn new() -> Fixture {
        let dir = Dir::new();
        for (rel, title, source, date, url, body) in ARTICLES {
            let url_line = url.map(|u| format!("url: {u}\n")).unwrap_or_default();
            let body = if body.is_empty() { long_body() } else { body.to_string() };
            dir.write(
                rel,
                format!("---\ntitle: {title}\n{url_line}source: {source}\ndate: {date}\n---\n\n{body}"),
            );
        }
        let store_path = dir.store();
        std::fs::create_dir_all(store_path.parent().unwrap()).unwrap();
        Fixture { root: dir.root().to_path_buf(), dir, store_path }
    }

    pub fn corpus(&self) -> Corpus {
        Corpus::load(&self.root).unwrap()
    }

    pub fn store(&self) -> Store {
        Store::open(&self.store_path).unwrap().store
    }

    pub fn app(&self) -> TestApp {
        self.app_with(&Config::default(), Env::default())
    }

    pub fn app_with(&self, config: &Config, env: Env) -> TestApp {
        let mut app = TestApp::new(App::new(self.corpus(), self.store(), config, env), self.store());
        app.apply(Action::Resize { width: 80, height: 24 });
        app
    }

    pub fn data_dir(&self) -> &Path {
        self.store_path.parent().unwrap()
    }
}

/// The model with its worker's effects run on the test's thread, so each call returns with the
/// disk work done and answered, as the event loop would after the worker replied.
pub struct TestApp {
    pub app: App,
    pub worker: Inline,
}

impl TestApp {
    pub fn new(app: App, store: Store) -> TestApp {
        TestApp { app, worker: Inline::new(store) }
    }

    pub fn apply(&mut self, action: Action) -> Vec<Effect> {
        self.worker.apply(&mut self.app, action)
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let fx = self.app.update(action);
        self.worker.run(&mut self.app, fx)
    }

    pub fn handle_key(&mut self, key: Key) -> Vec<Effect> {
        let fx = self.app.handle_key(key);
        self.worker.run(&mut self.app, fx)
    }

    pub fn settle(&mut self) -> Vec<Effect> {
        let fx = self.app.settle();
        self.worker.run(&mut self.app, fx)
    }
}

impl std::ops::Deref for TestApp {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl std::ops::DerefMut for TestApp {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

/// Runs a command.
pub fn run(app: &mut TestApp, c: Command) -> Vec<yuedu::app::Effect> {
    app.apply(Action::Run(c))
}

/// Types text into the active prompt or picker.
pub fn type_text(app: &mut TestApp, s: &str) {
    for c in s.chars() {
        app.apply(Action::Edit(Edit::Insert(c)));
    }
}

pub fn edit(app: &mut TestApp, e: Edit) {
    app.apply(Action::Edit(e));
}

/// The titles of the listed articles, in order.
pub fn titles(app: &App) -> Vec<String> {
    app.rows().iter().map(|&i| app.article(i).unwrap().title.clone()).collect()
}

pub fn title_of(app: &App, index: usize) -> String {
    app.article(index).unwrap().title.clone()
}
