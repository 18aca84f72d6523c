//! Screens of the reader drawn into ratatui's TestBackend, driven by synthetic keys, and
//! compared with insta snapshots (text) and direct checks (styles, alignment).

use qari::tui::app::App;
use qari::tui::config::{Config, ThemeName};
use qari::tui::{sample_app, view};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Modifier;
use ratatui::Terminal;

fn app(w: u16, h: u16) -> App {
    let mut c = Config::defaults();
    c.theme = ThemeName::Mono;
    sample_app(c, (w, h))
}

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        let ev = match c {
            '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            '\x1b' => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
            '\t' => KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
            c if c.is_ascii_uppercase() => KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT),
            c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
        };
        app.on_key(&ev);
    }
}

fn draw(app: &App) -> Terminal<TestBackend> {
    let (w, h) = app.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(app, f)).unwrap();
    t
}

fn text(buf: &Buffer) -> Vec<String> {
    let a = buf.area;
    (0..a.height)
        .map(|y| {
            let mut s = String::new();
            let mut x = 0;
            while x < a.width {
                let c = &buf[(x, y)];
                s.push_str(c.symbol());
                x += 1;
            }
            s
        })
        .collect()
}

#[test]
fn article_screen() {
    let a = app(120, 30);
    let t = draw(&a);
    insta::assert_snapshot!("article", t.backend());
}

#[test]
fn the_title_is_right_aligned_in_the_text_column() {
    let a = app(120, 30);
    let t = draw(&a);
    let buf = t.backend().buffer();
    let text_rect = a.panes().article_text.unwrap();
    let y = text_rect.y;
    // The title's last cell (its first word, in visual order) ends at the column's edge.
    let right = text_rect.right() - 1;
    assert_ne!(buf[(right, y)].symbol(), " ", "{:?}", text(buf)[y as usize]);
    assert_eq!(buf[(text_rect.x, y)].symbol(), " ");
    // The title is bold and underlined in the mono theme.
    assert!(buf[(right, y)].modifier.contains(Modifier::BOLD));
}

#[test]
fn sources_screen_with_the_selection() {
    let mut a = app(120, 30);
    keys(&mut a, "\tjj");
    let t = draw(&a);
    insta::assert_snapshot!("sources_focused", t.backend());
    // The selected entry is reversed.
    let buf = t.backend().buffer();
    let r = a.panes().sources.unwrap();
    let y = r.y + 2 + (a.sources_sel - a.sources_top) as u16;
    assert!(buf[(r.right() - 3, y)]
        .modifier
        .contains(Modifier::REVERSED));
}

#[test]
fn help_screen_lists_the_keymap() {
    let mut a = app(100, 40);
    keys(&mut a, "?");
    let t = draw(&a);
    insta::assert_snapshot!("help", t.backend());
    let all = text(t.backend().buffer()).join("\n");
    // Generated from the keymap: a rebinding shows up.
    let mut c = Config::defaults();
    c.theme = ThemeName::Mono;
    let user: toml::Table = "[keys]\nnext_source = [\"ctrl-n\"]".parse().unwrap();
    let mut w = Vec::new();
    c.merge(&user, "t", &mut w);
    let mut b = sample_app(c, (100, 40));
    keys(&mut b, "?");
    let rebound = text(draw(&b).backend().buffer()).join("\n");
    assert!(all.contains("J ") && all.contains("next source"));
    assert!(rebound.contains("Ctrl-n"), "{rebound}");
}

#[test]
fn help_filters() {
    let mut a = app(100, 30);
    keys(&mut a, "?/match");
    let all = text(draw(&a).backend().buffer()).join("\n");
    assert!(all.contains("next match"));
    assert!(!all.contains("down one line"));
}

#[test]
fn search_prompt_and_result_screens() {
    let mut a = app(120, 30);
    keys(&mut a, "/");
    for c in "جِنيف".chars() {
        a.on_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    let t = draw(&a);
    insta::assert_snapshot!("search_prompt", t.backend());
    keys(&mut a, "\n");
    let t = draw(&a);
    insta::assert_snapshot!("search_result", t.backend());
    // Every hit on screen is underlined, the current one reversed.
    let buf = t.backend().buffer();
    let reversed = buf
        .content()
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED) && c.symbol() != " ")
        .count();
    let underlined = buf
        .content()
        .iter()
        .filter(|c| {
            c.modifier.contains(Modifier::UNDERLINED) && !c.modifier.contains(Modifier::REVERSED)
        })
        .count();
    // جنيف: 4 cells when shaped.
    assert!(
        reversed >= 4,
        "current match drawn in reverse ({reversed} cells)"
    );
    assert!(
        underlined >= 4,
        "other matches underlined ({underlined} cells)"
    );
}

#[test]
fn narrow_screen_is_one_pane() {
    let mut a = app(60, 20);
    let t = draw(&a);
    insta::assert_snapshot!("narrow_article", t.backend());
    keys(&mut a, "\t");
    let t = draw(&a);
    insta::assert_snapshot!("narrow_sources", t.backend());
}

#[test]
fn tiny_terminals_do_not_panic() {
    for (w, h) in [(1, 1), (2, 2), (5, 3), (10, 2), (0, 0), (200, 1), (1, 60)] {
        let mut a = app(w.max(1), h.max(1));
        a.on_resize(w, h);
        keys(&mut a, "jjG?q/x\nnN\t]]J");
        if w > 0 && h > 0 {
            draw(&a);
        }
    }
}

#[test]
fn terminal_bidi_mode_sends_logical_unshaped_text_in_one_pane() {
    let mut c = Config::defaults();
    c.theme = ThemeName::Mono;
    c.bidi = qari::tui::config::BidiMode::Terminal;
    let a = sample_app(c, (120, 30));
    assert!(
        a.single_pane(),
        "terminal bidi would scramble side-by-side panes"
    );
    let rows = text(draw(&a).backend().buffer());
    let all = rows.join("\n");
    assert!(all.contains("بوتين يعلن الإتفاق"), "{all}");
    assert!(
        all.contains("وكالة الناس"),
        "header in logical order: {all}"
    );
    assert!(
        !all.contains('\u{FEE6}'),
        "no presentation forms when the terminal shapes"
    );
}

#[test]
fn entity_panel_and_coverage_screens() {
    let mut a = app(180, 40);
    assert!(a.panes().entities.is_some(), "three panes at 180 columns");
    // Shift-Tab from the article reaches the entities pane (right to left: sources,
    // article, entities).
    a.on_key(&KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    keys(&mut a, "j");
    let t = draw(&a);
    insta::assert_snapshot!("entities_panel", t.backend());
    // The selected entity's mentions in the article are underlined and bold (mono theme).
    let buf = t.backend().buffer();
    let marked = buf
        .content()
        .iter()
        .filter(|c| c.modifier.contains(Modifier::UNDERLINED | Modifier::BOLD) && c.symbol() != " ")
        .count();
    assert!(
        marked >= 5,
        "mentions of the selected entity highlighted ({marked} cells)"
    );
    keys(&mut a, "c");
    let t = draw(&a);
    insta::assert_snapshot!("coverage", t.backend());
}

#[test]
fn the_entity_filter_narrows_the_list() {
    let mut a = app(180, 40);
    a.on_key(&KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    keys(&mut a, "/");
    for c in "بوريل".chars() {
        a.on_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    keys(&mut a, "\n");
    let list = a.entity_list();
    assert_eq!(
        list.len(),
        1,
        "{:?}",
        list.iter()
            .map(|&c| &a.corpus[c].canonical)
            .collect::<Vec<_>>()
    );
    assert!(a.corpus[list[0]].canonical.contains("بوريل"));
    let all = text(draw(&a).backend().buffer()).join("\n");
    let shown = format!("Entities 1/{} · filter:", a.corpus.len());
    assert!(all.contains(&shown), "{all}");
}

#[test]
fn a_terminal_too_small_says_so() {
    let a = app(15, 4);
    let all = text(draw(&a).backend().buffer()).join("\n");
    assert!(all.contains("15×4") && all.contains("needs 20×5"), "{all}");
    let b = app(20, 5);
    let all = text(draw(&b).backend().buffer()).join("\n");
    assert!(!all.contains("needs"), "{all}");
}

#[test]
fn annotation_mode_screens() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(120, 30);
    a.use_store(qari::tui::annotate::StoreAt::Path(
        dir.path().join("annotations.db"),
    ));
    // Select the title's first two words and label them; then the next suggestion.
    keys(&mut a, "ivw");
    let t = draw(&a);
    let sel = a.selection().unwrap();
    // Mono: the selection is reversed, the cursor reversed, bold and underlined.
    let buf = t.backend().buffer();
    let reversed = buf
        .content()
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED) && c.symbol() != " ")
        .count();
    let title = &a.docs[0].text[sel.clone()];
    let letters = title.chars().filter(|c| !c.is_whitespace()).count();
    // The status bar is reversed too; the selected letters are among the reversed cells.
    assert!(
        reversed >= letters,
        "{reversed} reversed cells, {letters} letters"
    );
    insta::assert_snapshot!("annotate_selection", t.backend());
    keys(&mut a, "1}");
    let t = draw(&a);
    insta::assert_snapshot!("annotate_suggestion", t.backend());
    // The confirmed annotation is bold (mono); the status says what is under the cursor.
    let lines = text(t.backend().buffer());
    let status = lines.last().unwrap();
    assert!(status.contains("ANNOTATE"), "{status}");
    assert!(status.contains("suggested"), "{status}");
    keys(&mut a, "yH");
    let t = draw(&a);
    // Edits carry the time they were made: masked, to keep the snapshot stable.
    let masked: Vec<String> = text(t.backend().buffer())
        .into_iter()
        .map(|l| mask_clock(&l))
        .collect();
    assert!(
        masked.iter().any(|l| l.contains("hh:mm confirmed PER")),
        "{masked:#?}"
    );
    insta::assert_snapshot!("annotate_history", masked.join("\n"));
}

/// `12:34` → `hh:mm`.
fn mask_clock(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let is_clock = i + 5 <= chars.len()
            && chars[i].is_ascii_digit()
            && chars[i + 1].is_ascii_digit()
            && chars[i + 2] == ':'
            && chars[i + 3].is_ascii_digit()
            && chars[i + 4].is_ascii_digit();
        if is_clock {
            out.push_str("hh:mm");
            i += 5;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}
