//! `qari outline [--json] [--encoding LABEL] [--rules FILE] PATH...`: print each
//! document's path, encoding, source and articles with their blocks. The JSON schema is
//! documented in `docs/outline.md`.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::source::{list_paths, BlockKind, Document, LoadOptions, Rules};

#[derive(clap::Args, Debug)]
pub struct OutlineArgs {
    /// Print JSON (offsets in Unicode code points, end exclusive) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Decode every file with this encoding instead of detecting it
    /// (utf-8, utf-16le, utf-16be, windows-1256, iso-8859-6, …).
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Add the boilerplate rules of this TOML file to the built-in ones
    /// (same shape as assets/boilerplate.toml).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Files, folders (walked recursively in natural order) and `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// One document in `qari outline --json`.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct OutlineDocument {
    pub path: String,
    pub encoding: String,
    pub source: String,
    pub articles: Vec<OutlineArticle>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct OutlineArticle {
    pub title: String,
    pub start: usize,
    pub end: usize,
    pub blocks: Vec<OutlineBlock>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct OutlineBlock {
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
}

/// The outline of a document with code point offsets (all blocks, blank ones included, so
/// that they tile the text).
pub fn outline_document(doc: &Document) -> OutlineDocument {
    let idx = doc.char_index();
    let cp = |b: usize| idx.to_chars(&doc.text, b);
    OutlineDocument {
        path: doc.display_path(),
        encoding: doc.encoding.to_owned(),
        source: doc.meta.source.clone(),
        articles: doc
            .articles
            .iter()
            .map(|a| OutlineArticle {
                title: a.title.clone(),
                start: cp(a.range.start),
                end: cp(a.range.end),
                blocks: a
                    .blocks
                    .iter()
                    .map(|b| OutlineBlock {
                        kind: b.kind.name(),
                        start: cp(b.range().start),
                        end: cp(b.range().end),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Run the command. Exit code: 0 when every path loaded, 1 when some could not (the
/// others are still printed), 2 for a bad `--encoding` or `--rules`.
pub fn run(args: &OutlineArgs) -> anyhow::Result<i32> {
    let mut opts = LoadOptions::default();
    if let Some(label) = &args.encoding {
        match opts.with_encoding_label(label) {
            Ok(o) => opts = o,
            Err(e) => {
                super::error_line(e);
                return Ok(2);
            }
        }
    }
    if let Some(path) = &args.rules {
        let mut rules = (*Rules::builtin()).clone();
        let loaded = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|s| rules.extend_from_toml(&s).map_err(|e| e.to_string()));
        if let Err(e) = loaded {
            super::error_line(format_args!("{}: {e}", path.display()));
            return Ok(2);
        }
        opts.rules = Arc::new(rules);
    }

    let (entries, errors) = list_paths(&args.paths);
    let mut failed = !errors.is_empty();
    for e in &errors {
        super::error_line(e);
    }

    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut first = true;
    if args.json {
        if let Err(e) = out.write_all(b"{\"documents\":[") {
            return finish(Err(e), failed);
        }
    }
    let (load_failed, write_err) =
        super::for_each_document(&entries, &opts, &mut out, |document, out| {
            let r = if args.json {
                write_json(out, document, first)
            } else {
                write_human(out, document)
            };
            first = false;
            r
        });
    failed |= load_failed;
    if let Some(e) = write_err {
        return finish(Err(e), failed);
    }
    let tail = if args.json {
        out.write_all(b"]}\n")
    } else {
        Ok(())
    };
    finish(tail.and_then(|_| out.flush()), failed)
}

fn finish(res: io::Result<()>, failed: bool) -> anyhow::Result<i32> {
    match res {
        // `qari outline … | head` is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(if failed { 1 } else { 0 }),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(if failed { 1 } else { 0 }),
    }
}

fn write_json(out: &mut impl Write, doc: &Document, first: bool) -> io::Result<()> {
    if !first {
        out.write_all(b",")?;
    }
    serde_json::to_writer(&mut *out, &outline_document(doc)).map_err(io::Error::other)
}

/// The first words of a block, at most 8 words and 60 characters.
fn first_words(s: &str) -> String {
    let mut out = String::new();
    let mut cut = false;
    for (i, w) in s.split_whitespace().enumerate() {
        if i == 8 || out.chars().count() + w.chars().count() > 60 {
            cut = true;
            break;
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    if cut {
        out.push('…');
    }
    out
}

fn write_human(out: &mut impl Write, doc: &Document) -> io::Result<()> {
    let mut buf = Vec::new();
    write_human_raw(&mut buf, doc)?;
    // Titles and first words come from the document: control characters must not reach
    // the terminal raw.
    let text = String::from_utf8_lossy(&buf);
    out.write_all(crate::layout::visible_controls(&text).as_bytes())
}

fn write_human_raw(out: &mut impl Write, doc: &Document) -> io::Result<()> {
    let idx = doc.char_index();
    let cp = |b: usize| idx.to_chars(&doc.text, b);
    writeln!(out, "{}", doc.display_path())?;
    writeln!(
        out,
        "  encoding: {} ({}), format: {}, line ends: {}",
        doc.encoding,
        doc.encoding_origin.describe(),
        doc.format.name(),
        doc.line_ends.name()
    )?;
    writeln!(
        out,
        "  source: {} ({})",
        doc.meta.source,
        doc.meta.source_origin.describe()
    )?;
    if let Some(url) = &doc.meta.url {
        writeln!(out, "  url: {url}")?;
    }
    if let Some(date) = &doc.meta.date {
        writeln!(out, "  date: {date}")?;
    }
    if doc.articles.is_empty() {
        writeln!(out, "  (empty)")?;
    }
    for (n, a) in doc.articles.iter().enumerate() {
        writeln!(
            out,
            "  article {}: {} [{}..{}]",
            n + 1,
            a.title,
            cp(a.range.start),
            cp(a.range.end)
        )?;
        for b in a.blocks.iter().filter(|b| b.kind != BlockKind::Blank) {
            let kind = match b.rule() {
                Some(rule) => format!("{}:{rule}", b.kind.name()),
                None => b.kind.name().to_owned(),
            };
            let span = format!("{}..{}", cp(b.range().start), cp(b.range().end));
            writeln!(
                out,
                "    {kind:<28} {span:<13} {}",
                first_words(b.text(&doc.text))
            )?;
        }
    }
    writeln!(out)
}
