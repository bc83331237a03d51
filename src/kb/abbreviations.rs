//! Latin abbreviations that are ordinary words in Japanese text (PDF, SNS, GDP, CEO, AI, CC0 …),
//! which the unknown-entity rule leaves alone: a reviewed list compiled in from
//! `data/ordinary_abbreviations.txt`, each group with the reason its words are not names.

use std::collections::HashSet;
use std::sync::OnceLock;

const LIST: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/src/kb/data/ordinary_abbreviations.txt"
));

fn words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| entries().collect())
}

fn entries() -> impl Iterator<Item = &'static str> {
    LIST.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// True when `word` (as written: upper case and digits) is an ordinary abbreviation.
pub fn is_ordinary_abbreviation(word: &str) -> bool {
    words().contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_upper_case_words_once_each_and_no_name_of_the_builtin_kb() {
        let kb = crate::kb::Kb::builtin();
        let mut seen = HashSet::new();
        for word in entries() {
            assert!(seen.insert(word), "{word} twice");
            assert!(
                word.len() >= 2 && word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
                "{word}"
            );
            assert!(kb.lookup(word).is_none(), "{word} is a spelling of a built-in entity");
        }
        assert!(is_ordinary_abbreviation("PDF") && is_ordinary_abbreviation("CC0"));
        assert!(!is_ordinary_abbreviation("EURACTIV") && !is_ordinary_abbreviation("pdf"));
    }
}
