//! `qari entities [--json] [--encoding LABEL] [PATH...]`: the named entities of each
//! article (type, canonical form, Wikidata id, mentions) and the entities linked across
//! all inputs. No PATH: the embedded sample corpus. The JSON schema is documented in
//! `docs/entities.md`; offsets there are Unicode code points of the decoded text, end
//! exclusive.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use serde::Serialize;

use crate::entities::link::{link_corpus, ArticleRef, CorpusEntity};
use crate::entities::{ArticleEntities, Tagger};
use crate::source::{list_paths, Document, LoadOptions};

#[derive(clap::Args, Debug)]
pub struct EntitiesArgs {
    /// Print JSON (offsets in Unicode code points, end exclusive) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Decode every file with this encoding instead of detecting it.
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,
    /// Files, folders and `-` for standard input (default: the embedded sample corpus).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct JsonMention {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct JsonEntity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub canonical: String,
    pub wikidata: Option<String>,
    pub english: Option<String>,
    pub mentions: Vec<JsonMention>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct JsonArticle {
    pub title: String,
    pub start: usize,
    pub end: usize,
    pub entities: Vec<JsonEntity>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct JsonDocument {
    pub path: String,
    pub articles: Vec<JsonArticle>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct JsonOccurrence {
    pub document: usize,
    pub article: usize,
    pub mentions: usize,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct JsonCorpusEntity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub canonical: String,
    pub wikidata: Option<String>,
    pub english: Option<String>,
    pub mentions: usize,
    pub occurrences: Vec<JsonOccurrence>,
}

/// A document's entities with code point offsets.
pub fn json_document(doc: &Document, tagged: &[ArticleEntities]) -> JsonDocument {
    let idx = doc.char_index();
    let cp = |b: usize| idx.to_chars(&doc.text, b);
    JsonDocument {
        path: doc.display_path(),
        articles: doc
            .articles
            .iter()
            .zip(tagged)
            .map(|(a, t)| JsonArticle {
                title: a.title.clone(),
                start: cp(a.range.start),
                end: cp(a.range.end),
                entities: t
                    .entities
                    .iter()
                    .map(|e| JsonEntity {
                        id: e.key.clone(),
                        kind: e.kind.name(),
                        canonical: e.canonical.clone(),
                        wikidata: e.wikidata.clone(),
                        english: e.english.clone(),
                        mentions: e
                            .mentions
                            .iter()
                            .map(|&m| {
                                let r = t.mentions[m].range.clone();
                                JsonMention {
                                    start: cp(r.start),
                                    end: cp(r.end),
                                    text: doc.text[r].to_owned(),
                                }
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn json_corpus(linked: &[CorpusEntity]) -> Vec<JsonCorpusEntity> {
    linked
        .iter()
        .map(|e| JsonCorpusEntity {
            id: e.id.clone(),
            kind: e.kind.name(),
            canonical: e.canonical.clone(),
            wikidata: e.wikidata.clone(),
            english: e.english.clone(),
            mentions: e.mention_count,
            occurrences: e
                .occurrences
                .iter()
                .map(|o| JsonOccurrence {
                    document: o.document(),
                    article: o.article(),
                    mentions: o.mentions as usize,
                })
                .collect(),
        })
        .collect()
}

/// Run the command. Exit code: 0 when every path loaded, 1 when some could not (the
/// others are still printed), 2 for a bad `--encoding`.
pub fn run(args: &EntitiesArgs) -> anyhow::Result<i32> {
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
    let tagger = Tagger::shared();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = false;
    let mut all: Vec<(usize, Vec<ArticleEntities>)> = Vec::new();
    let mut n_docs = 0usize;
    if args.json {
        if let Err(e) = out.write_all(b"{\"documents\":[") {
            return finish(Err(e), failed);
        }
    }
    let mut handle = |doc: &Document, out: &mut BufWriter<io::StdoutLock<'_>>| -> io::Result<()> {
        let tagged = tagger.tag_document(doc);
        let r = if args.json {
            if n_docs > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, &json_document(doc, &tagged)).map_err(io::Error::other)
        } else {
            write_human(out, doc, &tagged)
        };
        all.push((n_docs, tagged));
        n_docs += 1;
        r
    };
    if args.paths.is_empty() {
        for (name, text) in crate::corpus::SAMPLE {
            match Document::from_bytes(*name, text.as_bytes(), &opts) {
                Ok(doc) => {
                    if let Err(e) = handle(&doc, &mut out) {
                        return finish(Err(e), failed);
                    }
                }
                Err(e) => {
                    failed = true;
                    super::error_line(e);
                }
            }
        }
    } else {
        let (entries, errors) = list_paths(&args.paths);
        failed |= !errors.is_empty();
        for e in &errors {
            super::error_line(e);
        }
        let (load_failed, write_err) =
            super::for_each_document(&entries, &opts, &mut out, &mut handle);
        failed |= load_failed;
        if let Some(e) = write_err {
            return finish(Err(e), failed);
        }
    }
    let refs: Vec<ArticleRef<'_>> = all
        .iter()
        .flat_map(|(d, arts)| {
            arts.iter().enumerate().map(move |(a, t)| ArticleRef {
                document: *d,
                article: a,
                entities: t,
            })
        })
        .collect();
    let linked = link_corpus(&refs);
    let tail = if args.json {
        out.write_all(b"],\"corpus\":")
            .and_then(|_| {
                serde_json::to_writer(&mut out, &json_corpus(&linked)).map_err(io::Error::other)
            })
            .and_then(|_| out.write_all(b"}\n"))
    } else {
        write_corpus_human(&mut out, &linked)
    };
    finish(tail.and_then(|_| out.flush()), failed)
}

fn finish(res: io::Result<()>, failed: bool) -> anyhow::Result<i32> {
    match res {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(if failed { 1 } else { 0 }),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(if failed { 1 } else { 0 }),
    }
}

fn write_safe(out: &mut impl Write, s: &str) -> io::Result<()> {
    out.write_all(crate::layout::visible_controls(s).as_bytes())
}

fn write_human(out: &mut impl Write, doc: &Document, tagged: &[ArticleEntities]) -> io::Result<()> {
    let idx = doc.char_index();
    let cp = |b: usize| idx.to_chars(&doc.text, b);
    let mut s = String::new();
    s.push_str(&doc.display_path());
    s.push('\n');
    for (n, (a, t)) in doc.articles.iter().zip(tagged).enumerate() {
        s.push_str(&format!("  article {}: {}\n", n + 1, a.title));
        if t.entities.is_empty() {
            s.push_str("    (no entities)\n");
        }
        for e in &t.entities {
            let wd = e
                .wikidata
                .as_deref()
                .map(|w| format!(" {w}"))
                .unwrap_or_default();
            s.push_str(&format!(
                "    {:<4} {}{wd} ×{}:",
                e.kind.name(),
                e.canonical,
                e.mentions.len()
            ));
            for &m in &e.mentions {
                let r = t.mentions[m].range.clone();
                s.push_str(&format!(
                    " {} [{}..{}]",
                    &doc.text[r.clone()],
                    cp(r.start),
                    cp(r.end)
                ));
            }
            s.push('\n');
        }
    }
    s.push('\n');
    write_safe(out, &s)
}

fn write_corpus_human(out: &mut impl Write, linked: &[CorpusEntity]) -> io::Result<()> {
    let mut s = String::from("corpus\n");
    if linked.is_empty() {
        s.push_str("  (no entities)\n");
    }
    for e in linked {
        let wd = e
            .wikidata
            .as_deref()
            .map(|w| format!(" {w}"))
            .unwrap_or_default();
        let docs: std::collections::BTreeSet<usize> =
            e.occurrences.iter().map(|o| o.document()).collect();
        s.push_str(&format!(
            "  {:<4} {}{wd}: {} mention{} in {} article{} of {} document{}\n",
            e.kind.name(),
            e.canonical,
            e.mention_count,
            if e.mention_count == 1 { "" } else { "s" },
            e.occurrences.len(),
            if e.occurrences.len() == 1 { "" } else { "s" },
            docs.len(),
            if docs.len() == 1 { "" } else { "s" },
        ));
    }
    write_safe(out, &s)
}
