//! The reader: a full-screen terminal interface over the core.
//!
//! `app` holds the state and is the only place it changes (keys → actions → state);
//! `view` draws it; `run` owns the terminal. `config`, `keymap` and `theme` are the
//! user's settings; `store` remembers reading positions; `article` caches laid-out
//! articles; `check` is `qari check-terminal`.

pub mod action;
pub mod annotate;
pub mod app;
pub mod article;
pub mod check;
pub mod config;
pub mod keymap;
pub mod run;
pub mod store;
pub mod theme;
pub mod view;

use std::path::PathBuf;

use config::{BidiMode, Config, ThemeName};
use store::PositionStore;
use theme::Theme;

use crate::source::{Document, LoadOptions};

/// The reader loads plain-text files over twice this size in parts of about this size
/// (see [`crate::source::LoadOptions::part_bytes`]): the first part shows while the rest
/// loads, and no article's layout grows beyond what a part holds.
pub const PART_BYTES: usize = 2 << 20;

/// What the command line can override.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub bidi: Option<BidiMode>,
    pub shaping: Option<bool>,
    pub theme: Option<ThemeName>,
    pub no_mouse: bool,
}

/// The configuration in force: file (from `--config`, `$QARI_CONFIG`, or the XDG path)
/// merged over the defaults, then the command line; `NO_COLOR`/`TERM=dumb` force mono.
pub fn effective_config(o: &Overrides) -> (Config, Vec<String>) {
    let explicit = o.config.clone().or_else(|| {
        std::env::var_os("QARI_CONFIG")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let (mut config, warnings) = match &explicit {
        Some(p) => Config::load(Some(p), true),
        None => Config::load(config::default_config_path().as_deref(), false),
    };
    if let Some(b) = o.bidi {
        config.bidi = b;
    }
    if let Some(s) = o.shaping {
        config.shaping = Some(s);
    }
    if let Some(t) = o.theme {
        config.theme = t;
    }
    if o.no_mouse {
        config.mouse = false;
    }
    if theme::env_wants_mono() {
        config.theme = ThemeName::Mono;
    }
    (config, warnings)
}

/// An app over the embedded sample corpus (for tests and benchmarks: no files touched).
pub fn sample_app(config: Config, size: (u16, u16)) -> app::App {
    let theme = Theme::new(config.theme);
    let (store, _) = PositionStore::open(None);
    let mut app = app::App::new(config, theme, store);
    app.size = size;
    for doc in sample_documents() {
        app.add_document(doc);
    }
    app.on_resize(size.0, size.1);
    app
}

/// The seed pages, loaded from the copies embedded in the binary.
pub fn sample_documents() -> Vec<Document> {
    let opts = LoadOptions::default();
    crate::corpus::SAMPLE
        .iter()
        .filter_map(|(name, text)| Document::from_bytes(*name, text.as_bytes(), &opts).ok())
        .collect()
}
