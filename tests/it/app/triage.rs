//! Issue 18, in the model: Esc never quits, positions, sort keeps the selection, undo, mark all
//! read, links by number, saved searches with unread counts, reading position, aliases, the
//! titles prepared by the worker after the first frame, config key mistakes.

use std::collections::BTreeMap;

use crate::util::Dir;
use crate::util::app::{Fixture, TestApp, edit, run, titles, type_text};
use yuedu::app::{Action, App, Command, Edit, Effect, Env, Key, KeyCode, Overlay, Sort};
use yuedu::config::{Config, KeyList};

fn quits(fx: &[Effect]) -> bool {
    fx.iter().any(|e| matches!(e, Effect::Quit))
}

#[test]
fn esc_backs_out_but_never_quits_and_q_quits_at_the_top() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Filter);
    type_text(&mut app, "漏洞");
    edit(&mut app, Edit::Submit);
    assert!(app.filter_active());
    let esc = Key::plain(KeyCode::Esc);
    assert!(!quits(&app.handle_key(esc)));
    assert!(!app.filter_active(), "the first Esc clears the filter");
    for _ in 0..3 {
        assert!(!quits(&app.handle_key(esc)), "Esc at the top level does nothing");
    }
    assert!(app.message().is_some_and(|m| m.text.contains("q quits")));
    assert!(quits(&app.handle_key(Key::char('q'))));
    assert!(quits(&app.handle_key(Key::ctrl('c'))));
}

#[test]
fn header_position_and_reader_n_of_m() {
    let f = Fixture::new();
    let mut app = f.app();
    assert_eq!(app.position(), 1);
    run(&mut app, Command::Down);
    run(&mut app, Command::Down);
    assert_eq!(app.position(), 3);
    run(&mut app, Command::Open);
    assert_eq!(app.reader_position(), Some((3, 8)));
    run(&mut app, Command::NextArticle);
    assert_eq!(app.reader_position(), Some((4, 8)));
}

#[test]
fn sorting_keeps_the_selected_article_selected() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Down);
    let id = app.selected_article().map(|a| a.id);
    for _ in 0..4 {
        run(&mut app, Command::Sort);
        assert_eq!(app.selected_article().map(|a| a.id), id, "after sort {:?}", app.sort());
        assert!(app.selected() >= app.offset() && app.selected() < app.offset() + app.list_height());
    }
}

#[test]
fn the_worker_prepares_titles_after_the_first_frame_and_ranks_them() {
    let f = Fixture::new();
    let mut app =
        TestApp::new(App::new(f.corpus(), f.store(), &Config::default(), Env::default()), f.store());
    let fx = app.app.settle();
    assert!(fx.iter().any(|e| matches!(e, Effect::Prepare { .. })), "{fx:?}");
    app.worker.run(&mut app.app, fx);
    assert!(app.app.settle().iter().all(|e| !matches!(e, Effect::Prepare { .. })), "asked once");
    while app.sort() != Sort::Title {
        run(&mut app, Command::Sort);
    }
    let got = titles(&app);
    let mut want = got.clone();
    want.sort_by_key(|t| t.to_lowercase());
    assert_eq!(got, want);
}

#[test]
fn undo_puts_back_a_tag_change_and_a_bulk_read() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::FollowUp);
    assert_eq!(app.tags_of(app.rows()[0]), ["follow-up"]);
    run(&mut app, Command::Undo);
    assert!(app.tags_of(app.rows()[0]).is_empty());
    assert!(!f.store().has_tag(&app.selected_article().unwrap().id.to_string(), "follow-up"));

    run(&mut app, Command::MarkAllRead);
    assert!(matches!(app.overlay(), Some(Overlay::Confirm(b)) if b.read && b.indices.len() == 8));
    app.apply(Action::Confirm(true));
    assert!(app.rows().iter().all(|&i| app.is_read(i)));
    let store = f.store();
    assert!(app.rows().iter().all(|&i| store.is_read(&app.article(i).unwrap().id.to_string())));
    run(&mut app, Command::Undo);
    assert!(app.rows().iter().all(|&i| !app.is_read(i)));
    let store = f.store();
    assert!(app.rows().iter().all(|&i| !store.is_read(&app.article(i).unwrap().id.to_string())));
    run(&mut app, Command::Undo);
    assert!(app.message().is_some_and(|m| m.text.contains("nothing to undo")));
}

#[test]
fn mark_all_read_asks_and_no_keeps_everything() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::MarkAllRead);
    app.apply(Action::Confirm(false));
    assert!(app.rows().iter().all(|&i| !app.is_read(i)));
}

#[test]
fn tags_are_case_blind() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::AddTags);
    type_text(&mut app, "Follow-Up APT41");
    edit(&mut app, Edit::Submit);
    let i = app.rows()[0];
    assert_eq!(app.tags_of(i), ["apt41", "follow-up"]);
    run(&mut app, Command::FollowUp);
    assert_eq!(app.tags_of(i), ["apt41"], "f removes the tag typed in another case");
}

/// A corpus of one article with three links, and one long article.
fn linked() -> (Dir, TestApp) {
    let d = Dir::new();
    d.article(
        "2025/03/01/a.md",
        "补丁说明",
        "https://sec.example.cn/a/1",
        "测试源",
        "2025-03-01",
        "厂商在周二发布了网关产品的补丁，修复了一个可以绕过登录的漏洞，攻击者已经在野外利用它进入多家单位的内网。\n\n详情见[公告](https://vendor.example.com/advisory/7)，复现代码在[代码仓库](https://git.example.org/x/y)，问题可以通过[邮件](mailto:psirt@example.com)报告给厂商的安全团队。",
    );
    let store = d.store();
    std::fs::create_dir_all(store.parent().unwrap()).unwrap();
    let open = || yuedu::tags::Store::open(&store).unwrap().store;
    let env = Env { has_display: true, ..Env::default() };
    let mut app = TestApp::new(App::new(d.load(), open(), &Config::default(), env), open());
    app.apply(Action::Resize { width: 80, height: 24 });
    (d, app)
}

#[test]
fn links_by_number_open_or_copy() {
    let (_d, mut app) = linked();
    run(&mut app, Command::Open);
    run(&mut app, Command::Link);
    type_text(&mut app, "2");
    let fx = app.apply(Action::Edit(Edit::Submit));
    assert_eq!(fx, vec![Effect::OpenUrl("https://git.example.org/x/y".into())]);
    run(&mut app, Command::Link);
    type_text(&mut app, "1");
    let fx = app.apply(Action::Edit(Edit::Insert('y')));
    assert_eq!(fx, vec![Effect::Copy("https://vendor.example.com/advisory/7".into())]);
    assert!(app.prompt().is_none());
    run(&mut app, Command::Link);
    type_text(&mut app, "9");
    let fx = app.apply(Action::Edit(Edit::Submit));
    assert!(fx.is_empty());
    assert!(app.message().is_some_and(|m| m.error && m.text.contains("1 to 3")), "{:?}", app.message());
}

#[test]
fn reopening_an_article_returns_to_where_it_was_left() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Open);
    for _ in 0..3 {
        run(&mut app, Command::PageDown);
    }
    let left = app.reader().unwrap().scroll;
    assert!(left > 20, "{left}");
    run(&mut app, Command::Back);
    assert!(app.reader().is_none());
    // Kept in the store: a new session over the same store finds it too.
    let mut again = f.app();
    run(&mut again, Command::Open);
    let back = again.reader().unwrap().scroll;
    assert!(back.abs_diff(left) <= 1, "left at {left}, reopened at {back}");
}

#[test]
fn saved_searches_list_unread_counts_and_apply() {
    let f = Fixture::new();
    let mut config = Config::default();
    config.searches.insert("ransom".into(), "勒索".into());
    config.searches.insert("vulns".into(), "漏洞 OR 供应链".into());
    let mut app = f.app_with(&config, Env::default());
    run(&mut app, Command::SavedSearches);
    let Some(Overlay::Picker(p)) = app.overlay() else { panic!("no picker") };
    let counts: BTreeMap<String, usize> =
        p.items.iter().map(|(n, c)| (n.clone().unwrap_or_default(), *c)).collect();
    assert_eq!(counts["ransom"], 1);
    edit(&mut app, Edit::Submit);
    assert_eq!(app.filter_text(), "勒索");
    assert_eq!(titles(&app), ["勒索软件攻击多家医院，数据遭加密"]);
    // Read it: the count drops.
    run(&mut app, Command::Open);
    run(&mut app, Command::Back);
    run(&mut app, Command::SavedSearches);
    let Some(Overlay::Picker(p)) = app.overlay() else { panic!("no picker") };
    assert_eq!(p.items.iter().find(|(n, _)| n.as_deref() == Some("ransom")).map(|x| x.1), Some(0));
}

#[test]
fn source_aliases_join_names() {
    let f = Fixture::new();
    let mut config = Config::default();
    config.sources.aliases.insert("freebuf".into(), "安全内参".into());
    let app = f.app_with(&config, Env::default());
    let n = app.rows().iter().filter(|&&i| app.article(i).unwrap().source == "安全内参").count();
    assert_eq!(n, 3, "two FreeBuf rows join the one 安全内参 row");
    assert!(app.rows().iter().all(|&i| app.article(i).unwrap().source != "FreeBuf"));
}

#[test]
fn a_bad_key_entry_keeps_the_default_and_says_so() {
    let f = Fixture::new();
    let mut config = Config::default();
    config.keys.insert("down".into(), KeyList::Many(vec!["Ctrl-Nope".into()]));
    let mut app = f.app_with(&config, Env::default());
    assert!(app.message().is_some_and(|m| m.error && m.text.contains("keys.down")));
    run(&mut app, Command::Down);
    assert_eq!(app.selected(), 1);
    app.handle_key(Key::char('j'));
    assert_eq!(app.selected(), 2, "j still moves down");
}

#[test]
fn list_width_moves_with_the_keys_side_by_side() {
    let f = Fixture::new();
    let mut app = f.app();
    app.apply(Action::Resize { width: 200, height: 50 });
    let before = app.areas().list.width;
    assert_eq!(before, 90);
    app.handle_key(Key::char('>'));
    assert_eq!(app.areas().list.width, 100);
    app.handle_key(Key::char('<'));
    app.handle_key(Key::char('<'));
    assert_eq!(app.areas().list.width, 80);
}
