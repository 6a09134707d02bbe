//! Headless tests of the reader's model: sequences of actions in, state out. No terminal. Here the
//! list, the filter and reading; tags in `tags`, the rest of a session in `session`.

mod body_search;
mod find;
pub(crate) mod indicators;
mod session;
mod stories;
mod tags;
mod triage;

use crate::util::app::{Fixture, edit, run, title_of, titles, type_text};
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
    let bad = "date:2024-13..2024-99";
    assert!(Query::parse(bad).is_err(), "{bad:?} should not parse");
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
