//! Stories in the reader's model: one row per story with its size, expand, fold off, opening
//! marks every copy read, "also in:" in the header, stepping through the copies.

use std::sync::Arc;

use crate::util::app::{Fixture, TestApp, run};
use yuedu::app::{Action, Command};
use yuedu::stories::StoryTable;

/// Declares the FreeBuf and 安全客 rows (two each) and the first row one story of five, the
/// earliest member its id.
fn with_story(app: &mut TestApp) -> Vec<usize> {
    let arts = &app.corpus().articles;
    let members: Vec<usize> = (0..arts.len())
        .filter(|&i| i == 0 || arts[i].source == "FreeBuf" || arts[i].source == "安全客")
        .collect();
    let story = arts[*members.iter().min_by_key(|&&i| arts[i].date).unwrap()].id;
    let rows = arts
        .iter()
        .map(|a| {
            let s = if members.iter().any(|&i| arts[i].id == a.id) { story } else { a.id };
            (a.id, s, a.date)
        })
        .collect();
    let table = StoryTable::from_rows(rows);
    app.apply(Action::StoriesLoaded(Arc::new(table)));
    members
}

#[test]
fn copies_fold_into_one_row_and_expand_on_demand() {
    let f = Fixture::new();
    let mut app = f.app();
    assert_eq!(app.rows().len(), 8);
    let members = with_story(&mut app);
    assert_eq!(members.len(), 5);
    assert_eq!(app.rows().len(), 4, "five copies fold into one row");
    assert_eq!(app.copies(app.rows()[0]).map(|c| c.1), Some(5));
    run(&mut app, Command::ExpandStory);
    assert_eq!(app.rows().len(), 8);
    assert!(app.rows()[1..5].iter().all(|&i| app.is_expanded_copy(i)));
    run(&mut app, Command::ExpandStory);
    assert_eq!(app.rows().len(), 4);
    run(&mut app, Command::FoldStories);
    assert_eq!(app.rows().len(), 8, "folding off lists every copy");
}

#[test]
fn opening_a_story_reads_every_copy_and_names_the_other_sources() {
    let f = Fixture::new();
    let mut app = f.app();
    let members = with_story(&mut app);
    run(&mut app, Command::Open);
    assert!(members.iter().all(|&i| app.is_read(i)), "every copy is read");
    let store = f.store();
    assert!(members.iter().all(|&i| store.is_read(&app.article(i).unwrap().id.to_string())));
    let header: Vec<String> = app
        .reader()
        .unwrap()
        .header
        .iter()
        .map(|l| l.spans.iter().map(|s| s.text.as_str()).collect())
        .collect();
    assert!(header.iter().any(|l| l == "also in: 安全客, FreeBuf"), "{header:?}");
    // c steps through the copies, earliest first, and comes back round.
    let first = app.reader().unwrap().index;
    let mut seen = vec![first];
    for _ in 0..5 {
        run(&mut app, Command::NextCopy);
        seen.push(app.reader().unwrap().index);
    }
    assert_eq!(seen[5], first, "{seen:?}");
    let mut distinct = seen[..5].to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 5);
}

#[test]
fn a_tag_filter_sees_tags_on_any_copy() {
    let f = Fixture::new();
    let mut app = f.app();
    let members = with_story(&mut app);
    // Tag the last copy only, then filter by the tag: that copy stands for the story.
    let last = *members.last().unwrap();
    let row = app.rows().iter().position(|&i| i == last);
    assert!(row.is_none(), "folded away");
    run(&mut app, Command::ExpandStory);
    while app.rows()[app.selected()] != last {
        run(&mut app, Command::Down);
    }
    run(&mut app, Command::FollowUp);
    run(&mut app, Command::ExpandStory);
    app.set_filter("tag:follow-up");
    assert_eq!(app.rows(), [last]);
}
