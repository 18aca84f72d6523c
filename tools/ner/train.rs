//! Train qari's entity model from ANERcorp (CoNLL `token TAG`, IOB2 over PERS LOC ORG MISC).
//!
//!     cargo run --release --example train_ner -- --split dev     # train on the first 90 %,
//!                                                                # score the last 10 %
//!     cargo run --release --example train_ner -- --split all --out assets/ner/model.bin
//!
//! Options: `--data FILE` (default `../shared/data/anercorp/train.txt`), `--out FILE`,
//! `--c1 F` (L1, default 0.1), `--c2 F` (L2, default 0.1), `--iters N` (default 150),
//! `--minfreq F` (default 1), `--rare N` (words seen at most N times in training lose
//! their `w=`/`st=` features; default 0: keep all), `--folds N` (jackknife folds of the
//! training lexicon, default 10), `--no-lexicon`, `--o-bias F` (added against `O` to the
//! always-on `b` attribute; default 0 — measured no better, see `tools/ner/sweep.rs`).
//!
//! Stacked model (`--stack K`, K ≥ 2; default 0: one pass, the shipped setting — the
//! second pass measured no better on the dev split, see `docs/entities.md`): a second CRF
//! (`qari::entities::stack`) over first-pass output, trained on first-pass labels computed
//! by jackknife over K blocks, written as one `QNERCRF3` file. `--fold-dir DIR` caches the
//! first-pass models by a hash of their training sentences and options (a `--split all`
//! run then reuses the fold models of a `--split dev` run); `--pass1 FILE` uses a trained
//! first pass instead of training it; `--c1-2`, `--c2-2`, `--iters-2` (defaults 0, 0.1,
//! 150) train the second pass; `--stack-drop P1,P2` leaves out its features whose names
//! start with one of the prefixes (ablations).
//! Deterministic for the same data and options. `--dev-out FILE` writes the dev split
//! (gold) for `qari tag` + `score_ner`.
//!
//! The model file also stores the lexicon of the training data (per word: how often, and
//! how often inside each entity type, bucketed; `qari::entities::features::Lexicon`). The
//! CRF is trained on lexicon features computed by jackknife: each training sentence sees
//! the counts of the other folds (contiguous blocks of sentences), so words of its own
//! document count as unseen, as they would be in new text.
//!
//! Features come from `qari::entities::features` (the same code that tags), computed on
//! the input tokens split like running text (`القاهرة،` → `القاهره` `،`): the first
//! word-like piece of a token carries its tag, other pieces continue it (`I-`) inside an
//! entity and are `O` at its edges. The CRF is trained by the `crfs` crate (L-BFGS) and
//! converted to qari's compact format (`qari::entities::model`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use crfs::{Attribute, Model, Trainer};
use qari::entities::clitics::feature_stem;
use qari::entities::conll::{read_conll, ConllSentence, Score};
use qari::entities::features::{all_features, Lexicon, Seq, LEX_TYPES};
use qari::entities::gazetteer::{GazMatch, Gazetteer};
use qari::entities::hash::{combine, hash_bytes, HashMap64};
use qari::entities::model::{CrfModel, MAGIC3};
use qari::entities::normalize::norm;
use qari::entities::stack::{features as stack_features, for_each_window, Names};
use qari::entities::tokenize::{tokenize, TokenClass};
use qari::entities::Tagger;

/// Sentences around each sentence whose entities propagate (`qari tag` default).
const WINDOW: usize = qari::cli::tag::WINDOW;
/// Sentences around each sentence seen by the second pass's non-local features.
const WINDOW_STACK: usize = qari::entities::stack::WINDOW;

const LABELS: [&str; 9] = [
    "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
];

struct Args {
    data: PathBuf,
    split: String,
    out: Option<PathBuf>,
    c1: f64,
    c2: f64,
    iters: usize,
    minfreq: f64,
    rare: usize,
    dev_out: Option<PathBuf>,
    folds: usize,
    o_bias: f32,
    lexicon: bool,
    pass1: Option<PathBuf>,
    stack: usize,
    fold_dir: Option<PathBuf>,
    c1_2: f64,
    c2_2: f64,
    iters_2: usize,
    stack_drop: Vec<String>,
}

fn parse_args() -> Result<Args> {
    let mut a = Args {
        data: PathBuf::from("../shared/data/anercorp/train.txt"),
        split: "dev".into(),
        out: None,
        c1: 0.1,
        c2: 0.1,
        iters: 150,
        minfreq: 1.0,
        rare: 0,
        dev_out: None,
        folds: 10,
        o_bias: 0.0,
        lexicon: true,
        pass1: None,
        stack: 0,
        fold_dir: None,
        c1_2: 0.0,
        c2_2: 0.1,
        iters_2: 150,
        stack_drop: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().with_context(|| format!("{k} needs a value"));
        match k.as_str() {
            "--data" => a.data = v()?.into(),
            "--split" => a.split = v()?,
            "--out" => a.out = Some(v()?.into()),
            "--c1" => a.c1 = v()?.parse()?,
            "--c2" => a.c2 = v()?.parse()?,
            "--iters" => a.iters = v()?.parse()?,
            "--minfreq" => a.minfreq = v()?.parse()?,
            "--rare" => a.rare = v()?.parse()?,
            "--dev-out" => a.dev_out = Some(v()?.into()),
            "--folds" => a.folds = v()?.parse()?,
            "--o-bias" => a.o_bias = v()?.parse()?,
            "--no-lexicon" => a.lexicon = false,
            "--pass1" => a.pass1 = Some(v()?.into()),
            "--stack" => a.stack = v()?.parse()?,
            "--fold-dir" => a.fold_dir = Some(v()?.into()),
            "--c1-2" => a.c1_2 = v()?.parse()?,
            "--c2-2" => a.c2_2 = v()?.parse()?,
            "--iters-2" => a.iters_2 = v()?.parse()?,
            "--stack-drop" => a.stack_drop = v()?.split(',').map(str::to_owned).collect(),
            _ => bail!("unknown option {k}"),
        }
    }
    if a.split != "dev" && a.split != "all" {
        bail!("--split must be dev or all");
    }
    Ok(a)
}

/// Split each token like running text and carry its tag to the pieces.
fn pieces(s: &ConllSentence) -> (Vec<String>, Vec<&'static str>) {
    let mut words = Vec::new();
    let mut labels = Vec::new();
    for (tok, tag) in s.tokens.iter().zip(&s.tags) {
        let n = norm(tok);
        let toks = tokenize(&n);
        let content: Vec<usize> = toks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.class != TokenClass::Punct)
            .map(|(i, _)| i)
            .collect();
        let first = content.first().copied().unwrap_or(0);
        let last = content.last().copied().unwrap_or(0);
        let (prefix, kind) = tag.split_once('-').unwrap_or(("O", ""));
        for (i, t) in toks.iter().enumerate() {
            let label = if prefix == "O" || i < first || i > last {
                "O"
            } else if i == first {
                LABELS
                    .iter()
                    .find(|l| **l == tag.as_str())
                    .copied()
                    .unwrap_or("O")
            } else {
                LABELS
                    .iter()
                    .find(|l| l.strip_prefix("I-") == Some(kind))
                    .copied()
                    .unwrap_or("O")
            };
            words.push(n[t.range.clone()].to_owned());
            labels.push(label);
        }
    }
    (words, labels)
}

/// Parse `Model::dump` output into (transitions, state features).
/// Train, and give the CRFsuite model's text dump (what [`convert`] reads).
fn train_to_dump(trainer: &mut Trainer<crfs::train::Lbfgs>, tag: &str) -> Result<String> {
    let tmp = std::env::temp_dir().join(format!("qari-{tag}-{}.crfsuite", std::process::id()));
    trainer.train(&tmp)?;
    let crfsuite = std::fs::read(&tmp)?;
    let _ = std::fs::remove_file(&tmp);
    let model = Model::new(&crfsuite)?;
    let mut dump = Vec::new();
    model.dump(&mut dump)?;
    Ok(String::from_utf8(dump)?)
}

fn convert(dump: &str, lexicon: Option<&Lexicon>) -> Result<Vec<u8>> {
    let lid = |s: &str| -> Result<usize> {
        LABELS
            .iter()
            .position(|l| *l == s)
            .with_context(|| format!("unknown label {s}"))
    };
    let mut trans = Vec::new();
    let mut state: HashMap64<Vec<(u8, f32)>> = HashMap64::default();
    let mut section = "";
    for line in dump.lines() {
        if line.ends_with("= {") {
            section = line.split_whitespace().next().unwrap_or("");
            continue;
        }
        let l = line.trim_start();
        if !l.starts_with('(') {
            continue;
        }
        let body = l.split_once(") ").context("feature line")?.1;
        let (lhs, w) = body.rsplit_once(": ").context("weight")?;
        let w: f32 = w.parse()?;
        let (src, dst) = lhs.rsplit_once(" --> ").context("arrow")?;
        match section {
            "TRANSITIONS" => trans.push((lid(src)?, lid(dst)?, w)),
            "STATE_FEATURES" => state
                .entry(hash_bytes(src.as_bytes()))
                .or_default()
                .push((lid(dst)? as u8, w)),
            _ => {}
        }
    }
    let labels: Vec<String> = LABELS.iter().map(|s| s.to_string()).collect();
    Ok(CrfModel::write_with_lexicon(
        &labels, &trans, &state, lexicon,
    ))
}

/// Train a first-pass (sentence) CRF on `prepared` sentences, with the training lexicon
/// computed by jackknife over `--folds` contiguous folds.
fn train_pass1(
    prepared: &[(Vec<String>, Vec<&'static str>)],
    args: &Args,
    gaz: &Gazetteer,
) -> Result<Vec<u8>> {
    let t0 = Instant::now();
    let mut trainer = Trainer::lbfgs();
    // Words seen at most `--rare` times lose their identity features (`w=`, `st=`) in
    // training, so that the model learns to tag unseen words from affixes and context.
    let mut freq: HashMap<&str, usize> = HashMap::new();
    for (words, _) in prepared {
        for w in words {
            *freq.entry(w.as_str()).or_default() += 1;
        }
    }
    let mut dropped = 0usize;
    // The lexicon of all training sentences (stored in the model), and for each training
    // sentence the one of the other folds (contiguous blocks, so that a document's names
    // are not counted for its own sentences).
    let folds = args.folds.max(1);
    let fold_of = |i: usize| i * folds / prepared.len().max(1);
    let mut total: HashMap<u64, [u32; 5]> = HashMap::new();
    let mut per_fold: Vec<HashMap<u64, [u32; 5]>> = vec![HashMap::new(); folds];
    for (i, (words, labels)) in prepared.iter().enumerate() {
        for (w, l) in words.iter().zip(labels) {
            let k = match l.split_once('-') {
                Some((_, t)) => 1 + LEX_TYPES.iter().position(|x| *x == t).unwrap_or(0),
                None => 0,
            };
            let key = Lexicon::key(feature_stem(w));
            total.entry(key).or_default()[k] += 1;
            per_fold[fold_of(i)].entry(key).or_default()[k] += 1;
        }
    }
    let lexicon_of = |skip: Option<usize>| -> Lexicon {
        let mut map = HashMap64::default();
        for (key, c) in &total {
            let mut c = *c;
            if let Some(f) = skip.and_then(|f| per_fold[f].get(key)) {
                for (a, b) in c.iter_mut().zip(f) {
                    *a -= b;
                }
            }
            if let Some(code) = Lexicon::code(c) {
                map.insert(*key, code);
            }
        }
        Lexicon { map }
    };
    let lexicon = lexicon_of(None);
    let fold_lexicons: Vec<Lexicon> = (0..folds).map(|f| lexicon_of(Some(f))).collect();
    eprintln!(
        "lexicon: {} words; jackknife over {folds} folds",
        lexicon.map.len()
    );
    let seqs: Vec<Vec<Vec<String>>> = prepared
        .iter()
        .enumerate()
        .map(|(i, (words, _))| {
            let lex = Some(&fold_lexicons[fold_of(i)]).filter(|_| args.lexicon);
            let seq = Seq::with_lexicon(words.iter().map(String::as_str).collect(), gaz, lex);
            all_features(&seq)
        })
        .collect();
    for ((words, labels), feats) in prepared.iter().zip(seqs) {
        let xs: Vec<Vec<Attribute>> = feats
            .into_iter()
            .zip(words)
            .map(|(f, w)| {
                let rare = freq.get(w.as_str()).copied().unwrap_or(0) <= args.rare;
                f.into_iter()
                    .filter(|n| {
                        let keep = !(rare && (n.starts_with("w=") || n.starts_with("st=")));
                        dropped += usize::from(!keep);
                        keep
                    })
                    .map(|n| Attribute::new(n, 1.0))
                    .collect()
            })
            .collect();
        trainer.append(&xs, labels)?;
    }
    eprintln!("identity features dropped for rare words: {dropped}");
    trainer.params_mut().set_c1(args.c1)?;
    trainer.params_mut().set_c2(args.c2)?;
    trainer.params_mut().set_max_iterations(args.iters)?;
    trainer.set_feature_minfreq(args.minfreq)?;
    eprintln!("features extracted in {:.1?}; training…", t0.elapsed());
    let mut bytes = convert(
        &train_to_dump(&mut trainer, "ner")?,
        Some(&lexicon).filter(|_| args.lexicon),
    )?;
    if args.o_bias != 0.0 {
        // The always-on `b` attribute against `O`: more entity predictions (recall).
        bytes = CrfModel::add_weight(&bytes, "b", "O", -args.o_bias)?;
    }
    eprintln!(
        "first pass on {} sentences trained in {:.1?}",
        prepared.len(),
        t0.elapsed()
    );
    Ok(bytes)
}

/// The cache file of a first-pass model trained on `sub` with `args`' options: named by a
/// hash of the sentences and the options, so any run that needs the same model reuses it.
fn fold_cache(args: &Args, sub: &[(Vec<String>, Vec<&'static str>)]) -> Option<PathBuf> {
    let d = args.fold_dir.as_ref()?;
    let mut h = hash_bytes(
        format!(
            "{} {} {} {} {} {} {} {}",
            args.c1,
            args.c2,
            args.iters,
            args.minfreq,
            args.rare,
            args.folds,
            args.o_bias,
            args.lexicon
        )
        .as_bytes(),
    );
    for (w, l) in sub {
        for (a, b) in w.iter().zip(l) {
            h = combine(h, hash_bytes(a.as_bytes()));
            h = combine(h, hash_bytes(b.as_bytes()));
        }
        h = combine(h, 1);
    }
    Some(d.join(format!("pass1-{}-{h:016x}.bin", sub.len())))
}

/// The stacked model: first-pass output on every training sentence by jackknife, the
/// second pass trained on it, and the `QNERCRF3` file.
///
/// The jackknife blocks follow the dev split, so that `--split all` reuses the models of
/// a `--split dev` run (cached in `--fold-dir`): the first 90 % of the sentences are cut
/// into `--stack K` contiguous blocks, each tagged by a first-pass model trained on the
/// other blocks of the first 90 %; with `--split all` the last 10 % is one more block,
/// tagged by the first-pass model of the first 90 % (the dev run's model). Every sentence
/// is thus tagged by a model that never saw it.
fn stack(
    prepared: &[(Vec<String>, Vec<&'static str>)],
    n_first: usize,
    pass1: Vec<u8>,
    args: &Args,
    gaz: &Gazetteer,
) -> Result<Vec<u8>> {
    let k = args.stack;
    let n = prepared.len();
    let block = |i: usize| {
        if i < n_first {
            i * k / n_first.max(1)
        } else {
            k
        }
    };
    if let Some(p) = fold_cache(args, prepared) {
        eprintln!(
            "the first pass of all training sentences is {}",
            p.display()
        );
        if !p.exists() && args.pass1.is_none() {
            std::fs::write(&p, &pass1)?;
        }
    }
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut matches: Vec<Vec<GazMatch>> = vec![Vec::new(); n];
    let blocks = if n > n_first { k + 1 } else { k };
    for f in 0..blocks {
        let sub: Vec<(Vec<String>, Vec<&'static str>)> = prepared
            .iter()
            .enumerate()
            .filter(|(i, _)| block(*i) != f && block(*i) != k)
            .map(|(_, x)| x.clone())
            .collect();
        let cache = fold_cache(args, &sub);
        let bytes = match cache.as_ref().filter(|p| p.exists()) {
            Some(p) => {
                eprintln!("block {f}: first pass read from {}", p.display());
                std::fs::read(p)?
            }
            None => {
                eprintln!("block {f} of {blocks}: training on {} sentences", sub.len());
                let b = train_pass1(&sub, args, gaz)?;
                if let Some(p) = &cache {
                    std::fs::write(p, &b)?;
                }
                b
            }
        };
        let m = CrfModel::from_bytes(&bytes)?;
        m.with_cache(|c| {
            for (i, (words, _)) in prepared.iter().enumerate() {
                if block(i) != f {
                    continue;
                }
                let seq = Seq::with_lexicon(
                    words.iter().map(String::as_str).collect(),
                    gaz,
                    m.lexicon.as_ref(),
                );
                let state = m.state_cached(&seq, c);
                outs[i] = m.decode(&state);
                matches[i] = seq.matches;
            }
        });
    }
    let labels: Vec<String> = LABELS.iter().map(|s| s.to_string()).collect();
    let mut correct = 0usize;
    let mut total = 0usize;
    for ((_, gold), ys) in prepared.iter().zip(&outs) {
        for (g, &y) in gold.iter().zip(ys) {
            correct += usize::from(*g == LABELS[y]);
            total += 1;
        }
    }
    eprintln!(
        "jackknifed first pass: token accuracy {:.2} %",
        100.0 * correct as f64 / total.max(1) as f64
    );
    let words: Vec<Vec<&str>> = prepared
        .iter()
        .map(|(w, _)| w.iter().map(String::as_str).collect())
        .collect();
    // Gazetteer fill and propagation of the jackknifed labels, as the tagger does them.
    let tagger = Tagger::from_model_bytes(&pass1, gaz.clone())?;
    let ys: Vec<&[usize]> = outs.iter().map(Vec::as_slice).collect();
    let ms: Vec<&[GazMatch]> = matches.iter().map(Vec::as_slice).collect();
    let (filled, sums) = tagger.stack_inputs(&words, &ys, &ms, WINDOW_STACK);
    let mut trainer = Trainer::lbfgs();
    let names = Names::new(&labels);
    let mut err = None;
    for_each_window(&sums, WINDOW_STACK, |i, s, win| {
        let ys = &outs[i];
        let mut xs: Vec<Vec<Attribute>> = vec![Vec::new(); ys.len()];
        stack_features(&words[i], &names, ys, &filled[i], s, win, &mut |j, f, v| {
            let name = names.names[f].as_str();
            if !args.stack_drop.iter().any(|d| name.starts_with(d.as_str())) {
                xs[j].push(Attribute::new(name, v as f64))
            }
        });
        if let Err(e) = trainer.append(&xs, &prepared[i].1) {
            err.get_or_insert(e);
        }
    });
    if let Some(e) = err {
        return Err(e.into());
    }
    trainer.params_mut().set_c1(args.c1_2)?;
    trainer.params_mut().set_c2(args.c2_2)?;
    trainer.params_mut().set_max_iterations(args.iters_2)?;
    let t0 = Instant::now();
    let pass2 = convert(&train_to_dump(&mut trainer, "ner2")?, None)?;
    eprintln!(
        "second pass trained in {:.1?}; {} bytes",
        t0.elapsed(),
        pass2.len()
    );
    Ok(CrfModel::write_stacked(&pass1, &pass2))
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let text = std::fs::read_to_string(&args.data)
        .with_context(|| format!("{}: cannot read", args.data.display()))?;
    let sentences = read_conll(&text);
    if sentences.iter().any(|s| s.tags.len() != s.tokens.len()) {
        bail!(
            "{}: every line needs a token and a tag",
            args.data.display()
        );
    }
    let n_train = if args.split == "dev" {
        sentences.len() - sentences.len() / 10
    } else {
        sentences.len()
    };
    let (train, dev) = sentences.split_at(n_train);
    eprintln!(
        "{} sentences: training on {}, dev {}",
        sentences.len(),
        train.len(),
        dev.len()
    );
    if let Some(p) = &args.dev_out {
        let mut text = String::new();
        for s in dev {
            for (t, g) in s.tokens.iter().zip(&s.tags) {
                text.push_str(&format!("{t} {g}\n"));
            }
            text.push('\n');
        }
        std::fs::write(p, text).with_context(|| format!("{}: cannot write", p.display()))?;
        eprintln!("wrote the dev split to {}", p.display());
    }
    let gaz = Gazetteer::builtin();
    let t0 = Instant::now();
    let prepared: Vec<(Vec<String>, Vec<&str>)> = train.iter().map(pieces).collect();
    let pass1 = match &args.pass1 {
        Some(p) => {
            let b = std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))?;
            eprintln!("first pass read from {}", p.display());
            b
        }
        None => train_pass1(&prepared, &args, &gaz)?,
    };
    let mut bytes = if args.stack > 1 {
        let n_first = sentences.len() - sentences.len() / 10;
        stack(&prepared, n_first.min(prepared.len()), pass1, &args, &gaz)?
    } else {
        pass1
    };
    if bytes.starts_with(MAGIC3) {
        // Round trip (fails loudly on a format error).
        CrfModel::from_bytes(&bytes)?;
    }
    bytes.shrink_to_fit();
    eprintln!(
        "trained in {:.1?}; model {} bytes",
        t0.elapsed(),
        bytes.len()
    );
    let out = args.out.clone().unwrap_or_else(|| {
        if args.split == "all" {
            PathBuf::from("assets/ner/model.bin")
        } else {
            std::env::temp_dir().join("qari-ner-dev.bin")
        }
    });
    std::fs::write(&out, &bytes).with_context(|| format!("{}: cannot write", out.display()))?;
    eprintln!("wrote {}", out.display());

    if !dev.is_empty() {
        let mut tagger = Tagger::from_model_bytes(&bytes, gaz)?;
        let dev_tokens: Vec<Vec<String>> = dev.iter().map(|s| s.tokens.clone()).collect();
        let stacked = bytes.starts_with(MAGIC3);
        for (stk, fill, propagate) in [
            (false, false, false),
            (false, false, true),
            (false, true, true),
            (true, false, false),
            (true, true, false),
            (true, true, true),
        ] {
            if stk && !stacked {
                continue;
            }
            tagger.options.stacked = stk;
            tagger.options.gazetteer_fill = fill;
            tagger.options.propagate = propagate;
            let mut score = Score::default();
            for (s, pred) in dev.iter().zip(tagger.tag_conll_text(&dev_tokens, WINDOW)) {
                score.add(&s.tags, &pred);
            }
            println!(
                "dev (last 10 %), second pass {}, gazetteer fill {}, propagation {}:",
                if stk { "on" } else { "off" },
                if fill { "on" } else { "off" },
                if propagate { "on" } else { "off" }
            );
            print!("{}", score.report());
        }
    }
    Ok(())
}
