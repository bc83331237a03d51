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
//! never end. Files larger than a limit are refused before being read: notes over
//! [`MAX_NOTE_BYTES`] (`--max-file-size` in the CLI) — a note is tens of kilobytes, and a
//! 50 MB file under the notes folder is almost always a dump or a log that would only slow
//! the run — and settings, KB and dictionary files over their own limits.

use std::fmt;
use std::io;
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
    /// Larger than the size limit; not read.
    TooLarge { size: u64, limit: u64 },
}

impl ReadProblem {
    /// True for problems that fail the run (everything but a skipped large file).
    pub fn is_error(&self) -> bool {
        !matches!(self, ReadProblem::TooLarge { .. })
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
            ReadProblem::NotUtf8 { utf16_bom: true, .. } => {
                write!(f, "not UTF-8 text (UTF-16 byte-order mark); save the file as UTF-8")
            }
            ReadProblem::NotUtf8 { offset, byte, .. } => write!(
                f,
                "not UTF-8 text (invalid byte 0x{byte:02X} at offset {offset}); save the file as UTF-8"
            ),
            ReadProblem::TooLarge { size, limit } => write!(
                f,
                "not checked: {} is over the {} size limit for a note (raise it with --max-file-size)",
                human_size(*size),
                human_size(*limit)
            ),
        }
    }
}

/// Read a text file: the text without its byte-order mark. Only a regular file is read;
/// `max_size` (bytes) is checked before reading (`None`: no limit).
pub fn read_text(path: &Path, max_size: Option<u64>) -> Result<String, ReadProblem> {
    let metadata = std::fs::metadata(path).map_err(ReadProblem::Io)?;
    if metadata.is_dir() {
        return Err(ReadProblem::Io(io::Error::other("is a folder")));
    }
    if !metadata.is_file() {
        return Err(ReadProblem::NotRegular);
    }
    if let Some(limit) = max_size {
        if metadata.len() > limit {
            return Err(ReadProblem::TooLarge {
                size: metadata.len(),
                limit,
            });
        }
    }
    let bytes = std::fs::read(path).map_err(ReadProblem::Io)?;
    decode(bytes)
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
