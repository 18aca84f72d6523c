//! The second pass of a stacked CRF (Krishnan & Manning 2006, "An effective two-stage
//! model for exploiting non-local dependencies"). The first pass is the sentence CRF; the
//! second is a small CRF over features of the first pass's output: its label of the token
//! and its neighbours, the label after gazetteer fill and surface propagation, and
//! **non-local** features over the sentences around (`qari tag`: ±[`WINDOW`] sentences;
//! the reader: the article):
//!
//! * how the other occurrences of the token's stem were labelled (`n…`): none, all `O`, or
//!   mostly an entity of type T (share bucketed, as a begin or inside token), also crossed
//!   with the token's own first-pass type;
//! * whether the token lies inside a span of words that the first pass labelled as an entity
//!   elsewhere (`sm…`, as beginning or inside, crossed with its own first-pass type) — a
//!   learned version of surface propagation.
//!
//! The trainer (`tools/ner/train.rs`) trains it on first-pass output computed by jackknife
//! (fold models tag the sentences they did not see), so it learns how far the first pass
//! is to be trusted on new text. Features are emitted as indices into a fixed list of
//! names ([`Names`]): the trainer uses the names, the tagger a table of their weights, so
//! the second pass costs a few additions of weight rows per token.
//!
//! Measured on the dev split (`docs/entities.md`), the second pass did not beat the first
//! pass with propagation, so the shipped model has one pass; the format and the trainer's
//! `--stack` option remain for further experiments.

use super::clitics::{al_clitics, feature_stem, letter_clitic_lens};
use super::hash::{combine, hash_bytes, HashMap64, SEQ_SEED};
use super::rules;
use super::tokenize::is_arabic_letter;

fn is_letter(c: char) -> bool {
    is_arabic_letter(c) || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

/// Hash of a word's first form: without its clitics before `ال` (`والقاهره` → `القاهره`,
/// `للكرملين` → `الكرملين`), else the word.
fn al_form_hash(w: &str, buf: &mut String) -> u64 {
    match al_clitics(w) {
        Some((len, false)) => hash_bytes(&w.as_bytes()[len..]),
        Some((len, true)) => {
            buf.clear();
            buf.push('ا');
            buf.push_str(&w[len..]);
            hash_bytes(buf.as_bytes())
        }
        None => hash_bytes(w.as_bytes()),
    }
}

/// Sentences before and after each sentence that the non-local features look at (the
/// trainer's window; `qari tag --window` changes it at tagging time).
pub const WINDOW: usize = 15;

/// Longest first-pass span remembered as a surface (tokens).
const MAX_SURFACE: usize = 8;

/// Entity type index of a label: 0 for `O`, 1–4 for PERS, LOC, ORG, MISC (the order of
/// [`super::features::LEX_TYPES`]); and whether it begins a span.
pub fn label_class(label: &str) -> (u8, bool) {
    let (p, k) = match label.split_once('-') {
        Some(x) => x,
        None => return (0, false),
    };
    let t = match k {
        "PERS" | "PER" => 1,
        "LOC" => 2,
        "ORG" => 3,
        "MISC" => 4,
        _ => 0,
    };
    (t, p == "B" && t > 0)
}

const TYPES: [&str; 5] = ["O", "PERS", "LOC", "ORG", "MISC"];

/// The first pass's output for one sentence, summarized for the non-local features.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Per token: hash of its stem (0: punctuation, digits, one letter).
    keys: Vec<u64>,
    /// Per token: type index (0 = `O`) and begin flag of the first-pass label.
    kinds: Vec<(u8, bool)>,
    /// Entity surfaces of the sentence: (hash of the tokens, first-form hash, type index
    /// 1–4, start, length). The first token without its clitics before `ال`; a person's
    /// last word also counts alone (start = that word).
    surfaces: Vec<(u64, u64, u8, usize, usize)>,
}

fn token_key(w: &str) -> u64 {
    let mut cs = w.chars();
    match (cs.next(), cs.next()) {
        (Some(c), Some(_)) if is_letter(c) => hash_bytes(feature_stem(w).as_bytes()),
        _ => 0,
    }
}

impl Summary {
    /// Summarize a sentence: its words and the first-pass class of each
    /// ([`label_class`]).
    pub fn new(words: &[&str], kinds: Vec<(u8, bool)>) -> Summary {
        let keys = words.iter().map(|w| token_key(w)).collect();
        let mut buf = String::new();
        let mut surfaces = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let (t, _) = kinds[i];
            if t == 0 {
                i += 1;
                continue;
            }
            let mut e = i + 1;
            while e < words.len() && kinds[e] == (t, false) {
                e += 1;
            }
            let span = &words[i..e];
            let letters: usize = span.iter().map(|w| w.chars().count()).sum();
            if e - i <= MAX_SURFACE && letters >= 3 && !span.iter().all(|w| rules::is_not_a_name(w))
            {
                let f = al_form_hash(span[0], &mut buf);
                let h = span[1..].iter().fold(combine(SEQ_SEED, f), |h, w| {
                    combine(h, hash_bytes(w.as_bytes()))
                });
                surfaces.push((h, f, t, i, e - i));
                let last = span[span.len() - 1];
                if t == 1 && e - i >= 2 && last.chars().count() >= 3 && !rules::is_given_name(last)
                {
                    let f = hash_bytes(last.as_bytes());
                    surfaces.push((combine(SEQ_SEED, f), f, t, e - 1, 1));
                }
            }
            i = e;
        }
        Summary {
            keys,
            kinds,
            surfaces,
        }
    }
}

/// Counts over the sentences of a window (added and removed as it slides).
#[derive(Default)]
pub struct Window {
    /// Stem → [O, PERS, LOC, ORG, MISC, begins].
    tokens: HashMap64<[u32; 6]>,
    /// Surface → count per type (index 0 unused).
    surfaces: HashMap64<[u32; 5]>,
    /// First forms of surfaces → count.
    firsts: HashMap64<u32>,
    /// Surfaces per length.
    lens: [u32; MAX_SURFACE + 1],
}

impl Window {
    pub fn add(&mut self, s: &Summary) {
        self.update(s, true);
    }

    pub fn remove(&mut self, s: &Summary) {
        self.update(s, false);
    }

    fn update(&mut self, s: &Summary, add: bool) {
        let d = |x: &mut u32| {
            if add {
                *x += 1
            } else {
                *x -= 1
            }
        };
        for (&k, &(t, b)) in s.keys.iter().zip(&s.kinds) {
            if k != 0 {
                let c = self.tokens.entry(k).or_default();
                d(&mut c[t as usize]);
                if b {
                    d(&mut c[5]);
                }
            }
        }
        for &(h, f, t, _, len) in &s.surfaces {
            d(&mut self.surfaces.entry(h).or_default()[t as usize]);
            d(self.firsts.entry(f).or_default());
            d(&mut self.lens[len]);
        }
    }

    fn max_len(&self) -> usize {
        (1..=MAX_SURFACE)
            .rev()
            .find(|&l| self.lens[l] > 0)
            .unwrap_or(0)
    }
}

fn share_bucket(e: u32, tot: u32) -> usize {
    if e * 3 < tot {
        0
    } else if e * 3 < tot * 2 {
        1
    } else {
        2
    }
}

/// The names of the second-pass features for a model's labels; features are emitted as
/// indices into [`Names::names`] (the trainer uses the names, the tagger a table of their
/// weights computed once per model).
#[derive(Clone, Debug)]
pub struct Names {
    pub names: Vec<String>,
    /// Label count; then the first index of each block of names.
    l: usize,
    p: usize,
    pm: usize,
    pp: usize,
    n0: usize,
    no: usize,
    nop: usize,
    nt: usize,
    ntq: usize,
    ntp: usize,
    nb: usize,
    sm: usize,
    smp: usize,
    f: usize,
}

const Q: [&str; 3] = ["|lo", "|mid", "|hi"];

impl Names {
    pub fn new(labels: &[String]) -> Names {
        let l = labels.len();
        let mut names: Vec<String> = vec!["b".into()];
        let block = |names: &mut Vec<String>, v: Vec<String>| {
            let at = names.len();
            names.extend(v);
            at
        };
        let p = block(
            &mut names,
            labels.iter().map(|y| format!("p={y}")).collect(),
        );
        let pm = block(
            &mut names,
            labels
                .iter()
                .map(String::as_str)
                .chain(["BOS"])
                .map(|y| format!("p-1={y}"))
                .collect(),
        );
        let pp = block(
            &mut names,
            labels
                .iter()
                .map(String::as_str)
                .chain(["EOS"])
                .map(|y| format!("p+1={y}"))
                .collect(),
        );
        let n0 = block(&mut names, vec!["n0".into()]);
        let no = block(&mut names, vec!["nO".into()]);
        let nop = block(
            &mut names,
            TYPES.iter().map(|o| format!("nOp={o}")).collect(),
        );
        let ty = &TYPES[1..];
        let nt = block(&mut names, ty.iter().map(|t| format!("nt={t}")).collect());
        let mut v = Vec::new();
        for t in ty {
            for q in Q {
                v.push(format!("nt={t}{q}"));
            }
        }
        let ntq = block(&mut names, v);
        let mut v = Vec::new();
        for t in ty {
            for q in Q {
                for o in TYPES {
                    v.push(format!("ntp={t}{q}|{o}"));
                }
            }
        }
        let ntp = block(&mut names, v);
        let mut v = Vec::new();
        for t in ty {
            for b in ["|B", "|I"] {
                v.push(format!("nb={t}{b}"));
            }
        }
        let nb = block(&mut names, v);
        let mut v = Vec::new();
        for b in ["B-", "I-"] {
            for t in ty {
                v.push(format!("sm={b}{t}"));
            }
        }
        let sm = block(&mut names, v);
        let mut v = Vec::new();
        for b in ["B-", "I-"] {
            for t in ty {
                for o in TYPES {
                    v.push(format!("smp={b}{t}|{o}"));
                }
            }
        }
        let smp = block(&mut names, v);
        let f = block(
            &mut names,
            labels.iter().map(|y| format!("f={y}")).collect(),
        );
        Names {
            f,
            names,
            l,
            p,
            pm,
            pp,
            n0,
            no,
            nop,
            nt,
            ntq,
            ntp,
            nb,
            sm,
            smp,
        }
    }
}

/// Emit the second-pass features of every token of a sentence: `ys` are the first-pass
/// labels, `filled` the same after gazetteer fill and surface propagation
/// ([`super::Tagger::stack_inputs`]), `s` the sentence's summary (of `filled`) and `win`
/// the window it is in (including itself). `emit(i, feature, value)` receives them
/// (`feature` indexes `names.names`).
#[allow(clippy::too_many_arguments)]
pub fn features(
    words: &[&str],
    names: &Names,
    ys: &[usize],
    filled: &[usize],
    s: &Summary,
    win: &Window,
    emit: &mut impl FnMut(usize, usize, f32),
) {
    let n = words.len();
    let l = names.l;
    let sm = surface_matches(words, s, win);
    for i in 0..n {
        let mut e = |f: usize, v: f32| emit(i, f, v);
        e(0, 1.0);
        let own = s.kinds[i].0 as usize;
        e(names.p + ys[i], 1.0);
        e(names.f + filled[i], 1.0);
        e(names.pm + if i > 0 { ys[i - 1] } else { l }, 1.0);
        e(names.pp + if i + 1 < n { ys[i + 1] } else { l }, 1.0);
        // Other occurrences of the token's stem in the window.
        let k = s.keys[i];
        if k != 0 {
            let mut c = win.tokens.get(&k).copied().unwrap_or_default();
            let (t0, b0) = s.kinds[i];
            c[t0 as usize] = c[t0 as usize].saturating_sub(1);
            if b0 {
                c[5] = c[5].saturating_sub(1);
            }
            let tot: u32 = c[..5].iter().sum();
            if tot == 0 {
                e(names.n0, 1.0);
            } else if tot == c[0] {
                e(names.no, 1.0);
                e(names.nop + own, 1.0);
            } else {
                let ent = tot - c[0];
                let (t, _) = c[1..5]
                    .iter()
                    .enumerate()
                    .max_by_key(|x| (x.1, std::cmp::Reverse(x.0)))
                    .unwrap_or((0, &0));
                let q = share_bucket(ent, tot);
                e(names.nt + t, 1.0);
                e(names.ntq + t * 3 + q, 1.0);
                e(names.ntp + (t * 3 + q) * 5 + own, 1.0);
                e(names.nb + t * 2 + usize::from(c[5] * 2 < ent), 1.0);
            }
        }
        if let Some((t, b)) = sm[i] {
            let x = usize::from(!b) * 4 + (t as usize - 1);
            e(names.sm + x, 1.0);
            e(names.smp + x * 5 + own, 1.0);
        }
    }
}

/// Per token: (type, begins) of the longest span of words here that the first pass
/// labelled as an entity elsewhere in the window (left to right, not counting the
/// sentence's own span at the same place).
fn surface_matches(words: &[&str], s: &Summary, win: &Window) -> Vec<Option<(u8, bool)>> {
    let n = words.len();
    let mut sm: Vec<Option<(u8, bool)>> = vec![None; n];
    let max_len = win.max_len();
    if max_len == 0 {
        return sm;
    }
    let mut buf = String::new();
    let mut i = 0;
    while i < n {
        let mut hit = None;
        let mut firsts: [u64; 4] = [0; 4];
        let mut nf = 0;
        let w = words[i];
        if w.chars().next().is_some_and(is_letter) {
            firsts[nf] = hash_bytes(w.as_bytes());
            nf += 1;
            if al_clitics(w).is_some() {
                firsts[nf] = al_form_hash(w, &mut buf);
                nf += 1;
            }
            for len in letter_clitic_lens(w).into_iter().flatten() {
                firsts[nf] = hash_bytes(&w.as_bytes()[len..]);
                nf += 1;
            }
        }
        for &f in &firsts[..nf] {
            if win.firsts.get(&f).is_none_or(|&c| c == 0) {
                continue;
            }
            let mut h = combine(SEQ_SEED, f);
            let mut best = None;
            for len in 1..=max_len.min(n - i) {
                if len > 1 {
                    h = combine(h, hash_bytes(words[i + len - 1].as_bytes()));
                }
                if let Some(c) = win.surfaces.get(&h) {
                    let mut c = *c;
                    for &(sh, _, t, st, sl) in &s.surfaces {
                        if sh == h && st == i && sl == len {
                            c[t as usize] -= 1;
                        }
                    }
                    let (t, &m) = c
                        .iter()
                        .enumerate()
                        .skip(1)
                        .max_by_key(|x| (x.1, std::cmp::Reverse(x.0)))
                        .unwrap_or((1, &0));
                    if m > 0 {
                        best = Some((len, t as u8));
                    }
                }
            }
            if best.is_some() {
                hit = best;
                break;
            }
        }
        match hit {
            Some((len, t)) => {
                for (k, x) in sm[i..i + len].iter_mut().enumerate() {
                    *x = Some((t, k == 0));
                }
                i += len;
            }
            None => i += 1,
        }
    }
    sm
}

/// Run `f(i, summary, window)` for every sentence `i` of `summaries` with the window of
/// the sentences within `window` of it (all of them when `window` is `usize::MAX`).
pub fn for_each_window(
    summaries: &[Summary],
    window: usize,
    mut f: impl FnMut(usize, &Summary, &Window),
) {
    let mut win = Window::default();
    let n = summaries.len();
    let mut hi = 0; // sentences [lo, hi) are in the window
    let mut lo = 0;
    for i in 0..n {
        let want_hi = i.saturating_add(window).saturating_add(1).min(n);
        while hi < want_hi {
            win.add(&summaries[hi]);
            hi += 1;
        }
        let want_lo = i.saturating_sub(window);
        while lo < want_lo {
            win.remove(&summaries[lo]);
            lo += 1;
        }
        f(i, &summaries[i], &win);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_local_features() {
        let labels: Vec<String> = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let kinds = |ys: &[usize]| -> Vec<(u8, bool)> {
            ys.iter().map(|&y| label_class(&labels[y])).collect()
        };
        let s1w = vec!["قال", "فلاديمير", "بوتين", "في", "القاهره"];
        let s1y = vec![0, 1, 2, 0, 3];
        let s2w = vec!["وبوتين", "زار", "والقاهره"];
        let s2y = vec![0, 0, 0];
        let sums = vec![
            Summary::new(&s1w, kinds(&s1y)),
            Summary::new(&s2w, kinds(&s2y)),
        ];
        let names = Names::new(&labels);
        assert_eq!(
            names.names.len(),
            names
                .names
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len()
        );
        let mut got: Vec<Vec<Vec<String>>> = vec![Vec::new(), Vec::new()];
        let ws = [&s1w, &s2w];
        let yss = [&s1y, &s2y];
        for_each_window(&sums, 15, |i, s, win| {
            let n = ws[i].len();
            let mut out = vec![Vec::new(); n];
            features(ws[i], &names, yss[i], yss[i], s, win, &mut |j, f, _| {
                out[j].push(names.names[f].clone())
            });
            got[i] = out;
        });
        // `والقاهره` was LOC in the other sentence (its stem is `القاهره`).
        assert!(got[1][2].contains(&"nt=LOC".to_owned()), "{:?}", got[1][2]);
        assert!(got[1][2].contains(&"ntp=LOC|hi|O".to_owned()));
        // `وبوتين` matches the person's last word as a surface.
        assert!(
            got[1][0].contains(&"sm=B-PERS".to_owned()),
            "{:?}",
            got[1][0]
        );
        assert!(got[1][0].contains(&"smp=B-PERS|O".to_owned()));
        // Its own span does not count for itself.
        assert!(!got[0][1].iter().any(|f| f.starts_with("sm=")));
        assert!(got[0][4].contains(&"nO".to_owned()), "{:?}", got[0][4]);
        assert!(got[0][0].contains(&"n0".to_owned()));
        assert!(got[0][0].contains(&"p=O".to_owned()));
        assert!(got[0][1].contains(&"p+1=I-PERS".to_owned()));
    }
}
