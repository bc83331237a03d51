//! The server's configuration, from three places with the same keys
//! ([`crate::analysis::settings::RawConfig`]), later ones winning:
//! 1. `seed-lsp.toml` in the first workspace folder;
//! 2. `initializationOptions` of the `initialize` request;
//! 3. the `seedLsp` section of the editor settings (`workspace/configuration`, or the
//!    settings pushed with `workspace/didChangeConfiguration`).
//!
//! [`load`] reads them (and the prh dictionaries they name) off the lock; the event loop
//! applies the result.

use std::path::PathBuf;

use serde_json::Value;

use super::state::Shared;
use crate::analysis::prh::LoadedPrh;
use crate::analysis::settings::{Config, ConfigError, RawConfig};

/// The section of the editor settings the server reads.
pub const SECTION: &str = "seedLsp";

#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub initialization_options: Option<Value>,
    pub editor: Option<Value>,
}

impl Settings {
    /// Assemble the configuration; problems are returned as messages for the user.
    pub fn config(&self, roots: &[PathBuf]) -> (Config, Vec<String>) {
        let (mut config, errors) = match roots.first() {
            Some(root) => crate::project::config::load_from_dir(root),
            None => (Config::default(), Vec::new()),
        };
        let mut messages: Vec<String> = errors.into_iter().map(|e| e.message).collect();
        for (origin, value) in [
            ("initializationOptions", &self.initialization_options),
            ("settings", &self.editor),
        ] {
            let Some(value) = value.as_ref().filter(|v| !v.is_null()) else {
                continue;
            };
            match serde_json::from_value::<RawConfig>(value.clone()) {
                Ok(raw) => {
                    let mut errors: Vec<ConfigError> = Vec::new();
                    config.apply(raw, &mut errors);
                    messages.extend(errors.into_iter().map(|e| format!("{origin}: {}", e.message)));
                }
                Err(e) => messages.push(format!("{origin}: {e}")),
            }
        }
        (config, messages)
    }
}

/// The configuration as read from its three places, with what was wrong in them and the prh
/// dictionaries it names (when the `prh` rule is on).
#[derive(Debug)]
pub struct LoadedConfig {
    pub config: Config,
    pub messages: Vec<String>,
    pub prh: Option<LoadedPrh>,
}

/// Read the configuration and its prh dictionaries, off the lock, on a blocking thread.
pub async fn load(shared: &Shared) -> LoadedConfig {
    let (settings, roots) = {
        let state = shared.lock();
        (state.settings.clone(), state.host.roots().clone())
    };
    let read = tokio::task::spawn_blocking(move || {
        let (config, messages) = settings.config(&roots);
        let prh_on = config.rules.get(crate::analysis::rules::prh::RULE.id).is_some();
        let scope = crate::project::scope::ReadScope::new(&roots, &config.read_allowed);
        let prh =
            (prh_on && !config.prh_paths.is_empty()).then(|| crate::project::prh::load(&config.prh_paths, &scope));
        LoadedConfig { config, messages, prh }
    });
    read.await.unwrap_or_else(|e| LoadedConfig {
        config: Config::default(),
        messages: vec![format!("reading the configuration failed: {e}")],
        prh: None,
    })
}

/// The `seedLsp` part of settings pushed with `didChangeConfiguration` (or the whole value
/// when it has no such key).
pub fn section_of(settings: &Value) -> Option<Value> {
    match settings {
        Value::Null => None,
        Value::Object(map) if map.contains_key(SECTION) => map.get(SECTION).cloned(),
        other => Some(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::Severity;
    use serde_json::json;

    #[test]
    fn editor_settings_win_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("seed-lsp.toml"),
            "[rules]\nunknown-entity = \"off\"\nglued-entities = \"error\"\n",
        )
        .unwrap();
        let settings = Settings {
            initialization_options: Some(json!({ "rules": { "glued-entities": "hint" } })),
            editor: Some(json!({ "inlayHints": { "enabled": true }, "rules": { "bogus": "off" } })),
        };
        let (config, messages) = settings.config(&[dir.path().to_path_buf()]);
        assert_eq!(config.rules.get(crate::analysis::rules::unknown_entity::RULE.id), None);
        assert_eq!(
            config.rules.get(crate::analysis::rules::glued_entities::RULE.id),
            Some(Severity::Hint)
        );
        assert!(config.inlay_hints);
        assert_eq!(messages, vec!["settings: unknown rule \"bogus\"".to_string()]);
    }

    #[test]
    fn the_log_level_from_the_latest_source() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("seed-lsp.toml"), "log = \"warn\"\n").unwrap();
        let roots = [dir.path().to_path_buf()];
        let mut settings = Settings::default();
        assert_eq!(settings.config(&roots).0.log.as_deref(), Some("warn"));
        settings.initialization_options = Some(json!({ "log": "info" }));
        assert_eq!(settings.config(&roots).0.log.as_deref(), Some("info"));
        settings.editor = Some(json!({ "log": "seed_lsp=debug" }));
        assert_eq!(settings.config(&roots).0.log.as_deref(), Some("seed_lsp=debug"));
    }

    #[test]
    fn pushed_settings_are_found_under_the_section() {
        assert_eq!(
            section_of(&json!({ "seedLsp": { "locale": "ja" } })),
            Some(json!({ "locale": "ja" }))
        );
        assert_eq!(section_of(&json!(null)), None);
    }
}
