//! Clue: dated URLs. News sites and blogs put the publication date in the path:
//! `/2023/10/21/`, `/2023/10/` (a month), `20231021` or `2023-10-21` between non-digits.
//! Only the path counts (a host or a query holds no date), and only URLs written out with
//! their scheme.

use super::digits::{compact_day, day, digit_runs, digits, month, separated_day};
use crate::base::date::PartialDate;
use crate::base::TextRange;

/// Where every `http://` or `https://` URL of `text` is.
pub(super) fn url_ranges(text: &str) -> Vec<TextRange> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("http") {
        let start = from + found;
        let rest = &text[start..];
        let scheme = ["https://", "http://"].into_iter().find(|s| rest.starts_with(s));
        let Some(scheme) = scheme else {
            from = start + 4;
            continue;
        };
        let len = rest
            .find(|c: char| !c.is_ascii_graphic() || matches!(c, '"' | '\'' | '<' | '>' | '(' | ')' | '[' | ']'))
            .unwrap_or(rest.len());
        if len > scheme.len() {
            out.push(TextRange::new(start, start + len));
        }
        from = start + len.max(scheme.len());
    }
    out
}

/// The date in one URL's path, if it has one.
pub(super) fn url_date(url: &str) -> Option<PartialDate> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = &after_scheme[after_scheme.find('/')?..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    let segments: Vec<&str> = path.split('/').collect();
    for i in 0..segments.len().saturating_sub(1) {
        if let (Some(y), Some(m)) = (digits(segments[i], 4), digits(segments[i + 1], 2)) {
            let d = segments.get(i + 2).and_then(|s| digits(s, 2));
            if let Some(date) = d.and_then(|d| day(y, m, d)).or_else(|| month(y, m)) {
                return Some(date);
            }
        }
    }
    for (start, run) in digit_runs(path) {
        if let Some(date) = compact_day(run) {
            return Some(date);
        }
        if run.len() == 4 {
            let candidate = path.get(start..start + 10)?;
            let next_is_digit = path[start + 10..].starts_with(|c: char| c.is_ascii_digit());
            if let Some(date) = separated_day(candidate).filter(|_| !next_is_digit) {
                return Some(date);
            }
        }
    }
    None
}

/// The dates of the URLs of `text`.
pub(super) fn dates(text: &str, urls: &[TextRange]) -> Vec<PartialDate> {
    urls.iter().filter_map(|r| url_date(r.slice(text))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(url: &str) -> Option<String> {
        url_date(url).map(|d| d.to_string())
    }

    #[test]
    fn dates_in_paths() {
        assert_eq!(
            date("https://www.example.jp/news/2023/10/21/kazakh.html").as_deref(),
            Some("2023年10月21日")
        );
        assert_eq!(
            date("https://blog.example.com/entry/2022/01/").as_deref(),
            Some("2022年1月")
        );
        assert_eq!(
            date("https://news.example.com/articles/20231021-OYT1T50123/").as_deref(),
            Some("2023年10月21日")
        );
        assert_eq!(
            date("https://www.example.com/world/asia/export-ban-2023-10-20/").as_deref(),
            Some("2023年10月20日")
        );
    }

    #[test]
    fn hosts_queries_ids_and_impossible_days_are_not_dates() {
        assert_eq!(date("https://20231021.example.com/"), None);
        assert_eq!(date("https://example.com/item?date=20231021"), None);
        assert_eq!(date("https://example.com/articles/123456789/"), None);
        assert_eq!(date("https://example.com/2023/13/40/"), None);
        assert_eq!(date("https://example.com/photo/202310211"), None);
        assert_eq!(date("https://example.com"), None);
    }

    #[test]
    fn urls_are_found_in_prose() {
        let text = "記事 https://example.com/2023/10/21/a.html）と http://example.org/b を参照。httpだけ";
        let found: Vec<&str> = url_ranges(text).iter().map(|r| r.slice(text)).collect();
        assert_eq!(found, ["https://example.com/2023/10/21/a.html", "http://example.org/b"]);
        assert_eq!(dates(text, &url_ranges(text)), [PartialDate::ymd(2023, 10, 21)]);
    }
}
