//! Finding inside the open article: `/` in the reading pane, matches highlighted, `n`/`N`
//! between them, Esc or `q` to drop the search; the list filter is untouched.

use crate::util::app::{Fixture, TestApp, edit, run, type_text};
use yuedu::app::{Action, Command, Edit, Pane};

/// Opens the long hospital article (40 paragraphs) in the single-pane layout.
fn open_long(app: &mut TestApp) {
    let row = app
        .rows()
        .iter()
        .position(|&i| app.article(i).unwrap().title.contains("医院"))
        .expect("the long article is listed");
    for _ in 0..row {
        run(app, Command::Down);
    }
    run(app, Command::Open);
    assert_eq!(app.focus(), Pane::Reader);
}

#[test]
fn slash_in_the_reader_finds_in_the_article_and_n_moves_between_matches() {
    let f = Fixture::new();
    let mut app = f.app();
    open_long(&mut app);
    run(&mut app, Command::Filter);
    type_text(&mut app, "防火墙");
    let hits = app.find().unwrap().hits.clone();
    assert!(hits.len() >= 3, "防火墙 is in several paragraphs: {hits:?}");
    edit(&mut app, Edit::Submit);
    assert_eq!(app.filter_text(), "", "the list filter is not touched");
    let r = app.reader().unwrap();
    let first = hits[0];
    assert!(
        r.line(first.row).unwrap().plain_text().chars().skip(first.start).take(3).collect::<String>()
            == "防火墙"
    );
    assert!(first.row >= r.scroll && first.row < r.scroll + app.reader_height(), "the match is on screen");

    run(&mut app, Command::FindNext);
    assert_eq!(app.find().unwrap().current, 1);
    let row = hits[1].row;
    let r = app.reader().unwrap();
    assert!(row >= r.scroll && row < r.scroll + app.reader_height());
    run(&mut app, Command::FindPrev);
    run(&mut app, Command::FindPrev);
    assert_eq!(app.find().unwrap().current, hits.len() - 1, "N from the first wraps to the last");
    assert!(app.message().unwrap().text.contains("wrapped"));

    // A new width re-wraps the article; the search follows the new lines.
    app.apply(Action::Resize { width: 50, height: 24 });
    let f2 = app.find().unwrap();
    assert_eq!(f2.hits.len(), hits.len());
    let h = f2.hits[0];
    let line = app.reader().unwrap().line(h.row).unwrap().plain_text();
    assert_eq!(line.chars().skip(h.start).take(3).collect::<String>(), "防火墙");

    // q drops the search first, then leaves the article.
    run(&mut app, Command::Back);
    assert!(app.find().is_none());
    assert_eq!(app.focus(), Pane::Reader);
    run(&mut app, Command::Back);
    assert_eq!(app.focus(), Pane::List);
}

#[test]
fn n_without_a_search_still_reads_on_and_a_miss_says_so() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Open);
    let first = app.reader().unwrap().index;
    run(&mut app, Command::FindNext);
    assert_ne!(app.reader().unwrap().index, first, "n moves to the next article");
    run(&mut app, Command::Filter);
    type_text(&mut app, "zzzz-not-there");
    assert!(app.find().unwrap().hits.is_empty());
    edit(&mut app, Edit::Submit);
    assert!(app.message().unwrap().text.contains("no match for zzzz-not-there"));
    run(&mut app, Command::Filter);
    edit(&mut app, Edit::Cancel);
    assert!(app.find().is_none(), "Esc in the prompt drops the search");
}

#[test]
fn matches_are_drawn_reversed_and_the_current_one_bold() {
    use ratatui::style::Modifier;
    let f = Fixture::new();
    let mut app = f.app();
    open_long(&mut app);
    run(&mut app, Command::Filter);
    type_text(&mut app, "防火墙");
    edit(&mut app, Edit::Submit);
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    t.draw(|fr| yuedu::ui::draw(fr, &app)).unwrap();
    let buf = t.backend().buffer().clone();
    let (mut reversed, mut bold) = (0, 0);
    for y in 0..24u16 {
        for x in 0..80u16 {
            let c = &buf[(x, y)];
            if c.modifier.contains(Modifier::REVERSED) && "防火墙".contains(c.symbol()) {
                reversed += 1;
                if c.modifier.contains(Modifier::BOLD) {
                    bold += 1;
                }
            }
        }
    }
    assert!(reversed >= 3, "the matches on screen are marked ({reversed} cells)");
    assert_eq!(bold, 3, "exactly the current match's three characters are bold");
    let status: String = (0..80u16).map(|x| buf[(x, 23)].symbol().to_string()).collect();
    assert!(status.contains("match 1/"), "{status}");
}
