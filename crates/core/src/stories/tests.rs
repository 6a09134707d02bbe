//! Story detection on texts written for these tests: reposts join, stubs and same-titled
//! different bodies do not, ids stay put.

use super::*;
use crate::corpus::{ArticleId, Date};

const BODY: &str = "The maintainers of a popular open source image library shipped a fix on Tuesday \
for a heap overflow that an attacker could reach with a crafted file. The flaw sits in the code \
that decodes progressive frames, where a length read from the file was trusted before the buffer \
was sized. Researchers who found it said a proof of concept crashes every release of the last two \
years, and that turning the crash into code execution took them a week. Distributions have begun \
to push the patched package, and the project asks downstream users who vendor the library to \
update their copies as well, since static builds will not pick up the fix on their own.";

const OTHER: &str = "A regional hospital group said it restored its booking system after an outage \
that lasted most of the weekend. Staff fell back to paper forms while engineers rebuilt servers \
from backups taken the night before. The group did not say what caused the outage, but a notice \
to patients mentioned that some appointment reminders might arrive twice. Local officials praised \
the response and asked residents to keep calling ahead before visiting the emergency department \
until the system is confirmed stable by the operator and its outside advisers.";

const ZH: &str = "某安全厂商今日发布报告称，一个新出现的勒索软件团伙在过去三个月内攻击了多家制造企业，\
攻击者通过未修补的远程访问网关进入内网，随后横向移动并窃取数据，最后加密服务器。报告建议企业尽快更新网关\
固件，关闭不必要的对外端口，并对管理员账户启用多因素认证，同时定期检查备份是否可以恢复。";

fn t() -> StoryTuning {
    StoryTuning::default()
}

fn entry(id: u64, day: u8, text: &str) -> Entry {
    Entry { id: ArticleId(id), date: Date::new(2024, 5, day).unwrap(), sig: sign(text, &t()) }
}

fn cluster(entries: &[Entry], previous: &StoryTable) -> StoryTable {
    let mut c = Clusterer::new(t());
    for e in entries {
        c.insert(e.clone());
    }
    c.finish(previous)
}

#[test]
fn a_repost_with_a_header_and_footer_joins_its_original() {
    let repost = format!(
        "Republished from our partner site with permission. Follow us for more daily coverage. \
         {BODY}\n\nSubscribe to the newsletter for weekly updates, share this story with your \
         team, and read our other coverage of open source security topics."
    );
    let (a, b) = (sign(BODY, &t()).unwrap(), sign(&repost, &t()).unwrap());
    assert!(a.containment(&b) > 0.8, "containment {}", a.containment(&b));
    let table =
        cluster(&[entry(1, 1, BODY), entry(2, 2, &repost), entry(3, 2, OTHER)], &StoryTable::default());
    assert_eq!(table.story_of(ArticleId(2)), Some((ArticleId(1), 2)));
    assert_eq!(table.story_of(ArticleId(3)), Some((ArticleId(3), 1)));
}

#[test]
fn cjk_text_is_shingled_by_characters_and_a_repunctuated_copy_joins() {
    let copy = ZH.replace('，', " ").replace('。', "\n");
    let table = cluster(&[entry(1, 1, ZH), entry(2, 3, &copy)], &StoryTable::default());
    assert_eq!(table.story_of(ArticleId(2)), Some((ArticleId(1), 2)));
}

#[test]
fn a_short_stub_never_joins() {
    let stub = "Read the full story on our website.";
    assert_eq!(sign(stub, &t()), None);
    let table = cluster(&[entry(1, 1, stub), entry(2, 1, stub)], &StoryTable::default());
    assert_eq!(table.story_of(ArticleId(1)), Some((ArticleId(1), 1)));
    assert_eq!(table.story_of(ArticleId(2)), Some((ArticleId(2), 1)));
}

#[test]
fn different_bodies_under_the_same_title_stay_apart() {
    // Titles are not part of the entry at all: only bodies are compared.
    let table = cluster(&[entry(1, 1, BODY), entry(2, 8, OTHER)], &StoryTable::default());
    assert_eq!(table.summary(5).multi_copy_stories, 0);
}

#[test]
fn ids_are_stable_when_a_new_copy_arrives_even_an_earlier_one() {
    let first = cluster(&[entry(5, 3, BODY), entry(6, 4, BODY)], &StoryTable::default());
    assert_eq!(first.story_id(ArticleId(6)), Some(ArticleId(5)));
    let later = cluster(&[entry(5, 3, BODY), entry(6, 4, BODY), entry(2, 1, BODY)], &first);
    assert_eq!(later.story_of(ArticleId(2)), Some((ArticleId(5), 3)));
    assert_eq!(later.members(ArticleId(5)).collect::<Vec<_>>(), [ArticleId(2), ArticleId(5), ArticleId(6)]);
    // From scratch the earliest copy names it.
    let batch = cluster(&[entry(2, 1, BODY), entry(5, 3, BODY), entry(6, 4, BODY)], &StoryTable::default());
    assert_eq!(batch.story_id(ArticleId(6)), Some(ArticleId(2)));
}

#[test]
fn incremental_equals_batch() {
    let repost = format!("Editor's note: shared with permission from the original publisher. {BODY}");
    let all = [entry(1, 1, BODY), entry(2, 2, OTHER), entry(3, 3, &repost), entry(4, 4, ZH), entry(5, 5, ZH)];
    let batch = cluster(&all, &StoryTable::default());
    let first = cluster(&all[..2], &StoryTable::default());
    let mut c = Clusterer::new(t());
    for e in &all {
        c.insert(e.clone());
    }
    let incremental = c.finish(&first);
    assert_eq!(incremental, batch);
    assert_eq!(batch.summary(5).multi_copy_articles, 4);
}
