//! The reader's settings: built-in defaults (the commented file `qari config --default`
//! prints, which is also what the defaults are parsed from), with the user's
//! `config.toml` merged over them. A wrong or unknown entry gives a warning and keeps the
//! default; it never stops qari from starting.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::action::Action;
use super::keymap::{parse_sequence, Key, Keymap};
use crate::annotate::review::Format;
use crate::annotate::Only;

/// The default configuration, commented: printed by `qari config --default`.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.default.toml");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeName {
    Dark,
    Light,
    Mono,
}

/// Who reorders right-to-left text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BidiMode {
    /// qari lays text out in visual order and asks the terminal not to reorder it.
    App,
    /// qari sends logical order and leaves bidi to the terminal.
    Terminal,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub theme: ThemeName,
    /// `None` follows the bidi mode: on for `app`, off for `terminal`.
    pub shaping: Option<bool>,
    pub bidi: BidiMode,
    pub mouse: bool,
    pub show_boilerplate: bool,
    /// The widest text column, in cells (0: the pane's width).
    pub max_width: usize,
    pub sources_width: u16,
    pub entities_width: u16,
    /// Below this terminal width, one pane at a time.
    pub narrow_below: u16,
    pub keymap: Keymap,
    /// Bindings of annotation mode, tried before `keymap` there (no langmap of its own).
    pub annotate_keys: Keymap,
    /// One-key labels of annotation mode: (key, label), in file order.
    pub labels: Vec<(Key, String)>,
    pub export_format: Format,
    pub export_dir: PathBuf,
    pub export_only: Only,
    /// MiB of document text kept in memory; texts beyond it are read again from their
    /// files when needed.
    pub text_memory_mib: usize,
}

impl Config {
    /// The built-in defaults.
    pub fn defaults() -> Config {
        let mut warnings = Vec::new();
        let value: toml::Table = DEFAULT_CONFIG
            .parse()
            .expect("the built-in default config is valid TOML");
        let mut config = Config {
            theme: ThemeName::Dark,
            shaping: None,
            bidi: BidiMode::App,
            mouse: true,
            show_boilerplate: false,
            max_width: 100,
            sources_width: 36,
            entities_width: 34,
            narrow_below: 90,
            text_memory_mib: 64,
            keymap: Keymap::default(),
            annotate_keys: Keymap::default(),
            labels: Vec::new(),
            export_format: Format::Brat,
            export_dir: PathBuf::from("qari-export"),
            export_only: Only::Confirmed,
        };
        config.merge(&value, "default config", &mut warnings);
        debug_assert!(warnings.is_empty(), "{warnings:?}");
        config
    }

    /// The defaults with the file at `path` merged over them. A missing file is not an
    /// error when `required` is false (the default location).
    pub fn load(path: Option<&Path>, required: bool) -> (Config, Vec<String>) {
        let mut config = Config::defaults();
        let mut warnings = Vec::new();
        let Some(path) = path else {
            return (config, warnings);
        };
        let name = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => match text.parse::<toml::Table>() {
                Ok(table) => config.merge(&table, &name, &mut warnings),
                Err(e) => warnings.push(format!(
                    "{name}: not valid TOML, using the defaults: {}",
                    e.message()
                )),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {}
            Err(e) => warnings.push(format!("{name}: {e}; using the defaults")),
        }
        (config, warnings)
    }

    /// The effective shaping setting.
    pub fn shaping(&self) -> bool {
        self.shaping.unwrap_or(self.bidi == BidiMode::App)
    }

    /// Merge a parsed file over `self`, pushing a warning for each entry it cannot use.
    pub fn merge(&mut self, table: &toml::Table, name: &str, warnings: &mut Vec<String>) {
        for (key, value) in table {
            let mut wrong = |expected: &str| {
                warnings.push(format!(
                    "{name}: `{key}` should be {expected}, not `{value}`; keeping the default"
                ))
            };
            match key.as_str() {
                "theme" => match value.as_str() {
                    Some("dark") => self.theme = ThemeName::Dark,
                    Some("light") => self.theme = ThemeName::Light,
                    Some("mono") => self.theme = ThemeName::Mono,
                    _ => wrong("\"dark\", \"light\" or \"mono\""),
                },
                "shaping" => match value {
                    toml::Value::Boolean(b) => self.shaping = Some(*b),
                    toml::Value::String(s) if s == "auto" => self.shaping = None,
                    _ => wrong("true, false or \"auto\""),
                },
                "bidi" => match value.as_str() {
                    Some("app") => self.bidi = BidiMode::App,
                    Some("terminal") => self.bidi = BidiMode::Terminal,
                    _ => wrong("\"app\" or \"terminal\""),
                },
                "mouse" => match value.as_bool() {
                    Some(b) => self.mouse = b,
                    None => wrong("true or false"),
                },
                "boilerplate" => match value.as_str() {
                    Some("hidden") => self.show_boilerplate = false,
                    Some("dimmed") => self.show_boilerplate = true,
                    _ => wrong("\"hidden\" or \"dimmed\""),
                },
                "text_memory" => match value.as_integer() {
                    Some(n) if (0..=1 << 20).contains(&n) => self.text_memory_mib = n as usize,
                    _ => wrong("a number of MiB from 0 to 1048576"),
                },
                "max_width" => match value.as_integer() {
                    Some(n) if (0..=1000).contains(&n) => self.max_width = n as usize,
                    _ => wrong("a width from 0 to 1000"),
                },
                "panels" => match value.as_table() {
                    Some(t) => self.merge_panels(t, name, warnings),
                    None => wrong("a table"),
                },
                "keys" => match value.as_table() {
                    Some(t) => merge_keys(&mut self.keymap, "keys", t, name, warnings),
                    None => wrong("a table"),
                },
                "annotate_keys" => match value.as_table() {
                    Some(t) => {
                        merge_keys(&mut self.annotate_keys, "annotate_keys", t, name, warnings)
                    }
                    None => wrong("a table"),
                },
                "labels" => match value.as_table() {
                    Some(t) => self.merge_labels(t, name, warnings),
                    None => wrong("a table"),
                },
                "annotate" => match value.as_table() {
                    Some(t) => self.merge_annotate(t, name, warnings),
                    None => wrong("a table"),
                },
                "langmap" => match value.as_table() {
                    Some(t) => merge_langmap(&mut self.keymap.langmap, t, name, warnings),
                    None => wrong("a table"),
                },
                _ => warnings.push(format!("{name}: unknown setting `{key}`, ignored")),
            }
        }
    }

    fn merge_panels(&mut self, t: &toml::Table, name: &str, warnings: &mut Vec<String>) {
        for (key, value) in t {
            let n = value.as_integer().filter(|n| (10..=500).contains(n));
            match (key.as_str(), n) {
                ("sources", Some(n)) => self.sources_width = n as u16,
                ("entities", Some(n)) => self.entities_width = n as u16,
                ("narrow", Some(n)) => self.narrow_below = n as u16,
                ("sources" | "entities" | "narrow", None) => warnings.push(format!(
                    "{name}: `panels.{key}` should be a width from 10 to 500, not `{value}`"
                )),
                _ => warnings.push(format!("{name}: unknown setting `panels.{key}`, ignored")),
            }
        }
    }

    fn merge_labels(&mut self, t: &toml::Table, name: &str, warnings: &mut Vec<String>) {
        for (label, value) in t {
            if label.is_empty() || label.chars().any(|c| c.is_whitespace() || c.is_control()) {
                warnings.push(format!(
                    "{name}: label `{label}` must be a word without spaces"
                ));
                continue;
            }
            let spec = value.as_str().unwrap_or("");
            let key = match parse_sequence(spec) {
                Ok(seq) if seq.len() == 1 => seq[0],
                _ => {
                    warnings.push(format!(
                        "{name}: `labels.{label}` should be one key such as \"1\", not `{value}`"
                    ));
                    continue;
                }
            };
            self.labels.retain(|(k, l)| *k != key && l != label);
            self.labels.push((key, label.clone()));
        }
        // TOML tables come sorted by name: list the labels by key instead (1 PER, 2 LOC…).
        self.labels.sort_by_key(|(k, _)| k.to_string());
    }

    fn merge_annotate(&mut self, t: &toml::Table, name: &str, warnings: &mut Vec<String>) {
        for (key, value) in t {
            match (key.as_str(), value.as_str()) {
                ("export_format", Some(f)) if Format::parse(f).is_some() => {
                    self.export_format = Format::parse(f).unwrap_or(Format::Brat)
                }
                ("export_dir", Some(d)) if !d.is_empty() => self.export_dir = PathBuf::from(d),
                ("export_only", Some(o)) if Only::parse(o).is_some() => {
                    self.export_only = Only::parse(o).unwrap_or_default()
                }
                ("export_format" | "export_dir" | "export_only", _) => warnings.push(format!(
                    "{name}: `annotate.{key}` has a wrong value `{value}`; keeping the default"
                )),
                _ => warnings.push(format!("{name}: unknown setting `annotate.{key}`, ignored")),
            }
        }
    }

    /// The keymap of annotation mode: its own bindings first, then every normal binding
    /// whose keys it does not take.
    pub fn annotate_keymap(&self) -> Keymap {
        let mut bindings = self.annotate_keys.bindings.clone();
        let taken = |k: &Vec<Key>| {
            bindings_conflict(&self.annotate_keys.bindings, k)
                || self.labels.iter().any(|(l, _)| k.len() == 1 && k[0] == *l)
        };
        for (k, a) in &self.keymap.bindings {
            if !taken(k) && !a.annotate_only() {
                bindings.push((k.clone(), *a));
            }
        }
        Keymap {
            bindings,
            langmap: self.keymap.langmap.clone(),
        }
    }
}

/// Whether `k` equals, or is a prefix of or prefixed by, a sequence bound in `bindings`.
fn bindings_conflict(bindings: &[(Vec<Key>, Action)], k: &[Key]) -> bool {
    bindings
        .iter()
        .any(|(b, _)| b.starts_with(k) || k.starts_with(b))
}

/// Each action listed replaces the keys the defaults give it.
fn merge_keys(
    keymap: &mut Keymap,
    section: &str,
    t: &toml::Table,
    name: &str,
    warnings: &mut Vec<String>,
) {
    let mut new: Vec<(Vec<super::keymap::Key>, Action)> = Vec::new();
    let mut replaced: Vec<Action> = Vec::new();
    for (action_name, value) in t {
        let Some(action) = Action::from_name(action_name) else {
            warnings.push(format!(
                "{name}: unknown action `{section}.{action_name}`, ignored"
            ));
            continue;
        };
        let specs: Vec<&str> = match value {
            toml::Value::String(s) => vec![s.as_str()],
            toml::Value::Array(a) if a.iter().all(|v| v.is_str()) => {
                a.iter().filter_map(|v| v.as_str()).collect()
            }
            _ => {
                warnings.push(format!(
                    "{name}: `{section}.{action_name}` should be a list of keys such as [\"j\", \"down\"]"
                ));
                continue;
            }
        };
        let mut parsed = Vec::new();
        for spec in specs {
            match parse_sequence(spec) {
                Ok(seq) => parsed.push((seq, action)),
                Err(e) => warnings.push(format!("{name}: `{section}.{action_name}`: {e}")),
            }
        }
        replaced.push(action);
        new.extend(parsed);
    }
    // A key now bound to another action leaves its old one.
    keymap
        .bindings
        .retain(|(k, a)| !replaced.contains(a) && !new.iter().any(|(nk, _)| nk == k));
    keymap.bindings.extend(new);
}

fn merge_langmap(
    map: &mut HashMap<char, char>,
    t: &toml::Table,
    name: &str,
    warnings: &mut Vec<String>,
) {
    for (from, to) in t {
        let mut fc = from.chars();
        let from_char = match (fc.next(), fc.next()) {
            (Some(c), None) => c,
            _ => {
                warnings.push(format!(
                    "{name}: langmap key `{from}` should be one character"
                ));
                continue;
            }
        };
        match to.as_str() {
            Some("") => {
                map.remove(&from_char);
            }
            Some(s) if s.chars().count() == 1 => {
                map.insert(from_char, s.chars().next().unwrap_or(' '));
            }
            _ => warnings.push(format!(
                "{name}: langmap `{from}` should map to one character, not `{to}`"
            )),
        }
    }
}

/// `$XDG_CONFIG_HOME/qari/config.toml` (or `~/.config/qari/config.toml`).
pub fn default_config_path() -> Option<PathBuf> {
    xdg_dir("XDG_CONFIG_HOME", ".config").map(|d| d.join("qari").join("config.toml"))
}

/// `$XDG_STATE_HOME/qari` (or `~/.local/state/qari`): reading positions.
pub fn state_dir() -> Option<PathBuf> {
    xdg_dir("XDG_STATE_HOME", ".local/state").map(|d| d.join("qari"))
}

fn xdg_dir(var: &str, fallback: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() && Path::new(&v).is_absolute() => Some(PathBuf::from(v)),
        _ => std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(fallback)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::Key;

    #[test]
    fn defaults_parse_and_bind_every_action() {
        let c = Config::defaults();
        let annotate = c.annotate_keymap();
        for &a in Action::ALL {
            if a.annotate_only() {
                assert!(
                    c.keymap.keys_for(a).is_empty(),
                    "{a:?} bound outside annotation"
                );
                assert!(!annotate.keys_for(a).is_empty(), "{a:?} has no default key");
            } else {
                assert!(!c.keymap.keys_for(a).is_empty(), "{a:?} has no default key");
            }
        }
        // Annotation mode: its keys win, labels take the digits, the rest still works.
        let k = |s: &str| parse_sequence(s).unwrap();
        let find = |m: &Keymap, s: &str| m.bindings.iter().find(|(b, _)| *b == k(s)).map(|x| x.1);
        assert_eq!(find(&annotate, "b"), Some(Action::CursorPrevWord));
        assert_eq!(find(&annotate, "j"), Some(Action::CursorDown));
        assert_eq!(find(&annotate, "J"), Some(Action::NextSource));
        assert_eq!(find(&annotate, "u"), Some(Action::Undo));
        assert_eq!(find(&c.keymap, "b"), Some(Action::PageUp));
        let labels: Vec<&str> = c.labels.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["PER", "LOC", "ORG", "MISC"]);
        assert_eq!(c.labels[0].0, Key::char('1'));
        assert_eq!(c.export_format, Format::Brat);
        assert_eq!(c.keymap.langmap.get(&'ت'), Some(&'j'));
        assert_eq!(c.keymap.langmap.get(&'ن'), Some(&'k'));
        assert_eq!(c.keymap.langmap.get(&'ل'), Some(&'g'));
        assert_eq!(c.keymap.langmap.get(&'ى'), Some(&'n'));
        // No key sequence is bound twice.
        let b = &c.keymap.bindings;
        for (i, (k, _)) in b.iter().enumerate() {
            assert!(
                !b[i + 1..].iter().any(|(k2, _)| k2 == k),
                "{k:?} bound twice"
            );
        }
    }

    #[test]
    fn user_entries_merge_over_the_defaults() {
        let mut c = Config::defaults();
        let mut w = Vec::new();
        let t: toml::Table = r#"
            theme = "light"
            max_width = 72
            [keys]
            scroll_down = ["x"]
            help = "h"
            [langmap]
            "ت" = ""
            "ڤ" = "v"
        "#
        .parse()
        .unwrap();
        c.merge(&t, "test.toml", &mut w);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c.theme, ThemeName::Light);
        assert_eq!(c.max_width, 72);
        assert_eq!(c.keymap.keys_for(Action::ScrollDown), vec!["x"]);
        assert_eq!(c.keymap.keys_for(Action::Help), vec!["h"]);
        // Untouched actions keep their defaults.
        assert!(c
            .keymap
            .keys_for(Action::ScrollUp)
            .contains(&"k".to_string()));
        assert!(!c.keymap.langmap.contains_key(&'ت'));
        assert_eq!(c.keymap.langmap.get(&'ڤ'), Some(&'v'));
        assert!(c
            .keymap
            .bindings
            .iter()
            .all(|(k, a)| k != &vec![Key::char('j')] || *a != Action::ScrollDown));
    }

    #[test]
    fn wrong_entries_warn_and_keep_the_defaults() {
        let mut c = Config::defaults();
        let mut w = Vec::new();
        let t: toml::Table = r#"
            theme = "purple"
            colour = 3
            max_width = -4
            mouse = "yes"
            [keys]
            fly = ["f"]
            scroll_down = ["ctrl-"]
            [panels]
            sources = 3
            depth = 2
            [langmap]
            "تت" = "j"
        "#
        .parse()
        .unwrap();
        c.merge(&t, "bad.toml", &mut w);
        assert_eq!(c.theme, ThemeName::Dark);
        assert_eq!(c.max_width, 100);
        assert!(c.mouse);
        assert_eq!(w.len(), 9, "{w:#?}");
        assert!(w.iter().all(|m| m.starts_with("bad.toml: ")));
        assert!(w.iter().any(|m| m.contains("unknown setting `colour`")));
        assert!(w.iter().any(|m| m.contains("unknown action `keys.fly`")));
    }

    #[test]
    fn an_unparsable_file_warns_and_loads_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "theme = = \"dark\"").unwrap();
        let (c, w) = Config::load(Some(&p), true);
        assert_eq!(c.theme, ThemeName::Dark);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("config.toml: not valid TOML"), "{w:?}");
        let (_, w) = Config::load(Some(&dir.path().join("none.toml")), false);
        assert!(w.is_empty());
        let (_, w) = Config::load(Some(&dir.path().join("none.toml")), true);
        assert_eq!(w.len(), 1);
    }
}
