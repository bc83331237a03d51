//! One Rust source file as the tidy rules read it: its lines with comments blanked (and a
//! view with string literals blanked too), its tokens with their lines, the lines of
//! `#[cfg(test)]` items, and the inline module each token sits in.
//!
//! A lexer of the little Rust it needs, not a parser: comments (nested block comments
//! included), string literals (raw and byte strings included), char literals told apart from
//! lifetimes, identifiers and punctuation.

/// A token of code (outside comments and literals).
#[derive(Clone, Debug, PartialEq)]
pub enum Token {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
}

/// A lexed file.
pub struct Source {
    /// The text with comments blanked (strings kept): what counts as a line of code.
    pub without_comments: String,
    /// Tokens of code, each with its line (1-based) and the inline modules around it.
    pub tokens: Vec<Spanned>,
    /// Line (1-based) → inside a `#[cfg(test)]` item.
    test_lines: Vec<bool>,
    /// Modules declared `#[cfg(test)] mod name;` in this file (their files are test-only).
    pub test_submodules: Vec<String>,
}

pub struct Spanned {
    pub token: Token,
    pub line: usize,
    /// Names of the inline `mod name { … }` blocks the token is inside, outermost first.
    pub inline_modules: Vec<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Code,
    Comment,
    Literal,
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The class of every byte: code, comment, or string/char literal.
fn classify(text: &str) -> Vec<Class> {
    let b = text.as_bytes();
    let mut class = vec![Class::Code; b.len()];
    let mut i = 0;
    let mark = |class: &mut Vec<Class>, from: usize, to: usize, c: Class| {
        for x in &mut class[from..to.min(b.len())] {
            *x = c;
        }
    };
    while i < b.len() {
        // A quote opens a char literal or a lifetime, and after a lone `b` a byte literal.
        let byte_literal = i > 0 && b[i - 1] == b'b' && (i < 2 || !is_ident_byte(b[i - 2]));
        let after_ident = i > 0 && is_ident_byte(b[i - 1]) && !byte_literal;
        if b[i..].starts_with(b"//") {
            let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
            mark(&mut class, i, end, Class::Comment);
            i = end;
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                if b[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            mark(&mut class, i, j, Class::Comment);
            i = j;
        } else if let Some(end) = raw_string_end(b, i) {
            mark(&mut class, i, end, Class::Literal);
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            mark(&mut class, i, end, Class::Literal);
            i = end;
        } else if b[i] == b'\'' && !after_ident {
            match char_literal_end(text, i) {
                Some(end) => {
                    mark(&mut class, i, end, Class::Literal);
                    i = end;
                }
                None => i += 1, // a lifetime
            }
        } else {
            i += 1;
        }
    }
    class
}

/// The end of a raw string (`r"…"`, `r#"…"#`, `br"…"`) starting at `i`, if one does.
fn raw_string_end(b: &[u8], i: usize) -> Option<usize> {
    let start_ok = |at: usize| at == 0 || !is_ident_byte(b[at - 1]);
    let r = match b.get(i)? {
        b'r' if start_ok(i) => i,
        b'b' if start_ok(i) && b.get(i + 1) == Some(&b'r') => i + 1,
        _ => return None,
    };
    let hashes = b[r + 1..].iter().take_while(|&&c| c == b'#').count();
    if b.get(r + 1 + hashes) != Some(&b'"') {
        return None;
    }
    let mut closing = vec![b'"'];
    closing.extend(std::iter::repeat_n(b'#', hashes));
    let body = r + 2 + hashes;
    let end = b[body..].windows(closing.len()).position(|w| w == closing.as_slice())?;
    Some(body + end + closing.len())
}

/// The end of a char literal starting at the `'` at `i`; `None` for a lifetime.
fn char_literal_end(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i + 1..];
    if rest.starts_with('\\') {
        // An escape: up to the next quote (`'\''` has its quote escaped).
        let skip = if rest.starts_with("\\'") { 2 } else { 1 };
        return rest[skip..].find('\'').map(|n| i + 1 + skip + n + 1);
    }
    let c = rest.chars().next()?;
    rest[c.len_utf8()..].starts_with('\'').then(|| i + 1 + c.len_utf8() + 1)
}

/// `text` with the bytes of the given classes turned to spaces (newlines kept, so lines
/// and byte offsets stay where they were).
fn blank(text: &str, class: &[Class], blanked: &[Class]) -> String {
    let bytes: Vec<u8> = text
        .bytes()
        .zip(class)
        .map(|(b, c)| if b != b'\n' && blanked.contains(c) { b' ' } else { b })
        .collect();
    String::from_utf8(bytes).expect("blanking whole classes keeps UTF-8")
}

fn tokenize(code: &str) -> Vec<(Token, usize)> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            i += 1;
        } else if c.is_ascii_whitespace() || !c.is_ascii() {
            i += 1;
        } else if is_ident_byte(c) {
            let end = i + b[i..].iter().take_while(|&&c| is_ident_byte(c)).count();
            out.push((Token::Ident(code[i..end].to_string()), line));
            i = end;
        } else if b[i..].starts_with(b"::") {
            out.push((Token::PathSep, line));
            i += 2;
        } else {
            out.push((Token::Punct(c as char), line));
            i += 1;
        }
    }
    out
}

fn is_ident(token: Option<&(Token, usize)>, name: &str) -> bool {
    matches!(token, Some((Token::Ident(n), _)) if n == name)
}

fn is_punct(token: Option<&(Token, usize)>, p: char) -> bool {
    matches!(token, Some((Token::Punct(c), _)) if *c == p)
}

/// The index of the token closing the bracket opened at `open`.
fn matching(tokens: &[(Token, usize)], open: usize) -> usize {
    let (opening, closing) = match tokens[open].0 {
        Token::Punct('{') => ('{', '}'),
        Token::Punct('[') => ('[', ']'),
        _ => ('(', ')'),
    };
    let mut depth = 0;
    for (j, (t, _)) in tokens.iter().enumerate().skip(open) {
        if *t == Token::Punct(opening) {
            depth += 1;
        } else if *t == Token::Punct(closing) {
            depth -= 1;
            if depth == 0 {
                return j;
            }
        }
    }
    tokens.len() - 1
}

/// `#[cfg(test)]` starting at token `i`?
fn is_cfg_test(tokens: &[(Token, usize)], i: usize) -> bool {
    let want = ["#", "[", "cfg", "(", "test", ")", "]"];
    want.iter().enumerate().all(|(k, w)| {
        let t = tokens.get(i + k);
        match *w {
            "cfg" | "test" => is_ident(t, w),
            p => is_punct(t, p.chars().next().unwrap()),
        }
    })
}

impl Source {
    pub fn new(text: &str) -> Source {
        let class = classify(text);
        let without_comments = blank(text, &class, &[Class::Comment]);
        let code = blank(text, &class, &[Class::Comment, Class::Literal]);
        let raw = tokenize(&code);
        let line_count = text.lines().count() + 1;
        let mut test_lines = vec![false; line_count + 1];
        let mut test_submodules = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            if !is_cfg_test(&raw, i) {
                i += 1;
                continue;
            }
            let first_line = raw[i].1;
            let mut j = i + 7;
            // Other attributes of the same item.
            while is_punct(raw.get(j), '#') && is_punct(raw.get(j + 1), '[') {
                j = matching(&raw, j + 1) + 1;
            }
            let item = j;
            let mut end = raw.len().saturating_sub(1);
            while j < raw.len() {
                match raw[j].0 {
                    Token::Punct(';') => {
                        end = j;
                        break;
                    }
                    Token::Punct('{') => {
                        end = matching(&raw, j);
                        break;
                    }
                    Token::Punct('(') | Token::Punct('[') => j = matching(&raw, j) + 1,
                    _ => j += 1,
                }
            }
            // `#[cfg(test)] [pub(crate)] mod name;`
            let words: Vec<&Token> = raw.get(item..=end).unwrap_or(&[]).iter().map(|t| &t.0).collect();
            if let Some(at) = words.iter().position(|t| **t == Token::Ident("mod".into())) {
                if let (Some(Token::Ident(name)), Some(Token::Punct(';'))) = (words.get(at + 1), words.get(at + 2)) {
                    test_submodules.push(name.clone());
                }
            }
            let last_line = raw.get(end).map_or(line_count, |t| t.1);
            for line in &mut test_lines[first_line..=last_line.min(line_count)] {
                *line = true;
            }
            i = end + 1;
        }
        Source {
            without_comments,
            tokens: with_inline_modules(raw),
            test_lines,
            test_submodules,
        }
    }

    /// Is `line` (1-based) inside a `#[cfg(test)]` item?
    pub fn is_test_line(&self, line: usize) -> bool {
        self.test_lines.get(line).copied().unwrap_or(false)
    }

    /// Lines of code outside `#[cfg(test)]` items: not blank once comments are removed.
    pub fn code_lines(&self) -> usize {
        self.without_comments
            .lines()
            .enumerate()
            .filter(|(i, l)| !l.trim().is_empty() && !self.is_test_line(i + 1))
            .count()
    }
}

/// Each token with the inline `mod name { … }` blocks it is inside.
fn with_inline_modules(raw: Vec<(Token, usize)>) -> Vec<Spanned> {
    let mut out = Vec::with_capacity(raw.len());
    // (module name, brace depth inside it)
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut pending: Option<String> = None;
    for (k, (token, line)) in raw.iter().enumerate() {
        match token {
            Token::Punct('{') => {
                depth += 1;
                if let Some(name) = pending.take() {
                    open.push((name, depth));
                }
            }
            Token::Punct('}') => {
                if open.last().is_some_and(|(_, d)| *d == depth) {
                    open.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Token::Ident(word) if word == "mod" => {
                if let (Some((Token::Ident(name), _)), Some((Token::Punct('{'), _))) = (raw.get(k + 1), raw.get(k + 2))
                {
                    pending = Some(name.clone());
                }
            }
            _ => {}
        }
        out.push(Spanned {
            token: token.clone(),
            line: *line,
            inline_modules: open.iter().map(|(n, _)| n.clone()).collect(),
        });
    }
    out
}
