//! Arabic shaping to presentation forms (Forms-B, and Forms-A for the letters that have them).
//!
//! Written by hand because the reshaper crates return a new string: we need to know, for every
//! output cell, which source bytes it came from. The tables are generated from the Unicode
//! Character Database by `tools/gen_shaping_tables.py`.

use std::sync::LazyLock;

use super::shaping_tables::{FORMS, JOINING, LAM_ALEF};

/// Joining type (ArabicShaping.txt), with `NonJoining` for everything unlisted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joining {
    Right,
    Left,
    Dual,
    Causing,
    Transparent,
    NonJoining,
}

/// The four contextual forms, in the order the tables store them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Isolated = 0,
    Final = 1,
    Initial = 2,
    Medial = 3,
}

impl Form {
    pub fn from_joins(joins_prev: bool, joins_next: bool) -> Form {
        match (joins_prev, joins_next) {
            (true, true) => Form::Medial,
            (true, false) => Form::Final,
            (false, true) => Form::Initial,
            (false, false) => Form::Isolated,
        }
    }
}

/// Shaping data of the Arabic blocks (U+0600–U+08FF), looked up directly rather than by
/// binary search, as nearly every character of an Arabic paragraph asks for it.
struct ArabicEntry {
    joining: Joining,
    /// The type used for shaping (see `shaping_joining_type`).
    shaping: Joining,
    forms: Option<&'static [u32; 4]>,
}

static ARABIC: LazyLock<Vec<ArabicEntry>> = LazyLock::new(|| {
    (0x0600..0x0900)
        .map(|cp| {
            let joining = lookup_joining(cp);
            let forms = lookup_forms(cp);
            let shaping = match joining {
                Joining::Right | Joining::Left | Joining::Dual if forms.is_none() => {
                    Joining::NonJoining
                }
                j => j,
            };
            ArabicEntry {
                joining,
                shaping,
                forms,
            }
        })
        .collect()
});

/// The joining type of `c` per ArabicShaping.txt.
pub fn joining_type(c: char) -> Joining {
    let cp = c as u32;
    if (0x0600..0x0900).contains(&cp) {
        return ARABIC[(cp - 0x0600) as usize].joining;
    }
    lookup_joining(cp)
}

fn lookup_joining(cp: u32) -> Joining {
    // Nothing below U+00AD (SOFT HYPHEN, Cf) joins or is transparent.
    if cp < 0xAD {
        return Joining::NonJoining;
    }
    match JOINING.binary_search_by(|&(lo, hi, _)| {
        if hi < cp {
            std::cmp::Ordering::Less
        } else if lo > cp {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        Ok(i) => JOINING[i].2,
        Err(_) => Joining::NonJoining,
    }
}

fn forms_of(c: char) -> Option<&'static [u32; 4]> {
    let cp = c as u32;
    if !(0x0600..0x0900).contains(&cp) {
        return None;
    }
    ARABIC[(cp - 0x0600) as usize].forms
}

fn lookup_forms(cp: u32) -> Option<&'static [u32; 4]> {
    FORMS
        .binary_search_by_key(&cp, |&(base, _)| base)
        .ok()
        .map(|i| &FORMS[i].1)
}

/// The presentation form of `c`, if the Unicode presentation blocks have one.
pub fn presentation_form(c: char, form: Form) -> Option<char> {
    let cp = forms_of(c)?[form as usize];
    if cp == 0 {
        None
    } else {
        char::from_u32(cp)
    }
}

/// The joining type used for shaping: letters that have no presentation form at all are
/// drawn isolated whatever we do, so their neighbours must not take a joining form toward them
/// (a half-joined letter beside an unjoined one reads worse than two isolated ones).
pub fn shaping_joining_type(c: char) -> Joining {
    let cp = c as u32;
    if (0x0600..0x0900).contains(&cp) {
        return ARABIC[(cp - 0x0600) as usize].shaping;
    }
    match lookup_joining(cp) {
        j @ (Joining::Right | Joining::Left | Joining::Dual) => {
            if forms_of(c).is_some() {
                j
            } else {
                Joining::NonJoining
            }
        }
        j => j,
    }
}

/// Whether a letter of type `j` joins toward the following letter.
pub fn joins_forward(j: Joining) -> bool {
    matches!(j, Joining::Dual | Joining::Left | Joining::Causing)
}

/// Whether a letter of type `j` accepts a join from the preceding letter.
pub fn joins_backward(j: Joining) -> bool {
    matches!(j, Joining::Dual | Joining::Right | Joining::Causing)
}

pub const LAM: char = '\u{0644}';

/// The mandatory lam-alef ligature for `alef` after a lam, isolated or final.
pub fn lam_alef_ligature(alef: char, lam_joins_prev: bool) -> Option<char> {
    let cp = alef as u32;
    let i = LAM_ALEF.binary_search_by_key(&cp, |&(a, _)| a).ok()?;
    char::from_u32(LAM_ALEF[i].1[usize::from(lam_joins_prev)])
}

/// Composes a base letter with a following hamza or madda mark (NFC for the shaping tables,
/// which are keyed on precomposed letters: ا + ٔ → أ).
pub fn compose_hamza(base: char, mark: char) -> Option<char> {
    if matches!(mark, '\u{0653}' | '\u{0654}' | '\u{0655}') {
        unicode_normalization::char::compose(base, mark)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_types_of_common_letters() {
        assert_eq!(joining_type('ب'), Joining::Dual);
        assert_eq!(joining_type('ا'), Joining::Right);
        assert_eq!(joining_type('ء'), Joining::NonJoining);
        assert_eq!(joining_type('\u{0640}'), Joining::Causing);
        assert_eq!(joining_type('\u{200D}'), Joining::Causing);
        assert_eq!(joining_type('\u{200C}'), Joining::NonJoining);
        assert_eq!(joining_type('\u{064E}'), Joining::Transparent);
        assert_eq!(joining_type('\u{200F}'), Joining::Transparent);
        assert_eq!(joining_type('a'), Joining::NonJoining);
    }

    #[test]
    fn forms_of_beh() {
        assert_eq!(presentation_form('ب', Form::Isolated), Some('\u{FE8F}'));
        assert_eq!(presentation_form('ب', Form::Final), Some('\u{FE90}'));
        assert_eq!(presentation_form('ب', Form::Initial), Some('\u{FE91}'));
        assert_eq!(presentation_form('ب', Form::Medial), Some('\u{FE92}'));
        assert_eq!(presentation_form('ا', Form::Initial), None);
        // Persian letters shape through Forms-A.
        assert_eq!(presentation_form('پ', Form::Initial), Some('\u{FB58}'));
    }

    #[test]
    fn lam_alef_and_hamza_composition() {
        assert_eq!(lam_alef_ligature('ا', false), Some('\u{FEFB}'));
        assert_eq!(lam_alef_ligature('ا', true), Some('\u{FEFC}'));
        assert_eq!(lam_alef_ligature('آ', false), Some('\u{FEF5}'));
        assert_eq!(lam_alef_ligature('ب', false), None);
        assert_eq!(compose_hamza('ا', '\u{0654}'), Some('أ'));
        assert_eq!(compose_hamza('ا', '\u{064E}'), None);
    }

    #[test]
    fn letters_without_forms_do_not_join() {
        // U+0762 is dual-joining but has no presentation forms.
        assert_eq!(joining_type('\u{0762}'), Joining::Dual);
        assert_eq!(shaping_joining_type('\u{0762}'), Joining::NonJoining);
        assert_eq!(shaping_joining_type('ب'), Joining::Dual);
    }
}
