use super::*;

fn opts(width: usize) -> LayoutOptions {
    LayoutOptions {
        width: Some(width),
        ..LayoutOptions::default()
    }
}

fn unshaped(width: usize) -> LayoutOptions {
    LayoutOptions {
        width: Some(width),
        shaping: false,
        ..LayoutOptions::default()
    }
}

fn rows(text: &str, o: &LayoutOptions) -> Vec<String> {
    layout_paragraph(text, o)
        .rows
        .iter()
        .map(|r| r.to_text(true))
        .collect()
}

fn cps(s: &str) -> Vec<u32> {
    s.chars().map(|c| c as u32).collect()
}

#[test]
fn rtl_paragraph_is_reversed_and_right_aligned() {
    let r = rows("سلام", &unshaped(10));
    assert_eq!(r, vec![format!("{}مالس", " ".repeat(6))]);
}

#[test]
fn ltr_paragraph_is_untouched() {
    assert_eq!(rows("hello world", &opts(20)), vec!["hello world"]);
}

#[test]
fn numbers_keep_their_order_inside_rtl() {
    let r = rows("عام 2030", &unshaped(8));
    assert_eq!(r, vec!["2030 ماع"]);
}

#[test]
fn brackets_are_mirrored_in_rtl_runs() {
    let r = rows("قال (نعم)", &unshaped(9));
    // Visual: "(معن) لاق" — the opening bracket of the logical text is drawn as ')' on the right.
    assert_eq!(r, vec!["(معن) لاق"]);
}

#[test]
fn notes_reference_example_width_40_unshaped() {
    // From shared/notes/rtl-in-the-terminal.md §7, a libfribidi reference.
    let text = "قال الرئيس: «لا تراجع» عن خطة 2030 [المرحلة 3].";
    let r = rows(text, &unshaped(40));
    assert_eq!(r.len(), 2);
    let l1: Vec<u32> = [
        vec![0x20; 6],
        vec![
            0x32, 0x30, 0x33, 0x30, 0x20, 0x629, 0x637, 0x62E, 0x20, 0x646, 0x639, 0x20, 0xAB,
            0x639, 0x62C, 0x627, 0x631, 0x62A, 0x20, 0x627, 0x644, 0xBB, 0x20, 0x3A, 0x633, 0x64A,
            0x626, 0x631, 0x644, 0x627, 0x20, 0x644, 0x627, 0x642,
        ],
    ]
    .concat();
    assert_eq!(cps(&r[0]), l1);
    let l2: Vec<u32> = [
        vec![0x20; 28],
        vec![
            0x2E, 0x5B, 0x33, 0x20, 0x629, 0x644, 0x62D, 0x631, 0x645, 0x644, 0x627, 0x5D,
        ],
    ]
    .concat();
    assert_eq!(cps(&r[1]), l2);
}

#[test]
fn harakat_follow_their_base_in_visual_order() {
    let text = "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ";
    let r = rows(text, &unshaped(40));
    let expected: Vec<u32> = [
        vec![0x20; 18],
        vec![
            0x645, 0x650, 0x64A, 0x62D, 0x650, 0x631, 0x64E, 0x651, 0x644, 0x627, 0x20, 0x646,
            0x650, 0x645, 0x64E, 0x670, 0x62D, 0x652, 0x631, 0x64E, 0x651, 0x644, 0x627, 0x20,
            0x647, 0x650, 0x644, 0x64E, 0x651, 0x644, 0x627, 0x20, 0x645, 0x650, 0x633, 0x652,
            0x628, 0x650,
        ],
    ]
    .concat();
    assert_eq!(cps(&r[0]), expected);
}

#[test]
fn shaping_joins_letters_and_forms_lam_alef() {
    // "بلا": beh initial, lam-alef final ligature.
    let r = rows("بلا", &opts(5));
    assert_eq!(cps(&r[0]), vec![0x20, 0x20, 0x20, 0xFEFC, 0xFE91]);
    // Lam-alef alone, with a haraka on the lam kept in the ligature's cell.
    let l = layout_paragraph("لَا", &opts(3));
    assert_eq!(l.rows[0].cells.len(), 1);
    assert_eq!(cps(&l.rows[0].cells[0].text), vec![0xFEFB, 0x64E]);
    assert_eq!(l.rows[0].cells[0].source, 0.."لَا".len());
}

#[test]
fn lam_alef_counts_one_cell_shaped_two_unshaped() {
    let word = "الأخبار";
    let shaped = layout_paragraph(word, &opts(20));
    assert_eq!(shaped.rows[0].width, 6);
    let plain = layout_paragraph(word, &unshaped(20));
    assert_eq!(plain.rows[0].width, 7);
}

#[test]
fn no_optional_ligatures() {
    let r = rows("الله", &opts(4));
    assert!(!r[0].contains('\u{FDF2}'));
    // alef (isolated), lam (initial), lam (medial), heh (final), in visual order.
    assert_eq!(cps(r[0].trim_start()), vec![0xFEEA, 0xFEE0, 0xFEDF, 0xFE8D]);
}

#[test]
fn zwnj_breaks_joining_and_zwj_forces_it() {
    let zwnj = layout_paragraph("ب\u{200C}ب", &opts(4));
    let t: Vec<u32> = zwnj.rows[0]
        .cells
        .iter()
        .flat_map(|c| cps(&c.text))
        .collect();
    assert_eq!(t, vec![0xFE8F, 0xFE8F]);
    let zwj = layout_paragraph("ب\u{200D}", &opts(4));
    assert_eq!(cps(&zwj.rows[0].cells[0].text), vec![0xFE91]);
}

#[test]
fn lines_break_in_logical_order() {
    // Two words of 4 cells at width 5: the first logical word is on the first row.
    let r = rows("سلام عليكم", &unshaped(5));
    assert_eq!(r, vec![" مالس", "مكيلع"]);
}

#[test]
fn long_word_is_split_and_both_halves_reshaped() {
    let l = layout_paragraph("بببببب", &opts(3));
    assert_eq!(l.rows.len(), 2);
    // First row (logical first half): initial, medial, final — visual order right to left.
    assert_eq!(cps(&l.rows[0].to_text(false)), vec![0xFE90, 0xFE92, 0xFE91]);
    assert_eq!(cps(&l.rows[1].to_text(false)), vec![0xFE90, 0xFE92, 0xFE91]);
}

#[test]
fn format_characters_never_become_cells() {
    let text = "\u{202B}abc\u{202C}\u{200E}\u{2067}د\u{2069}\u{FEFF}";
    let l = layout_paragraph(text, &unshaped(20));
    let all: String = l.rows.iter().map(|r| r.to_text(false)).collect();
    assert!(
        all.chars().all(|c| !super::units::is_format_char(c)),
        "{all:?}"
    );
    assert_eq!(all.chars().filter(|c| !c.is_whitespace()).count(), 4);
}

#[test]
fn revealed_format_characters_are_visible() {
    let o = LayoutOptions {
        reveal_format: true,
        ..unshaped(20)
    };
    let l = layout_paragraph("a\u{202E}bc", &o);
    assert_eq!(l.rows[0].cells.len(), 4);
}

#[test]
fn control_characters_show_as_symbols() {
    let text = "a\u{1b}[31mb\u{7f}\u{85}c\u{0}";
    let l = layout_paragraph(text, &opts(40));
    let all: String = l.rows.iter().map(|r| r.to_text(false)).collect();
    assert!(!all.chars().any(|c| c.is_control()), "{all:?}");
    assert!(all.contains('\u{241B}'));
    assert!(all.contains('\u{2421}'));
}

#[test]
fn maps_round_trip() {
    let text = "قال الرئيس: «لا تراجع» عن خطة 2030 [المرحلة 3].";
    let l = layout_paragraph(text, &opts(20));
    for (ri, row) in l.rows.iter().enumerate() {
        let mut col = row.pad;
        for cell in &row.cells {
            let p = l.locate(cell.source.start).unwrap();
            assert_eq!(p, Position { row: ri, col });
            assert_eq!(l.cell_at(p.row, p.col), Some(cell));
            col += cell.width as usize;
        }
    }
}

#[test]
fn empty_and_tiny_widths_do_not_panic() {
    let l = layout_paragraph("", &opts(10));
    assert_eq!(l.rows.len(), 1);
    assert!(l.rows[0].cells.is_empty());
    for w in 0..4 {
        let l = layout_paragraph("漢字 مرحبا ab", &opts(w));
        for r in &l.rows {
            assert!(r.width <= w.max(1), "{r:?}");
        }
    }
}

#[test]
fn auto_direction_follows_first_strong_character() {
    assert!(layout_paragraph("2021 قمة", &opts(20)).rtl);
    assert!(!layout_paragraph("Geneva قمة", &opts(20)).rtl);
    let forced = LayoutOptions {
        direction: Direction::Rtl,
        ..opts(20)
    };
    assert!(layout_paragraph("Geneva", &forced).rtl);
}

#[test]
fn huge_widths_are_capped_not_allocated() {
    let l = layout_paragraph("مرحبا", &opts(usize::MAX));
    assert_eq!(l.width, Some(MAX_WIDTH));
    assert_eq!(l.rows[0].pad, MAX_WIDTH - 5);
    let mut out = Vec::new();
    write_paragraph("مرحبا", &opts(usize::MAX), false, &mut out);
    assert_eq!(out.len(), "ﺎﺒﺣﺮﻣ\n".len());
}

#[test]
fn absurdly_wide_clusters_become_one_visible_cell() {
    // Hundreds of prepended concatenation marks make one grapheme cluster.
    let text = format!("{}ب", "\u{0600}".repeat(300));
    let l = layout_paragraph(&text, &opts(400));
    let cells: Vec<&Cell> = l.rows.iter().flat_map(|r| &r.cells).collect();
    assert_eq!(cells.len(), 1);
    assert_eq!(cells[0].text, "…");
    assert_eq!(cells[0].source, 0..text.len());
}

#[test]
fn long_lines_without_break_opportunities_are_split_everywhere() {
    // Forced splits on text with nothing to reshape (Latin, or Arabic unshaped).
    for (text, shaping) in [("a".repeat(10_000), true), ("ب".repeat(10_000), false)] {
        let o = LayoutOptions {
            shaping,
            ..opts(80)
        };
        let l = layout_paragraph(&text, &o);
        assert_eq!(l.rows.len(), 125);
        assert!(l.rows.iter().all(|r| r.width == 80));
    }
}

#[test]
fn visible_controls_shows_controls_and_bidi_overrides() {
    assert_eq!(visible_controls("plain\ntext"), "plain\ntext");
    let shown = visible_controls("a\u{1b}[31m\u{202E}b\u{2067}c\u{7}");
    assert!(!shown
        .chars()
        .any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c)));
    assert!(!shown.contains('\u{2067}'));
    // Joiners do not reorder anything and stay (Persian needs ZWNJ).
    assert_eq!(visible_controls("می\u{200C}خواهم"), "می\u{200C}خواهم");
}
