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
                confirmed: Vec::new(),
                summary: Arc::new(summary),
            };
            let confirmed = note.confirmed(&facts);
            if !confirmed.is_empty() {
                note.summary = Arc::new(summarize(text, kb, &facts, PositionEncoding::Utf16));
                note.confirmed = confirmed;
            }
            (PathBuf::from(format!("/vault/{i:03}.txt")), note)
        })
        .collect()
}

fn file_bytes(kb: &KbSet) -> Vec<u8> {
    let notes = notes(kb);
    let payload = format::encode(kb, notes.iter().map(|(p, n)| (p, n)));
    let mut file = header(Path::new("/vault"), fingerprint(kb, PositionEncoding::Utf16), &payload);
    file.extend_from_slice(&payload);
    file
}

fn read(kb: &KbSet, bytes: &[u8]) -> Result<Vec<(PathBuf, CachedNote)>, String> {
    read_cache(bytes, Path::new("/vault"), fingerprint(kb, PositionEncoding::Utf16), kb)
}

fn same(a: &CachedNote, b: &CachedNote) -> bool {
    a.key == b.key
        && a.exact == b.exact
        && a.waiting_for == b.waiting_for
        && a.confirmed == b.confirmed
        && a.summary == b.summary
}

#[test]
fn what_is_written_is_read_back() {
    let kb = kb();
    let notes = notes(&kb);
    assert!(notes
        .iter()
        .any(|(_, n)| n.summary.spans.is_some() && !n.exact.is_empty()));
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

/// A vault on disk: the bundled notes, a note whose near miss only the others confirm, and
/// the note that confirms it.
struct Vault {
    dir: tempfile::TempDir,
    cache: IndexCache,
}

impl Vault {
    fn new(seeds: bool) -> Vault {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("notes")).unwrap();
        let cache = IndexCache {
            dir: dir.path().join("cache"),
        };
        let vault = Vault { dir, cache };
        for (i, (_, text)) in SEEDS.iter().enumerate().filter(|_| seeds) {
            vault.write(&format!("{i:03}.txt"), text);
        }
        vault.write("near.txt", "昨日、ゼレンスキが語ったところでは、支援は続く。\n");
        vault.write("names.txt", "ゼレンスキー大統領は演説した。\n");
        vault
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("notes")
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.root().join(name), text).unwrap();
    }

    fn paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        paths
    }

    /// Index with the cache (then save it), or cold; the summaries by path and the counts.
    fn index(&self, kb: &KbSet, warm: bool) -> (index::Indexed, HashMap<PathBuf, FileSummary>, WorkspaceFacts) {
        let read = crate::project::batch::disk(None);
        let pass = crate::project::batch::Pass {
            kb: &kb.kb,
            read: &read,
            progress: &crate::project::batch::no_progress,
        };
        let roots = [self.root()];
        let cached = match warm {
            true => self.cache.load(&roots, kb, PositionEncoding::Utf16),
            false => HashMap::new(),
        };
        let indexed = index::index(&pass, kb, PositionEncoding::Utf16, self.paths(), cached)
            .unwrap()
            .complete(&read, kb, PositionEncoding::Utf16);
        if warm {
            let notes = indexed.notes.iter().map(|(p, n)| (p, &**n));
            self.cache.save(&roots, kb, PositionEncoding::Utf16, notes);
        }
        let mut facts = WorkspaceFacts::new(&kb.kb);
        for (_, s) in &indexed.summaries {
            facts.add_note(&s.tally(kb), false);
        }
        let summaries = indexed
            .summaries
            .iter()
            .map(|(p, s)| (p.clone(), (**s).clone()))
            .collect();
        (indexed, summaries, facts)
    }

    /// A warm index equals a cold one; returns how many notes it read, and whether its
    /// records are the ones loaded (the file need not be written again).
    fn warm_equals_cold_as_loaded(&self, kb: &KbSet) -> (usize, bool) {
        let (warm, warm_summaries, warm_facts) = self.index(kb, true);
        let (_, cold_summaries, cold_facts) = self.index(kb, false);
        assert_eq!(warm_summaries, cold_summaries);
        assert_eq!(warm_facts, cold_facts);
        assert_eq!(warm.reused + warm.read, self.paths().len());
        (warm.read, warm.as_loaded())
    }

    fn warm_equals_cold(&self, kb: &KbSet) -> usize {
        self.warm_equals_cold_as_loaded(kb).0
    }
}

/// A warm start whose records are all used as they were needs no new cache file; one that
/// read a note, or left a record unused (a deleted note), does.
#[test]
fn only_a_warm_start_that_changed_nothing_is_as_loaded() {
    let kb = kb();
    let vault = Vault::new(true);
    assert!(!vault.warm_equals_cold_as_loaded(&kb).1, "no cache yet");
    assert_eq!(vault.warm_equals_cold_as_loaded(&kb), (0, true));
    vault.write("000.txt", "ロシアのプーチン大統領は述べた。\n");
    assert_eq!(vault.warm_equals_cold_as_loaded(&kb), (1, false));
    assert_eq!(vault.warm_equals_cold_as_loaded(&kb), (0, true));
    std::fs::remove_file(vault.root().join("001.txt")).unwrap();
    assert_eq!(vault.warm_equals_cold_as_loaded(&kb), (0, false));
    assert_eq!(vault.warm_equals_cold_as_loaded(&kb), (0, true));
}

/// Positions are delta-coded and numbers variable-length: the payload is under 24 bytes a
/// mention, everything included (paths, tables, exact mentions, passages; a mention and its
/// span alone took 33 bytes when every number was written whole, the bundled notes ~40 in
/// all).
#[test]
fn a_mention_and_its_span_take_few_bytes() {
    let kb = kb();
    let notes = notes(&kb);
    let mentions: usize = notes.iter().map(|(_, n)| n.summary.mentions.len()).sum();
    let payload = format::encode(&kb, notes.iter().map(|(p, n)| (p, n)));
    assert!(mentions > 100, "{mentions}");
    let per_mention = payload.len() as f64 / mentions as f64;
    assert!(per_mention < 24.0, "{per_mention:.1} bytes a mention");
}

#[test]
fn a_warm_start_reads_only_what_changed_and_counts_as_a_cold_one() {
    let kb = kb();
    let vault = Vault::new(true);
    let all = vault.paths().len();
    // No cache yet: everything is read; then nothing.
    assert_eq!(vault.warm_equals_cold(&kb), all);
    assert_eq!(vault.warm_equals_cold(&kb), 0);
    // One note changed, one added: two read.
    vault.write("000.txt", "ロシアのプーチン大統領は述べた。\n");
    vault.write("new.txt", "プーチン大統領とバイデン大統領。\n");
    assert_eq!(vault.warm_equals_cold(&kb), 2);
    // One deleted: nothing read.
    std::fs::remove_file(vault.root().join("001.txt")).unwrap();
    assert_eq!(vault.warm_equals_cold(&kb), 0);
    // Another KB: everything is read again.
    let texts = [("extra.toml".into(), "".into())];
    let other = KbSet::new(crate::kb::Kb::builtin(), texts, None, &mut Keys::default(), 2);
    assert_eq!(vault.warm_equals_cold(&other), vault.paths().len());
    assert_eq!(vault.warm_equals_cold(&other), 0);
    // A damaged cache file: discarded, everything read, then nothing.
    let file = vault.cache.file(&vault.root());
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&file, bytes).unwrap();
    assert_eq!(vault.warm_equals_cold(&other), vault.paths().len());
    assert_eq!(vault.warm_equals_cold(&other), 0);
}

/// A near miss confirmed by another note: its summary with the confirmation is cached, and
/// is not used once that note is gone (the near-miss note is read again, and again when the
/// confirming note comes back).
#[test]
fn a_near_miss_follows_the_note_that_confirms_it() {
    let kb = kb();
    let vault = Vault::new(false);
    let near_miss = |vault: &Vault| {
        let (_, summaries, _) = vault.index(&kb, false);
        let near = &summaries[&vault.root().join("near.txt")];
        near.mentions
            .iter()
            .any(|m| m.kind == crate::ide::MentionKind::NearMiss)
    };
    assert_eq!(vault.warm_equals_cold(&kb), 2);
    assert!(near_miss(&vault));
    assert_eq!(vault.warm_equals_cold(&kb), 0);
    std::fs::remove_file(vault.root().join("names.txt")).unwrap();
    assert_eq!(vault.warm_equals_cold(&kb), 1);
    assert!(!near_miss(&vault));
    vault.write("names.txt", "ゼレンスキー大統領は演説した。\n");
    // names.txt is new; near.txt is read again for its confirmation.
    assert_eq!(vault.warm_equals_cold(&kb), 2);
    assert!(near_miss(&vault));
}

/// Phase one has every note's exact mentions and no near miss; after phase two each summary
/// is the one a single-phase pass makes (the note summarised alone with the facts of every
/// note's exact mentions), and the facts the summaries add up to are too.
#[test]
fn two_phases_index_as_one_does() {
    let kb = kb();
    let vault = Vault::new(true);
    let read = crate::project::batch::disk(None);
    let pass = crate::project::batch::Pass {
        kb: &kb.kb,
        read: &read,
        progress: &crate::project::batch::no_progress,
    };
    let mut pass_facts = WorkspaceFacts::new(&kb.kb);
    let texts: Vec<(PathBuf, String)> = vault
        .paths()
        .into_iter()
        .map(|p| (p.clone(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    for (_, text) in &texts {
        let exact: Vec<_> = recognize(text, &kb.kb).exact_entities(&kb.kb).collect();
        pass_facts.add_mentions(exact, false);
    }
    let one = index::index(&pass, &kb, PositionEncoding::Utf16, vault.paths(), HashMap::new()).unwrap();
    assert_eq!(one.near_misses.len(), texts.len());
    let near = vault.root().join("near.txt");
    let of =
        |indexed: &index::Indexed, path: &PathBuf| indexed.summaries.iter().find(|(p, _)| p == path).unwrap().1.clone();
    let is_near = |m: &crate::ide::IndexedMention| m.kind == crate::ide::MentionKind::NearMiss;
    assert!(!of(&one, &near).mentions.iter().any(is_near));
    let two = one.complete(&read, &kb, PositionEncoding::Utf16);
    assert!(of(&two, &near).mentions.iter().any(is_near));
    assert_eq!(two.notes.len(), texts.len());
    let mut facts = WorkspaceFacts::new(&kb.kb);
    let mut single_facts = WorkspaceFacts::new(&kb.kb);
    for (path, text) in &texts {
        let single = summarize(text, &kb, &pass_facts, PositionEncoding::Utf16);
        assert_eq!(*of(&two, path), single, "{}", path.display());
        assert_eq!(*two.notes[path].summary, single);
        facts.add_note(&of(&two, path).tally(&kb), false);
        single_facts.add_note(&single.tally(&kb), false);
    }
    assert_eq!(facts, single_facts);
}
