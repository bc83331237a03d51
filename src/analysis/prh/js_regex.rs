//! JavaScript regular expressions (as prh compiles them: flags `gmu`, plus `i` when asked) →
//! `fancy-regex` syntax with the same meaning.
//!
//! What differs and is translated:
//! - `\d`, `\w`, `\b` are ASCII in JavaScript (`\b` between `も` and `JS` in `今日もJS祭り` is a
//!   word boundary there, not in a Unicode engine): `[0-9]`, `[A-Za-z0-9_]`, and `\b`/`\B` as
//!   look-arounds on that class. `\s` is JavaScript's exact whitespace set (with U+FEFF).
//! - `.` stops at every JavaScript line terminator (`\n`, `\r`, U+2028, U+2029).
//! - `\uXXXX` (surrogate pairs joined), `\u{…}`, `\xHH`, `\cX`, `\0`, `\v`, `\f` → `\x{…}`.
//! - Characters that are literal in JavaScript but syntax in Rust are escaped: `{` that is not a
//!   quantifier, a lone `}` or `]`, and `[`, `&`, `~` inside a class. `[^]` (any character) and
//!   `[]` (nothing) are spelt out.
//!
//! Look-ahead, look-behind (of any length), back-references (`\1`, `\k<name>`), named groups and
//! `\p{…}` pass through: `fancy-regex` has them all. An escape JavaScript would reject in `u` mode
//! (`\q`, a lone surrogate) is an error, located at its byte offset in the source.

/// JavaScript's ASCII word characters.
const WORD: &str = "A-Za-z0-9_";
/// JavaScript's `\s`, as the inside of a character class.
const SPACE: &str =
    r"\t\n\x{0B}\x{0C}\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";
/// What `.` matches without the `s` flag (prh never sets it).
const DOT: &str = r"[^\n\r\x{2028}\x{2029}]";

/// A construct the translation cannot express, at a byte offset of the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Untranslatable {
    pub offset: usize,
    pub message: String,
}

/// Translate a JavaScript regex source to `fancy-regex` syntax (flags not included).
pub fn translate(source: &str) -> Result<String, Untranslatable> {
    let mut t = Translator {
        src: source,
        pos: 0,
        out: String::with_capacity(source.len() + 16),
        groups: count_groups(source),
    };
    t.run()?;
    Ok(t.out)
}

struct Translator<'a> {
    src: &'a str,
    pos: usize,
    out: String,
    /// Capturing groups in the whole pattern (a `\N` beyond them is not a back-reference).
    groups: usize,
}

/// How an escape reads: a single character, a class, or something only valid outside a class.
enum Escaped {
    Char(char),
    /// A class body fragment (`0-9`) usable inside `[...]`, and its full form outside.
    Class {
        inside: String,
        outside: String,
    },
    /// Already in target syntax, only valid outside a class (`\1`, `\b`, `\p{…}` is a class).
    Raw(String),
}

impl<'a> Translator<'a> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn error<T>(&self, offset: usize, message: impl Into<String>) -> Result<T, Untranslatable> {
        Err(Untranslatable {
            offset,
            message: message.into(),
        })
    }

    fn run(&mut self) -> Result<(), Untranslatable> {
        while let Some(c) = self.bump() {
            match c {
                '\\' => match self.escape(false)? {
                    Escaped::Char(c) => push_literal(&mut self.out, c),
                    Escaped::Class { outside, .. } => self.out.push_str(&outside),
                    Escaped::Raw(raw) => self.out.push_str(&raw),
                },
                '.' => self.out.push_str(DOT),
                '[' => self.class()?,
                '(' => self.group_open()?,
                '{' => {
                    if let Some(len) = quantifier_len(self.rest()) {
                        self.out.push('{');
                        self.out.push_str(&self.src[self.pos..self.pos + len]);
                        self.pos += len;
                    } else {
                        self.out.push_str(r"\{");
                    }
                }
                '}' => self.out.push_str(r"\}"),
                ']' => self.out.push_str(r"\]"),
                _ => self.out.push(c),
            }
        }
        Ok(())
    }

    /// After `(`: groups JavaScript has; anything else is reported.
    fn group_open(&mut self) -> Result<(), Untranslatable> {
        let start = self.pos - 1;
        if !self.rest().starts_with('?') {
            self.out.push('(');
            return Ok(());
        }
        let rest = self.rest();
        for prefix in ["?:", "?=", "?!", "?<=", "?<!"] {
            if rest.starts_with(prefix) {
                self.out.push('(');
                self.out.push_str(prefix);
                self.pos += prefix.len();
                return Ok(());
            }
        }
        if let Some(name) = rest.strip_prefix("?<") {
            let Some(end) = name.find('>') else {
                return self.error(start, "unterminated group name");
            };
            self.out.push_str(&format!("(?<{}>", &name[..end]));
            self.pos += 2 + end + 1;
            return Ok(());
        }
        // ES2025 modifiers: (?i:…), (?-i:…), (?ims-ims:…).
        let flags_len = rest[1..]
            .find(|c: char| !matches!(c, 'i' | 'm' | 's' | '-'))
            .unwrap_or(rest.len() - 1);
        if flags_len > 0 && rest[1 + flags_len..].starts_with(':') {
            self.out.push('(');
            self.out.push_str(&rest[..1 + flags_len + 1]);
            self.pos += 1 + flags_len + 1;
            return Ok(());
        }
        self.error(start, "a group of a kind JavaScript regexes do not have".to_string())
    }

    /// After `[`: a class, up to its unescaped `]`.
    fn class(&mut self) -> Result<(), Untranslatable> {
        let start = self.pos - 1;
        let negated = self.rest().starts_with('^');
        if negated {
            self.pos += 1;
        }
        if self.rest().starts_with(']') {
            self.pos += 1;
            // `[]` matches nothing, `[^]` anything.
            self.out.push_str(if negated {
                r"[\x{0}-\x{10FFFF}]"
            } else {
                r"[^\x{0}-\x{10FFFF}]"
            });
            return Ok(());
        }
        let mut body = String::new();
        loop {
            let Some(c) = self.bump() else {
                return self.error(start, "character class `[` is never closed");
            };
            match c {
                ']' => break,
                '\\' => match self.escape(true)? {
                    Escaped::Char(c) => push_class_literal(&mut body, c),
                    Escaped::Class { inside, .. } => body.push_str(&inside),
                    Escaped::Raw(raw) => body.push_str(&raw),
                },
                '-' => body.push('-'),
                _ => push_class_literal(&mut body, c),
            }
        }
        self.out.push('[');
        if negated {
            self.out.push('^');
        }
        self.out.push_str(&body);
        self.out.push(']');
        Ok(())
    }

    /// After `\`: one escape (`in_class`: inside `[...]`, where `\b` is a backspace).
    fn escape(&mut self, in_class: bool) -> Result<Escaped, Untranslatable> {
        let start = self.pos - 1;
        let Some(c) = self.bump() else {
            return self.error(start, "the pattern ends with a lone backslash");
        };
        let class = |inside: &str, negated: bool| Escaped::Class {
            inside: if negated {
                format!("[^{inside}]")
            } else {
                inside.to_string()
            },
            outside: format!("[{}{inside}]", if negated { "^" } else { "" }),
        };
        Ok(match c {
            'd' => class("0-9", false),
            'D' => class("0-9", true),
            'w' => class(WORD, false),
            'W' => class(WORD, true),
            's' => class(SPACE, false),
            'S' => class(SPACE, true),
            'b' if in_class => Escaped::Char('\u{8}'),
            'b' => Escaped::Raw(format!("(?:(?<![{WORD}])(?=[{WORD}])|(?<=[{WORD}])(?![{WORD}]))")),
            'B' if !in_class => Escaped::Raw(format!("(?:(?<=[{WORD}])(?=[{WORD}])|(?<![{WORD}])(?![{WORD}]))")),
            'n' => Escaped::Char('\n'),
            'r' => Escaped::Char('\r'),
            't' => Escaped::Char('\t'),
            'v' => Escaped::Char('\u{B}'),
            'f' => Escaped::Char('\u{C}'),
            '0' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => Escaped::Char('\0'),
            'c' => match self.peek() {
                Some(l) if l.is_ascii_alphabetic() => {
                    self.bump();
                    Escaped::Char(char::from(l as u8 % 32))
                }
                _ => return self.error(start, r"`\c` must be followed by a letter"),
            },
            'x' => {
                let hex = self
                    .rest()
                    .get(..2)
                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
                let Some(hex) = hex else {
                    return self.error(start, r"`\x` must be followed by two hex digits");
                };
                let value = u32::from_str_radix(hex, 16).expect("two hex digits");
                self.pos += 2;
                Escaped::Char(char::from_u32(value).expect("below 0x100"))
            }
            'u' => Escaped::Char(self.unicode_escape(start)?),
            '1'..='9' if !in_class => {
                let digits_len = self
                    .rest()
                    .find(|d: char| !d.is_ascii_digit())
                    .unwrap_or(self.rest().len());
                let number: usize = format!("{c}{}", &self.rest()[..digits_len])
                    .parse()
                    .unwrap_or(usize::MAX);
                if number > self.groups {
                    return self.error(
                        start,
                        "a back-reference to a group the pattern does not have".to_string(),
                    );
                }
                self.pos += digits_len;
                Escaped::Raw(format!(r"\{number}"))
            }
            'k' if !in_class && self.rest().starts_with('<') => {
                let Some(end) = self.rest().find('>') else {
                    return self.error(start, r"unterminated `\k<name>`");
                };
                let name = &self.rest()[1..end];
                let raw = format!(r"\k<{name}>");
                self.pos += end + 1;
                Escaped::Raw(raw)
            }
            'p' | 'P' if self.rest().starts_with('{') => {
                let Some(end) = self.rest().find('}') else {
                    return self.error(start, r"unterminated `\p{…}`");
                };
                let property = &self.rest()[1..end];
                let raw = format!(r"\{c}{{{property}}}");
                self.pos += end + 1;
                Escaped::Class {
                    inside: raw.clone(),
                    outside: raw,
                }
            }
            '-' if in_class => Escaped::Raw(r"\-".to_string()),
            c if c.is_ascii_punctuation() || !c.is_ascii() => Escaped::Char(c),
            _ => {
                return self.error(start, "an escape that is not a JavaScript regex escape".to_string());
            }
        })
    }

    /// After `\u`: `XXXX` (a surrogate pair `\uD83D\uDE00` is one character) or `{X…}`.
    fn unicode_escape(&mut self, start: usize) -> Result<char, Untranslatable> {
        if let Some(braced) = self.rest().strip_prefix('{') {
            let end = braced.find('}');
            let value = end.and_then(|e| u32::from_str_radix(&braced[..e], 16).ok());
            return match (end, value.and_then(char::from_u32)) {
                (Some(e), Some(c)) => {
                    self.pos += e + 2;
                    Ok(c)
                }
                _ => self.error(start, r"invalid `\u{…}` escape"),
            };
        }
        let Some(high) = self.hex4() else {
            return self.error(start, r"`\u` must be followed by four hex digits");
        };
        if (0xD800..0xDC00).contains(&high) && self.rest().starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            match self.hex4() {
                Some(low) if (0xDC00..0xE000).contains(&low) => {
                    let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    return Ok(char::from_u32(c).expect("a valid surrogate pair"));
                }
                _ => self.pos = save,
            }
        }
        char::from_u32(high).map_or_else(|| self.error(start, "a lone surrogate cannot match UTF-8 text"), Ok)
    }

    fn hex4(&mut self) -> Option<u32> {
        let hex = self
            .rest()
            .get(..4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))?;
        let value = u32::from_str_radix(hex, 16).ok()?;
        self.pos += 4;
        Some(value)
    }
}

/// Length of a `{n}`, `{n,}` or `{n,m}` quantifier body after its `{` (closing brace included).
fn quantifier_len(after_brace: &str) -> Option<usize> {
    let end = after_brace.find('}')?;
    let body = &after_brace[..end];
    let (min, max) = body.split_once(',').unwrap_or((body, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(min) && (max.is_empty() || digits(max))).then_some(end + 1)
}

/// A literal character outside a class, escaped when it is Rust regex syntax.
fn push_literal(out: &mut String, c: char) {
    match c {
        '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' | '#' | '&' | '-' | '~' => {
            out.push('\\');
            out.push(c);
        }
        c if c.is_control() => out.push_str(&format!(r"\x{{{:X}}}", c as u32)),
        c => out.push(c),
    }
}

/// A literal character inside a class: `[`, `&`, `~` (set operators in Rust), `]`, `^`, `\` and `-`.
fn push_class_literal(out: &mut String, c: char) {
    match c {
        '[' | ']' | '&' | '~' | '\\' | '^' | '-' => {
            out.push('\\');
            out.push(c);
        }
        c if c.is_control() => out.push_str(&format!(r"\x{{{:X}}}", c as u32)),
        c => out.push(c),
    }
}

/// Capturing groups of a JavaScript pattern: `(` not followed by `?`, and `(?<name>`.
fn count_groups(source: &str) -> usize {
    let bytes = source.as_bytes();
    let mut count = 0;
    let mut in_class = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'(' if !in_class => {
                let rest = &source[i + 1..];
                if !rest.starts_with('?')
                    || (rest.starts_with("?<") && !rest.starts_with("?<=") && !rest.starts_with("?<!"))
                {
                    count += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(js: &str, text: &str) -> Vec<String> {
        let translated = translate(js).unwrap();
        let re = fancy_regex::Regex::new(&format!("(?mR){translated}")).unwrap();
        re.find_iter(text).map(|m| m.unwrap().as_str().to_string()).collect()
    }

    #[test]
    fn word_boundaries_and_digits_are_ascii() {
        assert_eq!(matches(r"\bjs\b", "今日もjs祭り altjs js"), ["js", "js"]);
        assert_eq!(matches(r"\Bjs", "altjs js"), ["js"]);
        assert_eq!(matches(r"\d+", "２０２２年3月"), ["3"]);
        assert_eq!(matches(r"\w+", "キーウnews_1"), ["news_1"]);
        assert_eq!(
            matches(r"a\sb", "a\u{3000}b a\u{FEFF}b a\u{85}b"),
            ["a\u{3000}b", "a\u{FEFF}b"]
        );
    }

    #[test]
    fn literal_braces_brackets_and_class_operators() {
        assert_eq!(matches(r"a{2}", "aaa"), ["aa"]);
        assert_eq!(matches(r"{x}", "{x}"), ["{x}"]);
        assert_eq!(matches(r"[a&&b]", "&"), ["&"]);
        assert_eq!(matches(r"[[~]", "[~"), ["[", "~"]);
        assert_eq!(matches(r"\(([^)]+)\)", "(そのとおり)"), ["(そのとおり)"]);
        assert_eq!(matches(r"[^]", "\n"), ["\n"]);
        assert!(matches(r"[]", "abc").is_empty());
        assert_eq!(matches(r"\/", "a/b"), ["/"]);
        assert_eq!(matches(r"[\d\-]+", "12-3"), ["12-3"]);
        assert_eq!(matches(r"[\W]", "a!"), ["!"]);
    }

    #[test]
    fn dot_and_escapes() {
        assert_eq!(matches("a.b", "a\rb a\u{2028}b axb"), ["axb"]);
        assert_eq!(matches(r"\u30AD\u{30FC}\x41", "キーA"), ["キーA"]);
        assert_eq!(matches(r"\uD842\uDFB7", "𠮷野家"), ["𠮷"]);
        assert_eq!(matches(r"^キ", "キ\r\nキ"), ["キ", "キ"]);
    }

    #[test]
    fn lookaround_backreferences_and_names_pass_through() {
        assert_eq!(matches("サーバ(?!ー)", "サーバー サーバ"), ["サーバ"]);
        assert_eq!(
            matches("(?<!中華|ドネツク)人民", "中華人民 ドネツク人民 人民"),
            ["人民"]
        );
        assert_eq!(matches(r"(ー)\1", "ーー"), ["ーー"]);
        assert_eq!(matches(r"(?<a>ア)\k<a>", "アア"), ["アア"]);
        assert_eq!(matches(r"\p{Script=Katakana}+", "漢字カナ"), ["カナ"]);
        assert_eq!(matches(r"(?i:abc)", "ABC"), ["ABC"]);
    }

    #[test]
    fn what_javascript_rejects_is_reported() {
        let e = translate(r"ab\q").unwrap_err();
        assert_eq!(
            (e.offset, e.message.as_str()),
            (2, "an escape that is not a JavaScript regex escape")
        );
        assert_eq!(
            translate(r"(a)\2").unwrap_err().message,
            "a back-reference to a group the pattern does not have"
        );
        assert!(translate(r"\uD800").is_err());
        assert!(translate("[abc").is_err());
        assert!(translate("(?P<x>a)").is_err());
        assert!(translate("abc\\").is_err());
    }
}

#[cfg(test)]
mod properties {
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Any JavaScript-looking source translates or is refused with an offset inside it; what
        /// translates compiles or is refused by the engine, never a panic.
        #[test]
        fn translation_never_panics(source in "([\\\\()\\[\\]{}^$.*+?|/<>=!:,\\-0-9a-zA-Zキーウ]|\\\\u[0-9A-Fa-f]{0,4}|\\\\[pk]\\{?<?){0,24}") {
            match super::translate(&source) {
                Ok(translated) => {
                    let _ = fancy_regex::Regex::new(&translated);
                }
                Err(e) => proptest::prop_assert!(e.offset <= source.len()),
            }
        }
    }
}
