//! [`Card`]: a hover text written either as markdown that renders cleanly in VS Code and in
//! Neovim's hover window, or as plain text.
//!
//! The markdown uses only what both render without leaving markup on screen: `**strong**`,
//! `*emphasis*` and `` `code` `` (Neovim conceals their delimiters), `- ` bullets, hard line
//! breaks (two trailing spaces) and `---` between sections (Neovim draws it as a line). No
//! headings (a terminal shows `###` as it is) and as few backslash escapes as possible
//! (Neovim shows them too): text from the KB or the note is escaped only where a character
//! would start markup.

use crate::base::Locale;
use crate::ide::Markup;

/// A hover text being written, in blocks (paragraphs or bullet lists) of lines.
pub(super) struct Card {
    markup: Markup,
    pub(super) locale: Locale,
    out: String,
    /// The current block has a line already (the next one needs a line break).
    in_block: bool,
}

impl Card {
    pub(super) fn new(markup: Markup, locale: Locale) -> Self {
        Card {
            markup,
            locale,
            out: String::new(),
            in_block: false,
        }
    }

    pub(super) fn ja(&self) -> bool {
        self.locale == Locale::Ja
    }

    /// `text` with the characters that would start markdown markup escaped.
    pub(super) fn escape(&self, text: &str) -> String {
        match self.markup {
            Markup::PlainText => text.to_string(),
            Markup::Markdown => {
                let mut out = String::with_capacity(text.len());
                for (i, c) in text.char_indices() {
                    // Inline markup anywhere; block markup (headings, quotes) where the text
                    // could start a line.
                    let special =
                        matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '~') || (i == 0 && matches!(c, '#' | '>'));
                    if special {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out
            }
        }
    }

    pub(super) fn strong(&self, text: &str) -> String {
        match self.markup {
            Markup::Markdown => format!("**{}**", self.escape(text)),
            Markup::PlainText => text.to_string(),
        }
    }

    pub(super) fn emphasis(&self, text: &str) -> String {
        match self.markup {
            Markup::Markdown => format!("*{}*", self.escape(text)),
            Markup::PlainText => text.to_string(),
        }
    }

    pub(super) fn code(&self, text: &str) -> String {
        match self.markup {
            Markup::Markdown if !text.contains('`') => format!("`{text}`"),
            _ => text.to_string(),
        }
    }

    /// `name: value` (the name strong); `value` is written as given.
    pub(super) fn field(&self, name: &str, value: &str) -> String {
        match self.markup {
            Markup::Markdown => format!("**{name}:** {value}"),
            Markup::PlainText => format!("{name}: {value}"),
        }
    }

    /// A line of the current block; `text` is written as given (escape what needs it).
    pub(super) fn line(&mut self, text: &str) {
        if self.in_block && self.markup == Markup::Markdown {
            // A hard line break: the line before stays a line of its own.
            self.out.insert_str(self.out.len() - 1, "  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
        self.in_block = true;
    }

    /// A bullet of the current block (a list); `text` is escaped here.
    pub(super) fn bullet(&mut self, text: &str) {
        let line = format!("- {}", self.escape(text));
        self.out.push_str(&line);
        self.out.push('\n');
        self.in_block = false;
    }

    /// End the current block: what follows is a new paragraph.
    pub(super) fn block(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        self.in_block = false;
    }

    /// A separator between a warning and the card (`---`; a blank line in plain text).
    pub(super) fn rule(&mut self) {
        self.block();
        if self.markup == Markup::Markdown && !self.out.is_empty() {
            self.out.push_str("---\n\n");
        }
    }

    pub(super) fn finish(self) -> String {
        self.out.trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_a_block_break_and_bullets_do_not_need_to() {
        let mut card = Card::new(Markup::Markdown, Locale::En);
        card.line("one");
        card.line("two");
        card.block();
        card.bullet("a*b");
        card.bullet("c");
        card.rule();
        card.line(&card.escape("# not a heading"));
        expect_test::expect![[r#"
            one  
            two

            - a\*b
            - c

            ---

            \# not a heading"#]]
        .assert_eq(&card.finish());
    }

    #[test]
    fn plain_text_has_no_markup() {
        let mut card = Card::new(Markup::PlainText, Locale::En);
        card.line(&card.strong("トカエフ"));
        card.line(&card.field("Defined in", &card.code("built-in KB")));
        card.rule();
        card.bullet("a*b");
        expect_test::expect![[r#"
            トカエフ
            Defined in: built-in KB

            - a*b"#]]
        .assert_eq(&card.finish());
    }
}
