//! Clue: hatena-style photo ids, `f:id:USER:YYYYMMDDhhmmss` (and a `p`/`j`/`g` kind letter
//! after it): the moment the picture was uploaded to the blog the note was clipped from.

use super::digits::{day, digits};
use crate::base::date::PartialDate;

/// The upload days of every photo id in `text`.
pub(super) fn dates(text: &str) -> Vec<PartialDate> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("f:id:") {
        let rest = &text[at + "f:id:".len()..];
        let user_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let Some(stamp) = rest[user_len..].strip_prefix(':') else {
            continue;
        };
        if user_len == 0 || stamp.len() < 14 || stamp.as_bytes()[14..].first().is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let Some(stamp) = stamp.get(..14).filter(|s| s.bytes().all(|b| b.is_ascii_digit())) else {
            continue;
        };
        let time_ok = digits(&stamp[8..10], 2).is_some_and(|h| h < 24)
            && digits(&stamp[10..12], 2).is_some_and(|m| m < 60)
            && digits(&stamp[12..], 2).is_some_and(|s| s < 61);
        let date = (|| {
            day(
                digits(&stamp[..4], 4)?,
                digits(&stamp[4..6], 2)?,
                digits(&stamp[6..8], 2)?,
            )
        })();
        if let Some(date) = date.filter(|_| time_ok) {
            out.push(date);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_ids_give_their_upload_day() {
        let text = "[f:id:someone_01:20211203081522p:plain]\n写真\n[f:id:someone_01:20211203101010j:image]";
        assert_eq!(
            dates(text),
            [PartialDate::ymd(2021, 12, 3), PartialDate::ymd(2021, 12, 3)]
        );
    }

    #[test]
    fn broken_ids_are_not_dates() {
        assert_eq!(dates("f:id::20211203081522p"), [], "no user");
        assert_eq!(dates("f:id:a:2021120308152p"), [], "13 digits");
        assert_eq!(dates("f:id:a:202112030815221"), [], "15 digits");
        assert_eq!(dates("f:id:a:20211203256000p"), [], "hour 25");
        // Found by the fuzzer: the 15th byte inside a character.
        assert_eq!(dates("f:id:a:202アロシア"), [], "kana after the digits");
        assert_eq!(dates("f:id:a:20211303081522p"), [], "month 13");
        assert_eq!(dates("id:a:20211203081522"), []);
    }
}
