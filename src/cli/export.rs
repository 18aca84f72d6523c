//! `qari export --format FORMAT --out DIR [--only confirmed|all] [--store PATH]
//! [--encoding LABEL] [PATH...]`: write the annotations of documents in an exchange format
//! (brat, JSONL, CoNLL, Label Studio, W3C Web Annotation; see `docs/annotation.md`).
//!
//! Each document's annotations are what the store holds for it (found by its canonical
//! path, else by the hash of its text), re-anchored into the current text, plus with
//! `--only all` the tagger's suggestions not reviewed yet. Rejected annotations are never
//! exported; orphaned ones (their text is gone from the document) cannot be and are
//! reported. The store is only read: a store that does not exist is not created.
//! No PATH: the embedded sample corpus.

use std::io;
use std::path::{Path, PathBuf};

use crate::annotate::review::{self, DocAnnotations, Format};
use crate::annotate::store::{self, Doc, Store, StoredAnnotation};
use crate::annotate::{suggestions, AnnotatedDoc, Only};
use crate::entities::Tagger;
use crate::source::{list_paths, Document, LoadOptions};

use super::error_line;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Exchange format: brat, jsonl, conll, labelstudio or w3c.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub format: Format,
    /// Directory to write the files into (created if needed; files are replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Which annotations: confirmed ones, or all (the tagger's suggestions too). Rejected
    /// annotations are never exported.
    #[arg(long, value_name = "WHICH", default_value = "confirmed", value_parser = parse_only)]
    pub only: Only,
    /// Annotation store to read (default: $XDG_DATA_HOME/qari/annotations.db).
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,
    /// Decode every file with this encoding instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// List the annotations that could not be exported because their text is gone.
    #[arg(long)]
    pub list_orphans: bool,
    /// Files, folders and `-` for standard input (default: the embedded sample corpus).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `--format` for export: any [`Format`].
pub fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| {
        format!(
            "unknown format {s:?} (expected one of: {})",
            Format::ALL.map(Format::name).join(", ")
        )
    })
}

fn parse_only(s: &str) -> Result<Only, String> {
    Only::parse(s).ok_or_else(|| format!("expected `confirmed` or `all`, not {s:?}"))
}

/// Open the store to export from, without creating it. `Ok(None)`: there is no store
/// yet at the default place (nothing was ever annotated).
fn open_store(explicit: Option<&Path>) -> Result<Option<Store>, String> {
    let path = match explicit {
        Some(p) => {
            if !p.exists() {
                return Err(format!(
                    "annotation store {}: does not exist (check --store)",
                    p.display()
                ));
            }
            p.to_path_buf()
        }
        None => match store::default_path() {
            Some(p) if p.exists() => p,
            _ => return Ok(None),
        },
    };
    Store::open_read_only(&path)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Run the command. Exit code: 0 when everything was exported; 1 when a file could not
/// be loaded (the others are exported), the store cannot be read, an annotation cannot
/// be exported or the files cannot be written (nothing is written then); 2 for a bad
/// `--encoding`.
pub fn run(args: &ExportArgs) -> anyhow::Result<i32> {
    let mut opts = LoadOptions::default();
    if let Some(label) = &args.encoding {
        match opts.with_encoding_label(label) {
            Ok(o) => opts = o,
            Err(e) => {
                error_line(e);
                return Ok(2);
            }
        }
    }
    let store = match open_store(args.store.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            error_line(e);
            return Ok(1);
        }
    };
    if store.is_none() && args.only == Only::Confirmed {
        error_line(
            "warning: there is no annotation store yet: nothing confirmed to export \
             (--only all exports the tagger's suggestions)",
        );
    }

    let (docs, failed) = load_documents(&args.paths, &opts);
    let tagger = (args.only == Only::All).then(Tagger::shared);
    let names = review::doc_export_names(&docs);
    let mut annotated = Vec::with_capacity(docs.len());
    let mut orphans: Vec<(String, Vec<StoredAnnotation>)> = Vec::new();
    for (doc, name) in docs.iter().zip(names) {
        let sugg = tagger.map_or_else(Vec::new, |t| suggestions(&t.tag_document(doc)));
        let key = review::doc_key(doc);
        let loaded = match &store {
            Some(s) => DocAnnotations::load(
                s,
                Doc {
                    path: &key,
                    text: &doc.text,
                },
                &sugg,
            ),
            None => Ok(DocAnnotations::new(vec![], vec![], vec![], &sugg, vec![])),
        };
        let loaded = match loaded {
            Ok(l) => l,
            Err(e) => {
                error_line(e);
                return Ok(1);
            }
        };
        if !loaded.orphaned.is_empty() {
            orphans.push((doc.display_path(), loaded.orphaned.clone()));
        }
        annotated.push(AnnotatedDoc {
            name,
            text: doc.text.with(str::to_owned),
            annotations: loaded.merged(),
        });
    }

    let export = match review::export(args.format, &annotated, args.only) {
        Ok(e) => e,
        Err(e) => {
            error_line(format_args!("cannot export: {e}"));
            return Ok(1);
        }
    };
    let mut warnings = export.warnings.clone();
    if args.format == Format::Conll {
        warnings.extend(conll_losses(&annotated, args.only));
    }
    let written = match review::write_files(&args.out, &export.files) {
        Ok(w) => w,
        Err(e) => {
            error_line(format_args!("cannot write the export: {e}"));
            return Ok(1);
        }
    };
    let count: usize = annotated
        .iter()
        .map(|d| d.exported(args.only).map_or(0, |a| a.len()))
        .sum();
    let mut msg = format!(
        "exported {} ({}) of {} in {} to {}:\n",
        plural(count, "annotation"),
        match args.only {
            Only::Confirmed => "confirmed",
            Only::All => "confirmed and suggested",
        },
        plural(annotated.len(), "document"),
        args.format.name(),
        args.out.display()
    );
    for p in &written {
        msg.push_str(&format!("  {}\n", p.display()));
    }
    print!("{}", crate::layout::visible_controls(&msg));
    for w in &warnings {
        error_line(format_args!("warning: {w}"));
    }
    for (path, list) in &orphans {
        error_line(format_args!(
            "warning: {path}: {} no longer found in the text (orphaned) and not exported; \
             they stay in the store{}",
            plural_verb(list.len()),
            if args.list_orphans {
                ":"
            } else {
                " (--list-orphans lists them)"
            }
        ));
        if args.list_orphans {
            for a in list {
                error_line(format_args!(
                    "  {path}: {} {} {:?} (was code points {}..{}, id {})",
                    a.label, a.status, a.exact, a.start_cp, a.end_cp, a.id
                ));
            }
        }
    }
    Ok(i32::from(failed))
}

/// What CoNLL cannot hold besides spans (the format module reports span losses): the
/// Wikidata ids, notes and (with `--only all`) statuses of the exported annotations.
fn conll_losses(docs: &[AnnotatedDoc], only: Only) -> Vec<String> {
    let mut out = Vec::new();
    for d in docs {
        let Ok(anns) = d.exported(only) else { continue };
        let links = anns.iter().filter(|a| a.wikidata.is_some()).count();
        let notes = anns.iter().filter(|a| a.note.is_some()).count();
        let suggested = anns
            .iter()
            .filter(|a| a.status == crate::annotate::Status::Suggested)
            .count();
        let mut lost = Vec::new();
        if links > 0 {
            lost.push(plural(links, "Wikidata id"));
        }
        if notes > 0 {
            lost.push(plural(notes, "note"));
        }
        if suggested > 0 {
            lost.push(format!("the status of {}", plural(suggested, "suggestion")));
        }
        if !lost.is_empty() {
            out.push(format!(
                "{}: CoNLL cannot keep {} (brat, jsonl, labelstudio and w3c keep them)",
                d.name,
                lost.join(", ")
            ));
        }
    }
    out
}

/// The documents to export: the files named (errors reported, `failed` set), or the
/// embedded sample corpus.
fn load_documents(paths: &[PathBuf], opts: &LoadOptions) -> (Vec<Document>, bool) {
    let mut docs = Vec::new();
    let mut failed = false;
    if paths.is_empty() {
        for (name, text) in crate::corpus::SAMPLE {
            match Document::from_bytes(*name, text.as_bytes(), opts) {
                Ok(d) => docs.push(d),
                Err(e) => {
                    failed = true;
                    error_line(e);
                }
            }
        }
        return (docs, failed);
    }
    let (entries, errors) = list_paths(paths);
    failed |= !errors.is_empty();
    for e in &errors {
        error_line(e);
    }
    let (load_failed, _) = super::for_each_document(&entries, opts, &mut io::sink(), |d, _| {
        docs.push(d.clone());
        Ok(())
    });
    (docs, failed || load_failed)
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn plural_verb(n: usize) -> String {
    if n == 1 {
        "1 annotation is".into()
    } else {
        format!("{n} annotations are")
    }
}
