//! Toneless pinyin readings of Han characters, from a table built once per process.
//!
//! The pinyin crate is asked once for every character of the CJK Unified Ideographs blocks (with
//! extension A); each keystroke then costs one array lookup per character instead of a walk
//! through the crate's data and a tone-stripping step.

use std::collections::HashMap;
use std::sync::OnceLock;

use pinyin::ToPinyinMulti;

/// Extension A starts here; the unified block ends at `LAST`. Other Han characters are rare in
/// titles and NFKC folds the compatibility ideographs into these blocks.
const FIRST: u32 = 0x3400;
const LAST: u32 = 0x9FFF;

struct Table {
    /// `starts[c - FIRST]..starts[c - FIRST + 1]` indexes `ids` for the readings of `c`.
    starts: Vec<u32>,
    ids: Vec<u16>,
    syllables: Vec<Box<[u8]>>,
    /// Every letter of every reading, as bits `1 << (letter - 'a')`.
    letters: Vec<u32>,
    /// Per char, its reading set: chars with the same readings share one, so a query can
    /// precompute its masks per set (a few thousand) instead of per char or per reading.
    set_of: Vec<u16>,
    /// Reading ids of each set; set 0 is the empty one.
    sets: Vec<Box<[u16]>>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(build)
}

/// Makes sure the table exists, so the first keystroke does not pay for it.
pub(crate) fn warm_up() {
    table();
}

fn build() -> Table {
    let n = (LAST - FIRST + 1) as usize;
    let mut t = Table {
        starts: Vec::with_capacity(n + 1),
        ids: Vec::new(),
        syllables: Vec::new(),
        letters: Vec::with_capacity(n),
        set_of: Vec::with_capacity(n),
        sets: vec![Box::default()],
    };
    let mut interned: HashMap<Vec<u8>, u16> = HashMap::new();
    let mut set_ids: HashMap<Vec<u16>, u16> = HashMap::from([(Vec::new(), 0)]);
    for code in FIRST..=LAST {
        t.starts.push(t.ids.len() as u32);
        let first = t.ids.len();
        let mut letters = 0u32;
        let multi = char::from_u32(code).and_then(|c| c.to_pinyin_multi());
        for reading in multi.into_iter().flatten() {
            for spelling in spellings(reading.plain()) {
                let next = t.syllables.len() as u16;
                let id = *interned.entry(spelling.clone()).or_insert(next);
                if id == next {
                    t.syllables.push(spelling.clone().into_boxed_slice());
                }
                if !t.ids[first..].contains(&id) {
                    t.ids.push(id);
                }
                letters |= spelling.iter().fold(0, |m, &b| m | letter_bit(b));
            }
        }
        t.letters.push(letters);
        let readings = t.ids[first..].to_vec();
        let next = t.sets.len() as u16;
        let set = *set_ids.entry(readings.clone()).or_insert(next);
        if set == next {
            t.sets.push(readings.into_boxed_slice());
        }
        t.set_of.push(set);
    }
    t.starts.push(t.ids.len() as u32);
    t
}

/// The ways a user types a toneless reading: `ü` as `v` or as `u`, `ê` as `e`.
fn spellings(plain: &str) -> Vec<Vec<u8>> {
    let mut out = vec![Vec::new()];
    for c in plain.chars() {
        match c {
            'a'..='z' => out.iter_mut().for_each(|s| s.push(c as u8)),
            'ü' => {
                let mut with_u = out.clone();
                out.iter_mut().for_each(|s| s.push(b'v'));
                with_u.iter_mut().for_each(|s| s.push(b'u'));
                out.extend(with_u);
            }
            'ê' | 'ē' | 'é' | 'ě' | 'è' => out.iter_mut().for_each(|s| s.push(b'e')),
            _ => {}
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Bit of an ASCII lowercase letter; 0 for anything else.
pub(crate) fn letter_bit(b: u8) -> u32 {
    if b.is_ascii_lowercase() { 1 << (b - b'a') } else { 0 }
}

/// Index of `c` in the per-char tables, when it is in the Han blocks.
#[inline]
pub(crate) fn slot(c: char) -> Option<usize> {
    let code = c as u32;
    (FIRST..=LAST).contains(&code).then(|| (code - FIRST) as usize)
}

/// Letters used by the readings of `c` (0 when it has none).
pub(crate) fn letters(c: char) -> u32 {
    slot(c).map_or(0, |i| table().letters[i])
}

/// Ids of the readings of `c` (see [`syllable`]).
#[cfg(test)]
pub(crate) fn reading_ids(c: char) -> &'static [u16] {
    let t = table();
    match slot(c) {
        Some(i) => &t.ids[t.starts[i] as usize..t.starts[i + 1] as usize],
        None => &[],
    }
}

/// The reading set of `c`: 0 when it has no reading.
#[inline]
pub(crate) fn reading_set(c: char) -> u16 {
    slot(c).map_or(0, |i| table().set_of[i])
}

/// The reading set of every char, by [`slot`], for loops that look up many.
pub(crate) fn set_table() -> &'static [u16] {
    &table().set_of
}

/// How many reading sets there are; set ids run below this.
pub(crate) fn set_count() -> usize {
    table().sets.len()
}

/// Reading ids of a set.
pub(crate) fn set_readings(set: u16) -> &'static [u16] {
    table().sets.get(set as usize).map_or(&[], |s| s)
}

/// How many distinct spellings there are; ids run below this.
pub(crate) fn syllable_count() -> usize {
    table().syllables.len()
}

/// The spelling with this id, lowercase ASCII.
pub(crate) fn syllable(id: u16) -> &'static [u8] {
    table().syllables.get(id as usize).map_or(&[], |s| s)
}

/// The longest spelling, in letters.
pub(crate) const MAX_SYLLABLE: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;

    fn all(c: char) -> Vec<String> {
        reading_ids(c).iter().map(|&id| String::from_utf8_lossy(syllable(id)).into_owned()).collect()
    }

    #[test]
    fn heteronyms_have_every_reading() {
        assert!(all('行').contains(&"hang".to_string()), "{:?}", all('行'));
        assert!(all('行').contains(&"xing".to_string()));
        assert!(all('重').contains(&"chong".to_string()));
        assert!(all('长').contains(&"chang".to_string()));
        assert!(all('长').contains(&"zhang".to_string()));
    }

    #[test]
    fn tones_are_dropped_and_readings_deduplicated() {
        // 长 has zhǎng and cháng: two spellings, not more.
        assert_eq!(all('长').len(), 2);
        assert_eq!(all('勒').iter().filter(|s| *s == "le").count(), 1);
    }

    #[test]
    fn u_umlaut_is_typed_as_v_or_u() {
        let r = all('绿');
        assert!(r.contains(&"lv".to_string()) && r.contains(&"lu".to_string()), "{r:?}");
    }

    #[test]
    fn chars_share_a_set_only_with_the_same_readings() {
        for c in ['行', '重', '长', '勒', '索', '银', '€', 'a'] {
            assert_eq!(set_readings(reading_set(c)), reading_ids(c), "{c}");
        }
        assert_eq!(reading_set('€'), 0);
        assert_ne!(reading_set('行'), reading_set('银'));
        assert!(set_count() > 100 && set_count() < 20_000);
    }

    #[test]
    fn non_han_has_no_reading() {
        assert!(all('a').is_empty());
        assert_eq!(letters('x'), 0);
        assert!(reading_ids('€').is_empty());
    }

    #[test]
    fn masks_match_readings() {
        let ruan = ['r', 'u', 'a', 'n'].iter().fold(0, |m, &c| m | letter_bit(c as u8));
        assert_eq!(letters('软'), ruan);
    }

    #[test]
    fn no_spelling_is_longer_than_max() {
        assert!((0..syllable_count() as u16).all(|id| (1..=MAX_SYLLABLE).contains(&syllable(id).len())));
        assert!(syllable_count() > 300, "{}", syllable_count());
    }
}
