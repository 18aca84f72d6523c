//! Entity tagging throughput: the whole article pipeline (normalize, tokenize, CRF,
//! gazetteer, clitics, grouping, propagation) over the sample corpus, on one core.
//!
//!     cargo bench --bench entities

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qari::entities::Tagger;

fn corpus() -> String {
    let mut text = String::new();
    for (_, t) in qari::corpus::SAMPLE {
        text.push_str(t);
        text.push_str("\n\n");
    }
    text
}

fn bench(c: &mut Criterion) {
    let tagger = Tagger::shared();
    let text = corpus();
    let mut g = c.benchmark_group("entities");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("tag_article/sample", |b| {
        b.iter(|| tagger.tag_article(&text, 0..text.len()))
    });
    // One article per seed, as the reader tags them.
    g.bench_function("tag_article/per-seed", |b| {
        b.iter(|| {
            qari::corpus::SAMPLE
                .iter()
                .map(|(_, t)| tagger.tag_article(t, 0..t.len()).mentions.len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
