//! CRF features of one token in a sequence of normalized tokens. The same code serves
//! training (names collected as strings) and tagging (names hashed and looked up), so the
//! two can never drift apart.
//!
//! Features: bias, word, `ال`-rule stem, prefixes and suffixes 1–4, shape, ±2 window words
//! and ±1 stems, bigrams, gazetteer BIO tags of the token and its neighbours, and
//! title/organisation trigger classes of the token and the previous one.

use super::clitics::feature_stem;
use super::gazetteer::{GazMatch, Gazetteer};
use super::rules::{trigger_class, Trigger};
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
        Seq {
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

/// Emit the features of token `i` of `seq`. `buf` is scratch space.
pub fn features_at(seq: &Seq<'_>, i: usize, buf: &mut String, sink: &mut impl FeatureSink) {
    let w = seq.words[i];
    let n = seq.words.len();
    sink.emit("b");
    emit2(buf, sink, "w=", w);
    let st = seq.stems[i];
    if st.len() != w.len() {
        emit2(buf, sink, "st=", st);
    }
    // Affixes of the stem, in characters.
    let ends: Vec<usize> = st
        .char_indices()
        .map(|(k, c)| k + c.len_utf8())
        .take(4)
        .collect();
    let nch = st.chars().count();
    if nch > 1 {
        const P: [&str; 4] = ["p1=", "p2=", "p3=", "p4="];
        for (k, &e) in ends.iter().enumerate().take(nch - 1) {
            emit2(buf, sink, P[k], &st[..e]);
        }
        const S: [&str; 4] = ["s1=", "s2=", "s3=", "s4="];
        let starts: Vec<usize> = st.char_indices().rev().map(|(k, _)| k).take(4).collect();
        for (k, &s) in starts.iter().enumerate().take(nch - 1) {
            emit2(buf, sink, S[k], &st[s..]);
        }
    }
    emit2(buf, sink, "sh=", shape(w));
    if st.starts_with("ال") {
        sink.emit("al");
    }
    if st.len() != w.len() {
        sink.emit("cl");
    }
    if i == 0 {
        sink.emit("BOS");
    } else {
        emit2(buf, sink, "w-1=", seq.words[i - 1]);
        emit2(buf, sink, "st-1=", seq.stems[i - 1]);
        buf.clear();
        buf.push_str("bg-=");
        buf.push_str(seq.words[i - 1]);
        buf.push('|');
        buf.push_str(w);
        sink.emit(buf);
        emit2(buf, sink, "sh-1=", shape(seq.words[i - 1]));
        if i >= 2 {
            emit2(buf, sink, "w-2=", seq.words[i - 2]);
        }
    }
    if i + 1 == n {
        sink.emit("EOS");
    } else {
        emit2(buf, sink, "w+1=", seq.words[i + 1]);
        emit2(buf, sink, "st+1=", seq.stems[i + 1]);
        buf.clear();
        buf.push_str("bg+=");
        buf.push_str(w);
        buf.push('|');
        buf.push_str(seq.words[i + 1]);
        sink.emit(buf);
        emit2(buf, sink, "sh+1=", shape(seq.words[i + 1]));
        if i + 2 < n {
            emit2(buf, sink, "w+2=", seq.words[i + 2]);
        }
    }
    // Gazetteer.
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
    // Triggers.
    if let Some(t) = seq.trig[i].name() {
        emit2(buf, sink, "t=", t);
    }
    if i > 0 {
        if let Some(t) = seq.trig[i - 1].name() {
            emit2(buf, sink, "t-1=", t);
        }
        if i > 1 {
            if let Some(t) = seq.trig[i - 2].name() {
                emit2(buf, sink, "t-2=", t);
            }
        }
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
