//! Headless tests of the reader's model: sequences of actions in, state out. No terminal.

#[path = "app_support/fixture.rs"]
mod fixture;

use fixture::{Fixture, edit, run, title_of, titles, type_text};
use yuedu::app::{Action, Command, Edit, Effect, Env, Key, KeyCode, Overlay, Pane, PromptKind, Sort};
use yuedu::config::{Config, KeyList};
use yuedu::filter::Query;

#[test]
fn list_starts_newest_first_with_nothing_selected_but_the_top() {
    let f = Fixture::new();
    let app = f.app();
    let t = titles(&app);
    assert_eq!(t.len(), 8);
    assert_eq!(t[0], "勒索软件攻击多家医院，数据遭加密");
    assert_eq!(t[7], "长亭科技发布年度安全报告");
    assert_eq!(app.selected(), 0);
    assert_eq!(app.focus(), Pane::List);
    assert!(app.reader().is_none());
}

#[test]
fn filter_narrows_live_enter_keeps_and_esc_clears() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Filter);
    assert!(matches!(app.prompt().map(|p| &p.kind), Some(PromptKind::Filter)));
    type_text(&mut app, "exch");
    assert_eq!(titles(&app), vec!["Researchers find a new loader targeting Exchange servers"]);
    // Each key narrows the shown rows at once, before Enter.
    edit(&mut app, Edit::Backspace);
    edit(&mut app, Edit::Backspace);
    edit(&mut app, Edit::Backspace);
    edit(&mut app, Edit::Backspace);
    assert_eq!(app.rows().len(), 8, "an empty filter shows everything");
    type_text(&mut app, "勒索");
    assert_eq!(titles(&app), vec!["勒索软件攻击多家医院，数据遭加密"]);
    edit(&mut app, Edit::Submit);
    assert!(app.prompt().is_none());
    assert!(app.filter_active());
    assert_eq!(app.filter_text(), "勒索");
    assert_eq!(app.rows().len(), 1);

    // Re-opening the prompt edits the kept filter; Esc clears it.
    run(&mut app, Command::Filter);
    assert_eq!(app.prompt().unwrap().edit.text(), "勒索");
    edit(&mut app, Edit::Cancel);
    assert!(!app.filter_active());
    assert_eq!(app.filter_text(), "");
    assert_eq!(app.rows().len(), 8);
}

#[test]
fn back_in_a_filtered_list_clears_then_quits() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Filter);
    type_text(&mut app, "exch");
    edit(&mut app, Edit::Submit);
    assert_eq!(run(&mut app, Command::Back), vec![]);
    assert_eq!(app.rows().len(), 8);
    // The article found stays selected after clearing.
    assert_eq!(
        title_of(&app, app.rows()[app.selected()]),
        "Researchers find a new loader targeting Exchange servers"
    );
    assert_eq!(run(&mut app, Command::Back), vec![Effect::Quit]);
}

#[test]
fn bad_filter_syntax_is_one_line_and_keeps_the_rows() {
    let f = Fixture::new();
    let mut app = f.app();
    let bad = ["date:2024-13..2024-99", "date:..", "source:", "tag:", "date:abc"]
        .into_iter()
        .find(|q| Query::parse(q).is_err());
    let Some(bad) = bad else {
        eprintln!("notice: the filter accepts every candidate bad query; nothing to check yet");
        return;
    };
    run(&mut app, Command::Filter);
    type_text(&mut app, "exch");
    let before = app.rows().to_vec();
    // The whole bad query at once (typed key by key, its prefixes would filter on their own).
    app.apply(Action::Paste(format!(" {bad}")));
    let err = app.filter_error().expect("an error line");
    assert!(!err.contains('\n'));
    assert_eq!(app.rows(), &before[..], "rows stay as they were");
    edit(&mut app, Edit::Submit);
    assert!(app.message().is_some_and(|m| m.error));
}

#[test]
fn open_scroll_and_back_in_the_single_pane_layout() {
    let f = Fixture::new();
    let mut app = f.app();
    let first = app.rows()[0];
    assert!(!app.is_read(first));
    run(&mut app, Command::Open);
    assert_eq!(app.focus(), Pane::Reader);
    assert_eq!(app.shown_pane(), Pane::Reader);
    let r = app.reader().unwrap();
    assert_eq!(r.index, first);
    assert_eq!(r.scroll, 0);
    assert!(r.total() > app.reader_height(), "the long article needs scrolling");
    assert!(app.is_read(first), "opening marks read");
    assert!(app.store().is_read(&app.article(first).unwrap().id.to_string()), "and saves it");

    run(&mut app, Command::Down);
    assert_eq!(app.reader().unwrap().scroll, 1);
    run(&mut app, Command::PageDown);
    let h = app.reader_height();
    assert_eq!(app.reader().unwrap().scroll, 1 + h - 1);
    run(&mut app, Command::HalfPageUp);
    assert_eq!(app.reader().unwrap().scroll, h - h / 2);
    run(&mut app, Command::Bottom);
    let r = app.reader().unwrap();
    assert_eq!(r.scroll, r.max_scroll(h));
    assert_eq!(r.percent(h), 100);
    run(&mut app, Command::Top);
    assert_eq!(app.reader().unwrap().scroll, 0);
    assert!(app.reader().unwrap().percent(h) < 100);

    run(&mut app, Command::Back);
    assert_eq!(app.focus(), Pane::List);
    assert_eq!(app.shown_pane(), Pane::List);
    assert_eq!(app.selected(), 0);
}

#[test]
fn next_and_previous_article_while_reading() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Open);
    run(&mut app, Command::NextArticle);
    assert_eq!(app.selected(), 1);
    assert_eq!(app.reader().unwrap().index, app.rows()[1]);
    assert!(app.is_read(app.rows()[1]));
    run(&mut app, Command::PrevArticle);
    run(&mut app, Command::PrevArticle);
    assert_eq!(app.selected(), 0);
    assert!(app.message().is_some_and(|m| m.text.contains("first")));
}

#[test]
fn reader_header_shows_meta_and_the_empty_page_line() {
    let f = Fixture::new();
    let mut app = f.app();
    let empty = app.rows().iter().position(|&i| title_of(&app, i) == "页面加载失败的文章").unwrap();
    for _ in 0..empty {
        run(&mut app, Command::Down);
    }
    run(&mut app, Command::Open);
    let r = app.reader().unwrap();
    let text: Vec<String> = (0..r.total()).map(|i| r.line(i).unwrap().plain_text()).collect();
    assert_eq!(text[0], "页面加载失败的文章");
    assert!(text[1].contains("安全客") && text[1].contains("2024-12-01"), "{text:?}");
    assert!(text.iter().any(|l| l == "https://www.example.cn/anquanke/3002"));
    let note: Vec<usize> =
        (0..text.len()).filter(|&i| text[i].contains("No article text was captured")).collect();
    assert_eq!(note.len(), 1, "{text:?}");
    assert_eq!(text[note[0] + 1], "https://www.example.cn/anquanke/3002", "the URL follows the note");
    assert!(r.body.empty);
}

#[test]
fn raw_view_toggles_and_resets_scroll() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Open);
    run(&mut app, Command::PageDown);
    run(&mut app, Command::RawView);
    let r = app.reader().unwrap();
    assert!(r.raw);
    assert_eq!(r.scroll, 0);
    assert!((0..r.total()).any(|i| r.line(i).unwrap().plain_text().contains("Raw view")));
    run(&mut app, Command::RawView);
    assert!(!app.reader().unwrap().raw);
}

#[test]
fn side_by_side_previews_and_enter_reads() {
    let f = Fixture::new();
    let mut app = f.app();
    app.apply(Action::Resize { width: 120, height: 40 });
    let r = app.reader().expect("a preview in the side-by-side layout");
    assert_eq!(r.index, app.rows()[0]);
    assert!(!app.is_read(app.rows()[0]), "a preview does not mark read");
    run(&mut app, Command::Down);
    assert_eq!(app.reader().unwrap().index, app.rows()[1]);
    run(&mut app, Command::Open);
    assert_eq!(app.focus(), Pane::Reader);
    assert!(app.is_read(app.rows()[1]));
    // Tab returns to the list with the article still shown beside it.
    run(&mut app, Command::SwitchFocus);
    assert_eq!(app.focus(), Pane::List);
    assert!(app.reader().is_some());
    // Narrowing the terminal falls back to one pane: the list.
    app.apply(Action::Resize { width: 80, height: 24 });
    assert_eq!(app.shown_pane(), Pane::List);
}

#[test]
fn render_cache_is_per_article_and_width() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Open);
    let w80 = app.reader().unwrap().width;
    app.apply(Action::Resize { width: 60, height: 20 });
    let w60 = app.reader().unwrap().width;
    assert_ne!(w80, w60);
    assert_eq!(app.rendered_cached(), 2);
    app.apply(Action::Resize { width: 80, height: 24 });
    assert_eq!(app.rendered_cached(), 2, "the 80-column render came from the cache");
    assert_eq!(app.reader().unwrap().width, w80);
}

#[test]
fn selection_stays_visible() {
    let f = Fixture::new();
    let mut app = f.app();
    app.apply(Action::Resize { width: 40, height: 5 });
    let h = app.list_height();
    assert_eq!(h, 3);
    for _ in 0..6 {
        run(&mut app, Command::Down);
        assert!(app.selected() >= app.offset() && app.selected() < app.offset() + h);
    }
    run(&mut app, Command::Bottom);
    assert_eq!(app.selected(), 7);
    assert_eq!(app.offset(), 5);
    run(&mut app, Command::Top);
    assert_eq!(app.offset(), 0);
    app.apply(Action::Resize { width: 1, height: 1 });
    run(&mut app, Command::Bottom);
    app.apply(Action::Resize { width: 80, height: 24 });
    assert_eq!(app.selected(), 7);
}

#[test]
fn sort_cycles_through_the_orders() {
    let f = Fixture::new();
    let mut app = f.app();
    let newest = titles(&app);
    run(&mut app, Command::Sort);
    assert_eq!(app.sort(), Sort::Oldest);
    let mut rev = newest.clone();
    rev.reverse();
    assert_eq!(titles(&app), rev);
    run(&mut app, Command::Sort);
    assert_eq!(app.sort(), Sort::Source);
    let sources: Vec<String> =
        app.rows().iter().map(|&i| app.article(i).unwrap().source.to_lowercase()).collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(sources, sorted);
    run(&mut app, Command::Sort);
    assert_eq!(app.sort(), Sort::Title);
    run(&mut app, Command::Sort);
    assert_eq!(app.sort(), Sort::Best);
    assert_eq!(titles(&app), newest);
}

#[test]
fn source_picker_limits_the_list_with_counts() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::PickSource);
    let Some(Overlay::Picker(p)) = app.overlay() else { panic!("no picker") };
    assert_eq!(p.items[0], (None, 8));
    assert!(p.items.contains(&(Some("FreeBuf".to_string()), 2)));
    assert!(p.items.contains(&(Some("安全客".to_string()), 2)));
    type_text(&mut app, "free");
    edit(&mut app, Edit::Submit);
    assert!(app.overlay().is_none());
    assert_eq!(app.source_filter(), Some("FreeBuf"));
    assert_eq!(titles(&app), vec!["微信支付接口漏洞分析", "重庆某企业数据泄露事件分析"]);
    run(&mut app, Command::PickSource);
    edit(&mut app, Edit::Cancel);
    assert_eq!(app.source_filter(), Some("FreeBuf"), "Esc leaves the source as it was");
    run(&mut app, Command::Back);
    assert_eq!(app.source_filter(), None);
}

#[test]
fn tags_add_remove_follow_up_and_completion() {
    let f = Fixture::new();
    let mut app = f.app();
    let a = app.rows()[0];
    run(&mut app, Command::AddTags);
    type_text(&mut app, "ioc, report-weekly  ioc");
    edit(&mut app, Edit::Submit);
    assert_eq!(app.tags_of(a), ["ioc", "report-weekly"]);
    let id = app.article(a).unwrap().id.to_string();
    assert_eq!(app.store().tags(&id), vec!["ioc".to_string(), "report-weekly".to_string()]);

    run(&mut app, Command::FollowUp);
    assert!(app.tags_of(a).iter().any(|t| t == "follow-up"));
    run(&mut app, Command::FollowUp);
    assert!(!app.tags_of(a).iter().any(|t| t == "follow-up"));

    // Completion from tags in use, on another article.
    run(&mut app, Command::Down);
    run(&mut app, Command::AddTags);
    type_text(&mut app, "rep");
    assert_eq!(app.prompt().unwrap().candidates(), vec!["report-weekly"]);
    edit(&mut app, Edit::Complete);
    assert_eq!(app.prompt().unwrap().edit.text(), "report-weekly ");
    edit(&mut app, Edit::Submit);
    assert_eq!(app.tags_of(app.rows()[1]), ["report-weekly"]);

    run(&mut app, Command::Up);
    run(&mut app, Command::RemoveTags);
    assert_eq!(app.prompt().unwrap().pool, vec!["ioc", "report-weekly"]);
    type_text(&mut app, "ioc");
    edit(&mut app, Edit::Submit);
    assert_eq!(app.tags_of(a), ["report-weekly"]);
    assert_eq!(app.tag_counts(), vec![("report-weekly".to_string(), 2)]);
}

#[test]
fn tags_are_refused_when_invalid() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::AddTags);
    let long = "x".repeat(200);
    type_text(&mut app, &long);
    edit(&mut app, Edit::Submit);
    assert!(app.tags_of(app.rows()[0]).is_empty());
    assert!(app.message().is_some_and(|m| m.error));
}

#[test]
fn read_state_toggle_and_unread_only() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Open);
    run(&mut app, Command::Back);
    run(&mut app, Command::Down);
    run(&mut app, Command::ToggleRead);
    assert!(app.is_read(app.rows()[1]));
    run(&mut app, Command::UnreadOnly);
    assert!(app.unread_only());
    assert_eq!(app.rows().len(), 6);
    assert!(app.rows().iter().all(|&i| !app.is_read(i)));
    run(&mut app, Command::ToggleRead);
    run(&mut app, Command::UnreadOnly);
    assert_eq!(app.rows().len(), 8);
    run(&mut app, Command::Top);
    run(&mut app, Command::ToggleRead);
    assert!(!app.is_read(app.rows()[0]), "m toggles back to unread");
}

#[test]
fn bulk_tags_apply_to_the_filter_after_a_confirmation() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::PickSource);
    type_text(&mut app, "安全客");
    edit(&mut app, Edit::Submit);
    assert_eq!(app.rows().len(), 2);
    run(&mut app, Command::BulkAddTags);
    type_text(&mut app, "weekly");
    edit(&mut app, Edit::Submit);
    let Some(Overlay::Confirm(b)) = app.overlay() else { panic!("no confirmation") };
    assert_eq!(b.indices.len(), 2);
    assert!(app.rows().iter().all(|&i| app.tags_of(i).is_empty()), "nothing changes before yes");
    app.apply(Action::Confirm(true));
    assert!(app.rows().iter().all(|&i| app.tags_of(i) == ["weekly"]));
    assert!(app.message().unwrap().text.contains("2 article"));

    // A no leaves everything.
    run(&mut app, Command::BulkRemoveTags);
    type_text(&mut app, "weekly");
    edit(&mut app, Edit::Submit);
    app.apply(Action::Confirm(false));
    assert!(app.rows().iter().all(|&i| app.tags_of(i) == ["weekly"]));
    run(&mut app, Command::BulkRemoveTags);
    type_text(&mut app, "weekly");
    edit(&mut app, Edit::Submit);
    app.handle_key(Key::char('y'));
    assert!(app.rows().iter().all(|&i| app.tags_of(i).is_empty()));
}

#[test]
fn bulk_refuses_an_invalid_tag_before_asking() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::BulkAddTags);
    type_text(&mut app, "+weekly");
    edit(&mut app, Edit::Submit);
    assert!(app.overlay().is_none(), "no confirmation for a tag the store refuses");
    assert!(app.message().is_some_and(|m| m.error && m.text.contains("invalid tag")));
}

#[test]
fn tag_list_view_filters_by_tag() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::TagList);
    assert!(app.overlay().is_none(), "no tags yet: nothing to list");
    run(&mut app, Command::AddTags);
    type_text(&mut app, "ioc");
    edit(&mut app, Edit::Submit);
    run(&mut app, Command::Down);
    run(&mut app, Command::FollowUp);
    run(&mut app, Command::Down);
    run(&mut app, Command::FollowUp);
    run(&mut app, Command::TagList);
    let Some(Overlay::Picker(p)) = app.overlay() else { panic!("no tag list") };
    assert_eq!(p.items[1], (Some("follow-up".to_string()), 2));
    assert_eq!(p.items[2], (Some("ioc".to_string()), 1));
    run(&mut app, Command::Down);
    edit(&mut app, Edit::Submit);
    assert_eq!(app.filter_text(), "tag:follow-up");
    if app.rows().len() == 2 {
        assert!(app.rows().iter().all(|&i| app.tags_of(i).contains(&"follow-up".to_string())));
    } else {
        eprintln!("notice: the filter does not support tag: terms yet ({} rows)", app.rows().len());
    }
}

#[test]
fn a_failed_save_is_shown_kept_and_retried() {
    let f = Fixture::new();
    let mut app = f.app();
    // Replace the data dir with a file: every write fails, even for root.
    std::fs::remove_dir_all(f.data_dir()).unwrap();
    std::fs::write(f.data_dir(), b"not a folder").unwrap();
    run(&mut app, Command::AddTags);
    type_text(&mut app, "ioc");
    edit(&mut app, Edit::Submit);
    let a = app.rows()[0];
    assert_eq!(app.tags_of(a), ["ioc"], "the change shows even though it was not saved");
    if app.unsaved() == 0 {
        eprintln!("notice: the tag store did not fail on an unwritable data dir; skipping");
        return;
    }
    let m = app.message().unwrap();
    assert!(m.error && m.text.contains("cannot save tags") && m.text.contains("kept"), "{m:?}");
    assert!(!m.text.contains('\n'));
    assert!(app.wants_tick());
    // Quitting now asks first.
    assert_eq!(run(&mut app, Command::Quit), vec![]);
    assert!(app.message().unwrap().text.contains("again"));
    assert!(app.update(Action::Tick).is_empty(), "still failing: nothing to redraw");
    assert_eq!(app.unsaved(), 1);
    std::fs::remove_file(f.data_dir()).unwrap();
    std::fs::create_dir_all(f.data_dir()).unwrap();
    assert_eq!(app.update(Action::Tick), vec![Effect::Redraw]);
    assert_eq!(app.unsaved(), 0);
    let id = app.article(a).unwrap().id.to_string();
    assert_eq!(yuedu::tags::Store::open(&f.store_path).unwrap().store.tags(&id), vec!["ioc".to_string()]);
}

#[test]
fn a_deleted_corpus_is_reported_not_fatal() {
    let f = Fixture::new();
    let mut app = f.app();
    std::fs::remove_dir_all(&f.root).unwrap();
    assert_eq!(app.update(Action::Tick), vec![Effect::Redraw]);
    assert!(app.corpus_gone());
    run(&mut app, Command::Open);
    let r = app.reader().unwrap();
    assert!(r.body.error.is_some());
    assert!(r.line(r.header.len()).unwrap().plain_text().contains("Cannot show this article"));
    run(&mut app, Command::NextArticle);
    run(&mut app, Command::RawView);
    assert_eq!(app.rows().len(), 8, "the list stays");
}

/// The watcher reports the deletion after (or before) a tick noticed it: the reload that drops
/// every article must not clear the notice until the next tick.
#[test]
fn a_reload_after_the_corpus_is_deleted_keeps_saying_so() {
    let f = Fixture::new();
    let mut app = f.app();
    std::fs::remove_dir_all(&f.root).unwrap();
    app.update(Action::Tick);
    assert!(app.corpus_gone());
    app.update(Action::FilesChanged(vec![f.root.clone()]));
    assert!(app.rows().is_empty(), "the deleted articles go");
    assert!(app.corpus_gone(), "the reload hid the notice");
    // Back again: a reload that finds the folder clears it.
    std::fs::create_dir_all(&f.root).unwrap();
    app.update(Action::FilesChanged(vec![f.root.clone()]));
    assert!(!app.corpus_gone());
}

#[test]
fn open_url_needs_a_display_and_http() {
    let f = Fixture::new();
    let mut app = f.app();
    assert_eq!(run(&mut app, Command::OpenUrl), vec![]);
    assert!(app.message().unwrap().text.contains("no local display"));

    let env = Env { has_display: true, ..Env::default() };
    let mut app = f.app_with(&Config::default(), env);
    assert_eq!(
        run(&mut app, Command::OpenUrl),
        vec![Effect::OpenUrl("https://news.example.cn/a/1001".into())]
    );
    // The article without a URL.
    let none = app.rows().iter().position(|&i| app.article(i).unwrap().url.is_none()).unwrap();
    for _ in 0..none {
        run(&mut app, Command::Down);
    }
    assert_eq!(run(&mut app, Command::OpenUrl), vec![]);
    assert!(app.message().unwrap().error);
}

#[test]
fn copy_url_is_an_osc52_effect_with_a_clean_url() {
    let f = Fixture::new();
    let mut app = f.app();
    assert_eq!(run(&mut app, Command::CopyUrl), vec![Effect::Copy("https://news.example.cn/a/1001".into())]);
    assert_eq!(yuedu::app::safe_url(" https://a.b/\u{1b}]52;x\u{7}\u{202e}c d "), "https://a.b/]52;xcd");
}

#[test]
fn keys_go_through_the_keymap_and_prompts_take_text() {
    let f = Fixture::new();
    let mut app = f.app();
    app.handle_key(Key::char('j'));
    assert_eq!(app.selected(), 1);
    app.handle_key(Key::plain(KeyCode::Down));
    assert_eq!(app.selected(), 2);
    app.handle_key(Key::char('/'));
    // In the prompt, j is text, not a move.
    for c in "exch".chars() {
        app.handle_key(Key::char(c));
    }
    app.handle_key(Key::char('j'));
    assert_eq!(app.prompt().unwrap().edit.text(), "exchj");
    app.handle_key(Key::plain(KeyCode::Backspace));
    app.handle_key(Key::plain(KeyCode::Enter));
    assert_eq!(app.rows().len(), 1);
    app.handle_key(Key::plain(KeyCode::Enter));
    assert_eq!(app.focus(), Pane::Reader);
    app.handle_key(Key::char('q'));
    assert_eq!(app.focus(), Pane::List);
    app.handle_key(Key::char('?'));
    assert!(matches!(app.overlay(), Some(Overlay::Help { .. })));
    app.handle_key(Key::char('j'));
    assert!(matches!(app.overlay(), Some(Overlay::Help { scroll: 1 })));
    app.handle_key(Key::char('x'));
    assert!(app.overlay().is_none());
    assert_eq!(app.handle_key(Key::char('Q')), vec![Effect::Quit]);
    assert_eq!(app.handle_key(Key::ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn config_rebinds_keys_and_reports_bad_ones() {
    let f = Fixture::new();
    let mut config = Config::default();
    config.keys.insert("down".into(), KeyList::Many(vec!["x".into(), "Down".into()]));
    config.keys.insert("nonsense".into(), KeyList::One("z".into()));
    let mut app = f.app_with(&config, Env::default());
    assert!(app.message().is_some_and(|m| m.error && m.text.contains("nonsense")));
    app.handle_key(Key::char('x'));
    assert_eq!(app.selected(), 1);
    app.handle_key(Key::char('j'));
    assert_eq!(app.selected(), 1, "j is no longer down");
    let help = yuedu::app::help_lines(app.keymap());
    assert!(help.contains(&yuedu::app::HelpLine::Binding("x, Down".into(), Command::Down.description())));
}

#[test]
fn paste_goes_into_the_prompt_without_control_characters() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Filter);
    app.apply(Action::Paste("ex\u{1b}[2Jch".into()));
    assert_eq!(app.prompt().unwrap().edit.text(), "ex [2Jch");
}

#[test]
fn an_empty_corpus_is_a_list_with_nothing_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = yuedu::corpus::Corpus::load(dir.path()).unwrap();
    let store = yuedu::tags::Store::open(&dir.path().join("s.json")).unwrap().store;
    let mut app = yuedu::app::App::new(corpus, store, &Config::default(), Env::default());
    for c in Command::ALL {
        if *c == Command::Quit || *c == Command::Back {
            continue;
        }
        app.apply(Action::Run(*c));
        app.apply(Action::Edit(Edit::Insert('a')));
        app.apply(Action::Edit(Edit::Submit));
        app.apply(Action::Confirm(true));
    }
    assert!(app.rows().is_empty());
}

#[test]
fn tags_and_read_state_on_disk_show_at_start() {
    let f = Fixture::new();
    let corpus = f.corpus();
    let (a, b) = (corpus.articles[0].id, corpus.articles[1].id);
    {
        let mut store = f.store();
        store.add(&a.to_string(), &["ioc".to_string()]).unwrap();
        store.set_read(&a.to_string(), true).unwrap();
        // Not an id as written (no leading zeros): it must not land on article `b`.
        store.add(&format!("{:x}", b.0), &["x".to_string()]).unwrap();
        store.add(&format!("0{}", b), &["y".to_string()]).unwrap();
    }
    let app = f.app();
    let index = |id| (0..app.rows().len()).find(|&i| app.article(i).unwrap().id == id).unwrap();
    assert_eq!(app.tags_of(index(a)), ["ioc".to_string()]);
    assert!(app.is_read(index(a)));
    assert!(app.tags_of(index(b)).is_empty() || format!("{:x}", b.0) == b.to_string());
    assert!(!app.is_read(index(b)));
}

#[test]
fn a_resize_keeps_the_place_in_the_article() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Open);
    for _ in 0..3 {
        run(&mut app, Command::PageDown);
    }
    let before = app.reader().unwrap();
    let (scroll, total) = (before.scroll, before.total());
    let frac = scroll as f64 / total as f64;
    assert!(scroll > 0);
    app.apply(Action::Resize { width: 50, height: 24 });
    let after = app.reader().unwrap();
    assert!(after.total() > total, "narrower means more lines");
    let frac2 = after.scroll as f64 / after.total() as f64;
    assert!((frac - frac2).abs() < 0.05, "{frac} vs {frac2}");
}

#[test]
fn reading_on_keeps_the_list_scrolled_sensibly() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Open);
    run(&mut app, Command::NextArticle);
    run(&mut app, Command::NextArticle);
    assert_eq!(app.selected(), 2);
    assert_eq!(app.offset(), 0, "the list, though hidden, did not scroll the selection to its top");
}
