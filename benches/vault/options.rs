//! The bench's options (after `--`): `--sizes 1000,10000,50000`, `--requests 300`,
//! `--edits 200`, `--no-textlint`, `--textlint-notes N`, `--no-server`, `--no-check`,
//! `--no-stages`, `--out DIR`.

use std::path::{Path, PathBuf};

pub struct Options {
    /// Vault sizes in notes, smallest first.
    pub sizes: Vec<usize>,
    /// Requests of each kind timed per vault.
    pub requests: usize,
    /// Keystrokes timed per long note.
    pub edits: usize,
    pub textlint: bool,
    /// The vault size of the textlint side-by-side (default: the smallest).
    pub textlint_notes: Option<usize>,
    pub server: bool,
    pub check: bool,
    pub stages: bool,
    /// Where vaults, textlint and `results.md` go (absolute).
    pub out: PathBuf,
}

pub fn options() -> Options {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let mut o = Options {
        sizes: vec![1000, 10_000],
        requests: 300,
        edits: 200,
        textlint: true,
        textlint_notes: None,
        server: true,
        check: true,
        stages: true,
        out: target.join("bench-vault"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--sizes" => o.sizes = value().split(',').map(|s| s.trim().parse().expect("a size")).collect(),
            "--requests" => o.requests = value().parse().expect("a count"),
            "--edits" => o.edits = value().parse().expect("a count"),
            "--textlint-notes" => o.textlint_notes = Some(value().parse().expect("a count")),
            "--no-textlint" => o.textlint = false,
            "--no-server" => o.server = false,
            "--no-check" => o.check = false,
            "--no-stages" => o.stages = false,
            // Absolute: textlint runs from a folder under it.
            "--out" => o.out = std::path::absolute(value()).expect("an --out path"),
            "--bench" => {} // passed by `cargo bench`
            other => panic!("unknown option {other}"),
        }
    }
    o.sizes.sort_unstable();
    o
}
