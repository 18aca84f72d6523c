//! Benchmarks of the layout engine on the seed corpus.
//!
//! `cargo bench --bench layout -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use qari::layout::{layout_paragraph, Direction, LayoutOptions};
use qari::render::{render_stream, RenderOptions};

/// The seed texts, as embedded in the binary.
fn seeds() -> impl Iterator<Item = &'static str> {
    qari::corpus::SAMPLE.iter().map(|(_, text)| *text)
}

fn options(width: usize, shaping: bool) -> LayoutOptions {
    LayoutOptions {
        width: Some(width),
        direction: Direction::Rtl,
        shaping,
        reveal_format: false,
    }
}

fn longest_paragraph() -> &'static str {
    seeds()
        .flat_map(|s| s.lines())
        .max_by_key(|l| l.len())
        .unwrap_or("")
}

/// `layout_paragraph` on the longest paragraph of the seeds, shaped and unshaped.
fn paragraph(c: &mut Criterion) {
    let text = longest_paragraph();
    let mut group = c.benchmark_group("layout_paragraph/longest");
    group.throughput(Throughput::Bytes(text.len() as u64));
    for shaping in [true, false] {
        let name = if shaping { "shaped" } else { "unshaped" };
        for width in [40, 80, 200] {
            let o = options(width, shaping);
            group.bench_with_input(BenchmarkId::new(name, width), &o, |b, o| {
                b.iter(|| layout_paragraph(black_box(text), o))
            });
        }
    }
    group.finish();
}

/// A whole seed file (the largest), paragraph by paragraph, at width 80.
fn seed_file(c: &mut Criterion) {
    let text = seeds().max_by_key(|s| s.len()).unwrap_or("");
    let mut group = c.benchmark_group("layout_paragraph/seed_file");
    group.throughput(Throughput::Bytes(text.len() as u64));
    for shaping in [true, false] {
        let name = if shaping { "shaped" } else { "unshaped" };
        let o = options(80, shaping);
        group.bench_with_input(BenchmarkId::new(name, 80), &o, |b, o| {
            b.iter(|| {
                let mut rows = 0;
                for line in black_box(text).lines() {
                    rows += layout_paragraph(line, o).rows.len();
                }
                rows
            })
        });
    }
    group.finish();
}

/// `render_stream` (what `qari render --width 80` runs) on the seeds concatenated 20 times.
fn render(c: &mut Criterion) {
    let input = seeds().collect::<String>().repeat(20);
    let opts = RenderOptions {
        layout: LayoutOptions {
            width: Some(80),
            ..LayoutOptions::default()
        },
        pad: true,
    };
    let mut group = c.benchmark_group("render_stream");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(20);
    let mut out = Vec::with_capacity(input.len() * 3);
    group.bench_function("seeds_x20/width_80", |b| {
        b.iter(|| {
            out.clear();
            render_stream(black_box(input.as_bytes()), &mut out, &opts).expect("in memory");
            out.len()
        })
    });
    group.finish();
}

/// Long paragraphs with no break opportunity: every row is a forced split (this was
/// quadratic once, when reshaping searched the whole paragraph for a joining letter).
fn no_break_opportunity(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout_paragraph/no_break_opportunity");
    for (name, text, shaping) in [
        ("latin_256k", "a".repeat(256 << 10), true),
        ("arabic_unshaped_256k", "ب".repeat(128 << 10), false),
    ] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| layout_paragraph(black_box(&text), &options(80, shaping)))
        });
    }
    group.finish();
}

criterion_group!(benches, paragraph, seed_file, render, no_break_opportunity);
criterion_main!(benches);
