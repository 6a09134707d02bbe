//! The reader's model with tags and read state: adding and removing, bulk changes, the tag list,
//! and a save that fails.

use super::*;

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
    assert_eq!(app.rows().len(), 2, "the two articles tagged follow-up");
    assert!(app.rows().iter().all(|&i| app.tags_of(i).contains(&"follow-up".to_string())));
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
    assert_eq!(app.unsaved(), 1, "a data dir that is a file cannot be written");
    let m = app.message().unwrap();
    assert!(m.error && m.text.contains("cannot save tags") && m.text.contains("kept"), "{m:?}");
    assert!(!m.text.contains('\n'));
    assert!(app.wants_tick());
    // Quitting now asks first.
    assert!(!run(&mut app, Command::Quit).contains(&Effect::Quit));
    assert!(app.message().unwrap().text.contains("again"));
    assert!(app.update(Action::Tick).is_empty(), "still failing: nothing to redraw");
    assert_eq!(app.unsaved(), 1);
    std::fs::remove_file(f.data_dir()).unwrap();
    std::fs::create_dir_all(f.data_dir()).unwrap();
    // The quit asked for above goes ahead once the retry lands.
    assert_eq!(app.update(Action::Tick), vec![Effect::Quit]);
    assert_eq!(app.unsaved(), 0);
    let id = app.article(a).unwrap().id.to_string();
    assert_eq!(yuedu::tags::Store::open(&f.store_path).unwrap().store.tags(&id), vec!["ioc".to_string()]);
}
