//! Dates as attributions write them: `2023年10月21日`, `2023年10月`, `4月9日`, `2023/10/21`,
//! `2023-10-21`, `2023.10.21`, in ASCII or full-width digits, a weekday `(金)` after them.

use crate::base::date::PartialDate;

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// A run of ASCII or full-width digits at `pos`: (value, digit count, end).
fn number_at(text: &str, pos: usize) -> Option<(u32, usize, usize)> {
    let (mut value, mut count, mut end) = (0u32, 0usize, pos);
    for c in text[pos..].chars() {
        let Some(d) = digit_value(c) else { break };
        if count == 4 {
            return None;
        }
        value = value * 10 + d;
        count += 1;
        end += c.len_utf8();
    }
    (count > 0).then_some((value, count, end))
}

fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

/// `n` digits at `pos` followed by `unit`: (value, end after the unit).
fn number_with_unit(text: &str, pos: usize, max_digits: usize, unit: char) -> Option<(u32, usize)> {
    let (value, count, end) = number_at(text, pos)?;
    (count <= max_digits && char_at(text, end) == Some(unit)).then_some((value, end + unit.len_utf8()))
}

/// A date at `pos`: `2023年10月21日`, `2023年10月`, `4月9日`, `2023/10/21`, `2023-10-21`,
/// `2023.10.21` (ASCII or full-width digits), optionally followed by a weekday `(金)`.
/// Returns the date and the end of what was read.
pub(crate) fn parse_date_at(text: &str, pos: usize) -> Option<(PartialDate, usize)> {
    let (first, digits, after) = number_at(text, pos)?;
    let next = char_at(text, after)?;
    let (date, end) = match next {
        '年' if digits == 4 => {
            let (month, end) = number_with_unit(text, after + next.len_utf8(), 2, '月')?;
            let day = number_with_unit(text, end, 2, '日');
            let date = PartialDate {
                year: Some(first as i32),
                month: Some(month as u8),
                day: day.map(|(d, _)| d as u8),
            };
            (date, day.map_or(end, |(_, e)| e))
        }
        '月' if digits <= 2 => {
            let (day, end) = number_with_unit(text, after + next.len_utf8(), 2, '日')?;
            let date = PartialDate {
                year: None,
                month: Some(first as u8),
                day: Some(day as u8),
            };
            (date, end)
        }
        '/' | '-' | '.' | '／' | '－' | '．' if digits == 4 => {
            let (month, month_digits, end) = number_at(text, after + next.len_utf8())?;
            if month_digits > 2 || char_at(text, end) != Some(next) {
                return None;
            }
            let (day, day_digits, end) = number_at(text, end + next.len_utf8())?;
            if day_digits > 2 {
                return None;
            }
            (PartialDate::ymd(first as i32, month as u8, day as u8), end)
        }
        _ => return None,
    };
    if !date.is_valid() {
        return None;
    }
    Some((date, skip_weekday(text, end)))
}

/// `(金)`, `（金曜日）` after a date.
fn skip_weekday(text: &str, pos: usize) -> usize {
    let rest = &text[pos..];
    let Some(open) = rest.chars().next().filter(|c| matches!(c, '(' | '（')) else {
        return pos;
    };
    let inner = &rest[open.len_utf8()..];
    let Some(close) = inner.find([')', '）']) else {
        return pos;
    };
    let day = &inner[..close];
    let is_weekday = matches!(day.chars().next(), Some('月' | '火' | '水' | '木' | '金' | '土' | '日'))
        && matches!(&day[day.chars().next().map_or(0, char::len_utf8)..], "" | "曜" | "曜日");
    if !is_weekday {
        return pos;
    }
    let close_char = inner[close..].chars().next().map_or(1, char::len_utf8);
    pos + open.len_utf8() + close + close_char
}

#[cfg(test)]
mod tests {
    use super::parse_date_at;

    #[test]
    fn dates() {
        fn date(s: &str) -> Option<(String, &str)> {
            parse_date_at(s, 0).map(|(d, end)| (d.to_string(), &s[end..]))
        }
        assert_eq!(date("2023年10月21日 AFP"), Some(("2023年10月21日".into(), " AFP")));
        assert_eq!(date("4月9日 Newsweek"), Some(("4月9日".into(), " Newsweek")));
        assert_eq!(date("２０２３年１月７日"), Some(("2023年1月7日".into(), "")));
        assert_eq!(date("2023年12月"), Some(("2023年12月".into(), "")));
        assert_eq!(date("1月7日(金)、"), Some(("1月7日".into(), "、")));
        assert_eq!(date("1月7日（金曜日）"), Some(("1月7日".into(), "")));
        assert_eq!(date("2023/10/21"), Some(("2023年10月21日".into(), "")));
        assert_eq!(date("2023-1-5 "), Some(("2023年1月5日".into(), " ")));
        assert_eq!(date("2023年"), None);
        assert_eq!(date("13月1日"), None);
        assert_eq!(date("2月30日"), None);
        assert_eq!(date("4月"), None);
        assert_eq!(date("12345年1月1日"), None);
        assert_eq!(date("2023/10"), None);
    }
}
