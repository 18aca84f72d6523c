//! Evidence-based proclitic stripping (see `docs/entities.md`).
//!
//! Only proclitics, only on evidence, and never a suffix:
//! 1. `(و|ف)? (ب|ك|ل)? ال…` with at least one clitic: the clitics go, `ال` stays, if at
//!    least two letters follow `ال` (`والكرملين` → `الكرملين`, `بالبيت` → `البيت`); `لل…` is
//!    `ل` + `ال` with the alef elided (`للكرملين` → `الكرملين`).
//! 2. A one- or two-letter clitic on any other word only when the caller's `known`
//!    predicate accepts the remainder (it occurs alone in the same article, or is a
//!    gazetteer name) and does not accept the whole word, shortest strip first
//!    (`وبايدن` → `بايدن`, not `ايدن`).
//! 3. A tatweel after the clitic in the original (`بـواشنطن`) is evidence on its own.
//! 4. Otherwise the word stays whole: `واشنطن`, `فلاديمير`, `بيلاروسيا`, `بوتين`.

/// The result of stripping one normalized word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stripped {
    /// Bytes of the normalized word that are clitics (a prefix).
    pub clitic_len: usize,
    /// The normalized, clitic-free form (with `ال` restored after `لل`).
    pub form: String,
}

const CONJ: [char; 2] = ['و', 'ف'];
const PREP: [char; 3] = ['ب', 'ك', 'ل'];

/// Letters after the clitics when the word is `clitics + ال + stem` with at least one clitic.
/// Returns (clitic byte length, form).
pub fn strip_before_al(word: &str) -> Option<Stripped> {
    let (clitic_len, elided) = al_clitics(word)?;
    let form = if elided {
        // `لل…`: the clitics end before the second `ل`; the form is `ا` + the rest.
        let mut f = String::with_capacity(word.len() - clitic_len + 2);
        f.push('ا');
        f.push_str(&word[clitic_len..]);
        f
    } else {
        word[clitic_len..].to_owned()
    };
    Some(Stripped { clitic_len, form })
}

/// [`strip_before_al`] without building the form: the clitics' byte length, and whether
/// the alef of `ال` is elided (`لل…`, the form is then `ا` + the word after the clitics).
pub fn al_clitics(word: &str) -> Option<(usize, bool)> {
    // The first five characters and their byte offsets (plus the end of the fifth).
    let mut c = ['\0'; 5];
    let mut at = [0usize; 6];
    let mut n = 0;
    for (k, (i, ch)) in word.char_indices().enumerate() {
        if k == 5 {
            break;
        }
        c[k] = ch;
        at[k] = i;
        at[k + 1] = i + ch.len_utf8();
        n = k + 1;
    }
    // Characters in the whole word (only "at least" matters: 5 stands for 5 or more).
    let total = if n < 5 {
        n
    } else {
        5 + word[at[5]..].chars().count()
    };
    let mut i = 0;
    if n > i && CONJ.contains(&c[i]) {
        i += 1;
    }
    // `لل` = ل + ال with an elided alef.
    if total >= i + 4 && c[i] == 'ل' && c[i + 1] == 'ل' {
        return Some((at[i + 1], true));
    }
    if n > i && PREP.contains(&c[i]) {
        i += 1;
    }
    if i == 0 || total < i + 4 || c[i] != 'ا' || c[i + 1] != 'ل' {
        return None;
    }
    Some((at[i], false))
}

/// Candidate single-clitic strips of a word not handled by [`strip_before_al`]: one letter
/// first, then two, each leaving at least three letters.
pub fn letter_candidates(word: &str) -> impl Iterator<Item = Stripped> + '_ {
    letter_clitic_lens(word)
        .into_iter()
        .flatten()
        .map(move |len| Stripped {
            clitic_len: len,
            form: word[len..].to_owned(),
        })
}

/// The clitic byte lengths of [`letter_candidates`] (one letter, two letters), without
/// building the forms.
pub fn letter_clitic_lens(word: &str) -> [Option<usize>; 2] {
    let mut chars = word.char_indices();
    let first = chars.next();
    let second = chars.next();
    let third_start = chars.next().map(|(i, _)| i);
    let n = if third_start.is_some() {
        3 + chars.take(2).count()
    } else {
        word.chars().count()
    };
    let one = match first {
        Some((_, c)) if (CONJ.contains(&c) || PREP.contains(&c)) && n >= 4 => Some(c.len_utf8()),
        _ => None,
    };
    let two = match (first, second, third_start) {
        (Some((_, a)), Some((_, b)), Some(len))
            if CONJ.contains(&a) && PREP.contains(&b) && n >= 5 =>
        {
            Some(len)
        }
        _ => None,
    };
    [one, two]
}

/// Strip a normalized word on evidence. `known(form)` says whether `form` is attested as
/// a word on its own (elsewhere in the article, or in the gazetteer); `tatweel_after_first`
/// says whether the original text has a tatweel right after the first letter.
pub fn strip(word: &str, tatweel_after_first: bool, known: impl Fn(&str) -> bool) -> Stripped {
    strip_with(word, tatweel_after_first, &known, &known)
}

/// [`strip`] with separate evidence for the whole word and for a remainder: in an
/// article the whole word trivially occurs in the article, so only the gazetteer can
/// vouch for it (`known_whole`), while a remainder counts when it occurs on its own in the
/// article or in the gazetteer (`known_rest`).
pub fn strip_with(
    word: &str,
    tatweel_after_first: bool,
    known_whole: &dyn Fn(&str) -> bool,
    known_rest: &dyn Fn(&str) -> bool,
) -> Stripped {
    let known = known_rest;
    if let Some(s) = strip_before_al(word) {
        // `لل…` is also ل + a word that starts with ل (`للبنان` = ل + لبنان, not ال + بنان):
        // prefer that reading when the word is attested.
        let rest = &word[s.clitic_len..];
        if s.form != rest && known(rest) {
            return Stripped {
                clitic_len: s.clitic_len,
                form: rest.to_owned(),
            };
        }
        return s;
    }
    if tatweel_after_first {
        if let Some(s) = letter_candidates(word).next() {
            return s;
        }
    }
    if !known_whole(word) {
        for cand in letter_candidates(word) {
            if known(&cand.form) {
                return cand;
            }
        }
    }
    Stripped {
        clitic_len: 0,
        form: word.to_owned(),
    }
}

/// A cheap context-free stem for features: the `ال`-rule strip, else the word.
pub fn feature_stem(word: &str) -> &str {
    // Only the byte offset is needed here; `لل` forms keep their `ل` (the stem then lacks
    // the alef), which is fine for a feature.
    let b = word.as_bytes();
    // Fast path: no clitic letter at the start.
    let starts_with_clitic = word
        .chars()
        .next()
        .is_some_and(|c| CONJ.contains(&c) || PREP.contains(&c));
    if !starts_with_clitic || b.len() < 8 {
        return word;
    }
    match al_clitics(word) {
        Some((len, _)) => &word[len..],
        None => word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::normalize::norm;

    fn s(word: &str, known: &[&str]) -> String {
        let known: Vec<String> = known.iter().map(|k| norm(k)).collect();
        strip(&norm(word), false, |f| known.iter().any(|k| k == f)).form
    }

    #[test]
    fn clitics_before_al_are_stripped() {
        assert_eq!(s("والكرملين", &[]), norm("الكرملين"));
        assert_eq!(s("بالبيت", &[]), norm("البيت"));
        assert_eq!(s("فالقاهرة", &[]), norm("القاهرة"));
        assert_eq!(s("وبالعراق", &[]), norm("العراق"));
        assert_eq!(s("للكرملين", &[]), norm("الكرملين"));
        assert_eq!(s("وللأمم", &[]), norm("الامم"));
        // The article alone is not a clitic; `ال` words stay.
        assert_eq!(s("الكرملين", &[]), norm("الكرملين"));
        // Too short after ال.
        assert_eq!(s("وال", &[]), norm("وال"));
    }

    #[test]
    fn names_starting_with_clitic_letters_stay_whole() {
        for name in [
            "واشنطن",
            "فلاديمير",
            "بيلاروسيا",
            "بوتين",
            "بايدن",
            "كوريا",
            "لندن",
            "فنزويلا",
            "بلومبرغ",
        ] {
            assert_eq!(s(name, &[]), norm(name), "{name}");
        }
        // Even when a shorter form happens to be known, a known whole word stays.
        assert_eq!(s("بايدن", &["بايدن", "ايدن"]), norm("بايدن"));
    }

    #[test]
    fn single_letter_clitic_needs_evidence() {
        assert_eq!(s("وبوتين", &["بوتين"]), norm("بوتين"));
        assert_eq!(s("وبوتين", &[]), norm("وبوتين"));
        assert_eq!(s("لفرنسا", &["فرنسا"]), norm("فرنسا"));
        assert_eq!(s("فرنسا", &["فرنسا", "رنسا"]), norm("فرنسا"));
        // One letter before two.
        assert_eq!(s("وبايدن", &["بايدن", "ايدن"]), norm("بايدن"));
        assert_eq!(s("وبجنيف", &["جنيف"]), norm("جنيف"));
    }

    #[test]
    fn whole_word_evidence_is_separate_from_remainder_evidence() {
        // In an article, `وبايدن` itself occurs (trivially) and `بايدن` occurs alone.
        let article = [norm("وبايدن"), norm("بايدن"), norm("واشنطن")];
        let in_article = |f: &str| article.iter().any(|a| a == f);
        let gaz = |f: &str| f == norm("واشنطن");
        let st = strip_with(&norm("وبايدن"), false, &gaz, &in_article);
        assert_eq!(st.form, norm("بايدن"));
        let st = strip_with(&norm("واشنطن"), false, &gaz, &in_article);
        assert_eq!(st.clitic_len, 0);
        // With the article as evidence for the whole word too, nothing would be stripped.
        assert_eq!(strip(&norm("وبايدن"), false, in_article).clitic_len, 0);
    }

    #[test]
    fn lam_lam_before_a_name_starting_with_lam() {
        assert_eq!(s("للبنان", &["لبنان"]), norm("لبنان"));
        assert_eq!(s("للبنان", &[]), norm("البنان"));
        assert_eq!(s("للكرملين", &["الكرملين"]), norm("الكرملين"));
    }

    #[test]
    fn tatweel_is_evidence() {
        let w = norm("بـواشنطن");
        assert_eq!(strip(&w, true, |_| false).form, norm("واشنطن"));
        assert_eq!(strip(&w, false, |_| false).form, w);
    }

    #[test]
    fn clitic_len_is_a_prefix() {
        let w = norm("وبالكرملين");
        let st = strip(&w, false, |_| false);
        assert_eq!(&w[st.clitic_len..], st.form);
        let w = norm("للكرملين");
        let st = strip(&w, false, |_| false);
        assert_eq!(&w[st.clitic_len..], "لكرملين");
        assert_eq!(st.form, "الكرملين");
    }

    #[test]
    fn feature_stem_is_cheap_and_safe() {
        assert_eq!(feature_stem(&norm("والكرملين")), norm("الكرملين"));
        assert_eq!(feature_stem(&norm("واشنطن")), norm("واشنطن"));
        assert_eq!(feature_stem(""), "");
    }
}
