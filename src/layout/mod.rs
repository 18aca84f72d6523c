//! The RTL layout engine: one logical paragraph in, screen rows of source-aware cells out.
//!
//! Pipeline (per paragraph): segment into grapheme units and shape them in logical order
//! (`units`), resolve bidi levels once for the whole paragraph (unicode-bidi, rules P–I),
//! break lines in logical order at UAX #14 opportunities measured in cells (`wrap`), then per
//! line apply L1–L4 over units (`reorder`). Nothing here knows about terminals.

mod bidi_data;
mod levels;
mod reorder;
pub mod shaping;
mod shaping_tables;
mod units;
mod wrap;

use std::ops::Range;

use compact_str::CompactString;

/// Paragraph direction: from the first strong character (UAX #9 P2/P3), or forced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Auto,
    Rtl,
    Ltr,
}

/// The widest layout, in cells: wider requests are laid out at this width (no terminal is
/// wider, and padding rows to a huge width would only exhaust memory).
pub const MAX_WIDTH: usize = 65_535;

/// How to lay out a paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Width in terminal cells (1 to `MAX_WIDTH`); `None` lays the whole paragraph on one row.
    pub width: Option<usize>,
    pub direction: Direction,
    /// Shape Arabic into presentation forms (off for terminals that shape by themselves).
    pub shaping: bool,
    /// Show bidi format characters (LRM, embeddings, overrides, isolates...) as visible markers.
    pub reveal_format: bool,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            width: Some(80),
            direction: Direction::Auto,
            shaping: true,
            reveal_format: false,
        }
    }
}

/// One screen cell (or two, for wide characters) and the source bytes it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// What to draw: a shaped, mirrored grapheme (a base and its marks), or a visible stand-in.
    pub text: CompactString,
    /// Width in terminal cells: 1 or 2, more for a cluster that terminals draw as several
    /// glyphs (an emoji ZWJ sequence such as 👨‍👩‍👧 is one cell of width 6).
    pub width: u8,
    /// Byte range of the paragraph this cell shows (a lam-alef ligature covers both letters).
    pub source: Range<usize>,
    /// Resolved bidi embedding level (odd = right-to-left).
    pub level: u8,
}

/// One screen row: cells in visual order, left to right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The logical byte range this row covers, including whitespace hanging at its end.
    pub source: Range<usize>,
    pub cells: Vec<Cell>,
    /// Sum of the cells' widths.
    pub width: usize,
    /// Cells of padding before the first cell: right-aligns RTL paragraphs to the width.
    pub pad: usize,
}

/// A laid-out paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParagraphLayout {
    /// Whether the paragraph's base direction is right-to-left.
    pub rtl: bool,
    pub width: Option<usize>,
    pub rows: Vec<Row>,
}

/// A screen position inside a paragraph: row, and column counted from the left edge
/// (padding included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub row: usize,
    pub col: usize,
}

impl Row {
    /// The row as a string, left to right, with its padding if `pad` is set.
    pub fn to_text(&self, pad: bool) -> String {
        let mut s = String::with_capacity(self.pad + self.cells.len() * 3);
        if pad {
            s.extend(std::iter::repeat_n(' ', self.pad));
        }
        for c in &self.cells {
            s.push_str(&c.text);
        }
        s
    }
}

impl ParagraphLayout {
    /// The screen position of the cell that shows logical byte `offset`. Bytes that have no
    /// cell of their own (format characters, whitespace hanging at a row's end) map to the
    /// next cell in logical order on their row, or to the row's visual end.
    pub fn locate(&self, offset: usize) -> Option<Position> {
        let row = self
            .rows
            .partition_point(|r| r.source.end <= offset)
            .min(self.rows.len().checked_sub(1)?);
        let r = &self.rows[row];
        if offset < r.source.start || offset > r.source.end {
            return None;
        }
        let mut col = r.pad;
        let mut best: Option<(usize, usize)> = None; // (source start, column)
        for c in &r.cells {
            if c.source.contains(&offset) {
                return Some(Position { row, col });
            }
            if c.source.start > offset && best.is_none_or(|(s, _)| c.source.start < s) {
                best = Some((c.source.start, col));
            }
            col += c.width as usize;
        }
        let col = match best {
            Some((_, col)) => col,
            None if self.rtl => r.pad.saturating_sub(1),
            None => r.pad + r.width,
        };
        Some(Position { row, col })
    }

    /// The cell drawn at a screen position, if any (a wide cell answers for both its columns).
    pub fn cell_at(&self, row: usize, col: usize) -> Option<&Cell> {
        let r = self.rows.get(row)?;
        let mut x = r.pad;
        for c in &r.cells {
            if col >= x && col < x + c.width as usize {
                return Some(c);
            }
            x += c.width as usize;
        }
        None
    }
}

/// `s` with every control character but the line feed replaced by a visible symbol, for
/// printing document text in logical order (outlines, messages): no document byte may drive
/// the terminal.
pub fn visible_controls(s: &str) -> std::borrow::Cow<'_, str> {
    let shown = |c: char| {
        if c == '\n' {
            None
        } else if units::is_format_char(c) && unicode_bidi::BidiClass::BN != bidi_class_of(c) {
            // Bidi controls could reorder what follows them on a bidi-aware terminal.
            Some(units::format_marker(c))
        } else {
            units::control_picture(c)
        }
    };
    if !s.chars().any(|c| shown(c).is_some()) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| shown(c).unwrap_or(c))
        .collect::<String>()
        .into()
}

fn bidi_class_of(c: char) -> unicode_bidi::BidiClass {
    use unicode_bidi::BidiDataSource;
    bidi_data::FastBidiData.bidi_class(c)
}

/// The order a row's cells come in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CellOrder {
    /// Visual order, left to right (qari does the bidi: rules L1–L4).
    #[default]
    Visual,
    /// Logical order, unpadded and unmirrored, for terminals that do their own bidi. Rows
    /// are still broken in logical order at the width.
    Logical,
}

/// Lays out one paragraph of logical text.
pub fn layout_paragraph(text: &str, opts: &LayoutOptions) -> ParagraphLayout {
    layout_paragraph_in(text, opts, CellOrder::Visual)
}

/// Lays out one paragraph, with its cells in the given order.
pub fn layout_paragraph_in(text: &str, opts: &LayoutOptions, order: CellOrder) -> ParagraphLayout {
    let mut rows = Vec::new();
    let (rtl, width) = lay_out(text, opts, order, |frame| {
        let mut cells = Vec::with_capacity(frame.line.hanging_from - frame.line.units.start);
        frame.cells(|c| {
            let mut text = CompactString::default();
            text.push(c.first);
            text.push_str(c.rest);
            cells.push(Cell {
                text,
                width: c.width,
                source: c.source,
                level: c.level,
            });
        });
        rows.push(Row {
            source: frame.source.clone(),
            cells,
            width: frame.width,
            pad: frame.pad,
        });
    });
    if rows.is_empty() {
        rows.push(Row {
            source: 0..text.len(),
            cells: Vec::new(),
            width: 0,
            pad: 0,
        });
    }
    ParagraphLayout { rtl, width, rows }
}

/// Appends the rows of one paragraph to `out` as UTF-8 lines (each ending in `\n`), padded
/// if `pad`: what `layout_paragraph` would give, without building the cells.
pub fn write_paragraph(text: &str, opts: &LayoutOptions, pad: bool, out: &mut Vec<u8>) {
    let mut any = false;
    lay_out(text, opts, CellOrder::Visual, |frame| {
        any = true;
        if pad {
            out.resize(out.len() + frame.pad, b' ');
        }
        frame.cells(|c| {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.first.encode_utf8(&mut buf).as_bytes());
            out.extend_from_slice(c.rest.as_bytes());
        });
        out.push(b'\n');
    });
    if !any {
        out.push(b'\n');
    }
}

/// The pipeline shared by `layout_paragraph` and `write_paragraph`: calls `on_row` for each
/// row, in order. Returns the paragraph direction and the width used.
fn lay_out(
    text: &str,
    opts: &LayoutOptions,
    order: CellOrder,
    mut on_row: impl FnMut(&reorder::RowFrame),
) -> (bool, Option<usize>) {
    let width = opts.width.map(|w| w.clamp(1, MAX_WIDTH));
    let segmenter = units::Segmenter {
        shaping: opts.shaping,
        reveal_format: opts.reveal_format,
    };
    let mut seg = segmenter.segment(text);
    let info = levels::resolve(text, opts.direction);
    let rtl = info.paragraph_level.is_rtl();
    let lines = match width {
        Some(w) => wrap::break_lines(text, &mut seg, w, opts.reveal_format),
        None => vec![wrap::Line {
            units: 0..seg.units.len(),
            hanging_from: seg.units.len(),
        }],
    };
    for line in &lines {
        let frame = reorder::RowFrame::new(
            &info,
            &seg,
            line,
            opts.reveal_format,
            width,
            text.len(),
            order == CellOrder::Logical,
        );
        on_row(&frame);
    }
    (rtl, width)
}

#[cfg(test)]
mod tests;
