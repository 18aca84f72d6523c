//! Annotations and their exchange formats (the pure layer under issue 6).
//!
//! This module has no terminal code: it defines the data model of a user's annotations,
//! turns it into the files other tools read (and back), and keeps it durably in
//! [`store`] (SQLite, code-point offsets and quotes, undo/redo log).
//!
//! # Offsets
//! * In qari, **byte offsets into the document text are the truth**: [`Annotation::start`]
//!   and [`Annotation::end`] are end-exclusive byte offsets into [`AnnotatedDoc::text`], on
//!   `char` boundaries, in logical order.
//! * Every exchange format counts **Unicode code points** (what Python's `str` indexes)
//!   of the *exported* text, except CoNLL which has no offsets at all. The conversion
//!   happens here and nowhere else ([`CpMap`]). UTF-16 units (Label Studio's `<HyperText>`,
//!   WebAnno TSV, XMI) are not used by any format written here; an emoji before an entity
//!   therefore shifts nothing (the tests check it).
//!
//! # Line ends
//! Exported text always has **LF line ends** ([`LfText`]): `\r\n` becomes `\n` and a lone
//! `\r` becomes `\n`, and the exported offsets count in that LF text (a CRLF text
//! would otherwise shift every offset by one per line in Python readers with universal
//! newlines). Import reads offsets against the text found in the file, so an imported
//! [`AnnotatedDoc`] has the LF text and byte offsets into it. To put imported annotations
//! back onto the original (CRLF) document, call [`AnnotatedDoc::remap_onto`] with the
//! original text: it checks that the original text's LF form equals the imported text and
//! maps each byte offset back (an offset just after a line end maps after the `\r\n`, one
//! at a line end maps before the `\r`). The only offsets that do not survive the trip are
//! those between the `\r` and the `\n` of a CRLF, which come back before the `\r`.
//! [`suggestions`] turns the tagger's mentions into suggested annotations.
//!
//! # Statuses
//! An export takes an [`Only`]: [`Only::Confirmed`] writes confirmed annotations,
//! [`Only::All`] suggested and confirmed ones. Rejected annotations are never exported.
//! Formats keep the status as follows: brat as a binary attribute `A1\tSuggested T1`, JSONL
//! as `"status"` in the span, Label Studio as `predictions` (suggested) vs `annotations`
//! (confirmed), W3C as `"qari:status"`. CoNLL loses it (and Wikidata ids, notes and
//! nesting: its export returns warnings).
//!
//! # Formats
//! [`brat`], [`jsonl`], [`conll`], [`label_studio`] and [`w3c`] (Web Annotation), one module
//! each; brat, JSONL and Label Studio can be imported (CoNLL has no offsets to import back
//! onto a text; W3C is export only). Malformed input never panics: import returns an
//! [`ImportError`] naming the file and the line; export returns an [`ExportError`] for an
//! annotation whose offsets are not valid in its text.
//!
//! # Checks
//! Unit tests (`src/annotate/tests.rs`) pin the offsets of the notes' example (code points
//! 61–80 after a flag emoji, where UTF-16 would say 63–82) and round-trip every importable
//! format on fixtures with emoji, harakat, tatweel, ZWNJ, RLM, CRLF, a clitic-attached
//! entity, a span over a line end and an entity at the end of the text.
//! `tools/annotations/check_exports.py` re-reads every export with the fields' own parsers
//! (seqeval strict IOB2, spaCy `Doc.char_span` on `spacy.blank("ar")`, pybrat if installed,
//! plus a minimal brat reader); `tests/annotate_python.rs` runs it when `python3` imports
//! `seqeval` and `spacy`, and otherwise prints that it skipped.

pub mod brat;
pub mod conll;
pub mod jsonl;
pub mod label_studio;
pub mod review;
pub mod store;
pub mod w3c;

#[cfg(test)]
mod tests;

use std::fmt;

/// Where an annotation stands in review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Proposed by the tagger (or an import of predictions), not reviewed.
    Suggested,
    /// Accepted or made by the user.
    Confirmed,
    /// Refused by the user: kept so the suggestion does not come back, never exported.
    Rejected,
}

impl Status {
    /// `suggested`, `confirmed`, `rejected`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Suggested => "suggested",
            Status::Confirmed => "confirmed",
            Status::Rejected => "rejected",
        }
    }

    /// The inverse of [`Status::name`] (case-insensitive).
    pub fn parse(s: &str) -> Option<Status> {
        match s.to_ascii_lowercase().as_str() {
            "suggested" => Some(Status::Suggested),
            "confirmed" => Some(Status::Confirmed),
            "rejected" => Some(Status::Rejected),
            _ => None,
        }
    }
}

/// Which annotations an export writes (`--only confirmed|all`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Only {
    /// Confirmed annotations only.
    #[default]
    Confirmed,
    /// Suggested and confirmed annotations (never rejected ones).
    All,
}

impl Only {
    /// Whether an annotation with this status is exported.
    pub fn keeps(self, status: Status) -> bool {
        match status {
            Status::Confirmed => true,
            Status::Suggested => self == Only::All,
            Status::Rejected => false,
        }
    }

    /// `confirmed` or `all`.
    pub fn parse(s: &str) -> Option<Only> {
        match s {
            "confirmed" => Some(Only::Confirmed),
            "all" => Some(Only::All),
            _ => None,
        }
    }
}

/// One annotated span of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// Stable identifier (store key; formats that have ids use their own on import).
    pub id: String,
    /// Byte offset into the document text (inclusive).
    pub start: usize,
    /// Byte offset into the document text (exclusive).
    pub end: usize,
    /// `PER`, `LOC`, `ORG`, `MISC` or a user label (no whitespace).
    pub label: String,
    pub status: Status,
    /// A Wikidata id such as `Q7747`.
    pub wikidata: Option<String>,
    pub note: Option<String>,
}

impl Annotation {
    /// A confirmed annotation without link or note.
    pub fn new(id: impl Into<String>, start: usize, end: usize, label: impl Into<String>) -> Self {
        Annotation {
            id: id.into(),
            start,
            end,
            label: label.into(),
            status: Status::Confirmed,
            wikidata: None,
            note: None,
        }
    }

    /// The annotated text, if the offsets are valid in `text`.
    pub fn surface<'t>(&self, text: &'t str) -> Option<&'t str> {
        if self.start > self.end {
            return None;
        }
        text.get(self.start..self.end)
    }

    /// The quote of this annotation in `text` (see [`Quote`]).
    pub fn quote(&self, text: &str) -> Option<Quote> {
        Quote::new(text, self.start, self.end)
    }

    /// Everything but the id, for comparisons across a round trip.
    pub fn key(&self) -> AnnotationKey<'_> {
        (
            self.start,
            self.end,
            &self.label,
            self.status,
            self.wikidata.as_deref(),
            self.note.as_deref(),
        )
    }
}

/// An annotation without its id: (start, end, label, status, wikidata, note).
pub type AnnotationKey<'a> = (
    usize,
    usize,
    &'a str,
    Status,
    Option<&'a str>,
    Option<&'a str>,
);

/// Number of code points of context on each side of a [`Quote`].
pub const QUOTE_CONTEXT: usize = 32;

/// The text of an annotation and its context, to find it again in a re-scraped article
/// (the W3C `TextQuoteSelector`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    pub exact: String,
    /// Up to [`QUOTE_CONTEXT`] code points before the annotation.
    pub prefix: String,
    /// Up to [`QUOTE_CONTEXT`] code points after the annotation.
    pub suffix: String,
}

impl Quote {
    /// The quote of bytes `start..end` of `text` (`None` if not a valid range).
    pub fn new(text: &str, start: usize, end: usize) -> Option<Quote> {
        if start > end {
            return None;
        }
        let exact = text.get(start..end)?;
        let before = &text[..start];
        let p = before
            .char_indices()
            .rev()
            .nth(QUOTE_CONTEXT - 1)
            .map_or(0, |(i, _)| i);
        let after = &text[end..];
        let s = after
            .char_indices()
            .nth(QUOTE_CONTEXT)
            .map_or(after.len(), |(i, _)| i);
        Some(Quote {
            exact: exact.to_string(),
            prefix: before[p..].to_string(),
            suffix: after[..s].to_string(),
        })
    }

    /// Find the quote in `text`: among the occurrences of `exact`, the one whose context
    /// matches the prefix and suffix best (ties: the one nearest to byte `hint`). Returns
    /// a byte range, `None` if `exact` is empty or does not occur.
    pub fn locate(&self, text: &str, hint: usize) -> Option<(usize, usize)> {
        if self.exact.is_empty() {
            return None;
        }
        let mut best: Option<(usize, usize, usize)> = None; // (score, distance, start)
        for (i, _) in text.match_indices(self.exact.as_str()) {
            let end = i + self.exact.len();
            let pre = common_suffix_chars(&text[..i], &self.prefix);
            let suf = common_prefix_chars(&text[end..], &self.suffix);
            let score = pre + suf;
            let dist = i.abs_diff(hint);
            let better = match best {
                None => true,
                Some((s, d, _)) => score > s || (score == s && dist < d),
            };
            if better {
                best = Some((score, dist, i));
            }
        }
        best.map(|(_, _, i)| (i, i + self.exact.len()))
    }
}

fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn common_suffix_chars(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// A document with its annotations.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AnnotatedDoc {
    /// Name used for file names and ids (`NAME.txt`, `urn:qari:doc:NAME`).
    pub name: String,
    /// The document text (as decoded, possibly with CRLF line ends).
    pub text: String,
    pub annotations: Vec<Annotation>,
}

impl AnnotatedDoc {
    /// The annotations an export writes, checked against the text and sorted by
    /// (start, end, label).
    pub fn exported(&self, only: Only) -> Result<Vec<&Annotation>, ExportError> {
        let mut out = Vec::new();
        for a in &self.annotations {
            if !only.keeps(a.status) {
                continue;
            }
            if a.surface(&self.text).is_none() {
                return Err(ExportError {
                    doc: self.name.clone(),
                    id: a.id.clone(),
                    message: format!(
                        "offsets {}..{} are not a range of character boundaries in a text of {} bytes",
                        a.start,
                        a.end,
                        self.text.len()
                    ),
                });
            }
            if a.label.is_empty() || a.label.chars().any(char::is_whitespace) {
                return Err(ExportError {
                    doc: self.name.clone(),
                    id: a.id.clone(),
                    message: format!("label {:?} is empty or contains whitespace", a.label),
                });
            }
            out.push(a);
        }
        out.sort_by(|a, b| (a.start, a.end, &a.label).cmp(&(b.start, b.end, &b.label)));
        Ok(out)
    }

    /// Map annotations imported against the LF form of a text back onto `original`
    /// (the same text with CRLF or CR line ends). Fails if `original`'s LF form is not
    /// this document's text (a text equal to `original` maps as it is). The result has
    /// `original` as its text.
    pub fn remap_onto(&self, original: &str) -> Result<AnnotatedDoc, String> {
        if self.text == original {
            return Ok(AnnotatedDoc {
                text: original.to_string(),
                ..self.clone()
            });
        }
        let lf = LfText::new(original);
        if lf.text != self.text {
            return Err(format!(
                "{}: the imported text is not the LF form of the original text",
                self.name
            ));
        }
        let annotations = self
            .annotations
            .iter()
            .map(|a| Annotation {
                start: lf.to_original(a.start),
                end: lf.to_original(a.end),
                ..a.clone()
            })
            .collect();
        Ok(AnnotatedDoc {
            name: self.name.clone(),
            text: original.to_string(),
            annotations,
        })
    }
}

/// The tagger's mentions as suggested annotations (label `PER`/`LOC`/`ORG`/`MISC`, the
/// entity's Wikidata id when the gazetteer knows it), with ids `e1`, `e2`… in order.
/// The byte ranges are the mentions' own, into the text the tagger was given.
pub fn suggestions(articles: &[crate::entities::ArticleEntities]) -> Vec<Annotation> {
    let mut out = Vec::new();
    for art in articles {
        for m in &art.mentions {
            let mut a = Annotation::new(
                format!("e{}", out.len() + 1),
                m.range.start,
                m.range.end,
                m.kind.name(),
            );
            a.status = Status::Suggested;
            a.wikidata = art.entities.get(m.entity).and_then(|e| e.wikidata.clone());
            out.push(a);
        }
    }
    out
}

/// A text with LF line ends, and the way back to the original's byte offsets.
#[derive(Clone, Debug)]
pub struct LfText {
    pub text: String,
    /// Positions (in the LF text) of the `\n` of each `\r\n` whose `\r` was dropped.
    dropped: Vec<usize>,
    /// Positions (in the original) of those dropped `\r`.
    dropped_orig: Vec<usize>,
}

impl LfText {
    pub fn new(original: &str) -> LfText {
        let mut text = String::with_capacity(original.len());
        let mut dropped = Vec::new();
        let mut dropped_orig = Vec::new();
        let mut chars = original.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\r' {
                if chars.peek().map(|&(_, n)| n) == Some('\n') {
                    dropped.push(text.len());
                    dropped_orig.push(i);
                }
                // The `\n` of a CRLF is pushed by the next iteration; a lone CR becomes LF.
                if chars.peek().map(|&(_, n)| n) != Some('\n') {
                    text.push('\n');
                }
                continue;
            }
            text.push(c);
        }
        LfText {
            text,
            dropped,
            dropped_orig,
        }
    }

    /// Byte offset in the LF text of original byte `b` (the `\r` of a CRLF maps to
    /// its `\n`).
    pub fn from_original(&self, b: usize) -> usize {
        b - self.dropped_orig.partition_point(|&p| p < b)
    }

    /// Byte offset in the original of byte `b` of the LF text.
    pub fn to_original(&self, b: usize) -> usize {
        b + self.dropped.partition_point(|&d| d < b)
    }
}

/// Code point ↔ byte offsets of one text, built once (linear) and queried in O(log n).
#[derive(Clone, Debug)]
pub struct CpMap {
    /// Byte offset of every code point, then the text length.
    bytes: Vec<usize>,
}

impl CpMap {
    pub fn new(text: &str) -> CpMap {
        let mut bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        bytes.push(text.len());
        CpMap { bytes }
    }

    /// Code points in the text.
    pub fn len_chars(&self) -> usize {
        self.bytes.len() - 1
    }

    /// Code point offset of byte `b` (`None` if not a char boundary or out of range).
    pub fn to_cp(&self, b: usize) -> Option<usize> {
        self.bytes.binary_search(&b).ok()
    }

    /// Byte offset of code point `cp` (`None` past the end).
    pub fn to_byte(&self, cp: usize) -> Option<usize> {
        self.bytes.get(cp).copied()
    }
}

/// A file written by an export, as data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// File name (no directory).
    pub name: String,
    pub contents: String,
}

/// An annotation that cannot be exported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{doc}: annotation {id}: {message}")]
pub struct ExportError {
    pub doc: String,
    pub id: String,
    pub message: String,
}

/// A malformed import file: the file, the 1-based line (0 when not line-based), the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl ImportError {
    pub(crate) fn new(file: &str, line: usize, message: impl Into<String>) -> ImportError {
        ImportError {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for ImportError {}

/// The LF text and code point map of a document, plus its exported annotations as code
/// point ranges: the common start of every export.
pub(crate) struct Prepared<'d> {
    pub lf: LfText,
    pub map: CpMap,
    /// (annotation, LF byte start, LF byte end, cp start, cp end).
    pub spans: Vec<(&'d Annotation, usize, usize, usize, usize)>,
}

impl<'d> Prepared<'d> {
    pub fn new(doc: &'d AnnotatedDoc, only: Only) -> Result<Prepared<'d>, ExportError> {
        let anns = doc.exported(only)?;
        let lf = LfText::new(&doc.text);
        let map = CpMap::new(&lf.text);
        let mut spans = Vec::with_capacity(anns.len());
        for a in anns {
            let s = lf.from_original(a.start);
            let e = lf.from_original(a.end).max(s);
            let cs = map.to_cp(s);
            let ce = map.to_cp(e);
            let (Some(cs), Some(ce)) = (cs, ce) else {
                return Err(ExportError {
                    doc: doc.name.clone(),
                    id: a.id.clone(),
                    message: "offsets fall inside a character of the LF text".into(),
                });
            };
            spans.push((a, s, e, cs, ce));
        }
        Ok(Prepared { lf, map, spans })
    }
}
