//! The index cache: what is written is read back as it was; nothing else is ever accepted,
//! and no bytes make it panic.

use proptest::prelude::*;

use super::*;
use crate::analysis::recognize::recognize;
use crate::analysis::test_support::SEEDS;
use crate::ide::summary::{summarize, FirstSummary};
use crate::ide::Keys;

fn kb() -> KbSet {
    KbSet::new(crate::kb::Kb::builtin(), [], None, &mut Keys::default(), 1)
}

/// The KB, a valid file and its payload, made once for the property tests.
static VALID: std::sync::LazyLock<(KbSet, Vec<u8>, Vec<u8>)> = std::sync::LazyLock::new(|| {
    let kb = kb();
    let payload = format::encode(&kb, notes(&kb).iter().map(|(p, n)| (p, n)));
    let file = file_bytes(&kb);
    (kb, file, payload)
});

/// The bundled notes as the workspace pass would cache them, under `/vault`.
fn notes(kb: &KbSet) -> Vec<(PathBuf, CachedNote)> {
    let facts = {
        let mut facts = WorkspaceFacts::new(&kb.kb);
        for (_, text) in SEEDS {
            facts.add_mentions(
                recognize(text, &kb.kb).exact_entities(&kb.kb).collect::<Vec<_>>(),
                false,
            );
        }
        facts
    };
    SEEDS
        .iter()
        .enumerate()
        .map(|(i, (_, text))| {
            let recognition = recognize(text, &kb.kb);
            let exact = recognition.exact_entities(&kb.kb).collect();
            let FirstSummary { summary, waiting_for } =
                FirstSummary::new(text, recognition, kb, PositionEncoding::Utf16);
            let mut note = CachedNote {
                key: NoteKey {
                    size: text.len() as u64,
                    mtime_secs: 1_700_000_000 + i as i64,
                    mtime_nanos: 7,
                },
                exact,
                waiting_for,
                first: Arc::new(summary),
                last: None,
            };
            let confirmed = note.confirmed(&facts);
            if !confirmed.is_empty() {
                let last = summarize(text, kb, &facts, PositionEncoding::Utf16);
                note.last = Some((confirmed, Arc::new(last)));
            }
            (PathBuf::from(format!("/vault/{i:03}.txt")), note)
        })
        .collect()
}

fn file_bytes(kb: &KbSet) -> Vec<u8> {
    let notes = notes(kb);
    let payload = format::encode(kb, notes.iter().map(|(p, n)| (p, n)));
    write_cache(Path::new("/vault"), fingerprint(kb, PositionEncoding::Utf16), &payload)
}

fn read(kb: &KbSet, bytes: &[u8]) -> Result<Vec<(PathBuf, CachedNote)>, String> {
    read_cache(bytes, Path::new("/vault"), fingerprint(kb, PositionEncoding::Utf16), kb)
}

fn same(a: &CachedNote, b: &CachedNote) -> bool {
    a.key == b.key
        && a.exact == b.exact
        && a.waiting_for == b.waiting_for
        && a.first == b.first
        && a.last.as_ref().map(|(c, s)| (c, &**s)) == b.last.as_ref().map(|(c, s)| (c, &**s))
}

#[test]
fn what_is_written_is_read_back() {
    let kb = kb();
    let notes = notes(&kb);
    assert!(notes
        .iter()
        .any(|(_, n)| n.first.spans.is_some() && !n.exact.is_empty()));
    let back = read(&kb, &file_bytes(&kb)).unwrap();
    assert_eq!(back.len(), notes.len());
    for ((p, a), (q, b)) in notes.iter().zip(&back) {
        assert_eq!(p, q);
        assert!(same(a, b), "{}", p.display());
    }
}

#[test]
fn saved_and_loaded_through_the_folder() {
    let kb = kb();
    let dir = tempfile::tempdir().unwrap();
    let cache = IndexCache {
        dir: dir.path().join("index"),
    };
    let roots = [PathBuf::from("/vault")];
    let notes = notes(&kb);
    cache.save(&roots, &kb, PositionEncoding::Utf16, notes.iter().map(|(p, n)| (p, n)));
    let loaded = cache.load(&roots, &kb, PositionEncoding::Utf16);
    assert_eq!(loaded.len(), notes.len());
    assert!(notes.iter().all(|(p, n)| same(n, &loaded[p])));
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(&cache.dir).unwrap().count(), 1);
    // Another encoding, or another root, finds nothing.
    assert!(cache.load(&roots, &kb, PositionEncoding::Utf8).is_empty());
    assert!(cache
        .load(&[PathBuf::from("/other")], &kb, PositionEncoding::Utf16)
        .is_empty());
}

#[test]
fn a_cache_of_another_root_kb_or_version_is_refused() {
    let kb = kb();
    let bytes = file_bytes(&kb);
    let fp = fingerprint(&kb, PositionEncoding::Utf16);
    assert_eq!(
        read_cache(&bytes, Path::new("/elsewhere"), fp, &kb).unwrap_err(),
        "the cache of another folder"
    );
    assert_eq!(
        read_cache(&bytes, Path::new("/vault"), fp ^ 1, &kb).unwrap_err(),
        "made with another KB or position encoding"
    );
    let mut old = bytes.clone();
    old[8] ^= 0xff; // the format
    assert_eq!(read(&kb, &old).unwrap_err(), "written by another version");
    // A KB with one more file has another fingerprint.
    let texts = [("extra.toml".into(), "".into())];
    let other = KbSet::new(crate::kb::Kb::builtin(), texts, None, &mut Keys::default(), 1);
    assert_ne!(fingerprint(&other, PositionEncoding::Utf16), fp);
}

#[test]
fn every_truncation_and_every_flipped_byte_is_refused() {
    let (kb, bytes, _) = &*VALID;
    // Every cut in the header, then about 300 across the payload; as many flipped bytes.
    let step = (bytes.len() / 300).max(1);
    for len in (0..128).chain((128..bytes.len()).step_by(step)) {
        assert!(read(kb, &bytes[..len]).is_err(), "truncated to {len}");
    }
    for i in (0..128).chain((128..bytes.len()).step_by(step)) {
        let mut damaged = bytes.clone();
        damaged[i] ^= 0x10;
        assert!(read(kb, &damaged).is_err(), "byte {i} flipped");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random bytes, and random bytes after a valid header, never panic and are refused.
    #[test]
    fn random_bytes_are_refused(noise in proptest::collection::vec(any::<u8>(), 0..4096), keep in 0usize..64) {
        let (kb, file, _) = &*VALID;
        prop_assert!(read(kb, &noise).is_err());
        let mut bytes = file[..keep].to_vec();
        bytes.extend_from_slice(&noise);
        prop_assert!(read(kb, &bytes).is_err());
    }

    /// A payload of random bytes under a valid header and checksum (what the checksum cannot
    /// catch) never panics: the decoder checks every count and index itself.
    #[test]
    fn random_payloads_never_panic(noise in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let (kb, _, payload) = &*VALID;
        let _ = format::decode(kb, &noise);
        let mut valid = payload.clone();
        let at = noise.first().map_or(0, |&b| b as usize * valid.len() / 256);
        valid.splice(at..(at + noise.len()).min(valid.len()), noise.iter().copied());
        let _ = format::decode(kb, &valid);
    }
}
