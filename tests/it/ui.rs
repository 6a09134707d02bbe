//! Screens drawn on ratatui's TestBackend: insta snapshots of the main layouts, style checks, and
//! a sweep over terminal sizes (down to 0×0) in every mode.

use crate::util::app::{Fixture, TestApp, edit, run, type_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use yuedu::app::{Action, Command, Edit, Env};
use yuedu::config::Config;

fn draw(app: &mut TestApp, w: u16, h: u16) -> Terminal<TestBackend> {
    app.apply(Action::Resize { width: w, height: h });
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| yuedu::ui::draw(f, app)).unwrap();
    t
}

/// A list with some state to show: one article read, one tagged.
fn lived_in(f: &Fixture) -> TestApp {
    let mut app = f.app();
    run(&mut app, Command::Open);
    run(&mut app, Command::Back);
    run(&mut app, Command::Down);
    run(&mut app, Command::AddTags);
    type_text(&mut app, "ioc follow-up");
    edit(&mut app, Edit::Submit);
    run(&mut app, Command::Top);
    app
}

/// Row `y` as text: a wide character once, without the cell it covers.
pub fn row_text(t: &Terminal<TestBackend>, y: u16) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    let mut x = 0;
    while x < buf.area.width {
        let s = buf[(x, y)].symbol();
        out.push_str(s);
        x += (unicode_width::UnicodeWidthStr::width(s) as u16).max(1);
    }
    out
}

/// The whole screen as text, one row a line, framed so trailing spaces show.
fn screen(t: &Terminal<TestBackend>) -> String {
    let h = t.backend().buffer().area.height;
    (0..h).map(|y| format!("|{}|\n", row_text(t, y))).collect()
}

#[test]
fn list_80x24() {
    let f = Fixture::new();
    let mut app = lived_in(&f);
    let t = draw(&mut app, 80, 24);
    insta::assert_snapshot!(screen(&t));
}

#[test]
fn reader_80x24() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Open);
    let t = draw(&mut app, 80, 24);
    insta::assert_snapshot!(screen(&t));
}

#[test]
fn empty_page_80x24() {
    let f = Fixture::new();
    let mut app = f.app();
    let i = app.rows().iter().position(|&i| app.article(i).unwrap().title == "页面加载失败的文章").unwrap();
    for _ in 0..i {
        run(&mut app, Command::Down);
    }
    run(&mut app, Command::Open);
    let t = draw(&mut app, 80, 24);
    insta::assert_snapshot!(screen(&t));
}

#[test]
fn side_by_side_120x40() {
    let f = Fixture::new();
    let mut app = lived_in(&f);
    let t = draw(&mut app, 120, 40);
    insta::assert_snapshot!(screen(&t));
}

#[test]
fn filter_prompt_120x40() {
    let f = Fixture::new();
    let mut app = lived_in(&f);
    run(&mut app, Command::Filter);
    type_text(&mut app, "报告");
    let t = draw(&mut app, 120, 40);
    insta::assert_snapshot!(screen(&t));
    // The cursor sits after the typed text on the status line.
    let mut t = t;
    let pos = t.get_cursor_position().unwrap();
    assert_eq!((pos.x, pos.y), (1 + 4, 39));
}

#[test]
fn help_overlay_80x24() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Help);
    let t = draw(&mut app, 80, 24);
    insta::assert_snapshot!(screen(&t));
}

#[test]
fn help_overlay_lists_every_binding_from_the_live_keymap() {
    let f = Fixture::new();
    let mut config = Config::default();
    config.keys.insert("sort".into(), yuedu::config::KeyList::One("F6".into()));
    let mut app = f.app_with(&config, Env::default());
    run(&mut app, Command::Help);
    let t = draw(&mut app, 100, 80);
    let screen: Vec<String> = (0..80).map(|y| row_text(&t, y)).collect();
    let screen = screen.join("\n");
    for c in Command::ALL {
        assert!(screen.contains(c.description()), "{} missing:\n{screen}", c.name());
    }
    assert!(screen.contains("F6"), "the rebound key is shown");
}

#[test]
fn source_picker_80x24() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::PickSource);
    let t = draw(&mut app, 80, 24);
    insta::assert_snapshot!(screen(&t));
}

#[test]
fn bulk_confirmation_80x24() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::BulkAddTags);
    type_text(&mut app, "report-weekly");
    edit(&mut app, Edit::Submit);
    let t = draw(&mut app, 80, 24);
    insta::assert_snapshot!(screen(&t));
}

#[test]
fn narrow_40x12() {
    let f = Fixture::new();
    let mut app = lived_in(&f);
    let t = draw(&mut app, 40, 12);
    insta::assert_snapshot!("narrow_40x12_list", screen(&t));
    run(&mut app, Command::Open);
    let t = draw(&mut app, 40, 12);
    insta::assert_snapshot!("narrow_40x12_reader", screen(&t));
}

#[test]
fn smallest_supported_20x5() {
    let f = Fixture::new();
    let mut app = f.app();
    let t = draw(&mut app, 20, 5);
    insta::assert_snapshot!(screen(&t));
}

#[test]
fn selected_row_read_rows_and_tags_are_styled() {
    let f = Fixture::new();
    let mut app = lived_in(&f);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    // Row 1 is selected (and read: it was opened).
    // Row 1 is selected, and read (it was opened); x = 2 is in the date.
    assert!(buf[(2, 1)].modifier.contains(Modifier::REVERSED));
    assert!(buf[(2, 1)].modifier.contains(Modifier::DIM));
    assert!(!buf[(2, 2)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(2, 2)].modifier.contains(Modifier::DIM), "unread rows are not dim");
    assert_eq!(&row_text(&t, 1)[..1], " ", "read: no unread mark");
    assert_eq!(&row_text(&t, 2)[..1], "*", "unread mark");
    let row = row_text(&t, 2);
    assert!(row.contains("[follow-up] [ioc]"), "{row}");
    let tag_x = row[..row.find("[ioc]").unwrap()]
        .chars()
        .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
        .sum::<usize>();
    assert_eq!(buf[(tag_x as u16 + 1, 2)].fg, Color::Yellow, "tags stand out");
}

#[test]
fn no_color_uses_no_colour() {
    let f = Fixture::new();
    let env = Env { color: false, ..Env::default() };
    let mut app = f.app_with(&Config::default(), env);
    run(&mut app, Command::AddTags);
    type_text(&mut app, "ioc");
    edit(&mut app, Edit::Submit);
    for (w, h) in [(80, 24), (120, 40)] {
        let t = draw(&mut app, w, h);
        for cell in t.backend().buffer().content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
        }
    }
    // With colour, only the 16 basic colours are used.
    let mut app = f.app();
    run(&mut app, Command::Open);
    let t = draw(&mut app, 120, 40);
    for cell in t.backend().buffer().content() {
        for c in [cell.fg, cell.bg] {
            assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{c:?}");
        }
    }
}

#[test]
fn highlights_mark_matched_characters() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::Filter);
    type_text(&mut app, "勒索");
    edit(&mut app, Edit::Submit);
    let index = app.rows()[0];
    assert!(!app.highlights(index).is_empty(), "the first hit of 勒索 has no highlights");
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let row = row_text(&t, 1);
    let x: usize = row[..row.find('勒').unwrap()]
        .chars()
        .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
        .sum();
    assert!(buf[(x as u16, 1)].modifier.contains(Modifier::BOLD), "matched 勒 is highlighted");
    let y = x + 2 * 4;
    assert!(!buf[(y as u16, 1)].modifier.contains(Modifier::BOLD), "an unmatched character is not");
}

#[test]
fn any_size_in_any_mode_draws_without_panic() {
    let f = Fixture::new();
    type Setup = Box<dyn Fn(&mut TestApp)>;
    let setups: Vec<(&str, Setup)> = vec![
        ("list", Box::new(|_| {})),
        ("reader", Box::new(|a| drop(run(a, Command::Open)))),
        ("help", Box::new(|a| drop(run(a, Command::Help)))),
        ("picker", Box::new(|a| drop(run(a, Command::PickSource)))),
        (
            "prompt",
            Box::new(|a| {
                run(a, Command::Filter);
                type_text(a, "安全 x");
            }),
        ),
        (
            "confirm",
            Box::new(|a| {
                run(a, Command::BulkAddTags);
                type_text(a, "x");
                edit(a, Edit::Submit);
            }),
        ),
    ];
    let mut sizes: Vec<(u16, u16)> = Vec::new();
    for w in (0..=24).chain([39, 40, 79, 80, 109, 110, 111, 200]) {
        for h in (0..=8).chain([23, 24, 50]) {
            sizes.push((w, h));
        }
    }
    for (name, setup) in &setups {
        let mut app = f.app();
        setup(&mut app);
        for &(w, h) in &sizes {
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            app.apply(Action::Resize { width: w, height: h });
            for c in [Command::Down, Command::Bottom, Command::PageDown] {
                app.apply(Action::Run(c));
            }
            t.draw(|fr| yuedu::ui::draw(fr, &app)).unwrap_or_else(|e| panic!("{name} {w}x{h}: {e}"));
        }
        // And back from 1×1 to a normal size.
        app.apply(Action::Resize { width: 1, height: 1 });
        draw(&mut app, 80, 24);
    }
}

#[test]
fn overlay_borders_survive_wide_characters_beside_them() {
    let f = Fixture::new();
    let mut app = f.app();
    run(&mut app, Command::PickSource);
    // At these widths the box's left edge falls among the list's CJK titles, at both parities.
    for w in 110..=130 {
        let t = draw(&mut app, w, 24);
        let b = app.picker_area(match app.overlay() {
            Some(yuedu::app::Overlay::Picker(p)) => p,
            _ => unreachable!(),
        });
        let buf = t.backend().buffer();
        for y in b.top()..b.bottom() {
            let left = buf[(b.x - 1, y)].symbol();
            assert!(
                unicode_width::UnicodeWidthStr::width(left) <= 1,
                "{w}: {left:?} covers the border at row {y}"
            );
        }
    }
}
