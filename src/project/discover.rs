//! Finding the workspace's files: seed notes (the configured include/exclude globs,
//! `.gitignore` honoured) and `entities.toml` KB files.
//!
//! Links are followed (a notes folder linked in from elsewhere is part of the vault), loops
//! are cut by the walker, and a link into a kernel file system (`/proc`, `/sys`, `/dev`) is
//! never followed: walking `/sys` through a link never ends, and nothing there is a note.

use std::path::{Path, PathBuf};

use crate::kb::KB_FILE_NAME;

/// Files found under some roots: seed notes and KB files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Discovered {
    pub seeds: Vec<PathBuf>,
    pub kb_files: Vec<PathBuf>,
}

/// Walk `roots` (files or folders), honouring `.gitignore`, and collect seed notes matching
/// `include` but not `exclude` (globs relative to each root) and `entities.toml` files.
///
/// Links are followed (a notes folder linked into the workspace is part of it), but never
/// into the kernel's file systems (`/proc`, `/sys`, `/dev`: a link to `/sys` would make the
/// walk endless), and a file reached by two paths — a linked note, a linked folder — is
/// listed once, under its own path (the one that goes through no link) when the workspace
/// has it, else under the first of its paths in sorted order.
pub fn discover(roots: &[PathBuf], include: &[String], exclude: &[String]) -> Discovered {
    let mut found = Discovered::default();
    for root in roots {
        if root.is_file() {
            if root.file_name().is_some_and(|n| n == KB_FILE_NAME) {
                found.kb_files.push(root.clone());
            } else {
                found.seeds.push(root.clone());
            }
            continue;
        }
        let include_set = globset(include);
        let exclude_set = globset(exclude);
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .follow_links(true)
            .require_git(false)
            .filter_entry(|entry| !(entry.path_is_symlink() && into_kernel_files(entry.path())))
            .build();
        for entry in walker.flatten() {
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            let relative = path.strip_prefix(root).unwrap_or(path);
            if path.file_name().is_some_and(|n| n == KB_FILE_NAME) {
                found.kb_files.push(path.to_path_buf());
            } else if include_set.is_match(relative) && !exclude_set.is_match(relative) {
                found.seeds.push(path.to_path_buf());
            }
        }
    }
    for list in [&mut found.seeds, &mut found.kb_files] {
        list.sort();
        list.dedup();
        one_path_per_file(list);
    }
    found
}

/// Keep one path for each file (by device and inode: one stat each), preferring the path that
/// is the file's canonical one.
fn one_path_per_file(paths: &mut Vec<PathBuf>) {
    #[cfg(unix)]
    {
        use std::collections::HashMap;
        use std::os::unix::fs::MetadataExt;
        let key = |p: &PathBuf| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
        let keys: Vec<Option<(u64, u64)>> = paths.iter().map(key).collect();
        let mut chosen: HashMap<(u64, u64), usize> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            let Some(k) = k else { continue };
            match chosen.get(k) {
                None => {
                    chosen.insert(*k, i);
                }
                // Only files reached twice pay for resolving their path.
                Some(&first) => {
                    let canonical = |j: usize| std::fs::canonicalize(&paths[j]).is_ok_and(|c| c == paths[j]);
                    if !canonical(first) && canonical(i) {
                        chosen.insert(*k, i);
                    }
                }
            }
        }
        let mut i = 0;
        paths.retain(|_| {
            let keep = keys[i].is_none_or(|k| chosen[&k] == i);
            i += 1;
            keep
        });
    }
    #[cfg(not(unix))]
    let _ = paths;
}

/// True when a link points into `/proc`, `/sys` or `/dev`.
fn into_kernel_files(link: &Path) -> bool {
    let target = match std::fs::canonicalize(link) {
        Ok(target) => target,
        // A dangling link leads nowhere; the walk skips it.
        Err(_) => return false,
    };
    let special = ["/proc", "/sys", "/dev"].iter().any(|d| target.starts_with(d));
    if special {
        tracing::warn!("not following {} into {}", link.display(), target.display());
    }
    special
}

fn globset(globs: &[String]) -> globset::GlobSet {
    let mut builder = globset::GlobSetBuilder::new();
    for g in globs {
        match globset::GlobBuilder::new(g).literal_separator(false).build() {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(e) => tracing::warn!("ignoring invalid glob {g:?}: {e}"),
        }
    }
    builder.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_honours_globs_and_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("notes/drafts")).unwrap();
        std::fs::write(root.join("notes/a.txt"), "a").unwrap();
        std::fs::write(root.join("notes/drafts/b.txt"), "b").unwrap();
        std::fs::write(root.join("notes/c.md"), "c").unwrap();
        std::fs::write(root.join("ignored.txt"), "i").unwrap();
        std::fs::write(root.join(".gitignore"), "ignored.txt\n").unwrap();
        std::fs::write(root.join("entities.toml"), "").unwrap();
        let found = discover(&[root.to_path_buf()], &["**/*.txt".into()], &["**/drafts/**".into()]);
        let rel = |p: &PathBuf| p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        assert_eq!(found.seeds.iter().map(rel).collect::<Vec<_>>(), vec!["notes/a.txt"]);
        assert_eq!(
            found.kb_files.iter().map(rel).collect::<Vec<_>>(),
            vec!["entities.toml"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_into_kernel_files_are_not_followed_and_a_file_is_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("notes")).unwrap();
        std::fs::write(root.join("notes/a.txt"), "a").unwrap();
        std::os::unix::fs::symlink(root.join("notes/a.txt"), root.join("alias.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("notes"), root.join("linked")).unwrap();
        std::os::unix::fs::symlink("/sys", root.join("sys")).unwrap();
        std::os::unix::fs::symlink("/proc/self", root.join("proc")).unwrap();
        let found = discover(&[root.to_path_buf()], &["**/*.txt".into()], &[]);
        let rel = |p: &PathBuf| p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        assert_eq!(found.seeds.iter().map(rel).collect::<Vec<_>>(), vec!["notes/a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_into_kernel_file_systems_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("elsewhere")).unwrap();
        std::fs::write(root.join("elsewhere/linked.txt"), "x").unwrap();
        let vault = root.join("vault");
        std::fs::create_dir_all(&vault).unwrap();
        std::fs::write(vault.join("a.txt"), "a").unwrap();
        for (link, target) in [
            ("sys", "/sys"),
            ("proc", "/proc"),
            ("dev", "/dev"),
            ("notes", "../elsewhere"),
        ] {
            std::os::unix::fs::symlink(target, vault.join(link)).unwrap();
        }
        let found = discover(std::slice::from_ref(&vault), &["**/*".into()], &[]);
        let rel = |p: &PathBuf| p.strip_prefix(&vault).unwrap().to_string_lossy().into_owned();
        assert_eq!(
            found.seeds.iter().map(rel).collect::<Vec<_>>(),
            vec!["a.txt", "notes/linked.txt"]
        );
    }
}
