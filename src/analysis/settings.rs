//! User configuration: `seed-lsp.toml`, and the same keys from the editor (LSP
//! `initializationOptions` / `workspace/configuration` section `seedLsp`).
//!
//! ```toml
//! locale = "ja"                 # message language: "en" (default) or "ja"
//! [rules]                       # per rule: "off", "hint", "info", "warning", "error"
//! unknown-entity = "off"
//! misspelled-entity = "error"
//! [kb]
//! paths = ["kb/people.toml"]    # extra KB files (relative to the config file)
//! [prh]
//! paths = ["prh.yml"]          # prh proofreading dictionaries (relative to the config file)
//! [files]
//! include = ["**/*.txt"]        # which files are seed notes
//! exclude = ["drafts/**"]
//! allow = ["~/dictionaries"]    # editor settings only: read KB and prh files there too
//!                               # (outside the workspace folders, nothing is read otherwise)
//! [inlay_hints]
//! enabled = false               # English name after the first mention of an entity
//! [diagnostics]
//! scope = "workspace"           # the server checks every note ("workspace", default) or
//!                               # only the open ones ("open")
//! [duplicatePassage]
//! acrossNotes = true            # also report passages already pasted into another note
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::analysis::rules::{self, RULES};
use crate::base::{Locale, RuleId, Severity};

/// The configuration file name looked up at the workspace root.
pub const CONFIG_FILE: &str = "seed-lsp.toml";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub locale: Locale,
    pub rules: RuleSeverities,
    /// Extra KB files, absolute or relative to `root`.
    pub kb_paths: Vec<PathBuf>,
    /// prh dictionaries (`prh.yml`), absolute or relative to `root`.
    pub prh_paths: Vec<PathBuf>,
    /// Files and folders outside the workspace folders that KB files, prh dictionaries and
    /// their imports may be read from (`files.allow`, from the editor's settings only).
    pub read_allowed: Vec<PathBuf>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub inlay_hints: bool,
    /// Which notes the server reports diagnostics for.
    pub diagnostics_scope: DiagnosticsScope,
    /// `duplicate-passage` also reports passages found in another note (`duplicatePassage.acrossNotes`).
    pub passages_across_notes: bool,
    /// The folder relative paths are resolved against (the config file's folder).
    pub root: Option<PathBuf>,
    /// The server's log level (`log = "debug"`), when set.
    pub log: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            locale: Locale::En,
            rules: RuleSeverities::default(),
            kb_paths: Vec::new(),
            prh_paths: Vec::new(),
            read_allowed: Vec::new(),
            include: vec!["**/*.txt".to_string()],
            exclude: Vec::new(),
            inlay_hints: false,
            diagnostics_scope: DiagnosticsScope::Workspace,
            passages_across_notes: true,
            root: None,
            log: None,
        }
    }
}

/// Which notes the server reports diagnostics for (`diagnostics.scope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DiagnosticsScope {
    /// Every note of the workspace, open or not.
    #[default]
    Workspace,
    /// The open notes only.
    Open,
}

/// The severity of every rule, `None` when the rule is off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSeverities(HashMap<RuleId, Option<Severity>>);

impl Default for RuleSeverities {
    fn default() -> Self {
        RuleSeverities(RULES.iter().map(|r| (r.id, Some(r.default_severity))).collect())
    }
}

impl RuleSeverities {
    pub fn get(&self, rule: RuleId) -> Option<Severity> {
        self.0
            .get(&rule)
            .copied()
            .unwrap_or(Some(rules::rule(rule).default_severity))
    }

    pub fn set(&mut self, rule: RuleId, severity: Option<Severity>) {
        self.0.insert(rule, severity);
    }
}

/// The raw, serde shape shared by `seed-lsp.toml` and the editor settings (JSON).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct RawConfig {
    pub locale: Option<String>,
    pub rules: HashMap<String, String>,
    pub kb: RawKb,
    pub prh: RawPrh,
    pub files: RawFiles,
    #[serde(alias = "inlay_hints")]
    pub inlay_hints: RawInlayHints,
    pub diagnostics: RawDiagnostics,
    #[serde(alias = "duplicate_passage")]
    pub duplicate_passage: RawDuplicatePassage,
    /// The server's log level.
    pub log: Option<String>,
    /// Accepted and ignored here (the editor reads it).
    pub trace: Option<serde_json::Value>,
    /// Accepted and ignored here (the editor reads it).
    pub server: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawKb {
    pub paths: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawPrh {
    pub paths: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawFiles {
    pub include: Option<Vec<String>>,
    pub exclude: Vec<String>,
    pub allow: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawInlayHints {
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawDiagnostics {
    pub scope: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct RawDuplicatePassage {
    #[serde(alias = "across_notes")]
    pub across_notes: Option<bool>,
}

/// A configuration problem, reported to the user but never fatal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
}

impl Config {
    /// Apply a raw configuration on top of `self`, collecting problems (unknown rule names,
    /// bad severities) instead of failing.
    pub fn apply(&mut self, raw: RawConfig, errors: &mut Vec<ConfigError>) {
        if let Some(locale) = raw.locale {
            match Locale::parse(&locale) {
                Some(l) => self.locale = l,
                None => errors.push(ConfigError {
                    message: format!("unknown locale {locale:?} (expected \"en\" or \"ja\")"),
                }),
            }
        }
        for (name, level) in raw.rules {
            let Some(rule) = rules::find(&name).map(|r| r.id) else {
                errors.push(ConfigError {
                    message: format!("unknown rule {name:?}"),
                });
                continue;
            };
            if level == "off" {
                self.rules.set(rule, None);
            } else if let Some(s) = Severity::parse(&level) {
                self.rules.set(rule, Some(s));
            } else {
                errors.push(ConfigError {
                    message: format!("rule {name}: unknown level {level:?} (off, hint, info, warning, error)"),
                });
            }
        }
        let root = self.root.clone();
        let resolve = |p: &String| match &root {
            Some(r) => r.join(p),
            None => PathBuf::from(p),
        };
        self.kb_paths.extend(raw.kb.paths.iter().map(resolve));
        self.prh_paths.extend(raw.prh.paths.iter().map(resolve));
        if let Some(include) = raw.files.include {
            self.include = include;
        }
        self.exclude.extend(raw.files.exclude);
        self.read_allowed.extend(raw.files.allow.iter().map(|p| expand_home(p)));
        if let Some(enabled) = raw.inlay_hints.enabled {
            self.inlay_hints = enabled;
        }
        match raw.diagnostics.scope.as_deref() {
            None => {}
            Some("workspace") => self.diagnostics_scope = DiagnosticsScope::Workspace,
            Some("open") => self.diagnostics_scope = DiagnosticsScope::Open,
            Some(other) => errors.push(ConfigError {
                message: format!("diagnostics.scope: unknown scope {other:?} (\"workspace\" or \"open\")"),
            }),
        }
        if let Some(across) = raw.duplicate_passage.across_notes {
            self.passages_across_notes = across;
        }
        if raw.log.is_some() {
            self.log = raw.log;
        }
    }

    /// Parse `seed-lsp.toml` text on top of the defaults.
    pub fn from_toml(text: &str, root: Option<&Path>) -> (Config, Vec<ConfigError>) {
        let mut config = Config {
            root: root.map(Path::to_path_buf),
            ..Config::default()
        };
        let mut errors = Vec::new();
        match toml::from_str::<RawConfig>(text) {
            Ok(mut raw) => {
                if !std::mem::take(&mut raw.files.allow).is_empty() {
                    errors.push(ConfigError {
                        message: format!(
                            "{CONFIG_FILE}: files.allow is ignored here: only the editor's settings (or --allow-read) may let seed-lsp read outside the workspace"
                        ),
                    });
                }
                config.apply(raw, &mut errors)
            }
            Err(e) => errors.push(ConfigError {
                // Some parse errors come without a message (a control character in a comment).
                message: match e.message().trim() {
                    "" => format!("{CONFIG_FILE}: invalid TOML syntax"),
                    why => format!("{CONFIG_FILE}: {why}"),
                },
            }),
        }
        (config, errors)
    }
}

/// `~/x` → `$HOME/x` (settings are written by hand); anything else as it is.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_across_notes_can_be_turned_off_in_the_file_and_the_editor() {
        assert!(Config::default().passages_across_notes);
        let (config, errors) = Config::from_toml("[duplicatePassage]\nacrossNotes = false\n", None);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(!config.passages_across_notes);
        let raw: RawConfig = serde_json::from_str(r#"{"duplicatePassage": {"acrossNotes": false}}"#).unwrap();
        let mut config = Config::default();
        config.apply(raw, &mut Vec::new());
        assert!(!config.passages_across_notes);
    }

    #[test]
    fn only_the_editor_settings_may_allow_reading_outside_the_workspace() {
        let (config, errors) = Config::from_toml("[files]\nallow = [\"/etc\"]\n", Some(Path::new("/w")));
        assert!(config.read_allowed.is_empty());
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("files.allow is ignored here"), "{errors:?}");
        let raw: RawConfig = serde_json::from_value(serde_json::json!({"files": {"allow": ["/srv/dict"]}})).unwrap();
        let mut config = Config::default();
        config.apply(raw, &mut Vec::new());
        assert_eq!(config.read_allowed, vec![PathBuf::from("/srv/dict")]);
    }

    #[test]
    fn a_toml_error_always_says_something() {
        let (_, errors) = Config::from_toml("#\u{3}\n", None);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "seed-lsp.toml: invalid TOML syntax");
    }

    #[test]
    fn toml_configuration() {
        let (config, errors) = Config::from_toml(
            "locale = \"ja\"\n[rules]\nunknown-entity = \"off\"\nmisspelled-entity = \"error\"\nbogus = \"warning\"\n[kb]\npaths = [\"kb/x.toml\"]\n[prh]\npaths = [\"prh.yml\"]\n[inlay_hints]\nenabled = true\n",
            Some(Path::new("/w")),
        );
        assert_eq!(config.locale, Locale::Ja);
        assert_eq!(config.rules.get(crate::analysis::rules::unknown_entity::RULE.id), None);
        assert_eq!(
            config.rules.get(crate::analysis::rules::misspelled_entity::RULE.id),
            Some(Severity::Error)
        );
        assert_eq!(
            config.rules.get(crate::analysis::rules::duplicate_passage::RULE.id),
            Some(Severity::Information)
        );
        assert_eq!(config.kb_paths, vec![PathBuf::from("/w/kb/x.toml")]);
        assert_eq!(config.prh_paths, vec![PathBuf::from("/w/prh.yml")]);
        assert!(config.inlay_hints);
        assert_eq!(
            errors,
            vec![ConfigError {
                message: "unknown rule \"bogus\"".into()
            }]
        );
    }

    #[test]
    fn editor_settings_use_the_same_keys() {
        let raw: RawConfig = serde_json::from_value(serde_json::json!({
            "locale": "en",
            "rules": { "glued-entities": "hint" },
            "inlayHints": { "enabled": true },
            "prh": { "paths": ["dict/prh.yml"] },
            "trace": { "server": "verbose" }
        }))
        .unwrap();
        let mut config = Config::default();
        let mut errors = Vec::new();
        config.apply(raw, &mut errors);
        assert!(errors.is_empty());
        assert_eq!(
            config.rules.get(crate::analysis::rules::glued_entities::RULE.id),
            Some(Severity::Hint)
        );
        assert!(config.inlay_hints);
        assert_eq!(config.prh_paths, vec![PathBuf::from("dict/prh.yml")]);
    }

    #[test]
    fn the_diagnostics_scope() {
        assert_eq!(Config::default().diagnostics_scope, DiagnosticsScope::Workspace);
        let (config, errors) = Config::from_toml("[diagnostics]\nscope = \"open\"\n", None);
        assert_eq!((config.diagnostics_scope, errors), (DiagnosticsScope::Open, vec![]));
        let raw: RawConfig = serde_json::from_value(serde_json::json!({ "diagnostics": { "scope": "all" } })).unwrap();
        let mut config = Config::default();
        let mut errors = Vec::new();
        config.apply(raw, &mut errors);
        assert_eq!(config.diagnostics_scope, DiagnosticsScope::Workspace);
        assert_eq!(
            errors[0].message,
            "diagnostics.scope: unknown scope \"all\" (\"workspace\" or \"open\")"
        );
    }
}
