//! Partial calendar dates as they appear in notes (`2023年10月21日`, `4月9日`) and in the
//! knowledge base (`2019-03-20`, `2019-03`, `2019`).

use std::fmt;

/// A date of which the year, the month or the day may be unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn ymd(year: i32, month: u8, day: u8) -> Self {
        PartialDate {
            year: Some(year),
            month: Some(month),
            day: Some(day),
        }
    }

    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the knowledge-base form).
    pub fn parse_iso(s: &str) -> Option<Self> {
        let mut parts = s.split('-');
        let year: i32 = parse_digits(parts.next()?, 4)?;
        let month = match parts.next() {
            Some(m) => Some(parse_digits::<u8>(m, 2)?),
            None => None,
        };
        let day = match parts.next() {
            Some(d) => Some(parse_digits::<u8>(d, 2)?),
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        let date = PartialDate {
            year: Some(year),
            month,
            day,
        };
        date.is_valid().then_some(date)
    }

    pub fn is_valid(&self) -> bool {
        let month_ok = self.month.is_none_or(|m| (1..=12).contains(&m));
        let day_ok = self.day.is_none_or(|d| {
            let max = match self.month {
                Some(2) => 29,
                Some(4 | 6 | 9 | 11) => 30,
                _ => 31,
            };
            (1..=max).contains(&d)
        });
        month_ok && day_ok && (self.day.is_none() || self.month.is_some())
    }

    /// The earliest full day this partial date can mean, if the year is known.
    pub fn earliest(&self) -> Option<(i32, u8, u8)> {
        Some((self.year?, self.month.unwrap_or(1), self.day.unwrap_or(1)))
    }

    /// The latest full day this partial date can mean, if the year is known.
    pub fn latest(&self) -> Option<(i32, u8, u8)> {
        Some((self.year?, self.month.unwrap_or(12), self.day.unwrap_or(31)))
    }
}

impl fmt::Display for PartialDate {
    /// Japanese form: `2023年10月21日`, `4月9日`, `2019年`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(y) = self.year {
            write!(f, "{y}年")?;
        }
        if let Some(m) = self.month {
            write!(f, "{m}月")?;
        }
        if let Some(d) = self.day {
            write!(f, "{d}日")?;
        }
        Ok(())
    }
}

fn parse_digits<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_forms() {
        assert_eq!(
            PartialDate::parse_iso("2019-03-20"),
            Some(PartialDate::ymd(2019, 3, 20))
        );
        assert_eq!(PartialDate::parse_iso("2019").unwrap().month, None);
        assert_eq!(PartialDate::parse_iso("2019-13"), None);
        assert_eq!(PartialDate::parse_iso("2019-02-30"), None);
        assert_eq!(PartialDate::parse_iso("19-02-03"), None);
        assert_eq!(PartialDate::parse_iso("2019-3-20"), None);
        assert_eq!(PartialDate::parse_iso("2019/02/03"), None);
    }

    #[test]
    fn displays_in_japanese() {
        assert_eq!(PartialDate::ymd(2022, 3, 31).to_string(), "2022年3月31日");
    }
}
