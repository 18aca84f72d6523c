//! Fuzz `qari::tui::view::ui_cells`, which fits one-line interface strings (titles, file
//! names, messages: document text) into `max` cells with an ellipsis.
//!
//! Input: byte 0 is `max` (0..=255); the rest is the string (lossy UTF-8). Asserts: the
//! returned width is the sum of the cells' widths and at most `max` (at most 2 when `max`
//! is 0 or 1: one cell of text and the ellipsis — see the README), and no raw control or
//! bidi format character reaches a cell.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qari::tui::view::ui_cells;

fuzz_target!(|data: &[u8]| {
    let Some((&max, rest)) = data.split_first() else {
        return;
    };
    let max = max as usize;
    let text = String::from_utf8_lossy(rest);
    let (cells, width, _rtl) = ui_cells(&text, max);
    let sum: usize = cells.iter().map(|c| c.width as usize).sum();
    assert_eq!(sum, width, "width is the sum of the cells ({text:?}, max {max})");
    assert!(
        width <= max.max(2),
        "{width} cells for max {max}: {text:?} -> {:?}",
        cells.iter().map(|c| c.text.as_str()).collect::<String>()
    );
    for c in &cells {
        let bad = c.text.chars().find(|&ch| {
            matches!(ch,
                '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{200E}' | '\u{200F}'
                | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
        });
        assert!(bad.is_none(), "raw {bad:?} in a cell of {text:?}");
    }
});
