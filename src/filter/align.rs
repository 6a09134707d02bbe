//! Pinyin-aware alignment: a term matches a title where each Han character takes a non-empty
//! prefix of one of its readings (`lsrj` and `lesuo` both match 勒索软件) and any other character
//! takes itself. Scores use skim v2's constants so pinyin hits rank among literal ones.

use std::cell::RefCell;
use std::sync::LazyLock;

use fuzzy_matcher::skim::SkimScoreConfig;

use super::pinyin::{self, MAX_SYLLABLE};

/// Terms longer than this are matched literally only: the reachable set is a `u64` bitmask.
pub(crate) const MAX_PATTERN: usize = 63;

static CONFIG: LazyLock<SkimScoreConfig> = LazyLock::new(SkimScoreConfig::default);

/// A term (lowercase, 1 to [`MAX_PATTERN`] chars) prepared for alignment: for each title char,
/// the query positions it can take, as bitmasks, so one title char advances every partial
/// alignment at once in a few operations.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    len: usize,
    /// Per ASCII byte, lowercased: the query positions holding it.
    ascii: Box<[u64]>,
    /// The same for the term's other chars.
    other: Vec<(char, u64)>,
    /// Per syllable id, per `k - 1`: the positions `q` where the term goes on with the first `k`
    /// letters of the syllable. Each mask is within the one before.
    syllables: Box<[[u64; MAX_SYLLABLE]]>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Plan({} chars)", self.len)
    }
}

impl Plan {
    pub fn new(pat: &[char]) -> Option<Plan> {
        if pat.is_empty() || pat.len() > MAX_PATTERN {
            return None;
        }
        let mut ascii = vec![0u64; 128].into_boxed_slice();
        let mut other: Vec<(char, u64)> = Vec::new();
        for (q, &c) in pat.iter().enumerate() {
            if c.is_ascii() {
                ascii[c.to_ascii_lowercase() as usize] |= 1 << q;
            } else if let Some(e) = other.iter_mut().find(|(o, _)| *o == c) {
                e.1 |= 1 << q;
            } else {
                other.push((c, 1 << q));
            }
        }
        let mut syllables = vec![[0u64; MAX_SYLLABLE]; pinyin::syllable_count()].into_boxed_slice();
        for (id, masks) in syllables.iter_mut().enumerate() {
            let s = pinyin::syllable(id as u16);
            for q in 0..pat.len() {
                let common = s.iter().zip(&pat[q..]).take_while(|&(&a, &b)| a as char == b).count();
                for m in &mut masks[..common.min(MAX_SYLLABLE)] {
                    *m |= 1 << q;
                }
            }
        }
        Some(Plan { len: pat.len(), ascii, other, syllables })
    }

    /// Query positions that title char `c` matches literally.
    #[inline]
    fn literal(&self, c: char) -> u64 {
        if c.is_ascii() {
            self.ascii[c.to_ascii_lowercase() as usize]
        } else {
            self.other.iter().find(|(o, _)| *o == c).map_or(0, |e| e.1)
        }
    }

    /// Per `k - 1`: the positions from which `c` can take the next `k` query chars by pinyin.
    #[inline]
    fn by_pinyin(&self, c: char) -> [u64; MAX_SYLLABLE] {
        let mut out = [0u64; MAX_SYLLABLE];
        for &id in pinyin::reading_ids(c) {
            if let Some(masks) = self.syllables.get(id as usize) {
                for (o, m) in out.iter_mut().zip(masks) {
                    *o |= m;
                }
            }
        }
        out
    }

    /// The query positions title char `c` advances to from the positions in `reach`.
    #[inline]
    fn step(&self, c: char, reach: u64) -> u64 {
        if c.is_ascii() {
            return (reach & self.ascii[c.to_ascii_lowercase() as usize]) << 1;
        }
        let mut out = (reach & self.literal(c)) << 1;
        for &id in pinyin::reading_ids(c) {
            let Some(masks) = self.syllables.get(id as usize) else { continue };
            // Every position here is at most `len - k`, so the shift stays below bit 64.
            for (k, m) in masks.iter().enumerate() {
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
    pub fn reachable(&self, text: &str, contiguous: bool) -> bool {
        let goal = 1u64 << self.len;
        let mut reach = 1u64;
        for c in text.chars() {
            let s = self.step(c, reach);
            reach = if contiguous { 1 | s } else { reach | s };
            if reach & goal != 0 {
                return true;
            }
        }
        false
    }

    /// The first contiguous run of title chars the term aligns with, as char indices.
    pub fn contiguous_run(&self, text: &str) -> Option<std::ops::Range<usize>> {
        let chars: Vec<char> = text.chars().collect();
        let goal = 1u64 << self.len;
        for start in 0..chars.len() {
            let mut reach = 1u64;
            for (j, &c) in chars.iter().enumerate().skip(start) {
                reach = self.step(c, reach);
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

    /// The best-scoring alignment with `text`, as (score, matched char indices of `text`).
    pub fn best(&self, text: &str) -> Option<(i64, Vec<usize>)> {
        SCRATCH.with(|s| {
            let (cells, units) = &mut *s.borrow_mut();
            units.clear();
            units.extend(text.chars());
            self.best_in(cells, units)
        })
    }
}

#[derive(Clone, Copy)]
enum Class {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

fn class(c: char) -> Class {
    match c {
        '\0' => Class::Empty,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => Class::HardSep,
        '0'..='9' => Class::Number,
        'A'..='Z' => Class::Upper,
        _ if c.is_ascii_punctuation() => Class::SoftSep,
        _ => Class::Lower,
    }
}

/// The bonus for matching `cur` after `prev`, by skim's rules: word heads, breaks, camel humps.
fn in_place_bonus(prev: char, cur: char) -> i32 {
    let cfg = &*CONFIG;
    match (class(prev), class(cur)) {
        (Class::Empty | Class::HardSep, _) => cfg.bonus_head,
        (Class::SoftSep, _) => cfg.bonus_break,
        (Class::Lower | Class::Number, Class::Upper) => cfg.bonus_camel,
        _ => 0,
    }
}

const NEG: i32 = i32::MIN / 4;

#[derive(Clone, Copy)]
struct Cell {
    /// Best score with this title char matched, ending the query prefix here.
    m: i32,
    /// Best score with this title char skipped.
    p: i32,
    /// Bonus carried along a run of consecutive matches.
    chain: i32,
    /// Query chars the title char took in `m`.
    took: u8,
    m_after_m: bool,
    p_after_m: bool,
}

const EMPTY: Cell = Cell { m: NEG, p: NEG, chain: 0, took: 0, m_after_m: false, p_after_m: false };

thread_local! {
    static SCRATCH: RefCell<(Vec<Cell>, Vec<char>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

impl Plan {
    fn best_in(&self, cells: &mut Vec<Cell>, units: &[char]) -> Option<(i64, Vec<usize>)> {
        let cfg = &*CONFIG;
        let (m, n) = (self.len, units.len());
        let cols = n + 1;
        cells.clear();
        cells.resize((m + 1) * cols, EMPTY);
        // Skipping title chars before the first match costs one gap extension, as in skim.
        for cell in &mut cells[..cols] {
            cell.p = cfg.gap_extension;
        }
        for j in 1..=n {
            let c = units[j - 1];
            let prev = if j >= 2 { units[j - 2] } else { '\0' };
            let mut bonus = in_place_bonus(prev, c);
            if j == 1 {
                bonus *= cfg.bonus_first_char_multiplier;
            }
            let syllable_bonus = bonus.max(cfg.bonus_camel);
            let literal = self.literal(c);
            let by_pinyin = if c.is_ascii() { [0; MAX_SYLLABLE] } else { self.by_pinyin(c) };
            for i in 1..=m {
                let mut cell = EMPTY;
                for st in i.saturating_sub(MAX_SYLLABLE)..i {
                    let took = i - st;
                    let before = cells[st * cols + j - 1];
                    let mut consider = |base: i32, bonus: i32| {
                        let lead_m = before.chain.max(bonus).max(cfg.bonus_consecutive);
                        let via_m = if before.m > NEG { before.m + lead_m } else { NEG };
                        let via_p = if before.p > NEG { before.p + bonus } else { NEG };
                        if via_m.max(via_p) <= NEG {
                            return;
                        }
                        let (start, lead, after_m) =
                            if via_m >= via_p { (via_m, lead_m, true) } else { (via_p, bonus, false) };
                        // Later letters of one syllable are consecutive matches.
                        let run = lead.max(cfg.bonus_consecutive);
                        let score = start + base + run * (took as i32 - 1);
                        if score > cell.m {
                            cell = Cell {
                                m: score,
                                chain: if took > 1 { run } else { lead },
                                took: took as u8,
                                m_after_m: after_m,
                                ..cell
                            };
                        }
                    };
                    if took == 1 && literal >> st & 1 == 1 {
                        let case = if c.is_ascii_uppercase() { cfg.penalty_case_mismatch } else { 0 };
                        consider(cfg.score_match + case, bonus);
                    }
                    if by_pinyin[took - 1] >> st & 1 == 1 {
                        consider(cfg.score_match * took as i32, syllable_bonus);
                    }
                }
                let left = cells[i * cols + j - 1];
                let open = if left.m > NEG { left.m + cfg.gap_start + cfg.gap_extension } else { NEG };
                let extend = if left.p > NEG { left.p + cfg.gap_extension } else { NEG };
                cell.p = open.max(extend);
                cell.p_after_m = open >= extend && open > NEG;
                cells[i * cols + j] = cell;
            }
        }
        let last = &cells[m * cols..(m + 1) * cols];
        let (mut j, best) =
            last.iter().enumerate().filter(|(_, c)| c.m > NEG).max_by_key(|&(j, c)| (c.m, -(j as i64)))?;
        let score = best.m;
        let mut positions = Vec::with_capacity(m);
        let mut i = m;
        let mut in_m = true;
        while i > 0 && j > 0 {
            let cell = cells[i * cols + j];
            if in_m {
                positions.push(j - 1);
                in_m = cell.m_after_m;
                i = i.saturating_sub(cell.took.max(1) as usize);
            } else {
                in_m = cell.p_after_m;
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
        Plan::new(&s.chars().collect::<Vec<char>>()).unwrap()
    }

    fn reachable(text: &str, p: &Plan, contiguous: bool) -> bool {
        p.reachable(text, contiguous)
    }

    fn contiguous_run(text: &str, p: &Plan) -> Option<std::ops::Range<usize>> {
        p.contiguous_run(text)
    }

    fn best(text: &str, p: &Plan) -> Option<(i64, Vec<usize>)> {
        p.best(text)
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
        assert_eq!(contiguous_run("新型勒索软件", &pat("lesuo")), Some(2..4));
        assert_eq!(contiguous_run("勒x索", &pat("ls")), None);
    }

    #[test]
    fn positions_fall_on_the_chinese_chars() {
        let (_, pos) = best("警惕！新的勒索软件", &pat("lsrj")).unwrap();
        assert_eq!(pos, [5, 6, 7, 8]);
        let (_, pos) = best("APT组织使用微信钓鱼", &pat("wx")).unwrap();
        assert_eq!(pos, [7, 8]);
        let (_, pos) = best("CVE漏洞", &pat("cveld")).unwrap();
        assert_eq!(pos, [0, 1, 2, 3, 4]);
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
    fn no_alignment_is_none() {
        assert_eq!(best("勒索", &pat("x")), None);
        assert_eq!(best("", &pat("x")), None);
        assert!(Plan::new(&[]).is_none());
        assert!(Plan::new(&['a'; 64]).is_none());
    }
}
