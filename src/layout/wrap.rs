//! Line breaking in logical order at UAX #14 opportunities, measured in cells of the shaped
//! units (never `str::width` of the source, which counts an unshaped lam-alef as one cell).

use std::ops::Range;

use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::units::{cut_joins, Segmented, Unit, UnitKind};

/// One line of a paragraph, as a range of unit indices.
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub units: Range<usize>,
    /// Units from here to the end of the line are whitespace hanging past the row's end.
    pub hanging_from: usize,
}

/// Greedy breaking: a line takes units while they fit; breaking whitespace at a line's end
/// hangs (it is not counted, nor drawn); a word wider than the line is split between units,
/// and the two halves are reshaped so that neither joins across the split.
pub(crate) fn break_lines(
    text: &str,
    seg: &mut Segmented,
    width: usize,
    reveal: bool,
) -> Vec<Line> {
    let units = &seg.units;
    let n = units.len();
    let mut lines = Vec::new();
    if n == 0 {
        return lines;
    }
    // A paragraph that fits needs no break opportunities (titles, captions, short lines).
    let total: usize = units.iter().map(|u| u.width as usize).sum();
    if total <= width && !units.iter().any(|u| u.kind == UnitKind::Break) {
        return vec![line(units, 0..n, reveal)];
    }
    // Break opportunities before each unit (index = unit), from UAX #14 byte positions.
    let mut allowed = vec![false; n];
    let mut mandatory = vec![false; n];
    {
        let mut ui = 0;
        for (pos, kind) in linebreaks(text) {
            while ui < n && units[ui].start < pos {
                ui += 1;
            }
            if ui < n && units[ui].start == pos {
                allowed[ui] = true;
                if kind == BreakOpportunity::Mandatory {
                    mandatory[ui] = true;
                }
            }
        }
    }
    let mut start = 0;
    let mut used = 0usize; // cells used, including whitespace that may yet hang
    let mut last_opportunity: Option<usize> = None;
    let mut has_content = false; // a drawn, non-space unit since `start`
    let mut forced: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < n {
        if i > start && allowed[i] {
            if mandatory[i] {
                lines.push(line(units, start..i, reveal));
                start = i;
                used = 0;
                has_content = false;
                last_opportunity = None;
            } else {
                last_opportunity = Some(i);
            }
        }
        let u = &units[i];
        let w = u.width as usize;
        let hangs = matches!(u.kind, UnitKind::Space | UnitKind::Break)
            || (u.kind == UnitKind::Format && !reveal);
        if hangs || w == 0 {
            used += w;
            i += 1;
            continue;
        }
        if (has_content || used > 0) && used + w > width {
            let brk = match last_opportunity {
                Some(b) if b > start => b,
                _ => {
                    if has_content {
                        forced.push(i);
                    }
                    i
                }
            };
            if brk > start {
                lines.push(line(units, start..brk, reveal));
                start = brk;
                last_opportunity = None;
                used = units[brk..i].iter().map(|u| u.width as usize).sum();
                if used > 0 && used + w > width {
                    // What was carried over still leaves no room: split before this unit.
                    let carried_content = units[brk..i].iter().any(|u| u.kind == UnitKind::Visible);
                    if carried_content {
                        forced.push(i);
                    }
                    lines.push(line(units, start..i, reveal));
                    start = i;
                    used = 0;
                }
            }
        }
        used += w;
        has_content = true;
        i += 1;
    }
    lines.push(line(units, start..n, reveal));
    for at in forced {
        cut_joins(seg, at, text);
    }
    lines
}

fn line(units: &[Unit], range: Range<usize>, reveal: bool) -> Line {
    let mut hanging_from = range.end;
    while hanging_from > range.start
        && match units[hanging_from - 1].kind {
            UnitKind::Space | UnitKind::Break => true,
            UnitKind::Format => !reveal,
            UnitKind::Visible => false,
        }
    {
        hanging_from -= 1;
    }
    Line {
        units: range,
        hanging_from,
    }
}
