//! Dates written as bare digits by machines — `20231021`, `2023/10/21` in a URL's path,
//! `20220110230323` in a photo id, `2023-10-21` at the start of a file name — read strictly:
//! ASCII digits of exact widths, a plausible year, a valid calendar day.

use crate::base::date::PartialDate;

/// The years a machine-written date may have; other digit runs are ids, not dates.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// The value of `s` when it is exactly `len` ASCII digits.
pub(super) fn digits(s: &str, len: usize) -> Option<u32> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A valid day of a plausible year.
pub(super) fn day(year: u32, month: u32, day: u32) -> Option<PartialDate> {
    let date = PartialDate::ymd(
        i32::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    );
    (YEARS.contains(&(year as i32)) && date.is_valid()).then_some(date)
}

/// A valid month of a plausible year.
pub(super) fn month(year: u32, month: u32) -> Option<PartialDate> {
    let date = PartialDate {
        year: Some(i32::try_from(year).ok()?),
        month: Some(u8::try_from(month).ok()?),
        day: None,
    };
    (YEARS.contains(&(year as i32)) && date.is_valid()).then_some(date)
}

/// `YYYYMMDD` as the whole of `s`.
pub(super) fn compact_day(s: &str) -> Option<PartialDate> {
    digits(s, 8)?;
    day(digits(&s[..4], 4)?, digits(&s[4..6], 2)?, digits(&s[6..], 2)?)
}

/// `YYYY-MM-DD` (or with `_`, `.`) as the whole of `s`.
pub(super) fn separated_day(s: &str) -> Option<PartialDate> {
    let b = s.as_bytes();
    if s.len() != 10 || !matches!(b[4], b'-' | b'_' | b'.') || b[7] != b[4] {
        return None;
    }
    day(digits(&s[..4], 4)?, digits(&s[5..7], 2)?, digits(&s[8..], 2)?)
}

/// The maximal runs of ASCII digits in `s`, with their byte offsets.
pub(super) fn digit_runs(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !b[i].is_ascii_digit() {
            i += 1;
        }
        if i == b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        Some((start, &s[start..i]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_widths_plausible_years_valid_days() {
        assert_eq!(compact_day("20231021"), Some(PartialDate::ymd(2023, 10, 21)));
        assert_eq!(compact_day("20231321"), None);
        assert_eq!(compact_day("12345678"), None, "year 1234");
        assert_eq!(compact_day("2023102"), None);
        assert_eq!(separated_day("2023-10-21"), Some(PartialDate::ymd(2023, 10, 21)));
        assert_eq!(separated_day("2023-10_21"), None);
        assert_eq!(separated_day("2023-02-30"), None);
        assert_eq!(month(2023, 10).map(|d| d.day), Some(None));
        let runs: Vec<_> = digit_runs("a12b345").collect();
        assert_eq!(runs, vec![(1, "12"), (4, "345")]);
    }
}
