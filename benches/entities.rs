//! Entity tagging throughput: the whole article pipeline (normalize, tokenize, CRF,
//! gazetteer, clitics, grouping, propagation), on one core. Every iteration starts with
//! an empty feature-weight cache (`CrfModel::clear_thread_cache`), so no text is tagged
//! twice with a warm cache.
//!
//!     cargo bench --bench entities

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qari::entities::model::CrfModel;
use qari::entities::Tagger;

fn bench(c: &mut Criterion) {
    let tagger = Tagger::shared();
    let mut g = c.benchmark_group("entities");
    let total: usize = qari::corpus::SAMPLE.iter().map(|(_, t)| t.len()).sum();
    g.throughput(Throughput::Bytes(total as u64));
    // The five seeds as five articles, as the reader tags them (cache warms across them).
    g.bench_function("seeds-as-articles/cold", |b| {
        b.iter(|| {
            CrfModel::clear_thread_cache();
            qari::corpus::SAMPLE
                .iter()
                .map(|(_, t)| tagger.tag_article(t, 0..t.len()).mentions.len())
                .sum::<usize>()
        })
    });
    // Each seed alone with an empty cache: the worst case, a first article.
    g.bench_function("each-seed/cold", |b| {
        b.iter(|| {
            qari::corpus::SAMPLE
                .iter()
                .map(|(_, t)| {
                    CrfModel::clear_thread_cache();
                    tagger.tag_article(t, 0..t.len()).mentions.len()
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
