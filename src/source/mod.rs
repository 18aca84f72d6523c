//! Sources: turn the files a reader has into documents made of articles made of blocks.
//!
//! This module is pure (no terminal code). Its one rule is that **logical text is the
//! truth**: a [`Document`] owns the decoded text of its file in [`Document::text`], and
//! everything else — articles, blocks, titles — is a view onto it expressed as **byte
//! ranges** into that text. Nothing is deleted or rewritten: scraping junk is not removed,
//! it is merely given the kind [`BlockKind::Boilerplate`], so a reader can hide or show it
//! and an annotation made on the cleaned view still points into the original text.
//!
//! # Invariants (tested in `tests/sources_*.rs`)
//! * The articles of a document tile its text: the first starts at 0, each starts where
//!   the previous ends, the last ends at `text.len()`. An empty text has no articles.
//! * The blocks of an article tile the article range the same way. Whitespace between
//!   content (line ends, blank lines, indentation, trailing spaces) is kept in blocks of
//!   kind [`BlockKind::Blank`]; content blocks start and end on non-whitespace.
//! * All ranges are on `char` boundaries. Code points are only computed at the export
//!   boundary, with [`CharIndex`].
//!
//! # What "decoded text" means per format
//! * Plain text: the file decoded to UTF-8 (a byte order mark is not text and is dropped;
//!   CRLF and CR line ends are kept as they are).
//! * JSON Lines: per record, its `title` (if any), a blank line, its `text`, records
//!   separated by a blank line — the JSON-unescaped strings, not the raw JSON.
//! * HTML: the text the readability extraction keeps — title, then each block element's
//!   text (whitespace collapsed as a browser would), separated by blank lines.
//!
//! # Entry points
//! * [`load_paths`]: load files, folders (recursive, natural order) and `-` (stdin).
//! * [`Document::from_bytes`]: load from memory (e.g. the sample corpus in the binary).
//! * [`list_paths`] + [`load_entry`] / [`load_each`] / [`spawn_loader`]: list a big folder
//!   quickly, then load lazily or on a background thread with progress events.

mod decode;
mod html;
mod jsonl;
mod meta;
mod offsets;
mod rules;
mod structure;
mod text;
mod walk;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

pub use decode::{EncodingOrigin, LineEnds};
pub use meta::{MetaOrigin, SourceMeta};
pub use offsets::CharIndex;
pub use rules::{normalize_key, Rules, RulesError};
pub use text::{DocText, Reload};
pub use walk::{
    list_paths, load_each, load_entry, spawn_loader, LoadEvent, SourceEntry, FOLDER_EXTENSIONS,
};

/// What a block is. Serialised in lowercase (`"listitem"`, `"boilerplate"`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// The article's title (at most one per article).
    Title,
    /// A sub-heading inside the article.
    Heading,
    /// Body text.
    Paragraph,
    /// An item of a bulleted or numbered list (the marker is part of the block).
    ListItem,
    /// A quotation set apart from the body.
    Quote,
    /// A photo caption.
    Caption,
    /// A byline or dateline ("وكالات", "دبي - الشرق", "وكالة الناس –").
    Byline,
    /// Scraping junk: navigation residue, comment forms, "read also" tails, repeated
    /// titles and captions… Kept in the text, hidden by a reader that wants to.
    Boilerplate,
    /// Whitespace between content blocks (line ends, blank lines, indentation).
    Blank,
}

impl BlockKind {
    /// The lowercase name used in JSON and in `qari outline`.
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Title => "title",
            BlockKind::Heading => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem => "listitem",
            BlockKind::Quote => "quote",
            BlockKind::Caption => "caption",
            BlockKind::Byline => "byline",
            BlockKind::Boilerplate => "boilerplate",
            BlockKind::Blank => "blank",
        }
    }

    /// True for the kinds a clean reading view shows (everything but boilerplate and blank).
    pub fn is_content(self) -> bool {
        !matches!(self, BlockKind::Boilerplate | BlockKind::Blank)
    }
}

/// A run of the document text with a kind. 12 bytes: a reader keeps the blocks of every
/// document of a corpus (texts are limited to `u32` offsets, see [`build_document`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    start: u32,
    end: u32,
    rule: Option<rules::RuleId>,
}

impl Block {
    /// A block over `range` (byte offsets below 4 GiB).
    pub fn new(kind: BlockKind, range: Range<usize>, rule: Option<&'static str>) -> Block {
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Block {
            kind,
            start: at(range.start),
            end: at(range.end),
            rule: rule.map(rules::RuleId::of),
        }
    }

    /// Byte range into [`Document::text`].
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// For boilerplate: the name of the rule that matched (see `assets/boilerplate.toml`,
    /// plus the built-in `repeated` and `listing-entry`). `None` for other kinds.
    pub fn rule(&self) -> Option<&'static str> {
        self.rule.map(rules::RuleId::name)
    }

    /// The block's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range()]
    }
}

impl std::fmt::Debug for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Block")
            .field("kind", &self.kind)
            .field("range", &self.range())
            .field("rule", &self.rule())
            .finish()
    }
}

/// Metadata carried by one article (from a JSON Lines record or inferred from its byline).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleMeta {
    pub source: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
}

/// One article of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// Display title: the title block's text with list markers and extra spaces removed,
    /// else the document's metadata title, else the file name.
    pub title: String,
    /// Byte range into [`Document::text`]; the articles tile the text.
    pub range: Range<usize>,
    /// The blocks, tiling `range`.
    pub blocks: Vec<Block>,
    pub meta: ArticleMeta,
}

impl Article {
    /// The blocks a clean view shows (no boilerplate, no blank), or all but blank ones.
    pub fn visible_blocks(&self, show_boilerplate: bool) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(move |b| {
            b.kind != BlockKind::Blank && (show_boilerplate || b.kind != BlockKind::Boilerplate)
        })
    }
}

/// The format a document was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Html,
    Jsonl,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Jsonl => "jsonl",
        }
    }
}

/// A loaded file.
#[derive(Clone, Debug)]
pub struct Document {
    /// The path as given (or as found in a folder); `-` for standard input; the name
    /// given to [`Document::from_bytes`].
    pub path: PathBuf,
    pub format: Format,
    /// The encoding used, as named by the Encoding Standard (`UTF-8`, `UTF-16LE`,
    /// `windows-1256`, `ISO-8859-6`, …).
    pub encoding: &'static str,
    /// Why that encoding was chosen.
    pub encoding_origin: EncodingOrigin,
    pub line_ends: LineEnds,
    /// The decoded text: every range in this document points into it. A reader may drop
    /// it from memory and read it again ([`DocText`]); it reads as a `&str`.
    pub text: DocText,
    pub meta: SourceMeta,
    pub articles: Vec<Article>,
    /// Problems that did not stop the file from loading (a bad JSON Lines record, an
    /// unreadable sidecar…), each naming the file.
    pub warnings: Vec<LoadError>,
    /// For a large file loaded in parts ([`LoadOptions::part_bytes`]): which part this is
    /// (1-based) and the byte offset of its text in the whole decoded file.
    pub part: Option<Part>,
}

/// A part of a large file: the text of a [`Document`] is bytes `offset..` of the file's
/// decoded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    pub number: usize,
    pub offset: usize,
}

impl Document {
    /// A name that tells parts apart: the path, plus `#partN` for a part.
    pub fn key_name(&self) -> String {
        let p = self.path.to_string_lossy();
        match self.part {
            Some(part) => format!("{p}#part{}", part.number),
            None => p.into_owned(),
        }
    }
}

impl Document {
    /// Load a document from bytes in memory. `name` is used as its path (for display, for
    /// the format guess by extension, and as the source of last resort); no sidecar is
    /// read.
    pub fn from_bytes(
        name: impl Into<PathBuf>,
        bytes: &[u8],
        opts: &LoadOptions,
    ) -> Result<Document, LoadError> {
        build_document(name.into(), bytes.to_vec(), None, opts)
    }

    /// A code point index over the text, for converting byte offsets at the export boundary.
    pub fn char_index(&self) -> CharIndex {
        CharIndex::new(&self.text)
    }

    /// The path as shown to people (`-` for standard input).
    pub fn display_path(&self) -> String {
        self.path.display().to_string()
    }

    /// Every block of every article, in text order.
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.articles.iter().flat_map(|a| a.blocks.iter())
    }
}

/// What went wrong with one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The path does not exist.
    Missing,
    /// The path exists but cannot be read (permissions, I/O error, not a file…).
    Unreadable,
    /// The file holds NUL bytes or control characters: not text.
    Binary,
    /// The bytes are not valid in the chosen or detected encoding.
    Undecodable,
    /// Larger than [`LoadOptions::max_bytes`].
    TooLarge,
    /// A JSON Lines record (or the whole file) is not usable.
    BadRecord,
    /// A `NAME.meta.toml` sidecar is not valid.
    BadSidecar,
}

/// A problem with one file: its path and a reason a person can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub path: PathBuf,
    pub kind: ErrorKind,
    pub reason: String,
}

impl LoadError {
    pub(crate) fn new(path: &Path, kind: ErrorKind, reason: impl Into<String>) -> Self {
        LoadError {
            path: path.to_path_buf(),
            kind,
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for LoadError {}

/// How to load.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Force an encoding instead of detecting one (see [`LoadOptions::with_encoding_label`]).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Force a format instead of guessing from the extension and the content.
    pub format: Option<Format>,
    /// Boilerplate, byline and caption rules.
    pub rules: Arc<Rules>,
    /// Files larger than this are refused with [`ErrorKind::TooLarge`] (default 512 MiB).
    pub max_bytes: u64,
    /// Plain-text files whose text is longer than twice this many bytes are loaded as
    /// several documents ("parts") of about this size, cut at paragraph ends, each
    /// reported as soon as it is built (the reader: the first screen does not wait for a
    /// 100 MB file). `None` (the default, and what the commands printing offsets use):
    /// one document per file.
    pub part_bytes: Option<usize>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            encoding: None,
            format: None,
            rules: Rules::builtin(),
            max_bytes: 512 << 20,
            part_bytes: None,
        }
    }
}

impl LoadOptions {
    /// Force the encoding named by `label` (any WHATWG label: `utf-8`, `windows-1256`,
    /// `cp1256`, `iso-8859-6`, `utf-16le`, …). Errors name the unknown label.
    pub fn with_encoding_label(mut self, label: &str) -> Result<Self, String> {
        match encoding_rs::Encoding::for_label(label.trim().as_bytes()) {
            Some(enc) => {
                self.encoding = Some(enc);
                Ok(self)
            }
            None => Err(format!(
                "unknown encoding {label:?} (try utf-8, utf-16le, utf-16be, windows-1256, iso-8859-6)"
            )),
        }
    }
}

/// Load files, folders (recursively, in natural order) and `-` (standard input).
///
/// Every path that can be loaded is; each one that cannot gives one [`LoadError`] naming
/// it, and the others still load. Non-fatal problems stay in [`Document::warnings`].
pub fn load_paths(paths: &[PathBuf], opts: &LoadOptions) -> (Vec<Document>, Vec<LoadError>) {
    let (entries, mut errors) = list_paths(paths);
    let mut docs = Vec::with_capacity(entries.len());
    for entry in &entries {
        match load_entry(entry, opts) {
            Ok(doc) => docs.push(doc),
            Err(e) => errors.push(e),
        }
    }
    (docs, errors)
}

/// Decode, detect the format, recover the structure, resolve the metadata.
pub(crate) fn build_document(
    path: PathBuf,
    bytes: Vec<u8>,
    sidecar: Option<Result<meta::Sidecar, LoadError>>,
    opts: &LoadOptions,
) -> Result<Document, LoadError> {
    if bytes.len() as u64 > opts.max_bytes {
        return Err(LoadError::new(
            &path,
            ErrorKind::TooLarge,
            format!(
                "file is {} bytes, more than the limit of {} bytes",
                bytes.len(),
                opts.max_bytes
            ),
        ));
    }
    let format_hint = opts.format.or_else(|| format_from_extension(&path));
    let looks_html = format_hint == Some(Format::Html)
        || (format_hint.is_none() && decode::sniff_html_bytes(&bytes));
    let decoded = decode::decode_owned(bytes, opts.encoding, looks_html)
        .map_err(|e| LoadError::new(&path, e.0, e.1))?;
    let format = format_hint.unwrap_or_else(|| sniff_format(&decoded.text));
    let line_ends = LineEnds::detect(&decoded.text);

    let mut warnings = Vec::new();
    if let Some(w) = &decoded.replaced {
        warnings.push(LoadError::new(&path, ErrorKind::Undecodable, w.clone()));
    }
    let sidecar = match sidecar {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            warnings.push(e);
            None
        }
        None => None,
    };

    let (text, articles, extracted) = match format {
        Format::Text => {
            let text = decoded.text;
            let articles = structure::structure_plain(&text, &opts.rules);
            (text, articles, meta::Extracted::default())
        }
        Format::Jsonl => {
            let out = jsonl::parse(&path, &decoded.text, &opts.rules)?;
            warnings.extend(out.warnings);
            (out.text, out.articles, out.meta)
        }
        Format::Html => {
            let out = html::extract(&decoded.text, &opts.rules);
            (out.text, out.articles, out.meta)
        }
    };

    // Offsets are kept as `u32` (blocks, entities): far above `max_bytes`' default.
    if u32::try_from(text.len()).is_err() {
        return Err(LoadError::new(
            &path,
            ErrorKind::TooLarge,
            format!("its text is {} bytes, more than 4 GiB", text.len()),
        ));
    }
    let mut articles = articles;
    let meta = meta::resolve(&path, sidecar.as_ref(), &extracted, &articles);
    // A sidecar title names the article of a one-article file.
    if let (Some(t), [only]) = (&meta.title, articles.as_mut_slice()) {
        only.title = t.clone();
    }
    // Articles with no title of their own take the document's.
    for a in &mut articles {
        if a.title.is_empty() {
            a.title = meta
                .title
                .clone()
                .unwrap_or_else(|| meta::file_label(&path));
        }
    }
    shrink(&mut articles);
    Ok(Document {
        path,
        format,
        encoding: decoded.encoding.name(),
        encoding_origin: decoded.origin,
        line_ends,
        text: DocText::new(text),
        meta,
        articles,
        warnings,
        part: None,
    })
}

/// Like [`build_document`], but a plain-text file longer than twice
/// [`LoadOptions::part_bytes`] becomes several documents, each given to `emit` as soon as
/// it is built (stop early by returning `Break`).
pub(crate) fn build_documents(
    path: PathBuf,
    bytes: Vec<u8>,
    sidecar: Option<Result<meta::Sidecar, LoadError>>,
    opts: &LoadOptions,
    emit: &mut dyn FnMut(Document) -> std::ops::ControlFlow<()>,
) -> Result<(), LoadError> {
    let part_bytes = match opts.part_bytes {
        Some(n) if n > 0 && bytes.len() > n.saturating_mul(2) => n,
        _ => {
            let _ = emit(build_document(path, bytes, sidecar, opts)?);
            return Ok(());
        }
    };
    let format_hint = opts.format.or_else(|| format_from_extension(&path));
    let looks_html = format_hint == Some(Format::Html)
        || (format_hint.is_none() && decode::sniff_html_bytes(&bytes));
    if looks_html || !matches!(format_hint, None | Some(Format::Text)) {
        let _ = emit(build_document(path, bytes, sidecar, opts)?);
        return Ok(());
    }
    if bytes.len() as u64 > opts.max_bytes {
        return build_document(path, bytes, sidecar, opts).map(|_| ());
    }
    let decoded = decode::decode_owned(bytes, opts.encoding, false)
        .map_err(|e| LoadError::new(&path, e.0, e.1))?;
    if format_hint.is_none() && sniff_format(&decoded.text) != Format::Text {
        // JSON Lines without its extension: one document, as usual.
        let bytes = decoded.text.into_bytes();
        let opts = LoadOptions {
            encoding: Some(encoding_rs::UTF_8),
            ..opts.clone()
        };
        let _ = emit(build_document(path, bytes, sidecar, &opts)?);
        return Ok(());
    }
    let text = decoded.text;
    let mut first_warnings: Vec<LoadError> = Vec::new();
    if let Some(w) = &decoded.replaced {
        first_warnings.push(LoadError::new(&path, ErrorKind::Undecodable, w.clone()));
    }
    let sidecar = match sidecar {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            first_warnings.push(e);
            None
        }
        None => None,
    };
    let mut start = 0;
    let mut number = 0;
    while start < text.len() {
        let end = part_end(&text, start, part_bytes);
        number += 1;
        let part_text = text[start..end].to_string();
        let line_ends = LineEnds::detect(&part_text);
        let mut articles = structure::structure_plain(&part_text, &opts.rules);
        let meta = meta::resolve(
            &path,
            sidecar.as_ref(),
            &meta::Extracted::default(),
            &articles,
        );
        for a in &mut articles {
            if a.title.is_empty() {
                a.title = format!("{} · part {number}", meta::file_label(&path));
            }
        }
        shrink(&mut articles);
        let doc = Document {
            path: path.clone(),
            format: Format::Text,
            encoding: decoded.encoding.name(),
            encoding_origin: decoded.origin,
            line_ends,
            text: DocText::new(part_text),
            meta,
            articles,
            warnings: std::mem::take(&mut first_warnings),
            part: Some(Part {
                number,
                offset: start,
            }),
        };
        if emit(doc).is_break() {
            break;
        }
        start = end;
    }
    Ok(())
}

/// Where a part that starts at `start` ends: the first blank line (a paragraph end) after
/// `size` bytes, else the first line end, else a space, else a character boundary — never
/// later than twice `size` (a file with no line ends at all is still cut).
/// Give back the spare capacity of the block lists: a reader holds the articles of every
/// document of a corpus.
fn shrink(articles: &mut Vec<Article>) {
    for a in articles.iter_mut() {
        a.blocks.shrink_to_fit();
    }
    articles.shrink_to_fit();
}

/// The text of the document at `path` loaded with `opts` (part `part` of a file loaded in
/// parts), read again: what [`DocText`] calls when it was evicted.
pub(crate) fn reload_text(
    path: &Path,
    opts: &LoadOptions,
    part: Option<Part>,
) -> Result<String, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| walk::io_error(path, &e))?;
    match (part, opts.part_bytes) {
        (Some(part), Some(size)) => {
            let decoded = decode::decode_owned(bytes, opts.encoding, false)
                .map_err(|e| LoadError::new(path, e.0, e.1))?;
            let text = decoded.text;
            if part.offset > text.len() || !text.is_char_boundary(part.offset) {
                return Err(LoadError::new(
                    path,
                    ErrorKind::Unreadable,
                    "the file is shorter than when it was loaded".to_owned(),
                ));
            }
            let end = part_end(&text, part.offset, size);
            Ok(text[part.offset..end].to_owned())
        }
        _ => build_document(path.to_owned(), bytes, None, opts).map(|d| d.text.as_str().to_owned()),
    }
}

fn part_end(text: &str, start: usize, size: usize) -> usize {
    let len = text.len();
    let target = start + size;
    if target >= len || len - start <= size + size / 2 {
        return len;
    }
    let limit = (start + 2 * size).min(len);
    let window = &text.as_bytes()[target..limit];
    let find = |needle: &[u8]| {
        window
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| target + i + needle.len())
    };
    let mut end = find(b"\n\n")
        .or_else(|| find(b"\n"))
        .or_else(|| find(b" "))
        .unwrap_or(limit);
    while end < len && !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

fn format_from_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "txt" | "text" | "md" | "markdown" => Some(Format::Text),
        _ => None,
    }
}

fn sniff_format(text: &str) -> Format {
    let head = text.trim_start();
    if decode::sniff_html_str(head) {
        return Format::Html;
    }
    if head.starts_with('{') {
        let first = head.lines().next().unwrap_or("");
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(first)
        {
            if map.get("text").is_some_and(|t| t.is_string()) {
                return Format::Jsonl;
            }
        }
    }
    Format::Text
}
