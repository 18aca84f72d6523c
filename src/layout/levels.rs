//! Bidi levels of a paragraph (UAX #9 rules P, X, W, N, I), resolved once per paragraph.
//!
//! Most news paragraphs have no explicit embeddings, isolates, boundary neutrals or bracket
//! pairs; then the whole paragraph is one isolating run sequence at the paragraph level and
//! rules W1–W7, N1–N2 and I1–I2 come down to a few linear passes over its characters, done
//! here. Any other paragraph goes to unicode-bidi. Both paths are checked by the full
//! BidiTest.txt / BidiCharacterTest.txt runs in `tests/bidi_conformance.rs`.

use unicode_bidi::{BidiClass, BidiDataSource, Level, ParagraphBidiInfo};

use super::bidi_data::FastBidiData;
use super::Direction;

/// Classes and levels per byte (set at every character's first byte; the other bytes of a
/// character are never read).
pub(crate) struct Levels<'t> {
    pub text: &'t str,
    pub original_classes: Vec<BidiClass>,
    pub levels: Vec<Level>,
    pub paragraph_level: Level,
}

pub(crate) fn resolve(text: &str, direction: Direction) -> Levels<'_> {
    if let Some(l) = simple(text, direction) {
        return l;
    }
    let level = match direction {
        Direction::Auto => None,
        Direction::Rtl => Some(Level::rtl()),
        Direction::Ltr => Some(Level::ltr()),
    };
    let info = ParagraphBidiInfo::new_with_data_source(&FastBidiData, text, level);
    Levels {
        text,
        original_classes: info.original_classes,
        levels: info.levels,
        paragraph_level: info.paragraph_level,
    }
}

/// The fast path; `None` when the paragraph needs the full algorithm.
fn simple(text: &str, direction: Direction) -> Option<Levels<'_>> {
    use BidiClass::*;
    let data = FastBidiData;
    // Original classes per byte (what L1 and mirroring read), classes per character (what the
    // W and N rules rewrite), and each character's byte offset.
    let mut original_classes = vec![ON; text.len()];
    let mut classes: Vec<BidiClass> = Vec::with_capacity(text.len());
    let mut offsets: Vec<u32> = Vec::with_capacity(text.len());
    let mut first_strong: Option<BidiClass> = None;
    // Whether anything but right-to-left letters, marks and neutrals occurs.
    let mut has_ltr_or_numbers = false;
    let table = super::bidi_data::class_table();
    for (i, c) in text.char_indices() {
        let class = super::bidi_data::class_of(table, c);
        match class {
            R | AL | WS | NSM | CS | S => {}
            LRE | RLE | LRO | RLO | PDF | LRI | RLI | FSI | PDI | BN | B => return None,
            ON => {
                if may_be_bracket(c) && data.bidi_matched_opening_bracket(c).is_some() {
                    return None;
                }
            }
            _ => has_ltr_or_numbers = true,
        }
        if first_strong.is_none() && matches!(class, L | R | AL) {
            first_strong = Some(class);
        }
        original_classes[i] = class;
        classes.push(class);
        offsets.push(i as u32);
    }
    let para_rtl = match direction {
        Direction::Rtl => true,
        Direction::Ltr => false,
        Direction::Auto => matches!(first_strong, Some(R | AL)),
    };
    if para_rtl && !has_ltr_or_numbers {
        // Only R/AL, marks and neutrals in a right-to-left paragraph: W1–W7 leave neutrals
        // and R, N1–N2 make every neutral R (sos, eos and all strong types are R), so every
        // character is at level 1.
        return Some(Levels {
            text,
            original_classes,
            levels: vec![Level::rtl(); text.len()],
            paragraph_level: Level::rtl(),
        });
    }
    let sos = if para_rtl { R } else { L };
    resolve_weak(&mut classes, sos);
    resolve_neutral(&mut classes, sos);
    let para = u8::from(para_rtl);
    let level_of = |class: BidiClass| -> u8 {
        match (para_rtl, class) {
            (false, R) => 1,
            (false, AN | EN) => 2,
            (true, L | EN | AN) => 2,
            _ => para,
        }
    };
    let all: [Level; 3] = [Level::ltr(), Level::rtl(), Level::new(2).ok()?];
    let mut levels = vec![all[usize::from(para)]; text.len()];
    for (&off, &class) in offsets.iter().zip(&classes) {
        levels[off as usize] = all[usize::from(level_of(class))];
    }
    Some(Levels {
        text,
        original_classes,
        levels,
        paragraph_level: all[usize::from(para)],
    })
}

/// A cheap test that rules out most punctuation before the bracket table is searched.
fn may_be_bracket(c: char) -> bool {
    match c as u32 {
        0..=0x7F => matches!(c, '(' | ')' | '[' | ']' | '{' | '}'),
        0x80..=0x0F39 | 0x2000..=0x2044 => false,
        _ => true,
    }
}

/// Rules W1–W7 over one isolating run sequence whose sos and eos are both `sos`.
fn resolve_weak(classes: &mut [BidiClass], sos: BidiClass) {
    use BidiClass::*;
    // W1–W3 in one pass: NSM takes the previous class; EN after AL becomes AN; AL becomes R.
    let mut prev = sos;
    let mut last_strong = sos;
    for c in classes.iter_mut() {
        if *c == NSM {
            *c = prev;
        }
        match *c {
            R | L | AL => last_strong = *c,
            EN if last_strong == AL => *c = AN,
            _ => {}
        }
        prev = *c;
        if *c == AL {
            *c = R;
        }
    }
    // W1 must see the class before W3 rewrote it (an NSM after AL is AL, then R): the pass
    // above sets `prev` before rewriting AL, so it does.
    // W4: a single ES between two EN, a single CS between two numbers of the same type.
    let n = classes.len();
    for i in 1..n.saturating_sub(1) {
        let (before, after) = (classes[i - 1], classes[i + 1]);
        match classes[i] {
            ES if before == EN && after == EN => classes[i] = EN,
            CS if before == EN && after == EN => classes[i] = EN,
            CS if before == AN && after == AN => classes[i] = AN,
            _ => {}
        }
    }
    // W5: a sequence of ET next to EN becomes EN.
    let mut i = 0;
    while i < n {
        if classes[i] == ET {
            let start = i;
            while i < n && classes[i] == ET {
                i += 1;
            }
            let touches_en = (start > 0 && classes[start - 1] == EN) || (i < n && classes[i] == EN);
            if touches_en {
                for c in &mut classes[start..i] {
                    *c = EN;
                }
            }
        } else {
            i += 1;
        }
    }
    // W6 and W7.
    let mut last_strong = sos;
    for c in classes.iter_mut() {
        match *c {
            ES | ET | CS => *c = ON,
            R | L => last_strong = *c,
            EN if last_strong == L => *c = L,
            _ => {}
        }
    }
}

/// Rules N1–N2: neutrals between two strong types of one direction take it, others take the
/// embedding direction (sos here). Numbers count as R.
fn resolve_neutral(classes: &mut [BidiClass], sos: BidiClass) {
    use BidiClass::*;
    let strong = |c: BidiClass| match c {
        L => Some(L),
        R | AN | EN => Some(R),
        _ => None,
    };
    let n = classes.len();
    let mut prev = sos;
    let mut i = 0;
    while i < n {
        match strong(classes[i]) {
            Some(s) => {
                prev = s;
                i += 1;
            }
            None => {
                let start = i;
                while i < n && strong(classes[i]).is_none() {
                    i += 1;
                }
                let next = if i < n {
                    strong(classes[i]).unwrap_or(sos)
                } else {
                    sos
                };
                let resolved = if prev == next { prev } else { sos };
                for c in &mut classes[start..i] {
                    *c = resolved;
                }
            }
        }
    }
}
