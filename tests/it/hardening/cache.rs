//! The index cache: checksums, ownership, paths outside the root, crafted lengths.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use crate::util::{Dir, article_text};

fn corpus() -> (Dir, String) {
    let c = Dir::new();
    c.write("a.md", article_text("Title", "https://hardening.example/c1", "Src", "2024-05-01", "The real body of this article says enough words that the cleaner keeps it as prose, nothing more."));
    let id = c.yuedu(["list"]).stdout().split('\t').next().unwrap().to_string();
    (c, id)
}

fn index_file(c: &Dir) -> PathBuf {
    let dir = c.cache_home().join("yuedu").join("index");
    fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .expect("an index was written")
}

fn replace_all(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = bytes.to_vec();
    let mut n = 0;
    for i in 0..out.len().saturating_sub(from.len() - 1) {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            n += 1;
        }
    }
    assert!(n > 0, "pattern found");
    out
}

/// Recomputes each section's checksum, as someone crafting the file would.
fn reseal(bytes: &mut [u8]) {
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
        let end = at + 8 + len;
        let sum = xxhash_rust::xxh3::xxh3_64(&bytes[at + 8..end]).to_le_bytes();
        bytes[end..end + 8].copy_from_slice(&sum);
        at = end + 8;
    }
}

#[test]
fn a_patched_path_is_never_shown() {
    let (c, id) = corpus();
    // A file outside the corpus whose path is as long as the article's.
    let outside = c.root().parent().unwrap().join("secret");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("a.md"), "root:x:0:0:SECRET-OUTSIDE\n").unwrap();
    let file = index_file(&c);
    let clean = fs::read(&file).unwrap();
    let patched = replace_all(&clean, b"corpus/a.md", b"secret/a.md");
    for sealed in [false, true] {
        let mut bytes = patched.clone();
        if sealed {
            reseal(&mut bytes);
        }
        fs::write(&file, &bytes).unwrap();
        for args in [&["show", &id][..], &["list"]] {
            let out = c.yuedu(args).stdout();
            assert!(
                !out.contains("SECRET-OUTSIDE") && !out.contains("secret/a.md"),
                "sealed {sealed}: {out}"
            );
        }
        let run = c.yuedu(["show", &id]).output();
        assert!(
            run.stdout().contains("The real body of this article"),
            "sealed {sealed}: {} / {}",
            run.stdout(),
            run.stderr
        );
    }
}

#[test]
fn a_flipped_byte_means_a_rebuild_not_a_wrong_title() {
    let (c, _) = corpus();
    let file = index_file(&c);
    let clean = fs::read(&file).unwrap();
    fs::write(&file, replace_all(&clean, b"Title", b"Tjtle")).unwrap();
    let out = c.yuedu(["list"]).stdout();
    assert!(out.contains("Title") && !out.contains("Tjtle"), "{out}");
}

#[test]
fn an_index_others_may_write_is_not_used() {
    let (c, _) = corpus();
    let file = index_file(&c);
    let mut bytes = replace_all(&fs::read(&file).unwrap(), b"Title", b"Owned");
    reseal(&mut bytes);
    fs::write(&file, &bytes).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o666)).unwrap();
    let out = c.yuedu(["list"]).stdout();
    assert!(out.contains("Title") && !out.contains("Owned"), "{out}");
    // Rebuilt in its place, private again.
    assert_eq!(fs::metadata(index_file(&c)).unwrap().permissions().mode() & 0o002, 0);
}

#[test]
fn a_crafted_length_costs_no_gigabyte() {
    let (c, _) = corpus();
    let file = index_file(&c);
    // A 1 GiB sparse file: valid magic, then a section length just under the file's size.
    let size: u64 = 1 << 30;
    let f = fs::File::create(&file).unwrap();
    f.set_len(size).unwrap();
    let mut head = b"YUEDUIDX".to_vec();
    head.extend_from_slice(&(size - 64).to_le_bytes());
    std::os::unix::fs::FileExt::write_all_at(&f, &head, 0).unwrap();
    drop(f);
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
    // 256 MiB of data segment: allocating the section would fail and abort.
    let out = c.yuedu(["list", "--count"]).data_limit(256 * 1024).output().assert_ok();
    assert_eq!(out.stdout().trim(), "1");
}
