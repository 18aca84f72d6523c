//! CoNLL IOB2: `token\tTAG` per line, a blank line between sentences.
//!
//! Tokens are qari's own ([`crate::entities::tokenize`] on the normalized text, mapped back
//! to the original characters, so a token keeps its harakat, tatweel and invisible marks).
//! Sentences end at a line end and after `.` `!` `?` `؟` `…`. Tags are strict IOB2: every
//! entity starts with `B-`, and an annotation that crosses a sentence boundary starts again
//! with `B-` in the next sentence.
//!
//! The format is lossy, and each loss is reported as a warning (never an error):
//! * a span that does not start and end on token boundaries (a clitic-attached entity,
//!   `القاهرة` inside `وبالقاهرة`) tags the whole tokens it touches;
//! * of overlapping or nested annotations, the one that starts first (the longest of those
//!   starting together) is kept and the others dropped;
//! * an empty span, or one that covers no token, is dropped;
//! * the status, Wikidata id and note are not written.

use std::ops::Range;

use super::{AnnotatedDoc, ExportError, ExportFile, Only, Prepared};
use crate::entities::normalize::Normalized;
use crate::entities::tokenize::tokenize;

/// A CoNLL file and what it could not express.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConllExport {
    pub file: ExportFile,
    pub warnings: Vec<String>,
}

/// A token of the text: a byte range of it, and whether it starts a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceToken {
    pub range: Range<usize>,
    pub sentence_start: bool,
}

/// qari's tokens of `text`, with byte ranges into `text` and sentence starts.
pub fn tokens(text: &str) -> Vec<SentenceToken> {
    let norm = Normalized::new(text);
    let mut out = Vec::new();
    let mut prev_end_of_sentence = true;
    for t in tokenize(&norm.text) {
        let Some(range) = norm.original(t.range.clone()) else {
            continue;
        };
        let word = &norm.text[t.range.clone()];
        out.push(SentenceToken {
            range,
            sentence_start: prev_end_of_sentence || t.line_start,
        });
        prev_end_of_sentence = matches!(word, "." | "!" | "?" | "؟" | "…");
    }
    out
}

/// Export `doc` as `NAME.conll`.
pub fn export(doc: &AnnotatedDoc, only: Only) -> Result<ConllExport, ExportError> {
    let p = Prepared::new(doc, only)?;
    let text = &p.lf.text;
    let toks = tokens(text);
    let mut warnings = Vec::new();

    // Keep non-overlapping spans: earliest start first, longest first among equals.
    let mut spans: Vec<(usize, usize, &str, &str)> = p
        .spans
        .iter()
        .map(|&(a, s, e, _, _)| (s, e, a.label.as_str(), a.id.as_str()))
        .collect();
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut kept: Vec<(usize, usize, &str, &str)> = Vec::new();
    for sp in spans {
        if sp.0 == sp.1 {
            warnings.push(format!(
                "{}: annotation {} is empty and is not written",
                doc.name, sp.3
            ));
            continue;
        }
        if let Some(last) = kept.last() {
            if sp.0 < last.1 {
                warnings.push(format!(
                    "{}: annotation {} overlaps annotation {} and is not written",
                    doc.name, sp.3, last.3
                ));
                continue;
            }
        }
        kept.push(sp);
    }

    // Tag the tokens.
    let mut tags: Vec<Option<usize>> = vec![None; toks.len()];
    let mut k = 0;
    for (i, t) in toks.iter().enumerate() {
        while k < kept.len() && kept[k].1 <= t.range.start {
            k += 1;
        }
        if k < kept.len() && kept[k].0 < t.range.end && t.range.start < kept[k].1 {
            tags[i] = Some(k);
        }
    }
    for (j, sp) in kept.iter().enumerate() {
        let covered: Vec<&SentenceToken> = toks
            .iter()
            .zip(&tags)
            .filter(|(_, t)| **t == Some(j))
            .map(|(t, _)| t)
            .collect();
        match (covered.first(), covered.last()) {
            (Some(first), Some(last)) => {
                if first.range.start != sp.0 || last.range.end != sp.1 {
                    warnings.push(format!(
                        "{}: annotation {} ({:?}) is not on token boundaries; written as {:?}",
                        doc.name,
                        sp.3,
                        &text[sp.0..sp.1],
                        &text[first.range.start..last.range.end]
                    ));
                }
            }
            _ => warnings.push(format!(
                "{}: annotation {} ({:?}) covers no token and is not written",
                doc.name,
                sp.3,
                &text[sp.0..sp.1]
            )),
        }
    }

    let mut out = String::new();
    let mut prev: Option<usize> = None;
    for (i, t) in toks.iter().enumerate() {
        if t.sentence_start && i > 0 {
            out.push('\n');
        }
        let tag = match tags[i] {
            None => "O".to_string(),
            Some(j) => {
                let bio = if prev == Some(j) && !t.sentence_start {
                    "I"
                } else {
                    "B"
                };
                format!("{bio}-{}", kept[j].2)
            }
        };
        if t.sentence_start && tags[i].is_some() && prev == tags[i] {
            warnings.push(format!(
                "{}: annotation {} crosses a sentence boundary and is split",
                doc.name,
                kept[tags[i].unwrap_or(0)].3
            ));
        }
        prev = tags[i];
        out.push_str(&text[t.range.clone()]);
        out.push('\t');
        out.push_str(&tag);
        out.push('\n');
    }
    Ok(ConllExport {
        file: ExportFile {
            name: format!("{}.conll", doc.name),
            contents: out,
        },
        warnings,
    })
}
