//! A document's annotations under review: what the store holds, plus the tagger's
//! suggestions the user has not reviewed yet; and the exports of that view.
//!
//! Suggestions are **not** written to the store when a document is opened: they are
//! recomputed from the tagger (so a better model improves them) and hidden wherever a
//! stored annotation overlaps them. Accepting one stores a confirmed annotation; rejecting
//! one stores a rejected annotation at its span, which keeps it from coming back.
//! Suggestions imported from another tool are stored with status `suggested` and shown
//! the same way.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::store::{Anchored, Doc, Review, Store, StoreError, StoredAnnotation};
use super::{
    brat, conll, jsonl, label_studio, w3c, AnnotatedDoc, Annotation, ExportError, ExportFile, Only,
    Status,
};

/// Prefix of the ids of suggestions that are not in the store.
pub const SUGGESTION_ID: &str = "sug:";

/// The key of a document in the store: its canonical path when it is a file on disk,
/// else the path as given (`-`, or the name of an embedded sample document). A document
/// whose key is not found is looked up by the hash of its text, so a moved file keeps
/// its annotations.
pub fn store_key(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "-".into();
    }
    match std::fs::canonicalize(path) {
        Ok(p) if p.is_file() => p.to_string_lossy().into_owned(),
        _ => path.to_string_lossy().into_owned(),
    }
}

/// The key of a loaded document: [`store_key`] of its path, plus `#partN` for a part of a
/// large file (parts are cut the same way every time).
pub fn doc_key(doc: &crate::source::Document) -> String {
    let key = store_key(&doc.path);
    match doc.part {
        Some(p) => format!("{key}#part{}", p.number),
        None => key,
    }
}

/// Export names for loaded documents (parts get `-partN`).
pub fn doc_export_names(docs: &[crate::source::Document]) -> Vec<String> {
    let paths: Vec<std::path::PathBuf> = docs
        .iter()
        .map(|d| match d.part {
            Some(p) => {
                let stem = d
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                d.path
                    .with_file_name(format!("{stem}-part{}.txt", p.number))
            }
            None => d.path.clone(),
        })
        .collect();
    export_names(paths.iter().map(|p| p.as_path()))
}

/// The tagger's suggestions that no stored annotation overlaps, with ids
/// `sug:START-END` (byte offsets).
pub fn pending_suggestions(stored: &[Annotation], suggestions: &[Annotation]) -> Vec<Annotation> {
    let mut out: Vec<Annotation> = suggestions
        .iter()
        .filter(|s| {
            !stored
                .iter()
                .any(|a| a.start < s.end && s.start < a.end || (a.start, a.end) == (s.start, s.end))
        })
        .map(|s| Annotation {
            id: format!("{SUGGESTION_ID}{}-{}", s.start, s.end),
            status: Status::Suggested,
            ..s.clone()
        })
        .collect();
    out.sort_by_key(|a| (a.start, a.end));
    out.dedup_by(|a, b| (a.start, a.end) == (b.start, b.end));
    out
}

/// Stored annotations and pending suggestions in one list, sorted by (start, end, id).
pub fn merge(stored: &[Annotation], pending: impl Iterator<Item = Annotation>) -> Vec<Annotation> {
    let mut all: Vec<Annotation> = stored.iter().cloned().chain(pending).collect();
    all.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
    all
}

/// Whether `id` names a suggestion that is not in the store.
pub fn is_pending(id: &str) -> bool {
    id.starts_with(SUGGESTION_ID)
}

/// One document's annotations as the reader and the exports see them.
#[derive(Clone, Debug, Default)]
pub struct DocAnnotations {
    /// Stored annotations re-anchored into the current text (every status), sorted.
    pub stored: Vec<Annotation>,
    /// Stored annotations whose text is gone from the document.
    pub orphaned: Vec<StoredAnnotation>,
    /// Ids of stored annotations found by quote at another place.
    pub moved: Vec<String>,
    /// The tagger's suggestions not covered by a stored annotation.
    pub pending: Vec<Annotation>,
    /// Review statuses set on articles: (article start byte, status).
    pub reviews: Vec<(usize, Review)>,
}

impl DocAnnotations {
    /// Read a document's annotations from the store and merge the tagger's suggestions.
    pub fn load(
        store: &Store,
        doc: Doc<'_>,
        suggestions: &[Annotation],
    ) -> Result<DocAnnotations, StoreError> {
        let Anchored {
            live,
            moved,
            orphaned,
        } = store.annotations_for(doc)?;
        let reviews = store.reviews_for(doc)?;
        Ok(DocAnnotations::new(
            live,
            moved,
            orphaned,
            suggestions,
            reviews,
        ))
    }

    pub fn new(
        stored: Vec<Annotation>,
        moved: Vec<String>,
        orphaned: Vec<StoredAnnotation>,
        suggestions: &[Annotation],
        reviews: Vec<(usize, Review)>,
    ) -> DocAnnotations {
        let pending = pending_suggestions(&stored, suggestions);
        DocAnnotations {
            stored,
            orphaned,
            moved,
            pending,
            reviews,
        }
    }

    /// Every annotation to show or export (stored and pending), sorted by (start, end).
    pub fn merged(&self) -> Vec<Annotation> {
        merge(&self.stored, self.pending.iter().cloned())
    }

    /// The review status of the article covering `range` of the text: what the user set,
    /// else "in progress" once something in it was reviewed, else "unreviewed".
    pub fn article_review(&self, range: std::ops::Range<usize>) -> Review {
        if let Some(&(_, r)) = self.reviews.iter().find(|(s, _)| *s == range.start) {
            return r;
        }
        let reviewed = self.stored.iter().any(|a| {
            a.start >= range.start && a.start < range.end && a.status != Status::Suggested
        });
        if reviewed {
            Review::InProgress
        } else {
            Review::Unreviewed
        }
    }
}

/// An export format (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Brat,
    Jsonl,
    Conll,
    LabelStudio,
    W3c,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Brat,
        Format::Jsonl,
        Format::Conll,
        Format::LabelStudio,
        Format::W3c,
    ];

    /// `brat`, `jsonl`, `conll`, `labelstudio`, `w3c`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Brat => "brat",
            Format::Jsonl => "jsonl",
            Format::Conll => "conll",
            Format::LabelStudio => "labelstudio",
            Format::W3c => "w3c",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| {
            f.name().eq_ignore_ascii_case(s) || (s == "label-studio" && *f == Format::LabelStudio)
        })
    }

    /// Whether `qari import` reads this format.
    pub fn importable(self) -> bool {
        matches!(self, Format::Brat | Format::Jsonl | Format::LabelStudio)
    }
}

/// The files an export writes, and warnings about what the format could not hold.
#[derive(Clone, Debug, Default)]
pub struct Export {
    pub files: Vec<ExportFile>,
    pub warnings: Vec<String>,
}

/// Export documents in `format`: brat, CoNLL and W3C write files per document
/// (`NAME.txt`+`NAME.ann`, `NAME.conll`, `NAME.jsonld`); JSONL and Label Studio one file
/// for all (`annotations.jsonl`, `labelstudio.json`).
pub fn export(format: Format, docs: &[AnnotatedDoc], only: Only) -> Result<Export, ExportError> {
    let mut out = Export::default();
    match format {
        Format::Brat => {
            for d in docs {
                let f = brat::export(d, only)?;
                out.files.push(f.txt);
                out.files.push(f.ann);
            }
        }
        Format::Conll => {
            for d in docs {
                let c = conll::export(d, only)?;
                out.files.push(c.file);
                out.warnings.extend(c.warnings);
            }
        }
        Format::W3c => {
            for d in docs {
                out.files.push(w3c::export(d, only)?);
            }
        }
        Format::Jsonl => out
            .files
            .push(jsonl::export("annotations.jsonl", docs, only)?),
        Format::LabelStudio => {
            out.files
                .push(label_studio::export("labelstudio.json", docs, only)?)
        }
    }
    Ok(out)
}

/// Names for exported documents: the file stem, made unique with `-2`, `-3`… and kept to
/// characters every file system takes.
pub fn export_names<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for p in paths {
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let clean: String = stem
            .chars()
            .map(|c| {
                if c.is_control()
                    || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let base = if clean.is_empty() || clean == "-" {
            "stdin".to_string()
        } else {
            clean
        };
        let mut name = base.clone();
        let mut n = 1;
        while !seen.insert(name.clone()) {
            n += 1;
            name = format!("{base}-{n}");
        }
        out.push(name);
    }
    out
}

/// Write export files into `dir` (created if needed), each atomically (a temporary file
/// renamed over the target), and return their paths. Errors name the file.
pub fn write_files(dir: &Path, files: &[ExportFile]) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {}", dir.display(), e))?;
    let mut written = Vec::with_capacity(files.len());
    for f in files {
        let path = dir.join(&f.name);
        write_atomic(&path, f.contents.as_bytes())
            .map_err(|e| format!("{}: {}", path.display(), e))?;
        written.push(path);
    }
    Ok(written)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes).map_err(Failure::Io)).map_err(|e| match e {
        Failure::Io(e) => e,
        Failure::Export(e) => io::Error::other(e.to_string()),
    })
}

/// Why a streamed export stopped.
enum Failure {
    Io(io::Error),
    Export(ExportError),
}

/// Write `path` atomically from `fill`: into a temporary file beside it, synced, then
/// renamed over it; on failure the temporary file is removed and `path` is untouched.
fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut io::BufWriter<std::fs::File>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut w = io::BufWriter::new(std::fs::File::create(&tmp).map_err(Failure::Io)?);
        fill(&mut w)?;
        let f = w.into_inner().map_err(|e| Failure::Io(e.into_error()))?;
        f.sync_all().map_err(Failure::Io)?;
        std::fs::rename(&tmp, path).map_err(Failure::Io)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// [`export`] then [`write_files`], one document at a time: `doc_at(i)` gives document
/// `i` of `count` when it is its turn, so only one document's text and output are in
/// memory at once (a reader of 100,000 files exports without holding them). The files are
/// the same, byte for byte. Returns the files written and the warnings; an error names
/// the file or the annotation.
pub fn export_to_dir(
    format: Format,
    count: usize,
    mut doc_at: impl FnMut(usize) -> AnnotatedDoc,
    only: Only,
    dir: &Path,
) -> Result<(Vec<PathBuf>, Vec<String>), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {}", dir.display(), e))?;
    let mut written = Vec::new();
    let mut warnings = Vec::new();
    let one_file = match format {
        Format::Jsonl => "annotations.jsonl",
        Format::LabelStudio => "labelstudio.json",
        Format::Brat | Format::Conll | Format::W3c => {
            for i in 0..count {
                let doc = doc_at(i);
                let out =
                    export(format, std::slice::from_ref(&doc), only).map_err(|e| e.to_string())?;
                warnings.extend(out.warnings);
                written.extend(write_files(dir, &out.files)?);
            }
            return Ok((written, warnings));
        }
    };
    let path = dir.join(one_file);
    let result = write_atomic_with(&path, |w| {
        let io = Failure::Io;
        if format == Format::LabelStudio {
            // As `serde_json::to_string_pretty` writes the whole array: each task
            // indented by two spaces, tasks separated by `,` and a line end.
            w.write_all(b"[").map_err(io)?;
            for i in 0..count {
                let task = label_studio::export_task(&doc_at(i), only).map_err(Failure::Export)?;
                let pretty = serde_json::to_string_pretty(&task).unwrap_or_default();
                w.write_all(if i == 0 { b"\n" } else { b",\n" })
                    .map_err(io)?;
                for (k, line) in pretty.lines().enumerate() {
                    if k > 0 {
                        w.write_all(b"\n").map_err(io)?;
                    }
                    w.write_all(b"  ").map_err(io)?;
                    w.write_all(line.as_bytes()).map_err(io)?;
                }
            }
            w.write_all(if count == 0 { b"]\n" } else { b"\n]\n" })
                .map_err(io)
        } else {
            for i in 0..count {
                let line = jsonl::export_line(&doc_at(i), only).map_err(Failure::Export)?;
                w.write_all(line.as_bytes()).map_err(io)?;
                w.write_all(b"\n").map_err(io)?;
            }
            Ok(())
        }
    });
    match result {
        Ok(()) => {
            written.push(path);
            Ok((written, warnings))
        }
        Err(Failure::Io(e)) => Err(format!("{}: {}", path.display(), e)),
        Err(Failure::Export(e)) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(id: &str, s: usize, e: usize, status: Status) -> Annotation {
        Annotation {
            status,
            ..Annotation::new(id, s, e, "PER")
        }
    }

    #[test]
    fn stored_annotations_hide_overlapping_suggestions() {
        let sugg = vec![
            ann("e1", 0, 10, Status::Suggested),
            ann("e2", 20, 30, Status::Suggested),
            ann("e3", 40, 50, Status::Suggested),
            ann("e4", 40, 50, Status::Suggested),
        ];
        let stored = vec![
            ann("a", 0, 10, Status::Rejected),
            ann("b", 25, 35, Status::Confirmed),
        ];
        let p = pending_suggestions(&stored, &sugg);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].id, "sug:40-50");
        assert!(is_pending(&p[0].id));
        let d = DocAnnotations::new(stored, vec![], vec![], &sugg, vec![]);
        assert_eq!(d.merged().len(), 3);
        assert_eq!(d.article_review(0..20), Review::InProgress);
        assert_eq!(d.article_review(36..60), Review::Unreviewed);
        assert_eq!(
            d.merged()
                .iter()
                .filter(|a| a.status == Status::Suggested && a.start >= 36)
                .count(),
            1
        );
        let d = DocAnnotations {
            reviews: vec![(36, Review::Done)],
            ..d
        };
        assert_eq!(d.article_review(36..60), Review::Done);
    }

    #[test]
    fn export_names_are_unique_and_safe() {
        let paths = [
            Path::new("a/news.txt"),
            Path::new("b/news.html"),
            Path::new("-"),
            Path::new("x/bad\u{1b}name.txt"),
        ];
        assert_eq!(
            export_names(paths),
            vec!["news", "news-2", "stdin", "bad_name"]
        );
    }

    #[test]
    fn formats_parse_by_name() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.name()), Some(f));
        }
        assert_eq!(Format::parse("label-studio"), Some(Format::LabelStudio));
        assert_eq!(Format::parse("xml"), None);
        assert!(!Format::Conll.importable());
    }

    #[test]
    fn streamed_export_writes_the_same_files() {
        let mut a = Annotation::new("T1", 0, 10, "PER");
        a.status = Status::Confirmed;
        a.wikidata = Some("Q7747".into());
        let mut b = Annotation::new("sug:28-36", 28, 36, "LOC");
        b.status = Status::Suggested;
        b.note = Some("ملاحظة".into());
        let docs = [
            AnnotatedDoc {
                name: "one".into(),
                text: "بوتين قال 🙂 في جنيف اليوم\r\nوغدا".into(),
                annotations: vec![a.clone(), b],
            },
            AnnotatedDoc {
                name: "two".into(),
                text: "لا شيء هنا".into(),
                annotations: vec![],
            },
            AnnotatedDoc {
                name: "three".into(),
                text: "بوتين مرة أخرى".into(),
                annotations: vec![a],
            },
        ];
        let read = |dir: &Path| -> Vec<(String, Vec<u8>)> {
            let mut v: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        for format in Format::ALL {
            for only in [Only::Confirmed, Only::All] {
                for n in [0, 1, 3] {
                    let batch = tempfile::tempdir().unwrap();
                    let streamed = tempfile::tempdir().unwrap();
                    let out = export(format, &docs[..n], only).unwrap();
                    write_files(batch.path(), &out.files).unwrap();
                    let (paths, warnings) =
                        export_to_dir(format, n, |i| docs[i].clone(), only, streamed.path())
                            .unwrap();
                    assert_eq!(warnings, out.warnings);
                    assert_eq!(paths.len(), out.files.len(), "{format:?} {n}");
                    assert_eq!(
                        read(streamed.path()),
                        read(batch.path()),
                        "{format:?} {only:?} {n}"
                    );
                }
            }
        }
    }
}
