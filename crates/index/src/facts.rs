//! The body pass's facts on disk: for each article whether it is empty and the indicators it
//! names ([`yuedu_core::facts`]), as a [`Consumer`] of the pass. Two files beside the search
//! index: the table (read by `yuedu cves`, `list` with entity terms and the reader) and the
//! stamps (read only to update), each written whole to a temporary file and renamed, with a
//! checksum. The table is written before the stamps, so a kill between them costs a re-read,
//! never a missing row.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use yuedu_core::corpus::{Article, ArticleId};
use yuedu_core::entities::{Entity, Kind};
use yuedu_core::facts::{ArticleFacts, FactTable};

use crate::pass::{BodyText, Consumer, Stamp, Stamps};
use crate::search::meta::{read_checked, write_checked};
use crate::search::schema::{pack_date, path_bytes, path_from_bytes, unpack_date};
use crate::{IndexError, SearchIndex};

/// Bumped when the file format or what the extractor finds changes: facts of another version
/// are built again (the search index is untouched).
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct DiskTable {
    version: u32,
    root: Vec<u8>,
    /// Changes with the warninglist and extractor version: facts found under other rules are
    /// not trusted.
    rules: u64,
    sources: Vec<String>,
    rows: Vec<DiskRow>,
}

#[derive(Serialize, Deserialize)]
struct DiskRow {
    id: u64,
    date: u64,
    source: u32,
    empty: bool,
    entities: Vec<(Kind, String, u32)>,
}

type DiskStamp = (u64, Vec<u8>, u64, i64);

/// The CVE mentions alone, for `yuedu cves`: about one article in eight names a CVE, so this
/// file decodes in a fraction of the table's time (150,000 articles: 2 million entity strings
/// in the table, tens of thousands here).
#[derive(Serialize, Deserialize)]
struct DiskCves {
    version: u32,
    root: Vec<u8>,
    rules: u64,
    sources: Vec<String>,
    /// (date, source, CVE ids with counts)
    rows: Vec<CveRowDisk>,
}

/// (date, source, CVE ids with counts)
type CveRowDisk = (u64, u32, Vec<(String, u32)>);

/// One article that names a CVE, as the board needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CveArticle {
    pub date: yuedu_core::corpus::Date,
    pub source: Arc<str>,
    pub cves: Vec<Entity>,
}

/// The facts of one corpus, open to read or to update.
pub struct FactStore {
    table_file: PathBuf,
    stamps_file: PathBuf,
    root: PathBuf,
    rules: u64,
    table: FactTable,
    stamps: Stamps,
    dirty: bool,
}

impl FactStore {
    fn files(root: &Path, cache_dir: &Path) -> (PathBuf, PathBuf) {
        let base = SearchIndex::dir_for(root, cache_dir);
        (base.with_extension("facts"), base.with_extension("facts-stamps"))
    }

    fn cves_file(table_file: &Path) -> PathBuf {
        table_file.with_extension("facts-cves")
    }

    /// The articles naming a CVE, as last written under the same `rules`.
    pub fn read_cve_articles(root: &Path, cache_dir: &Path, rules: u64) -> Option<Vec<CveArticle>> {
        let (table, _) = FactStore::files(root, cache_dir);
        let disk: DiskCves = postcard::from_bytes(&read_checked(&FactStore::cves_file(&table))?).ok()?;
        if disk.version != VERSION || disk.root != path_bytes(root) || disk.rules != rules {
            return None;
        }
        let sources: Vec<Arc<str>> = disk.sources.into_iter().map(Arc::from).collect();
        let none: Arc<str> = Arc::from("");
        Some(
            disk.rows
                .into_iter()
                .map(|(date, source, cves)| CveArticle {
                    date: unpack_date(date),
                    source: sources.get(source as usize).unwrap_or(&none).clone(),
                    cves: cves
                        .into_iter()
                        .map(|(value, count)| Entity { kind: Kind::Cve, value, count })
                        .collect(),
                })
                .collect(),
        )
    }

    /// The table as last written, when it exists and was made under the same `rules` (see
    /// [`rules_key`]).
    pub fn read_table(root: &Path, cache_dir: &Path, rules: u64) -> Option<FactTable> {
        let (table, _) = FactStore::files(root, cache_dir);
        decode_table(&read_checked(&table)?, root, rules)
    }

    /// Opens the facts to update them. Missing, damaged or made under other rules, they start
    /// empty, so the next pass reads every article for them. The caller holds the search index's
    /// update lock, which covers these files too.
    pub fn open_for_update(root: &Path, cache_dir: &Path, rules: u64) -> FactStore {
        let (table_file, stamps_file) = FactStore::files(root, cache_dir);
        let table = read_checked(&table_file).and_then(|b| decode_table(&b, root, rules));
        let stamps = table.as_ref().and_then(|_| read_checked(&stamps_file)).and_then(|b| decode_stamps(&b));
        let (table, stamps) = match (table, stamps) {
            (Some(t), Some(s)) => (t, s),
            _ => (FactTable::default(), Stamps::default()),
        };
        FactStore { table_file, stamps_file, root: root.to_path_buf(), rules, table, stamps, dirty: false }
    }

    pub fn table(&self) -> &FactTable {
        &self.table
    }

    pub fn into_table(self) -> FactTable {
        self.table
    }

    fn write(&self) -> std::io::Result<()> {
        let mut sources: Vec<String> = Vec::new();
        let mut source_ids: HashMap<&str, u32> = HashMap::new();
        let mut rows = Vec::with_capacity(self.table.len());
        for (id, f) in self.table.iter() {
            let next = source_ids.len() as u32;
            let source = *source_ids.entry(&f.source).or_insert_with(|| {
                sources.push(f.source.to_string());
                next
            });
            rows.push(DiskRow {
                id: id.0,
                date: pack_date(f.date),
                source,
                empty: f.empty,
                entities: f.entities.iter().map(|e| (e.kind, e.value.clone(), e.count)).collect(),
            });
        }
        let cve_rows: Vec<CveRowDisk> = rows
            .iter()
            .filter_map(|r| {
                let cves: Vec<(String, u32)> =
                    r.entities.iter().filter(|e| e.0 == Kind::Cve).map(|e| (e.1.clone(), e.2)).collect();
                (!cves.is_empty()).then_some((r.date, r.source, cves))
            })
            .collect();
        let root = path_bytes(&self.root);
        let cves = DiskCves {
            version: VERSION,
            root: root.clone(),
            rules: self.rules,
            sources: sources.clone(),
            rows: cve_rows,
        };
        let table = DiskTable { version: VERSION, root, rules: self.rules, sources, rows };
        write_checked(&self.table_file, &postcard::to_stdvec(&table).map_err(std::io::Error::other)?)?;
        write_checked(
            &FactStore::cves_file(&self.table_file),
            &postcard::to_stdvec(&cves).map_err(std::io::Error::other)?,
        )?;
        let stamps: Vec<DiskStamp> =
            self.stamps.0.iter().map(|(id, s)| (*id, path_bytes(&s.path), s.size, s.mtime_ns)).collect();
        write_checked(&self.stamps_file, &postcard::to_stdvec(&stamps).map_err(std::io::Error::other)?)
    }
}

fn decode_table(bytes: &[u8], root: &Path, rules: u64) -> Option<FactTable> {
    let disk: DiskTable = postcard::from_bytes(bytes).ok()?;
    if disk.version != VERSION || disk.root != path_bytes(root) || disk.rules != rules {
        return None;
    }
    let sources: Vec<Arc<str>> = disk.sources.into_iter().map(Arc::from).collect();
    let no_source: Arc<str> = Arc::from("");
    Some(
        disk.rows
            .into_iter()
            .map(|r| {
                let facts = ArticleFacts {
                    date: unpack_date(r.date),
                    source: sources.get(r.source as usize).unwrap_or(&no_source).clone(),
                    empty: r.empty,
                    entities: r
                        .entities
                        .into_iter()
                        .map(|(kind, value, count)| Entity { kind, value, count })
                        .collect(),
                };
                (ArticleId(r.id), facts)
            })
            .collect(),
    )
}

fn decode_stamps(bytes: &[u8]) -> Option<Stamps> {
    let rows: Vec<DiskStamp> = postcard::from_bytes(bytes).ok()?;
    Some(Stamps(
        rows.into_iter()
            .map(|(id, path, size, mtime_ns)| (id, Stamp { path: path_from_bytes(&path), size, mtime_ns }))
            .collect(),
    ))
}

/// The key facts are made under: the extractor's version and the warninglist in force (the
/// shipped one plus the user's), so editing the warninglist re-derives the facts.
pub fn rules_key(warninglist_text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(warninglist_text.as_bytes(), u64::from(VERSION))
}

impl Consumer for FactStore {
    fn stamps(&self) -> &Stamps {
        &self.stamps
    }

    fn wants_entities(&self) -> bool {
        true
    }

    fn add(&mut self, article: &Article, body: &BodyText) -> Result<(), IndexError> {
        let facts = ArticleFacts {
            date: article.date,
            source: Arc::from(article.source.as_str()),
            empty: body.empty,
            entities: body.entities.clone(),
        };
        self.table.insert(article.id, facts);
        self.stamps.insert(article);
        self.dirty = true;
        Ok(())
    }

    fn remove(&mut self, id: ArticleId) -> Result<(), IndexError> {
        self.table.remove(id);
        self.stamps.remove(id);
        self.dirty = true;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), IndexError> {
        if !self.dirty {
            return Ok(());
        }
        self.write().map_err(|source| IndexError::Io { dir: self.table_file.clone(), source })?;
        self.dirty = false;
        Ok(())
    }
}
