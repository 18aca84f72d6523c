//! CRF features of one token in a sequence of normalized tokens. The same code serves
//! training (names collected as strings) and tagging (names hashed and looked up), so the
//! two can never drift apart.
//!
//! Features: bias, word, `ال`-rule stem, prefixes and suffixes 1–4, shape, ±2 window words
//! and ±1 stems, bigrams, gazetteer BIO tags of the token and its neighbours,
//! title/organisation trigger classes of the token and the previous one, the training
//! lexicon, word frequency, short quoted spans, and the letter template of the token and
//! its ±1 neighbours.

use super::clitics::feature_stem;
use super::gazetteer::{GazMatch, Gazetteer};
use super::hash::{hash_bytes, HashMap64};
use super::rules::{is_given_name, trigger_class, Trigger};
use super::tokenize::{is_arabic_letter, TokenClass};
use super::wordfreq::WordFreq;

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
    /// Per token: the length bucket (1–4) of the short quoted span it is in, else 0.
    quoted: Vec<u8>,
    /// The training lexicon (its features are computed only when a word's role features
    /// are, so the tagger's per-word cache covers them).
    lexicon: Option<&'a Lexicon>,
}

/// What the training data says about words: per word (its `ال`-rule stem), how often it
/// occurred and how often inside an entity of each type, bucketed into one byte
/// ([`Lexicon::code`]). Stored in the model file; the trainer builds it by jackknife (each
/// training sentence sees the counts of the *other* folds), so the CRF learns how far to
/// trust it and what an unseen word (`lx=unk`) is likely to be.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    pub map: HashMap64<u8>,
}

/// Entity types of [`Lexicon`] counts, after `O` at index 0.
pub const LEX_TYPES: [&str; 4] = ["PERS", "LOC", "ORG", "MISC"];

impl Lexicon {
    /// The code of counts `[O, PERS, LOC, ORG, MISC]` (tokens), `None` if all zero.
    pub fn code(counts: [u32; 5]) -> Option<u8> {
        let n: u32 = counts.iter().sum();
        if n == 0 {
            return None;
        }
        let e = n - counts[0];
        let nb: u8 = match n {
            1 => 0,
            2..=4 => 1,
            5..=19 => 2,
            _ => 3,
        };
        let frac = e as f64 / n as f64;
        let eb: u8 = if e == 0 {
            0
        } else if frac < 0.3 {
            1
        } else if frac < 0.7 {
            2
        } else {
            3
        };
        let t = (1..5).max_by_key(|&k| (counts[k], 5 - k)).unwrap_or(1) as u8 - 1;
        Some(nb | eb << 2 | t << 4)
    }

    /// The key of a word: its hash.
    pub fn key(word: &str) -> u64 {
        hash_bytes(word.as_bytes())
    }

    /// The code of a word (its stem, else its one-letter-clitic remainder).
    pub fn lookup(&self, stem: &str, rest: Option<&str>) -> Option<u8> {
        self.map
            .get(&Lexicon::key(stem))
            .or_else(|| rest.and_then(|r| self.map.get(&Lexicon::key(r))))
            .copied()
    }
}

fn emit_lexicon(code: Option<u8>, sink: &mut impl FeatureSink) {
    const N: [&str; 4] = ["ln=1", "ln=2", "ln=5", "ln=20"];
    const E: [&str; 4] = ["le=0", "le=1", "le=2", "le=3"];
    const T: [&str; 4] = ["lt=PERS", "lt=LOC", "lt=ORG", "lt=MISC"];
    const TE: [[&str; 3]; 4] = [
        ["lte=PERS1", "lte=PERS2", "lte=PERS3"],
        ["lte=LOC1", "lte=LOC2", "lte=LOC3"],
        ["lte=ORG1", "lte=ORG2", "lte=ORG3"],
        ["lte=MISC1", "lte=MISC2", "lte=MISC3"],
    ];
    let Some(c) = code else {
        sink.emit("lx=unk");
        return;
    };
    let (nb, eb, t) = (
        (c & 3) as usize,
        (c >> 2 & 3) as usize,
        (c >> 4 & 3) as usize,
    );
    sink.emit(N[nb]);
    sink.emit(E[eb]);
    if eb > 0 {
        sink.emit(T[t]);
        sink.emit(TE[t][eb - 1]);
    }
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

/// For each token, the length class of the quoted span (`"…"`, `«…»`, `“…”`, at most 12
/// tokens) it is inside: 1 (one token), 2 (2–3), 3 (4–6), 4 (7–12); else 0. Short quoted
/// spans are often titles of shows, papers and organisations.
fn quoted_spans(words: &[&str]) -> Vec<u8> {
    let mut out = vec![0u8; words.len()];
    let mut i = 0;
    while i < words.len() {
        let close = match words[i] {
            "\"" => "\"",
            "«" => "»",
            "“" => "”",
            _ => {
                i += 1;
                continue;
            }
        };
        let end = (i + 1..words.len().min(i + 14)).find(|&j| words[j] == close);
        match end {
            Some(j) if j > i + 1 => {
                let class = match j - i - 1 {
                    1 => 1,
                    2..=3 => 2,
                    4..=6 => 3,
                    _ => 4,
                };
                out[i + 1..j].iter_mut().for_each(|q| *q = class);
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}

impl<'a> Seq<'a> {
    pub fn new(words: Vec<&'a str>, gazetteer: &Gazetteer) -> Seq<'a> {
        Seq::with_lexicon(words, gazetteer, None)
    }

    /// A sequence with the lexicon features of `lexicon` (of the model, or of the other
    /// folds in training).
    pub fn with_lexicon(
        words: Vec<&'a str>,
        gazetteer: &Gazetteer,
        lexicon: Option<&'a Lexicon>,
    ) -> Seq<'a> {
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
        let quoted = quoted_spans(&words);
        Seq {
            quoted,
            lexicon,
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
            neighbour_lexicon(seq, j, "-1", buf, sink);
            emit_pattern(seq.stems[j], "pat-1=", buf, sink);
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
            neighbour_lexicon(seq, j, "+1", buf, sink);
            emit_pattern(seq.stems[j], "pat+1=", buf, sink);
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
    let code = seq.lexicon.map(|lex| lex.lookup(st, seq.rest[j]));
    if let Some(code) = code {
        emit_lexicon(code, sink);
    }
    if w.chars().next().is_some_and(is_arabic_letter) {
        let b = wordfreq_features(st, seq.rest[j], buf, sink);
        if code == Some(None) {
            // Unknown to the training data and this common in general.
            emit2(
                buf,
                sink,
                "uz=",
                WF_NAMES[b.map_or(0, |b| (b as usize).min(19))],
            );
        }
    }
    if let Some(t) = seq.trig[j].name() {
        emit2(buf, sink, "t=", t);
    }
    emit_pattern(st, "pat=", buf, sink);
}

/// The letter template of a stem, after `name`: `ا و ي ء ئ ؤ` kept, `ه` kept at the end,
/// every other letter `C` (`مانشستر` → `CاCCCCC`, `مكتوب` → `CCCوC`). Arabic words follow
/// a few templates; transliterated names often do not. A leading `ال` is dropped when at
/// least two letters follow (`الله` → `له`, too short); templates of 3–12 letters only.
fn emit_pattern(st: &str, name: &str, buf: &mut String, sink: &mut impl FeatureSink) {
    let bare = st.strip_prefix("ال").filter(|b| b.len() >= 4).unwrap_or(st);
    if !bare.chars().next().is_some_and(is_arabic_letter) {
        return;
    }
    let n = bare.chars().count();
    if !(3..=12).contains(&n) {
        return;
    }
    buf.clear();
    buf.push_str(name);
    for (k, c) in bare.chars().enumerate() {
        buf.push(match c {
            'ا' | 'و' | 'ي' | 'ء' | 'ئ' | 'ؤ' => c,
            'ه' if k + 1 == n => c,
            _ => 'C',
        });
    }
    sink.emit(buf);
}

/// The lexicon and word-frequency class of a neighbour (`-1`/`+1`): unknown to the
/// training data (`lxu`), its main entity type when mostly an entity (`ltn`), rare in
/// general Arabic (`zfr`).
fn neighbour_lexicon(
    seq: &Seq<'_>,
    j: usize,
    pos: &str,
    buf: &mut String,
    sink: &mut impl FeatureSink,
) {
    let w = seq.words[j];
    if !w.chars().next().is_some_and(is_arabic_letter) {
        return;
    }
    let st = seq.stems[j];
    if let Some(lex) = seq.lexicon {
        match lex.lookup(st, seq.rest[j]) {
            None => emit2(buf, sink, "lxu", pos),
            Some(c) => {
                let (eb, t) = ((c >> 2 & 3) as usize, (c >> 4 & 3) as usize);
                if eb >= 2 {
                    buf.clear();
                    buf.push_str("ltn");
                    buf.push_str(pos);
                    buf.push('=');
                    buf.push_str(LEX_TYPES[t]);
                    sink.emit(buf);
                }
            }
        }
    }
    if WordFreq::builtin().bucket(st).is_none_or(|b| b < 7) {
        emit2(buf, sink, "zfr", pos);
    }
}

/// How common the stem is in general Arabic (`zf`), how much more or less common it is
/// with `ال` added or removed (`za`), and how common the rest after a one-letter clitic is
/// (`zr`). Buckets of half a Zipf unit; `-` below Zipf 2.
const WF_NAMES: [&str; 20] = [
    "-", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "19",
];

/// Emits the word-frequency features of a stem; returns the stem's bucket.
fn wordfreq_features(
    st: &str,
    rest: Option<&str>,
    buf: &mut String,
    sink: &mut impl FeatureSink,
) -> Option<u8> {
    const B: [&str; 20] = WF_NAMES;
    let t = WordFreq::builtin();
    let b1 = t.bucket(st);
    let name = |b: Option<u8>| B[b.map_or(0, |b| (b as usize).min(19))];
    emit2(buf, sink, "zf=", name(b1));
    let alt_b = match st.strip_prefix("ال") {
        Some(bare) if bare.len() >= 4 => t.bucket(bare),
        Some(_) => None,
        None => {
            let mut a = String::with_capacity(st.len() + 4);
            a.push_str("ال");
            a.push_str(st);
            t.bucket(&a)
        }
    };
    const D: [&str; 9] = ["-4", "-3", "-2", "-1", "0", "+1", "+2", "+3", "+4"];
    match alt_b {
        None => sink.emit("za=-"),
        Some(b2) => {
            let d = (b2 as i32 - b1.map_or(3, i32::from)).clamp(-4, 4);
            emit2(buf, sink, "za=", D[(d + 4) as usize]);
        }
    }
    if let Some(r) = rest {
        emit2(buf, sink, "zr=", name(t.bucket(r)));
    }
    b1
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
    const Q: [&str; 5] = ["", "q=1", "q=2", "q=4", "q=7"];
    if seq.quoted[i] > 0 {
        sink.emit(Q[seq.quoted[i] as usize]);
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

    #[test]
    fn letter_patterns() {
        let g = Gazetteer::builtin();
        let seq = Seq::new(vec!["مانشستر", "المكتوب", "فولكسفاغن", "ال", "بيروت"], &g);
        let f = all_features(&seq);
        assert!(f[0].contains(&"pat=CاCCCCC".to_owned()));
        assert!(f[0].contains(&"pat+1=CCCوC".to_owned()));
        assert!(f[1].contains(&"pat=CCCوC".to_owned()));
        assert!(f[1].contains(&"pat-1=CاCCCCC".to_owned()));
        assert!(f[2].contains(&"pat=CوCCCCاCC".to_owned()));
        // Too short for a template.
        assert!(!f[3].iter().any(|x| x.starts_with("pat=")));
        assert!(f[4].contains(&"pat=CيCوC".to_owned()));
    }

    #[test]
    fn short_quoted_spans() {
        let w = vec![
            "برنامج",
            "\"",
            "حكايات",
            "\"",
            "و",
            "«",
            "ا",
            "ب",
            "ج",
            "د",
            "»",
            "\"",
        ];
        assert_eq!(quoted_spans(&w), [0, 0, 1, 0, 0, 0, 3, 3, 3, 3, 0, 0]);
        let f = all_features(&Seq::new(w, &Gazetteer::builtin()));
        assert!(f[2].contains(&"q=1".to_owned()));
        assert!(!f[1].iter().any(|x| x.starts_with("q=")));
    }

    #[test]
    fn lexicon_codes_and_features() {
        assert_eq!(Lexicon::code([0; 5]), None);
        let mut lex = Lexicon::default();
        let code = Lexicon::code([1, 9, 0, 0, 0]).unwrap();
        lex.map.insert(Lexicon::key("كاروني"), code);
        lex.map.insert(
            Lexicon::key("الحكومه"),
            Lexicon::code([30, 0, 0, 10, 0]).unwrap(),
        );
        let g = Gazetteer::builtin();
        let seq = Seq::with_lexicon(vec!["كاروني", "وكاروني", "والحكومه", "زيد"], &g, Some(&lex));
        let f = all_features(&seq);
        for k in [0, 1] {
            assert!(f[k].contains(&"ln=5".to_owned()));
            assert!(f[k].contains(&"le=3".to_owned()));
            assert!(f[k].contains(&"lte=PERS3".to_owned()));
        }
        assert!(f[2].contains(&"ln=20".to_owned()));
        assert!(f[2].contains(&"lte=ORG1".to_owned()));
        assert!(f[3].contains(&"lx=unk".to_owned()));
        // Without a lexicon, no lexicon features at all.
        let f = all_features(&Seq::new(vec!["زيد"], &g));
        assert!(!f[0].iter().any(|x| x.starts_with("l")));
    }
}
