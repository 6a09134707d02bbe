//! Body pass tests: one read per article for every consumer, incremental by stamps.

use std::path::Path;

use super::*;

/// A consumer that records what it was given.
#[derive(Default)]
struct Log {
    stamps: Stamps,
    added: Vec<(String, String)>,
    removed: usize,
    commits: usize,
}

impl Consumer for Log {
    fn stamps(&self) -> &Stamps {
        &self.stamps
    }
    fn add(&mut self, a: &Article, body: &BodyText) -> Result<(), IndexError> {
        self.stamps.insert(a);
        self.added.push((a.title.clone(), body.text.clone()));
        Ok(())
    }
    fn remove(&mut self, id: ArticleId) -> Result<(), IndexError> {
        self.stamps.remove(id);
        self.removed += 1;
        Ok(())
    }
    fn commit(&mut self) -> Result<(), IndexError> {
        self.commits += 1;
        Ok(())
    }
}

fn write(dir: &Path, name: &str, title: &str, body: &str) {
    let text = format!(
        "---\ntitle: {title}\nurl: https://example.test/{name}\nsource: 测试源\ndate: 2024-05-01\n---\n\n{body}\n"
    );
    std::fs::write(dir.join(name), text).unwrap();
}

fn pass(root: &Path, consumers: &mut [&mut dyn Consumer]) -> PassReport {
    let corpus = Corpus::load(root).unwrap();
    run(
        &corpus,
        consumers,
        &Extractor::default(),
        &Tuning { chunk: 2, commit_every: 2, ..Tuning::default() },
        &Progress::hidden(),
    )
    .unwrap()
}

#[test]
fn every_consumer_gets_the_cleaned_text_from_one_read_and_reruns_read_only_changes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", "甲", "第一篇文章的正文，讲勒索软件如何加密文件并索要赎金，还有应对的办法。");
    write(
        dir.path(),
        "b.md",
        "乙",
        "Second article about **CVE-2024-3400**, a flaw in a firewall that attackers used for weeks before a patch.",
    );
    write(dir.path(), "c.md", "丙", "第三篇文章的正文，讲供应链攻击如何从一个开源库扩散到下游项目。");
    let (mut one, mut two) = (Log::default(), Log::default());
    let r = pass(dir.path(), &mut [&mut one, &mut two]);
    assert_eq!((r.read, r.removed, r.unreadable), (3, 0, 0));
    assert_eq!(one.added, two.added);
    // The text is `show --plain`'s: Markdown markers gone.
    assert!(one.added.iter().any(|(t, b)| t == "乙" && b == "Second article about CVE-2024-3400, a flaw in a firewall that attackers used for weeks before a patch."), "{:?}", one.added);
    assert!(one.commits >= 2, "commits along the way, then at the end");

    assert_eq!(pass(dir.path(), &mut [&mut one, &mut two]).read, 0);

    // A new consumer is filled without re-reading for the others.
    let mut late = Log::default();
    let r = pass(dir.path(), &mut [&mut one, &mut late]);
    assert_eq!((r.read, one.added.len(), late.added.len()), (3, 3, 3));

    std::thread::sleep(std::time::Duration::from_millis(20));
    write(dir.path(), "a.md", "甲", "改过的正文，现在讲的是钓鱼邮件怎样伪装成发票骗取账号密码。");
    std::fs::remove_file(dir.path().join("c.md")).unwrap();
    let r = pass(dir.path(), &mut [&mut one, &mut two]);
    assert_eq!((r.read, r.removed), (1, 2));
    assert_eq!(
        one.added.last().map(|x| x.1.as_str()),
        Some("改过的正文，现在讲的是钓鱼邮件怎样伪装成发票骗取账号密码。")
    );
    assert_eq!((one.stamps.len(), two.stamps.len()), (2, 2));
}

#[test]
fn an_unreadable_file_is_handed_over_empty_and_not_retried() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", "甲", "正文。");
    let corpus = Corpus::load(dir.path()).unwrap();
    std::fs::remove_file(dir.path().join("a.md")).unwrap();
    let mut log = Log::default();
    let r = run(&corpus, &mut [&mut log], &Extractor::default(), &Tuning::default(), &Progress::hidden())
        .unwrap();
    assert_eq!((r.read, r.unreadable), (1, 1));
    assert_eq!(log.added, [("甲".to_string(), String::new())]);
    let r = run(&corpus, &mut [&mut log], &Extractor::default(), &Tuning::default(), &Progress::hidden())
        .unwrap();
    assert_eq!(r.read, 0);
}
