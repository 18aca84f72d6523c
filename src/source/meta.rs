//! Source metadata: a `NAME.meta.toml` sidecar, else what the text says (byline,
//! dateline, HTML metadata, JSON Lines fields), else the file name.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Article, ErrorKind, LoadError};

/// Where [`SourceMeta::source`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MetaOrigin {
    /// A `NAME.meta.toml` sidecar.
    Sidecar,
    /// A JSON Lines record's `source` field or the HTML page's metadata.
    Embedded,
    /// A byline or dateline in the text ("وكالات", "دبي - الشرق").
    Inferred,
    /// Nothing said it: the file name.
    FileName,
}

impl MetaOrigin {
    pub fn describe(self) -> &'static str {
        match self {
            MetaOrigin::Sidecar => "sidecar",
            MetaOrigin::Embedded => "from the file's metadata",
            MetaOrigin::Inferred => "inferred from the text",
            MetaOrigin::FileName => "file name",
        }
    }
}

/// Metadata of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceMeta {
    /// Who published it: never empty (falls back to the file name).
    pub source: String,
    pub source_origin: MetaOrigin,
    pub url: Option<String>,
    pub date: Option<String>,
    /// A title given by the sidecar or the page metadata.
    pub title: Option<String>,
}

/// The contents of a `NAME.meta.toml` sidecar. All fields are optional.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Sidecar {
    pub source: Option<String>,
    pub url: Option<String>,
    pub date: Option<toml::Value>,
    pub title: Option<String>,
}

/// Metadata found inside the file itself (HTML head).
#[derive(Clone, Debug, Default)]
pub(crate) struct Extracted {
    pub source: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
}

/// Sidecar paths tried for a file, in order: `a/b.txt.meta.toml`, then `a/b.meta.toml`.
pub(crate) fn sidecar_paths(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::with_capacity(2);
    if let Some(name) = path.file_name() {
        let mut n = name.to_os_string();
        n.push(".meta.toml");
        out.push(path.with_file_name(n));
    }
    if path.extension().is_some() {
        if let Some(stem) = path.file_stem() {
            let mut n = stem.to_os_string();
            n.push(".meta.toml");
            out.push(path.with_file_name(n));
        }
    }
    out
}

/// Is this file a sidecar (skipped when walking folders)?
pub(crate) fn is_sidecar(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".meta.toml"))
}

/// Read the sidecar of `path`, if there is one.
pub(crate) fn read_sidecar(path: &Path) -> Option<Result<Sidecar, LoadError>> {
    let side = sidecar_paths(path).into_iter().find(|p| p.is_file())?;
    let res = std::fs::read_to_string(&side)
        .map_err(|e| {
            LoadError::new(
                &side,
                ErrorKind::BadSidecar,
                format!("cannot read sidecar: {e}"),
            )
        })
        .and_then(|s| {
            toml::from_str::<Sidecar>(&s).map_err(|e| {
                LoadError::new(
                    &side,
                    ErrorKind::BadSidecar,
                    format!("invalid sidecar (ignored): {}", e.message().trim()),
                )
            })
        });
    Some(res)
}

/// The file name without extension, or `stdin` for `-`.
pub(crate) fn file_label(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "stdin".into();
    }
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

pub(crate) fn resolve(
    path: &Path,
    sidecar: Option<&Sidecar>,
    extracted: &Extracted,
    articles: &[Article],
) -> SourceMeta {
    let side = sidecar.cloned().unwrap_or_default();
    let side_date = side.date.as_ref().map(|d| match d {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let first_art = |f: fn(&Article) -> &Option<String>| articles.iter().find_map(|a| clean(f(a)));
    let (source, source_origin) = if let Some(s) = clean(&side.source) {
        (s, MetaOrigin::Sidecar)
    } else if let Some(s) = clean(&extracted.source) {
        (s, MetaOrigin::Embedded)
    } else if let Some(s) = first_art(|a| &a.meta.source) {
        // JSON Lines records carry a source too; a byline is only an inference.
        (s, MetaOrigin::Inferred)
    } else {
        (file_label(path), MetaOrigin::FileName)
    };
    SourceMeta {
        source,
        source_origin,
        url: clean(&side.url)
            .or_else(|| clean(&extracted.url))
            .or_else(|| first_art(|a| &a.meta.url)),
        date: side_date
            .or_else(|| clean(&extracted.date))
            .or_else(|| first_art(|a| &a.meta.date)),
        title: clean(&side.title),
    }
}
