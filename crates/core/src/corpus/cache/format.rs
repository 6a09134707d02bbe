//! The index file on disk: a magic tag, then sections, each a little-endian u64 length, a
//! postcard value and the value's xxh3 (see `trust.rs`), so a reader decodes only what it needs
//! and believes nothing it has not checked. The head (version, root, templates)
//! comes first for `show PATH`; then the checks (what to stat), all that `list --count` reads;
//! then the id table (which chunk holds which id, for `show ID` and `tags`); then the articles
//! in chunks that decode in parallel; then the duplicates.

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::path_bytes;
use super::trust::{self, SUM_BYTES};
use crate::corpus::{Article, Duplicate, Problem};
use crate::document::boilerplate::Templates;
use crate::limits::LIMITS;

/// Bumped whenever the cached data or its meaning changes; an older file is rebuilt.
const FORMAT_VERSION: u32 = 9;
const MAGIC: &[u8; 8] = b"YUEDUIDX";
/// Articles per body section.
pub(crate) const CHUNK: usize = 8192;
/// Far above any index we write (150,000 articles take tens of MB): anything larger is not ours.
const MAX_INDEX_BYTES: u64 = 1 << 30;

#[derive(Serialize, Deserialize)]
pub(crate) struct Head {
    pub version: u32,
    #[serde(with = "path_bytes")]
    pub root: PathBuf,
    /// Learned when the index is built from scratch, or again once a quarter of it has changed.
    pub templates: Templates,
    /// `follow_symlinks: outside` when it was built: a change of the setting rebuilds it.
    pub follow_outside: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DirStamp {
    #[serde(with = "path_bytes")]
    pub path: PathBuf,
    pub mtime_ns: i64,
}

/// What tells that a cached file changed: its size and mtime, found by its name inside its
/// folder (`dirs[dir]`), or by its whole path when `dir` is [`NO_DIR`]. One column per field,
/// the names end to end, so decoding allocates nothing per file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Files {
    pub dir: Vec<u32>,
    #[serde(with = "path_bytes::raw")]
    pub names: Vec<u8>,
    /// Where each name ends in `names`; it starts where the one before ends.
    pub name_end: Vec<u32>,
    pub size: Vec<u64>,
    pub mtime_ns: Vec<i64>,
}

impl Files {
    pub fn len(&self) -> usize {
        self.dir.len()
    }

    fn push(&mut self, dir: u32, name: &[u8], size: u64, mtime_ns: i64) {
        self.dir.push(dir);
        self.names.extend_from_slice(name);
        self.name_end.push(u32::try_from(self.names.len()).unwrap_or(u32::MAX));
        self.size.push(size);
        self.mtime_ns.push(mtime_ns);
    }

    pub fn name(&self, i: usize) -> Option<&std::ffi::OsStr> {
        let start = if i == 0 { 0 } else { *self.name_end.get(i - 1)? as usize };
        let end = *self.name_end.get(i)? as usize;
        path_bytes::os_str(self.names.get(start..end)?)
    }

    fn consistent(&self) -> bool {
        let n = self.dir.len();
        [self.name_end.len(), self.size.len(), self.mtime_ns.len()].iter().all(|&l| l == n)
            && self.name_end.windows(2).all(|w| w[0] <= w[1])
            && self.name_end.last().is_none_or(|&e| e as usize <= self.names.len())
    }
}

pub(crate) const NO_DIR: u32 = u32::MAX;

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Checks {
    /// The root and every folder holding an article: a file added, removed or renamed changes
    /// its folder's mtime.
    pub dirs: Vec<DirStamp>,
    /// One per cached file: the corpus's articles, then the copies that lost a duplicate merge.
    pub files: Files,
    /// How many of `files` are the corpus's articles.
    pub articles: usize,
    pub problems: Vec<Problem>,
    /// Size, mtime and ctime of each problem file when it was tried: it is tried again once
    /// they change.
    pub problem_stamps: Vec<Option<(u64, i64, i64)>>,
}

/// The body: the corpus as assembled (duplicates merged, newest first), so a warm start with
/// nothing changed does no merging or sorting, then the dropped copies, in `Checks` order.
pub(crate) struct Body {
    pub files: Vec<Article>,
    pub duplicates: Vec<Duplicate>,
}

impl Checks {
    /// Stamps for `articles` then `dropped`, and the problems', against `dirs`.
    pub fn new(
        dirs: Vec<DirStamp>,
        articles: &[Article],
        dropped: &[Article],
        problems: Vec<Problem>,
    ) -> Checks {
        use std::collections::HashMap;
        use std::ffi::OsStr;
        let dir_index: HashMap<&OsStr, u32, xxhash_rust::xxh3::Xxh3Builder> =
            dirs.iter().enumerate().map(|(i, d)| (d.path.as_os_str(), i as u32)).collect();
        let mut files = Files::default();
        for a in articles.iter().chain(dropped) {
            let dir = a.path.parent().and_then(|p| dir_index.get(p.as_os_str())).copied();
            match (dir, a.path.file_name()) {
                (Some(d), Some(name)) => {
                    files.push(d, &path_bytes::to_bytes(Path::new(name)), a.size, a.mtime_ns)
                }
                _ => files.push(NO_DIR, &path_bytes::to_bytes(&a.path), a.size, a.mtime_ns),
            }
        }
        drop(dir_index);
        let problem_stamps = problems.par_iter().map(|p| super::stat::problem_stamp(&p.path)).collect();
        Checks { dirs, files, articles: articles.len(), problems, problem_stamps }
    }
}

/// Writes the index beside `file` and renames it into place, so a reader never sees half a
/// cache. Sections are encoded one at a time, so writing holds one chunk's bytes, not the
/// whole index's.
pub(crate) fn write(file: &Path, head: &Head, checks: &Checks, body: &Body) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = file.parent() {
        let mut folders = std::fs::DirBuilder::new();
        folders.recursive(true);
        // Never writable by others whatever the umask, or the reader would refuse it.
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut folders, 0o755);
        folders.create(dir)?;
    }
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // Never writable by others whatever the umask, or the reader would refuse it.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o644);
        let mut out = std::io::BufWriter::new(options.open(&tmp)?);
        out.write_all(MAGIC)?;
        let mut section = |bytes: postcard::Result<Vec<u8>>| -> std::io::Result<()> {
            let bytes = bytes.map_err(std::io::Error::other)?;
            out.write_all(&(bytes.len() as u64).to_le_bytes())?;
            out.write_all(&bytes)?;
            out.write_all(&trust::sum(&bytes))
        };
        section(postcard::to_stdvec(head))?;
        section(postcard::to_stdvec(checks))?;
        section(postcard::to_stdvec(&IdTable::new(&body.files[..checks.articles.min(body.files.len())])))?;
        for chunk in body.files.chunks(CHUNK) {
            section(postcard::to_stdvec(chunk))?;
        }
        section(postcard::to_stdvec(&body.duplicates))?;
        // No fsync: a cache lost to a crash is rebuilt, and syncing 50 MB would stall the
        // caller for nothing.
        out.into_inner().map_err(|e| e.into_error()).map(drop)
    })();
    written.and_then(|()| std::fs::rename(&tmp, file)).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// An index file read whole, with its head and checks decoded and the body still bytes.
pub(crate) struct Raw {
    bytes: Vec<u8>,
    /// Byte ranges of the body sections and the duplicates section.
    rest: Vec<std::ops::Range<usize>>,
}

impl Raw {
    /// The index for `root` in `file`, None when it is missing, foreign, stale or broken.
    pub fn read(file: &Path, root: &Path) -> Option<(Head, Checks, Raw)> {
        let mut r = Sections::open(file)?;
        let (head, checks) = r.head_and_checks(root)?;
        r.skip()?;
        let mut bytes = Vec::new();
        (&mut r.file).take(r.left).read_to_end(&mut bytes).ok()?;
        let mut rest = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let len = bytes.get(at..at + 8)?;
            let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
            let end = at.checked_add(8)?.checked_add(len)?;
            let sum = bytes.get(end..end.checked_add(SUM_BYTES as usize)?)?;
            if !trust::sum_ok(&bytes[at + 8..end], sum) {
                return None;
            }
            rest.push(at + 8..end);
            at = end + SUM_BYTES as usize;
        }
        (rest.len() == checks.files.len().div_ceil(CHUNK) + 1).then_some((head, checks, Raw { bytes, rest }))
    }

    /// Decodes the body, in parallel; None when it does not match `checks` or names a path
    /// outside `root`.
    pub fn body(&self, checks: &Checks, root: &Path) -> Option<Body> {
        let (dups, chunks) = self.rest.split_last()?;
        let parts: Vec<Option<Vec<Article>>> =
            chunks.par_iter().map(|r| postcard::from_bytes(self.bytes.get(r.clone())?).ok()).collect();
        let mut files = Vec::with_capacity(checks.files.len());
        for p in parts {
            files.extend(p?);
        }
        let duplicates: Vec<Duplicate> = postcard::from_bytes(self.bytes.get(dups.clone())?).ok()?;
        let inside = files.par_iter().all(|a| trust::under_root(&a.path, root))
            && duplicates.iter().all(|d| {
                trust::under_root(&d.kept, root) && d.dropped.iter().all(|p| trust::under_root(p, root))
            });
        (inside && files.len() == checks.files.len()).then_some(Body { files, duplicates })
    }
}

impl Checks {
    fn consistent(&self) -> bool {
        self.articles <= self.files.len()
            && self.problem_stamps.len() == self.problems.len()
            && self.files.consistent()
    }
}

/// Reads sections one by one from the start of a file, so a reader that needs only the first
/// ones reads only those.
struct Sections {
    file: std::fs::File,
    left: u64,
}

impl Sections {
    fn open(path: &Path) -> Option<Sections> {
        // Only a regular file: opening a FIFO blocks until a writer comes, a device never ends.
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.is_file() || meta.len() > MAX_INDEX_BYTES {
            return None;
        }
        if !trust::private(&meta) || !trust::folder_private(path) {
            tracing::warn!("{}: not owned by this user or writable by others; not used", path.display());
            return None;
        }
        let mut file = std::fs::File::open(path).ok()?;
        let mut magic = [0u8; 8];
        file.read_exact(&mut magic).ok()?;
        (&magic == MAGIC).then_some(Sections { file, left: meta.len() - 8 })
    }

    /// Moves past the next section without reading it.
    fn skip(&mut self) -> Option<()> {
        use std::io::{Seek, SeekFrom};
        let len = self.len()?;
        self.file.seek(SeekFrom::Current(i64::try_from(len + SUM_BYTES).ok()?)).ok()?;
        Some(())
    }

    /// The next section's length, checked against what is left of the file before anything is
    /// allocated for it.
    fn len(&mut self) -> Option<u64> {
        let mut len = [0u8; 8];
        self.file.read_exact(&mut len).ok()?;
        let len = u64::from_le_bytes(len);
        self.left = self.left.checked_sub(8)?.checked_sub(len)?.checked_sub(SUM_BYTES)?;
        Some(len)
    }

    /// The next section's bytes, at most `max` of them, once their checksum matches.
    fn next_at_most(&mut self, max: u64) -> Option<Vec<u8>> {
        let len = self.len()?;
        if len > max {
            return None;
        }
        let mut bytes = vec![0u8; usize::try_from(len).ok()?];
        self.file.read_exact(&mut bytes).ok()?;
        let mut sum = [0u8; SUM_BYTES as usize];
        self.file.read_exact(&mut sum).ok()?;
        trust::sum_ok(&bytes, &sum).then_some(bytes)
    }

    fn next(&mut self) -> Option<Vec<u8>> {
        self.next_at_most(LIMITS.index_section_bytes)
    }

    fn head_and_checks(&mut self, root: &Path) -> Option<(Head, Checks)> {
        let head = self.head(root)?;
        let checks: Checks = postcard::from_bytes(&self.next()?).ok()?;
        let inside = checks.dirs.iter().all(|d| trust::under_root(&d.path, root));
        (inside && checks.consistent()).then_some((head, checks))
    }

    fn head(&mut self, root: &Path) -> Option<Head> {
        let head: Head = postcard::from_bytes(&self.next_at_most(LIMITS.index_head_bytes)?).ok()?;
        let same = head.version == FORMAT_VERSION
            && head.root == root
            && head.follow_outside == crate::corpus::walk::follow_outside();
        same.then_some(head)
    }
}

/// The corpus's article ids, sorted, each with its place in the body: finding an id decodes
/// one chunk instead of every article.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct IdTable {
    pub ids: Vec<u64>,
    pub pos: Vec<u32>,
}

impl IdTable {
    fn new(articles: &[Article]) -> IdTable {
        let mut pairs: Vec<(u64, u32)> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.0, u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        pairs.sort_unstable();
        let (ids, pos) = pairs.into_iter().unzip();
        IdTable { ids, pos }
    }

    /// Positions of the ids in `lo..=hi`.
    pub fn range(&self, lo: u64, hi: u64) -> &[u32] {
        let start = self.ids.partition_point(|&id| id < lo);
        let end = self.ids.partition_point(|&id| id <= hi);
        self.pos.get(start..end.max(start)).unwrap_or(&[])
    }
}

/// An index opened for a few articles: head, checks and id table decoded, the chunks still on
/// disk.
pub(crate) struct Partial {
    pub head: Head,
    pub checks: Checks,
    pub ids: IdTable,
    sections: Sections,
}

impl Partial {
    pub fn open(file: &Path, root: &Path) -> Option<Partial> {
        let mut sections = Sections::open(file)?;
        let (head, checks) = sections.head_and_checks(root)?;
        let ids: IdTable = postcard::from_bytes(&sections.next()?).ok()?;
        let sound = ids.ids.len() == ids.pos.len()
            && ids.ids.len() == checks.articles
            && ids.pos.iter().all(|&p| (p as usize) < checks.articles);
        sound.then_some(Partial { head, checks, ids, sections })
    }

    /// The articles at `positions` (in the body's order, so newest first), reading and decoding
    /// only the chunks that hold them. None when the file is broken.
    pub fn articles(&mut self, positions: &[u32]) -> Option<Vec<Article>> {
        let mut wanted: Vec<usize> = positions.iter().map(|&p| p as usize).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut out = Vec::with_capacity(wanted.len());
        let mut chunk_no = 0;
        let mut rest = &wanted[..];
        while let Some(&first) = rest.first() {
            if first / CHUNK > chunk_no {
                self.sections.skip()?;
                chunk_no += 1;
                continue;
            }
            let chunk: Vec<Article> = postcard::from_bytes(&self.sections.next()?).ok()?;
            let base = chunk_no * CHUNK;
            while let Some(&p) = rest.first().filter(|&&p| p / CHUNK == chunk_no) {
                let article = chunk.get(p - base)?;
                if !trust::under_root(&article.path, &self.head.root) {
                    return None;
                }
                out.push(article.clone());
                rest = &rest[1..];
            }
            chunk_no += 1;
        }
        Some(out)
    }
}

/// The head alone: what `show PATH` needs for the templates.
pub(crate) fn read_head(file: &Path, root: &Path) -> Option<Head> {
    Sections::open(file)?.head(root)
}

/// The head and checks alone: what `list --count` needs when nothing changed.
pub(crate) fn read_checks(file: &Path, root: &Path) -> Option<Checks> {
    Sections::open(file)?.head_and_checks(root).map(|(_, checks)| checks)
}

pub(crate) fn head(root: &Path, templates: Templates) -> Head {
    Head {
        version: FORMAT_VERSION,
        root: root.to_path_buf(),
        templates,
        follow_outside: crate::corpus::walk::follow_outside(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{ArticleId, Date, Derived, Encoding};

    fn article(i: usize) -> Article {
        Article {
            id: ArticleId((i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
            path: PathBuf::from(format!("/c/{i}.md")),
            title: format!("t{i}"),
            source: "s".into(),
            date: Date { year: 2025, month: 1, day: 1 },
            url: None,
            fetch_date: None,
            derived: Derived::default(),
            yaml_fallback: false,
            encoding: Encoding::Utf8,
            size: i as u64,
            mtime_ns: 0,
        }
    }

    #[test]
    fn the_id_table_finds_articles_in_any_chunk_and_the_full_read_still_works() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.idx");
        let root = Path::new("/c");
        let n = 2 * CHUNK + 100;
        let files: Vec<Article> = (0..n).map(article).collect();
        // The last two are dropped copies: in the body, not in the id table.
        let checks = Checks::new(Vec::new(), &files[..n - 2], &files[n - 2..], Vec::new());
        let body = Body { files: files.clone(), duplicates: Vec::new() };
        write(&file, &head(root, Templates::default()), &checks, &body).unwrap();
        let mut partial = Partial::open(&file, root).unwrap();
        assert_eq!(partial.ids.ids.len(), n - 2);
        let wanted = [3, CHUNK + 7, 2 * CHUNK + 50, 1];
        let positions: Vec<u32> =
            wanted.iter().flat_map(|&i| partial.ids.range(files[i].id.0, files[i].id.0).to_vec()).collect();
        let found = partial.articles(&positions).unwrap();
        assert_eq!(
            found,
            [&files[1], &files[3], &files[CHUNK + 7], &files[2 * CHUNK + 50]].map(Clone::clone)
        );
        assert!(
            partial.ids.range(files[n - 1].id.0, files[n - 1].id.0).is_empty(),
            "dropped copies are not found"
        );
        let (_, checks, raw) = Raw::read(&file, root).unwrap();
        assert_eq!(raw.body(&checks, root).unwrap().files, files);
    }
}
