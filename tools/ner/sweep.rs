//! Score a model on a CoNLL dev file under several label biases of the always-on `b`
//! attribute (what `train_ner --o-bias` bakes in), without retraining:
//!
//!     cargo run --release --example ner_sweep -- MODEL DEV O=0 O=-0.5 O=-1,B-ORG=0.2
//!
//! Each argument after DEV is one setting: comma-separated `LABEL=DELTA` pairs. Tagging is
//! `qari tag`'s default (no gazetteer fill, propagation ±15 sentences). Prints the overall
//! and per-type F1 of each setting.

use anyhow::{bail, Context, Result};
use qari::entities::conll::{read_conll, Score};
use qari::entities::gazetteer::Gazetteer;
use qari::entities::model::CrfModel;
use qari::entities::Tagger;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        bail!("usage: ner_sweep MODEL DEV [LABEL=DELTA[,LABEL=DELTA…]]…");
    }
    let model = std::fs::read(&args[0]).with_context(|| format!("{}: cannot read", args[0]))?;
    let dev = read_conll(&std::fs::read_to_string(&args[1])?);
    let tokens: Vec<Vec<String>> = dev.iter().map(|s| s.tokens.clone()).collect();
    let settings: Vec<String> = if args.len() > 2 {
        args[2..].to_vec()
    } else {
        vec!["O=0".into()]
    };
    for spec in settings {
        let mut bytes = model.clone();
        for pair in spec.split(',') {
            let (label, delta) = pair.split_once('=').context("LABEL=DELTA")?;
            bytes = CrfModel::add_weight(&bytes, "b", label, delta.parse()?)?;
        }
        let mut tagger = Tagger::from_model_bytes(&bytes, Gazetteer::builtin())?;
        tagger.options.gazetteer_fill = false;
        let mut score = Score::default();
        for (s, pred) in dev
            .iter()
            .zip(tagger.tag_conll_text(&tokens, qari::cli::tag::WINDOW))
        {
            score.add(&s.tags, &pred);
        }
        println!("== {spec}");
        print!("{}", score.report());
    }
    Ok(())
}
