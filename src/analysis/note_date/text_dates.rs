//! Clue: a full date in the note's prose — `2023年10月21日`, `2023/10/21`, `2023-10-21`, in
//! ASCII or full-width digits — outside source lines (their own clue) and URLs (theirs).
//! Dates without a day (`2023年10月`) or without a year (`10月21日`) are not full dates.

use crate::analysis::sources::parse_date_at;
use crate::base::date::PartialDate;
use crate::base::TextRange;

/// Every full date in `text` outside the `excluded` ranges (sorted by start).
pub(super) fn dates(text: &str, excluded: &[TextRange]) -> Vec<PartialDate> {
    let mut out = Vec::new();
    let mut previous_digit = false;
    for (at, c) in text.char_indices() {
        let digit = c.is_ascii_digit() || ('０'..='９').contains(&c);
        if digit && !previous_digit && !excluded.iter().any(|r| r.start <= at && at < r.end) {
            if let Some((date, _)) = parse_date_at(text, at) {
                if date.year.is_some() && date.day.is_some() {
                    out.push(date);
                }
            }
        }
        previous_digit = digit;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_dates_in_prose() {
        let text = "２０２１年１２月３日、外務省は発表した。2021/12/03 付けの声明。";
        assert_eq!(
            dates(text, &[]),
            [PartialDate::ymd(2021, 12, 3), PartialDate::ymd(2021, 12, 3)]
        );
    }

    #[test]
    fn partial_dates_numbers_and_excluded_ranges_are_not() {
        assert_eq!(dates("2021年12月に発表、12月3日に会談。", &[]), []);
        assert_eq!(dates("人口は12021年12月3日", &[]), [], "not a four-digit year");
        let text = "【2021年12月3日 共同】本文";
        let source = TextRange::new(0, text.find('本').unwrap());
        assert_eq!(dates(text, &[source]), []);
    }
}
