//! Segmentation of a logical paragraph into display units.
//!
//! A unit is one extended grapheme cluster (a base and its marks), or a lam-alef pair when
//! shaping forms the ligature. Units are the atoms of line breaking and reordering: marks can
//! never be separated from their base, and every unit knows the source bytes it shows.

use compact_str::CompactString;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::shaping::{
    compose_hamza, joins_backward, joins_forward, lam_alef_ligature, presentation_form,
    shaping_joining_type, Form, Joining, LAM,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnitKind {
    /// Drawn in one or two cells.
    Visible,
    /// Breaking whitespace: drawn inside a row, hangs (is not drawn) at a row's end.
    Space,
    /// A zero-width format character (bidi controls, ZWJ, BOM...): acts in the algorithm,
    /// never becomes a cell unless format characters are revealed.
    Format,
    /// A character that forces a line break inside the paragraph (LS, PS, NEL, CR, LF).
    Break,
}

#[derive(Clone, Debug)]
pub(crate) struct Unit {
    pub start: usize,
    pub end: usize,
    pub kind: UnitKind,
    pub width: u8,
    /// Display text in logical order (shaped, sanitized); mirroring is applied at reordering.
    pub text: Text,
    /// Joining state of the unit's shaping base, kept so that a forced split can reshape it.
    pub join: Option<JoinState>,
}

/// A unit's display text: nearly always one character; longer texts (a base with marks, a
/// lam-alef with harakat) live in `Segmented::extra`, which keeps units small and cheap to move.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Text {
    Char(char),
    Extra(u32),
}

/// The units of a paragraph and the longer display texts they point to.
pub(crate) struct Segmented {
    pub units: Vec<Unit>,
    pub extra: Vec<CompactString>,
}

impl Segmented {
    fn set_text(&mut self, i: usize, t: CompactString) {
        self.units[i].text = text_value(&mut self.extra, t);
    }

    fn first_char(&self, u: &Unit) -> Option<char> {
        match u.text {
            Text::Char(c) => Some(c),
            Text::Extra(k) => self.extra[k as usize].chars().next(),
        }
    }

    /// The unit's display text as its first character and the rest.
    pub fn text_parts(&self, u: &Unit) -> (char, &str) {
        match u.text {
            Text::Char(c) => (c, ""),
            Text::Extra(k) => {
                let s = self.extra[k as usize].as_str();
                let mut chars = s.chars();
                let first = chars.next().unwrap_or(' ');
                (first, chars.as_str())
            }
        }
    }

    /// The unit's text, moved out.
    pub fn take_text(&mut self, i: usize) -> CompactString {
        match self.units[i].text {
            Text::Char(c) => char_text(c),
            Text::Extra(k) => std::mem::take(&mut self.extra[k as usize]),
        }
    }
}

fn text_value(extra: &mut Vec<CompactString>, t: CompactString) -> Text {
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Text::Char(c),
        _ => {
            extra.push(t);
            Text::Extra((extra.len() - 1) as u32)
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct JoinState {
    pub joins_prev: bool,
    pub joins_next: bool,
}

impl Unit {
    pub fn is_cell(&self, reveal: bool) -> bool {
        match self.kind {
            UnitKind::Visible | UnitKind::Space => true,
            UnitKind::Format | UnitKind::Break => reveal,
        }
    }
}

/// Visible stand-ins for characters that must never reach the terminal raw.
pub(crate) fn control_picture(c: char) -> Option<char> {
    match c {
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32),
        '\u{7F}' => Some('\u{2421}'),
        // C1 controls have no control pictures; the replacement character is unmistakable.
        '\u{80}'..='\u{9F}' => Some('\u{FFFD}'),
        _ => None,
    }
}

/// Zero-width format characters that take part in bidi or joining but are never drawn.
pub(crate) fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

/// A visible marker for a format character, shown when format characters are revealed
/// (the Trojan Source defence) and in conformance tests.
pub(crate) fn format_marker(c: char) -> char {
    match c {
        '\u{200E}' => '⇥', // LRM
        '\u{200F}' => '⇤', // RLM
        '\u{061C}' => '⇤', // ALM
        '\u{202A}' => '⊳', // LRE
        '\u{202B}' => '⊲', // RLE
        '\u{202C}' => '◇', // PDF
        '\u{202D}' => '⋗', // LRO
        '\u{202E}' => '⋖', // RLO
        '\u{2066}' => '⦅', // LRI
        '\u{2067}' => '⦆', // RLI
        '\u{2068}' => '⦂', // FSI
        '\u{2069}' => '⦁', // PDI
        '\u{200D}' => '⁺', // ZWJ
        '\u{200C}' => '⁻', // ZWNJ
        _ => '·',
    }
}

fn is_break_char(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Whitespace that may hang at the end of a row (no-break spaces are not among them).
fn is_breaking_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{1680}' | '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200A}'
        | '\u{205F}' | '\u{3000}')
}

/// Shaping information for one unit, before joins are resolved.
struct Pending {
    /// The base letter, composed with a following hamza/madda mark.
    base: char,
    /// Bytes of prepended concatenation marks before the base (they stay drawn before it).
    prefix: u16,
    /// Where the base (and a mark composed into it) ends in the cluster.
    base_len: u16,
    joining: Joining,
    /// The joining type at the unit's trailing edge, which a ZWJ or ZWNJ inside the cluster
    /// (both are grapheme extenders) overrides.
    trailing: Joining,
}

pub(crate) struct Segmenter {
    pub shaping: bool,
    pub reveal_format: bool,
}

impl Segmenter {
    /// A cluster of one character drawn in `width` cells; its text is its shaped form,
    /// rewritten once its joins are known.
    fn push_letter(
        &self,
        units: &mut Vec<Unit>,
        pending: &mut Vec<Option<Pending>>,
        range: std::ops::Range<usize>,
        c: char,
        width: u8,
        saw_lam: &mut bool,
    ) {
        let joining = if self.shaping && c >= '\u{0600}' {
            *saw_lam |= c == LAM;
            shaping_joining_type(c)
        } else {
            Joining::NonJoining
        };
        units.push(simple(range.start, range.end, UnitKind::Visible, c, width));
        pending.push((joining != Joining::NonJoining).then_some(Pending {
            base: c,
            prefix: 0,
            base_len: c.len_utf8() as u16,
            joining,
            trailing: joining,
        }));
    }

    pub fn segment(&self, text: &str) -> Segmented {
        let mut units: Vec<Unit> = Vec::with_capacity(text.len() / 2 + 1);
        let mut extra: Vec<CompactString> = Vec::new();
        let mut pending: Vec<Option<Pending>> = Vec::with_capacity(units.capacity());
        let mut saw_lam = false;
        for (start, g, simple_char) in (Clusters { text, pos: 0 }) {
            let end = start + g.len();
            let mut chars = g.chars();
            let c0 = chars.next().unwrap_or(' ');
            // Fast path: a simple character is one cell, not a control, format char or break.
            if simple_char && c0 != ' ' {
                self.push_letter(&mut units, &mut pending, start..end, c0, 1, &mut saw_lam);
                continue;
            }
            if g.len() == 1 && c0.is_ascii_graphic() {
                units.push(simple(start, end, UnitKind::Visible, c0, 1));
                pending.push(None);
                continue;
            }
            if is_breaking_space(c0) && g.len() == c0.len_utf8() {
                let w = if c0 == '\u{3000}' { 2 } else { 1 };
                let shown = if c0 == '\u{3000}' { c0 } else { ' ' };
                units.push(simple(start, end, UnitKind::Space, shown, w));
                pending.push(None);
                continue;
            }
            if g.chars().any(is_break_char) {
                units.push(simple(start, end, UnitKind::Break, '↵', 1));
                pending.push(None);
                continue;
            }
            if let Some(pic) = control_picture(c0) {
                // A control character is its own cluster; anything after it is a lone mark
                // cluster of its own, so this unit is exactly one character.
                units.push(simple(start, end, UnitKind::Visible, pic, 1));
                pending.push(None);
                continue;
            }
            if g.chars().all(is_format_char) {
                let j = shaping_joining_type(c0);
                units.push(simple(start, end, UnitKind::Format, format_marker(c0), 1));
                pending.push(Some(Pending {
                    base: c0,
                    prefix: 0,
                    base_len: c0.len_utf8() as u16,
                    joining: j,
                    trailing: j,
                }));
                continue;
            }
            if g.len() == c0.len_utf8() {
                // One character, most of Arabic text: no composition, no marks to carry.
                let width = if simple_char {
                    Some(1)
                } else {
                    unicode_width::UnicodeWidthChar::width(c0)
                };
                if let Some(w @ 1..) = width {
                    self.push_letter(
                        &mut units,
                        &mut pending,
                        start..end,
                        c0,
                        w as u8,
                        &mut saw_lam,
                    );
                    continue;
                }
            }
            // A general cluster: sanitize, measure, and remember the shaping base.
            let mut display = CompactString::default();
            let (prefix, base, base_len) = cluster_base(g, self.shaping);
            let lone_mark = prefix == 0
                && UnicodeWidthStr::width(&g[..c0.len_utf8()]) == 0
                && !is_format_char(c0)
                && unicode_width::UnicodeWidthChar::width(c0) == Some(0);
            if lone_mark {
                // A mark with no base: show it on a dotted circle, as fonts do.
                display.push('\u{25CC}');
            }
            for c in g.chars() {
                if is_format_char(c) {
                    continue;
                }
                display.push(control_picture(c).unwrap_or(c));
            }
            let measured = UnicodeWidthStr::width(display.as_str());
            let mut width = measured as u8;
            let replaced = measured == 0 || measured > u8::MAX as usize;
            if replaced {
                // A cell must say what it draws: an invisible cluster shows as a dotted
                // circle, an absurdly wide one (hundreds of prepended marks) as an ellipsis.
                display.clear();
                display.push(if measured == 0 { '\u{25CC}' } else { '…' });
                width = 1;
            }
            units.push(Unit {
                start,
                end,
                kind: UnitKind::Visible,
                width,
                text: text_value(&mut extra, display),
                join: None,
            });
            // Clusters too long to describe in 16 bits are absurd input: drawn, not shaped.
            let fits = base_len <= u16::MAX as usize;
            if self.shaping && !replaced && fits {
                saw_lam |= base == LAM;
                let joining = shaping_joining_type(base);
                let mut trailing = joining;
                for c in g[base_len..].chars() {
                    match c {
                        '\u{200D}' => trailing = Joining::Causing,
                        '\u{200C}' => trailing = Joining::NonJoining,
                        _ => {}
                    }
                }
                pending.push(Some(Pending {
                    base,
                    prefix: prefix as u16,
                    base_len: base_len as u16,
                    joining,
                    trailing,
                }));
            } else {
                pending.push(None);
            }
        }
        let mut seg = Segmented { units, extra };
        if self.shaping {
            resolve_and_shape(&mut seg, &pending, text);
            // Last, as it merges units and `pending` is indexed like the units before it.
            if saw_lam {
                form_lam_alef(&mut seg, &pending, text);
            }
        }
        if !self.reveal_format {
            for u in &mut seg.units {
                if matches!(u.kind, UnitKind::Format | UnitKind::Break) {
                    u.width = 0;
                }
            }
        }
        seg
    }
}

/// Extended grapheme clusters, as unicode-segmentation finds them, with a shortcut: two
/// neighbouring characters that are both "simple" (no grapheme-break property other than
/// Any) are always separated by a boundary (rule GB999), which covers nearly all news text.
struct Clusters<'a> {
    text: &'a str,
    pos: usize,
}

fn is_simple(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return (0x20..0x7F).contains(&cp);
    }
    if (0x0600..0x0700).contains(&cp) {
        return ARABIC_SIMPLE[(cp - 0x0600) as usize];
    }
    matches!(
        c,
        '\u{00A0}' | '\u{00AB}' | '\u{00BB}' | '\u{2013}' | '\u{2014}' | '\u{2018}'
            ..='\u{201F}' | '\u{2022}' | '\u{2026}'
    )
}

/// Arabic-block characters with no grapheme-break property: letters, digits, punctuation.
static ARABIC_SIMPLE: [bool; 0x100] = {
    let mut t = [false; 0x100];
    let mut cp = 0x0600;
    while cp < 0x0700 {
        t[cp - 0x0600] = matches!(cp, 0x060C | 0x061B | 0x061F | 0x0621..=0x064A | 0x0660..=0x066D
            | 0x0671..=0x06D3);
        cp += 1;
    }
    t
};

impl<'a> Iterator for Clusters<'a> {
    /// Start, cluster, and whether it is one simple character (always one cell wide).
    type Item = (usize, &'a str, bool);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = &self.text[self.pos..];
        let mut chars = rest.chars();
        let c = chars.next()?;
        let simple = is_simple(c) && chars.next().is_none_or(is_simple);
        let len = if simple {
            c.len_utf8()
        } else {
            // Starting at a known boundary, the crate's answer does not depend on what precedes.
            rest.graphemes(true).next().map_or(c.len_utf8(), str::len)
        };
        let start = self.pos;
        self.pos += len;
        Some((start, &rest[..len], simple))
    }
}

fn char_text(c: char) -> CompactString {
    let mut buf = [0u8; 4];
    CompactString::from(&*c.encode_utf8(&mut buf))
}

fn simple(start: usize, end: usize, kind: UnitKind, c: char, width: u8) -> Unit {
    let text = Text::Char(c);
    Unit {
        start,
        end,
        kind,
        width,
        text,
        join: None,
    }
}

/// Decides for every joining unit whether it joins its neighbours, skipping transparent ones,
/// and shapes each unit as soon as both its joins are known.
fn resolve_and_shape(seg: &mut Segmented, pending: &[Option<Pending>], text: &str) {
    // The nearest preceding non-transparent unit and its trailing joining type.
    let mut prev: Option<(usize, Joining)> = None;
    for (i, p) in pending.iter().enumerate() {
        let Some(p) = p else {
            finish(seg, pending, text, prev.take());
            continue;
        };
        if p.joining == Joining::Transparent {
            continue;
        }
        if p.joining == Joining::NonJoining {
            // Not shaped (hamza stays U+0621, as in libfribidi), but a ZWJ inside still causes.
            finish(seg, pending, text, prev.replace((i, p.trailing)));
            continue;
        }
        // A prepended mark (non-joining) stands between the base and what precedes it.
        let joins_prev = p.prefix == 0
            && joins_backward(p.joining)
            && prev.is_some_and(|(_, pj)| joins_forward(pj));
        if joins_prev {
            if let Some((pi, _)) = prev {
                if let Some(js) = &mut seg.units[pi].join {
                    js.joins_next = true;
                }
            }
        }
        // A ZWJ inside the cluster (it extends graphemes) is itself a join to the next side.
        let zwj_inside = p.trailing == Joining::Causing && p.joining != Joining::Causing;
        seg.units[i].join = Some(JoinState {
            joins_prev,
            joins_next: zwj_inside && joins_forward(p.joining),
        });
        finish(seg, pending, text, prev.replace((i, p.trailing)));
    }
    finish(seg, pending, text, prev);
}

/// Shapes a unit whose joins are final.
fn finish(
    seg: &mut Segmented,
    pending: &[Option<Pending>],
    text: &str,
    unit: Option<(usize, Joining)>,
) {
    let Some((i, _)) = unit else { return };
    let u = &seg.units[i];
    if let (Some(p), Some(js)) = (&pending[i], u.join) {
        if u.kind == UnitKind::Visible {
            let src = &text[u.start..u.end];
            shape_unit(seg, i, p, js, src);
        }
    }
}

/// Merges each lam with the alef that follows it into one ligature unit.
fn form_lam_alef(seg: &mut Segmented, pending: &[Option<Pending>], text: &str) {
    let mut i = 0;
    let units = &mut seg.units;
    let mut merged: Vec<usize> = Vec::new();
    while i + 1 < units.len() {
        let (Some(lam), Some(alef)) = (&pending[i], &pending[i + 1]) else {
            i += 1;
            continue;
        };
        let lam_js = units[i].join;
        if lam.base != LAM
            || lam.prefix != 0
            || alef.prefix != 0
            || units[i].kind != UnitKind::Visible
            || lam.trailing != Joining::Dual
        {
            i += 1;
            continue;
        }
        let Some(js) = lam_js else {
            i += 1;
            continue;
        };
        let Some(lig) = lam_alef_ligature(alef.base, js.joins_prev) else {
            i += 1;
            continue;
        };
        if units[i + 1].kind != UnitKind::Visible {
            i += 1;
            continue;
        }
        // Ligature, then lam's marks, then alef's marks: each haraka stays in the cell.
        let mut t = CompactString::default();
        t.push(lig);
        let lam_src = &text[units[i].start..units[i].end];
        let alef_src = &text[units[i + 1].start..units[i + 1].end];
        for c in lam_src[lam.base_len as usize..]
            .chars()
            .chain(alef_src[alef.base_len as usize..].chars())
        {
            if !is_format_char(c) {
                t.push(c);
            }
        }
        units[i].text = text_value(&mut seg.extra, t);
        units[i].end = units[i + 1].end;
        units[i].width = 1;
        units[i].join = Some(JoinState {
            joins_prev: js.joins_prev,
            joins_next: false,
        });
        merged.push(i + 1);
        i += 2;
    }
    if !merged.is_empty() {
        let mut k = 0;
        let mut idx = 0;
        units.retain(|_| {
            let keep = merged.get(k) != Some(&idx);
            if !keep {
                k += 1;
            }
            idx += 1;
            keep
        });
    }
}

/// Rebuilds the display text of a shaped letter for its joining state.
pub(crate) fn shape_unit_text(
    src: &str,
    (prefix, base, base_len): (usize, char, usize),
    js: JoinState,
) -> Option<CompactString> {
    let form = Form::from_joins(js.joins_prev, js.joins_next);
    let composed = base_len - prefix != base.len_utf8();
    let shaped = presentation_form(base, form).or_else(|| composed.then_some(base))?;
    let mut t = CompactString::default();
    let mut push = |c: char| {
        if !is_format_char(c) {
            t.push(control_picture(c).unwrap_or(c));
        }
    };
    src[..prefix].chars().for_each(&mut push);
    push(shaped);
    src[base_len..].chars().for_each(&mut push);
    Some(t)
}

/// Prepended concatenation marks (Grapheme_Cluster_Break=Prepend in Arabic and Syriac): they
/// open the cluster of the letter or digit they span.
fn is_prepended_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0600}'
            ..='\u{0605}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'
                | '\u{0891}'
                | '\u{08E2}'
                | '\u{110BD}'
                | '\u{110CD}'
    )
}

/// The shaping base of a cluster: `(bytes of prepended marks before it, the base composed
/// with a following hamza or madda, where that base ends)`.
fn cluster_base(g: &str, shaping: bool) -> (usize, char, usize) {
    let prefix = g
        .char_indices()
        .find(|&(_, c)| !is_prepended_mark(c))
        .map_or(0, |(i, _)| i);
    let mut chars = g[prefix..].chars();
    let Some(c0) = chars.next() else {
        return (0, g.chars().next().unwrap_or(' '), g.len().min(4));
    };
    let mut end = prefix + c0.len_utf8();
    let mut base = c0;
    if shaping {
        if let Some(composed) = chars
            .next()
            .and_then(|m| compose_hamza(c0, m).map(|b| (b, m)))
        {
            base = composed.0;
            end += composed.1.len_utf8();
        }
    }
    (prefix, base, end)
}

fn shape_unit(seg: &mut Segmented, i: usize, p: &Pending, js: JoinState, src: &str) {
    if p.prefix == 0 && src.len() == p.base_len as usize {
        // A lone letter: no marks to carry over.
        let form = Form::from_joins(js.joins_prev, js.joins_next);
        seg.units[i].text = Text::Char(presentation_form(p.base, form).unwrap_or(p.base));
        return;
    }
    let base = (p.prefix as usize, p.base, p.base_len as usize);
    if let Some(t) = shape_unit_text(src, base, js) {
        seg.set_text(i, t);
    }
}

fn is_lam_alef(seg: &Segmented, unit: &Unit) -> bool {
    seg.first_char(unit)
        .is_some_and(|c| ('\u{FEF5}'..='\u{FEFC}').contains(&c))
}

/// Re-shapes the units on both sides of a forced split so that neither half joins across it.
pub(crate) fn cut_joins(seg: &mut Segmented, at: usize, text: &str) {
    // Only the nearest joining unit on each side, past transparent ones, can join across.
    if let Some(i) = nearest_joining(seg, text, (0..at).rev()) {
        if let Some(mut js) = seg.units[i].join {
            if js.joins_next {
                js.joins_next = false;
                seg.units[i].join = Some(js);
                reshape(seg, i, js, text);
            }
        }
    }
    if let Some(i) = nearest_joining(seg, text, at..seg.units.len()) {
        if let Some(mut js) = seg.units[i].join {
            if js.joins_prev {
                js.joins_prev = false;
                seg.units[i].join = Some(js);
                reshape(seg, i, js, text);
            }
        }
    }
}

/// The first unit in `order` with a joining state, looking past transparent units only (and
/// at most a few dozen of them, so that a run of lone marks cannot make cuts quadratic).
fn nearest_joining(
    seg: &Segmented,
    text: &str,
    order: impl Iterator<Item = usize>,
) -> Option<usize> {
    for i in order.take(64) {
        let u = &seg.units[i];
        if u.join.is_some() {
            return Some(i);
        }
        let transparent = text[u.start..u.end]
            .chars()
            .next()
            .is_some_and(|c| shaping_joining_type(c) == Joining::Transparent);
        if !transparent {
            return None;
        }
    }
    None
}

fn reshape(seg: &mut Segmented, i: usize, js: JoinState, text: &str) {
    let unit = &seg.units[i];
    let src = &text[unit.start..unit.end];
    if src.is_empty() {
        return;
    }
    if is_lam_alef(seg, unit) {
        // Only the lam side of a ligature can lose a join.
        let alef_start = src
            .char_indices()
            .skip(1)
            .find(|&(_, c)| shaping_joining_type(c) != Joining::Transparent)
            .map(|(i, _)| i);
        if let Some(ai) = alef_start {
            let mut alef_chars = src[ai..].chars();
            let a0 = alef_chars.next().unwrap_or('ا');
            let alef = alef_chars
                .next()
                .and_then(|m| compose_hamza(a0, m))
                .unwrap_or(a0);
            if let Some(lig) = lam_alef_ligature(alef, js.joins_prev) {
                let old = seg.take_text(i);
                let mut t = CompactString::default();
                t.push(lig);
                t.push_str(&old[old.chars().next().map_or(0, char::len_utf8)..]);
                seg.set_text(i, t);
            }
        }
        return;
    }
    if let Some(t) = shape_unit_text(src, cluster_base(src, true), js) {
        seg.set_text(i, t);
    }
}

#[cfg(test)]
mod tests {
    use super::Clusters;
    use unicode_segmentation::UnicodeSegmentation;

    #[test]
    fn clusters_match_unicode_segmentation() {
        let mut samples: Vec<String> = crate::corpus::SAMPLE
            .iter()
            .map(|(_, t)| t.to_string())
            .collect();
        samples.push("بِسْمِ اللَّهِ a\u{301}b 🇸🇦🇪🇬x 👨\u{200D}👩 1\u{FE0F}\u{20E3} \r\n\u{0600}ب ب\u{200D}ـ \u{1b}[1m".into());
        for s in samples {
            let ours: Vec<(usize, &str)> = Clusters { text: &s, pos: 0 }
                .map(|(i, g, _)| (i, g))
                .collect();
            let theirs: Vec<(usize, &str)> = s.grapheme_indices(true).collect();
            assert_eq!(ours, theirs);
        }
    }
}
