//! The body pass's stories on disk ([`yuedu_core::stories`]), as a [`Consumer`] of the pass:
//! each article's MinHash signature (made in the pass's parallel stage) is kept, and every
//! commit clusters all signatures again and names the stories against the previous table, so
//! ids stay put. Three files beside the search index, each written whole to a temporary file
//! and renamed, with a checksum: the signatures, the table (read by `list`, `check` and the
//! reader) and the stamps, in that order, so a kill between them costs a re-read, never a
//! missing row. A changed file is re-signed and nothing else is read again; clustering redoes
//! only the cheap part (LSH buckets and verification over the kept signatures).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use yuedu_core::corpus::{Article, ArticleId};
use yuedu_core::stories::{Clusterer, Entry, Signature, StoryTuning};
pub use yuedu_core::stories::{StorySummary, StoryTable};

use crate::pass::{BodyText, Consumer, Stamp, Stamps};
use crate::search::meta::{read_checked, write_checked};
use crate::search::schema::{pack_date, path_bytes, path_from_bytes, unpack_date};
use crate::{IndexError, SearchIndex};

/// Bumped when the file format or the signing changes.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Head {
    version: u32,
    root: Vec<u8>,
    /// [`StoryTuning::key`]: signatures and clusters made under other numbers are redone.
    tuning: u64,
}

#[derive(Serialize, Deserialize)]
struct DiskTable {
    head: Head,
    /// (article, story, date)
    rows: Vec<(u64, u64, u64)>,
}

#[derive(Serialize, Deserialize)]
struct DiskSigs {
    head: Head,
    /// (article, date, signature)
    rows: Vec<(u64, u64, Option<Signature>)>,
}

type DiskStamp = (u64, Vec<u8>, u64, i64);

/// The stories of one corpus, open to update.
pub struct StoryStore {
    base: PathBuf,
    root: PathBuf,
    tuning: StoryTuning,
    sigs: HashMap<u64, (u64, Option<Signature>)>,
    table: StoryTable,
    stamps: Stamps,
    dirty: bool,
}

fn files(root: &Path, cache_dir: &Path) -> [PathBuf; 3] {
    let base = SearchIndex::dir_for(root, cache_dir);
    ["stories", "stories-sigs", "stories-stamps"].map(|e| base.with_extension(e))
}

fn head_ok(h: &Head, root: &Path, tuning: &StoryTuning) -> bool {
    h.version == VERSION && h.root == path_bytes(root) && h.tuning == tuning.key()
}

fn head(root: &Path, tuning: &StoryTuning) -> Head {
    Head { version: VERSION, root: path_bytes(root), tuning: tuning.key() }
}

/// The story table as last written for `root`, when it exists and was made under today's
/// tuning: what `list`, `check` and the reader look up.
pub fn read_table(root: &Path, cache_dir: &Path) -> Option<StoryTable> {
    let [table, _, _] = files(root, cache_dir);
    decode_table(&read_checked(&table)?, root, &StoryTuning::default())
}

fn decode_table(bytes: &[u8], root: &Path, tuning: &StoryTuning) -> Option<StoryTable> {
    let disk: DiskTable = postcard::from_bytes(bytes).ok()?;
    if !head_ok(&disk.head, root, tuning) {
        return None;
    }
    Some(StoryTable::from_rows(
        disk.rows
            .into_iter()
            .map(|(id, story, date)| (ArticleId(id), ArticleId(story), unpack_date(date)))
            .collect(),
    ))
}

impl StoryStore {
    /// Opens the stories to update them. Missing, damaged or made under other tuning, they start
    /// empty, so the next pass signs every article. The caller holds the search index's update
    /// lock, which covers these files too.
    pub fn open_for_update(root: &Path, cache_dir: &Path) -> StoryStore {
        let tuning = StoryTuning::default();
        let [table_file, sigs_file, stamps_file] = files(root, cache_dir);
        let sigs = read_checked(&sigs_file)
            .and_then(|b| postcard::from_bytes::<DiskSigs>(&b).ok())
            .filter(|d| head_ok(&d.head, root, &tuning));
        let stamps = sigs.as_ref().and_then(|_| read_checked(&stamps_file)).and_then(|b| decode_stamps(&b));
        let table =
            read_checked(&table_file).and_then(|b| decode_table(&b, root, &tuning)).unwrap_or_default();
        let (sigs, stamps) = match (sigs, stamps) {
            (Some(s), Some(st)) => (s.rows.into_iter().map(|(id, d, s)| (id, (d, s))).collect(), st),
            _ => (HashMap::new(), Stamps::default()),
        };
        StoryStore { base: table_file, root: root.to_path_buf(), tuning, sigs, table, stamps, dirty: false }
    }

    /// The stories as of the last commit.
    pub fn table(&self) -> &StoryTable {
        &self.table
    }

    pub fn into_table(self) -> StoryTable {
        self.table
    }

    fn cluster(&mut self) {
        let mut entries: Vec<Entry> = self
            .sigs
            .iter()
            .map(|(id, (date, sig))| Entry { id: ArticleId(*id), date: unpack_date(*date), sig: sig.clone() })
            .collect();
        // A fixed order, so the bucket cap cuts the same comparisons on every run.
        entries.sort_unstable_by_key(|e| (e.date, e.id.0));
        let started = std::time::Instant::now();
        let mut c = Clusterer::new(self.tuning);
        for e in entries {
            c.insert(e);
        }
        tracing::info!(
            articles = c.len(),
            verified = c.verified,
            ms = started.elapsed().as_millis() as u64,
            "stories clustered"
        );
        self.table = c.finish(&self.table);
    }

    fn write(&self) -> std::io::Result<()> {
        let [table_file, sigs_file, stamps_file] = [
            self.base.clone(),
            self.base.with_extension("stories-sigs"),
            self.base.with_extension("stories-stamps"),
        ];
        let rows = self.sigs.iter().map(|(id, (d, s))| (*id, *d, s.clone())).collect();
        let sigs = DiskSigs { head: head(&self.root, &self.tuning), rows };
        write_checked(&sigs_file, &postcard::to_stdvec(&sigs).map_err(std::io::Error::other)?)?;
        let rows = self.table.rows().into_iter().map(|(id, s, d)| (id.0, s.0, pack_date(d))).collect();
        let table = DiskTable { head: head(&self.root, &self.tuning), rows };
        write_checked(&table_file, &postcard::to_stdvec(&table).map_err(std::io::Error::other)?)?;
        let stamps: Vec<DiskStamp> =
            self.stamps.0.iter().map(|(id, s)| (*id, path_bytes(&s.path), s.size, s.mtime_ns)).collect();
        write_checked(&stamps_file, &postcard::to_stdvec(&stamps).map_err(std::io::Error::other)?)
    }
}

fn decode_stamps(bytes: &[u8]) -> Option<Stamps> {
    let rows: Vec<DiskStamp> = postcard::from_bytes(bytes).ok()?;
    Some(Stamps(
        rows.into_iter()
            .map(|(id, path, size, mtime_ns)| (id, Stamp { path: path_from_bytes(&path), size, mtime_ns }))
            .collect(),
    ))
}

impl Consumer for StoryStore {
    fn stamps(&self) -> &Stamps {
        &self.stamps
    }

    fn wants_signature(&self) -> bool {
        true
    }

    fn add(&mut self, article: &Article, body: &BodyText) -> Result<(), IndexError> {
        self.sigs.insert(article.id.0, (pack_date(article.date), body.signature.clone()));
        self.stamps.insert(article);
        self.dirty = true;
        Ok(())
    }

    fn remove(&mut self, id: ArticleId) -> Result<(), IndexError> {
        self.sigs.remove(&id.0);
        self.stamps.remove(id);
        self.dirty = true;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), IndexError> {
        if !self.dirty {
            return Ok(());
        }
        self.cluster();
        self.write().map_err(|source| IndexError::Io { dir: self.base.clone(), source })?;
        self.dirty = false;
        Ok(())
    }
}
