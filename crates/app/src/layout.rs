//! Where each part of the screen goes, as a pure function of the terminal size, so the app (which
//! needs page heights and the reader's width) and the view agree.

/// A screen rectangle in cells. The model's own type, so that it needs no terminal crate; the
/// view turns it into ratatui's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Rect {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Rect {
    pub const fn new(x: u16, y: u16, width: u16, height: u16) -> Rect {
        Rect { x, y, width, height }
    }
    pub const fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0
    }
    pub const fn left(&self) -> u16 {
        self.x
    }
    pub const fn top(&self) -> u16 {
        self.y
    }
    pub const fn right(&self) -> u16 {
        self.x.saturating_add(self.width)
    }
    pub const fn bottom(&self) -> u16 {
        self.y.saturating_add(self.height)
    }
}

/// At this width or more, the list and the reader sit side by side.
pub const SIDE_BY_SIDE: u16 = 110;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Reader,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub title: Rect,
    pub list: Rect,
    pub divider: Rect,
    /// The reader's text rows.
    pub reader: Rect,
    /// The reader's bottom bar: source, date, scroll percentage.
    pub reader_bar: Rect,
    pub status: Rect,
}

pub fn side_by_side(width: u16) -> bool {
    width >= SIDE_BY_SIDE
}

/// The list's default share of the width side by side, in percent; `<` and `>` move it by the
/// step, within the bounds. Config: `list_percent`.
pub const LIST_PERCENT: u16 = 45;
pub const LIST_PERCENT_MIN: u16 = 25;
pub const LIST_PERCENT_MAX: u16 = 75;
pub const LIST_PERCENT_STEP: u16 = 5;
/// Side by side, neither pane gets fewer columns than this.
const PANE_MIN: u16 = 40;

/// The screen split for a `width`×`height` terminal with `shown` the pane on screen when there is
/// room for only one. Areas that do not fit are empty.
pub fn areas(width: u16, height: u16, shown: Pane) -> Areas {
    areas_at(width, height, shown, LIST_PERCENT)
}

/// [`areas`] with the list taking `percent` of the width side by side.
pub fn areas_at(width: u16, height: u16, shown: Pane, percent: u16) -> Areas {
    let mut a = Areas::default();
    let full = Rect::new(0, 0, width, height);
    if full.is_empty() {
        return a;
    }
    let main = match height {
        1 => full,
        2 => {
            a.status = Rect::new(0, 1, width, 1);
            Rect::new(0, 0, width, 1)
        }
        _ => {
            a.title = Rect::new(0, 0, width, 1);
            a.status = Rect::new(0, height - 1, width, 1);
            Rect::new(0, 1, width, height - 2)
        }
    };
    let reader_in = |r: Rect, a: &mut Areas| {
        if r.height >= 2 {
            a.reader = Rect::new(r.x, r.y, r.width, r.height - 1);
            a.reader_bar = Rect::new(r.x, r.y + r.height - 1, r.width, 1);
        } else {
            a.reader = r;
        }
    };
    if side_by_side(width) {
        let share =
            (u32::from(width) * u32::from(percent.clamp(LIST_PERCENT_MIN, LIST_PERCENT_MAX)) / 100) as u16;
        let list_w = share.clamp(PANE_MIN, width.saturating_sub(PANE_MIN + 1).max(PANE_MIN));
        a.list = Rect::new(main.x, main.y, list_w, main.height);
        a.divider = Rect::new(main.x + list_w, main.y, 1, main.height);
        let rest = Rect::new(main.x + list_w + 1, main.y, width - list_w - 1, main.height);
        reader_in(rest, &mut a);
    } else {
        match shown {
            Pane::List => a.list = main,
            Pane::Reader => reader_in(main, &mut a),
        }
    }
    a
}

/// The reader's text width: its area less one column of margin on the left.
pub fn reader_text_width(a: &Areas) -> usize {
    usize::from(a.reader.width.saturating_sub(1)).max(1)
}

/// A centred box of at most `want_w`×`want_h`, leaving a margin of one cell when it can.
pub fn overlay(width: u16, height: u16, want_w: u16, want_h: u16) -> Rect {
    let w = if width > 2 { want_w.min(width - 2) } else { width };
    let h = if height > 2 { want_h.min(height - 2) } else { height };
    Rect::new((width - w) / 2, (height - h) / 2, w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_fit_inside_the_screen() {
        for w in 0..=130u16 {
            for h in 0..=12u16 {
                for pane in [Pane::List, Pane::Reader] {
                    let a = areas(w, h, pane);
                    for r in [a.title, a.list, a.divider, a.reader, a.reader_bar, a.status] {
                        assert!(r.right() <= w && r.bottom() <= h, "{r:?} in {w}x{h}");
                    }
                }
            }
        }
        let a = areas(120, 40, Pane::List);
        assert_eq!(a.list.width, 54);
        assert_eq!(a.reader.x, 55);
        assert_eq!(a.reader.height, 37);
        let a = areas(80, 24, Pane::List);
        assert_eq!((a.list.height, a.reader.height), (22, 0));
    }
}
