//! The reader's model over a session: the corpus going away, URLs and the clipboard, keys and
//! config, paste, an empty corpus, state from disk, resizes.

use super::*;

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
    let app = yuedu::app::App::new(corpus, store.detached_copy(), &Config::default(), Env::default());
    let mut app = crate::util::app::TestApp::new(app, store);
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
