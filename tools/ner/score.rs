//! Entity-level scores (CoNLL strict IOB2, seqeval-compatible) of a prediction against
//! gold data, per type and overall:
//!
//!     cargo run --release --example score_ner -- GOLD PRED
//!
//! Both files: `token ... TAG` per line (the last column is the tag), blank line between
//! sentences, the same tokens in the same order. The scorer is
//! `qari::entities::conll::Score`, unit-tested on hand examples.

use anyhow::{bail, Context, Result};
use qari::entities::conll::{read_conll, Score};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        bail!("usage: score_ner GOLD PRED");
    }
    let read = |p: &str| std::fs::read_to_string(p).with_context(|| format!("{p}: cannot read"));
    let gold = read_conll(&read(&args[0])?);
    let pred = read_conll(&read(&args[1])?);
    if gold.len() != pred.len() {
        bail!(
            "{} sentences in {} but {} in {}",
            gold.len(),
            args[0],
            pred.len(),
            args[1]
        );
    }
    let mut score = Score::default();
    for (n, (g, p)) in gold.iter().zip(&pred).enumerate() {
        if g.tokens != p.tokens || g.tags.len() != g.tokens.len() || p.tags.len() != p.tokens.len()
        {
            bail!(
                "sentence {}: tokens or tags differ between the files",
                n + 1
            );
        }
        score.add(&g.tags, &p.tags);
    }
    print!("{}", score.report());
    Ok(())
}
