//! Configuration parsing on arbitrary text, both ways it arrives: `seed-lsp.toml`
//! (`Config::from_toml`) and editor settings as JSON (`RawConfig` applied on top of the
//! file's configuration, as the server does). Neither may panic; problems come back as
//! messages.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use seed_lsp::analysis::settings::{Config, RawConfig};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let root = Path::new("/ws");
    let (mut config, errors) = Config::from_toml(&text, Some(root));
    for e in &errors {
        assert!(!e.message.is_empty());
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
        if let Ok(raw) = serde_json::from_value::<RawConfig>(value) {
            let mut errors = Vec::new();
            config.apply(raw, &mut errors);
            for e in &errors {
                assert!(!e.message.is_empty());
            }
        }
    }
});
