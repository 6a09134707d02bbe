//! Fuzzy alignment of one term with a title: skim v2's algorithm (affine gaps; bonuses for word
//! heads, breaks, camel humps and consecutive runs; smart case), extended so that a Han
//! character may take a non-empty prefix of any of its readings (`lsrj`, `lesuo` → 勒索软件).
//!
//! For literal alignments the scores and positions are exactly those of fuzzy-matcher's
//! `SkimMatcherV2` (a property test checks it against the crate). The crate is not called per
//! title because one call costs 1–3 µs, far over the per-keystroke budget for 150,000 titles,
//! and because its reused score matrix lets a bonus from one call leak into the next, so the
//! same title can score differently on different threads.

use std::cell::RefCell;
use std::sync::LazyLock;

use fuzzy_matcher::skim::SkimScoreConfig;

use super::pinyin::{self, MAX_SYLLABLE};

/// Terms longer than this are left to fuzzy-matcher: partial alignments are `u64` bitmasks.
pub(crate) const MAX_PATTERN: usize = 63;

static CONFIG: LazyLock<SkimScoreConfig> = LazyLock::new(SkimScoreConfig::default);

/// A term (1 to [`MAX_PATTERN`] chars) prepared for alignment: for each title char, the query
/// positions it can take, as bitmasks, so one title char advances every partial alignment at
/// once.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    len: usize,
    /// Per ASCII title byte: the positions it matches (ASCII case-blind unless the term has a
    /// capital) ...
    ascii: Box<[u64]>,
    /// ... and those it matches in the same case, which are not penalized.
    ascii_exact: Box<[u64]>,
    /// Positions of the term's non-ASCII chars, which match exactly.
    other: Vec<(char, u64)>,
    /// When the term may match by pinyin: per reading set (see `pinyin::reading_set`), per
    /// `k - 1`, the positions `q` where the term goes on with the first `k` letters of one of
    /// the readings. Each mask is within the one before.
    syllables: Option<Box<[[u64; MAX_SYLLABLE]]>>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Plan({} chars, pinyin: {})", self.len, self.syllables.is_some())
    }
}

impl Plan {
    /// `pinyin` asks for the syllable tables; only a lowercase term should.
    pub fn new(pat: &[char], case_sensitive: bool, pinyin: bool) -> Option<Plan> {
        if pat.is_empty() || pat.len() > MAX_PATTERN {
            return None;
        }
        let mut ascii = vec![0u64; 128].into_boxed_slice();
        let mut ascii_exact = vec![0u64; 128].into_boxed_slice();
        let mut other: Vec<(char, u64)> = Vec::new();
        for (q, &c) in pat.iter().enumerate() {
            let bit = 1u64 << q;
            if c.is_ascii() {
                ascii_exact[c as usize] |= bit;
                ascii[c as usize] |= bit;
                if !case_sensitive {
                    ascii[c.to_ascii_lowercase() as usize] |= bit;
                    ascii[c.to_ascii_uppercase() as usize] |= bit;
                }
            } else if let Some(e) = other.iter_mut().find(|(o, _)| *o == c) {
                e.1 |= bit;
            } else {
                other.push((c, bit));
            }
        }
        let syllables = pinyin.then(|| {
            let mut by_id = vec![[0u64; MAX_SYLLABLE]; pinyin::syllable_count()];
            for (id, masks) in by_id.iter_mut().enumerate() {
                let s = pinyin::syllable(id as u16);
                for q in 0..pat.len() {
                    let common = s.iter().zip(&pat[q..]).take_while(|&(&a, &b)| a as char == b).count();
                    for m in &mut masks[..common.min(MAX_SYLLABLE)] {
                        *m |= 1 << q;
                    }
                }
            }
            let mut by_set = vec![[0u64; MAX_SYLLABLE]; pinyin::set_count()].into_boxed_slice();
            for (set, masks) in by_set.iter_mut().enumerate() {
                for &id in pinyin::set_readings(set as u16) {
                    if let Some(of_id) = by_id.get(id as usize) {
                        for (m, o) in masks.iter_mut().zip(of_id) {
                            *m |= o;
                        }
                    }
                }
            }
            by_set
        });
        Some(Plan { len: pat.len(), ascii, ascii_exact, other, syllables })
    }

    /// Query positions that title char `c` matches literally.
    #[inline]
    fn literal(&self, c: char) -> u64 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else if self.other.is_empty() {
            0
        } else {
            self.other.iter().find(|(o, _)| *o == c).map_or(0, |e| e.1)
        }
    }

    #[inline]
    fn exact(&self, c: char) -> u64 {
        if c.is_ascii() { self.ascii_exact[c as usize] } else { self.literal(c) }
    }

    /// Per `k - 1`: the positions from which `c` can take the next `k` query chars by pinyin.
    #[inline]
    fn by_pinyin(&self, c: char) -> [u64; MAX_SYLLABLE] {
        match &self.syllables {
            Some(table) => table.get(usize::from(pinyin::reading_set(c))).copied().unwrap_or_default(),
            None => [0; MAX_SYLLABLE],
        }
    }

    /// The query positions title char `c` advances to from the positions in `reach`.
    #[inline]
    fn step<const PINYIN: bool>(&self, c: char, reach: u64) -> u64 {
        let mut out = (reach & self.literal(c)) << 1;
        if PINYIN && !c.is_ascii() {
            // Every position here is at most `len - k`, so the shift stays below bit 64.
            for (k, m) in self.by_pinyin(c).iter().enumerate() {
                let from = reach & m;
                if from == 0 {
                    break;
                }
                out |= from << (k + 1);
            }
        }
        out
    }

    /// Whether the term aligns with `text`: anywhere with gaps, or as one contiguous run.
    pub fn reachable<const PINYIN: bool>(&self, text: &str, contiguous: bool) -> bool {
        let goal = 1u64 << self.len;
        let mut reach = 1u64;
        for c in text.chars() {
            let s = self.step::<PINYIN>(c, reach);
            reach = if contiguous { 1 | s } else { reach | s };
            if reach & goal != 0 {
                return true;
            }
        }
        false
    }

    /// The first contiguous run of title chars the term aligns with, as char indices.
    pub fn contiguous_run<const PINYIN: bool>(&self, text: &str) -> Option<std::ops::Range<usize>> {
        let chars: Vec<char> = text.chars().collect();
        let goal = 1u64 << self.len;
        for start in 0..chars.len() {
            let mut reach = 1u64;
            for (j, &c) in chars.iter().enumerate().skip(start) {
                reach = self.step::<PINYIN>(c, reach);
                if reach & goal != 0 {
                    return Some(start..j + 1);
                }
                if reach == 0 {
                    break;
                }
            }
        }
        None
    }

    /// The score of [`Plan::best`] alone. Without the positions the matrix shrinks to one
    /// column of states, updated in place, and no moves are kept: the filter scores every
    /// candidate title this way and finds positions only for the rows on screen.
    pub fn score<const PINYIN: bool>(&self, text: &str) -> Option<i64> {
        if self.len == 1 {
            return self.best_single_at::<PINYIN>(&CONFIG, text).map(|(s, _)| i64::from(s));
        }
        // Short terms are the broad ones, scored against most titles: a fixed row count lets
        // the compiler unroll the rows.
        match (self.len, text.is_ascii()) {
            // No Han char, so no pinyin; bytes are chars.
            (2, true) => self.score_rows::<false, 2>(text.bytes().map(char::from)),
            (3, true) => self.score_rows::<false, 3>(text.bytes().map(char::from)),
            (2, false) => self.score_rows::<PINYIN, 2>(text.chars()),
            (3, false) => self.score_rows::<PINYIN, 3>(text.chars()),
            (_, true) => self.score_in::<false>(text.bytes().map(char::from)),
            (_, false) => self.score_in::<PINYIN>(text.chars()),
        }
    }

    /// The syllable masks of title char `c` (see [`Plan::by_pinyin`]), through the tables a
    /// score pass looked up once.
    #[inline(always)]
    fn syllables_in<'t, const PINYIN: bool>(
        c: char,
        set_of: &[u16],
        by_set: &'t [[u64; MAX_SYLLABLE]],
    ) -> &'t [u64; MAX_SYLLABLE] {
        const NONE: [u64; MAX_SYLLABLE] = [0; MAX_SYLLABLE];
        if !PINYIN || c.is_ascii() {
            return &NONE;
        }
        pinyin::slot(c).and_then(|i| set_of.get(i)).and_then(|&s| by_set.get(usize::from(s))).unwrap_or(&NONE)
    }

    /// Row `i`'s new match state when a title char takes query chars: literally (`literal`,
    /// `exact`) or by pinyin (`syllables`), from the column before (`mm`, `pp`).
    #[inline(always)]
    fn cell(
        cfg: &SkimScoreConfig,
        i: usize,
        (literal, exact, bonus): (u64, u64, i32),
        syllables: &[u64; MAX_SYLLABLE],
        mm: &[i32],
        pp: &[i32],
    ) -> i32 {
        let bit = 1u64 << (i - 1);
        let mut best = NEG;
        if literal & bit != 0 {
            let base = cfg.score_match + if exact & bit != 0 { 0 } else { cfg.penalty_case_mismatch };
            best = base + (mm[i - 1] + bonus.max(cfg.bonus_consecutive)).max(pp[i - 1] + bonus);
        }
        if syllables[0] != 0 {
            let bonus = bonus.max(cfg.bonus_camel);
            for took in 1..=MAX_SYLLABLE.min(i) {
                let from = i - took;
                if syllables[took - 1] >> from & 1 != 0 {
                    let via = (mm[from] + bonus.max(cfg.bonus_consecutive)).max(pp[from] + bonus);
                    // The later letters of a syllable count as a consecutive run.
                    let took_i = took as i32;
                    best = best.max(cfg.score_match * took_i + cfg.bonus_consecutive * (took_i - 1) + via);
                }
            }
        }
        best
    }

    /// Moves rows `1..=rows` through `skipped` chars that take nothing: each opens or extends
    /// a gap. Impossible states stay at NEG instead of drifting with each gap.
    #[inline(always)]
    fn skip(cfg: &SkimScoreConfig, mm: &mut [i32], pp: &mut [i32], rows: usize, skipped: i32) {
        for i in 1..=rows {
            let gap = (mm[i] + cfg.gap_start + cfg.gap_extension).max(pp[i] + cfg.gap_extension);
            pp[i] = (gap + (skipped - 1) * cfg.gap_extension).max(NEG);
            mm[i] = NEG;
        }
    }

    /// [`Plan::score_in`] for a term of exactly `M` chars.
    fn score_rows<const PINYIN: bool, const M: usize>(
        &self,
        chars: impl Iterator<Item = char>,
    ) -> Option<i64> {
        let cfg = &*CONFIG;
        let (set_of, by_set) = match &self.syllables {
            Some(t) if PINYIN => (pinyin::set_table(), &t[..]),
            _ => (&[][..], &[][..]),
        };
        let mut mm = [NEG; 4];
        let mut pp = [NEG; 4];
        pp[0] = cfg.gap_extension;
        let mut top = NEG;
        let mut prev = Class::Empty;
        let mut started = false;
        // Chars since the last one that takes a query char. Such a char only moves every row
        // into a gap, so a run of them is applied at once when the next taking char comes.
        let mut skipped = 0i32;
        for (j, c) in chars.enumerate() {
            let class = class(c);
            let literal = self.literal(c);
            let syllables = Plan::syllables_in::<PINYIN>(c, set_of, by_set);
            if literal == 0 && syllables[0] == 0 {
                skipped += i32::from(started);
                prev = class;
                continue;
            }
            started = true;
            if skipped > 0 {
                Plan::skip(cfg, &mut mm, &mut pp, M, skipped);
                skipped = 0;
            }
            let mut bonus = in_place_bonus(cfg, prev, class);
            if j == 0 {
                bonus *= cfg.bonus_first_char_multiplier;
            }
            prev = class;
            let exact = if literal != 0 { self.exact(c) } else { 0 };
            for i in (1..=M).rev() {
                let best = Plan::cell(cfg, i, (literal, exact, bonus), syllables, &mm, &pp);
                pp[i] = (mm[i] + cfg.gap_start + cfg.gap_extension).max(pp[i] + cfg.gap_extension).max(NEG);
                mm[i] = best;
            }
            top = top.max(mm[M]);
        }
        (top > NEG / 2).then_some(i64::from(top))
    }

    fn score_in<const PINYIN: bool>(&self, chars: impl Iterator<Item = char>) -> Option<i64> {
        let cfg = &*CONFIG;
        let m = self.len;
        let (set_of, by_set) = match &self.syllables {
            Some(t) if PINYIN => (pinyin::set_table(), &t[..]),
            _ => (&[][..], &[][..]),
        };
        // Column j - 1 of the matrices, rows 0..=m; row 0 stays "nothing matched yet".
        let mut mm = [NEG; MAX_PATTERN + 1];
        let mut pp = [NEG; MAX_PATTERN + 1];
        pp[0] = cfg.gap_extension;
        let mut top = NEG;
        let mut prev = Class::Empty;
        // The highest row any alignment has reached: rows above it hold no state yet.
        let mut reached = 0usize;
        let mut skipped = 0i32;
        for (j, c) in chars.enumerate() {
            let class = class(c);
            let literal = self.literal(c);
            let syllables = Plan::syllables_in::<PINYIN>(c, set_of, by_set);
            // As in `score_rows`: runs of chars that take nothing are applied at once.
            if literal == 0 && syllables[0] == 0 {
                skipped += i32::from(reached > 0);
                prev = class;
                continue;
            }
            if skipped > 0 {
                Plan::skip(cfg, &mut mm, &mut pp, reached, skipped);
                skipped = 0;
            }
            let mut bonus = in_place_bonus(cfg, prev, class);
            if j == 0 {
                bonus *= cfg.bonus_first_char_multiplier;
            }
            prev = class;
            let upto = (reached + MAX_SYLLABLE).min(m);
            let exact = if literal != 0 { self.exact(c) } else { 0 };
            // Bottom up, so each row reads the rows above it before they change.
            for i in (1..=upto).rev() {
                let best = Plan::cell(cfg, i, (literal, exact, bonus), syllables, &mm, &pp);
                pp[i] = (mm[i] + cfg.gap_start + cfg.gap_extension).max(pp[i] + cfg.gap_extension).max(NEG);
                mm[i] = best;
                if best > NEG / 2 && i > reached {
                    reached = i;
                }
            }
            top = top.max(mm[m]);
        }
        (top > NEG / 2).then_some(i64::from(top))
    }

    /// The best-scoring alignment with `text`, as (score, matched char indices of `text`).
    pub fn best<const PINYIN: bool>(&self, text: &str) -> Option<(i64, Vec<usize>)> {
        let cfg = &*CONFIG;
        if self.len == 1 {
            return self.best_single::<PINYIN>(cfg, text);
        }
        SCRATCH.with(|s| {
            let s = &mut *s.borrow_mut();
            s.units.clear();
            s.syllables.clear();
            let mut prev = Class::Empty;
            for c in text.chars() {
                let class = class(c);
                let syllables = if PINYIN && !c.is_ascii() { self.by_pinyin(c) } else { [0; MAX_SYLLABLE] };
                let pinyin = if syllables[0] != 0 {
                    s.syllables.push(syllables);
                    s.syllables.len() as u32
                } else {
                    0
                };
                s.units.push(Unit {
                    literal: self.literal(c),
                    exact: self.exact(c),
                    pinyin,
                    bonus: in_place_bonus(cfg, prev, class),
                });
                prev = class;
            }
            if let Some(first) = s.units.first_mut() {
                first.bonus *= cfg.bonus_first_char_multiplier;
            }
            self.best_in(s)
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

/// Skim's char classes for ASCII; everything else counts as a lowercase letter.
static ASCII_CLASS: [Class; 128] = {
    let mut t = [Class::Lower; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            0 => Class::Empty,
            b' ' | b'/' | b'\\' | b'|' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Class::HardSep,
            b'0'..=b'9' => Class::Number,
            b'A'..=b'Z' => Class::Upper,
            _ if c.is_ascii_punctuation() => Class::SoftSep,
            _ => Class::Lower,
        };
        b += 1;
    }
    t
};

#[inline]
fn class(c: char) -> Class {
    if c.is_ascii() { ASCII_CLASS[c as usize] } else { Class::Lower }
}

/// The bonus for matching a char of class `cur` after one of class `prev`: word heads, breaks,
/// camel humps.
#[inline]
fn in_place_bonus(cfg: &SkimScoreConfig, prev: Class, cur: Class) -> i32 {
    match (prev, cur) {
        (Class::Empty | Class::HardSep, _) => cfg.bonus_head,
        (Class::SoftSep, _) => cfg.bonus_break,
        (Class::Lower | Class::Number, Class::Upper) => cfg.bonus_camel,
        _ => 0,
    }
}

/// Far below any real score, and far enough from `i32::MIN` that adding bonuses and
/// penalties to it never overflows: impossible states need no special case.
const NEG: i32 = i32::MIN / 4;

/// What the matrix needs of one title char.
#[derive(Clone, Copy)]
struct Unit {
    /// Query positions it matches literally, and those without a case mismatch.
    literal: u64,
    exact: u64,
    /// 1 + its index in [`Scratch::syllables`] when it can take query chars by pinyin, else 0.
    pinyin: u32,
    /// In-place bonus (the first char's doubled).
    bonus: i32,
}

/// Reused buffers: the title's units and the score matrices, row-major by query position.
#[derive(Default)]
struct Scratch {
    units: Vec<Unit>,
    /// Per `k - 1`, positions from which a Han char takes `k` query chars by pinyin.
    syllables: Vec<[u64; MAX_SYLLABLE]>,
    /// Best score with the title char matched, ending the query prefix there.
    m: Vec<i32>,
    /// Best score with the title char skipped.
    p: Vec<i32>,
    /// Per cell: query chars the match took (bits 0-3), whether `m` came from a match (bit 4)
    /// and whether `p` came from a match (bit 5).
    moves: Vec<u8>,
}

const M_AFTER_M: u8 = 1 << 4;
const P_AFTER_M: u8 = 1 << 5;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Plan {
    /// One query char: the best single position, the last one on a tie, as skim picks it.
    fn best_single<const PINYIN: bool>(
        &self,
        cfg: &SkimScoreConfig,
        text: &str,
    ) -> Option<(i64, Vec<usize>)> {
        self.best_single_at::<PINYIN>(cfg, text).map(|(s, j)| (i64::from(s), vec![j]))
    }

    fn best_single_at<const PINYIN: bool>(&self, cfg: &SkimScoreConfig, text: &str) -> Option<(i32, usize)> {
        if text.is_ascii() {
            return self.single_in::<false>(cfg, text.bytes().map(char::from));
        }
        self.single_in::<PINYIN>(cfg, text.chars())
    }

    fn single_in<const PINYIN: bool>(
        &self,
        cfg: &SkimScoreConfig,
        chars: impl Iterator<Item = char>,
    ) -> Option<(i32, usize)> {
        let (set_of, by_set) = match &self.syllables {
            Some(t) if PINYIN => (pinyin::set_table(), &t[..]),
            _ => (&[][..], &[][..]),
        };
        let mut best: Option<(i32, usize)> = None;
        let mut prev = Class::Empty;
        for (j, c) in chars.enumerate() {
            let class = class(c);
            let literal = self.literal(c) & 1 != 0;
            let syllable = PINYIN
                && !c.is_ascii()
                && pinyin::slot(c)
                    .and_then(|i| set_of.get(i))
                    .and_then(|&s| by_set.get(usize::from(s)))
                    .is_some_and(|m| m[0] & 1 != 0);
            if literal || syllable {
                let mut bonus = in_place_bonus(cfg, prev, class);
                if j == 0 {
                    bonus *= cfg.bonus_first_char_multiplier;
                }
                let mut score = NEG;
                if literal {
                    let case = if self.exact(c) & 1 != 0 { 0 } else { cfg.penalty_case_mismatch };
                    score = cfg.score_match + case + bonus;
                }
                if syllable {
                    score = score.max(cfg.score_match + bonus.max(cfg.bonus_camel));
                }
                let score = score + cfg.gap_extension;
                if best.is_none_or(|(s, _)| score >= s) {
                    best = Some((score, j));
                }
            }
            prev = class;
        }
        best
    }

    /// The skim v2 matrices: `M[i][j] = match + max(M[i-1][j-1] + max(bonus, consecutive),
    /// P[i-1][j-1] + bonus)` and `P[i][j] = max(M[i][j-1] + gap start, P[i][j-1]) + gap
    /// extension`, where a Han char may also take up to six query chars at once.
    fn best_in(&self, s: &mut Scratch) -> Option<(i64, Vec<usize>)> {
        let cfg = *CONFIG;
        let (m, n) = (self.len, s.units.len());
        let cols = n + 1;
        let size = (m + 1) * cols;
        for v in [&mut s.m, &mut s.p] {
            v.clear();
            v.resize(size, NEG);
        }
        s.moves.clear();
        s.moves.resize(size, 0);
        let (mm, pp, moves, units) = (&mut s.m[..], &mut s.p[..], &mut s.moves[..], &s.units[..]);
        let syllable_sets = &s.syllables[..];
        // Skipping title chars before the first match costs one gap extension in all.
        pp[..cols].fill(cfg.gap_extension);
        let any_pinyin = !syllable_sets.is_empty();
        // Scanning back from the end: `last_cols[q]` is the last column after which the rest of
        // the term, from position q, can still align. Row q need not go further right.
        let mut last_cols = [0usize; MAX_PATTERN + 1];
        last_cols[m] = n;
        let mut back = 1u64 << m;
        for (at, u) in units.iter().enumerate().rev() {
            let mut add = (back >> 1) & u.literal;
            if u.pinyin != 0 {
                for (k, mask) in syllable_sets[u.pinyin as usize - 1].iter().enumerate() {
                    add |= (back >> (k + 1)) & mask;
                }
            }
            let mut new = add & !back;
            while new != 0 {
                last_cols[new.trailing_zeros() as usize] = at;
                new &= new - 1;
            }
            back |= add;
        }
        if back & 1 == 0 {
            return None;
        }
        // Row i has no state left of the first state of a row it can come from, plus one.
        let mut first_states = [usize::MAX; MAX_PATTERN + 1];
        first_states[0] = 0;
        for i in 1..=m {
            let reach = if any_pinyin { MAX_SYLLABLE.min(i) } else { 1 };
            let start = first_states[i - reach..i].iter().min().copied().unwrap_or(usize::MAX);
            if start == usize::MAX {
                return None;
            }
            let start = start + 1;
            let bit = 1u64 << (i - 1);
            let (above, row) = ((i - 1) * cols, i * cols);
            let end = if back >> i & 1 == 1 { last_cols[i] } else { 0 };
            for j in start..=end {
                let u = &units[j - 1];
                let mut best = NEG;
                let mut mv = 0u8;
                if u.literal & bit != 0 {
                    let base =
                        cfg.score_match + if u.exact & bit != 0 { 0 } else { cfg.penalty_case_mismatch };
                    let via_m = mm[above + j - 1] + u.bonus.max(cfg.bonus_consecutive);
                    let via_p = pp[above + j - 1] + u.bonus;
                    best = base + via_m.max(via_p);
                    mv = 1 | if via_m >= via_p { M_AFTER_M } else { 0 };
                }
                if u.pinyin != 0 {
                    let syllables = &syllable_sets[u.pinyin as usize - 1];
                    let bonus = u.bonus.max(cfg.bonus_camel);
                    for took in 1..=MAX_SYLLABLE.min(i) {
                        let from = i - took;
                        if syllables[took - 1] >> from & 1 == 0 {
                            continue;
                        }
                        let at = from * cols + j - 1;
                        let via_m = mm[at] + bonus.max(cfg.bonus_consecutive);
                        let via_p = pp[at] + bonus;
                        // The later letters of a syllable count as a consecutive run.
                        let took_i = took as i32;
                        let score = cfg.score_match * took_i
                            + cfg.bonus_consecutive * (took_i - 1)
                            + via_m.max(via_p);
                        if score > best {
                            best = score;
                            mv = took as u8 | if via_m >= via_p { M_AFTER_M } else { 0 };
                        }
                    }
                }
                let left = row + j - 1;
                let open = mm[left] + cfg.gap_start + cfg.gap_extension;
                let extend = pp[left] + cfg.gap_extension;
                let cell = row + j;
                mm[cell] = best;
                pp[cell] = open.max(extend);
                if open >= extend {
                    mv |= P_AFTER_M;
                }
                moves[cell] = mv;
                if first_states[i] == usize::MAX && best > NEG / 2 {
                    first_states[i] = j;
                }
            }
        }
        // The best end; on a tie the last, as skim picks it.
        let last = &mm[m * cols..];
        let (mut j, score) =
            last.iter().enumerate().fold((0, NEG), |acc, (j, &v)| if v >= acc.1 { (j, v) } else { acc });
        if score <= NEG / 2 {
            return None;
        }
        let mut positions = Vec::with_capacity(m);
        let mut i = m;
        let mut in_m = true;
        while i > 0 && j > 0 {
            let mv = moves[i * cols + j];
            if in_m {
                positions.push(j - 1);
                in_m = mv & M_AFTER_M != 0;
                i = i.saturating_sub(usize::from(mv & 0xF).max(1));
            } else {
                in_m = mv & P_AFTER_M != 0;
            }
            j -= 1;
        }
        positions.reverse();
        Some((i64::from(score), positions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(s: &str) -> Plan {
        Plan::new(&s.chars().collect::<Vec<char>>(), false, true).unwrap()
    }

    fn reachable(text: &str, p: &Plan, contiguous: bool) -> bool {
        p.reachable::<true>(text, contiguous)
    }

    fn best(text: &str, p: &Plan) -> Option<(i64, Vec<usize>)> {
        p.best::<true>(text)
    }

    #[test]
    fn initials_full_and_mixed() {
        assert!(reachable("勒索软件", &pat("lsrj"), false));
        assert!(reachable("勒索软件", &pat("lesuo"), false));
        assert!(reachable("勒索软件", &pat("lesuorj"), false));
        assert!(reachable("勒索软件", &pat("勒索rj"), false));
        assert!(reachable("新型勒索软件攻击", &pat("lsgj"), false));
        assert!(!reachable("勒索软件", &pat("lsrjx"), false));
        assert!(!reachable("勒索软件", &pat("ls r"), false));
    }

    #[test]
    fn without_pinyin_only_literal_chars_count() {
        let p = pat("lsrj");
        assert!(!p.reachable::<false>("勒索软件", false));
        assert!(p.reachable::<false>("LockSmith RJ", false));
    }

    #[test]
    fn a_prefix_that_is_not_a_reading_fails() {
        // 勒 reads le/lei: "lu" is not a prefix of either, and 索 does not start with u.
        assert!(!reachable("勒索", &pat("lu"), false));
    }

    #[test]
    fn every_reading_of_a_heteronym_counts() {
        assert!(reachable("银行", &pat("yh"), false));
        assert!(reachable("银行", &pat("yx"), false));
        assert!(reachable("重庆", &pat("cq"), false));
        assert!(reachable("重庆", &pat("chongqing"), false));
        assert!(reachable("长亭科技", &pat("ct"), false));
        assert!(reachable("长亭科技", &pat("zt"), false));
    }

    #[test]
    fn backtracking_over_syllable_lengths() {
        // Greedy "xian" on 西 would fail; 西 takes "xi" and 安 takes "an".
        assert!(reachable("西安", &pat("xian"), false));
        assert_eq!(best("西安", &pat("xian")).unwrap().1, [0, 1]);
    }

    #[test]
    fn contiguous_needs_adjacent_chars() {
        assert!(reachable("新型勒索软件", &pat("lsrj"), true));
        assert!(!reachable("勒x索", &pat("ls"), true));
        assert!(reachable("勒x索", &pat("ls"), false));
        assert_eq!(pat("lesuo").contiguous_run::<true>("新型勒索软件"), Some(2..4));
        assert_eq!(pat("ls").contiguous_run::<true>("勒x索"), None);
    }

    #[test]
    fn positions_fall_on_the_chinese_chars() {
        let (_, pos) = best("警惕！新的勒索软件", &pat("lsrj")).unwrap();
        assert_eq!(pos, [5, 6, 7, 8]);
        let (_, pos) = best("APT组织使用微信钓鱼", &pat("wx")).unwrap();
        assert_eq!(pos, [7, 8]);
        let (_, pos) = best("CVE漏洞", &pat("cveld")).unwrap();
        assert_eq!(pos, [0, 1, 2, 3, 4]);
        let (_, pos) = best("使用微信", &pat("x")).unwrap();
        assert_eq!(pos, [3]);
    }

    #[test]
    fn tighter_alignments_score_higher() {
        let tight = best("勒索软件", &pat("lsrj")).unwrap().0;
        let loose = best("勒令搜索软件升级", &pat("lsrj")).unwrap().0;
        assert!(tight > loose, "{tight} <= {loose}");
        let full = best("勒索", &pat("lesuo")).unwrap().0;
        let initials = best("勒索", &pat("ls")).unwrap().0;
        assert!(full > initials);
    }

    #[test]
    fn smart_case() {
        let upper = Plan::new(&['C', 'V', 'E'], true, false).unwrap();
        assert!(upper.reachable::<false>("CVE-1", false));
        assert!(!upper.reachable::<false>("cve-1", false));
        // Case-blind matches of a lowercase term cost a little.
        let lower = Plan::new(&['c', 'v', 'e'], false, false).unwrap();
        let (a, _) = lower.best::<false>("cve-1").unwrap();
        let (b, _) = lower.best::<false>("CVE-1").unwrap();
        assert!(a > b);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Literal alignments are fuzzy-matcher's SkimMatcherV2, score and positions.
        #[test]
        fn literal_alignment_is_skim_v2(
            text in "[abcABC _/.\\(0-9勒索-]{0,30}",
            pattern in "[abcAB _.0勒-]{1,6}",
        ) {
            use fuzzy_matcher::FuzzyMatcher;
            // A fresh matcher: its cached matrix would carry bonuses over from earlier calls,
            // and `use_cache(false)` panics (RefCell already borrowed) in fuzzy-matcher 0.3.7.
            let skim = fuzzy_matcher::skim::SkimMatcherV2::default().smart_case();
            let chars: Vec<char> = pattern.chars().collect();
            let plan = Plan::new(&chars, chars.iter().any(char::is_ascii_uppercase), false).unwrap();
            proptest::prop_assert_eq!(plan.best::<false>(&text), skim.fuzzy_indices(&text, &pattern));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// The score-only pass agrees with the full matrix, by pinyin and literally.
        #[test]
        fn score_is_the_score_of_best(
            text in "[abcAB _./勒索软件银行重庆西安长lesuoxian0-]{0,40}",
            pattern in "[lesuorjxianyhcqbA勒索 .]{1,8}",
        ) {
            let chars: Vec<char> = pattern.chars().collect();
            let case = chars.iter().any(char::is_ascii_uppercase);
            let plan = Plan::new(&chars, case, !case).unwrap();
            proptest::prop_assert_eq!(plan.score::<true>(&text), plan.best::<true>(&text).map(|b| b.0));
            proptest::prop_assert_eq!(plan.score::<false>(&text), plan.best::<false>(&text).map(|b| b.0));
        }
    }

    #[test]
    fn no_alignment_is_none() {
        assert_eq!(best("勒索", &pat("x")), None);
        assert_eq!(best("", &pat("x")), None);
        assert_eq!(best("", &pat("xy")), None);
        assert!(Plan::new(&[], false, true).is_none());
        assert!(Plan::new(&['a'; 64], false, true).is_none());
    }
}
