//! Benchmarks of the layout engine on the seed corpus.
//!
//! `cargo bench --bench layout -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use qari::layout::{layout_paragraph, Direction, LayoutOptions};
use qari::render::{render_stream, RenderOptions};

const SEEDS: [&str; 5] = [
    include_str!("../seeds/000_94303d6c96739133.txt"),
    include_str!("../seeds/001_05dbd7d067c3b654.txt"),
    include_str!("../seeds/002_22cd7a0e0513d5f9.txt"),
    include_str!("../seeds/003_990989e30db10d51.txt"),
    include_str!("../seeds/004_fcfccb8db0a61b92.txt"),
];

fn options(width: usize, shaping: bool) -> LayoutOptions {
    LayoutOptions {
        width: Some(width),
        direction: Direction::Rtl,
        shaping,
        reveal_format: false,
    }
}

fn longest_paragraph() -> &'static str {
    SEEDS
        .iter()
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
    let text = SEEDS.iter().max_by_key(|s| s.len()).copied().unwrap_or("");
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
    let input = SEEDS.concat().repeat(20);
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

criterion_group!(benches, paragraph, seed_file, render);
criterion_main!(benches);
