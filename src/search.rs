//! Search that understands Arabic spelling variation, for the reader's `/` and the entity
//! matcher: harakat, tatweel and bidi marks are ignored; أ إ آ ٱ match ا, ى matches ي, ة matches
//! ه; Latin letters match regardless of case. Matching happens on a folded copy of the text;
//! every match is reported as a byte range of the original text, so highlights and jumps use
//! logical offsets.

use std::ops::Range;

/// Text folded for matching, with the way back to the original.
#[derive(Clone, Debug)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// For each byte of `text`, the original byte range of the character it comes from.
    origin: Vec<Range<usize>>,
}

/// Characters that matching ignores entirely.
fn ignored(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}' | '\u{06E7}' | '\u{06E8}' | '\u{06EA}'..='\u{06ED}'
        | '\u{0640}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{061C}' | '\u{FEFF}' | '\u{00AD}')
}

/// The character `c` matches as.
fn fold_char(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
        'ى' | 'ی' => 'ي',
        'ة' => 'ه',
        'ک' => 'ك',
        _ => c,
    }
}

impl Folded {
    pub fn new(text: &str) -> Folded {
        let mut folded = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            if ignored(c) {
                // Marks belong to the character before them: a match ending there covers them.
                if let Some(last) = origin.last_mut() {
                    let r: &mut Range<usize> = last;
                    if r.end == i {
                        let end = i + c.len_utf8();
                        let start = r.start;
                        // Every byte of the previous folded character shares its range.
                        for o in origin.iter_mut().rev() {
                            if o.start != start {
                                break;
                            }
                            o.end = end;
                        }
                    }
                }
                continue;
            }
            let range = i..i + c.len_utf8();
            for lower in fold_char(c).to_lowercase() {
                let before = folded.len();
                folded.push(lower);
                origin.extend(std::iter::repeat_n(range.clone(), folded.len() - before));
            }
        }
        Folded {
            text: folded,
            origin,
        }
    }

    /// The original byte range covered by the folded byte range `r`.
    pub fn original(&self, r: Range<usize>) -> Option<Range<usize>> {
        if r.is_empty() {
            return None;
        }
        let first = self.origin.get(r.start)?;
        let last = self.origin.get(r.end - 1)?;
        Some(first.start..last.end)
    }

    /// Every match of `needle` (folded the same way), as ranges of the original text, in
    /// order and not overlapping.
    pub fn find_all(&self, needle: &str) -> Vec<Range<usize>> {
        let needle = Folded::new(needle).text;
        if needle.is_empty() {
            return Vec::new();
        }
        self.text
            .match_indices(needle.as_str())
            .filter_map(|(i, m)| self.original(i..i + m.len()))
            .collect()
    }
}

/// Every match of `needle` in `haystack`, as byte ranges of `haystack`.
pub fn find_all(haystack: &str, needle: &str) -> Vec<Range<usize>> {
    Folded::new(haystack).find_all(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches<'a>(hay: &'a str, needle: &str) -> Vec<&'a str> {
        find_all(hay, needle).into_iter().map(|r| &hay[r]).collect()
    }

    #[test]
    fn harakat_and_tatweel_are_ignored_and_kept_in_the_match() {
        assert_eq!(matches("قال مُحَمَّدٌ اليوم", "محمد"), vec!["مُحَمَّدٌ"]);
        assert_eq!(matches("الســـلام عليكم", "السلام"), vec!["الســـلام"]);
        assert_eq!(matches("محمد", "مُحَمَّد"), vec!["محمد"]);
    }

    #[test]
    fn letter_variants_match_each_other() {
        assert_eq!(
            matches("الإتفاق والاتفاق", "الاتفاق"),
            vec!["الإتفاق", "الاتفاق"]
        );
        assert_eq!(matches("إلى الى", "إلى"), vec!["إلى", "الى"]);
        assert_eq!(matches("علي على", "على"), vec!["علي", "على"]);
        assert_eq!(matches("القمة القمه", "القمة"), vec!["القمة", "القمه"]);
        assert_eq!(matches("Geneva GENEVA", "geneva"), vec!["Geneva", "GENEVA"]);
    }

    #[test]
    fn bidi_marks_inside_words_do_not_stop_a_match() {
        let hay = "بو\u{200F}تين";
        assert_eq!(matches(hay, "بوتين"), vec![hay]);
    }

    #[test]
    fn no_match_and_empty_needle() {
        assert!(find_all("بايدن", "بوتين").is_empty());
        assert!(find_all("بايدن", "").is_empty());
        assert!(find_all("بايدن", "\u{064E}").is_empty());
        assert!(find_all("", "x").is_empty());
    }

    #[test]
    fn ranges_point_into_the_original_on_char_boundaries() {
        for (_, text) in crate::corpus::SAMPLE {
            for needle in ["بوتين", "بايدن", "جنيف", "الأمريكي", "القمة"]
            {
                let found = find_all(text, needle);
                assert!(!found.is_empty() || needle == "الأمريكي", "{needle}");
                for r in found {
                    assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                    assert_eq!(Folded::new(&text[r]).text, Folded::new(needle).text);
                }
            }
        }
    }
}
