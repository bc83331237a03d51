//! Clue: a file name that starts with its date, `2023-10-21 …`, `2023_10_21…`, `20231021-…`
//! (what clipping tools and daily-note plugins write). The name comes from the analysis
//! context; nothing here looks at the file system, and a modification time is never a clue.

use super::digits::{compact_day, separated_day};
use crate::base::date::PartialDate;

/// The date `name` starts with, followed by a non-digit or nothing.
pub(super) fn date(name: &str) -> Option<PartialDate> {
    let bounded = |len: usize| !name[len..].starts_with(|c: char| c.is_ascii_digit());
    let separated = name.get(..10).filter(|_| bounded(10)).and_then(separated_day);
    separated.or_else(|| name.get(..8).filter(|_| bounded(8)).and_then(compact_day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_start_with_a_date() {
        assert_eq!(date("2023-10-21 カザフ情勢.txt"), Some(PartialDate::ymd(2023, 10, 21)));
        assert_eq!(date("2023_10_21.txt"), Some(PartialDate::ymd(2023, 10, 21)));
        assert_eq!(date("20231021-kz.txt"), Some(PartialDate::ymd(2023, 10, 21)));
        assert_eq!(date("20231021.txt"), Some(PartialDate::ymd(2023, 10, 21)));
    }

    #[test]
    fn other_names_have_none() {
        assert_eq!(date("003_4a0328322339f521.txt"), None);
        assert_eq!(date("202310211.txt"), None);
        assert_eq!(date("メモ 2023-10-21.txt"), None, "only at the start");
        assert_eq!(date("2023-13-01.txt"), None);
        assert_eq!(date("2023"), None);
    }
}
