//! The index's fields: one tokenized text field (title and cleaned body, positions, not stored)
//! and the article's metadata, stored for output and fast for filtering and ranking.

use std::path::{Path, PathBuf};

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, TantivyDocument};
use yuedu_core::corpus::{Article, Date};

use crate::Tuning;
use crate::tokenize::{self, BodyTokenizer, Mode};

/// The schema's fields, looked up once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// The article id: indexed to delete by, fast for the tag filter, stored for output.
    pub id: Field,
    /// `yyyymmdd`: fast for `date:` and the recency boost.
    pub date: Field,
    /// Fast (the `source:` filter reads it per hit) and stored.
    pub source: Field,
    pub title: Field,
    pub path: Field,
    pub url: Field,
    /// Title and cleaned body, tokenized by [`tokenize`], with positions for phrases.
    pub text: Field,
}

pub(crate) const ID: &str = "id";
pub(crate) const DATE: &str = "date";
pub(crate) const SOURCE: &str = "source";

pub(crate) fn schema() -> Schema {
    let mut b = Schema::builder();
    b.add_u64_field(ID, INDEXED | FAST | STORED);
    b.add_u64_field(DATE, FAST | STORED);
    b.add_text_field(SOURCE, TextOptions::default().set_stored().set_fast("raw"));
    b.add_text_field("title", STORED);
    b.add_bytes_field("path", STORED);
    b.add_text_field("url", STORED);
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(tokenize::NAME)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    b.add_text_field("text", TextOptions::default().set_indexing_options(indexing));
    b.build()
}

impl Fields {
    pub fn of(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            id: f(ID)?,
            date: f(DATE)?,
            source: f(SOURCE)?,
            title: f("title")?,
            path: f("path")?,
            url: f("url")?,
            text: f("text")?,
        })
    }

    /// The document for one article: its metadata, the title, then the body cut to
    /// [`Tuning::max_indexed_bytes`] at a char boundary.
    pub fn document(&self, a: &Article, body: &str, tuning: &Tuning) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_u64(self.id, a.id.0);
        d.add_u64(self.date, pack_date(a.date));
        d.add_text(self.source, &a.source);
        d.add_text(self.title, &a.title);
        d.add_bytes(self.path, &path_bytes(&a.path));
        if let Some(u) = &a.url {
            d.add_text(self.url, u);
        }
        d.add_text(self.text, &a.title);
        let mut end = body.len().min(tuning.max_indexed_bytes);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        d.add_text(self.text, &body[..end]);
        d
    }
}

/// Registers the tokenizer the text field names; every opened index needs it.
pub(crate) fn register(index: &Index, tuning: &Tuning) {
    index.tokenizers().register(tokenize::NAME, BodyTokenizer::new(Mode::Index, tuning));
}

pub(crate) fn pack_date(d: Date) -> u64 {
    u64::from(d.year) * 10_000 + u64::from(d.month) * 100 + u64::from(d.day)
}

pub(crate) fn unpack_date(v: u64) -> Date {
    let (y, m, d) = (v / 10_000, v / 100 % 100, v % 100);
    Date::new(y.min(9999) as u16, m as u8, d as u8).unwrap_or(Date { year: 1970, month: 1, day: 1 })
}

/// Days since 0000-03-01 (a proleptic Gregorian day count), for ages in the recency boost.
pub(crate) fn day_number(packed: u64) -> i64 {
    let (y, m, d) = ((packed / 10_000) as i64, (packed / 100 % 100) as i64, (packed % 100) as i64);
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d - 1
}

#[cfg(unix)]
pub(crate) fn path_bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
pub(crate) fn path_bytes(p: &Path) -> Vec<u8> {
    p.to_string_lossy().into_owned().into_bytes()
}

#[cfg(unix)]
pub(crate) fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
pub(crate) fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_pack_and_count_days() {
        let d = Date::new(2024, 2, 29).unwrap();
        assert_eq!(unpack_date(pack_date(d)), d);
        assert_eq!(day_number(20240301) - day_number(20240228), 2);
        assert_eq!(day_number(20250101) - day_number(20240101), 366);
        assert_eq!(unpack_date(99), Date { year: 1970, month: 1, day: 1 });
    }
}
