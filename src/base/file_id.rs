//! [`FileId`]: how every layer names a document — the absolute path of a file on disk, or
//! the URI of a document that has none (an unsaved editor buffer).

use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Names a document: the absolute path of a file on disk, or the URI of a document that is
/// not a file. Cheap to clone.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(Arc<str>);

impl FileId {
    pub fn new(name: impl Into<Arc<str>>) -> Self {
        FileId(name.into())
    }

    pub fn from_path(path: &Path) -> Self {
        FileId(path.to_string_lossy().into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file's path, when the id names a file on disk.
    pub fn path(&self) -> Option<&Path> {
        let path = Path::new(&*self.0);
        path.is_absolute().then_some(path)
    }

    /// The last component of the name (`entities.toml`, `000_….txt`).
    pub fn file_name(&self) -> &str {
        self.0.rsplit(['/', '\\']).next().unwrap_or(&self.0)
    }
}

/// `path` with `.` and `..` resolved by its own components (`/ws/kb/../entities.toml` →
/// `/ws/entities.toml`), without the file system: links are not followed.
pub fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

impl fmt::Debug for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
