//! The reader's speed: a frame, a keystroke, and the first frame after start.
//!
//! `cargo bench --bench reader`. The in-process figures draw into ratatui's TestBackend
//! (the same buffers and diff as on a terminal, without the write); the `pty` group runs
//! the release binary in a pseudo-terminal and times what a user sees.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use qari::tui::app::App;
use qari::tui::article::ArticleLayout;
use qari::tui::config::Config;
use qari::tui::{sample_app, view};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

/// The app at 200×60 on the longest seed article.
fn longest_article_app() -> App {
    let mut app = sample_app(Config::defaults(), (200, 60));
    let (d, a) = (0..app.docs.len())
        .flat_map(|d| (0..app.docs[d].articles.len()).map(move |a| (d, a)))
        .max_by_key(|&(d, a)| app.docs[d].articles[a].range.len())
        .expect("an article");
    app.open(d, a);
    app
}

fn in_process(c: &mut Criterion) {
    let mut app = longest_article_app();
    let (d, a) = app.current.unwrap();
    eprintln!(
        "longest seed article: {} bytes, {} lines at 200 columns",
        app.docs[d].articles[a].range.len(),
        app.layout.as_ref().unwrap().len()
    );
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    c.bench_function("frame_200x60_longest_article", |b| {
        b.iter(|| {
            // A full frame: the previous buffer is forgotten, so every cell is drawn and diffed.
            terminal.clear().unwrap();
            terminal.draw(|f| view::draw(&app, f)).unwrap();
        })
    });
    let down = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    let up = KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE);
    let mut flip = false;
    c.bench_function("keystroke_scroll_and_draw_200x60", |b| {
        b.iter(|| {
            flip = !flip;
            app.on_key(if flip { &down } else { &up });
            terminal.draw(|f| view::draw(&app, f)).unwrap();
        })
    });
    // The entity panel: moving its selection re-gathers the entity's mentions across the
    // corpus and redraws (panel, highlighted mentions in the article).
    app.update(qari::tui::action::Action::FocusPrev, None);
    assert_eq!(app.focus, qari::tui::app::Focus::Entities);
    let mut flip = false;
    c.bench_function("entity_selection_move_and_draw_200x60", |b| {
        b.iter(|| {
            flip = !flip;
            app.on_key(if flip { &down } else { &up });
            terminal.draw(|f| view::draw(&app, f)).unwrap();
        })
    });
    // Annotation mode: a word motion moves the cursor (cell starts and words of the laid-out
    // article) and redraws.
    let mut ann = longest_article_app();
    let dir = tempfile::tempdir().unwrap();
    ann.use_store(qari::tui::annotate::StoreAt::Path(dir.path().join("a.db")));
    ann.update(qari::tui::action::Action::Annotate, None);
    let w = KeyEvent::new(KeyCode::Char('w'), KeyModifiers::NONE);
    let bk = KeyEvent::new(KeyCode::Char('b'), KeyModifiers::NONE);
    let mut flip = false;
    c.bench_function("annotate_word_move_and_draw_200x60", |b| {
        b.iter(|| {
            flip = !flip;
            ann.on_key(if flip { &w } else { &bk });
            terminal.draw(|f| view::draw(&ann, f)).unwrap();
        })
    });
    // An edit: accept the suggestion under the cursor, committed (fsync) to the SQLite
    // store, the document reloaded from it, then undo (another commit), and two frames.
    ann.update(qari::tui::action::Action::NextUnreviewed, None);
    let y = KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE);
    let u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::NONE);
    c.bench_function("annotate_accept_undo_commit_and_draw_200x60", |b| {
        b.iter(|| {
            ann.on_key(&y);
            terminal.draw(|f| view::draw(&ann, f)).unwrap();
            ann.on_key(&u);
            terminal.draw(|f| view::draw(&ann, f)).unwrap();
        })
    });
    let key = app.layout.as_ref().unwrap().key;
    c.bench_function("layout_longest_article_cold", |b| {
        b.iter(|| ArticleLayout::build(&app.docs[d], &app.docs[d].articles[a], key))
    });
}

struct Pty {
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    _dir: tempfile::TempDir,
}

fn spawn(cols: u16, rows: u16) -> Pty {
    let dir = tempfile::tempdir().unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_qari"));
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", dir.path());
    let child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        NonZeroU16::new(rows).unwrap(),
        NonZeroU16::new(cols).unwrap(),
        0,
    )));
    let p = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p.lock().unwrap().process(&buf[..n]);
        }
        drop(pair.master);
    });
    Pty {
        writer,
        child,
        parser,
        _dir: dir,
    }
}

fn wait_until(p: &Pty, pred: impl Fn(&str) -> bool) {
    let start = Instant::now();
    loop {
        if pred(&p.parser.lock().unwrap().screen().contents()) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "qari did not draw"
        );
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn through_a_pty(c: &mut Criterion) {
    let mut g = c.benchmark_group("pty");
    g.sample_size(20);
    g.bench_function("first_frame_on_seeds_120x40", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let mut p = spawn(120, 40);
                wait_until(&p, |s| s.contains("source 1/5"));
                total += start.elapsed();
                let _ = p.writer.write_all(b"q");
                let _ = p.child.wait();
            }
            total
        })
    });
    g.bench_function("keystroke_to_screen_120x40", |b| {
        let mut p = spawn(120, 40);
        wait_until(&p, |s| s.contains("source 1/5"));
        let mut n = 0u32;
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                // Alternate between two sources: each key changes the status bar.
                n += 1;
                let (key, want) = if n % 2 == 1 {
                    (b"J", "source 2/5")
                } else {
                    (b"K", "source 1/5")
                };
                let start = Instant::now();
                p.writer.write_all(key).unwrap();
                p.writer.flush().unwrap();
                wait_until(&p, |s| s.contains(want));
                total += start.elapsed();
            }
            total
        });
        let _ = p.writer.write_all(b"q");
        let _ = p.child.wait();
    });
    g.finish();
}

criterion_group!(benches, in_process, through_a_pty);
criterion_main!(benches);
