//! Named entities in Arabic news: who, where, which organisation.
//!
//! Pure (no terminal code). Pipeline per article:
//! [`normalize`] (offset-keeping `norm()`) → [`tokenize`] (Arabic punctuation and quotes
//! split off) → sentences → CRF ([`model`], features in [`features`], trained on ANERcorp by
//! `tools/ner/train.rs`) plus gazetteer matches ([`gazetteer`]) → evidence-based proclitic
//! stripping of each mention's first token ([`clitics`]) → grouping into entities and
//! propagation of their surfaces through the article → [`link`]ing across the corpus.
//!
//! # API
//! * [`Tagger::shared`]: the default tagger (embedded model + gazetteer), loaded once on
//!   first use; `Tagger` is `Send + Sync`.
//! * [`Tagger::tag_article`]`(text, range)` → [`ArticleEntities`]: the [`Mention`]s of one
//!   article (byte ranges into `text`, clitic-free, sorted) and its [`Entity`]s; each
//!   mention points to its entity, each entity lists its mentions.
//! * [`Tagger::tag_document`]: every article of a [`crate::source::Document`].
//! * [`link::link_corpus`]: per-article entities of many documents → [`link::CorpusEntity`]s
//!   with stable ids (derived from the linking key) and per-(document, article) mentions.
//! * [`Tagger::tag_conll`] / [`Tagger::tag_conll_text`]: IOB2 tags (ANERcorp names
//!   `PERS LOC ORG MISC`) for pre-tokenized text, for scoring against standard data
//!   ([`conll`] has the scorer).
//! * [`TagOptions`] (`Tagger::options`): gazetteer fill and surface propagation, both on.
//!
//! Byte offsets are the truth; code points appear only in `qari entities --json`.
//!
//! Example (the reader's side panel):
//!
//! ```
//! use qari::entities::Tagger;
//! let text = "قال الرئيس الروسي فلاديمير بوتين في جنيف إن بوتين مستعد.";
//! let found = Tagger::shared().tag_article(text, 0..text.len());
//! for m in &found.mentions {
//!     let e = &found.entities[m.entity];
//!     println!("{} {} ({})", e.kind.name(), &text[m.range.clone()], e.canonical);
//! }
//! ```
//!
//! Cost: the first call loads the model and gazetteer (`Tagger::shared`). Tagging keeps a
//! per-thread cache of per-word feature weights (at most 8 MB per tagging thread), so
//! articles tagged on the same thread get faster as their vocabulary is seen.

pub mod clitics;
pub mod conll;
pub mod features;
pub mod gazetteer;
pub mod hash;
pub mod link;
pub mod model;
pub mod normalize;
pub mod packed;
pub mod rules;
pub mod stack;
pub mod tokenize;
pub mod wordfreq;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use features::Seq;
use gazetteer::{GazMatch, Gazetteer};
use model::{CrfModel, ModelError, RoleCache};
use normalize::Normalized;
use tokenize::{tokenize, Token, TokenClass};

/// The model shipped in the binary (CC BY-SA 4.0, see `assets/ner/NOTICE.md`).
pub static MODEL_BYTES: &[u8] = include_bytes!("../../assets/ner/model.bin");

/// Entity types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Per,
    Loc,
    Org,
    Misc,
}

impl EntityKind {
    /// `PER`, `LOC`, `ORG`, `MISC`.
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Per => "PER",
            EntityKind::Loc => "LOC",
            EntityKind::Org => "ORG",
            EntityKind::Misc => "MISC",
        }
    }

    /// The ANERcorp tag name (`PERS`, `LOC`, `ORG`, `MISC`).
    pub fn conll_name(self) -> &'static str {
        match self {
            EntityKind::Per => "PERS",
            other => other.name(),
        }
    }

    /// Accepts `PER`, `PERS`, `LOC`, `ORG`, `MISC` (any case).
    pub fn parse(s: &str) -> Option<EntityKind> {
        match s.to_ascii_uppercase().as_str() {
            "PER" | "PERS" => Some(EntityKind::Per),
            "LOC" => Some(EntityKind::Loc),
            "ORG" => Some(EntityKind::Org),
            "MISC" => Some(EntityKind::Misc),
            _ => None,
        }
    }

    fn bio(self, begin: bool) -> &'static str {
        match (self, begin) {
            (EntityKind::Per, true) => "B-PERS",
            (EntityKind::Per, false) => "I-PERS",
            (EntityKind::Loc, true) => "B-LOC",
            (EntityKind::Loc, false) => "I-LOC",
            (EntityKind::Org, true) => "B-ORG",
            (EntityKind::Org, false) => "I-ORG",
            (EntityKind::Misc, true) => "B-MISC",
            (EntityKind::Misc, false) => "I-MISC",
        }
    }
}

/// One mention of an entity in an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Byte range into the document's decoded text: the clitic-free surface
    /// (`بوتين` inside `وبوتين`), covering the harakat of its last letter.
    pub range: Range<usize>,
    pub kind: EntityKind,
    /// Index into [`ArticleEntities::entities`].
    pub entity: usize,
}

/// An entity of one article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub kind: EntityKind,
    /// Display form: the gazetteer's canonical Arabic form, else the longest surface.
    pub canonical: String,
    /// Linking key: `gazetteer id` (`wd:Q7747`, `cldr:RU`, `org:kremlin`…) when the
    /// gazetteer knows the entity, else the normalized canonical surface.
    pub key: String,
    pub wikidata: Option<String>,
    /// English name from the gazetteer, when known.
    pub english: Option<String>,
    /// Indices into [`ArticleEntities::mentions`], in text order.
    pub mentions: Vec<usize>,
}

/// The entities of one article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleEntities {
    /// Sorted by start, not overlapping.
    pub mentions: Vec<Mention>,
    /// In order of first mention.
    pub entities: Vec<Entity>,
}

/// Options of the article pipeline and of the CoNLL tagging functions. The defaults are
/// the reader's; `qari tag` turns gazetteer fill off (ANERcorp leaves many of the names
/// it would add untagged: 77.75 against 77.13 on the dev split, `docs/entities.md`).
#[derive(Clone, Copy, Debug)]
pub struct TagOptions {
    /// Add multi-word gazetteer matches the CRF left untagged (a single word is left to
    /// the CRF, which sees the match as a feature: alone it is too often a common word —
    /// `ولايتي` is Velayati and "my state").
    pub gazetteer_fill: bool,
    /// Re-tag every other occurrence of an entity's surfaces in the article.
    pub propagate: bool,
    /// Run the second pass of a stacked model (no effect on a one-pass model).
    pub stacked: bool,
}

impl Default for TagOptions {
    fn default() -> Self {
        TagOptions {
            gazetteer_fill: true,
            propagate: true,
            stacked: true,
        }
    }
}

/// The entity tagger: CRF model + gazetteer. `Send + Sync`; share one.
#[derive(Clone, Debug)]
pub struct Tagger {
    model: CrfModel,
    gazetteer: Gazetteer,
    /// Per model label: `Some((kind, begins))`, or `None` for `O`.
    label_info: Vec<Option<(EntityKind, bool)>>,
    /// Per model label: [`stack::label_class`].
    classes: Vec<(u8, bool)>,
    pub options: TagOptions,
}

/// A candidate span over tokens of an article (before stripping and grouping).
#[derive(Clone, Debug)]
struct Span {
    start: usize,
    end: usize,
    kind: EntityKind,
    gaz: Option<u32>,
    clitic_len: Option<usize>,
}

fn is_sentence_end(word: &str) -> bool {
    matches!(word, "." | "!" | "?" | "؟" | "…")
}

const MAX_SENTENCE: usize = 200;

impl Tagger {
    /// The default tagger (embedded model and gazetteer), loaded on first use.
    pub fn shared() -> &'static Tagger {
        static T: OnceLock<Tagger> = OnceLock::new();
        T.get_or_init(|| {
            Tagger::from_model_bytes(MODEL_BYTES, Gazetteer::builtin())
                .expect("the embedded model is valid (tested)")
        })
    }

    /// A tagger from a model file's bytes and a gazetteer (the gazetteer must be the one
    /// the model was trained with, as its matches are features).
    pub fn from_model_bytes(bytes: &[u8], gazetteer: Gazetteer) -> Result<Tagger, ModelError> {
        let model = CrfModel::from_bytes(bytes)?;
        let label_info = model
            .labels
            .iter()
            .map(|l| {
                let (p, k) = l.split_once('-')?;
                Some((EntityKind::parse(k)?, p == "B"))
            })
            .collect();
        let classes = model.labels.iter().map(|l| stack::label_class(l)).collect();
        Ok(Tagger {
            model,
            gazetteer,
            label_info,
            classes,
            options: TagOptions::default(),
        })
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    pub fn model(&self) -> &CrfModel {
        &self.model
    }

    /// Labels for a sequence of normalized tokens: `(kind, begins)` or `None` (outside),
    /// repaired to valid IOB2. Also returns the gazetteer matches of the sequence.
    pub fn label_words(&self, words: &[&str]) -> (Vec<Option<(EntityKind, bool)>>, Vec<GazMatch>) {
        self.model
            .with_cache(|c| self.label_sentences(&[words.to_vec()], 0, c))
            .pop()
            .unwrap_or_default()
    }

    /// [`Tagger::label_words`] for consecutive sentences of one text: the first pass per
    /// sentence, then (a stacked model, [`TagOptions::stacked`]) the second pass, whose
    /// non-local features see the sentences within `window` of each (`usize::MAX`: all).
    #[allow(clippy::type_complexity)]
    fn label_sentences(
        &self,
        sents: &[Vec<&str>],
        window: usize,
        cache: &mut RoleCache,
    ) -> Vec<(Vec<Option<(EntityKind, bool)>>, Vec<GazMatch>)> {
        let mut firsts: Vec<(Vec<usize>, Vec<f32>, Vec<GazMatch>)> =
            Vec::with_capacity(sents.len());
        for words in sents {
            let seq =
                Seq::with_lexicon(words.clone(), &self.gazetteer, self.model.lexicon.as_ref());
            let state = self.model.state_cached(&seq, cache);
            let ys = self.model.decode(&state);
            firsts.push((ys, state, seq.matches));
        }
        if let (Some(m2), Some((names, rows))) = (
            self.model
                .stage2
                .as_deref()
                .filter(|_| self.options.stacked),
            &self.model.stage2_rows,
        ) {
            let ys: Vec<&[usize]> = firsts.iter().map(|f| f.0.as_slice()).collect();
            let matches: Vec<&[GazMatch]> = firsts.iter().map(|f| f.2.as_slice()).collect();
            let (filled, sums) = self.stack_inputs(sents, &ys, &matches, window);
            let l = self.model.labels.len();
            let mut second: Vec<Vec<usize>> = Vec::with_capacity(sents.len());
            let mut st2: Vec<f32> = Vec::new();
            stack::for_each_window(&sums, window, |i, s, win| {
                let (ys, _, _) = &firsts[i];
                st2.clear();
                st2.resize(ys.len() * l, 0.0);
                stack::features(&sents[i], names, ys, &filled[i], s, win, &mut |j, f, v| {
                    let row = &rows[f * l..(f + 1) * l];
                    for (a, b) in st2[j * l..(j + 1) * l].iter_mut().zip(row) {
                        *a += v * b;
                    }
                });
                second.push(m2.decode(&st2));
            });
            for (f, ys) in firsts.iter_mut().zip(second) {
                f.0 = ys;
            }
        }
        firsts
            .into_iter()
            .map(|(ys, _, matches)| (self.iob(&ys), matches))
            .collect()
    }

    /// IOB2 tags (`B-PERS`, `I-LOC`, `O`…) for one sentence of pre-tokenized text. Each
    /// input token is normalized and split like running text; it gets the tag of its first
    /// word-like piece.
    pub fn tag_conll(&self, tokens: &[impl AsRef<str>]) -> Vec<&'static str> {
        let mut all = [Pieces::new(tokens)];
        self.model.with_cache(|c| self.piece_labels(&mut all, 0, c));
        all[0].token_tags()
    }

    /// IOB2 tags for consecutive sentences of one text: like [`Tagger::tag_conll`], then
    /// (with [`TagOptions::propagate`]) a surface tagged as an entity in one sentence is
    /// also tagged where the model missed it in the sentences around it (±`window`), as
    /// the article pipeline does within an article.
    pub fn tag_conll_text(
        &self,
        sentences: &[Vec<String>],
        window: usize,
    ) -> Vec<Vec<&'static str>> {
        let mut all: Vec<Pieces> = sentences.iter().map(|s| Pieces::new(s)).collect();
        self.model
            .with_cache(|cache| self.piece_labels(&mut all, window, cache));
        if self.options.propagate {
            let sents: Vec<Vec<&str>> = all.iter().map(Pieces::words).collect();
            let labels: Vec<Vec<Option<(EntityKind, bool)>>> =
                all.iter().map(|p| p.labels.clone()).collect();
            let filled = propagate_window(&sents, &labels, window, self.model.lexicon.as_ref());
            drop(sents);
            for (p, f) in all.iter_mut().zip(filled) {
                p.labels = f;
            }
        }
        all.iter().map(Pieces::token_tags).collect()
    }

    /// The inputs of the second pass besides the first pass's labels `ys`: the labels
    /// after gazetteer fill and surface propagation (within `window`), and the summaries of
    /// the sentences built from them. (The trainer calls it on jackknifed labels.)
    #[allow(clippy::type_complexity)]
    pub fn stack_inputs(
        &self,
        sents: &[Vec<&str>],
        ys: &[&[usize]],
        matches: &[&[GazMatch]],
        window: usize,
    ) -> (Vec<Vec<usize>>, Vec<stack::Summary>) {
        let mut labels: Vec<Vec<Option<(EntityKind, bool)>>> =
            ys.iter().map(|ys| self.iob(ys)).collect();
        for (l, m) in labels.iter_mut().zip(matches) {
            self.fill_from_gazetteer(l, m);
        }
        let labels = propagate_window(sents, &labels, window, self.model.lexicon.as_ref());
        let ids: Vec<Vec<usize>> = labels
            .iter()
            .map(|l| {
                l.iter()
                    .map(|x| self.label_info.iter().position(|y| y == x).unwrap_or(0))
                    .collect()
            })
            .collect();
        let sums = sents
            .iter()
            .zip(&ids)
            .map(|(w, ys)| stack::Summary::new(w, ys.iter().map(|&y| self.classes[y]).collect()))
            .collect();
        (ids, sums)
    }

    /// Label indices as `(kind, begins)`, repaired to valid IOB2.
    fn iob(&self, ys: &[usize]) -> Vec<Option<(EntityKind, bool)>> {
        let mut out: Vec<Option<(EntityKind, bool)>> = ys
            .iter()
            .map(|&y| self.label_info.get(y).copied().flatten())
            .collect();
        for i in 0..out.len() {
            if let Some((k, false)) = out[i] {
                let continues = i > 0 && out[i - 1].is_some_and(|(pk, _)| pk == k);
                if !continues {
                    out[i] = Some((k, true));
                }
            }
        }
        out
    }

    fn piece_labels(&self, all: &mut [Pieces], window: usize, cache: &mut RoleCache) {
        let sents: Vec<Vec<&str>> = all.iter().map(Pieces::words).collect();
        let labelled = self.label_sentences(&sents, window, cache);
        drop(sents);
        for (p, (mut labels, matches)) in all.iter_mut().zip(labelled) {
            if self.options.gazetteer_fill {
                self.fill_from_gazetteer(&mut labels, &matches);
            }
            p.labels = labels;
        }
    }

    fn fill_from_gazetteer(&self, labels: &mut [Option<(EntityKind, bool)>], matches: &[GazMatch]) {
        for m in matches {
            if m.end - m.start >= 2
                && labels[m.start..m.end].iter().all(Option::is_none)
                && (m.end == labels.len() || !matches!(labels[m.end], Some((_, false))))
            {
                let kind = self.gazetteer.entries[m.entry as usize].kind;
                for (k, l) in labels[m.start..m.end].iter_mut().enumerate() {
                    *l = Some((kind, k == 0));
                }
            }
        }
    }

    /// Every article of a document.
    pub fn tag_document(&self, doc: &crate::source::Document) -> Vec<ArticleEntities> {
        doc.articles
            .iter()
            .map(|a| self.tag_article(&doc.text, a.range.clone()))
            .collect()
    }

    /// The entities of the article at byte `range` of `text`. A range that is out of
    /// bounds or not on character boundaries gives an empty result.
    pub fn tag_article(&self, text: &str, range: Range<usize>) -> ArticleEntities {
        let Some(slice) = text.get(range.clone()) else {
            return ArticleEntities::default();
        };
        let norm = Normalized::with_base(slice, range.start);
        let toks = tokenize(&norm.text);
        let words: Vec<&str> = toks.iter().map(|t| &norm.text[t.range.clone()]).collect();

        // 1. Candidate spans: CRF per sentence, merged with gazetteer matches.
        let mut sentences: Vec<Range<usize>> = Vec::new();
        let mut start = 0;
        while start < words.len() {
            let mut end = start + 1;
            while end < words.len()
                && end - start < MAX_SENTENCE
                && !toks[end].line_start
                && !is_sentence_end(words[end - 1])
            {
                end += 1;
            }
            sentences.push(start..end);
            start = end;
        }
        let mut spans: Vec<Span> = Vec::new();
        let sents: Vec<Vec<&str>> = sentences
            .iter()
            .map(|r| words[r.clone()].to_vec())
            .collect();
        let labelled = self
            .model
            .with_cache(|cache| self.label_sentences(&sents, usize::MAX, cache));
        for (r, (labels, matches)) in sentences.iter().zip(labelled) {
            self.sentence_spans(&words[r.clone()], labels, matches, r.start, &mut spans);
        }

        // 2. Strip clitics, trim, drop non-names.
        // The article's words, by hash (only asked about a few candidate remainders).
        let vocab: hash::HashSet64 = words
            .iter()
            .map(|w| hash::hash_bytes(w.as_bytes()))
            .collect();
        let mut mentions: Vec<RawMention> = Vec::new();
        for sp in spans {
            if let Some(m) = self.finish_span(sp, &toks, &words, &norm, text, &vocab) {
                mentions.push(m);
            }
        }

        // 3. Group, propagate, build the result.
        group(self, mentions, &toks, &words, &norm, text)
    }

    fn sentence_spans(
        &self,
        words: &[&str],
        labels: Vec<Option<(EntityKind, bool)>>,
        matches: Vec<GazMatch>,
        offset: usize,
        out: &mut Vec<Span>,
    ) {
        let mut crf: Vec<Span> = Vec::new();
        for (i, l) in labels.iter().enumerate() {
            match *l {
                Some((k, true)) => crf.push(Span {
                    start: i,
                    end: i + 1,
                    kind: k,
                    gaz: None,
                    clitic_len: None,
                }),
                Some((_, false)) => {
                    if let Some(last) = crf.last_mut() {
                        last.end = i + 1;
                    }
                }
                None => {}
            }
        }
        let mut keep = vec![true; crf.len()];
        let mut added: Vec<Span> = Vec::new();
        for m in &matches {
            let entry = &self.gazetteer.entries[m.entry as usize];
            let overlapping: Vec<usize> = (0..crf.len())
                .filter(|&c| crf[c].start < m.end && m.start < crf[c].end)
                .collect();
            let gspan = Span {
                start: m.start,
                end: m.end,
                kind: entry.kind,
                gaz: Some(m.entry),
                clitic_len: Some(m.clitic_len),
            };
            if overlapping.is_empty() {
                if self.options.gazetteer_fill && m.end - m.start >= 2 {
                    added.push(gspan);
                }
                continue;
            }
            let exact = overlapping
                .iter()
                .find(|&&c| crf[c].start == m.start && crf[c].end == m.end);
            if let Some(&c) = exact {
                // Same surface: the gazetteer's type wins.
                crf[c] = gspan;
            } else if m.end - m.start >= 2
                && overlapping
                    .iter()
                    .all(|&c| crf[c].start >= m.start && crf[c].end <= m.end)
            {
                for &c in &overlapping {
                    keep[c] = false;
                }
                added.push(gspan);
            } else if let [c] = overlapping[..] {
                // A model span that is a gazetteer name plus trailing `ال` words the
                // gazetteer does not know (`الكرملين الأبرز`): keep the name only.
                let sp = &crf[c];
                if sp.start == m.start
                    && sp.end > m.end
                    && words[m.end..sp.end]
                        .iter()
                        .all(|w| w.starts_with("ال") && !self.gazetteer.is_first(w))
                {
                    crf[c] = gspan;
                }
            }
        }
        for (c, sp) in crf.into_iter().enumerate() {
            if keep[c] {
                added.push(sp);
            }
        }
        added.sort_by_key(|s| s.start);
        for mut sp in added {
            sp.start += offset;
            sp.end += offset;
            out.push(sp);
        }
    }

    fn finish_span(
        &self,
        mut sp: Span,
        toks: &[Token],
        words: &[&str],
        norm: &Normalized,
        text: &str,
        vocab: &hash::HashSet64,
    ) -> Option<RawMention> {
        // Trim punctuation at both ends, and leading titles/nisbas.
        while sp.start < sp.end
            && (toks[sp.start].class == TokenClass::Punct
                || (sp.end - sp.start > 1
                    && rules::is_not_a_name(clitics::feature_stem(words[sp.start]))))
        {
            sp.start += 1;
            sp.clitic_len = None;
            sp.gaz = sp.gaz.filter(|_| false);
        }
        // Trailing punctuation and lone letters (`جيمس لـ"الشرق"`: the `لـ` is a clitic).
        while sp.end > sp.start
            && (toks[sp.end - 1].class == TokenClass::Punct
                || (toks[sp.end - 1].class == TokenClass::Arabic
                    && words[sp.end - 1].chars().nth(1).is_none()))
        {
            sp.end -= 1;
        }
        if sp.start >= sp.end {
            return None;
        }
        let first = words[sp.start];
        let (clitic_len, first_form) = match sp.clitic_len {
            // A gazetteer match: the form its first token matched under.
            Some(c) => {
                let f = candidates(first)
                    .into_iter()
                    .find(|(cl, f)| *cl == c && self.gazetteer.is_first(f))
                    .map_or_else(|| first[c..].to_owned(), |(_, f)| f);
                (c, f)
            }
            None => {
                let tok = &toks[sp.start];
                let c1 = first.chars().next().map_or(0, char::len_utf8);
                let tatweel = norm
                    .original(tok.range.start..tok.range.start + c1)
                    .is_some_and(|r| text[r].contains('\u{0640}'));
                let whole = |f: &str| self.gazetteer.is_first(f);
                let rest = |f: &str| {
                    vocab.contains(&hash::hash_bytes(f.as_bytes())) || self.gazetteer.is_first(f)
                };
                let st = clitics::strip_with(first, tatweel, &whole, &rest);
                (st.clitic_len, st.form)
            }
        };
        let mut form: Vec<String> = words[sp.start..sp.end]
            .iter()
            .map(|w| (*w).to_owned())
            .collect();
        form[0] = first_form;
        if form.iter().all(|w| rules::is_not_a_name(w)) {
            return None;
        }
        if form.len() == 1 && form[0].chars().count() < 2 {
            return None;
        }
        let nstart = toks[sp.start].range.start + clitic_len;
        let nend = toks[sp.end - 1].range.end;
        let range = norm.original(nstart..nend)?;
        let gaz = sp
            .gaz
            .or_else(|| self.gazetteer.lookup(form.iter().map(String::as_str)));
        // Latin words all in lower case (`previous arrow`, page furniture of scraped
        // pages) are not a name; the model, trained on Arabic, cannot tell.
        if gaz.is_none() && is_lowercase_latin(&text[range.clone()]) {
            return None;
        }
        let kind = gaz.map_or(sp.kind, |g| self.gazetteer.entries[g as usize].kind);
        Some(RawMention {
            range,
            tokens: sp.start..sp.end,
            kind,
            form,
            gaz,
            from_gazetteer: sp.clitic_len.is_some(),
        })
    }
}

/// Pre-tokenized input split into pieces like running text.
struct Pieces {
    text: String,
    pieces: Vec<Range<usize>>,
    first_piece: Vec<Option<usize>>,
    labels: Vec<Option<(EntityKind, bool)>>,
}

impl Pieces {
    fn new(tokens: &[impl AsRef<str>]) -> Pieces {
        let mut text = String::new();
        let mut first_piece: Vec<Option<usize>> = Vec::with_capacity(tokens.len());
        let mut pieces: Vec<Range<usize>> = Vec::new();
        for t in tokens {
            let n = normalize::norm(t.as_ref());
            let toks = tokenize(&n);
            let pick = toks
                .iter()
                .position(|k| k.class != TokenClass::Punct)
                .or(if toks.is_empty() { None } else { Some(0) });
            first_piece.push(pick.map(|p| pieces.len() + p));
            for k in toks {
                let s = text.len();
                text.push_str(&n[k.range]);
                pieces.push(s..text.len());
            }
        }
        Pieces {
            text,
            pieces,
            first_piece,
            labels: Vec::new(),
        }
    }

    fn words(&self) -> Vec<&str> {
        self.pieces.iter().map(|r| &self.text[r.clone()]).collect()
    }

    fn token_tags(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::with_capacity(self.first_piece.len());
        let mut prev: Option<EntityKind> = None;
        for p in &self.first_piece {
            let l = p.and_then(|p| self.labels.get(p).copied().flatten());
            let tag = match l {
                Some((k, begin)) => {
                    let b = begin || prev != Some(k);
                    prev = Some(k);
                    k.bio(b)
                }
                None => {
                    prev = None;
                    "O"
                }
            };
            out.push(tag);
        }
        out
    }
}

/// Spans (start, end, kind) of IOB labels.
fn label_spans(labels: &[Option<(EntityKind, bool)>]) -> Vec<(usize, usize, EntityKind)> {
    let mut out: Vec<(usize, usize, EntityKind)> = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        match *l {
            Some((k, true)) => out.push((i, i + 1, k)),
            Some((_, false)) => {
                if let Some(last) = out.last_mut() {
                    last.1 = i + 1;
                }
            }
            None => {}
        }
    }
    out
}

/// Entity surfaces of a sentence (for propagation): normalized words, the first without
/// its clitics before `ال`. A person's last word counts on its own unless it is a given
/// name or a word the training lexicon knows only outside entities (`برنامجا` in
/// `مها أحمد برنامجا`, a span the model made too long).
fn surfaces_of(
    words: &[&str],
    labels: &[Option<(EntityKind, bool)>],
    lexicon: Option<&features::Lexicon>,
) -> Vec<(Vec<String>, EntityKind)> {
    let plain = |w: &str| {
        lexicon
            .and_then(|l| l.lookup(clitics::feature_stem(w), None))
            .is_some_and(|c| (c >> 2 & 3) == 0)
    };
    label_spans(labels)
        .into_iter()
        .filter_map(|(s, e, k)| {
            let mut f: Vec<String> = words[s..e].iter().map(|w| (*w).to_owned()).collect();
            if let Some(st) = clitics::strip_before_al(&f[0]) {
                f[0] = st.form;
            }
            (f.concat().chars().count() >= 3 && !f.iter().all(|w| rules::is_not_a_name(w)))
                .then_some((f, k))
        })
        .flat_map(|(f, k)| {
            // A person's last word stands for the person (`طلعت زكريا` … `زكريا`), as
            // in the article pipeline's grouping.
            let last = (k == EntityKind::Per && f.len() >= 2)
                .then(|| f[f.len() - 1].clone())
                .filter(|w| w.chars().count() >= 3 && !rules::is_given_name(w) && !plain(w))
                .map(|w| (vec![w], k));
            std::iter::once((f, k)).chain(last)
        })
        .collect()
}

/// `labels` with the surfaces of `mem` tagged where the model left `O`.
/// `labels` made consistent with the surfaces of `mem` (counts per type of the entity
/// surfaces around): a span whose surface is more often of another type takes that type
/// (as the article pipeline gives an entity its majority type); then, left to right, the
/// longest surface found at a token is tagged where the model left `O` — also over spans
/// it covers entirely, so a span extends to a longer surface found elsewhere (`كييف` →
/// `دينامو كييف`).
fn propagate_in(
    words: &[&str],
    labels: &[Option<(EntityKind, bool)>],
    mem: &HashMap<&[String], [usize; 4]>,
) -> Vec<Option<(EntityKind, bool)>> {
    let mut labels = labels.to_vec();
    for (s, e, k) in label_spans(&labels) {
        let mut f: Vec<String> = words[s..e].iter().map(|w| (*w).to_owned()).collect();
        if let Some(st) = clitics::strip_before_al(&f[0]) {
            f[0] = st.form;
        }
        if let Some(c) = mem.get(f.as_slice()) {
            let (best, &n) = c.iter().enumerate().max_by_key(|x| x.1).unwrap_or((0, &0));
            if n > c[k as usize] {
                for (j, l) in labels[s..e].iter_mut().enumerate() {
                    *l = Some((KINDS[best], j == 0));
                }
            }
        }
    }
    let max_len = mem.keys().map(|k| k.len()).max().unwrap_or(0);
    let mut i = 0;
    while i < labels.len() {
        if matches!(labels[i], Some((_, false))) {
            i += 1;
            continue;
        }
        let mut hit = None;
        'outer: for len in (1..=max_len.min(labels.len() - i)).rev() {
            // Over existing spans only to extend them (some `O` inside the surface).
            let any = labels[i..i + len].iter().any(Option::is_some);
            if any && (len < 2 || labels[i..i + len].iter().all(Option::is_some)) {
                continue;
            }
            for (_, f) in candidates(words[i]) {
                let mut key: Vec<String> = vec![f];
                key.extend(words[i + 1..i + len].iter().map(|w| (*w).to_owned()));
                if let Some(c) = mem.get(key.as_slice()) {
                    let (k, _) = c.iter().enumerate().max_by_key(|x| x.1).unwrap_or((0, &0));
                    hit = Some((len, KINDS[k]));
                    break 'outer;
                }
            }
        }
        match hit {
            Some((len, kind))
                if i + len == labels.len() || !matches!(labels[i + len], Some((_, false))) =>
            {
                for (j, l) in labels[i..i + len].iter_mut().enumerate() {
                    *l = Some((kind, j == 0));
                }
                i += len;
            }
            _ => i += 1,
        }
    }
    labels
}

/// Surface propagation over consecutive sentences: each sentence gets the entity surfaces
/// of the sentences within `window` of it where its labels are `O`.
fn propagate_window(
    sents: &[Vec<&str>],
    labels: &[Vec<Option<(EntityKind, bool)>>],
    window: usize,
    lexicon: Option<&features::Lexicon>,
) -> Vec<Vec<Option<(EntityKind, bool)>>> {
    let surf: Vec<Vec<(Vec<String>, EntityKind)>> = sents
        .iter()
        .zip(labels)
        .map(|(w, l)| surfaces_of(w, l, lexicon))
        .collect();
    let n = sents.len();
    let build = |lo: usize, hi: usize| {
        let mut mem: HashMap<&[String], [usize; 4]> = HashMap::new();
        for s in &surf[lo..hi] {
            for (f, k) in s {
                mem.entry(f.as_slice()).or_default()[*k as usize] += 1;
            }
        }
        mem
    };
    let all = (window >= n).then(|| build(0, n));
    (0..n)
        .map(|i| {
            let local;
            let mem = match &all {
                Some(m) => m,
                None => {
                    local = build(i.saturating_sub(window), (i + window + 1).min(n));
                    &local
                }
            };
            propagate_in(&sents[i], &labels[i], mem)
        })
        .collect()
}

const KINDS: [EntityKind; 4] = [
    EntityKind::Per,
    EntityKind::Loc,
    EntityKind::Org,
    EntityKind::Misc,
];

/// A mention before grouping.
#[derive(Clone, Debug)]
struct RawMention {
    range: Range<usize>,
    tokens: Range<usize>,
    kind: EntityKind,
    /// Normalized clitic-free tokens.
    form: Vec<String>,
    gaz: Option<u32>,
    #[allow(dead_code)]
    from_gazetteer: bool,
}

/// Group mentions into entities, propagate surfaces, and build the result.
fn group(
    tagger: &Tagger,
    mut mentions: Vec<RawMention>,
    toks: &[Token],
    words: &[&str],
    norm: &Normalized,
    text: &str,
) -> ArticleEntities {
    let gz = &tagger.gazetteer;
    // Key of each mention.
    let key_of = |m: &RawMention| -> String {
        match m.gaz {
            Some(g) => gz.entries[g as usize].id.clone(),
            None => m.form.join(" "),
        }
    };
    let mut keys: Vec<String> = mentions.iter().map(key_of).collect();
    // Persons: a one-word mention joins the multi-word person whose last word it is.
    let mut last_word: HashMap<&str, Option<String>> = HashMap::new();
    for (m, k) in mentions.iter().zip(&keys) {
        if m.kind == EntityKind::Per && m.form.len() > 1 {
            let lw = m.form.last().map(String::as_str).unwrap_or("");
            let e = last_word.entry(lw).or_insert_with(|| Some(k.clone()));
            if e.as_deref() != Some(k.as_str()) {
                *e = None; // ambiguous
            }
        }
    }
    let relink: Vec<Option<String>> = mentions
        .iter()
        .map(|m| {
            if m.form.len() == 1 && m.gaz.is_none() {
                last_word.get(m.form[0].as_str()).cloned().flatten()
            } else {
                None
            }
        })
        .collect();
    for (k, r) in keys.iter_mut().zip(relink) {
        if let Some(r) = r {
            *k = r;
        }
    }

    // Propagation: other occurrences of the same surfaces.
    if tagger.options.propagate && !mentions.is_empty() {
        let mut covered = vec![false; words.len()];
        for m in &mentions {
            covered[m.tokens.clone()].iter_mut().for_each(|c| *c = true);
        }
        let mut surfaces: HashMap<Vec<String>, (String, EntityKind, Option<u32>)> = HashMap::new();
        for (m, k) in mentions.iter().zip(&keys) {
            if m.form.concat().chars().count() >= 3 {
                surfaces
                    .entry(m.form.clone())
                    .or_insert_with(|| (k.clone(), m.kind, m.gaz));
            }
        }
        let max_len = surfaces.keys().map(Vec::len).max().unwrap_or(0);
        let mut extra: Vec<(RawMention, String)> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if covered[i] || toks[i].class == TokenClass::Punct {
                i += 1;
                continue;
            }
            let mut found = None;
            let firsts = candidates(words[i]);
            'outer: for len in (1..=max_len.min(words.len() - i)).rev() {
                if covered[i..i + len].iter().any(|&c| c) {
                    continue;
                }
                for (clen, f) in &firsts {
                    let mut form: Vec<String> = Vec::with_capacity(len);
                    form.push(f.clone());
                    form.extend(words[i + 1..i + len].iter().map(|w| (*w).to_owned()));
                    if let Some((k, kind, g)) = surfaces.get(&form) {
                        found = Some((len, *clen, form, k.clone(), *kind, *g));
                        break 'outer;
                    }
                }
            }
            match found {
                Some((len, clen, form, k, kind, gaz)) => {
                    let nstart = toks[i].range.start + clen;
                    if let Some(range) = norm.original(nstart..toks[i + len - 1].range.end) {
                        extra.push((
                            RawMention {
                                range,
                                tokens: i..i + len,
                                kind,
                                form,
                                gaz,
                                from_gazetteer: false,
                            },
                            k,
                        ));
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        for (m, k) in extra {
            mentions.push(m);
            keys.push(k);
        }
    }

    // Sort by position; drop overlaps (keep the earlier, then longer).
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| {
        (
            mentions[i].range.start,
            std::cmp::Reverse(mentions[i].range.end),
        )
    });
    let mut kept: Vec<usize> = Vec::new();
    let mut last_end = 0;
    for i in order {
        if mentions[i].range.start >= last_end {
            last_end = mentions[i].range.end;
            kept.push(i);
        }
    }

    // Entities in order of first mention.
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut ents: Vec<(String, Vec<usize>)> = Vec::new();
    for (pos, &i) in kept.iter().enumerate() {
        let e = *index.entry(keys[i].as_str()).or_insert_with(|| {
            ents.push((keys[i].clone(), Vec::new()));
            ents.len() - 1
        });
        ents[e].1.push(pos);
    }
    let mut out = ArticleEntities::default();
    for (key, ms) in ents {
        let gaz = ms.iter().find_map(|&p| mentions[kept[p]].gaz);
        let kind = match gaz {
            Some(g) => gz.entries[g as usize].kind,
            None => majority(ms.iter().map(|&p| mentions[kept[p]].kind)),
        };
        let canonical = match gaz {
            Some(g) => gz.entries[g as usize].canonical.clone(),
            None => {
                let best = ms
                    .iter()
                    .map(|&p| &mentions[kept[p]])
                    .max_by_key(|m| (m.form.len(), std::cmp::Reverse(m.range.start)))
                    .map(|m| clean_surface(&text[m.range.clone()]))
                    .unwrap_or_default();
                best
            }
        };
        let key = match gaz {
            Some(g) => gz.entries[g as usize].id.clone(),
            None => key,
        };
        let e = out.entities.len();
        for &p in &ms {
            out.mentions.push(Mention {
                range: mentions[kept[p]].range.clone(),
                kind,
                entity: e,
            });
        }
        out.entities.push(Entity {
            kind,
            canonical,
            key,
            wikidata: gaz.and_then(|g| gz.entries[g as usize].wikidata.clone()),
            english: gaz.map(|g| gz.entries[g as usize].english.clone()),
            mentions: Vec::new(),
        });
    }
    out.mentions.sort_by_key(|m| m.range.start);
    for (i, m) in out.mentions.iter().enumerate() {
        out.entities[m.entity].mentions.push(i);
    }
    out
}

/// The first-token forms a surface may appear under: the word, then its clitic strips.
fn candidates(word: &str) -> Vec<(usize, String)> {
    let mut v = vec![(0, word.to_owned())];
    if let Some(s) = clitics::strip_before_al(word) {
        v.push((s.clitic_len, s.form));
    }
    for s in clitics::letter_candidates(word) {
        v.push((s.clitic_len, s.form));
    }
    v
}

fn majority(kinds: impl Iterator<Item = EntityKind>) -> EntityKind {
    let mut counts = [0usize; 4];
    let mut first = None;
    for k in kinds {
        first.get_or_insert(k);
        counts[k as usize] += 1;
    }
    let best = *counts.iter().max().unwrap_or(&0);
    // Ties go to the first mention's kind.
    match first {
        Some(f) if counts[f as usize] == best => f,
        _ => [
            EntityKind::Per,
            EntityKind::Loc,
            EntityKind::Org,
            EntityKind::Misc,
        ]
        .into_iter()
        .find(|&k| counts[k as usize] == best)
        .unwrap_or(EntityKind::Misc),
    }
}

/// True when `s` has Latin letters, none upper case, and no letter of another script.
fn is_lowercase_latin(s: &str) -> bool {
    let mut latin = false;
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        let is_latin = c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c);
        if c.is_uppercase() || !is_latin {
            return false;
        }
        latin = true;
    }
    latin
}

/// A surface for display: marks and bidi controls dropped, whitespace collapsed.
fn clean_surface(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().filter(|&c| !normalize::is_ignored(c)));
    }
    out
}

#[cfg(test)]
mod tests;
