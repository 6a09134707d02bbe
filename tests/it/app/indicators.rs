//! The indicators panel, the CVE board, entity filter terms and empty pages in the reader's
//! model, over facts given to it as the body pass would (no disk, no pass).

use std::sync::Arc;

use crate::util::app::{Fixture, TestApp, run, titles};
use yuedu::app::{Action, Command, Effect, Overlay};
use yuedu::entities::{Entity, Kind};
use yuedu::facts::{ArticleFacts, FactTable};

fn e(kind: Kind, value: &str, count: u32) -> Entity {
    Entity { kind, value: value.into(), count }
}

/// Facts for the fixture's articles, by title: the first two name CVE-2024-3400, the first an
/// IP too; the third names a CVE newer than itself; the empty page is marked empty.
pub(crate) fn facts_for(app: &TestApp) -> FactTable {
    let mut table = FactTable::default();
    for a in &app.corpus().articles {
        let entities = match a.title.as_str() {
            "勒索软件攻击多家医院，数据遭加密" => vec![
                e(Kind::Cve, "CVE-2024-3400", 2),
                e(Kind::Ipv4, "45.77.12.34", 1),
                e(Kind::Domain, "evil-c2.com", 1),
            ],
            "Researchers find a new loader targeting Exchange servers" => {
                vec![e(Kind::Cve, "CVE-2024-3400", 1), e(Kind::Cve, "CVE-2024-21413", 1)]
            }
            "Notes on CVE-2024-0001 triage" => {
                vec![e(Kind::Cve, "CVE-2024-0001", 1), e(Kind::Cve, "CVE-2031-0001", 1)]
            }
            _ => Vec::new(),
        };
        let empty = a.title == "页面加载失败的文章";
        table.insert(
            a.id,
            ArticleFacts { date: a.date, source: Arc::from(a.source.as_str()), empty, entities },
        );
    }
    table
}

pub(crate) fn with_facts() -> (Fixture, TestApp) {
    let f = Fixture::new();
    let mut app = f.app();
    let table = facts_for(&app);
    app.apply(Action::FactsLoaded(Arc::new(table)));
    (f, app)
}

pub(crate) fn select_title(app: &mut TestApp, title: &str) {
    run(app, Command::Top);
    while app.selected_article().map(|a| a.title.as_str()) != Some(title) {
        let before = app.selected();
        run(app, Command::Down);
        assert_ne!(before, app.selected(), "{title} not in the list");
    }
}

#[test]
fn entity_terms_filter_the_list_exactly() {
    let (_f, mut app) = with_facts();
    app.set_filter("cve:cve-2024-3400");
    assert_eq!(app.rows().len(), 2, "{:?}", titles(&app));
    app.set_filter("ioc:45.77.12[.]34");
    assert_eq!(titles(&app), vec!["勒索软件攻击多家医院，数据遭加密"]);
    app.set_filter("-cve:CVE-2024-3400");
    assert_eq!(app.rows().len(), app.corpus().articles.len() - 2);
    app.set_filter("cve:CVE-2024-340");
    assert!(app.rows().is_empty(), "a CVE term is matched whole, not as a prefix");
}

#[test]
fn facts_arriving_refresh_an_entity_filter() {
    let f = Fixture::new();
    let mut app = f.app();
    app.set_filter("cve:CVE-2024-3400");
    assert!(app.rows().is_empty(), "no facts yet");
    let table = facts_for(&app);
    app.apply(Action::FactsLoaded(Arc::new(table)));
    assert_eq!(app.rows().len(), 2);
}

#[test]
fn the_panel_lists_by_kind_and_enter_filters_to_every_article_naming_one() {
    let (_f, mut app) = with_facts();
    select_title(&mut app, "勒索软件攻击多家医院，数据遭加密");
    run(&mut app, Command::Entities);
    let Some(Overlay::Entities(p)) = app.overlay() else { panic!("no panel: {:?}", app.message()) };
    let kinds: Vec<Kind> = p.items.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, vec![Kind::Cve, Kind::Ipv4, Kind::Domain]);
    let domain = &p.items[2];
    assert_eq!((domain.value.as_str(), domain.defanged.as_str()), ("evil-c2.com", "evil-c2[.]com"));
    // Headings before each kind's first item.
    assert_eq!(p.lines().len(), 6);
    run(&mut app, Command::Down);
    run(&mut app, Command::Down);
    let fx = run(&mut app, Command::CopyUrl);
    assert!(fx.contains(&Effect::Copy("evil-c2.com".into())), "{fx:?}");
    run(&mut app, Command::Up);
    run(&mut app, Command::Up);
    run(&mut app, Command::Open);
    assert!(app.overlay().is_none());
    assert_eq!(app.filter_text(), "cve:CVE-2024-3400");
    assert_eq!(app.rows().len(), 2);
}

#[test]
fn copy_all_takes_every_value_of_the_kind() {
    let (_f, mut app) = with_facts();
    select_title(&mut app, "Notes on CVE-2024-0001 triage");
    run(&mut app, Command::Entities);
    let Some(Overlay::Entities(p)) = app.overlay() else { panic!("no panel") };
    assert!(
        p.items.iter().any(|i| i.value == "CVE-2031-0001" && i.suspect),
        "a CVE newer than the article is suspect"
    );
    let fx = run(&mut app, Command::CopyAll);
    assert!(fx.contains(&Effect::Copy("CVE-2024-0001\nCVE-2031-0001".into())), "{fx:?}");
}

#[test]
fn an_article_without_indicators_says_so() {
    let (_f, mut app) = with_facts();
    select_title(&mut app, "长亭科技发布年度安全报告");
    run(&mut app, Command::Entities);
    assert!(app.overlay().is_none());
    assert!(app.message().is_some_and(|m| m.text.contains("no indicators")), "{:?}", app.message());
}

#[test]
fn the_board_counts_the_list_shown_and_enter_narrows_to_its_count() {
    let (_f, mut app) = with_facts();
    run(&mut app, Command::CveBoard);
    let Some(Overlay::Board(b)) = app.overlay() else { panic!("no board: {:?}", app.message()) };
    let top = b.rows[0].clone();
    assert_eq!((top.cve.as_str(), top.articles, top.sources), ("CVE-2024-3400", 2, 2));
    assert_eq!(b.listed, app.rows().len());
    assert!(!b.rows.iter().any(|r| r.cve == "CVE-2031-0001"), "named only as suspect: not on the board");
    run(&mut app, Command::Open);
    assert_eq!(app.rows().len(), top.articles + top.suspect);
    assert_eq!(app.filter_text(), "cve:CVE-2024-3400");
}

#[test]
fn the_board_follows_the_filter() {
    let (_f, mut app) = with_facts();
    app.set_filter("exchange");
    run(&mut app, Command::CveBoard);
    let Some(Overlay::Board(b)) = app.overlay() else { panic!("no board") };
    let cves: Vec<&str> = b.rows.iter().map(|r| r.cve.as_str()).collect();
    assert_eq!(cves.len(), 2, "{cves:?}");
    assert!(cves.contains(&"CVE-2024-21413") && cves.contains(&"CVE-2024-3400"));
    assert!(b.rows.iter().all(|r| r.articles == 1));
    run(&mut app, Command::Down);
    run(&mut app, Command::Open);
    assert!(
        app.filter_text().starts_with("exchange cve:"),
        "the board's Enter narrows the filter: {}",
        app.filter_text()
    );
    assert_eq!(app.rows().len(), 1);
}

#[test]
fn empty_pages_hide_and_come_back() {
    let (_f, mut app) = with_facts();
    let all = app.rows().len();
    let empty: Vec<usize> = app.rows().iter().copied().filter(|&i| app.is_empty_page(i)).collect();
    assert_eq!(empty.len(), 1);
    run(&mut app, Command::HideEmpty);
    assert!(app.hide_empty());
    assert_eq!(app.rows().len(), all - 1);
    assert!(!app.rows().contains(&empty[0]));
    run(&mut app, Command::HideEmpty);
    assert_eq!(app.rows().len(), all);
}

#[test]
fn hide_empty_from_config_applies_once_facts_arrive() {
    let f = Fixture::new();
    let config = yuedu::config::Config { hide_empty: true, ..Default::default() };
    let mut app = f.app_with(&config, yuedu::app::Env::default());
    let all = app.rows().len();
    let table = facts_for(&app);
    app.apply(Action::FactsLoaded(Arc::new(table)));
    assert_eq!(app.rows().len(), all - 1);
}

#[test]
fn before_the_pass_the_keys_explain_themselves() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Entities);
    assert!(app.overlay().is_none());
    assert!(app.message().is_some_and(|m| m.text.contains("body pass")), "{:?}", app.message());
    run(&mut app, Command::CveBoard);
    assert!(app.message().is_some_and(|m| m.text.contains("body pass")), "{:?}", app.message());
}

#[test]
fn the_value_index_gives_the_rows_a_scan_gives() {
    let (_f, mut scanned) = with_facts();
    let (_g, mut indexed) = with_facts();
    let mut table = facts_for(&indexed);
    table.index_values();
    indexed.apply(Action::FactsLoaded(Arc::new(table)));
    for q in [
        "cve:CVE-2024-3400",
        "cve:cve-2024-3400,CVE-2024-0001",
        "ioc:EVIL-C2.COM",
        "ioc:45.77.12.34 cve:CVE-2024-3400",
        "exchange cve:CVE-2024-21413",
        "-cve:CVE-2024-3400",
        "cve:CVE-2099-0001",
    ] {
        scanned.set_filter(q);
        indexed.set_filter(q);
        assert_eq!(titles(&indexed), titles(&scanned), "{q}");
        if q.starts_with('-') {
            assert_eq!(titles(&indexed).len(), 6, "the exclusion keeps all but the two naming it");
        }
    }
}
