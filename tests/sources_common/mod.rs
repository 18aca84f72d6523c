//! Helpers shared by the `tests/sources_*.rs` suites.
#![allow(dead_code)]

use qari::cli::outline::outline_document;
use qari::source::{BlockKind, Document};

/// Check every invariant of a document: articles tile the text, blocks tile each article,
/// content blocks are trimmed, blank blocks hold only whitespace, ranges are on char
/// boundaries, concatenating the blocks gives back the text byte for byte, and the same
/// holds for the code point offsets of `qari outline --json`.
pub fn assert_tiles(doc: &Document) {
    let text = &doc.text;
    let name = doc.display_path();
    if text.is_empty() {
        assert!(
            doc.articles.is_empty(),
            "{name}: empty text has no articles"
        );
    }
    let mut pos = 0;
    let mut rebuilt = String::with_capacity(text.len());
    for a in &doc.articles {
        assert_eq!(
            a.range.start, pos,
            "{name}: article starts where the previous ended"
        );
        let mut bpos = a.range.start;
        assert!(!a.blocks.is_empty(), "{name}: article has blocks");
        for b in &a.blocks {
            assert_eq!(
                b.range().start,
                bpos,
                "{name}: block starts where the previous ended"
            );
            assert!(
                b.range().end > b.range().start,
                "{name}: block is not empty"
            );
            assert!(text.is_char_boundary(b.range().start) && text.is_char_boundary(b.range().end));
            let t = &text[b.range()];
            if b.kind == BlockKind::Blank {
                assert!(
                    t.chars().all(|c| c.is_whitespace()
                        || matches!(
                            c,
                            '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{061C}'
                        )),
                    "{name}: blank block {t:?}"
                );
            } else {
                assert_eq!(t.trim(), t, "{name}: content block is trimmed");
                assert!(
                    b.rule().is_some() == (b.kind == BlockKind::Boilerplate),
                    "{name}: rule names exactly the boilerplate"
                );
            }
            rebuilt.push_str(t);
            bpos = b.range().end;
        }
        assert_eq!(
            bpos, a.range.end,
            "{name}: blocks end where the article ends"
        );
        pos = a.range.end;
    }
    assert_eq!(
        pos,
        text.len(),
        "{name}: articles end at the end of the text"
    );
    assert_eq!(
        &rebuilt, text,
        "{name}: the blocks give back the text byte for byte"
    );

    // The same in code points, as exported.
    let o = outline_document(doc);
    let total = text.chars().count();
    let mut cpos = 0;
    for (a, oa) in doc.articles.iter().zip(&o.articles) {
        assert_eq!(oa.start, cpos);
        assert_eq!(oa.start, text[..a.range.start].chars().count());
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
    assert_eq!(
        cpos, total,
        "code point offsets end at the number of code points"
    );
}

/// 1-based line number of a byte offset.
pub fn line_of(text: &str, byte: usize) -> usize {
    let b = text.as_bytes();
    let mut line = 1;
    let mut i = 0;
    while i < byte {
        match b[i] {
            b'\n' => line += 1,
            b'\r' if b.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
        i += 1;
    }
    line
}

/// (kind, line number) of every non-blank block.
pub fn kinds_by_line(doc: &Document) -> Vec<(BlockKind, usize)> {
    doc.blocks()
        .filter(|b| b.kind != BlockKind::Blank)
        .map(|b| (b.kind, line_of(&doc.text, b.range().start)))
        .collect()
}

/// Kinds of the non-blank blocks, in order.
pub fn kinds(doc: &Document) -> Vec<BlockKind> {
    doc.blocks()
        .filter(|b| b.kind != BlockKind::Blank)
        .map(|b| b.kind)
        .collect()
}
