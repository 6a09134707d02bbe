//! The body search index: tantivy over each article's title and cleaned body, one folder per
//! corpus beside the corpus index cache. It is a [`Consumer`] of the body pass; a search opens
//! it read-only, checks the corpus's folders for changes, and ranks by BM25 with a small
//! recency boost.
//!
//! Faults: a head (see `meta`) is trusted only when its version and root match and tantivy's
//! last commit is the one it names (or newer: articles re-added after a kill are replaced, not
//! doubled, because every add deletes the id first). Anything else is wiped and rebuilt. A
//! commit mid-build records no folders, so a killed build is resumed by the next search.

mod collect;
pub(crate) mod meta;
mod query;
pub(crate) mod schema;
mod snippet;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};
use yuedu_core::corpus::{self, Article, ArticleId, Corpus, Date};
use yuedu_core::entities::Extractor;
use yuedu_core::progress::Progress;

use crate::pass::{self, BodyText, Consumer, PassReport, Stamps};
use crate::tokenize::{BodyTokenizer, Mode};
use crate::{IndexError, Tuning};
use collect::{FieldFilter, Ranked};
use meta::Head;
pub use query::{QueryError, SearchQuery};
use schema::Fields;
pub use snippet::Snippet;

/// One hit, with what the output needs of its article.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: ArticleId,
    pub date: Date,
    pub source: String,
    pub title: String,
    pub path: PathBuf,
    pub url: Option<String>,
    pub score: f32,
}

/// The best hits and how many articles matched in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub total: usize,
}

/// A corpus's search index.
pub struct SearchIndex {
    dir: PathBuf,
    root: PathBuf,
    index: Index,
    fields: Fields,
    tuning: Tuning,
    head: Head,
    /// Loaded only to update.
    stamps: Stamps,
    writer: Option<IndexWriter>,
    /// Opened with the index, so missing segment files show before the index is trusted.
    reader: Option<IndexReader>,
    dirty: bool,
    /// The update lock, while open to update.
    _lock: Option<std::fs::File>,
}

impl SearchIndex {
    /// The index folder for `root`: named like the corpus index cache file, beside it.
    pub fn dir_for(root: &Path, cache_dir: &Path) -> PathBuf {
        corpus::cache::file_for(root, cache_dir).with_extension("search")
    }

    /// Opens the index to search, or None when there is none that can be trusted.
    pub fn open(root: &Path, cache_dir: &Path, tuning: Tuning) -> Option<SearchIndex> {
        let dir = SearchIndex::dir_for(root, cache_dir);
        let (index, fields, head, reader) = open_verified(&dir, root, &tuning)?;
        let root = root.to_path_buf();
        Some(SearchIndex {
            dir,
            root,
            index,
            fields,
            tuning,
            head,
            stamps: Stamps::default(),
            writer: None,
            reader: Some(reader),
            dirty: false,
            _lock: None,
        })
    }

    /// Opens the index to update it, with its stamps; an untrusted or missing one is wiped and
    /// created empty. [`IndexError::Busy`] when another process is updating it.
    pub fn open_for_update(root: &Path, cache_dir: &Path, tuning: Tuning) -> Result<SearchIndex, IndexError> {
        let dir = SearchIndex::dir_for(root, cache_dir);
        let io = |source| IndexError::Io { dir: dir.clone(), source };
        // Held until this index is dropped, so two updaters never wipe or write each other's
        // files; tantivy's own lock lives inside the folder a rebuild removes.
        std::fs::create_dir_all(cache_dir.join("index")).map_err(io)?;
        let lock = std::fs::File::create(dir.with_extension("search-lock")).map_err(io)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(IndexError::Busy(dir)),
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        let trusted = open_verified(&dir, root, &tuning).and_then(|(index, fields, head, _)| {
            let stamps = meta::read_stamps(&dir, head.generation)?;
            Some((index, fields, head, stamps))
        });
        let (index, fields, mut head, stamps) = match trusted {
            Some(t) => t,
            None => {
                tracing::info!(dir = %dir.display(), "search index missing or untrusted: building it");
                match std::fs::remove_dir_all(&dir) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
                    _ => {}
                }
                std::fs::create_dir_all(&dir).map_err(io)?;
                let index = Index::create_in_dir(&dir, schema::schema()).map_err(|e| tantivy_err(&dir, e))?;
                schema::register(&index, &tuning);
                let fields =
                    Fields::of(&index.schema()).ok_or_else(|| tantivy_err(&dir, schema_mismatch()))?;
                (index, fields, Head::new(root), Stamps::default())
            }
        };
        // A commit newer than the head (killed before the head was written) numbers on from it.
        head.generation = head.generation.max(committed_generation(&index).unwrap_or(0));
        let writer = index
            .writer_with_num_threads(tuning.writer_threads.max(1), tuning.writer_memory)
            .map_err(|e| match e {
                TantivyError::LockFailure(..) => IndexError::Busy(dir.clone()),
                e => tantivy_err(&dir, e),
            })?;
        Ok(SearchIndex {
            dir,
            root: root.to_path_buf(),
            index,
            fields,
            tuning,
            head,
            stamps,
            writer: Some(writer),
            reader: None,
            dirty: false,
            _lock: Some(lock),
        })
    }

    /// Articles in the index.
    pub fn len(&self) -> usize {
        self.head.articles
    }

    pub fn is_empty(&self) -> bool {
        self.head.articles == 0
    }

    /// Whether nothing changed on disk since the last complete update: no folder's mtime moved
    /// (files added, removed or renamed) and the corpus index cache was not rewritten (another
    /// command saw a change). A file edited in place without either is seen on the next change.
    pub fn is_current(&self, cache_dir: &Path) -> bool {
        if self.head.folders.is_empty() || cache_mtime(&self.root, cache_dir) != self.head.corpus_cache_mtime
        {
            return false;
        }
        let folders: Vec<(PathBuf, i64)> = self.head.folders().collect();
        folders.par_iter().all(|(p, m)| std::fs::metadata(p).is_ok_and(|meta| corpus::mtime_ns(&meta) == *m))
    }

    /// Brings the index up to date with `corpus` (read through the corpus index cache in
    /// `cache_dir`) by one body pass with this index as its consumer.
    pub fn update(
        &mut self,
        corpus: &Corpus,
        cache_dir: &Path,
        progress: &Progress,
    ) -> Result<PassReport, IndexError> {
        self.update_with(corpus, cache_dir, progress, &mut [], &Extractor::default())
    }

    /// [`SearchIndex::update`] with more consumers fed by the same pass (the facts), which
    /// this index's update lock covers too.
    pub fn update_with(
        &mut self,
        corpus: &Corpus,
        cache_dir: &Path,
        progress: &Progress,
        others: &mut [&mut dyn Consumer],
        extractor: &Extractor,
    ) -> Result<PassReport, IndexError> {
        self.head.folders.clear();
        let tuning = self.tuning;
        let report = {
            let mut consumers: Vec<&mut dyn Consumer> = Vec::with_capacity(1 + others.len());
            consumers.push(&mut *self);
            for c in others.iter_mut() {
                consumers.push(&mut **c);
            }
            pass::run(corpus, &mut consumers, extractor, &tuning, progress)?
        };
        let folders = corpus::cache::folders(&corpus.root, cache_dir).unwrap_or_default();
        self.head.folders = folders.into_iter().map(|(p, m)| (schema::path_bytes(&p), m)).collect();
        self.head.corpus_cache_mtime = cache_mtime(&corpus.root, cache_dir);
        self.head.newest_date = corpus.articles.iter().map(|a| schema::pack_date(a.date)).max().unwrap_or(0);
        self.head.articles = self.stamps.len();
        meta::write_head(&self.dir, &self.head)
            .map_err(|source| IndexError::Io { dir: self.dir.clone(), source })?;
        if let Some(w) = self.writer.take() {
            progress.stage("merging index segments", 0);
            w.wait_merging_threads().map_err(|e| tantivy_err(&self.dir, e))?;
        }
        Ok(report)
    }

    fn searcher(&self) -> Result<tantivy::Searcher, IndexError> {
        match &self.reader {
            Some(r) => Ok(r.searcher()),
            None => Ok(reader(&self.index).map_err(|e| tantivy_err(&self.dir, e))?.searcher()),
        }
    }

    /// Marks the index of `root` untrusted, so the next update rebuilds it: for an index that
    /// opened but failed to search (a damaged segment file).
    pub fn discard(root: &Path, cache_dir: &Path) -> Result<(), IndexError> {
        let dir = SearchIndex::dir_for(root, cache_dir);
        match meta::remove_head(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(IndexError::Io { dir, source: e }),
            _ => Ok(()),
        }
    }

    /// The best `limit` hits for `q` (0 to only count them); `tags` gives each tagged article's
    /// tags, for `tag:` terms.
    pub fn search(
        &self,
        q: &SearchQuery,
        limit: usize,
        tags: HashMap<u64, Vec<String>>,
    ) -> Result<Results, IndexError> {
        self.search_with(q, limit, tags, None)
    }

    /// [`SearchIndex::search`] with the facts table, for `cve:`, `ioc:` and `attack:` terms.
    pub fn search_with(
        &self,
        q: &SearchQuery,
        limit: usize,
        tags: HashMap<u64, Vec<String>>,
        facts: Option<std::sync::Arc<yuedu_core::facts::FactTable>>,
    ) -> Result<Results, IndexError> {
        let tok = BodyTokenizer::new(Mode::Query, &self.tuning);
        let query = q.to_tantivy(self.fields.text, &tok)?;
        let filter = q.fields.clone().map(|query| FieldFilter { query, tags, facts });
        let collector = Ranked::new(limit, filter, self.head.newest_date, &self.tuning);
        let searcher = self.searcher()?;
        let (best, total) = searcher.search(&*query, &collector).map_err(|e| tantivy_err(&self.dir, e))?;
        let mut hits = Vec::with_capacity(best.len());
        for s in best {
            let doc: TantivyDocument = searcher.doc(s.address).map_err(|e| tantivy_err(&self.dir, e))?;
            let text = |f| doc.get_first(f).and_then(|v| v.as_str()).map(str::to_string);
            let path =
                doc.get_first(self.fields.path).and_then(|v| v.as_bytes()).map(schema::path_from_bytes);
            hits.push(Hit {
                id: ArticleId(s.id),
                date: schema::unpack_date(s.date),
                source: text(self.fields.source).unwrap_or_default(),
                title: text(self.fields.title).unwrap_or_default(),
                path: path.unwrap_or_default(),
                url: text(self.fields.url),
                score: s.score,
            });
        }
        Ok(Results { hits, total })
    }

    /// The snippet for a hit: its file read again (bodies are not stored, which keeps the index
    /// small) and the line where most of the query matches, flattened to plain text. The body
    /// is not cleaned: compiling the boilerplate rules would cost a search more than all else
    /// (see README, "Body search"), and the ranking of lines keeps menus out of the snippet.
    pub fn snippet(&self, q: &SearchQuery, hit: &Hit) -> Snippet {
        let qt = BodyTokenizer::new(Mode::Query, &self.tuning);
        let needles: Vec<snippet::Needle> =
            q.positive_terms().filter_map(|t| snippet::Needle::of(t, &qt)).collect();
        let body = corpus::read_body(&hit.path).map(|b| b.text).unwrap_or_default();
        let it = BodyTokenizer::new(Mode::Index, &self.tuning);
        snippet::find(&body, &hit.title, &needles, &it, &self.tuning)
    }

    fn writer(&self) -> Result<&IndexWriter, IndexError> {
        self.writer
            .as_ref()
            .ok_or_else(|| tantivy_err(&self.dir, TantivyError::InternalError("opened read-only".into())))
    }

    fn io(&self, source: std::io::Error) -> IndexError {
        IndexError::Io { dir: self.dir.clone(), source }
    }
}

impl Consumer for SearchIndex {
    fn stamps(&self) -> &Stamps {
        &self.stamps
    }

    fn add(&mut self, article: &Article, body: &BodyText) -> Result<(), IndexError> {
        let w = self.writer()?;
        w.delete_term(Term::from_field_u64(self.fields.id, article.id.0));
        w.add_document(self.fields.document(article, &body.text, &self.tuning))
            .map_err(|e| tantivy_err(&self.dir, e))?;
        self.stamps.insert(article);
        self.dirty = true;
        Ok(())
    }

    fn remove(&mut self, id: ArticleId) -> Result<(), IndexError> {
        self.writer()?.delete_term(Term::from_field_u64(self.fields.id, id.0));
        self.stamps.remove(id);
        self.dirty = true;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), IndexError> {
        if !self.dirty {
            return Ok(());
        }
        let generation = self.head.generation + 1;
        let dir = self.dir.clone();
        let w = self
            .writer
            .as_mut()
            .ok_or_else(|| tantivy_err(&dir, TantivyError::InternalError("opened read-only".into())))?;
        let mut prepared = w.prepare_commit().map_err(|e| tantivy_err(&dir, e))?;
        prepared.set_payload(&generation.to_string());
        prepared.commit().map_err(|e| tantivy_err(&dir, e))?;
        meta::write_stamps(&self.dir, generation, &self.stamps).map_err(|e| self.io(e))?;
        self.head.generation = generation;
        self.head.articles = self.stamps.len();
        meta::write_head(&self.dir, &self.head).map_err(|e| self.io(e))?;
        meta::prune_stamps(&self.dir, generation);
        self.dirty = false;
        Ok(())
    }
}

fn reader(index: &Index) -> tantivy::Result<IndexReader> {
    index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()
}

/// The index in `dir` when its head and tantivy's last commit agree and its segments open.
fn open_verified(dir: &Path, root: &Path, tuning: &Tuning) -> Option<(Index, Fields, Head, IndexReader)> {
    let head = meta::read_head(dir, root)?;
    let index = Index::open_in_dir(dir).ok()?;
    if index.schema() != schema::schema() {
        return None;
    }
    let fields = Fields::of(&index.schema())?;
    if committed_generation(&index)? < head.generation {
        return None;
    }
    schema::register(&index, tuning);
    let reader = reader(&index).ok()?;
    Some((index, fields, head, reader))
}

/// The generation tantivy's last commit carries as its payload.
fn committed_generation(index: &Index) -> Option<u64> {
    index.load_metas().ok()?.payload?.parse().ok()
}

/// The corpus index cache file's mtime, 0 when there is none.
fn cache_mtime(root: &Path, cache_dir: &Path) -> i64 {
    std::fs::metadata(corpus::cache::file_for(root, cache_dir)).map_or(0, |m| corpus::mtime_ns(&m))
}

fn tantivy_err(dir: &Path, source: TantivyError) -> IndexError {
    IndexError::Tantivy { dir: dir.to_path_buf(), source }
}

fn schema_mismatch() -> TantivyError {
    TantivyError::SchemaError("the index lacks a field yuedu needs".into())
}

#[cfg(test)]
mod tests;
