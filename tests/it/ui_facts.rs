//! The indicators panel and the CVE board on ratatui's TestBackend: snapshots at 80×24 and
//! 200×50, and every size down to 0×0 without a panic.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use yuedu::app::{Action, Command};

use crate::app::indicators::{select_title, with_facts};
use crate::util::app::{Fixture, TestApp, run};

fn draw(app: &mut TestApp, w: u16, h: u16) -> Terminal<TestBackend> {
    app.apply(Action::Resize { width: w, height: h });
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| yuedu::ui::draw(f, app)).unwrap();
    t
}

fn screen(t: &Terminal<TestBackend>) -> String {
    let h = t.backend().buffer().area.height;
    (0..h).map(|y| format!("|{}|\n", crate::ui::row_text(t, y))).collect()
}

fn panel() -> (Fixture, TestApp) {
    let (f, mut app) = with_facts();
    select_title(&mut app, "勒索软件攻击多家医院，数据遭加密");
    run(&mut app, Command::Entities);
    (f, app)
}

fn board() -> (Fixture, TestApp) {
    let (f, mut app) = with_facts();
    run(&mut app, Command::CveBoard);
    (f, app)
}

#[test]
fn indicators_panel_80x24() {
    let (_f, mut app) = panel();
    let t = draw(&mut app, 80, 24);
    let s = screen(&t);
    assert!(s.contains("evil-c2[.]com") && s.contains("CVE-2024-3400"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn cve_board_80x24() {
    let (_f, mut app) = board();
    let t = draw(&mut app, 80, 24);
    let s = screen(&t);
    assert!(s.contains("CVE board") && s.contains("CVE-2024-3400"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn cve_board_200x50() {
    let (_f, mut app) = board();
    let t = draw(&mut app, 200, 50);
    let s = screen(&t);
    // The sparkline of the selected CVE: its one week with mentions is a full bar.
    assert!(s.contains('█'), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn every_size_draws_the_overlays() {
    for make in [panel, board] {
        let (_f, mut app) = make();
        for w in (0..=120).step_by(7) {
            for h in 0..=30 {
                draw(&mut app, w, h);
            }
        }
    }
}
