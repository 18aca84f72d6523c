//! Heap held per document by the reader's state, measured with a counting allocator:
//! load the first N files of a folder into an `App` the way the reader does, then print
//! the live heap bytes per document and what each part of the state holds.
//!
//!     cargo run --release --example mem_probe -- /tmp/huge/many 5000
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new as isize - l.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, new) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).expect("usage: mem_probe DIR [N]");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5000);
    let (mut entries, _) = qari::source::list_paths(&[dir.into()]);
    entries.truncate(n);
    let opts = qari::source::LoadOptions {
        part_bytes: Some(qari::tui::PART_BYTES),
        ..Default::default()
    };
    let _ = qari::entities::Tagger::shared();
    let config = qari::tui::config::Config::defaults();
    let theme = qari::tui::theme::Theme::new(qari::tui::config::ThemeName::Dark);
    let positions = qari::tui::store::PositionStore::open(None).0;
    let mut app = qari::tui::app::App::new(config, theme, positions);
    app.loading = Some((0, entries.len()));
    let before = live();
    let total = entries.len();
    qari::source::load_each(&entries, &opts, |ev| {
        app.on_load_event(ev);
        // As the reader's loop does after each frame.
        app.evict_texts();
        std::ops::ControlFlow::Continue(())
    });
    let after = live();
    let docs = app.docs.len().max(1) as isize;
    let text: usize = app.docs.iter().map(|d| d.text.len()).sum();
    println!(
        "text held in memory: {} bytes (budget {})",
        app.resident_text(),
        app.text_budget
    );
    println!(
        "{total} entries, {} documents, {} bytes of text",
        app.docs.len(),
        text
    );
    println!(
        "heap held: {} bytes, {} per document",
        after - before,
        (after - before) / docs
    );
    let blocks: usize = app
        .docs
        .iter()
        .flat_map(|d| &d.articles)
        .map(|a| a.blocks.len())
        .sum();
    let articles: usize = app.docs.iter().map(|d| d.articles.len()).sum();
    println!(
        "articles {articles}, blocks {blocks} ({} bytes each)",
        std::mem::size_of::<qari::source::Block>()
    );
    println!(
        "corpus entities {}, distinct names {}",
        app.corpus.len(),
        app.names.len()
    );
    let t = std::time::Instant::now();
    for _ in 0..100 {
        app.evict_texts();
    }
    println!(
        "evict_texts with nothing to drop: {:?} per call",
        t.elapsed() / 100
    );
    // Drop the parts one by one: what each frees is what it held.
    let mut last = live();
    let mut report = |part: &str| {
        let now = live();
        println!(
            "  {part:<34} {:>12} bytes {:>7} per document",
            last - now,
            (last - now) / docs
        );
        last = now;
    };
    app.ents = Vec::new();
    report("entities per article (packed)");
    app.names = Default::default();
    report("entity names (interned)");
    app.corpus = Vec::new();
    report("corpus links");
    app.ids = Vec::new();
    report("article ids");
    for d in &mut app.docs {
        d.text.evict();
    }
    report("document texts held");
    for d in &mut app.docs {
        d.articles = Vec::new();
    }
    report("articles (titles, blocks, meta)");
    app.docs = Vec::new();
    report("rest of the documents");
    drop(app);
    report("rest of the reader (annotations, caches)");
}
