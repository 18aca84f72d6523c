//! Rules L1–L4 of UAX #9 applied to one line of units.
//!
//! unicode-bidi resolves the levels once per paragraph; its own per-line helpers copy the
//! whole paragraph's levels for every line (quadratic on long paragraphs) and lack L3/L4, so
//! the line rules live here and work on units: a unit is a grapheme cluster, which makes L3
//! (marks after their base) hold by construction.

use std::ops::Range;

use unicode_bidi::BidiClass;

use super::levels::Levels;
use super::units::{Segmented, Unit, UnitKind};
use super::wrap::Line;

/// Classes removed by rule X9 (they keep no level of their own).
fn is_x9_removed(class: BidiClass) -> bool {
    use BidiClass::*;
    matches!(class, RLE | LRE | RLO | LRO | PDF | BN)
}

/// One cell as a row frame hands it out: the first character (mirrored if need be) and the
/// rest of the cluster's display text.
pub(crate) struct CellView<'a> {
    pub first: char,
    pub rest: &'a str,
    pub width: u8,
    pub source: Range<usize>,
    pub level: u8,
}

/// One line laid out: its levels after L1 and its visual order (L2), ready to hand out cells.
pub(crate) struct RowFrame<'a> {
    info: &'a Levels<'a>,
    seg: &'a Segmented,
    pub line: &'a Line,
    reveal: bool,
    max_width: Option<usize>,
    logical: bool,
    levels: Vec<u8>,
    order: Vec<usize>,
    /// Byte range of the paragraph the row covers, hanging whitespace included.
    pub source: Range<usize>,
    /// Sum of the cells' widths.
    pub width: usize,
    /// Padding before the first cell (right-aligns RTL paragraphs).
    pub pad: usize,
}

impl<'a> RowFrame<'a> {
    pub fn new(
        info: &'a Levels<'a>,
        seg: &'a Segmented,
        line: &'a Line,
        reveal: bool,
        max_width: Option<usize>,
        text_len: usize,
        logical: bool,
    ) -> Self {
        let shown = &seg.units[line.units.start..line.hanging_from];
        let para = info.paragraph_level.number();
        let levels = line_levels(info, shown, para);
        let order = if logical {
            (0..levels.len()).collect()
        } else {
            visual_order(&levels)
        };
        let clamp = |w: u8| match max_width {
            Some(max) if w as usize > max => 1,
            _ => w as usize,
        };
        let width = shown
            .iter()
            .filter(|u| u.is_cell(reveal))
            .map(|u| clamp(u.width))
            .sum();
        let units = &seg.units;
        let start = units.get(line.units.start).map_or(text_len, |u| u.start);
        let end = if line.units.end == 0 {
            start
        } else {
            units.get(line.units.end - 1).map_or(text_len, |u| u.end)
        };
        let pad = match max_width {
            Some(w) if info.paragraph_level.is_rtl() && !logical => w.saturating_sub(width),
            _ => 0,
        };
        RowFrame {
            info,
            seg,
            line,
            reveal,
            max_width,
            logical,
            levels,
            order,
            source: start..end,
            width,
            pad,
        }
    }

    /// Calls `f` with each cell of the row, left to right.
    pub fn cells(&self, mut f: impl FnMut(CellView)) {
        let first_unit = self.line.units.start;
        for &i in &self.order {
            let u = &self.seg.units[first_unit + i];
            if !u.is_cell(self.reveal) {
                continue;
            }
            let level = self.levels[i];
            let (mut first, mut rest) = self.seg.text_parts(u);
            // Only neutral characters (class ON) have mirrored glyphs.
            if !self.logical
                && level % 2 == 1
                && self.info.original_classes[u.start] == BidiClass::ON
            {
                first = unicode_bidi_mirroring::get_mirrored(first).unwrap_or(first);
            }
            let mut width = u.width;
            if self.max_width.is_some_and(|max| width as usize > max) {
                // A wide character on a one-cell line: say that something is there.
                (first, rest, width) = ('…', "", 1);
            }
            f(CellView {
                first,
                rest,
                width,
                source: u.start..u.end,
                level,
            });
        }
    }
}

/// Levels of a line's units after rule L1.
fn line_levels(info: &Levels, units: &[Unit], para: u8) -> Vec<u8> {
    use BidiClass::*;
    let mut levels: Vec<u8> = Vec::with_capacity(units.len());
    // Start of a run of whitespace / isolate controls that L1 may reset.
    let mut reset_from: Option<usize> = None;
    for (i, u) in units.iter().enumerate() {
        let mut class = info.original_classes[u.start];
        let mut level = info.levels[u.start].number();
        // A cluster such as space + mark is only as resettable as its least resettable part.
        if u.end - u.start > 1 && !resettable(class) {
            // Nothing to do: the first character already stops the reset.
        } else if u.end - u.start > 1 {
            let text = info.text;
            if let Some((off, _)) = text[u.start..u.end]
                .char_indices()
                .find(|&(off, _)| !resettable(info.original_classes[u.start + off]))
            {
                class = info.original_classes[u.start + off];
            }
        }
        match class {
            B | S => {
                let from = reset_from.unwrap_or(i);
                for l in &mut levels[from..] {
                    *l = para;
                }
                level = para;
                reset_from = None;
            }
            WS | FSI | LRI | RLI | PDI => {
                reset_from.get_or_insert(i);
            }
            _ if is_x9_removed(class) => {
                reset_from.get_or_insert(i);
                // X9-removed characters take the level of what precedes them.
                level = levels.last().copied().unwrap_or(para);
            }
            _ if u.kind == UnitKind::Space => {
                reset_from.get_or_insert(i);
            }
            _ => reset_from = None,
        }
        levels.push(level);
    }
    if let Some(from) = reset_from {
        for l in &mut levels[from..] {
            *l = para;
        }
    }
    levels
}

/// Classes that L1 resets when they trail a line or precede a separator.
fn resettable(class: BidiClass) -> bool {
    use BidiClass::*;
    matches!(class, WS | FSI | LRI | RLI | PDI) || is_x9_removed(class)
}

/// Rule L2: indices of `levels` in visual order.
pub(crate) fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let Some(&max) = levels.iter().max() else {
        return order;
    };
    let min = levels.iter().copied().min().unwrap_or(0);
    let lowest_odd = if min % 2 == 1 { min } else { min + 1 };
    let mut level = max;
    while level >= lowest_odd {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= level {
                let start = i;
                while i < order.len() && levels[order[i]] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
        level -= 1;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::visual_order;

    #[test]
    fn l2_reverses_from_the_highest_level() {
        assert_eq!(visual_order(&[0, 0, 0]), vec![0, 1, 2]);
        assert_eq!(visual_order(&[1, 1, 1]), vec![2, 1, 0]);
        // RTL paragraph with an embedded number: the digits keep their order.
        assert_eq!(visual_order(&[1, 2, 2, 1]), vec![3, 1, 2, 0]);
        assert_eq!(visual_order(&[0, 1, 1, 0, 2]), vec![0, 2, 1, 3, 4]);
        assert!(visual_order(&[]).is_empty());
    }
}
