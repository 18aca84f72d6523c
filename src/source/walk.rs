//! Listing paths (fast: no file is read) and loading entries, one by one, in the
//! background or all at once.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

use super::meta::{is_sidecar, read_sidecar};
use super::{build_document, build_documents, Document, ErrorKind, LoadError, LoadOptions};

/// Extensions loaded when walking a folder (files named on the command line load
/// whatever their extension). Files without an extension are loaded too.
pub const FOLDER_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "jsonl", "ndjson",
];

/// A file to load, found by [`list_paths`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceEntry {
    /// The file path, or `-` for standard input.
    pub path: PathBuf,
    /// Size in bytes when listed (0 for standard input).
    pub size: u64,
}

impl SourceEntry {
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }
}

/// List what `paths` name, without reading any file: files as given, folders walked
/// recursively in natural order (`2.txt` before `10.txt`; hidden entries, `*.meta.toml`
/// sidecars and files with other extensions than [`FOLDER_EXTENSIONS`] skipped; symbolic
/// links to folders not followed), `-` kept for standard input. A missing or unreadable
/// path gives a [`LoadError`] and the others are still listed.
pub fn list_paths(paths: &[PathBuf]) -> (Vec<SourceEntry>, Vec<LoadError>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            entries.push(SourceEntry {
                path: p.clone(),
                size: 0,
            });
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk_dir(p, &mut entries, &mut errors),
            // Files, and named pipes or devices (`<(command)`, `/dev/stdin`): those are
            // read up to the size limit like standard input.
            Ok(m) => entries.push(SourceEntry {
                path: p.clone(),
                size: if m.is_file() { m.len() } else { 0 },
            }),
            Err(e) => errors.push(io_error(p, &e)),
        }
    }
    (entries, errors)
}

fn walk_dir(dir: &Path, entries: &mut Vec<SourceEntry>, errors: &mut Vec<LoadError>) {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(io_error(dir, &e));
            return;
        }
    };
    let mut children: Vec<(String, PathBuf)> = Vec::new();
    for ent in rd {
        match ent {
            Ok(ent) => {
                let name = ent.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') {
                    children.push((name, ent.path()));
                }
            }
            Err(e) => errors.push(io_error(dir, &e)),
        }
    }
    children.sort_by(|a, b| natord::compare(&a.0, &b.0).then_with(|| a.0.cmp(&b.0)));
    for (_, path) in children {
        // symlink_metadata: a link to a folder is not followed (no loops); a link to a
        // file is read through.
        let Ok(lm) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if lm.is_dir() {
            walk_dir(&path, entries, errors);
            continue;
        }
        if is_sidecar(&path) || !has_folder_extension(&path) {
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => entries.push(SourceEntry {
                path,
                size: m.len(),
            }),
            Ok(_) => {}
            Err(e) => errors.push(io_error(&path, &e)),
        }
    }
}

fn has_folder_extension(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        None => true,
        Some(e) => FOLDER_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)),
    }
}

pub(super) fn io_error(path: &Path, e: &std::io::Error) -> LoadError {
    use std::io::ErrorKind as K;
    let (kind, reason) = match e.kind() {
        K::NotFound => (ErrorKind::Missing, "no such file or folder".to_owned()),
        K::PermissionDenied => (ErrorKind::Unreadable, "permission denied".to_owned()),
        _ => (ErrorKind::Unreadable, format!("cannot read: {e}")),
    };
    LoadError::new(path, kind, reason)
}

/// Read and load one entry (its sidecar too). Never panics on any input.
pub fn load_entry(entry: &SourceEntry, opts: &LoadOptions) -> Result<Document, LoadError> {
    let (bytes, sidecar) = read_entry(entry, opts)?;
    let mut doc = build_document(entry.path.clone(), bytes, sidecar, opts)?;
    make_evictable(&mut doc, entry, opts);
    Ok(doc)
}

/// A document read from a file can drop its text and read it again
/// ([`super::DocText::evict`]); one from standard input cannot.
fn make_evictable(doc: &mut Document, entry: &SourceEntry, opts: &LoadOptions) {
    if entry.is_stdin() {
        return;
    }
    // Plain UTF-8 text with nothing replaced is the file's bytes (after a BOM): read just
    // those bytes again.
    let unchanged = doc.format == super::Format::Text
        && doc.encoding == "UTF-8"
        && !doc
            .warnings
            .iter()
            .any(|w| w.kind == super::ErrorKind::Undecodable);
    let bom = if doc.encoding_origin == super::EncodingOrigin::Bom {
        3
    } else {
        0
    };
    let offset = doc.part.map_or(0, |p| p.offset) as u64;
    doc.text.set_reload(super::Reload {
        path: entry.path.clone(),
        opts: opts.clone(),
        part: doc.part,
        raw_start: unchanged.then_some(bom + offset),
    });
}

/// Like [`load_entry`], but a large plain-text file comes as parts
/// ([`LoadOptions::part_bytes`]), each given to `emit` when built.
pub fn load_entry_parts(
    entry: &SourceEntry,
    opts: &LoadOptions,
    emit: &mut dyn FnMut(Document) -> ControlFlow<()>,
) -> Result<(), LoadError> {
    let (bytes, sidecar) = read_entry(entry, opts)?;
    build_documents(entry.path.clone(), bytes, sidecar, opts, &mut |mut doc| {
        make_evictable(&mut doc, entry, opts);
        emit(doc)
    })
}

type Sidecar = Option<Result<super::meta::Sidecar, LoadError>>;

fn read_entry(entry: &SourceEntry, opts: &LoadOptions) -> Result<(Vec<u8>, Sidecar), LoadError> {
    let path = &entry.path;
    let mut bytes = Vec::new();
    if entry.is_stdin() {
        std::io::stdin()
            .lock()
            .take(opts.max_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                LoadError::new(
                    path,
                    ErrorKind::Unreadable,
                    format!("cannot read standard input: {e}"),
                )
            })?;
    } else {
        let file = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        if size > opts.max_bytes {
            return Err(LoadError::new(
                path,
                ErrorKind::TooLarge,
                format!(
                    "file is {size} bytes, more than the limit of {} bytes",
                    opts.max_bytes
                ),
            ));
        }
        bytes.reserve_exact(size as usize);
        file.take(opts.max_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(path, &e))?;
    }
    let sidecar = if entry.is_stdin() {
        None
    } else {
        read_sidecar(path)
    };
    Ok((bytes, sidecar))
}

/// What the loader reports, in entry order.
#[derive(Debug)]
pub enum LoadEvent {
    /// Entry `index` loaded (progress: `index + 1` of the entries given). A large file
    /// loaded in parts gives one event per part, `more` set on all but the last.
    Loaded {
        index: usize,
        document: Box<Document>,
        more: bool,
    },
    /// Entry `index` could not be loaded.
    Failed { index: usize, error: LoadError },
}

/// Load entries in order on this thread, reporting each one. Return
/// `ControlFlow::Break(())` from `on_event` to stop early.
pub fn load_each(
    entries: &[SourceEntry],
    opts: &LoadOptions,
    mut on_event: impl FnMut(LoadEvent) -> ControlFlow<()>,
) {
    for (index, entry) in entries.iter().enumerate() {
        if opts.part_bytes.is_some() {
            // Parts go out as they are built; the last one is held back one step so that
            // it can say it is the last.
            let mut held: Option<Document> = None;
            let mut stopped = false;
            let result = load_entry_parts(entry, opts, &mut |doc| {
                if let Some(prev) = held.replace(doc) {
                    let ev = LoadEvent::Loaded {
                        index,
                        document: Box::new(prev),
                        more: true,
                    };
                    if on_event(ev).is_break() {
                        stopped = true;
                        return ControlFlow::Break(());
                    }
                }
                ControlFlow::Continue(())
            });
            if stopped {
                return;
            }
            let ev = match (result, held) {
                (Err(error), None) => LoadEvent::Failed { index, error },
                (_, Some(doc)) => LoadEvent::Loaded {
                    index,
                    document: Box::new(doc),
                    more: false,
                },
                (Ok(()), None) => continue,
            };
            if on_event(ev).is_break() {
                return;
            }
            continue;
        }
        let ev = match load_entry(entry, opts) {
            Ok(doc) => LoadEvent::Loaded {
                index,
                document: Box::new(doc),
                more: false,
            },
            Err(error) => LoadEvent::Failed { index, error },
        };
        if on_event(ev).is_break() {
            return;
        }
    }
}

/// [`load_each`] on a new thread: list first (fast), show the first document as soon as
/// its event arrives, let the rest load in the background. `on_event` typically sends on
/// a channel and breaks when the receiver is gone:
///
/// ```no_run
/// use std::ops::ControlFlow;
/// use qari::source::{list_paths, spawn_loader, LoadOptions};
/// let (entries, _errors) = list_paths(&["corpus".into()]);
/// let (tx, rx) = std::sync::mpsc::channel();
/// let total = entries.len();
/// spawn_loader(entries, LoadOptions::default(), move |ev| {
///     if tx.send(ev).is_ok() { ControlFlow::Continue(()) } else { ControlFlow::Break(()) }
/// })
/// .expect("a thread");
/// for (done, ev) in rx.iter().enumerate() {
///     eprintln!("{}/{total}", done + 1);
///     # let _ = ev;
/// }
/// ```
pub fn spawn_loader(
    entries: Vec<SourceEntry>,
    opts: LoadOptions,
    on_event: impl FnMut(LoadEvent) -> ControlFlow<()> + Send + 'static,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("qari-loader".into())
        .spawn(move || load_each(&entries, &opts, on_event))
}
