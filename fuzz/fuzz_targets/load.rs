//! Fuzz the loaders: `Document::from_bytes` on arbitrary bytes, as plain text, HTML, JSON
//! Lines or by content sniffing, with detected or forced encodings; every document that
//! loads must keep the invariants of `src/source/mod.rs` (checked like
//! `tests/sources_common::assert_tiles`).
//!
//! Input: byte 0 picks the file name's extension (bits 0-1: `.txt`, `.html`, `.jsonl`,
//! none) and the encoding (bits 2-4: detected, windows-1256, UTF-16LE, ISO-8859-6, UTF-8,
//! UTF-16BE, detected); the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qari::cli::outline::outline_document;
use qari::source::{BlockKind, Document, Format, LoadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let name = ["doc.txt", "doc.html", "doc.jsonl", "doc"][(sel & 3) as usize];
    let label = match (sel >> 2) & 7 {
        1 => Some("windows-1256"),
        2 => Some("utf-16le"),
        3 => Some("iso-8859-6"),
        4 => Some("utf-8"),
        5 => Some("utf-16be"),
        _ => None,
    };
    let mut opts = LoadOptions::default();
    if let Some(label) = label {
        opts = opts.with_encoding_label(label).expect("a known label");
    }
    let doc = match Document::from_bytes(name, bytes, &opts) {
        Ok(doc) => doc,
        Err(e) => {
            assert!(!e.reason.is_empty(), "an error gives a reason");
            return;
        }
    };
    check_document(&doc);
    // Plain UTF-8 text without a byte order mark is kept byte for byte.
    if label.is_none()
        && doc.format == Format::Text
        && !bytes.starts_with(b"\xEF\xBB\xBF")
        && !bytes.starts_with(b"\xFF\xFE")
        && !bytes.starts_with(b"\xFE\xFF")
    {
        if let Ok(s) = std::str::from_utf8(bytes) {
            assert_eq!(doc.text, s, "plain UTF-8 text is kept as it is");
        }
    }
});

fn check_document(doc: &Document) {
    let text = &doc.text;
    if text.is_empty() {
        assert!(doc.articles.is_empty(), "empty text has no articles");
    }
    let mut pos = 0;
    let mut rebuilt = String::with_capacity(text.len());
    for a in &doc.articles {
        assert_eq!(a.range.start, pos, "article starts where the previous ended");
        assert!(a.range.start <= a.range.end && a.range.end <= text.len());
        assert!(text.is_char_boundary(a.range.start) && text.is_char_boundary(a.range.end));
        let mut bpos = a.range.start;
        assert!(!a.blocks.is_empty(), "article has blocks");
        let titles = a.blocks.iter().filter(|b| b.kind == BlockKind::Title).count();
        // regressions/load/two-title-blocks-html (fixed in d32f639).
        assert!(
            titles <= 1,
            "at most one title block per article (BlockKind::Title)\ntext {text:?}\nblocks {:?}",
            a.blocks
                .iter()
                .map(|b| (b.kind, b.text(text)))
                .collect::<Vec<_>>()
        );
        for b in &a.blocks {
            assert_eq!(b.range().start, bpos, "block starts where the previous ended");
            assert!(b.range().end > b.range().start, "block is not empty");
            assert!(b.range().end <= text.len(), "block inside the text");
            assert!(
                text.is_char_boundary(b.range().start) && text.is_char_boundary(b.range().end),
                "block {:?} on char boundaries",
                b.range()
            );
            let t = b.text(text);
            if b.kind == BlockKind::Blank {
                assert!(
                    t.chars().all(|c| c.is_whitespace()
                        || matches!(
                            c,
                            '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{061C}'
                        )),
                    "blank block {t:?}"
                );
            } else {
                // regressions/load/untrimmed-paragraph-html, `<pre> m` (fixed in 72ab536).
                assert_eq!(t.trim(), t, "content block is trimmed: {:?}", b.kind);
                assert!(
                    b.rule().is_some() == (b.kind == BlockKind::Boilerplate),
                    "rule names exactly the boilerplate"
                );
            }
            rebuilt.push_str(t);
            bpos = b.range().end;
        }
        assert_eq!(bpos, a.range.end, "blocks end where the article ends");
        pos = a.range.end;
    }
    assert_eq!(pos, text.len(), "articles end at the end of the text");
    assert_eq!(&rebuilt, text, "the blocks give back the text byte for byte");

    // The same in code points, as `qari outline --json` exports them.
    let o = outline_document(doc);
    assert_eq!(o.articles.len(), doc.articles.len());
    let total = text.chars().count();
    let mut cpos = 0;
    for (a, oa) in doc.articles.iter().zip(&o.articles) {
        assert_eq!(oa.start, cpos);
        assert_eq!(oa.start, text[..a.range.start].chars().count());
        assert_eq!(oa.blocks.len(), a.blocks.len());
        let mut c = oa.start;
        for (b, ob) in a.blocks.iter().zip(&oa.blocks) {
            assert_eq!(ob.start, c);
            assert_eq!(ob.end - ob.start, text[b.range()].chars().count());
            assert_eq!(ob.kind, b.kind.name());
            c = ob.end;
        }
        assert_eq!(c, oa.end);
        cpos = oa.end;
    }
    assert_eq!(cpos, total, "code point offsets end at the number of code points");

    // Byte offsets convert to code points monotonically (sampled: each query is linear).
    let idx = doc.char_index();
    assert_eq!(idx.len_chars(), total);
    let mut last = 0;
    let step = (text.len() / 64).max(1);
    let mut at = 0;
    while at <= text.len() {
        if text.is_char_boundary(at) {
            let c = idx.to_chars(text, at);
            assert!(c >= last, "to_chars is monotonic");
            assert_eq!(c, text[..at].chars().count());
            last = c;
        }
        at += step;
    }
    assert_eq!(idx.to_chars(text, text.len()), total);
}
