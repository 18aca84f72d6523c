//! Matching normalization with a map back to the original text.
//!
//! One `norm()` for keys and text (see `docs/entities.md`): bidi and zero-width marks,
//! tatweel and harakat are dropped; `أ إ آ ٱ` → `ا`, `ى ی` → `ي`, `ة` → `ه`, `ک` → `ك`,
//! Arabic-Indic digits → ASCII, ASCII letters lowercased. A decomposed hamza (`و`/`ي` +
//! U+0654) is composed first, as NFC would. Every normalized byte remembers the original
//! byte range of the character it comes from; dropped marks extend the range of the letter
//! before them, so a mention that ends on a letter covers its harakat.

use std::ops::Range;

/// Characters dropped by normalization.
#[inline]
pub fn is_ignored(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}' | '\u{06E7}' | '\u{06E8}' | '\u{06EA}'..='\u{06ED}'
        | '\u{0640}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{061C}' | '\u{FEFF}' | '\u{00AD}')
}

/// The character `c` is normalized to (for characters that are not ignored).
#[inline]
pub fn fold_char(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
        'ى' | 'ی' => 'ي',
        'ة' => 'ه',
        'ک' => 'ك',
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        _ => c,
    }
}

/// Normalize a string (no offsets): for keys and gazetteer entries.
pub fn norm(s: &str) -> String {
    Normalized::new(s).text
}

/// Normalized text plus, for each of its bytes, the original byte range it comes from.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    pub text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl Normalized {
    pub fn new(src: &str) -> Normalized {
        Normalized::with_base(src, 0)
    }

    /// Normalize `src`, recording offsets shifted by `base` (the offset of `src` in a
    /// larger text).
    pub fn with_base(src: &str, base: usize) -> Normalized {
        let mut text = String::with_capacity(src.len());
        let mut starts: Vec<u32> = Vec::with_capacity(src.len());
        let mut ends: Vec<u32> = Vec::with_capacity(src.len());
        for (i, c) in src.char_indices() {
            let o = (base + i) as u32;
            let e = o + c.len_utf8() as u32;
            if c.is_ascii() {
                text.push(c.to_ascii_lowercase());
                starts.push(o);
                ends.push(e);
                continue;
            }
            if is_ignored(c) {
                // Compose a decomposed hamza above with its carrier (NFC).
                if c == '\u{0654}' {
                    let composed = match text.chars().next_back() {
                        Some('و') => Some('ؤ'),
                        Some('ي') => Some('ئ'),
                        _ => None,
                    };
                    if let Some(k) = composed {
                        // Both are two bytes long: replace in place.
                        text.pop();
                        text.push(k);
                    }
                }
                // The mark belongs to the letter before it, if adjacent.
                if let Some(&last_end) = ends.last() {
                    if last_end == o {
                        let start = *starts.last().unwrap_or(&0);
                        for (s, en) in starts.iter().rev().zip(ends.iter_mut().rev()) {
                            if *s != start {
                                break;
                            }
                            *en = e;
                        }
                    }
                }
                continue;
            }
            let f = fold_char(c);
            let before = text.len();
            text.push(f);
            for _ in before..text.len() {
                starts.push(o);
                ends.push(e);
            }
        }
        Normalized { text, starts, ends }
    }

    /// The original byte range covered by the normalized byte range `r` (empty ranges and
    /// out-of-range offsets give `None`).
    pub fn original(&self, r: Range<usize>) -> Option<Range<usize>> {
        if r.is_empty() || r.end > self.starts.len() {
            return None;
        }
        Some(self.starts[r.start] as usize..self.ends[r.end - 1] as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_marks_and_digits() {
        assert_eq!(norm("أميركا"), "اميركا");
        assert_eq!(norm("إيران"), "ايران");
        assert_eq!(norm("آسيا"), "اسيا");
        assert_eq!(norm("ٱلله"), "الله");
        assert_eq!(norm("على"), "علي");
        assert_eq!(norm("القاهرة"), "القاهره");
        assert_eq!(norm("مُحَمَّدٌ"), "محمد");
        assert_eq!(norm("الســـلام"), "السلام");
        assert_eq!(norm("بو\u{200F}تين"), "بوتين");
        assert_eq!(norm("\u{2067}جنيف\u{2069}"), "جنيف");
        assert_eq!(norm("٢٠٢١ ۱۶"), "2021 16");
        assert_eq!(norm("Geneva NATO"), "geneva nato");
        assert_eq!(norm("کی"), "كي");
    }

    #[test]
    fn decomposed_hamza_is_composed() {
        assert_eq!(norm("مسو\u{0654}ول"), "مسؤول");
        assert_eq!(norm("ر\u{0627}\u{0654}يس"), "رايس");
    }

    #[test]
    fn offsets_map_back_and_cover_marks() {
        let src = "قال مُحَمَّدٌ";
        let n = Normalized::new(src);
        let at = n.text.find("محمد").unwrap();
        let r = n.original(at..at + "محمد".len()).unwrap();
        assert_eq!(&src[r], "مُحَمَّدٌ");
        let base = Normalized::with_base("بوتين", 10);
        assert_eq!(base.original(0..2), Some(10..12));
        assert_eq!(base.original(3..3), None);
        assert_eq!(base.original(0..100), None);
    }
}
