//! Clipping fences that do not pair up: an opening fence whose asterisk counts differ (with a
//! fix), a clipping never closed, a closing fence that closes nothing.

use super::{quote_between, RULE};
use crate::analysis::layout::{Fence, FenceKind};
use crate::analysis::rules::RuleContext;
use crate::base::{Diagnostic, Edit, Message, TextRange};

/// Report the fences that do not pair up (see the module doc).
pub(super) fn check_fences(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let fences = &cx.layout.fences;
    for fence in fences {
        if let FenceKind::Open {
            title,
            leading,
            trailing,
        } = fence.kind
        {
            if leading != trailing {
                let quoted = quote_between(cx.text, fence.range);
                let stars = "*".repeat(leading);
                out.push(
                    RULE.diagnostic(
                        fence.range,
                        Message::new(
                            format!("{leading} asterisks open the title but {trailing} close it: {quoted}"),
                            format!("見出しの * の数が前後で違います（前{leading}・後{trailing}）: {quoted}"),
                        ),
                    )
                    .with_fix(
                        Message::new(
                            format!("Close the title with {leading} asterisks"),
                            format!("後ろの * を{leading}個にする"),
                        ),
                        vec![Edit {
                            range: TextRange::new(title.end, title.end + trailing),
                            new_text: stars,
                        }],
                    ),
                );
            }
        }
    }
    let mut closed = vec![false; fences.len()];
    for block in &cx.layout.blocks {
        match block.close {
            Some(c) => closed[c] = true,
            None => out.push(unclosed_block(cx, &fences[block.open], fences.get(block.open + 1))),
        }
    }
    for (i, fence) in fences.iter().enumerate() {
        if fence.kind == FenceKind::Close && !closed[i] {
            let mut diagnostic = RULE.diagnostic(
                fence.range,
                Message::new(
                    "This closing fence closes no clipping (no ****title**** line before it)",
                    "この終わりの * 行に対応する見出し行（****見出し****）がありません",
                ),
            );
            if let Some(previous) = i
                .checked_sub(1)
                .map(|p| &fences[p])
                .filter(|p| p.kind == FenceKind::Close)
            {
                diagnostic = diagnostic.with_related(
                    previous.range,
                    Message::new(
                        "The clipping was already closed here",
                        "切り抜きはここで既に閉じています",
                    ),
                );
            }
            out.push(diagnostic);
        }
    }
}

fn unclosed_block(cx: &RuleContext, open: &Fence, next: Option<&Fence>) -> Diagnostic {
    let quoted = quote_between(cx.text, open.range);
    let diagnostic = RULE.diagnostic(
        open.range,
        Message::new(
            format!("Clipping never closed by a ****** line: {quoted}"),
            format!("切り抜きを閉じる ****** 行がありません: {quoted}"),
        ),
    );
    match next {
        Some(next) => diagnostic.with_related(
            next.range,
            Message::new("The next clipping starts here", "次の切り抜きはここから始まります"),
        ),
        None => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::super::check_fixture as check;
    use expect_test::expect;

    #[test]
    fn fence_with_uneven_asterisks_gets_a_fix() {
        expect![[r#"
            ⟦****5月に一斉攻撃か。攻撃準備を終えたロシア***⟧¹
            (中略)
            本文。【4月6日 MAG2NEWS】
            ******************
            ---
            ¹ warning[unmatched-bracket] "****5月に一斉攻撃か。攻撃準備を終えたロシア***": 4 asterisks open the title but 3 close it: ****5月に一斉攻撃か…ロシア***
               ja: 見出しの * の数が前後で違います（前4・後3）: ****5月に一斉攻撃か…ロシア***
               fix: Close the title with 4 asterisks ("***" → "****")
        "#]]
        .assert_eq(&check(
            "****5月に一斉攻撃か。攻撃準備を終えたロシア***\n(中略)\n本文。【4月6日 MAG2NEWS】\n******************\n",
        ));
    }

    #[test]
    fn unclosed_clipping_and_stray_closing_fence() {
        expect![[r#"
            ⟦****カザフ、禁輸を否定****⟧¹
            本文。【2023年10月21日 AFP】
            ****プーチン氏、カザフと結束確認****
            本文。【2023年11月10日 産経】
            ******
            ⟦*******⟧²
            ---
            ¹ warning[unmatched-bracket] "****カザフ、禁輸を否定****": Clipping never closed by a ****** line: ****カザフ、禁輸を否定****
               ja: 切り抜きを閉じる ****** 行がありません: ****カザフ、禁輸を否定****
               related "****プーチン氏、カザフと結束確認****": The next clipping starts here
            ² warning[unmatched-bracket] "*******": This closing fence closes no clipping (no ****title**** line before it)
               ja: この終わりの * 行に対応する見出し行（****見出し****）がありません
               related "******": The clipping was already closed here
        "#]]
        .assert_eq(&check(
            "****カザフ、禁輸を否定****\n本文。【2023年10月21日 AFP】\n****プーチン氏、カザフと結束確認****\n本文。【2023年11月10日 産経】\n******\n*******\n",
        ));
    }
}
