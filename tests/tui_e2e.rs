//! Journeys through the real binary in a pseudo-terminal, read back through a terminal
//! parser (vt100): what a user at a terminal would see.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Session {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    _dir: tempfile::TempDir,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a size")
}

impl Session {
    fn start(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
        Session::start_in(
            tempfile::tempdir().expect("temp dir"),
            args,
            cols,
            rows,
            env,
        )
    }

    fn start_in(
        dir: tempfile::TempDir,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_qari"));
        cmd.args(args);
        cmd.env_clear();
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", dir.path());
        cmd.env("XDG_STATE_HOME", dir.path().join("state"));
        cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
        cmd.env("XDG_DATA_HOME", dir.path().join("data"));
        // Exports go under the current directory: keep them in the session's folder.
        cmd.cwd(dir.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn qari");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        {
            let parser = Arc::clone(&parser);
            let raw = Arc::clone(&raw);
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    parser.lock().unwrap().process(&buf[..n]);
                    raw.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
        }
        Session {
            master: pair.master,
            writer,
            child,
            parser,
            raw,
            _dir: dir,
        }
    }

    fn dir(&self) -> &Path {
        self._dir.path()
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn rows(&self) -> Vec<String> {
        let p = self.parser.lock().unwrap();
        let (_, cols) = p.screen().size();
        p.screen().rows(0, cols.into()).collect()
    }

    /// Wait until `pred` holds for the screen; panics with the screen on timeout.
    fn wait_for(&self, what: &str, pred: impl Fn(&Session) -> bool) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if pred(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {what}; screen:\n{}", self.screen());
    }

    /// Wait until the screen stops changing (a frame can arrive in several reads).
    fn settle(&self) {
        let mut last = self.screen();
        let mut stable_since = Instant::now();
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            std::thread::sleep(Duration::from_millis(30));
            let now = self.screen();
            if now != last {
                last = now;
                stable_since = Instant::now();
            } else if stable_since.elapsed() > Duration::from_millis(250) {
                return;
            }
        }
    }

    fn wait_text(&self, text: &str) {
        self.wait_for(&format!("“{text}”"), |s| s.screen().contains(text));
    }

    fn send(&mut self, bytes: &str) {
        self.writer
            .write_all(bytes.as_bytes())
            .expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.lock().unwrap().set_size(nz(rows), nz(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
    }

    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // Let the reader thread take the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("qari did not exit; screen:\n{}", self.screen());
    }

    fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// The first seed's title, in the order a screen shows it (shaped, right to left).
fn visual(text: &str, width: usize) -> String {
    let opts = qari::layout::LayoutOptions {
        width: Some(width),
        direction: qari::layout::Direction::Rtl,
        shaping: true,
        reveal_format: false,
    };
    let l = qari::layout::layout_paragraph(text, &opts);
    l.rows[0].to_text(false)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn starts_on_the_first_title_right_aligned_and_quits_restoring_the_terminal() {
    let mut s = Session::start(&[], 120, 30, &[]);
    s.wait_text("source 1/5");
    let title = "بوتين يعلن الإتفاق مع بايدن على إجراء مشاورات حول الأمن الرقمي (الإلكتروني)";
    s.settle();
    let rows = s.rows();
    let expected = visual(title, 81);
    let first_words: String = expected
        .trim()
        .chars()
        .rev()
        .take(10)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    // The article column: 120 - sources pane (36) - separator, minus margins.
    let row = rows
        .iter()
        .find(|r| r.contains(&first_words))
        .unwrap_or_else(|| panic!("no title row in:\n{}", rows.join("\n")));
    let article_part: String = row.chars().take(83).collect();
    assert!(
        article_part.trim_end().ends_with(expected.trim_start()),
        "title not right-aligned in visual order:\n{article_part:?}\nexpected to end with\n{expected:?}"
    );
    assert!(article_part.starts_with("   "), "{article_part:?}");
    {
        let p = s.parser.lock().unwrap();
        assert!(p.screen().alternate_screen());
    }
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let raw = s.raw();
    let bidi_off =
        find(&raw, b"\x1b[8l\x1b[1 k").expect("bidi mode set before the alternate screen");
    let alt_on = find(&raw, b"\x1b[?1049h").expect("alternate screen");
    let alt_off = find(&raw, b"\x1b[?1049l").expect("alternate screen left");
    let restore = find(&raw, b"\x1b[8h\x1b[0 k").expect("bidi mode restored");
    assert!(bidi_off < alt_on && alt_off < restore);
    let p = s.parser.lock().unwrap();
    assert!(!p.screen().alternate_screen());
    assert!(!p.screen().hide_cursor());
    // The reading position was saved.
    assert!(s.dir().join("state/qari/positions.json").exists());
}

#[test]
fn moves_to_another_source_searches_in_arabic_and_survives_a_resize() {
    let mut s = Session::start(&[], 120, 30, &[]);
    s.wait_text("source 1/5");
    s.send("J");
    s.wait_text("source 2/5");
    s.send("3s");
    s.wait_text("source 3/5");
    // Search typed in Arabic, with a haraka the fold must ignore: Blinken is named in
    // sources 2 and 5, so from source 3 the first match is ahead, in source 5.
    s.send("/");
    s.send("بلِينكن");
    s.wait_for("the match count", |s| s.screen().contains("2 matches"));
    s.send("\r");
    s.wait_text("match 2 of 2");
    s.wait_text("source 5/5");
    let target = visual("بلينكن", 30);
    s.wait_for("the match on screen", |s| {
        s.screen().contains(target.trim())
    });
    // n goes on past the last source, back to the first that names him.
    s.send("n");
    s.wait_text("match 1 of 2");
    // Ctrl-L redraws everything without asking the terminal anything.
    s.send("\x0c");
    s.settle();
    s.wait_text("match 1 of 2");
    s.wait_text("source 2/5");
    s.resize(70, 20);
    s.wait_for("the narrow single-pane layout", |s| {
        s.screen().contains("article · match 1 of 2")
    });
    s.settle();
    assert!(
        s.screen().contains(target.trim()),
        "the match left the screen on resize:\n{}",
        s.screen()
    );
    s.send("\x1b");
    s.wait_for("the search cleared", |s| {
        !s.screen().contains("match 1 of 2")
    });
    s.send("\t");
    s.wait_text("Sources (5)");
    s.send("\x03");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn arabic_layout_keys_navigate_and_help_lists_the_keymap() {
    let mut s = Session::start(&[], 120, 30, &[]);
    s.wait_text("source 1/5");
    // ـ (Shift-J on the Arabic layout) is J: next source.
    s.send("ـ");
    s.wait_text("source 2/5");
    s.send("?");
    s.wait_text("Reading");
    s.wait_text("next source");
    s.send("q");
    s.wait_for("help closed", |s| !s.screen().contains("Keys ·"));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn reading_position_is_remembered_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().to_path_buf();
    let mut s = Session::start_in(dir, &[], 120, 30, &[]);
    s.wait_text("source 1/5");
    s.send("20j");
    s.wait_for("scrolled", |s| !s.screen().contains("article 1/1 · 0%"));
    s.settle();
    let article_row = |s: &Session| s.rows()[2].chars().take(83).collect::<String>();
    let before = article_row(&s);
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    // Copy the state to a second run (the first session's folder goes with it).
    let state = std::fs::read(keep.join("state/qari/positions.json")).unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir2.path().join("state/qari")).unwrap();
    std::fs::write(dir2.path().join("state/qari/positions.json"), state).unwrap();
    let s2 = Session::start_in(dir2, &[], 120, 30, &[]);
    s2.wait_text("source 1/5");
    s2.wait_for(&format!("the same first line: {before}"), |s| {
        article_row(s) == before
    });
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut s = Session::start(&[], 100, 25, &[("NO_COLOR", "1")]);
    s.wait_text("source 1/5");
    let pid = s.child.process_id().expect("a pid");
    let status = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .expect("kill");
    assert!(status.success());
    s.wait_exit();
    let raw = s.raw();
    assert!(find(&raw, b"\x1b[?1049l").is_some());
    assert!(find(&raw, b"\x1b[8h\x1b[0 k").is_some());
    // NO_COLOR: no colour was sent.
    assert!(find(&raw, b"\x1b[38;").is_none() && find(&raw, b"\x1b[48;").is_none());
}

#[test]
fn no_color_keeps_the_selection_visible() {
    // crossterm 0.29 answers NO_COLOR with a bare SGR reset that would wipe reverse video;
    // qari's mono theme must still show the selection.
    let mut s = Session::start(&[], 120, 30, &[("NO_COLOR", "1")]);
    s.wait_text("source 1/5");
    s.send("\tj");
    s.wait_for("a reversed selection in the sources pane", |s| {
        let p = s.parser.lock().unwrap();
        let screen = p.screen();
        (2..28).any(|row| (90..118).any(|col| screen.cell(row, col).is_some_and(|c| c.inverse())))
    });
    s.send("q");
    s.wait_exit();
    let raw = s.raw();
    assert!(
        find(&raw, b"\x1b[38;").is_none(),
        "a colour was sent despite NO_COLOR"
    );
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_takes_it_again() {
    // The pty's child leads an orphaned process group, where the kernel discards SIGTSTP
    // (a shell's job control would stop it): what is checked here is the terminal being
    // restored before the stop and set up again, and the screen redrawn, after it.
    let mut s = Session::start(&[], 100, 25, &[]);
    s.wait_text("source 1/5");
    let before = s.raw().len();
    s.send("\x1a");
    s.wait_for("the terminal given back and taken again", |s| {
        let raw = s.raw();
        let tail = &raw[before..];
        match (find(tail, b"\x1b[8h\x1b[0 k"), find(tail, b"\x1b[?1049l")) {
            (Some(restore), Some(left)) => {
                left < restore && find(&tail[restore..], b"\x1b[?1049h").is_some()
            }
            _ => false,
        }
    });
    s.wait_for("the reader redrawn", |s| {
        let p = s.parser.lock().unwrap();
        p.screen().alternate_screen() && p.screen().contents().contains("source 1/5")
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn opens_a_folder_and_reports_what_it_could_not_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "عنوان الخبر\n\nنص الخبر الأول.\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), [0u8, 1, 2, 0, 0, 0, 7]).unwrap();
    let path = dir.path().to_str().unwrap().to_string();
    let mut s = Session::start(&[&path], 100, 25, &[]);
    s.wait_text("source 1/");
    let title = visual("عنوان الخبر", 40);
    s.wait_for("the article", |s| s.screen().contains(title.trim()));
    s.wait_text("b.txt");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_broken_config_warns_but_the_reader_starts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("config/qari")).unwrap();
    std::fs::write(
        dir.path().join("config/qari/config.toml"),
        "theme = \"neon\"\n[keys]\nnext_source = [\"n\"]\n",
    )
    .unwrap();
    let mut s = Session::start_in(dir, &[], 100, 25, &[]);
    s.wait_text("theme");
    // The rebinding took effect: n is now next source.
    s.send("n");
    s.wait_text("source 2/5");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn sighup_saves_the_position_and_exits() {
    let mut s = Session::start(&[], 100, 25, &[]);
    s.wait_text("source 1/5");
    s.send("7j");
    s.wait_for("scrolled", |s| !s.screen().contains("article 1/1 · 0%"));
    let pid = s.child.process_id().expect("a pid");
    std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .expect("kill -HUP");
    s.wait_exit();
    let saved = std::fs::read_to_string(s.dir().join("state/qari/positions.json"))
        .expect("positions saved on hang-up");
    assert!(saved.contains("\"offset\""), "{saved}");
}

#[test]
fn an_entity_leads_through_its_mentions_across_sources() {
    let mut s = Session::start(&[], 180, 40, &[]);
    s.wait_text("Entities (");
    s.send("\x1b[Z"); // Shift-Tab: the entities pane
    s.send("/");
    s.send("بلينكن");
    s.send("\r");
    s.wait_text("filter:");
    s.send("\r");
    s.wait_text("mention 1 of 2");
    s.wait_text("source 2/5");
    s.send(".");
    s.wait_text("mention 2 of 2");
    s.wait_text("source 5/5");
    // The mention is on screen and highlighted (reverse video in the dark theme).
    let name = visual("بلينكن", 30);
    s.wait_for("the mention on screen", |s| {
        s.screen().contains(name.trim())
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn hostile_text_cannot_drive_the_terminal() {
    // Every kind of sequence a web page could carry, in the title, the body and the file
    // name; the reader must draw them as inert symbols.
    let dir = tempfile::tempdir().unwrap();
    let hostile = "عنوان \x1b]0;PWNED-TITLE\x07 \x1b[31mأحمر\x1b[0m\n\n\
                   نص \x1b]52;c;cHduZWQ=\x07 و\x1b]8;;http://evil.example\x1b\\رابط\x1b]8;;\x1b\\ \
                   \u{9b}2J \x1b[2J\x1b[H \x7f \x08\x08 \x1bc النهاية.\n";
    std::fs::write(dir.path().join("evil\x1b[7m.txt"), hostile).unwrap();
    let path = dir.path().to_str().unwrap().to_string();
    let mut s = Session::start(&[&path], 120, 30, &[]);
    s.wait_text("source 1/1");
    // Shown instead: each escape as a visible symbol.
    s.wait_text("␛");
    s.send("/");
    s.send("\x1b]52;c;eA==\x07");
    s.settle();
    assert!(
        s.screen().contains("source 1/1"),
        "screen lost:\n{}",
        s.screen()
    );
    s.send("\x1b");
    s.settle();
    s.send("\x1b");
    s.settle();
    // Annotating the hostile text: the selection, the status line, the history and the
    // export message all show it (its surface, the file's name) inert too.
    s.send("i");
    s.wait_text("ANNOTATE");
    s.send("jvwww");
    s.settle();
    s.send("1");
    s.wait_text("saved");
    s.send("H");
    s.wait_text("History");
    s.send("\x1b");
    s.settle();
    s.send("E");
    s.wait_text("exported");
    s.send("\x1b");
    s.settle();
    s.send("q");
    s.wait_exit();
    let raw = s.raw();
    for bad in [
        &b"\x1b]0;PWNED"[..],
        b"\x1b]52;",
        b"\x1b]8;;http",
        b"\xc2\x9b2J",
        b"\x1bc",
        b"\x1b[31m\xd8",
    ] {
        assert!(
            find(&raw, bad).is_none(),
            "{:?} reached the terminal",
            String::from_utf8_lossy(bad)
        );
    }
}

/// The status bar's left part, without the bidi isolates messages wrap surfaces in.
fn status_left(s: &Session) -> String {
    let rows = s.rows();
    let last = rows.last().cloned().unwrap_or_default();
    let left = last.split("ANNOTATE").next().unwrap_or_default();
    left.chars()
        .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
        .collect::<String>()
        .trim()
        .to_string()
}

/// The text between « and » in `s`, as shown.
fn quoted(s: &str) -> Option<String> {
    let (_, rest) = s.split_once('«')?;
    let (q, _) = rest.split_once('»')?;
    Some(q.to_string())
}

/// The "N to review" count of the status bar.
fn to_review(s: &Session) -> Option<usize> {
    let rows = s.rows();
    let last = rows.last()?;
    let (before, _) = last.split_once(" to review")?;
    before.rsplit(' ').next()?.parse().ok()
}

#[test]
fn annotates_reviews_undoes_and_finds_the_work_again_then_exports_brat() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start_in(dir, &[], 120, 30, &[]);
    s.wait_text("source 1/5");
    s.send("i");
    s.wait_text("ANNOTATE · unreviewed");
    let before = to_review(&s).expect("a count to review");
    // Down into the first paragraph of the body (Arabic, right to left), one word on.
    s.send("jjjw");
    s.send("v");
    s.wait_for("a one-character selection", |s| {
        status_left(s).contains("»  1 PER  2 LOC")
    });
    s.send("w");
    s.wait_for("the selection grown to a second word", |s| {
        let left = status_left(s);
        left.contains("»  1 PER  2 LOC") && quoted(&left).is_some_and(|q| q.contains(' '))
    });
    let selected = quoted(&status_left(&s)).unwrap();
    assert!(
        selected
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)
                || ('\u{FE70}'..='\u{FEFF}').contains(&c)),
        "not an Arabic selection: {selected:?}"
    );
    s.send("1");
    s.wait_text("saved");
    assert_eq!(status_left(&s), format!("PER «{selected}» saved"));
    assert!(s.screen().contains("ANNOTATE · in progress"));
    // The store was written before the screen said so.
    let store = s.dir().join("data/qari/annotations.db");
    assert!(store.exists(), "no store at {}", store.display());

    // The next suggestion to review, accepted.
    s.send("}");
    s.wait_text("left to review in");
    let hint = status_left(&s);
    let (sugg_label, _) = hint.split_once(' ').unwrap();
    let sugg_label = sugg_label.to_string();
    let sugg = quoted(&hint).unwrap();
    assert!(
        hint.starts_with(&format!("{sugg_label} «{sugg}» suggested")),
        "{hint}"
    );
    assert!(s.screen().contains("source 1/5"), "{}", s.screen());
    s.send("y");
    s.wait_text("accepted");
    assert_eq!(status_left(&s), format!("accepted {sugg_label} «{sugg}»"));
    s.wait_for("one fewer to review", |s| to_review(s) == Some(before - 1));

    // Undo and redo the acceptance.
    s.send("u");
    s.wait_text("undid:");
    assert!(status_left(&s).contains(&format!("{sugg_label} «{sugg}»")));
    s.wait_for("the suggestion back to review", |s| {
        to_review(s) == Some(before)
    });
    s.send("U");
    s.wait_text("redid:");
    assert!(status_left(&s).contains(&format!("{sugg_label} «{sugg}»")));
    s.wait_for("accepted again", |s| to_review(s) == Some(before - 1));

    // One more suggestion, rejected: it must not be exported.
    s.send("}");
    s.wait_text("left to review in");
    s.send("x");
    s.wait_text("rejected");
    let rejected = quoted(&status_left(&s)).unwrap();
    s.wait_for("rejected, one fewer to review", |s| {
        to_review(s) == Some(before - 2)
    });
    s.send("q");
    assert_eq!(s.wait_exit(), 0);

    // Again, with the same folders: the work is there.
    let dir = std::mem::replace(&mut s._dir, tempfile::tempdir().unwrap());
    drop(s);
    let mut s = Session::start_in(dir, &[], 120, 30, &[]);
    s.wait_text("source 1/5");
    s.send("i");
    s.wait_text("ANNOTATE · in progress");
    assert_eq!(to_review(&s), Some(before - 2), "{}", s.screen());
    // The same keys lead to the same place: the PER annotation, confirmed.
    s.send("jjjw");
    s.wait_for("the PER annotation under the cursor", |s| {
        status_left(s).starts_with(&format!("PER «{selected}» confirmed"))
    });

    // Export (brat, confirmed only) into ./qari-export.
    s.send("E");
    s.wait_text("exported");
    // Two files for each of the five sources (the message is cut at the pane's width).
    assert!(
        status_left(&s).starts_with("exported to qari-export/: 10 files (brat,"),
        "{}",
        status_left(&s)
    );
    let out = s.dir().join("qari-export");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let first = names
        .iter()
        .find(|n| n.starts_with("000_") && n.ends_with(".ann"))
        .unwrap_or_else(|| panic!("no .ann of the first source in {names:?}"))
        .trim_end_matches(".ann")
        .to_string();
    let ann = std::fs::read_to_string(out.join(format!("{first}.ann"))).unwrap();
    let txt: Vec<char> = std::fs::read_to_string(out.join(format!("{first}.txt")))
        .unwrap()
        .chars()
        .collect();
    // Text-bound annotations (no `A… Suggested`: confirmed only), each with code-point
    // offsets that slice the .txt to its surface, and the Wikidata references the tagger
    // linked them to.
    let mut spans = Vec::new();
    let mut refs = Vec::new();
    for line in ann.lines() {
        let f: Vec<&str> = line.splitn(3, '\t').collect();
        assert_eq!(f.len(), 3, "unexpected line {line:?}");
        if f[0].starts_with('N') {
            let r = f[1].strip_prefix("Reference ").expect(line);
            let (t, q) = r.split_once(" Wikidata:Q").expect(line);
            assert!(q.parse::<u64>().is_ok(), "{line:?}");
            refs.push((t.to_string(), f[2].to_string()));
            continue;
        }
        assert!(f[0].starts_with('T'), "unexpected line {line:?}");
        let mut t = f[1].split(' ');
        let label = t.next().unwrap().to_string();
        let start: usize = t.next().unwrap().parse().unwrap();
        let end: usize = t.next().unwrap().parse().unwrap();
        assert!(t.next().is_none(), "a fragmented span: {line:?}");
        let slice: String = txt[start..end].iter().collect();
        assert_eq!(slice, f[2], "offsets of {line:?} slice {slice:?}");
        spans.push((f[0].to_string(), label, f[2].to_string()));
    }
    for (t, surface) in &refs {
        assert!(
            spans.iter().any(|(id, _, x)| id == t && x == surface),
            "a reference to no span: {t} {surface}:\n{ann}"
        );
    }
    let shown = |surface: &str| visual(surface, 80).trim().to_string();
    assert_eq!(
        spans.len(),
        2,
        "expected the PER and the accepted {sugg_label}:\n{ann}"
    );
    assert!(
        spans.iter().any(|(_, l, t)| l == "PER"
            && shown(t) == selected
            && t.split_whitespace().count() == 2),
        "no PER line for «{selected}»:\n{ann}"
    );
    assert!(
        spans
            .iter()
            .any(|(_, l, t)| *l == sugg_label && shown(t) == sugg),
        "no {sugg_label} line for «{sugg}»:\n{ann}"
    );
    assert!(
        spans.iter().all(|(_, _, t)| shown(t) != rejected),
        "the rejected «{rejected}» was exported:\n{ann}"
    );
    // Nothing was annotated in the other sources.
    for n in names
        .iter()
        .filter(|n| n.ends_with(".ann") && !n.starts_with("000_"))
    {
        let other = std::fs::read_to_string(out.join(n)).unwrap();
        assert!(other.is_empty(), "{n}:\n{other}");
    }

    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let raw = s.raw();
    let alt_off = find(&raw, b"\x1b[?1049l").expect("alternate screen left");
    let restore = find(&raw, b"\x1b[8h\x1b[0 k").expect("bidi mode restored");
    assert!(alt_off < restore);
    let p = s.parser.lock().unwrap();
    assert!(!p.screen().alternate_screen());
    assert!(!p.screen().hide_cursor());
}

/// Terminals from 1×1 up, resized many times without a pause, in reading and in
/// annotation mode: qari keeps running, never draws past the screen, says what size it
/// needs when nothing fits, and comes back whole.
#[test]
fn survives_tiny_terminals_and_a_storm_of_resizes() {
    let mut s = Session::start(&[], 120, 40, &[]);
    s.wait_text("source 1/5");
    let sizes: &[(u16, u16)] = &[
        (1, 1),
        (2, 1),
        (1, 2),
        (5, 3),
        (19, 4),
        (20, 5),
        (21, 6),
        (40, 10),
        (89, 30),
        (90, 30),
        (124, 40),
        (200, 60),
        (3, 50),
        (250, 2),
    ];
    for round in 0..6 {
        if round == 3 {
            s.send("i}"); // annotation mode, the cursor on a suggestion
        }
        for &(c, r) in sizes {
            s.resize(c, r);
        }
    }
    // Where nothing fits: the size needed, not a cramped screen.
    s.resize(15, 4);
    s.wait_for("the too-small message", |s| {
        s.screen().contains("20") || s.screen().contains("small")
    });
    s.resize(120, 40);
    s.wait_text("source 1/5");
    s.settle();
    // Still alive and taking keys.
    assert!(s.child.try_wait().unwrap().is_none(), "qari exited");
    s.send("\x1b\x1b");
    s.settle();
    s.send("J");
    s.wait_text("source 2/5");
    let rows = s.rows();
    assert_eq!(rows.len(), 40);
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn texts_dropped_from_memory_come_back_and_a_changed_file_is_never_shown_instead() {
    // `text_memory = 0`: every text but the article shown is dropped after each frame.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("config/qari")).unwrap();
    std::fs::write(
        dir.path().join("config/qari/config.toml"),
        "text_memory = 0\n",
    )
    .unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let words = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس"];
    for (i, w) in words.iter().enumerate() {
        std::fs::write(
            corpus.join(format!("{i}.txt")),
            format!("الخبر {w}\n\nنص الخبر {w} عن القمة في جنيف.\n"),
        )
        .unwrap();
    }
    let path = corpus.to_str().unwrap().to_string();
    let mut s = Session::start_in(dir, &[&path], 100, 25, &[]);
    s.wait_text("source 1/6");
    // Through every source and back: each body is its own, read again from its file.
    for (i, w) in words.iter().enumerate().skip(1) {
        s.send("J");
        s.wait_text(&format!("source {}/6", i + 1));
        let body = visual(&format!("نص الخبر {w} عن القمة في جنيف."), 60);
        s.wait_for("the body", |s| s.screen().contains(body.trim()));
    }
    // A search reads every text again (all but one dropped) and finds each once.
    s.send("/");
    s.send("جنيف");
    s.send("\r");
    s.wait_text("of 6");
    // The first file changes on disk; at another width its article is laid out again from
    // the text, which must not be the new one.
    std::fs::write(corpus.join("0.txt"), "نص مختلف تماما\n").unwrap();
    s.send("\x1b");
    for _ in 0..5 {
        s.send("K");
    }
    s.wait_text("source 1/6");
    s.resize(90, 25);
    s.wait_text("file changed, shown blank");
    let new = visual("نص مختلف تماما", 60);
    assert!(!s.screen().contains(new.trim()), "{}", s.screen());
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}
