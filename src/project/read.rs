//! The one reading policy, for every file the program reads (notes, KB files, prh
//! dictionaries, `seed-lsp.toml`): bytes → text the analysis can take, or a problem worth
//! one clear line of output.
//!
//! Policy: a file that is not UTF-8 is *not* decoded lossily — guessing would move every
//! column and hide the real problem (usually a Shift_JIS or UTF-16 file) — it is reported
//! as `not UTF-8 text (invalid byte 0x82 at offset 17)` and skipped. A UTF-8 byte-order mark
//! is stripped before analysis; positions are then counted from the first visible character,
//! which is what editors show (and what an LSP client sends as the document's text).
//!
//! Only regular files are read: a FIFO or a device (`/dev/zero`, `/dev/stdin`) would block or
//! never end. The file is opened without blocking (`O_NONBLOCK`: opening a FIFO waits for a
//! writer otherwise) and checked on the open handle, so a file swapped for a FIFO between a
//! check and the read is still refused. Files larger than a limit are refused before being
//! read, and no more than the limit is ever read (a file that grows while it is read is
//! refused too): notes over [`MAX_NOTE_BYTES`] (`--max-file-size` in the CLI) — a note is tens
//! of kilobytes, and a 50 MB file under the notes folder is almost always a dump or a log
//! that would only slow the run — and settings, KB and dictionary files over their own limits
//! ([`read_small_file`]).

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

/// Notes larger than this are not analysed (the CLI's default `--max-file-size`; the
/// server's limit).
pub const MAX_NOTE_BYTES: u64 = 16 << 20;
/// `seed-lsp.toml` is a few lines.
pub const MAX_SETTINGS_BYTES: u64 = 1 << 20;

/// The UTF-8 encoding of U+FEFF.
const UTF8_BOM: &str = "\u{feff}";

/// Why a file could not be checked.
#[derive(Debug)]
pub enum ReadProblem {
    /// Reading failed: missing (vanished after discovery), unreadable, a folder…
    Io(io::Error),
    /// A FIFO, a device or a socket: reading it could block or never end.
    NotRegular,
    /// The bytes are not valid UTF-8; `offset` is the first invalid byte.
    NotUtf8 { offset: usize, byte: u8, utf16_bom: bool },
    /// Named by a setting or a dictionary, but outside the workspace folders and not allowed
    /// ([`super::scope::ReadScope`]); not read.
    OutsideWorkspace,
    /// Larger than the size limit; not read. `note`: a note, skipped with a warning; any other
    /// file (settings, KB, dictionary) over its limit is an error.
    TooLarge { size: u64, limit: u64, note: bool },
}

impl ReadProblem {
    /// True for problems that fail the run (everything but a skipped large note).
    pub fn is_error(&self) -> bool {
        !matches!(self, ReadProblem::TooLarge { note: true, .. })
    }
}

impl fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadProblem::Io(e) if e.kind() == io::ErrorKind::NotFound => {
                write!(f, "cannot read file: not found (deleted or renamed?)")
            }
            ReadProblem::Io(e) => write!(f, "cannot read file: {e}"),
            ReadProblem::NotRegular => write!(f, "not a regular file (a FIFO or a device is never read)"),
            ReadProblem::OutsideWorkspace => write!(
                f,
                "not read: outside the workspace folders (allow it with the editor setting files.allow, or --allow-read on the command line)"
            ),
            ReadProblem::NotUtf8 { utf16_bom: true, .. } => {
                write!(f, "not UTF-8 text (UTF-16 byte-order mark); save the file as UTF-8")
            }
            ReadProblem::NotUtf8 { offset, byte, .. } => write!(
                f,
                "not UTF-8 text (invalid byte 0x{byte:02X} at offset {offset}); save the file as UTF-8"
            ),
            ReadProblem::TooLarge {
                size,
                limit,
                note: true,
            } => write!(
                f,
                "not checked: {} is over the {} size limit for a note (raise it with --max-file-size)",
                human_size(*size),
                human_size(*limit)
            ),
            ReadProblem::TooLarge {
                size,
                limit,
                note: false,
            } => write!(
                f,
                "not read: {} is over the {} size limit for this kind of file",
                human_size(*size),
                human_size(*limit)
            ),
        }
    }
}

/// Read a note: the text without its byte-order mark. Only a regular file is read;
/// `max_size` (bytes) is checked before reading (`None`: no limit).
pub fn read_text(path: &Path, max_size: Option<u64>) -> Result<String, ReadProblem> {
    read_limited(path, max_size, true)
}

/// Read a settings, KB or dictionary file with the same policy: regular files of at most
/// `limit` bytes (a larger one is an error, not a skipped note).
pub fn read_small_file(path: &Path, limit: u64) -> Result<String, ReadProblem> {
    read_limited(path, Some(limit), false)
}

/// Read a file of bytes with the same policy (the index cache): a regular file of at most
/// `limit` bytes.
pub fn read_binary(path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    read_regular(path, Some(limit), false)
}

fn read_limited(path: &Path, max_size: Option<u64>, note: bool) -> Result<String, ReadProblem> {
    decode(read_regular(path, max_size, note)?)
}

fn read_regular(path: &Path, max_size: Option<u64>, note: bool) -> Result<Vec<u8>, ReadProblem> {
    let file = open_without_blocking(path).map_err(ReadProblem::Io)?;
    let metadata = file.metadata().map_err(ReadProblem::Io)?;
    if metadata.is_dir() {
        return Err(ReadProblem::Io(io::Error::other("is a folder")));
    }
    if !metadata.is_file() {
        return Err(ReadProblem::NotRegular);
    }
    let too_large = |size| ReadProblem::TooLarge {
        size,
        limit: max_size.unwrap_or(u64::MAX),
        note,
    };
    let limit = max_size.unwrap_or(u64::MAX);
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Open for reading; on Unix with `O_NONBLOCK`, so that opening a FIFO does not wait for a
/// writer (reads of a regular file are not affected by the flag).
fn open_without_blocking(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// `16 MiB`, `1.5 KiB`, `200 B`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Parse a size such as `16M`, `16MiB`, `500K`, `2G` or a plain byte count; `0` means
/// no limit.
pub fn parse_size(s: &str) -> Result<Option<u64>, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("invalid size {s:?} (examples: 16M, 500K, 1048576)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("invalid size unit in {s:?} (use K, M or G)")),
    };
    let bytes = number
        .checked_shl(shift)
        .filter(|b| b >> shift == number)
        .ok_or("size too large")?;
    Ok((bytes > 0).then_some(bytes))
}

/// UTF-8 bytes → text, BOM stripped.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadProblem> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with(UTF8_BOM) {
                text.drain(..UTF8_BOM.len());
            }
            Ok(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            Err(ReadProblem::NotUtf8 {
                offset,
                byte: bytes[offset],
                utf16_bom: bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped_and_invalid_bytes_are_located() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc".to_vec()).unwrap(), "abc");
        assert_eq!(decode(Vec::new()).unwrap(), "");
        let problem = decode(b"ok \x82\xA0".to_vec()).unwrap_err();
        assert_eq!(
            problem.to_string(),
            "not UTF-8 text (invalid byte 0x82 at offset 3); save the file as UTF-8"
        );
        let utf16 = decode(b"\xFF\xFEa\x00".to_vec()).unwrap_err();
        assert!(utf16.to_string().contains("UTF-16"), "{utf16}");
    }

    #[test]
    fn only_regular_files_are_read_and_never_more_than_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        // Devices and FIFOs, opened without blocking and refused.
        for device in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            let problem = read_small_file(Path::new(device), 1 << 20).unwrap_err();
            assert!(matches!(problem, ReadProblem::NotRegular), "{device}: {problem}");
        }
        let fifo = dir.path().join("prh.yml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        assert!(matches!(read_small_file(&fifo, 1 << 20), Err(ReadProblem::NotRegular)));
        assert!(matches!(read_text(&fifo, None), Err(ReadProblem::NotRegular)));
        // A 1.5 GiB sparse file is refused by its size, without reading it.
        let sparse = dir.path().join("entities.toml");
        std::fs::File::create(&sparse).unwrap().set_len(3 << 29).unwrap();
        let problem = read_small_file(&sparse, 64 << 20).unwrap_err();
        assert_eq!(
            problem.to_string(),
            "not read: 1.5 GiB is over the 64 MiB size limit for this kind of file"
        );
        assert!(problem.is_error());
        let note = read_text(&sparse, Some(16 << 20)).unwrap_err();
        assert!(!note.is_error(), "a note too large is skipped, not an error");
        // A folder.
        assert!(read_small_file(dir.path(), 1 << 20)
            .unwrap_err()
            .to_string()
            .contains("is a folder"));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("16M"), Ok(Some(16 << 20)));
        assert_eq!(parse_size("500KiB"), Ok(Some(500 << 10)));
        assert_eq!(parse_size("1234"), Ok(Some(1234)));
        assert_eq!(parse_size("0"), Ok(None));
        assert!(parse_size("12X").is_err() && parse_size("M").is_err());
        assert_eq!(human_size(16 << 20), "16 MiB");
        assert_eq!(human_size(52_428_900), "50.0 MiB");
        assert_eq!(human_size(300), "300 B");
    }
}
