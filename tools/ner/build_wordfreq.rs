//! Build `assets/ner/wordfreq-ar.bin` (see `qari::entities::wordfreq`) from the
//! `word<TAB>frequency` lines of `tools/ner/wordfreq_dump.py`:
//!
//!     cargo run --release --example build_wordfreq -- /tmp/wordfreq-ar.tsv assets/ner/wordfreq-ar.bin
//!
//! Words are normalized with qari's `norm()`; frequencies of words with the same
//! normalized form are added up; words below Zipf 2 are left out.

use std::collections::HashMap;

use anyhow::{bail, Context, Result};
use qari::entities::normalize::norm;
use qari::entities::wordfreq::{key, WordFreq};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        bail!("usage: build_wordfreq IN.tsv OUT.bin");
    }
    let text =
        std::fs::read_to_string(&args[0]).with_context(|| format!("{}: cannot read", args[0]))?;
    let mut freq: HashMap<String, f64> = HashMap::new();
    for line in text.lines() {
        let (w, f) = line.split_once('\t').context("word<TAB>frequency")?;
        *freq.entry(norm(w)).or_default() += f.parse::<f64>()?;
    }
    let entries: Vec<(u32, u8)> = freq
        .iter()
        .filter_map(|(w, f)| {
            let zipf = 9.0 + f.log10();
            (zipf >= 2.0).then(|| (key(w), (2.0 * zipf).floor().min(255.0) as u8))
        })
        .collect();
    let bytes = WordFreq::write(&entries);
    std::fs::write(&args[1], &bytes)?;
    eprintln!(
        "{} normalized words, {} kept (Zipf ≥ 2), {} bytes",
        freq.len(),
        entries.len(),
        bytes.len()
    );
    Ok(())
}
