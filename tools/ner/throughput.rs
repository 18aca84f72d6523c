//! Entity tagging throughput without criterion: tags every seed as one article, `N` times
//! (default 200; the feature-weight cache is emptied before each pass, so it is warm only
//! across the five seeds of a pass), and prints bytes, wall time and MB/s. Run it under `/usr/bin/time -f
//! "%U s user"` to relate the bytes to CPU time on a busy machine:
//!
//!     cargo build --release --example ner_throughput
//!     /usr/bin/time -f "%U s user" target/release/examples/ner_throughput 200 [MODEL]
//!
//! `MODEL`: a model file to use instead of the embedded one.

use std::time::Instant;

use qari::entities::gazetteer::Gazetteer;
use qari::entities::Tagger;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let owned = args.next().map(|p| {
        let bytes = std::fs::read(&p).expect("model file");
        Tagger::from_model_bytes(&bytes, Gazetteer::builtin()).expect("model")
    });
    let tagger = owned.as_ref().unwrap_or_else(|| Tagger::shared());
    let mut bytes = 0usize;
    let mut mentions = 0usize;
    let t0 = Instant::now();
    for _ in 0..n {
        qari::entities::model::CrfModel::clear_thread_cache();
        for (_, text) in qari::corpus::SAMPLE {
            mentions += tagger.tag_article(text, 0..text.len()).mentions.len();
            bytes += text.len();
        }
    }
    let s = t0.elapsed().as_secs_f64();
    println!(
        "{bytes} bytes, {mentions} mentions, {s:.3} s wall, {:.2} MB/s wall",
        bytes as f64 / s / 1e6
    );
}
