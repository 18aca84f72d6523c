//! The terminal side of the reader: set the terminal up, run the event loop, and put the
//! terminal back on every way out (quit, error, panic, SIGTERM/SIGHUP/SIGINT, Ctrl-Z).
//!
//! Bidi-aware terminals are told to keep out of the way before the alternate screen is
//! entered (`CSI 8 l`: explicit mode; `CSI 1 SP k`: left-to-right) and given their
//! defaults back after it is left (`CSI 8 h`, `CSI 0 SP k`); VTE stamps the mode on rows as
//! they are created, hence the order.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::terminal::{
    self, BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen,
};
use ratatui::crossterm::{cursor, execute};
use ratatui::Terminal;

use super::app::{App, Arrival, Effect};
use super::config::BidiMode;
use super::store::PositionStore;
use super::view;

/// Sent before the alternate screen: explicit bidi mode, left-to-right.
pub const BIDI_OFF: &str = "\x1b[8l\x1b[1 k";
/// Sent after leaving it: the terminal's defaults.
pub const BIDI_RESTORE: &str = "\x1b[8h\x1b[0 k";

/// How often positions are written while reading.
const SAVE_EVERY: Duration = Duration::from_secs(10);
/// How often the signal watchdog's copy of the positions is refreshed.
const SNAPSHOT_EVERY: Duration = Duration::from_millis(500);

/// On SIGTERM, SIGHUP or SIGINT: ask the event loop to stop; if it has not finished half a
/// second later, save the last positions and exit. (When the terminal hangs up, crossterm
/// 0.29 can spin forever reading end-of-file inside `event::read`, where no flag is seen.)
fn watch_signals(
    stop: Arc<AtomicBool>,
    snapshot: Arc<Mutex<Option<PositionStore>>>,
    setup: TermSetup,
) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::Builder::new()
        .name("qari-signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                stop.store(true, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(500));
                // The main thread takes this lock for good when it finishes on its own,
                // so reaching past it means the main thread is stuck.
                let mut snap = snapshot.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(store) = snap.as_mut() {
                    let _ = store.save();
                }
                restore_directly(setup);
                std::process::exit(128 + sig);
            }
        })?;
    Ok(())
}

/// Put the terminal back without stdout (whose lock a stuck main thread may hold): the
/// same sequences as `leave`, written to the controlling terminal.
fn restore_directly(s: TermSetup) {
    let mut seq = String::new();
    if s.mouse {
        seq.push_str("\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l");
    }
    seq.push_str("\x1b[?2026l\x1b[?25h\x1b[?1049l");
    if s.bidi_app {
        seq.push_str(BIDI_RESTORE);
    }
    if let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        let _ = tty.write_all(seq.as_bytes());
        let _ = tty.flush();
    }
    let _ = terminal::disable_raw_mode();
}

#[derive(Clone, Copy)]
struct TermSetup {
    bidi_app: bool,
    mouse: bool,
}

fn enter(s: TermSetup) -> io::Result<()> {
    terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    if s.bidi_app {
        out.write_all(BIDI_OFF.as_bytes())?;
    }
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    if s.mouse {
        execute!(out, EnableMouseCapture)?;
    }
    out.flush()
}

/// Put the terminal back. Safe to call more than once, and from the panic hook.
fn leave(s: TermSetup) {
    let mut out = io::stdout();
    if s.mouse {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(
        out,
        EndSynchronizedUpdate,
        cursor::Show,
        LeaveAlternateScreen
    );
    if s.bidi_app {
        let _ = out.write_all(BIDI_RESTORE.as_bytes());
    }
    let _ = out.flush();
    let _ = terminal::disable_raw_mode();
}

/// Run the reader until the user quits. Documents still loading arrive on `loader`.
pub fn run(mut app: App, loader: Option<Receiver<Arrival>>) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        anyhow::bail!(
            "the reader needs a terminal (standard input and output); `qari render FILE` prints laid-out text instead"
        );
    }
    let setup = TermSetup {
        bidi_app: app.config.bidi == BidiMode::App,
        mouse: app.config.mouse,
    };

    let stop = Arc::new(AtomicBool::new(false));
    let snapshot: Arc<Mutex<Option<PositionStore>>> = Arc::new(Mutex::new(None));
    watch_signals(Arc::clone(&stop), Arc::clone(&snapshot), setup)
        .context("installing signal handlers")?;
    // Only a panic of this (the drawing) thread ends the reader: restore the terminal, save
    // the last positions, then report. Other threads' panics (a page the loader could not
    // parse, caught there) must not print over the screen.
    let ui_thread = std::thread::current().id();
    let previous = std::panic::take_hook();
    let hook_snapshot = Arc::clone(&snapshot);
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() != ui_thread {
            return;
        }
        leave(setup);
        if let Ok(mut snap) = hook_snapshot.try_lock() {
            if let Some(store) = snap.as_mut() {
                let _ = store.save();
            }
        }
        previous(info);
    }));

    if let Err(e) = enter(setup) {
        leave(setup);
        return Err(anyhow::Error::from(e).context("setting up the terminal"));
    }
    let result = event_loop(&mut app, loader, setup, &stop, &snapshot);
    // From here the watchdog must not write an older state over this one: hold the lock to
    // the end, and empty the snapshot.
    let mut snap = snapshot.lock().unwrap_or_else(|e| e.into_inner());
    leave(setup);
    let saved = app.positions.save();
    *snap = None;
    result?;
    if let Err(e) = saved {
        anyhow::bail!("could not save reading positions: {e}");
    }
    Ok(())
}

fn event_loop(
    app: &mut App,
    loader: Option<Receiver<Arrival>>,
    setup: TermSetup,
    stop: &AtomicBool,
    snapshot: &Mutex<Option<PositionStore>>,
) -> anyhow::Result<()> {
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    app.on_resize(size.width, size.height);
    let mut dirty = true;
    let mut last_save = Instant::now();
    let mut last_snapshot = Instant::now();
    let mut loader = loader;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        if let Some(rx) = &loader {
            // Take what has arrived, but for 20 ms at most: a fast loader must not keep
            // the keys and the screen waiting.
            let budget = Instant::now();
            while budget.elapsed() < Duration::from_millis(20) {
                match rx.try_recv() {
                    Ok(ev) => {
                        app.on_arrival(ev);
                        dirty = true;
                    }
                    Err(std::sync::mpsc::TryRecvError::Empty) => break,
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                        loader = None;
                        app.loading = None;
                        break;
                    }
                }
            }
        }
        // A search running over a large corpus: a slice of it per turn of the loop.
        if app.search_job.is_some() {
            app.tick(Duration::from_millis(15));
            dirty = true;
        }
        if dirty {
            draw(&mut terminal, app)?;
            dirty = false;
            app.evict_texts();
        }
        if app.positions.is_dirty() && last_snapshot.elapsed() >= SNAPSHOT_EVERY {
            if let Ok(mut s) = snapshot.lock() {
                *s = Some(app.positions.clone());
            }
            last_snapshot = Instant::now();
        }
        if app.positions.is_dirty() && last_save.elapsed() >= SAVE_EVERY {
            // Saved under the lock, and the snapshot emptied: the file is now the newest.
            let mut snap = snapshot.lock().unwrap_or_else(|e| e.into_inner());
            let saved = app.positions.save();
            if saved.is_ok() {
                *snap = None;
            }
            drop(snap);
            if let Err(e) = saved {
                app.set_error(format!("could not save reading positions: {e}"));
                dirty = true;
            }
            last_save = Instant::now();
        }
        let searching = app.search_job.is_some();
        let wait = if searching {
            0
        } else if loader.is_some() {
            15
        } else {
            100
        };
        if !event::poll(Duration::from_millis(wait))? {
            continue;
        }
        // Drain everything pending, then draw once.
        loop {
            let effects = match event::read()? {
                Event::Key(k) if k.is_press() || k.is_repeat() => app.on_key(&k),
                Event::Mouse(m) => {
                    app.on_mouse(&m);
                    Vec::new()
                }
                Event::Resize(w, h) => {
                    app.on_resize(w, h);
                    Vec::new()
                }
                Event::FocusGained | Event::FocusLost | Event::Paste(_) | Event::Key(_) => {
                    Vec::new()
                }
            };
            dirty = true;
            for effect in effects {
                match effect {
                    Effect::Quit => return Ok(()),
                    Effect::Clear => fresh_screen(&mut terminal)?,
                    Effect::Suspend => {
                        leave(setup);
                        let mut snap = snapshot.lock().unwrap_or_else(|e| e.into_inner());
                        if app.positions.save().is_ok() {
                            *snap = None;
                        }
                        drop(snap);
                        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
                        // Resumed (fg).
                        enter(setup)?;
                        fresh_screen(&mut terminal)?;
                        let size = terminal.size()?;
                        app.on_resize(size.width, size.height);
                    }
                }
            }
            if app.quit {
                return Ok(());
            }
            if !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
}

fn draw(terminal: &mut Terminal<CrosstermBackend<io::Stdout>>, app: &App) -> anyhow::Result<()> {
    // Synchronized output (mode 2026): the terminal shows whole frames only.
    execute!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| view::draw(app, f))?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}

/// Clear the screen and forget what was on it, so the next frame draws every cell.
/// (ratatui's own `clear` asks the terminal where the cursor is, a query some terminals
/// and multiplexers never answer.)
fn fresh_screen(term: &mut Terminal<CrosstermBackend<io::Stdout>>) -> anyhow::Result<()> {
    execute!(
        term.backend_mut(),
        terminal::Clear(terminal::ClearType::All)
    )?;
    *term = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok(())
}
