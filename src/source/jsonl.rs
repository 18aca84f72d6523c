//! JSON Lines: one article per line, `{"text": …, "title"?, "source"?, "url"?, "date"?}`.
//!
//! The document text is built from the records: per record its title (if any), a blank
//! line, its text; records are separated by a blank line. A bad line is a warning naming
//! the line; the other records still load.

use std::path::Path;

use serde::Deserialize;

use super::meta::Extracted;
use super::rules::Rules;
use super::structure::{build, mostly_arabic, plain_units, Unit};
use super::{Article, BlockKind, ErrorKind, LoadError};

#[derive(Deserialize)]
struct Record {
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    date: Option<serde_json::Value>,
}

pub(crate) struct Parsed {
    pub text: String,
    pub articles: Vec<Article>,
    pub meta: Extracted,
    pub warnings: Vec<LoadError>,
}

pub(crate) fn parse(path: &Path, src: &str, rules: &Rules) -> Result<Parsed, LoadError> {
    let mut warnings = Vec::new();
    let mut records = Vec::new();
    let mut non_empty = 0usize;
    for (n, line) in src.split('\n').enumerate() {
        let line = line.trim_end_matches('\r').trim();
        if line.is_empty() {
            continue;
        }
        non_empty += 1;
        match serde_json::from_str::<Record>(line) {
            Ok(r) if r.text.trim().is_empty() && blank(r.title.as_deref()) => {
                warnings.push(LoadError::new(
                    path,
                    ErrorKind::BadRecord,
                    format!("line {}: empty \"text\" (skipped)", n + 1),
                ))
            }
            Ok(r) => records.push(r),
            Err(e) => warnings.push(LoadError::new(
                path,
                ErrorKind::BadRecord,
                format!(
                    "line {}: not a JSON Lines record with a \"text\" string: {e} (skipped)",
                    n + 1
                ),
            )),
        }
    }
    if records.is_empty() && non_empty > 0 {
        return Err(LoadError::new(
            path,
            ErrorKind::BadRecord,
            format!(
                "no usable JSON Lines record in {non_empty} line(s); first problem: {}",
                warnings.first().map_or("", |w| w.reason.as_str())
            ),
        ));
    }

    let mut text = String::with_capacity(src.len());
    let mut spans = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        let start = text.len();
        let title = r.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let title_range = title.map(|t| {
            text.push_str(t);
            let range = start..text.len();
            text.push_str("\n\n");
            range
        });
        let body_start = text.len();
        text.push_str(&r.text);
        spans.push((start, title_range, body_start..text.len()));
    }

    let arabic = mostly_arabic(&text);
    let mut articles = Vec::with_capacity(records.len());
    for (i, (start, title_range, body)) in spans.into_iter().enumerate() {
        let end = if i + 1 < records.len() {
            body.end + 2
        } else {
            text.len()
        };
        let mut units = Vec::new();
        if let Some(t) = title_range {
            units.push(Unit {
                range: t,
                hint: Some(BlockKind::Title),
            });
        }
        units.extend(plain_units(&text, body));
        let r = &records[i];
        for mut a in build(&text, start..end, units, rules, arabic, false) {
            a.meta.source = r.source.clone().or(a.meta.source);
            a.meta.url = r.url.clone();
            a.meta.date = r.date.as_ref().map(value_to_string).or(a.meta.date);
            articles.push(a);
        }
    }
    let first = records.iter().find(|r| r.source.is_some());
    let meta = Extracted {
        source: first.and_then(|r| r.source.clone()),
        url: None,
        date: None,
    };
    Ok(Parsed {
        text,
        articles,
        meta,
        warnings,
    })
}

fn value_to_string(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}
