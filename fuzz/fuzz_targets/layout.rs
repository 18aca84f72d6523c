//! Fuzz the layout engine: `layout_paragraph`, `layout_paragraph_in` (visual and logical
//! cell order) and `write_paragraph`, on arbitrary text with arbitrary options, checking the
//! invariants of `tests/layout_props.rs` on every input.
//!
//! Input: byte 0 picks the width (1..=256, or 1..=300 via byte 2), byte 1 the flags (bit 0
//! shaping, bit 1 reveal_format, bits 2-3 direction, bit 4 logical order, bit 5 no width
//! for short texts), byte 2 adds to the width; the rest is the paragraph (lossy UTF-8).
#![no_main]

use std::ops::Range;

use libfuzzer_sys::fuzz_target;
use qari::layout::{
    layout_paragraph, layout_paragraph_in, write_paragraph, CellOrder, Direction, LayoutOptions,
    ParagraphLayout, Position,
};
use unicode_segmentation::UnicodeSegmentation;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let (head, body) = data.split_at(3);
    let text = String::from_utf8_lossy(body);
    let text: &str = &text;
    let width = 1 + (head[0] as usize + head[2] as usize % 45) % 300;
    let flags = head[1];
    let direction = match (flags >> 2) & 3 {
        0 | 3 => Direction::Auto,
        1 => Direction::Rtl,
        _ => Direction::Ltr,
    };
    let order = if flags & 16 != 0 {
        CellOrder::Logical
    } else {
        CellOrder::Visual
    };
    // One unbounded row: `locate` is linear in the row, so keep these short.
    let width = if flags & 32 != 0 && text.len() <= 512 {
        None
    } else {
        Some(width)
    };
    let o = LayoutOptions {
        width,
        direction,
        shaping: flags & 1 != 0,
        reveal_format: flags & 2 != 0,
    };
    let l = layout_paragraph_in(text, &o, order);
    let logical = order == CellOrder::Logical;
    check_rows_fit(text, &o, &l, logical);
    check_tiling(text, &l);
    check_clusters(text, &o, &l);
    check_round_trip(text, &l);
    check_no_raw_controls(text, &l);

    if !logical {
        assert_eq!(l, layout_paragraph(text, &o), "layout_paragraph is the visual order");
        // write_paragraph gives the rows' text, one line each, padded or not.
        for pad in [false, true] {
            let mut out = Vec::new();
            write_paragraph(text, &o, pad, &mut out);
            let mut want = String::new();
            for r in &l.rows {
                want.push_str(&r.to_text(pad));
                want.push('\n');
            }
            assert_eq!(
                String::from_utf8(out).expect("write_paragraph writes UTF-8"),
                want,
                "write_paragraph (pad {pad}) differs from the layout\n{}",
                dump(text, &l)
            );
        }
    } else {
        // Logical order: the same rows, the same cells as a set, no padding, no mirroring.
        let v = layout_paragraph(text, &o);
        assert_eq!(v.rows.len(), l.rows.len(), "logical order breaks the same rows");
        for (a, b) in v.rows.iter().zip(&l.rows) {
            assert_eq!(a.source, b.source);
            assert_eq!(a.width, b.width);
            let mut sa: Vec<_> = a.cells.iter().map(|c| c.source.clone()).collect();
            let mut sb: Vec<_> = b.cells.iter().map(|c| c.source.clone()).collect();
            sa.sort_by_key(|r| (r.start, r.end));
            sb.sort_by_key(|r| (r.start, r.end));
            assert_eq!(sa, sb, "the same cells in both orders\n{}", dump(text, &l));
            for pair in b.cells.windows(2) {
                assert!(
                    pair[0].source.end <= pair[1].source.start,
                    "logical cells out of order\n{}",
                    dump(text, &l)
                );
            }
        }
    }
});

fn is_zw_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

fn is_hangable(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

fn is_lam_alef(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| ('\u{FEF5}'..='\u{FEFC}').contains(&c))
}

fn codepoints(s: &str) -> String {
    s.chars()
        .map(|c| format!("{:04X}", c as u32))
        .collect::<Vec<_>>()
        .join(" ")
}

fn dump(text: &str, l: &ParagraphLayout) -> String {
    let mut s = format!("text {text:?}\n[{}]\n", codepoints(text));
    for (i, r) in l.rows.iter().enumerate() {
        s += &format!(
            "row {i} source {:?} pad {} width {}:",
            r.source, r.pad, r.width
        );
        for c in &r.cells {
            s += &format!(
                " {:?}[{}]w{}l{}",
                c.source,
                codepoints(&c.text),
                c.width,
                c.level
            );
        }
        s.push('\n');
    }
    s
}

/// No row is wider than the width; a row's width is the sum of its cells; only RTL rows in
/// visual order are padded.
fn check_rows_fit(text: &str, o: &LayoutOptions, l: &ParagraphLayout, logical: bool) {
    let w = o.width.unwrap_or(usize::MAX);
    for r in &l.rows {
        let sum: usize = r.cells.iter().map(|c| c.width as usize).sum();
        assert_eq!(sum, r.width, "row width is the sum of its cells\n{}", dump(text, l));
        assert!(r.pad + r.width <= w, "row wider than {w}\n{}", dump(text, l));
        if !l.rtl || logical {
            assert_eq!(r.pad, 0, "unexpected padding\n{}", dump(text, l));
        }
        // Not "1 or 2" as `Cell::width` says: an emoji ZWJ sequence is drawn without its
        // joiners and measured as such (👨‍👩‍👧 is 6 cells); but never 0.
        for c in &r.cells {
            assert!(c.width >= 1, "cell of width 0\n{}", dump(text, l));
        }
    }
}

/// Rows' sources tile the paragraph in order.
fn check_tiling(text: &str, l: &ParagraphLayout) {
    assert!(!l.rows.is_empty());
    assert_eq!(l.rows[0].source.start, 0, "\n{}", dump(text, l));
    for pair in l.rows.windows(2) {
        assert_eq!(pair[0].source.end, pair[1].source.start, "\n{}", dump(text, l));
    }
    for r in &l.rows {
        assert!(r.source.start <= r.source.end, "\n{}", dump(text, l));
    }
    assert_eq!(
        l.rows.last().map(|r| r.source.end),
        Some(text.len()),
        "\n{}",
        dump(text, l)
    );
}

/// Every cluster is drawn in exactly one cell, except zero-width format characters and
/// whitespace hanging at a row's end; only a lam-alef ligature covers two clusters; cells
/// do not overlap and lie on char boundaries inside their row.
fn check_clusters(text: &str, o: &LayoutOptions, l: &ParagraphLayout) {
    let d = || dump(text, l);
    let clusters: Vec<Range<usize>> = text
        .grapheme_indices(true)
        .map(|(i, g)| i..i + g.len())
        .collect();
    let mut drawn = vec![0usize; clusters.len()];
    let mut all_cells: Vec<Range<usize>> = Vec::new();
    for (ri, r) in l.rows.iter().enumerate() {
        for c in &r.cells {
            let s = &c.source;
            assert!(s.start < s.end, "empty cell source {s:?}\n{}", d());
            assert!(
                text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                "cell {s:?} not on char boundaries\n{}",
                d()
            );
            assert!(
                r.source.start <= s.start && s.end <= r.source.end,
                "cell {s:?} outside its row {ri} {:?}\n{}",
                r.source,
                d()
            );
            let first = clusters.partition_point(|g| g.end <= s.start);
            let mut k = first;
            while k < clusters.len() && clusters[k].end <= s.end {
                k += 1;
            }
            assert!(
                k > first && clusters[first].start == s.start && clusters[k - 1].end == s.end,
                "cell {s:?} does not cover whole clusters\n{}",
                d()
            );
            let n = k - first;
            if n == 2 {
                assert!(
                    o.shaping && is_lam_alef(&c.text),
                    "only a lam-alef ligature covers two clusters: {s:?}\n{}",
                    d()
                );
            } else {
                assert_eq!(n, 1, "cell {s:?} covers {n} clusters\n{}", d());
            }
            for count in &mut drawn[first..k] {
                *count += 1;
            }
            all_cells.push(s.clone());
        }
    }
    all_cells.sort_by_key(|s| s.start);
    for pair in all_cells.windows(2) {
        assert!(pair[0].end <= pair[1].start, "cells {pair:?} overlap\n{}", d());
    }
    for r in &l.rows {
        let last_drawn = r
            .cells
            .iter()
            .map(|c| c.source.end)
            .max()
            .unwrap_or(r.source.start);
        for (g, &count) in clusters.iter().zip(&drawn) {
            if g.start < r.source.start || g.start >= r.source.end {
                continue;
            }
            let s = &text[g.clone()];
            if s.chars().all(is_zw_format) && !o.reveal_format {
                assert_eq!(count, 0, "format cluster {g:?} drawn\n{}", d());
                continue;
            }
            if count == 0 && s.chars().all(is_hangable) && g.start >= last_drawn {
                continue; // hangs past the row's end
            }
            if count == 0 && s.chars().all(is_hangable) && o.width.is_none() {
                continue; // no width: one row, whose line ends inside are not drawn
            }
            assert_eq!(
                count,
                1,
                "cluster {g:?} [{}] drawn {count} times\n{}",
                codepoints(s),
                d()
            );
        }
    }
}

/// `locate` finds every cell where it is drawn, `cell_at` gives it back on each column.
fn check_round_trip(text: &str, l: &ParagraphLayout) {
    for (ri, r) in l.rows.iter().enumerate() {
        let mut col = r.pad;
        for c in &r.cells {
            let at = Position { row: ri, col };
            assert_eq!(
                l.locate(c.source.start),
                Some(at),
                "locate cell {:?}\n{}",
                c.source,
                dump(text, l)
            );
            for dx in 0..c.width as usize {
                assert_eq!(
                    l.cell_at(ri, col + dx),
                    Some(c),
                    "cell_at column {}\n{}",
                    col + dx,
                    dump(text, l)
                );
            }
            col += c.width as usize;
        }
        assert_eq!(l.cell_at(ri, col), None);
        if r.pad > 0 {
            assert_eq!(l.cell_at(ri, r.pad - 1), None);
        }
    }
    // Every offset of the text (char boundaries included) locates somewhere or nowhere
    // without panicking; past the end there is nothing.
    for off in 0..=text.len() {
        let _ = l.locate(off);
    }
    assert_eq!(l.cell_at(l.rows.len(), 0), None);
}

/// No raw control or bidi format character ever reaches a cell.
fn check_no_raw_controls(text: &str, l: &ParagraphLayout) {
    for r in &l.rows {
        for c in &r.cells {
            let bad = c.text.chars().find(|&ch| {
                matches!(ch,
                    '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{200E}' | '\u{200F}'
                    | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
            });
            assert!(
                bad.is_none(),
                "raw U+{:04X} in a cell\n{}",
                bad.map_or(0, |c| c as u32),
                dump(text, l)
            );
        }
    }
}
