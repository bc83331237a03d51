//! The `seed-lsp` binary: the command line in [`seed_lsp::cli`] (which also starts the
//! language server).

fn main() -> std::process::ExitCode {
    seed_lsp::cli::main()
}
