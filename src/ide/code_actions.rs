//! Code actions: the quick fixes every rule attaches to its diagnostics (replace a misspelled
//! or deprecated name, insert a separator, fix a bracket…), and "add this unknown name to
//! entities.toml" for `unknown-entity` diagnostics — appending an `[[entity]]` entry to the
//! workspace KB file, or creating `entities.toml` in the first workspace folder when there is
//! none. Everything is a [`WorkspaceChange`] for the client to apply; nothing is written here.

use super::{romaji, FileId, OpenFile, Span, SpanEdit, WorkspaceChange, World};
use std::path::PathBuf;

use crate::base::{lexically_normal, LineIndex};
use crate::base::{Diagnostic, Locale};
use crate::kb::KB_FILE_NAME;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    /// Index into the file's diagnostics of the diagnostic the action resolves.
    pub diagnostic: Option<usize>,
    pub change: WorkspaceChange,
    /// The obvious fix (a single replacement).
    pub preferred: bool,
}

/// Actions for the diagnostics touching `span`. `can_create_files`: whether the client
/// applies workspace edits that create files.
pub fn code_actions(world: &World, file: &OpenFile, span: Span, can_create_files: bool) -> Vec<Action> {
    let range = file.range(span, world.encoding);
    let locale = world.config.locale;
    let mut actions = Vec::new();
    for (i, d) in file.analysis.diagnostics.iter().enumerate() {
        if !(d.range.start <= range.end && range.start <= d.range.end) {
            continue;
        }
        for fix in &d.fixes {
            let edits = fix
                .edits
                .iter()
                .map(|e| SpanEdit {
                    span: file.span(e.range, world.encoding),
                    new_text: e.new_text.clone(),
                })
                .collect();
            actions.push(Action {
                title: fix.title.get(locale).to_string(),
                diagnostic: Some(i),
                change: WorkspaceChange {
                    create: Vec::new(),
                    edits: vec![(file.id.clone(), edits)],
                },
                preferred: d.fixes.len() == 1,
            });
        }
        if d.rule == crate::analysis::rules::unknown_entity::RULE.id {
            if let Some(action) = add_to_kb(world, file, d, i, can_create_files) {
                actions.push(action);
            }
        }
    }
    actions
}

fn add_to_kb(world: &World, file: &OpenFile, d: &Diagnostic, index: usize, can_create: bool) -> Option<Action> {
    let name = d.range.slice(&file.text).trim();
    if name.is_empty() {
        return None;
    }
    let (target, existing) = kb_target(world)?;
    if existing.is_none() && !can_create {
        return None;
    }
    let text = existing.as_deref().unwrap_or("");
    let latin = name.chars().all(|c| c.is_ascii_alphanumeric() || " .-&".contains(c));
    let id = unique_id(world, text, &proposed_id(name, latin));
    let kind = if latin { "organization" } else { "person" };
    let separator = match text {
        "" if existing.is_none() => "# Workspace knowledge base: see docs/kb-format.md for the format.\n\n",
        "" => "",
        t if t.ends_with("\n\n") => "",
        t if t.ends_with('\n') => "\n",
        _ => "\n\n",
    };
    let entry = format!(
        "{separator}[[entity]]\nid = \"{id}\"\nname = {}\nkind = \"{kind}\"\n",
        toml_string(name)
    );
    let index_of_text = LineIndex::new(text);
    let end = index_of_text.line_col(text, text.len(), world.encoding);
    let title = match world.config.locale {
        Locale::Ja => format!("「{name}」を {} に追加", target.file_name()),
        Locale::En => format!("Add 「{name}」 to {}", target.file_name()),
    };
    Some(Action {
        title,
        diagnostic: Some(index),
        change: WorkspaceChange {
            create: if existing.is_none() {
                vec![target.clone()]
            } else {
                Vec::new()
            },
            edits: vec![(
                target,
                vec![SpanEdit {
                    span: Span::at(end),
                    new_text: entry,
                }],
            )],
        },
        preferred: false,
    })
}

/// The KB file new entities go to, with its current text (`None`: it must be created): the
/// first workspace folder's `entities.toml`, else the first other KB file inside a workspace
/// folder, else a new `entities.toml` in the first folder. Only a file inside the workspace
/// (`kb.paths` may name one anywhere) whose current text parses (is the text the KB was built
/// from) is edited; a broken `entities.toml` is not replaced by a new one either. Paths are
/// tidied (`kb/../entities.toml` → `entities.toml`).
fn kb_target(world: &World) -> Option<(FileId, Option<std::sync::Arc<str>>)> {
    let roots: Vec<PathBuf> = world.roots.iter().map(|r| lexically_normal(r)).collect();
    let at_root = roots.first()?.join(KB_FILE_NAME);
    let files: Vec<(PathBuf, &FileId, &std::sync::Arc<str>)> = world
        .kb_files
        .iter()
        .filter(|(id, _)| !world.kb.is_builtin_copy(id))
        .filter_map(|(id, text)| Some((lexically_normal(id.path()?), id, text)))
        .filter(|(path, _, _)| roots.iter().any(|r| path.starts_with(r)))
        .collect();
    let parses = |id: &FileId, text: &str| world.kb.kb_text(id).is_some_and(|t| *t.text == *text);
    let usable = files
        .iter()
        .filter(|(_, id, text)| parses(id, text))
        .min_by_key(|(path, _, _)| *path != at_root);
    match usable {
        Some((path, _, text)) => Some((FileId::from_path(path), Some((*text).clone()))),
        None if files.iter().any(|(path, _, _)| *path == at_root) => None,
        None => Some((FileId::from_path(&at_root), None)),
    }
}

fn proposed_id(name: &str, latin: bool) -> String {
    let raw = if latin {
        name.to_ascii_lowercase()
    } else {
        romaji::romanize(name)
    };
    let id: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "new-entity".to_string()
    } else {
        id
    }
}

/// `id`, or `id-2`, `id-3`… — whichever neither the KB nor the target file uses yet.
fn unique_id(world: &World, target_text: &str, id: &str) -> String {
    let taken = |candidate: &str| {
        world.kb.kb.by_id(candidate).is_some() || target_text.contains(&format!("id = \"{candidate}\""))
    };
    if !taken(id) {
        return id.to_string();
    }
    (2..)
        .map(|n| format!("{id}-{n}"))
        .find(|c| !taken(c))
        .expect("some suffix is free")
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;
    use crate::ide::fixture::{show_span, Fixture};

    /// The code actions at `$0`, each as its title, the files it creates and its edits
    /// (`path span "new text"`).
    fn actions(world: &World, fixture: &Fixture, can_create: bool) -> String {
        let (_, position) = fixture.cursor();
        code_actions(world, fixture.note(world), Span::at(position), can_create)
            .into_iter()
            .map(|a| {
                let edits: Vec<String> = a
                    .change
                    .edits
                    .iter()
                    .flat_map(|(f, es)| {
                        es.iter()
                            .map(move |e| format!("{f} {} {:?}", show_span(e.span), e.new_text))
                    })
                    .collect();
                format!(
                    "{}\n  create {:?}\n  {}\n",
                    a.title,
                    a.change.create,
                    edits.join("\n  ")
                )
            })
            .collect()
    }

    fn check(fixture: &str, expect: Expect) {
        let fixture = Fixture::parse(fixture);
        expect.assert_eq(&actions(&fixture.world(), &fixture, true));
    }

    #[test]
    fn unknown_names_go_to_the_workspace_kb() {
        check(
            "大統領府のスレイ$0メノフ報道官",
            expect![[r#"
                Add 「スレイメノフ」 to entities.toml
                  create []
                  /ws/entities.toml 96:0-96:0 "\n[[entity]]\nid = \"sureimenofu\"\nname = \"スレイメノフ\"\nkind = \"person\"\n"
            "#]],
        );
    }

    #[test]
    fn a_missing_kb_file_is_created_when_the_client_can() {
        let fixture = Fixture::parse("EURACTIV$0の取材");
        let mut world = fixture.world();
        world.kb_files = Default::default();
        expect![[r##"
            Add 「EURACTIV」 to entities.toml
              create ["/ws/entities.toml"]
              /ws/entities.toml 0:0-0:0 "# Workspace knowledge base: see docs/kb-format.md for the format.\n\n[[entity]]\nid = \"euractiv\"\nname = \"EURACTIV\"\nkind = \"organization\"\n"
        "##]]
        .assert_eq(&actions(&world, &fixture, true));
        assert_eq!(actions(&world, &fixture, false), "");
    }

    #[test]
    fn only_a_workspace_kb_file_that_parses_is_edited_and_its_path_is_tidied() {
        use std::collections::BTreeMap;
        use std::sync::Arc;

        use crate::analysis::test_support::TEST_KB;
        use crate::ide::{KbSet, Keys};
        use crate::kb::{parse_kb_file, Kb};

        let fixture = Fixture::parse("//- /ws/a.txt\n大統領府のスレイ$0メノフ報道官");
        let mut world = fixture.world();
        let position = fixture.cursor().1;
        let with_kb_files = |world: &mut World, origin: &str, files: &[(&str, &str)]| {
            let (kb, _) = Kb::build(vec![parse_kb_file(origin, TEST_KB).unwrap()]);
            let texts = [(Arc::<str>::from(origin), Arc::<str>::from(TEST_KB))];
            world.kb = Arc::new(KbSet::new(Arc::new(kb), texts, None, &mut Keys::default(), 2));
            let files: BTreeMap<FileId, Arc<str>> = files
                .iter()
                .map(|(f, t)| (FileId::new(*f), Arc::<str>::from(*t)))
                .collect();
            world.kb_files = Arc::new(files);
        };
        let targets = |world: &World| -> Vec<String> {
            code_actions(world, fixture.note(world), Span::at(position), true)
                .into_iter()
                .filter(|a| a.title.starts_with("Add"))
                .map(|a| format!("{} create={:?}", a.change.edits[0].0, a.change.create))
                .collect()
        };
        // A `kb.paths` file outside the workspace is never the target: a new file is made.
        with_kb_files(&mut world, "/home/u/.bashrc", &[("/home/u/.bashrc", TEST_KB)]);
        assert_eq!(targets(&world), ["/ws/entities.toml create=[\"/ws/entities.toml\"]"]);
        // The workspace's own file does not parse: neither edited nor replaced.
        with_kb_files(&mut world, "/ws/entities.toml", &[("/ws/entities.toml", "[[entity]\n")]);
        assert!(targets(&world).is_empty());
        // A file named through `..`: edited, under its tidy name.
        let untidy = "/ws/kb/../people.toml";
        with_kb_files(&mut world, untidy, &[(untidy, TEST_KB)]);
        assert_eq!(targets(&world), ["/ws/people.toml create=[]"]);
    }

    #[test]
    fn ids_do_not_collide() {
        let world = Fixture::parse("").world();
        assert_eq!(unique_id(&world, "", "tokayev"), "tokayev-2");
        assert_eq!(unique_id(&world, "id = \"x\"\n", "x"), "x-2");
        assert_eq!(proposed_id("NBC News", true), "nbc-news");
    }
}
