//! One prh rule: its pattern compiled the way prh compiles it, applied the way prh applies it.
//!
//! - No `pattern`: the pattern is `expected` itself, each ASCII letter or digit widened to its
//!   cases and full-width forms (`Cookie` → `[CcＣｃ][OoＯｏ]…`), as a regex source (prh does
//!   not escape it).
//! - A string `/source/flags` (flags among `gimy`) is a regex; any other string is plain text.
//!   `options.wordBoundary` puts `\b` on both sides. A list is the alternation `(?:a|b|c)`.
//! - Matching uses prh's flags `gmu` (`i` when asked). A match equal to `expected` is not a
//!   change; with `regexpMustEmpty: $N`, a match whose group N is not empty is skipped (prh's
//!   stand-in for a look-behind).
//! - The replacement is `expected` with `$1`…`$99` replaced by the groups (`$0` and numbers
//!   beyond the groups stay as written; an unmatched group is empty).
//! - What a hit changes leaves out the kept context: a `$N` that opens (closes) `expected`
//!   when group N opens (closes) the match, as the `$1` of `$1ほか$2` for `/([^排人])他(…)/`.
//!   prh reports the whole match (`は他に`); seed-lsp reports and fixes `他`, and the
//!   differential test (`.ci/prh-diff.sh`) compares prh's diff less the same context.
//! - A note is matched paragraph by paragraph, as prh's engine does ([`super::engine`]).

use std::sync::Arc;
use std::time::Duration;

use fancy_regex::Regex;

use super::engine::Paragraph;
use super::js_regex;
use crate::base::TextRange;

/// prh's half-width and full-width letters and digits, in the same order.
const HANKAKU: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ZENKAKU: &str = "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ０１２３４５６７８９";

/// A compiled prh rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub expected: String,
    /// The pattern as prh prints it (`/キエフ/gmu`): what `ignoreRules` name and messages show.
    pub display: String,
    /// Every pattern string as written in the YAML (for `ignoreRules` written that way).
    pub written: Vec<String>,
    regex: Regex,
    /// Number of capturing groups (for `$N`).
    groups: usize,
    /// `regexpMustEmpty: $N`.
    must_empty: Option<usize>,
    /// The rule's `prh` field: a note for the writer.
    pub note: Option<String>,
    /// Where the rule is written.
    pub origin: RuleOrigin,
}

/// The file and 1-based line of a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleOrigin {
    pub file: Arc<str>,
    pub line: u32,
}

/// One place a rule asks to change: the matched range and what should be written instead
/// (prh's `Diff`), and how much of each end is kept context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub range: TextRange,
    pub replacement: String,
    /// Bytes at the start and at the end of the match that the replacement keeps as they are:
    /// a group that `expected` begins (ends) with, as `$1` in `$1ほか$2`, and that begins
    /// (ends) the match. Never the whole match.
    pub kept: (usize, usize),
}

impl Hit {
    /// What changes: the match and the replacement less the kept context (`他` → `ほか` for
    /// `は他に` → `はほかに` by `$1ほか$2`). This is what is reported and what the fix edits.
    pub fn change(&self) -> (TextRange, &str) {
        let (front, back) = self.kept;
        let range = TextRange::new(self.range.start + front, self.range.end - back);
        (range, &self.replacement[front..self.replacement.len() - back])
    }
}

/// Why a rule stopped before the end of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stopped {
    /// The regex engine gave up (its backtracking bound for one match).
    Regex(String),
    /// The deadline passed.
    OutOfTime,
}

/// One JavaScript pattern of a rule, before compilation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsPattern {
    pub source: String,
    pub ignore_case: bool,
}

impl JsPattern {
    /// The pattern `expected` stands for when a rule has none.
    pub fn from_expected(expected: &str, word_boundary: bool) -> Self {
        let source = spread_alpha_num(expected);
        JsPattern {
            source: if word_boundary { add_boundary(&source) } else { source },
            ignore_case: false,
        }
    }

    /// A `pattern` string: a `/regex/flags` or plain text. Also returns flags prh drops (`g`, `m`
    /// are always on; `y` is ignored).
    pub fn from_written(written: &str, word_boundary: bool) -> (Self, Vec<char>) {
        let (source, flags) = match parse_regexp_string(written) {
            Some((source, flags)) => (source.to_string(), flags),
            None => (escape_special_chars(written), ""),
        };
        let dropped = flags.chars().filter(|&f| f == 'y').collect();
        let pattern = JsPattern {
            source: if word_boundary { add_boundary(&source) } else { source },
            ignore_case: flags.contains('i'),
        };
        (pattern, dropped)
    }
}

/// Why a rule could not be compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompileError {
    /// The JavaScript source uses something that cannot be translated (pattern index, reason).
    Untranslatable { pattern: usize, message: String },
    /// The translated pattern does not compile.
    Regex(String),
}

impl Rule {
    /// Compile `patterns` (one for a string `pattern`, several for a list) the way prh does.
    pub fn compile(
        expected: String,
        patterns: &[JsPattern],
        is_list: bool,
        written: Vec<String>,
        must_empty: Option<usize>,
        note: Option<String>,
        origin: RuleOrigin,
    ) -> Result<Rule, CompileError> {
        let mut translated = Vec::with_capacity(patterns.len());
        for (i, p) in patterns.iter().enumerate() {
            let t = js_regex::translate(&p.source).map_err(|e| CompileError::Untranslatable {
                pattern: i,
                message: e.message,
            })?;
            translated.push(if p.ignore_case { format!("(?i:{t})") } else { t });
        }
        let (source, body) = if is_list {
            let sources: Vec<&str> = patterns.iter().map(|p| p.source.as_str()).collect();
            (
                format!("(?:{})", sources.join("|")),
                format!("(?:{})", translated.join("|")),
            )
        } else {
            (patterns[0].source.clone(), translated.remove(0))
        };
        let all_ignore_case = patterns.iter().all(|p| p.ignore_case);
        let display = format!("/{source}/{}", if all_ignore_case { "gimu" } else { "gmu" });
        let regex = fancy_regex::RegexBuilder::new(&format!("(?mR){body}"))
            .build()
            .map_err(|e| CompileError::Regex(e.to_string()))?;
        let groups = regex.captures_len().saturating_sub(1);
        Ok(Rule {
            expected,
            display,
            written,
            regex,
            groups,
            must_empty,
            note,
            origin,
        })
    }

    /// Number of capturing groups of the pattern.
    pub fn group_count(&self) -> usize {
        self.groups
    }

    /// The matches prh would change in `text` taken whole (as prh's `applyRule` does, for a
    /// spec's `from`), in order (matches that change nothing left out).
    pub fn hits(&self, text: &str) -> Result<Vec<Hit>, String> {
        let mut hits = Vec::new();
        self.hits_in_slice(text, 0, None, &mut hits)
            .map_err(|stop| match stop {
                Stopped::Regex(e) => e,
                Stopped::OutOfTime => unreachable!("no deadline"),
            })?;
        Ok(hits)
    }

    /// The matches prh would change in a note: each of its `paragraphs` ([`super::paragraphs`])
    /// matched on its own, its `prh:disable` pragmas applied; ranges in `text`. Given up when
    /// the thread's CPU time ([`super::clock`]) reaches `deadline`: fancy-regex bounds the backtracking of one match (and reports a pattern that
    /// needs more), but each match starts afresh: a look-around that scans to the end of the
    /// line from every match is quadratic in the line, under the bound every time. The clock,
    /// read between matches, is what bounds the whole.
    pub fn hits_in(
        &self,
        text: &str,
        paragraphs: &[Paragraph],
        deadline: Option<Duration>,
    ) -> Result<Vec<Hit>, Stopped> {
        let mut hits = Vec::new();
        for paragraph in paragraphs {
            if paragraph.ignores_all() {
                continue;
            }
            let mut found = Vec::new();
            self.hits_in_slice(paragraph.range.slice(text), paragraph.range.start, deadline, &mut found)?;
            found.retain(paragraph.keeps(text));
            hits.append(&mut found);
        }
        Ok(hits)
    }

    /// The hits in `text`, a slice starting at `offset` of the note, pushed to `hits`.
    fn hits_in_slice(
        &self,
        text: &str,
        offset: usize,
        deadline: Option<Duration>,
        hits: &mut Vec<Hit>,
    ) -> Result<(), Stopped> {
        for caps in self.regex.captures_iter(text) {
            if deadline.is_some_and(|d| super::clock::thread_time() >= d) {
                return Err(Stopped::OutOfTime);
            }
            let caps = caps.map_err(|e| Stopped::Regex(e.to_string()))?;
            let whole = caps.get(0).expect("group 0 is the match");
            if self
                .must_empty
                .is_some_and(|n| caps.get(n).is_some_and(|g| !g.as_str().is_empty()))
            {
                continue;
            }
            if whole.as_str() == self.expected {
                continue;
            }
            let group = |n: usize| caps.get(n).map(|g| g.as_str());
            let replacement = self.replacement(group);
            if replacement == whole.as_str() {
                continue;
            }
            hits.push(Hit {
                range: TextRange::new(whole.start(), whole.end()).shifted(offset),
                replacement,
                kept: self.kept_context(whole.as_str(), group),
            });
        }
        Ok(())
    }

    /// Bytes of the match kept at its start and its end (see [`Hit::kept`]); the same test as
    /// the differential test's reference side (`tests/prh-diff/prh-findings.js`).
    fn kept_context<'t>(&self, whole: &str, group: impl Fn(usize) -> Option<&'t str>) -> (usize, usize) {
        let valid = |digits: &str| {
            let n: usize = digits.parse().ok()?;
            (n != 0 && n <= self.groups).then_some(n)
        };
        let expected = self.expected.as_str();
        let (mut front, mut back, mut expected_front) = (0, 0, 0);
        if let Some(after) = expected.strip_prefix('$') {
            let digits = after.bytes().take(2).take_while(u8::is_ascii_digit).count();
            if let Some(n) = valid(&after[..digits]) {
                let kept = group(n).unwrap_or("");
                if !kept.is_empty() && kept.len() < whole.len() && whole.starts_with(kept) {
                    front = kept.len();
                    expected_front = 1 + digits;
                }
            }
        }
        if let Some(at) = expected.rfind('$') {
            let digits = &expected[at + 1..];
            let token = (1..=2).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
            if let Some(n) = valid(digits).filter(|_| token && at >= expected_front) {
                let kept = group(n).unwrap_or("");
                let rest = &whole[front..];
                if !kept.is_empty() && kept.len() < rest.len() && rest.ends_with(kept) {
                    back = kept.len();
                }
            }
        }
        (front, back)
    }

    /// `text` with every hit replaced (what a spec's `from` becomes).
    pub fn apply(&self, text: &str) -> Result<String, String> {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for hit in self.hits(text)? {
            out.push_str(&text[at..hit.range.start]);
            out.push_str(&hit.replacement);
            at = hit.range.end;
        }
        out.push_str(&text[at..]);
        Ok(out)
    }

    /// `expected` with `$N` replaced by group N (prh's rule: one or two digits; `$0` and numbers
    /// beyond the pattern's groups stay as written).
    fn replacement<'t>(&self, group: impl Fn(usize) -> Option<&'t str>) -> String {
        let mut out = String::with_capacity(self.expected.len());
        let mut rest = self.expected.as_str();
        while let Some(dollar) = rest.find('$') {
            out.push_str(&rest[..dollar]);
            let after = &rest[dollar + 1..];
            let digits = after.bytes().take(2).take_while(u8::is_ascii_digit).count();
            let n: usize = after[..digits].parse().unwrap_or(0);
            if digits == 0 || n == 0 || n > self.groups {
                out.push_str(&rest[dollar..dollar + 1 + digits]);
            } else {
                out.push_str(group(n).unwrap_or(""));
            }
            rest = &after[digits..];
        }
        out.push_str(rest);
        out
    }
}

/// prh's `spreadAlphaNum`: each ASCII letter or digit → a class of its cases and full-width forms.
fn spread_alpha_num(s: &str) -> String {
    let zenkaku: Vec<char> = ZENKAKU.chars().collect();
    let mut out = String::with_capacity(s.len() * 4);
    for c in s.chars() {
        let upper = HANKAKU.find(c.to_ascii_uppercase());
        let lower = HANKAKU.find(c.to_ascii_lowercase());
        match (upper, lower) {
            (Some(u), Some(l)) if c.is_ascii_alphanumeric() => {
                out.push('[');
                if u == l {
                    out.push(c);
                    out.push(zenkaku[u]);
                } else {
                    out.push(c.to_ascii_uppercase());
                    out.push(c.to_ascii_lowercase());
                    out.push(zenkaku[u]);
                    out.push(zenkaku[l]);
                }
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

/// prh's `parseRegExpString`: `/source/flags` with flags among `gimy`.
fn parse_regexp_string(s: &str) -> Option<(&str, &str)> {
    if s.contains('\n') || !s.starts_with('/') {
        return None;
    }
    let last = s.rfind('/').filter(|&i| i > 0)?;
    let flags = &s[last + 1..];
    flags
        .chars()
        .all(|f| matches!(f, 'g' | 'i' | 'm' | 'y'))
        .then(|| (&s[1..last], flags))
}

/// A `/…/x` string whose flags prh does not accept (it then reads the string as plain text).
pub fn looks_like_regex_with_foreign_flags(s: &str) -> Option<&str> {
    if parse_regexp_string(s).is_some() || !s.starts_with('/') {
        return None;
    }
    let last = s.rfind('/').filter(|&i| i > 0)?;
    let flags = &s[last + 1..];
    (!flags.is_empty() && flags.chars().all(|f| f.is_ascii_lowercase())).then_some(flags)
}

/// prh's `escapeSpecialChars`: its list of characters, `¥*+.?{}()[]^$-|/`, has no backslash,
/// so a backslash in a plain pattern is an escape (`a\d` matches `a1`, and WEB+DB_PRESS.yml's
/// `/([\d]+)つめ`, a regex missing its closing slash, matches `/([1]+)つめ`). prh also escapes
/// `¥` and `-`, and then fails to load the rule (`\-` is an error in a `u` regex); here they
/// stay literal, and the rule loads.
fn escape_special_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if "*+.?{}()|^$[]/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn add_boundary(source: &str) -> String {
    format!(r"\b{source}\b")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(expected: &str, pattern: Option<&str>, word_boundary: bool, must_empty: Option<usize>) -> Rule {
        let p = match pattern {
            Some(w) => JsPattern::from_written(w, word_boundary).0,
            None => JsPattern::from_expected(expected, word_boundary),
        };
        let origin = RuleOrigin {
            file: "t.yml".into(),
            line: 1,
        };
        Rule::compile(expected.into(), &[p], false, vec![], must_empty, None, origin).unwrap()
    }

    #[test]
    fn patterns_from_expected_widen_letters() {
        assert_eq!(spread_alpha_num("a1-ア"), "[AaＡａ][1１]-ア");
        let r = rule("jQuery", None, false, None);
        assert_eq!(r.display, "/[JjＪｊ][QqＱｑ][UuＵｕ][EeＥｅ][RrＲｒ][YyＹｙ]/gmu");
        assert_eq!(r.apply("jquery ＪＱＵＥＲＹ jQuery").unwrap(), "jQuery jQuery jQuery");
    }

    #[test]
    fn dollar_substitution_follows_prh() {
        let r = rule("（$1）", Some(r"/\(([^)]+)\)/"), false, None);
        assert_eq!(r.apply("(そのとおり)").unwrap(), "（そのとおり）");
        let r = rule("$1大統領$2$0$", Some("/(トカエフ|プーチン)統領/"), false, None);
        assert_eq!(r.apply("トカエフ統領").unwrap(), "トカエフ大統領$2$0$");
    }

    #[test]
    fn must_empty_and_word_boundary() {
        let r = rule("人民共和国", Some("/(人)?民共和国/"), false, Some(1));
        assert_eq!(
            r.apply("ドネツク民共和国と中華人民共和国").unwrap(),
            "ドネツク人民共和国と中華人民共和国"
        );
        let r = rule("js", None, true, None);
        assert_eq!(
            r.apply("foo JS bar, altJS, 今日もJS祭り").unwrap(),
            "foo js bar, altJS, 今日もjs祭り"
        );
    }

    /// Each hit as (what it changes, into what).
    fn changes(r: &Rule, text: &str) -> Vec<(String, String)> {
        r.hits(text)
            .unwrap()
            .iter()
            .map(|h| {
                let (range, to) = h.change();
                (range.slice(text).to_string(), to.to_string())
            })
            .collect()
    }

    #[test]
    fn a_change_leaves_out_the_context_the_rule_keeps() {
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        // WEB+DB_PRESS.yml's rules: context kept on both sides, or on one (the other group unmatched).
        let r = rule("$1ほか$2", Some("/([^排人])他([^ァ-ヶ社者人方])/"), false, None);
        assert_eq!(changes(&r, "その他の国"), [pair("他", "ほか")]);
        let r = rule("$1Web$2", Some(r"/(?:([^/])ウェブ)|(?:ウェブ([^/\+]))/"), false, None);
        assert_eq!(changes(&r, "ウェブア"), [pair("ウェブ", "Web")]);
        let r = rule(
            "$1GitHub$2",
            Some(r"/(?:([^/.])\bGithub)|(?:Github\b([^/.]))/"),
            false,
            None,
        );
        assert_eq!(changes(&r, "はGithub"), [pair("Github", "GitHub")]);
        let r = rule("$1大統領", Some("/(トカエフ|プーチン)統領/"), false, None);
        assert_eq!(changes(&r, "トカエフ統領"), [pair("統領", "大統領")]);
        // A deletion keeps its context; nothing is left out that would leave nothing.
        let r = rule("$1", Some("/(ab)c/"), false, None);
        assert_eq!(changes(&r, "abc"), [pair("c", "")]);
        let r = rule("$1x", Some("/(a)/"), false, None);
        assert_eq!(changes(&r, "a"), [pair("a", "ax")]);
        // `$10` with one group is literal text, not a group.
        let r = rule("$10", Some("/(a)b/"), false, None);
        assert_eq!(changes(&r, "ab"), [pair("ab", "$10")]);
        // The whole match is still what a spec's `from` has replaced.
        let r = rule("$1ほか$2", Some("/([^排人])他([^ァ-ヶ社者人方])/"), false, None);
        assert_eq!(r.apply("その他の国").unwrap(), "そのほかの国");
    }

    #[test]
    fn a_note_is_matched_paragraph_by_paragraph() {
        let r = rule("$1ほかに", Some("/(^|[^の])他に/"), false, None);
        let text = "前の段落。\n\n他に、\n他に。\n\n\n\nその他に";
        let hits = r.hits_in(text, &super::super::paragraphs(text), None).unwrap();
        let found: Vec<(&str, &str, &str)> = hits
            .iter()
            .map(|h| (h.range.slice(text), h.change().0.slice(text), h.change().1))
            .collect();
        // At a paragraph's start `^` matches (prh's paragraphs: the blank line before it is not
        // in it); inside a paragraph the line break is the kept context.
        assert_eq!(found, [("他に", "他に", "ほかに"), ("\n他に", "他に", "ほかに")]);
        // Taken whole (a spec's `from`), the text has one paragraph: the blank line is context.
        assert_eq!(r.hits(text).unwrap()[0].range.slice(text), "\n他に");
        // A pragma holds in its own paragraph only.
        let text = "他に\n\n他に prh:disable:他\n\n他に";
        let hits = r.hits_in(text, &super::super::paragraphs(text), None).unwrap();
        let starts: Vec<usize> = hits.iter().map(|h| h.range.start).collect();
        assert_eq!(starts, [0, text.rfind("他に").unwrap()]);
    }

    #[test]
    fn plain_patterns_are_escaped_and_regex_flags_parsed() {
        assert_eq!(escape_special_chars("a.b(c)/"), r"a\.b\(c\)\/");
        assert_eq!(parse_regexp_string("/a/gi"), Some(("a", "gi")));
        assert_eq!(parse_regexp_string("/a/s"), None);
        assert_eq!(looks_like_regex_with_foreign_flags("/a/su"), Some("su"));
        let r = rule("C++", Some("c++"), false, None);
        assert_eq!(r.apply("c++").unwrap(), "C++");
        // A backslash is not escaped, as in prh; `-` and `¥` are literal.
        let r = rule("$1つ目", Some(r"/([\d]+)つめ"), false, None);
        assert_eq!(r.apply(r"/([1]+)つめ /([\d]+)つめ").unwrap(), r"$1つ目 /([\d]+)つめ");
        let r = rule("O/Rマッパー", Some("O-R¥"), false, None);
        assert_eq!(r.apply("O-R¥").unwrap(), "O/Rマッパー");
        let r = rule("cookie", Some("/COOKIE/i"), false, None);
        assert_eq!(
            (r.display.as_str(), r.apply("Cookie").unwrap().as_str()),
            ("/COOKIE/gimu", "cookie")
        );
    }
}
