//! CRF features of one token in a sequence of normalized tokens. The same code serves
//! training (names collected as strings) and tagging (names hashed and looked up), so the
//! two can never drift apart.
//!
//! Features: bias, word, `ال`-rule stem, prefixes and suffixes 1–4, shape, ±2 window words
//! and ±1 stems, bigrams, gazetteer BIO tags of the token and its neighbours, and
//! title/organisation trigger classes of the token and the previous one.

use super::clitics::feature_stem;
use super::gazetteer::{GazMatch, Gazetteer};
use super::rules::{is_given_name, trigger_class, Trigger};
use super::tokenize::{is_arabic_letter, TokenClass};

/// Receives feature names.
pub trait FeatureSink {
    fn emit(&mut self, name: &str);
}

/// Collects feature names as strings (training).
impl FeatureSink for Vec<String> {
    fn emit(&mut self, name: &str) {
        self.push(name.to_owned());
    }
}

/// A sequence prepared for feature extraction.
pub struct Seq<'a> {
    pub words: Vec<&'a str>,
    stems: Vec<&'a str>,
    gaz: Vec<&'static str>,
    trig: Vec<Trigger>,
    /// The word without a leading one-letter clitic candidate (`وطارق` → `طارق`), if any.
    rest: Vec<Option<&'a str>>,
    /// Given name (of the word or its `rest`).
    given: Vec<bool>,
    /// Single-token gazetteer type of the word, its stem or its `rest`.
    gtok: Vec<Option<&'static str>>,
    /// The gazetteer matches of the sequence.
    pub matches: Vec<GazMatch>,
}

fn gaz_tag(kind: super::EntityKind, begin: bool) -> &'static str {
    use super::EntityKind::*;
    match (kind, begin) {
        (Per, true) => "B-PER",
        (Per, false) => "I-PER",
        (Loc, true) => "B-LOC",
        (Loc, false) => "I-LOC",
        (Org, true) => "B-ORG",
        (Org, false) => "I-ORG",
        (Misc, true) => "B-MISC",
        (Misc, false) => "I-MISC",
    }
}

impl<'a> Seq<'a> {
    pub fn new(words: Vec<&'a str>, gazetteer: &Gazetteer) -> Seq<'a> {
        let stems: Vec<&str> = words.iter().map(|w| feature_stem(w)).collect();
        let mut gaz = vec![""; words.len()];
        let matches = gazetteer.find_all(&words);
        for m in &matches {
            let kind = gazetteer.entries[m.entry as usize].kind;
            for (k, g) in gaz[m.start..m.end].iter_mut().enumerate() {
                *g = gaz_tag(kind, k == 0);
            }
        }
        let trig = stems.iter().map(|s| trigger_class(s)).collect();
        let rest: Vec<Option<&str>> = words
            .iter()
            .map(|w| {
                let mut it = w.chars();
                let c = it.next()?;
                if matches!(c, 'و' | 'ف' | 'ب' | 'ل' | 'ك') && it.count() >= 3 {
                    Some(&w[c.len_utf8()..])
                } else {
                    None
                }
            })
            .collect();
        let given = words
            .iter()
            .zip(&rest)
            .map(|(w, r)| is_given_name(w) || r.is_some_and(is_given_name))
            .collect();
        let gtok = words
            .iter()
            .zip(&stems)
            .zip(&rest)
            .map(|((w, s), r)| {
                [Some(*w), Some(*s), *r]
                    .into_iter()
                    .flatten()
                    .find_map(|f| gazetteer.lookup([f]))
                    .map(|e| gazetteer.entries[e as usize].kind.name())
            })
            .collect();
        Seq {
            rest,
            given,
            gtok,
            words,
            stems,
            gaz,
            trig,
            matches,
        }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

fn shape(w: &str) -> &'static str {
    let mut chars = w.chars();
    let Some(c) = chars.next() else {
        return "E";
    };
    let n = 1 + chars.count();
    let class = if is_arabic_letter(c) {
        TokenClass::Arabic
    } else if c.is_ascii_digit() {
        TokenClass::Digit
    } else if c.is_alphabetic() {
        TokenClass::Latin
    } else {
        TokenClass::Punct
    };
    match class {
        TokenClass::Arabic => match n {
            1 => "A1",
            2 => "A2",
            3 => "A3",
            4 => "A4",
            5 => "A5",
            6 => "A6",
            7 => "A7",
            _ => "A8",
        },
        TokenClass::Digit => {
            if n == 4 {
                "D4"
            } else {
                "D"
            }
        }
        TokenClass::Latin => "L",
        TokenClass::Punct => "P",
    }
}

#[inline]
fn emit2(buf: &mut String, sink: &mut impl FeatureSink, a: &str, b: &str) {
    buf.clear();
    buf.push_str(a);
    buf.push_str(b);
    sink.emit(buf);
}

/// The position of a token relative to the token whose features are computed. Features
/// of a word in one role depend on the word alone (not on its position), so a tagger can
/// cache their weights per (word, role).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Cur = 0,
    Prev1 = 1,
    Prev2 = 2,
    Next1 = 3,
    Next2 = 4,
}

/// Emit the features of token `i` of `seq`. `buf` is scratch space.
pub fn features_at(seq: &Seq<'_>, i: usize, buf: &mut String, sink: &mut impl FeatureSink) {
    let n = seq.words.len();
    role_features(seq, i, Role::Cur, buf, sink);
    if i > 0 {
        role_features(seq, i - 1, Role::Prev1, buf, sink);
    }
    if i > 1 {
        role_features(seq, i - 2, Role::Prev2, buf, sink);
    }
    if i + 1 < n {
        role_features(seq, i + 1, Role::Next1, buf, sink);
    }
    if i + 2 < n {
        role_features(seq, i + 2, Role::Next2, buf, sink);
    }
    position_features(seq, i, buf, sink);
}

/// The features that token `j` contributes in `role` (they depend on its word only).
pub fn role_features(
    seq: &Seq<'_>,
    j: usize,
    role: Role,
    buf: &mut String,
    sink: &mut impl FeatureSink,
) {
    let w = seq.words[j];
    match role {
        Role::Cur => {}
        Role::Prev1 => {
            emit2(buf, sink, "w-1=", w);
            emit2(buf, sink, "st-1=", seq.stems[j]);
            emit2(buf, sink, "sh-1=", shape(w));
            if seq.given[j] {
                sink.emit("fn-1");
            }
            if let Some(t) = seq.trig[j].name() {
                emit2(buf, sink, "t-1=", t);
            }
            return;
        }
        Role::Prev2 => {
            emit2(buf, sink, "w-2=", w);
            if let Some(t) = seq.trig[j].name() {
                emit2(buf, sink, "t-2=", t);
            }
            return;
        }
        Role::Next1 => {
            emit2(buf, sink, "w+1=", w);
            emit2(buf, sink, "st+1=", seq.stems[j]);
            emit2(buf, sink, "sh+1=", shape(w));
            if seq.given[j] {
                sink.emit("fn+1");
            }
            return;
        }
        Role::Next2 => {
            emit2(buf, sink, "w+2=", w);
            return;
        }
    }
    sink.emit("b");
    emit2(buf, sink, "w=", w);
    let st = seq.stems[j];
    if st.len() != w.len() {
        emit2(buf, sink, "st=", st);
    }
    // Affixes of the stem, in characters (1–4, never the whole stem).
    let mut ends = [0usize; 4];
    let mut starts = [0usize; 4];
    let mut nch = 0usize;
    for (k, c) in st.char_indices() {
        if nch < 4 {
            ends[nch] = k + c.len_utf8();
        }
        nch += 1;
    }
    for (q, (k, _)) in st.char_indices().rev().take(4).enumerate() {
        starts[q] = k;
    }
    const P: [&str; 4] = ["p1=", "p2=", "p3=", "p4="];
    const S: [&str; 4] = ["s1=", "s2=", "s3=", "s4="];
    for k in 0..nch.saturating_sub(1).min(4) {
        emit2(buf, sink, P[k], &st[..ends[k]]);
        emit2(buf, sink, S[k], &st[starts[k]..]);
    }
    emit2(buf, sink, "sh=", shape(w));
    if st.starts_with("ال") {
        sink.emit("al");
    }
    if st.len() != w.len() {
        sink.emit("cl");
    }
    if let Some(r) = seq.rest[j] {
        emit2(buf, sink, "r1=", r);
    }
    if let Some(k) = seq.gtok[j] {
        emit2(buf, sink, "gt=", k);
    }
    if seq.given[j] {
        sink.emit("fn");
    }
    if let Some(t) = seq.trig[j].name() {
        emit2(buf, sink, "t=", t);
    }
}

/// Features that depend on the position: sentence edges, bigrams, gazetteer BIO tags.
pub fn position_features(seq: &Seq<'_>, i: usize, buf: &mut String, sink: &mut impl FeatureSink) {
    let w = seq.words[i];
    let n = seq.words.len();
    if i == 0 {
        sink.emit("BOS");
    } else {
        buf.clear();
        buf.push_str("bg-=");
        buf.push_str(seq.words[i - 1]);
        buf.push('|');
        buf.push_str(w);
        sink.emit(buf);
    }
    if i + 1 == n {
        sink.emit("EOS");
    } else {
        buf.clear();
        buf.push_str("bg+=");
        buf.push_str(w);
        buf.push('|');
        buf.push_str(seq.words[i + 1]);
        sink.emit(buf);
    }
    let g = seq.gaz[i];
    if !g.is_empty() {
        emit2(buf, sink, "g=", g);
    }
    if i > 0 && !seq.gaz[i - 1].is_empty() {
        emit2(buf, sink, "g-1=", seq.gaz[i - 1]);
    }
    if i + 1 < n && !seq.gaz[i + 1].is_empty() {
        emit2(buf, sink, "g+1=", seq.gaz[i + 1]);
    }
}

/// All feature names of every token (training and tests).
pub fn all_features(seq: &Seq<'_>) -> Vec<Vec<String>> {
    let mut buf = String::new();
    (0..seq.len())
        .map(|i| {
            let mut v = Vec::new();
            features_at(seq, i, &mut buf, &mut v);
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_of_a_short_sequence() {
        let g = Gazetteer::builtin();
        let seq = Seq::new(vec!["قال", "الرئيس", "بوتين", "."], &g);
        let f = all_features(&seq);
        assert_eq!(f.len(), 4);
        assert!(f[0].contains(&"BOS".to_owned()));
        assert!(f[2].contains(&"w=بوتين".to_owned()));
        assert!(f[2].contains(&"g=B-PER".to_owned()));
        assert!(f[2].contains(&"t-1=title".to_owned()));
        assert!(f[2].contains(&"p2=بو".to_owned()));
        assert!(f[2].contains(&"s3=تين".to_owned()));
        assert!(f[3].contains(&"EOS".to_owned()));
        assert!(f[3].contains(&"sh=P".to_owned()));
        let seq = Seq::new(vec!["والكرملين"], &g);
        let f = all_features(&seq);
        assert!(f[0].contains(&"st=الكرملين".to_owned()));
        assert!(f[0].contains(&"cl".to_owned()));
    }
}
