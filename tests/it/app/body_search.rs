//! Body search in the reader, over a stand-in index: the hits become the list with a snippet
//! line each, Enter lands on the first match, and Esc or `q` gives the list back.

use crate::util::app::{Fixture, TestApp, edit, run, type_text};
use yuedu::app::{BodySearch, Command, Edit, Pane, SearchHit, SearchReply};

/// Answers with every article whose title contains the query, or an error for "bad".
struct TitleIndex(Vec<(yuedu::corpus::ArticleId, String)>);

impl BodySearch for TitleIndex {
    fn search(&mut self, query: &str, _limit: usize) -> SearchReply {
        if query == "bad" {
            return SearchReply {
                error: Some("unclosed quote in the query".into()),
                ..SearchReply::default()
            };
        }
        let hits: Vec<SearchHit> = self
            .0
            .iter()
            .filter(|(_, t)| t.contains(query))
            .map(|(id, t)| SearchHit { id: *id, snippet: format!("…{t}…") })
            .collect();
        SearchReply {
            query: query.into(),
            total: hits.len(),
            hits,
            terms: vec![query.into()],
            error: None,
            partial: Some((5, 8)),
        }
    }
}

fn app_with_index(f: &Fixture) -> TestApp {
    let mut app = f.app();
    let titles = app.corpus().articles.iter().map(|a| (a.id, a.title.clone())).collect();
    app.worker.runner.reads.search = Some(Box::new(TitleIndex(titles)));
    app
}

#[test]
fn hits_become_the_list_and_open_at_the_first_match() {
    let f = Fixture::new();
    let mut app = app_with_index(&f);
    let all = app.rows().len();
    run(&mut app, Command::BodySearch);
    type_text(&mut app, "勒索");
    edit(&mut app, Edit::Submit);
    let results = app.body_results().expect("the search answered").clone();
    assert!(!results.hits.is_empty() && results.hits.len() < all);
    assert_eq!(app.rows(), results.hits.iter().map(|h| h.0).collect::<Vec<_>>());
    assert_eq!(app.row_lines(), 2);
    assert!(app.message().unwrap().text.contains("index partial: 5/8"), "{:?}", app.message());

    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    t.draw(|fr| yuedu::ui::draw(fr, &app)).unwrap();
    let screen: Vec<String> = (0..24u16).map(|y| crate::ui::row_text(&t, y)).collect();
    assert!(screen[0].contains("search: 勒索"), "{}", screen[0]);
    assert!(
        screen[2].contains('…') && screen[2].contains("勒索"),
        "a snippet under the first hit:\n{}",
        screen.join("\n")
    );

    run(&mut app, Command::Open);
    assert_eq!(app.focus(), Pane::Reader);
    let find = app.find().expect("the search's terms are lit in the article");
    assert!(!find.hits.is_empty());
    assert_eq!(find.current, 0);

    run(&mut app, Command::Back);
    run(&mut app, Command::Back);
    assert_eq!(app.focus(), Pane::List);
    run(&mut app, Command::Back);
    assert!(app.body_results().is_none(), "q in the list drops the search first");
    assert_eq!(app.rows().len(), all);
    assert_eq!(app.row_lines(), 1);
}

#[test]
fn a_failed_search_says_why_and_keeps_the_list() {
    let f = Fixture::new();
    let mut app = app_with_index(&f);
    let all = app.rows().len();
    run(&mut app, Command::BodySearch);
    type_text(&mut app, "bad");
    edit(&mut app, Edit::Submit);
    let m = app.message().unwrap();
    assert!(m.error && m.text.contains("unclosed quote"), "{m:?}");
    assert!(app.body_results().is_none());
    assert_eq!(app.rows().len(), all);
    // Without an index the reader says so rather than showing nothing.
    let mut plain = f.app();
    run(&mut plain, Command::BodySearch);
    type_text(&mut plain, "勒索");
    edit(&mut plain, Edit::Submit);
    assert!(plain.message().unwrap().text.contains("not available"));
}
