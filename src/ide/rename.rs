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
    use super::*;
    use crate::ide::fixture::{self, world};

    #[test]
    fn renames_one_spelling_everywhere() {
        let (world, cursor) = world(
            &[("/ws/a.txt", "キエフ$0とキーウ、𠮷キエフ")],
            &[("/ws/b.txt", "x\nｷｴﾌの街"), ("/ws/c.txt", "ロシア")],
        );
        let file = fixture::open_file(&world, "/ws/a.txt");
        let position = cursor.unwrap().position;
        let prepared = prepare_rename(&world, file, position).unwrap();
        assert_eq!(prepared.placeholder, "キエフ");
        let change = rename(&world, file, position, "キーウ", &Cancel::new()).unwrap();
        let shown: Vec<String> = change
            .edits
            .iter()
            .flat_map(|(f, edits)| {
                edits
                    .iter()
                    .map(move |e| format!("{f} {} {}", fixture::show_span(e.span), e.new_text))
            })
            .collect();
        expect_test::expect![[r#"
            [
                "/ws/a.txt 0:0-0:3 キーウ",
                "/ws/a.txt 0:10-0:13 キーウ",
                "/ws/b.txt 1:0-1:3 キーウ",
            ]
        "#]]
        .assert_debug_eq(&shown);
    }

    #[test]
    fn only_names_can_be_renamed() {
        let (world, cursor) = world(&[("/ws/a.txt", "ただの$0文章")], &[]);
        let file = fixture::open_file(&world, "/ws/a.txt");
        let position = cursor.unwrap().position;
        assert_eq!(prepare_rename(&world, file, position), Err(RenameError::NotAName));
        let (world, cursor) = fixture::world(&[("/ws/a.txt", "キエフ$0")], &[]);
        let file = fixture::open_file(&world, "/ws/a.txt");
        let result = rename(&world, file, cursor.unwrap().position, " \n", &Cancel::new());
        assert!(matches!(result, Err(RenameError::InvalidName(_))));
    }
}
