//! Sources at scale: a folder of 10,000 articles (~100 MB) generated from the seeds, and
//! a 10 MB single-line file.
//!
//! `cargo bench --bench sources` runs the criterion benchmarks. With `QARI_BENCH_REPORT=1`
//! the binary instead does one timed pass the way the reader would (list, show the first
//! article, load the rest on a background thread with progress, keep everything in
//! memory) and prints the figures; run it under `/usr/bin/time -v` for the peak memory.
//! The corpus is generated once into `$QARI_BENCH_CORPUS` (default: a folder in the
//! system temp dir) and reused.

use std::fs;
use std::hint::black_box;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use qari::source::{
    list_paths, load_each, load_entry, spawn_loader, Document, LoadEvent, LoadOptions,
};

const SEEDS: [&str; 5] = [
    include_str!("../seeds/000_94303d6c96739133.txt"),
    include_str!("../seeds/001_05dbd7d067c3b654.txt"),
    include_str!("../seeds/002_22cd7a0e0513d5f9.txt"),
    include_str!("../seeds/003_990989e30db10d51.txt"),
    include_str!("../seeds/004_fcfccb8db0a61b92.txt"),
];
const ARTICLES: usize = 10_000;
const PER_FOLDER: usize = 100;
const TARGET_BYTES: usize = 10_000;

fn corpus_dir() -> PathBuf {
    std::env::var_os("QARI_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("qari-bench-corpus-v2"))
}

/// 10,000 files of 10 KB or more in 100 folders: each a seed page as scraped (junk lines
/// and all), then a numbered line, then paragraphs of seed 004 up to 10 KB.
fn ensure_corpus() -> PathBuf {
    let dir = corpus_dir();
    let done = dir.join(".complete");
    if done.exists() {
        return dir;
    }
    let _ = fs::remove_dir_all(&dir);
    let padding: Vec<&str> = SEEDS[4].lines().skip(1).collect();
    for i in 0..ARTICLES {
        let mut text = String::from(SEEDS[i % SEEDS.len()]);
        text.push_str(&format!("\n\nالمقال رقم {i}.\n"));
        for line in padding.iter().cycle() {
            if text.len() >= TARGET_BYTES {
                break;
            }
            text.push('\n');
            text.push_str(line);
        }
        let folder = dir.join(format!("{:03}", i / PER_FOLDER));
        if i % PER_FOLDER == 0 {
            fs::create_dir_all(&folder).expect("create corpus folder");
        }
        fs::write(folder.join(format!("article-{i}.txt")), text).expect("write corpus file");
    }
    fs::write(&done, b"").expect("mark corpus complete");
    dir
}

fn single_line() -> String {
    let unit = "بايدن وبوتين في جنيف، ";
    unit.repeat(10 * 1024 * 1024 / unit.len())
}

fn benches(c: &mut Criterion) {
    let dir = ensure_corpus();
    let opts = LoadOptions::default();
    let mut g = c.benchmark_group("sources");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("list_10k", |b| {
        b.iter(|| black_box(list_paths(std::slice::from_ref(&dir))))
    });
    g.bench_function("first_article_10k", |b| {
        b.iter(|| {
            let (entries, _) = list_paths(std::slice::from_ref(&dir));
            black_box(load_entry(&entries[0], &opts).expect("first article"))
        })
    });
    let (entries, _) = list_paths(std::slice::from_ref(&dir));
    g.bench_function("load_all_10k", |b| {
        b.iter(|| {
            let mut n = 0usize;
            load_each(&entries, &opts, |ev| {
                if let LoadEvent::Loaded { document, .. } = ev {
                    n += document.articles.len();
                }
                ControlFlow::Continue(())
            });
            black_box(n)
        })
    });
    let line = single_line();
    g.bench_function("single_line_10mb", |b| {
        b.iter(|| {
            black_box(Document::from_bytes("line.txt", line.as_bytes(), &opts).expect("loads"))
        })
    });
    let mut cut = line.len() / 10;
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let small = &line[..cut];
    g.bench_function("single_line_1mb", |b| {
        b.iter(|| {
            black_box(Document::from_bytes("line.txt", small.as_bytes(), &opts).expect("loads"))
        })
    });
    // A text the reader dropped from memory, read again when it is next shown: plain
    // UTF-8 reads just its bytes; HTML is extracted again. Both are checked by hash.
    let tmp = tempfile::tempdir().expect("a temp dir");
    let plain = tmp.path().join("seed.txt");
    fs::write(&plain, SEEDS[0]).expect("written");
    let html = tmp.path().join("seed.html");
    let paras: String = SEEDS[0]
        .split("\n\n")
        .map(|p| format!("<p>{}</p>\n", p.replace('&', "&amp;").replace('<', "&lt;")))
        .collect();
    fs::write(
        &html,
        format!("<html><body><article>{paras}</article></body></html>"),
    )
    .expect("written");
    for (name, path) in [
        ("read_again_evicted_plain_seed", &plain),
        ("read_again_evicted_html_seed", &html),
    ] {
        let (entries, _) = list_paths(std::slice::from_ref(path));
        let mut doc = load_entry(&entries[0], &opts).expect("loads");
        g.bench_function(name, |b| {
            b.iter(|| {
                assert!(doc.text.evict() > 0);
                black_box(doc.text.as_str().len())
            })
        });
    }
    g.finish();
}

/// One pass as the reader does it, with figures on standard output.
fn report() {
    let t = Instant::now();
    let dir = ensure_corpus();
    let gen = t.elapsed();

    let t0 = Instant::now();
    let (entries, errors) = list_paths(std::slice::from_ref(&dir));
    let listed = t0.elapsed();
    let bytes: u64 = entries.iter().map(|e| e.size).sum();
    let first = load_entry(&entries[0], &LoadOptions::default()).expect("first article");
    let first_ready = t0.elapsed();

    // The rest in the background, with progress; everything is kept, as the reader does.
    let total = entries.len();
    let (tx, rx) = std::sync::mpsc::channel();
    let loader = spawn_loader(entries, LoadOptions::default(), move |ev| {
        if tx.send(ev).is_ok() {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    })
    .expect("loader thread");
    let mut docs: Vec<Document> = Vec::with_capacity(total);
    let mut failed = 0;
    for (done, ev) in rx.iter().enumerate() {
        match ev {
            LoadEvent::Loaded { document, .. } => docs.push(*document),
            LoadEvent::Failed { .. } => failed += 1,
        }
        if (done + 1) % 2500 == 0 {
            eprintln!("  loaded {}/{total} at {:.2?}", done + 1, t0.elapsed());
        }
    }
    loader.join().expect("loader");
    let all = t0.elapsed();
    let articles: usize = docs.iter().map(|d| d.articles.len()).sum();
    let blocks: usize = docs.iter().map(|d| d.blocks().count()).sum();
    let text: usize = docs.iter().map(|d| d.text.len()).sum();

    let line = single_line();
    let t1 = Instant::now();
    let doc =
        Document::from_bytes("line.txt", line.as_bytes(), &LoadOptions::default()).expect("loads");
    let one_line = t1.elapsed();

    println!(
        "corpus: {} files, {:.1} MB in {} (generated/reused in {gen:.2?})",
        total,
        bytes as f64 / 1e6,
        dir.display()
    );
    println!("listing errors: {}, load failures: {failed}", errors.len());
    println!("list:              {listed:.2?}");
    println!(
        "first article:     {first_ready:.2?} (\"{}\")",
        first.articles[0].title
    );
    println!(
        "all loaded:        {all:.2?} ({articles} articles, {blocks} blocks, {:.1} MB of text)",
        text as f64 / 1e6
    );
    println!(
        "10 MB single line: {one_line:.2?} ({} blocks)",
        doc.blocks().count()
    );
    black_box((docs, doc));
}

criterion_group!(sources, benches);

fn main() {
    if std::env::var_os("QARI_BENCH_REPORT").is_some() {
        report();
        return;
    }
    sources();
    Criterion::default().configure_from_args().final_summary();
}
