//! The deterministic vault generator: notes of about 20 KB made of the seeds' own segments
//! (each clipping block whole, every other line on its own), with the entities renamed from
//! the KB and defects planted at known places.
//!
//! For note `i` everything is drawn from a PRNG seeded with `i`, so a vault of any size is the
//! same on every machine and the first 1000 notes of the 10k vault are the 1k vault.
//!
//! 1. Segments are shuffled and appended (blank lines between some) until the note reaches
//!    [`TARGET_BYTES`]; digits are re-drawn so that dates and figures differ between notes.
//! 2. Entity substitution: each person, place and organisation the note names (by its KB name
//!    or alias, not glued) is renamed, consistently within the note, to a random entity of the
//!    same kind from the KB (half of them keep their name). A person followed by a title is
//!    only renamed to someone who held that title. Names are only put where their edges cannot
//!    run into a neighbouring katakana or Latin word.
//! 3. Planted defects (ground truth for "defects found"), each on a line of its own:
//!    - `deprecated`: a place written with an outdated KB spelling (キエフ for キーウ);
//!    - `near-miss`: a katakana name of five or more characters with one realistic slip — a
//!      dropped ー, a voicing mark added or lost, a look-alike or small/large kana swapped, two
//!      neighbours transposed — that is no KB spelling;
//!    - `glued`: two katakana place names run together (ロシアウクライナ);
//!    - `bracket`: a closing 」 deleted from a line whose brackets balanced.
//!
//! The KB lists no known misspellings, so none are planted from it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use seed_lsp::analysis::recognize::titles::{after_name, AfterName};
use seed_lsp::analysis::recognize::{recognize, MentionForm};
use seed_lsp::base::normalize::is_katakana_word_char;
use seed_lsp::base::{LineIndex, PositionEncoding};
use seed_lsp::kb::{EntityId, EntityKind, Kb, SpellingKind};

/// Bump when the generated text changes: cached vaults are regenerated.
const GENERATOR_VERSION: u32 = 3;
/// A note is closed once it reaches this size…
const TARGET_BYTES: usize = 20_000;
/// …and a segment that would take it past this one is skipped.
const MAX_BYTES: usize = 24_000;

/// The kinds of planted defects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Defect {
    Deprecated,
    NearMiss,
    Glued,
    Bracket,
}

impl Defect {
    pub const ALL: [Defect; 4] = [Defect::Deprecated, Defect::NearMiss, Defect::Glued, Defect::Bracket];

    pub fn label(self) -> &'static str {
        match self {
            Defect::Deprecated => "outdated name (キエフ)",
            Defect::NearMiss => "misspelt name (typo)",
            Defect::Glued => "names glued together",
            Defect::Bracket => "unclosed 「",
        }
    }

    /// Bracket defects are matched by line (tools report either end of the pair); names by
    /// overlapping range.
    pub fn by_line(self) -> bool {
        self == Defect::Bracket
    }
}

/// One planted defect: its note, kind, and where it is (line and UTF-16 columns, as LSP and
/// textlint count them).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Planted {
    pub note: u32,
    pub kind: Defect,
    pub line: u32,
    pub col_start: u32,
    pub col_end: u32,
    pub text: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Corpus {
    version: u32,
    #[serde(skip)]
    pub dir: PathBuf,
    pub notes: usize,
    pub bytes: u64,
    pub planted: Vec<Planted>,
    /// Note paths relative to `dir`, by note number.
    pub paths: Vec<String>,
}

impl Corpus {
    pub fn path(&self, note: usize) -> PathBuf {
        self.dir.join(&self.paths[note])
    }
}

/// The material every note is cut from.
pub struct Material {
    kb: std::sync::Arc<Kb>,
    segments: Vec<String>,
    /// Entities by kind, for renaming (only names of two or more characters).
    by_kind: HashMap<EntityKind, Vec<EntityId>>,
    /// Outdated spellings of places.
    deprecated_places: Vec<String>,
    /// Katakana-only place names (for gluing).
    katakana_places: Vec<String>,
}

impl Material {
    pub fn load(seeds: &Path) -> Material {
        let mut files: Vec<PathBuf> = std::fs::read_dir(seeds)
            .expect("the seeds folder")
            .map(|e| e.expect("a seeds entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        let segments = files
            .iter()
            .flat_map(|f| split_segments(&std::fs::read_to_string(f).expect("a seed note")))
            .collect();
        let kb = Kb::builtin();
        let mut by_kind: HashMap<EntityKind, Vec<EntityId>> = HashMap::new();
        for (id, e) in kb.entities.iter().enumerate() {
            if e.name.chars().count() >= 2 {
                by_kind.entry(e.kind).or_default().push(id);
            }
        }
        let deprecated_places = kb
            .spellings
            .iter()
            .filter(|s| matches!(s.kind, SpellingKind::Deprecated(_)) && kb.entity(s.entity).kind == EntityKind::Place)
            .map(|s| s.text.clone())
            .collect();
        let katakana_places = kb
            .entities
            .iter()
            .filter(|e| e.kind == EntityKind::Place && e.name.chars().count() >= 3 && is_katakana_only(&e.name))
            .map(|e| e.name.clone())
            .collect();
        Material {
            kb,
            segments,
            by_kind,
            deprecated_places,
            katakana_places,
        }
    }

    /// Generate (or reuse, when already generated by this version) a vault of `notes` notes
    /// under `root`.
    pub fn vault(&self, root: &Path, notes: usize) -> Corpus {
        let dir = root.join(format!("vault-{notes}"));
        let manifest = root.join(format!("vault-{notes}.json"));
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            if let Ok(mut corpus) = serde_json::from_str::<Corpus>(&text) {
                if corpus.version == GENERATOR_VERSION && dir.is_dir() {
                    corpus.dir = dir;
                    return corpus;
                }
            }
        }
        let _ = std::fs::remove_file(&manifest);
        let _ = std::fs::remove_dir_all(&dir);
        let made: Vec<(String, usize, Vec<Planted>)> = (0..notes)
            .into_par_iter()
            .map(|i| {
                let (text, planted) = self.note(i as u64);
                let relative = format!("{:03}/note-{i:06}.txt", i / 1000);
                let path = dir.join(&relative);
                std::fs::create_dir_all(path.parent().unwrap()).expect("create the vault folder");
                std::fs::write(&path, &text).expect("write a note");
                let planted = planted.into_iter().map(|p| Planted { note: i as u32, ..p }).collect();
                (relative, text.len(), planted)
            })
            .collect();
        let mut corpus = Corpus {
            version: GENERATOR_VERSION,
            dir: dir.clone(),
            notes,
            bytes: made.iter().map(|m| m.1 as u64).sum(),
            planted: Vec::new(),
            paths: Vec::new(),
        };
        for (path, _, planted) in made {
            corpus.paths.push(path);
            corpus.planted.extend(planted);
        }
        std::fs::write(&manifest, serde_json::to_string(&corpus).unwrap()).expect("write the vault manifest");
        corpus.dir = dir;
        corpus
    }

    /// One long note of at least `bytes` (for edit latency), made of generated notes.
    pub fn long_note(&self, bytes: usize) -> String {
        let mut text = String::new();
        let mut i = 1_000_000_000u64;
        while text.len() < bytes {
            text.push_str(&self.note(i).0);
            text.push('\n');
            i += 1;
        }
        text
    }

    /// Note number `i`: its text and planted defects.
    pub fn note(&self, i: u64) -> (String, Vec<Planted>) {
        let mut rng = Rng::new(i);
        let mut text = String::with_capacity(MAX_BYTES + 4096);
        let mut order: Vec<usize> = (0..self.segments.len()).collect();
        rng.shuffle(&mut order);
        for s in order {
            let segment = &self.segments[s];
            if text.len() + segment.len() > MAX_BYTES {
                continue;
            }
            text.push_str(segment);
            if rng.chance(0.4) {
                text.push('\n');
            }
            if text.len() >= TARGET_BYTES {
                break;
            }
        }
        let text = redraw_digits(&text, &mut rng);
        let text = self.rename(&text, &mut rng);
        self.plant(&text, &mut rng)
    }

    fn rename(&self, text: &str, rng: &mut Rng) -> String {
        let kb = &*self.kb;
        let recognition = recognize(text, kb);
        let mut renamed: HashMap<EntityId, EntityId> = HashMap::new();
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for m in &recognition.mentions {
            let MentionForm::Spelling(s) = m.form else { continue };
            let entity = kb.entity(m.entity);
            if m.glued
                || !matches!(kb.spellings[s].kind, SpellingKind::Name | SpellingKind::Alias)
                || !matches!(
                    entity.kind,
                    EntityKind::Person | EntityKind::Place | EntityKind::Organization
                )
            {
                continue;
            }
            let title = match after_name(text, m.range.end, kb, &recognition.mentions) {
                AfterName::Title { titles, .. } => titles.first().map(|&t| kb.titles[t].name.clone()),
                _ => None,
            };
            let pool = &self.by_kind[&entity.kind];
            let target = match &title {
                // A titled person is renamed to a holder of the title, fresh each time.
                Some(title) => {
                    let holders: Vec<EntityId> = pool
                        .iter()
                        .copied()
                        .filter(|&p| kb.entity(p).roles.iter().any(|r| &r.title == title))
                        .collect();
                    if holders.is_empty() || rng.chance(0.5) {
                        continue;
                    }
                    holders[rng.below(holders.len())]
                }
                None => *renamed.entry(m.entity).or_insert_with(|| {
                    if rng.chance(0.5) {
                        m.entity
                    } else {
                        pool[rng.below(pool.len())]
                    }
                }),
            };
            if target == m.entity {
                continue;
            }
            let name = &kb.entity(target).name;
            if fits(text, m.range.start, m.range.end, name) {
                edits.push((m.range.start, m.range.end, name.clone()));
            }
        }
        apply(text, &edits).0
    }

    fn plant(&self, text: &str, rng: &mut Rng) -> (String, Vec<Planted>) {
        let kb = &*self.kb;
        let recognition = recognize(text, kb);
        let index = LineIndex::new(text);
        let mut used_lines: Vec<u32> = Vec::new();
        let mut edits: Vec<(usize, usize, String, Defect)> = Vec::new();
        let mut mentions: Vec<usize> = (0..recognition.mentions.len()).collect();
        rng.shuffle(&mut mentions);
        let mut want: HashMap<Defect, usize> =
            [(Defect::Deprecated, 2), (Defect::NearMiss, 2), (Defect::Glued, 1)].into();
        for i in mentions {
            let m = &recognition.mentions[i];
            let MentionForm::Spelling(s) = m.form else { continue };
            let entity = kb.entity(m.entity);
            let written = m.range.slice(text);
            let line = index.line_of(m.range.start);
            if m.glued
                || kb.spellings[s].kind != SpellingKind::Name
                || used_lines.contains(&line)
                || !fits(text, m.range.start, m.range.end, "ア")
            {
                continue;
            }
            let planted = if entity.kind == EntityKind::Place && want[&Defect::Deprecated] > 0 && rng.chance(0.5) {
                let old = &self.deprecated_places[rng.below(self.deprecated_places.len())];
                Some((old.clone(), Defect::Deprecated))
            } else if matches!(entity.kind, EntityKind::Person | EntityKind::Place)
                && want[&Defect::NearMiss] > 0
                && is_katakana_only(written)
                && written.chars().count() >= 5
            {
                misspell(written, rng)
                    .filter(|typo| kb.lookup(typo).is_none() && !kb.is_not_entity(typo))
                    .map(|typo| (typo, Defect::NearMiss))
            } else if entity.kind == EntityKind::Place && want[&Defect::Glued] > 0 && is_katakana_only(written) {
                let other = &self.katakana_places[rng.below(self.katakana_places.len())];
                (other != written).then(|| (format!("{written}{other}"), Defect::Glued))
            } else {
                None
            };
            if let Some((new_text, kind)) = planted {
                *want.get_mut(&kind).unwrap() -= 1;
                used_lines.push(line);
                edits.push((m.range.start, m.range.end, new_text, kind));
            }
        }
        // An unclosed 「: drop the 」 of a balanced pair on a line of its own.
        let mut lines: Vec<u32> = (0..index.line_count() as u32).collect();
        rng.shuffle(&mut lines);
        for line in lines {
            if used_lines.contains(&line) {
                continue;
            }
            let range = index.line_range(text, line).unwrap();
            let content = &text[range.clone()];
            if content.matches('「').count() != content.matches('」').count() {
                continue;
            }
            let Some(open) = content.find('「') else { continue };
            let Some(close) = content[open..].find('」').map(|c| open + c) else {
                continue;
            };
            if content[open + '「'.len_utf8()..close].contains('「') {
                continue;
            }
            edits.push((range.start + open, range.start + open, String::new(), Defect::Bracket));
            edits.push((
                range.start + close,
                range.start + close + '」'.len_utf8(),
                String::new(),
                Defect::Bracket,
            ));
            break;
        }
        edits.sort_by_key(|e| e.0);
        let plain: Vec<(usize, usize, String)> = edits.iter().map(|e| (e.0, e.1, e.2.clone())).collect();
        let (out, moved) = apply(text, &plain);
        let index = LineIndex::new(&out);
        let mut planted = Vec::new();
        for (e, (start, end)) in edits.iter().zip(moved) {
            // The bracket defect is reported at its 「 (the empty edit before it).
            let (start, end) = match e.3 {
                Defect::Bracket if e.0 == e.1 => (start, start + '「'.len_utf8()),
                Defect::Bracket => continue,
                _ => (start, end),
            };
            let a = index.line_col(&out, start, PositionEncoding::Utf16);
            let b = index.line_col(&out, end, PositionEncoding::Utf16);
            planted.push(Planted {
                note: 0,
                kind: e.3,
                line: a.line,
                col_start: a.col,
                col_end: b.col,
                text: out[start..end].to_string(),
            });
        }
        (out, planted)
    }
}

/// The seeds cut into segments: a clipping block (`****title****` to its closing fence) is one
/// segment; every other non-blank line is one.
fn split_segments(text: &str) -> Vec<String> {
    let is_open = |l: &str| {
        let t = l.trim_end();
        t.starts_with("***") && !t.chars().all(|c| c == '*')
    };
    let is_close = |l: &str| {
        let t = l.trim_end();
        t.len() >= 6 && t.chars().all(|c| c == '*')
    };
    let mut out = Vec::new();
    let mut block: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let line_nl = if line.ends_with('\n') {
            line.to_string()
        } else {
            format!("{line}\n")
        };
        if is_open(line) {
            if let Some(b) = block.take() {
                out.push(b);
            }
            block = Some(line_nl);
        } else if let Some(b) = block.as_mut() {
            b.push_str(&line_nl);
            if is_close(line) {
                out.push(block.take().unwrap());
            }
        } else if !line.trim().is_empty() {
            out.push(line_nl);
        }
    }
    out.extend(block);
    out
}

fn is_katakana_only(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_katakana_word_char)
}

/// True when `name` can replace `text[start..end]` without its edges running into a
/// neighbouring katakana or Latin word.
fn fits(text: &str, start: usize, end: usize, name: &str) -> bool {
    let word = |c: char| is_katakana_word_char(c) || c.is_ascii_alphanumeric() || c == '・';
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let (first, last) = (name.chars().next().unwrap(), name.chars().next_back().unwrap());
    !(before.is_some_and(word) && word(first) || after.is_some_and(word) && word(last))
}

/// Apply sorted, non-overlapping edits; also returns each edit's range in the result.
fn apply(text: &str, edits: &[(usize, usize, String)]) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    let mut moved = Vec::with_capacity(edits.len());
    for (start, end, new_text) in edits {
        if *start < at {
            moved.push((out.len(), out.len()));
            continue;
        }
        out.push_str(&text[at..*start]);
        moved.push((out.len(), out.len() + new_text.len()));
        out.push_str(new_text);
        at = *end;
    }
    out.push_str(&text[at..]);
    (out, moved)
}

/// Every ASCII digit re-drawn (dates, figures), full-width ones too.
fn redraw_digits(text: &str, rng: &mut Rng) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from(b'0' + rng.below(10) as u8),
            '０'..='９' => char::from_u32('０' as u32 + rng.below(10) as u32).unwrap(),
            c => c,
        })
        .collect()
}

/// One realistic slip in a katakana name.
fn misspell(name: &str, rng: &mut Rng) -> Option<String> {
    const LOOK_ALIKE: &[(char, char)] = &[
        ('ソ', 'ン'),
        ('シ', 'ツ'),
        ('ク', 'タ'),
        ('ウ', 'ワ'),
        ('チ', 'テ'),
        ('ノ', 'メ'),
    ];
    const SMALL_LARGE: &[(char, char)] = &[
        ('ッ', 'ツ'),
        ('ャ', 'ヤ'),
        ('ュ', 'ユ'),
        ('ョ', 'ヨ'),
        ('ィ', 'イ'),
        ('ェ', 'エ'),
    ];
    let chars: Vec<char> = name.chars().collect();
    let swap_with = |c: char, table: &[(char, char)]| {
        table.iter().find_map(|&(a, b)| {
            if a == c {
                Some(b)
            } else if b == c {
                Some(a)
            } else {
                None
            }
        })
    };
    let voicing = |c: char| {
        use unicode_normalization::UnicodeNormalization;
        let voiced: String = format!("{c}\u{3099}").nfc().collect();
        if voiced.chars().count() == 1 {
            return voiced.chars().next();
        }
        let base: Vec<char> = std::iter::once(c).nfd().collect();
        (base.len() == 2).then(|| base[0])
    };
    for _ in 0..8 {
        let mut out = chars.clone();
        let i = rng.below(chars.len());
        let changed = match rng.below(5) {
            0 if chars.contains(&'ー') => {
                let at = chars.iter().position(|&c| c == 'ー').unwrap();
                out.remove(at);
                true
            }
            1 => voicing(chars[i]).map(|v| out[i] = v).is_some(),
            2 => swap_with(chars[i], LOOK_ALIKE).map(|v| out[i] = v).is_some(),
            3 => swap_with(chars[i], SMALL_LARGE).map(|v| out[i] = v).is_some(),
            4 if i + 1 < chars.len() && chars[i] != chars[i + 1] && chars[i + 1] != 'ー' => {
                out.swap(i, i + 1);
                true
            }
            _ => false,
        };
        if changed {
            return Some(out.into_iter().collect());
        }
    }
    None
}

/// SplitMix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED_5EED)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}
