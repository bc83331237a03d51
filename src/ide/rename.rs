//! Rename one spelling of an entity across the workspace: every mention written in that KB
//! spelling (after normalisation, so ｶｻﾞﾌ and カザフ are the same spelling) is replaced, in
//! open notes and in notes on disk. Other spellings of the entity are left alone — renaming
//! キエフ to キーウ does not touch the notes that already say キーウ. The KB itself is not
//! edited.

use super::{Cancel, Cancelled, LineCol, OpenFile, Span, SpanEdit, WorkspaceChange, World};
use crate::analysis::recognize::MentionForm;

/// What prepareRename answers: the range to rename and its current text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renamable {
    pub span: Span,
    pub placeholder: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameError {
    /// The cursor is not on a KB spelling.
    NotAName,
    /// The new name is empty or spans lines.
    InvalidName(String),
    Cancelled,
}

impl From<Cancelled> for RenameError {
    fn from(_: Cancelled) -> Self {
        RenameError::Cancelled
    }
}

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenameError::NotAName => f.write_str("there is no known name (KB spelling) at the cursor"),
            RenameError::InvalidName(why) => write!(f, "invalid new name: {why}"),
            RenameError::Cancelled => f.write_str("cancelled"),
        }
    }
}

pub fn prepare_rename(world: &World, file: &OpenFile, position: LineCol) -> Result<Renamable, RenameError> {
    let mention = file
        .mention_at(file.offset(position, world.encoding))
        .ok_or(RenameError::NotAName)?;
    if !matches!(mention.form, MentionForm::Spelling(_)) {
        return Err(RenameError::NotAName);
    }
    Ok(Renamable {
        span: file.span(mention.range, world.encoding),
        placeholder: mention.range.slice(&file.text).to_string(),
    })
}

pub fn rename(
    world: &World,
    file: &OpenFile,
    position: LineCol,
    new_name: &str,
    cancel: &Cancel,
) -> Result<WorkspaceChange, RenameError> {
    let mention = file
        .mention_at(file.offset(position, world.encoding))
        .ok_or(RenameError::NotAName)?;
    let MentionForm::Spelling(spelling) = mention.form else {
        return Err(RenameError::NotAName);
    };
    let new_name = new_name.trim();
    if new_name.is_empty() {
        return Err(RenameError::InvalidName("it is empty".into()));
    }
    if new_name.contains(['\n', '\r']) {
        return Err(RenameError::InvalidName("it spans lines".into()));
    }
    let key = world.kb.spelling_key(spelling);
    let entity = world.kb.entity_key(mention.entity);
    let mut change = WorkspaceChange::default();
    for view in world.seed_files() {
        cancel.check()?;
        let summary = view.summary();
        if !summary.mentions_entity(entity) {
            continue;
        }
        let edits: Vec<SpanEdit> = summary
            .mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.spelling == Some(key))
            .filter_map(|(i, _)| view.mention_span(i, world.encoding))
            .map(|span| SpanEdit {
                span,
                new_text: new_name.to_string(),
            })
            .collect();
        if !edits.is_empty() {
            change.edits.push((view.id().clone(), edits));
        }
    }
    change.edits.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(change)
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;
    use crate::ide::fixture::Fixture;
    use crate::ide::Location;

    /// Rename the mention at `$0` to `new_name`: the placeholder offered, then the edits
    /// shown in the notes (`⟦…⟧` around each replaced range, the new text after `→`).
    fn check(fixture: &str, new_name: &str, expect: Expect) {
        let fixture = Fixture::parse(fixture);
        let world = fixture.world();
        let (file, position) = fixture.cursor();
        let file = &world.open[&file];
        let prepared = prepare_rename(&world, file, position).unwrap();
        let change = rename(&world, file, position, new_name, &Cancel::new()).unwrap();
        let mut edits: Vec<Location> = Vec::new();
        let mut texts: Vec<&str> = Vec::new();
        for (f, es) in &change.edits {
            for e in es {
                edits.push(Location {
                    file: f.clone(),
                    span: e.span,
                });
                texts.push(&e.new_text);
            }
        }
        texts.dedup();
        let shown = format!(
            "placeholder {}, new text {}\n{}",
            prepared.placeholder,
            texts.join(", "),
            fixture.render(&edits)
        );
        expect.assert_eq(&shown);
    }

    #[test]
    fn renames_one_spelling_everywhere() {
        check(
            r#"
//- /ws/a.txt
キエフ$0とキーウ、𠮷キエフ
//- /ws/b.txt closed
x
ｷｴﾌの街
//- /ws/c.txt closed
ロシア
"#,
            "キーウ",
            expect![[r#"
                placeholder キエフ, new text キーウ
                //- /ws/a.txt
                ⟦キエフ⟧とキーウ、𠮷⟦キエフ⟧
                //- /ws/b.txt
                x
                ⟦ｷｴﾌ⟧の街
            "#]],
        );
    }

    #[test]
    fn only_names_can_be_renamed() {
        let fixture = Fixture::parse("ただの$0文章");
        let world = fixture.world();
        let (file, position) = fixture.cursor();
        assert_eq!(
            prepare_rename(&world, &world.open[&file], position),
            Err(RenameError::NotAName)
        );
        let fixture = Fixture::parse("キエフ$0");
        let world = fixture.world();
        let (file, position) = fixture.cursor();
        let result = rename(&world, &world.open[&file], position, " \n", &Cancel::new());
        assert!(matches!(result, Err(RenameError::InvalidName(_))));
    }
}
