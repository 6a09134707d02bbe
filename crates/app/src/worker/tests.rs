//! The model stays off the disk: effects out, answers in; and the worker keeps the UI free
//! while another process holds the tag store's lock.

use std::fs::File;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use yuedu_core::config::Config;
use yuedu_core::corpus::Corpus;
use yuedu_core::tags::Store;

use super::{Inline, Jobs, LOCK_WAIT_JOB, Reads, Worker};
use crate::{Action, App, Command, Effect, Env, TagWrite};

fn corpus(dir: &Path) -> Corpus {
    let body = "---\ntitle: 锁测试文章\nurl: https://example.cn/a/1\nsource: 测试源\ndate: 2025-01-02\n---\n\n\
        第一段正文：某安全团队在一次例行巡检中发现，一台对外开放的文件服务器存在未授权访问问题，攻击者可以直接下载其中的备份文件。\n\n\
        第二段：团队随后联系了厂商，厂商在三天内发布了补丁，并建议所有用户尽快升级到最新版本，同时检查访问日志中的异常请求。\n";
    std::fs::write(dir.join("a.md"), body).unwrap();
    Corpus::load(dir).unwrap()
}

fn app(dir: &Path) -> (App, std::path::PathBuf) {
    let corpus_dir = dir.join("corpus");
    std::fs::create_dir_all(&corpus_dir).unwrap();
    let store_path = dir.join("state.json");
    let store = Store::open(&store_path).unwrap().store;
    (App::new(corpus(&corpus_dir), store, &Config::default(), Env::default()), store_path)
}

#[test]
fn update_returns_effects_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, store_path) = app(dir.path());
    let fx = app.update(Action::Run(Command::FollowUp));
    let id = app.corpus().articles[0].id.to_string();
    assert_eq!(fx, vec![Effect::Save(TagWrite::Add { ids: vec![id], tags: vec!["follow-up".into()] })]);
    // Shown at once, written by nobody yet.
    assert_eq!(app.tags_of(0), ["follow-up"]);
    assert_eq!(app.saving(), 1);
    assert!(!store_path.exists());

    let fx = app.update(Action::Run(Command::Open));
    assert!(
        matches!(fx.as_slice(), [Effect::ReadBody(r), Effect::Save(TagWrite::Read { read: true, .. })] if r.index == 0)
    );
    assert!(app.reader().is_some_and(|r| r.body.loading));
}

#[test]
fn inline_runner_carries_effects_out_and_feeds_answers_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, store_path) = app(dir.path());
    let mut inline = Inline::new(Store::open(&store_path).unwrap().store);
    inline.apply(&mut app, Action::Resize { width: 80, height: 24 });
    let rest = inline.apply(&mut app, Action::Run(Command::Open));
    assert!(rest.iter().all(|e| !e.is_work()), "{rest:?}");
    let reader = app.reader().unwrap();
    assert!(!reader.body.loading);
    let text: String =
        reader.body.lines.iter().flat_map(|l| l.spans.iter().map(|s| s.text.as_str())).collect();
    assert!(text.contains("第一段正文"), "{text}");
    assert_eq!(app.saving(), 0);
    let saved = std::fs::read_to_string(&store_path).unwrap();
    assert!(saved.contains("\"read\":true"), "{saved}");
}

#[test]
fn a_held_lock_never_blocks_the_model_and_the_change_lands_after() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, store_path) = app(dir.path());
    // Another process's writer: it holds the lock file the store writes under.
    let lock = File::create(dir.path().join("state.json.lock")).unwrap();
    lock.lock().unwrap();

    let jobs = Jobs::default();
    let (tx, rx) = mpsc::channel();
    let worker =
        Worker::spawn(Store::open(&store_path).unwrap().store, jobs.clone(), Reads::default(), tx).unwrap();
    let start = Instant::now();
    for fx in app.update(Action::Run(Command::FollowUp)) {
        assert!(worker.send(fx).is_none());
    }
    // The key is handled at once and the model keeps taking keys while the save waits.
    app.update(Action::Run(Command::Down));
    assert!(start.elapsed() < Duration::from_millis(100), "{:?}", start.elapsed());
    assert_eq!(app.tags_of(0), ["follow-up"]);
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err(), "saved through a held lock");
    let running = jobs.running();
    assert!(running.iter().any(|j| j.name == LOCK_WAIT_JOB), "{running:?}");

    drop(lock);
    let answer = rx.recv_timeout(Duration::from_secs(5)).expect("the save lands once the lock is free");
    assert!(matches!(&answer, Action::Saved(r) if r.error.is_none() && r.pending == 0), "{answer:?}");
    app.update(answer);
    assert_eq!(app.saving(), 0);
    assert!(std::fs::read_to_string(&store_path).unwrap().contains("follow-up"));
    assert_eq!(worker.finish(Duration::from_secs(2)), 0);
}

#[test]
fn quitting_waits_for_the_save_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, store_path) = app(dir.path());
    let mut inline = Inline::new(Store::open(&store_path).unwrap().store);
    let save = app.update(Action::Run(Command::FollowUp));
    assert_eq!(app.update(Action::Run(Command::Quit)), Vec::<Effect>::new());
    assert!(app.message().is_some_and(|m| m.text.contains("saving 1 tag change")));
    // The answer to the save ends the program.
    assert_eq!(inline.run(&mut app, save), vec![Effect::Quit]);
}
