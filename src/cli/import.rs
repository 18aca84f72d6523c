//! `qari import --format brat|jsonl|labelstudio [--store PATH] FILE...`: add the
//! annotations of exchange files to the annotation store (see `docs/annotation.md`).
//!
//! * brat: FILE is a `.ann` (its `.txt` beside it) or a `.txt` (its `.ann` beside it);
//!   JSONL and Label Studio files may hold several documents.
//! * Each imported document goes to the store document whose text has the same hash
//!   (the document it was exported from, wherever it is now); else to a new document
//!   keyed by the canonical path of the `.txt` (brat) or `FILE#NAME` (JSONL, Label Studio).
//! * An annotation already stored for that document with the same span, label and status
//!   is skipped, so importing a file twice adds nothing.
//! * Each FILE is written with one transaction, one undoable action; a malformed FILE
//!   writes nothing (the error names the file and the line) and the others are imported.
//! * Status, Wikidata id and note are kept as imported. Label Studio region ids are kept
//!   (so a round trip writes the same ids) unless the store already uses them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::annotate::review::{self, Format};
use crate::annotate::store::{self, Change, Doc, Problem, Store, StoreError};
use crate::annotate::{brat, jsonl, label_studio, AnnotatedDoc, Annotation, ImportError, Status};

use super::error_line;
use super::export::plural;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Exchange format: brat, jsonl or labelstudio.
    #[arg(long, value_name = "FORMAT", value_parser = parse_import_format)]
    pub format: Format,
    /// Annotation store to write (default: $XDG_DATA_HOME/qari/annotations.db).
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,
    /// Files to import (brat: the `.ann` or the `.txt` of each document).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
}

/// `--format` for import: brat, jsonl or labelstudio.
pub fn parse_import_format(s: &str) -> Result<Format, String> {
    let f = super::export::parse_format(s)?;
    if f.importable() {
        Ok(f)
    } else {
        Err(format!(
            "{} cannot be imported (expected one of: brat, jsonl, labelstudio)",
            f.name()
        ))
    }
}

/// What one input file holds: its documents and, for each, the store key to use when no
/// stored document has its text.
struct Input {
    docs: Vec<(AnnotatedDoc, String)>,
}

/// Read and parse one input file. Errors name the file (and the line when malformed).
fn read_input(format: Format, file: &Path) -> Result<Input, String> {
    let read = |p: &Path| {
        std::fs::read(p)
            .map_err(|e| format!("{}: {e}", p.display()))
            .and_then(|b| {
                String::from_utf8(b).map_err(|e| {
                    format!(
                        "{}: not UTF-8 (byte {}); exchange files are UTF-8",
                        p.display(),
                        e.utf8_error().valid_up_to()
                    )
                })
            })
    };
    let shown = |e: ImportError| e.to_string();
    match format {
        Format::Brat => {
            let (txt, ann) = match file.extension().and_then(|e| e.to_str()) {
                Some("ann") => (file.with_extension("txt"), file.to_path_buf()),
                Some("txt") => (file.to_path_buf(), file.with_extension("ann")),
                _ => {
                    return Err(format!(
                        "{}: expected a brat .ann or .txt file",
                        file.display()
                    ))
                }
            };
            let name = txt
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            // The file named first, so that a missing file is the one reported.
            let (text, ann_text) = if ann == file {
                let a = read(&ann)?;
                (read(&txt)?, a)
            } else {
                let t = read(&txt)?;
                (t, read(&ann)?)
            };
            let doc =
                brat::import(&name, &text, &ann.display().to_string(), &ann_text).map_err(shown)?;
            Ok(Input {
                docs: vec![(doc, review::store_key(&txt))],
            })
        }
        Format::Jsonl | Format::LabelStudio => {
            let contents = read(file)?;
            let shown_name = file.display().to_string();
            let docs = if format == Format::Jsonl {
                jsonl::import(&shown_name, &contents)
            } else {
                label_studio::import(&shown_name, &contents)
            }
            .map_err(shown)?;
            let base = review::store_key(file);
            Ok(Input {
                docs: docs
                    .into_iter()
                    .map(|d| {
                        let key = format!("{base}#{}", d.name);
                        (d, key)
                    })
                    .collect(),
            })
        }
        Format::Conll | Format::W3c => Err(format!("{} cannot be imported", format.name())),
    }
}

/// What importing one file did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    pub documents: usize,
    pub already: usize,
}

/// Whether an imported id is worth keeping: a Label Studio region id (not one made up by
/// the reader for a region without id, nor a qari suggestion's `sug:` id).
fn keep_id(format: Format, id: &str) -> bool {
    format == Format::LabelStudio
        && !id.is_empty()
        && !review::is_pending(id)
        && !id.starts_with("annotations")
        && !id.starts_with("predictions")
}

/// Import the documents of one file into `store` as one action. `fresh_ids`: never keep
/// the imported ids.
fn import_docs(
    store: &mut Store,
    format: Format,
    input: &Input,
    fresh_ids: bool,
) -> Result<Imported, StoreError> {
    // The store document of each imported document: the one with the same text, else a new key.
    let mut keys = Vec::with_capacity(input.docs.len());
    for (doc, key) in &input.docs {
        let found = store.path_for_hash(&store::text_hash(&doc.text))?;
        keys.push(found.unwrap_or_else(|| key.clone()));
    }
    let mut result = Imported {
        documents: input.docs.len(),
        ..Imported::default()
    };
    let mut ids = HashSet::new();
    let mut seen: HashSet<(String, usize, usize, String, Status)> = HashSet::new();
    let mut changes = Vec::new();
    for ((doc, _), key) in input.docs.iter().zip(&keys) {
        let d = Doc {
            path: key,
            text: &doc.text,
        };
        for a in store.annotations_for(d)?.live {
            seen.insert((key.clone(), a.start, a.end, a.label, a.status));
        }
        for a in &doc.annotations {
            let k = (key.clone(), a.start, a.end, a.label.clone(), a.status);
            if !seen.insert(k) {
                result.already += 1;
                continue;
            }
            let keep = !fresh_ids && keep_id(format, &a.id) && ids.insert(a.id.clone());
            let id = if keep { a.id.clone() } else { String::new() };
            changes.push(Change::Add(d, Annotation { id, ..a.clone() }));
        }
    }
    result.added = changes.len();
    if !changes.is_empty() {
        store.apply(&changes)?;
    }
    Ok(result)
}

/// Run the command. Exit code 0 when every file was imported, 1 otherwise (a malformed
/// file is skipped and the others imported; a store failure stops the import).
pub fn run(args: &ImportArgs) -> anyhow::Result<i32> {
    let opened = match &args.store {
        Some(p) => Store::open(p),
        None => Store::open_default(),
    };
    let mut store = match opened {
        Ok(s) => s,
        Err(e) => {
            error_line(e);
            return Ok(1);
        }
    };
    let mut failed = false;
    for file in &args.files {
        let input = match read_input(args.format, file) {
            Ok(i) => i,
            Err(e) => {
                error_line(format_args!("{e} (nothing imported from this file)"));
                failed = true;
                continue;
            }
        };
        let mut outcome = import_docs(&mut store, args.format, &input, false);
        // An id kept from the file may already name another annotation of the store:
        // import with fresh ids then (the failed transaction was rolled back).
        if matches!(
            &outcome,
            Err(StoreError { problem: Problem::Invalid(m), .. }) if m.contains("already exists")
        ) {
            outcome = import_docs(&mut store, args.format, &input, true);
        }
        match outcome {
            Ok(r) => println!(
                "{}",
                crate::layout::visible_controls(&format!(
                    "{}: imported {} into {} ({} already there)",
                    file.display(),
                    plural(r.added, "annotation"),
                    plural(r.documents, "document"),
                    r.already
                ))
            ),
            Err(e) => {
                error_line(format_args!(
                    "{e} (nothing imported from {})",
                    file.display()
                ));
                return Ok(1);
            }
        }
    }
    Ok(i32::from(failed))
}
