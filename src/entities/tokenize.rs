//! Tokenization of normalized text.
//!
//! Runs of Arabic letters, runs of other letters (Latin…), runs of digits; every other
//! non-space character is a token of its own. Arabic punctuation (`،` `؛` `؟`) and quotes are
//! therefore never part of a word (`القاهرة،` → `القاهره` + `،`). Works on the output of
//! [`super::normalize`], where marks and tatweel are already gone.

use std::ops::Range;

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenClass {
    Arabic,
    Latin,
    Digit,
    Punct,
}

/// A token: a byte range of the normalized text, and whether a line break precedes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub class: TokenClass,
    /// A line break (or the start of the text) comes between this token and the previous.
    pub line_start: bool,
}

/// Arabic letters (not the punctuation of the Arabic block).
#[inline]
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06D5}'
        | '\u{06FA}'..='\u{06FC}' | '\u{06FF}')
}

#[inline]
fn class_of(c: char) -> Option<TokenClass> {
    if c.is_ascii() {
        return Some(if c.is_ascii_alphabetic() {
            TokenClass::Latin
        } else if c.is_ascii_digit() {
            TokenClass::Digit
        } else if c.is_ascii_whitespace() || c.is_ascii_control() {
            return None;
        } else {
            TokenClass::Punct
        });
    }
    if is_arabic_letter(c) {
        Some(TokenClass::Arabic)
    } else if c.is_whitespace() {
        None
    } else if c.is_alphabetic() {
        Some(TokenClass::Latin)
    } else if c.is_numeric() {
        Some(TokenClass::Digit)
    } else {
        Some(TokenClass::Punct)
    }
}

/// Tokens of `text`, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(text.len() / 8 + 1);
    let mut cur: Option<(usize, TokenClass)> = None;
    let mut line_start = true;
    for (i, c) in text.char_indices() {
        let class = class_of(c);
        if let Some((start, k)) = cur {
            if class == Some(k) && k != TokenClass::Punct {
                continue;
            }
            out.push(Token {
                range: start..i,
                class: k,
                line_start,
            });
            line_start = false;
            cur = None;
        }
        match class {
            Some(k) => cur = Some((i, k)),
            None => {
                if c == '\n' || c == '\r' || c == '\u{2029}' || c == '\u{85}' {
                    line_start = true;
                }
            }
        }
    }
    if let Some((start, k)) = cur {
        out.push(Token {
            range: start..text.len(),
            class: k,
            line_start,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::normalize::norm;

    fn words(s: &str) -> Vec<String> {
        let n = norm(s);
        tokenize(&n)
            .into_iter()
            .map(|t| n[t.range].to_owned())
            .collect()
    }

    #[test]
    fn arabic_punctuation_and_quotes_are_split_off() {
        assert_eq!(
            words("القاهرة، بوتين؛ لماذا؟"),
            ["القاهره", "،", "بوتين", "؛", "لماذا", "؟"]
        );
        assert_eq!(
            words("«جنيف» \"بايدن\""),
            ["«", "جنيف", "»", "\"", "بايدن", "\""]
        );
        assert_eq!(words("(د ب أ)"), ["(", "د", "ب", "ا", ")"]);
        assert_eq!(
            words("كوفيد-19 و NATO."),
            ["كوفيد", "-", "19", "و", "nato", "."]
        );
        assert_eq!(words("...!!"), [".", ".", ".", "!", "!"]);
    }

    #[test]
    fn names_stay_whole() {
        assert_eq!(
            words("واشنطن فلاديمير بيلاروسيا بوتين"),
            ["واشنطن", "فلاديمير", "بيلاروسيا", "بوتين"]
        );
        assert_eq!(words("بـوتين"), ["بوتين"]);
    }

    #[test]
    fn line_starts() {
        let n = norm("أ ب\nج");
        let t = tokenize(&n);
        assert_eq!(
            t.iter().map(|t| t.line_start).collect::<Vec<_>>(),
            [true, false, true]
        );
        assert!(tokenize("").is_empty());
        assert!(tokenize(" \n ").is_empty());
    }
}
