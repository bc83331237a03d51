//! Fixture helpers for rule tests: analyse a note and show one rule's diagnostics inline,
//! `⟦…⟧¹` marking each range, followed by a numbered list of messages and fixes. Snapshots
//! then read like the note being checked.

use crate::base::{Diagnostic, Locale, RuleId};
use crate::kb::Kb;

/// Check `text` against the small test KB and render the diagnostics of `rule`.
pub fn check_rule(rule: RuleId, text: &str) -> String {
    check_rule_with(&crate::analysis::test_support::test_kb(), rule, text)
}

pub fn check_rule_with(kb: &Kb, rule: RuleId, text: &str) -> String {
    let analysis = crate::analysis::test_support::analyze_alone(text, kb);
    let diagnostics: Vec<&Diagnostic> = analysis.diagnostics.iter().filter(|d| d.rule == rule).collect();
    render(text, &diagnostics)
}

const SUPERSCRIPTS: [&str; 10] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"];

fn number(n: usize) -> String {
    n.to_string()
        .bytes()
        .map(|b| SUPERSCRIPTS[(b - b'0') as usize])
        .collect()
}

pub fn render(text: &str, diagnostics: &[&Diagnostic]) -> String {
    let mut out = String::new();
    let mut at = 0;
    let overlapping = diagnostics.windows(2).any(|w| w[1].range.start < w[0].range.end);
    if !overlapping {
        for (i, d) in diagnostics.iter().enumerate() {
            out.push_str(&text[at..d.range.start]);
            out.push('⟦');
            out.push_str(d.range.slice(text));
            out.push('⟧');
            out.push_str(&number(i + 1));
            at = d.range.end;
        }
        out.push_str(&text[at..]);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("---\n");
    }
    for (i, d) in diagnostics.iter().enumerate() {
        out.push_str(&format!(
            "{} {}[{}] {:?}: {}\n",
            number(i + 1),
            d.severity.as_str(),
            d.rule,
            d.range.slice(text),
            d.message.get(Locale::En)
        ));
        out.push_str(&format!("   ja: {}\n", d.message.get(Locale::Ja)));
        for r in &d.related {
            let place = match &r.elsewhere {
                None => format!("{:?}", r.range.slice(text)),
                Some(o) => format!("{} lines {}-{}", o.file, o.first_line + 1, o.last_line + 1),
            };
            out.push_str(&format!("   related {place}: {}\n", r.message.get(Locale::En)));
        }
        for f in &d.fixes {
            let edits: Vec<String> = f
                .edits
                .iter()
                .map(|e| format!("{:?} → {:?}", e.range.slice(text), e.new_text))
                .collect();
            out.push_str(&format!("   fix: {} ({})\n", f.title.get(Locale::En), edits.join(", ")));
        }
    }
    out
}
