//! The reader's state machine: keys → actions → state, without a terminal.

use qari::tui::action::Action;
use qari::tui::app::{App, Effect, Focus};
use qari::tui::config::Config;
use qari::tui::sample_app;
use qari::tui::store::PositionStore;
use qari::tui::theme::Theme;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

fn app() -> App {
    sample_app(Config::defaults(), (120, 30))
}

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    app.on_key(&KeyEvent::new(code, mods))
}

fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        key(app, KeyCode::Char(c), mods);
    }
}

#[test]
fn scrolling_with_counts_pages_and_ends() {
    let mut a = app();
    let len = a.layout.as_ref().unwrap().len();
    let h = a.panes().article_text.unwrap().height as usize;
    type_str(&mut a, "j");
    assert_eq!(a.top, 1);
    type_str(&mut a, "5j");
    assert_eq!(a.top, 6);
    type_str(&mut a, "2k");
    assert_eq!(a.top, 4);
    key(&mut a, KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert_eq!(a.top, 4 + h / 2);
    type_str(&mut a, "G");
    assert_eq!(a.top, len - h);
    type_str(&mut a, "gg");
    assert_eq!(a.top, 0);
    type_str(&mut a, " ");
    assert_eq!(a.top, h - 1);
    type_str(&mut a, "b");
    assert_eq!(a.top, 0);
    type_str(&mut a, "k");
    assert_eq!(a.top, 0, "no scrolling above the top");
    type_str(&mut a, "9G");
    assert_eq!(a.top, 8);
}

#[test]
fn articles_and_sources_in_order_with_counts() {
    let mut a = app();
    assert_eq!(a.current, Some((0, 0)));
    type_str(&mut a, "]");
    assert_eq!(a.current, Some((1, 0)));
    type_str(&mut a, "2]");
    assert_eq!(a.current, Some((1, 2)));
    type_str(&mut a, "]");
    assert_eq!(a.current, Some((2, 0)), "] crosses into the next source");
    type_str(&mut a, "[");
    assert_eq!(a.current, Some((1, 2)));
    type_str(&mut a, "J");
    assert_eq!(a.current, Some((2, 0)));
    type_str(&mut a, "K");
    assert_eq!(a.current, Some((1, 0)));
    type_str(&mut a, "5s");
    assert_eq!(a.current, Some((4, 0)));
    type_str(&mut a, "9s");
    assert_eq!(a.current, Some((4, 0)));
    assert!(a.message.as_ref().unwrap().0.contains("not 9"));
    type_str(&mut a, "2s3a");
    assert_eq!(a.current, Some((1, 2)));
    type_str(&mut a, "J]");
    type_str(&mut a, "10J");
    assert_eq!(a.current, Some((4, 0)));
    assert!(a.message.is_none() || !a.message.as_ref().unwrap().0.is_empty());
}

#[test]
fn arrows_follow_the_reading_direction() {
    let mut a = app();
    assert!(a.current_rtl());
    key(&mut a, KeyCode::Left, KeyModifiers::NONE);
    assert_eq!(a.current, Some((1, 0)), "← is forward in Arabic");
    key(&mut a, KeyCode::Right, KeyModifiers::NONE);
    assert_eq!(a.current, Some((0, 0)));
}

#[test]
fn the_arabic_layout_navigates() {
    let mut a = app();
    // ت is j, ن is k, ل ل is gg, ـ (Shift-J there) is J.
    type_str(&mut a, "تتت");
    assert_eq!(a.top, 3);
    type_str(&mut a, "ن");
    assert_eq!(a.top, 2);
    type_str(&mut a, "لل");
    assert_eq!(a.top, 0);
    type_str(&mut a, "ـ");
    assert_eq!(a.current, Some((1, 0)));
}

#[test]
fn the_search_prompt_takes_arabic_letters_literally() {
    let mut a = app();
    type_str(&mut a, "/");
    type_str(&mut a, "تن");
    assert_eq!(a.prompt.as_ref().unwrap().text, "تن");
    assert_eq!(a.top, 0);
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(a.prompt.is_none());
}

#[test]
fn search_crosses_sources_and_wraps() {
    let mut a = app();
    type_str(&mut a, "3s/");
    // Blinken: once in source 2, once in source 5.
    type_str(&mut a, "بلينكن");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(a.search.hits.len(), 2);
    assert_eq!(a.search.current, Some(1));
    assert_eq!(a.current.unwrap().0, 4);
    type_str(&mut a, "n");
    assert_eq!(a.search.current, Some(0));
    assert_eq!(a.current.unwrap().0, 1);
    assert!(a.message.as_ref().unwrap().0.contains("back at the first"));
    type_str(&mut a, "N");
    assert_eq!(a.search.current, Some(1));
    assert_eq!(a.current.unwrap().0, 4);
    // The match is on screen.
    let layout = a.layout.as_ref().unwrap();
    let hit = &a.search.hits[1];
    let line = layout.line_for_offset(hit.range.start);
    let h = a.panes().article_text.unwrap().height as usize;
    assert!(line >= a.top && line < a.top + h);
    // Esc clears the highlight.
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(a.search.hits.is_empty());
}

#[test]
fn search_ignores_harakat_and_alef_forms_and_finds_nothing_honestly() {
    let mut a = app();
    type_str(&mut a, "/");
    type_str(&mut a, "اَلْكرملين");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let n = a.search.hits.len();
    assert!(n >= 7, "{n}");
    type_str(&mut a, "/");
    type_str(&mut a, "xyzzy");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert!(a.search.hits.is_empty());
    assert!(a.message.as_ref().unwrap().0.contains("no match"));
    // Enter on an empty prompt repeats the last search.
    type_str(&mut a, "/");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(a.search.query, "xyzzy");
}

#[test]
fn a_resize_keeps_the_text_at_the_top() {
    let mut a = app();
    type_str(&mut a, "30j");
    let layout = a.layout.as_ref().unwrap();
    let anchor = layout.line_source(a.top).start;
    for (w, h) in [(60, 20), (200, 50), (95, 30), (120, 30)] {
        a.on_resize(w, h);
        let l = a.layout.as_ref().unwrap();
        let src = l.line_source(a.top);
        assert!(
            src.start <= anchor && (anchor < src.end.max(src.start + 1) || a.top == 0),
            "at {w}x{h} the top line {src:?} does not hold {anchor}"
        );
    }
    assert_eq!(a.layout.as_ref().unwrap().line_source(a.top).start, anchor);
}

#[test]
fn focus_boilerplate_shaping_help_and_quit() {
    let mut a = app();
    key(&mut a, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(a.focus, Focus::Sources);
    type_str(&mut a, "jj");
    assert_eq!(a.sources_sel, 3);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(a.current, Some((1, 0)));
    key(&mut a, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(a.focus, Focus::Article);
    let before = a.layout.as_ref().unwrap().len();
    type_str(&mut a, "v");
    assert!(
        a.layout.as_ref().unwrap().len() > before,
        "boilerplate lines added"
    );
    type_str(&mut a, "S");
    assert!(!a.shaping && !a.layout.as_ref().unwrap().key.shaping);
    type_str(&mut a, "?");
    assert!(a.help.is_some());
    assert!(key(&mut a, KeyCode::Char('q'), KeyModifiers::NONE).is_empty());
    assert!(a.help.is_none(), "q closes the help first");
    assert_eq!(
        key(&mut a, KeyCode::Char('l'), KeyModifiers::CONTROL),
        vec![Effect::Clear]
    );
    assert_eq!(
        key(&mut a, KeyCode::Char('z'), KeyModifiers::CONTROL),
        vec![Effect::Suspend]
    );
    type_str(&mut a, "x");
    assert!(a.message.as_ref().unwrap().0.contains("not bound"));
    assert_eq!(a.update(Action::Quit, None), vec![Effect::Quit]);
}

#[test]
fn the_mouse_wheel_scrolls_the_pane_under_it() {
    let mut a = app();
    let ev = |kind, column, row| MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    a.on_mouse(&ev(MouseEventKind::ScrollDown, 10, 10));
    assert_eq!(a.top, 3);
    let s = a.panes().sources.unwrap();
    a.on_mouse(&ev(
        MouseEventKind::Down(MouseButton::Left),
        s.x + 5,
        s.y + 5,
    ));
    assert_eq!(a.current, Some((1, 0)), "a click opens the entry");
}

#[test]
fn positions_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("positions.json");
    let new_app = || {
        let (store, w) = PositionStore::open(Some(path.clone()));
        assert!(w.is_none());
        let config = Config::defaults();
        let mut a = App::new(config.clone(), Theme::new(config.theme), store);
        a.size = (120, 30);
        for d in qari::tui::sample_documents() {
            a.add_document(d);
        }
        a
    };
    let mut a = new_app();
    type_str(&mut a, "]12j");
    let top_text = a.layout.as_ref().unwrap().line_source(a.top);
    a.positions.save().unwrap();
    let mut b = new_app();
    type_str(&mut b, "]");
    assert_eq!(b.layout.as_ref().unwrap().line_source(b.top), top_text);
    assert!(b.progress(1, 0).unwrap() > 0.0);
    assert!(b.progress(2, 0).is_none(), "never opened");
}

#[test]
fn mentions_of_an_entity_are_walked_across_sources() {
    let mut a = app();
    assert!(!a.corpus.is_empty(), "the seeds name entities");
    key(&mut a, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(a.focus, Focus::Entities);
    // Select Blinken through the filter: named in sources 2 and 5.
    type_str(&mut a, "/");
    type_str(&mut a, "بلينكن");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let e = a.selected_entity().expect("Blinken is an entity").clone();
    let docs: Vec<usize> = a.mentions.iter().map(|h| h.doc).collect();
    assert!(docs.contains(&1) && docs.contains(&4), "{docs:?}");
    assert_eq!(a.mentions.len(), e.mention_count);
    // Enter in the panel goes to the first mention ahead; `.` on into the next source.
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let first = a.current.unwrap().0;
    assert_eq!(first, 1);
    for _ in 0..a.mentions.len() {
        type_str(&mut a, ".");
    }
    assert!(a.message.as_ref().unwrap().0.contains("wrapped"));
    let mut seen: Vec<usize> = Vec::new();
    for _ in 0..a.mentions.len() {
        type_str(&mut a, ".");
        seen.push(a.current.unwrap().0);
        // The mention is on screen and marked as the selected entity's.
        assert!(a.selected_in_current().is_some());
    }
    assert!(seen.contains(&1) && seen.contains(&4), "{seen:?}");
    type_str(&mut a, ",");
    assert!(a.mention_current.is_some());
}

/// The panel counts every mention; those in hidden boilerplate cannot be jumped to, and
/// the message says so until `v` shows them.
#[test]
fn mentions_in_hidden_boilerplate_are_counted_and_named() {
    let mut a = app();
    assert!(!a.show_boilerplate);
    key(&mut a, KeyCode::BackTab, KeyModifiers::SHIFT);
    type_str(&mut a, "/");
    type_str(&mut a, "بايدن");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let e = a.selected_entity().expect("Biden is an entity").clone();
    let hidden = a.mentions_hidden;
    assert!(hidden > 0, "the seeds' related-article lists name Biden");
    assert_eq!(a.mentions.len() + hidden, e.mention_count);
    type_str(&mut a, ".");
    let msg = a.message.as_ref().unwrap().0.clone();
    assert!(
        msg.contains(&format!("of {}", a.mentions.len()))
            && msg.contains(&format!("{hidden} more in hidden boilerplate")),
        "{msg}"
    );
    // With boilerplate shown, every mention the panel counts is reachable.
    type_str(&mut a, "v");
    assert!(a.show_boilerplate);
    assert_eq!(a.mentions_hidden, 0);
    assert_eq!(a.mentions.len(), e.mention_count);
    type_str(&mut a, ".");
    let msg = a.message.as_ref().unwrap().0.clone();
    assert!(!msg.contains("hidden"), "{msg}");
}

/// A coverage cell whose mentions are all in hidden boilerplate says so on Enter, and
/// the mention jumps say how many they cannot reach.
#[test]
fn a_coverage_cell_of_hidden_mentions_says_so() {
    use qari::source::{Document, LoadOptions};
    let body = "قال الممثل الأعلى للسياسة الخارجية جوزيب بوريل في بروكسل إن الاتحاد الأوروبي يرحب بالقمة.\n\nوأضاف بوريل أن الحوار ضروري.\n";
    let other = "عقدت القمة في جنيف وسط اهتمام واسع من الصحافة الدولية.\n\nاقرأ أيضا: جوزيب بوريل يرحب بالقمة\n";
    let opts = LoadOptions::default();
    let mut a = App::new(
        Config::defaults(),
        Theme::new(Config::defaults().theme),
        PositionStore::open(None).0,
    );
    a.on_resize(120, 30);
    for (name, text) in [("a.txt", body), ("b.txt", other)] {
        a.add_document(Document::from_bytes(name, text.as_bytes(), &opts).unwrap());
    }
    let row = a
        .entity_list()
        .iter()
        .position(|&c| a.corpus[c].canonical.contains("بوريل"))
        .expect("Borrell is an entity");
    let c = a.entity_list()[row];
    assert!(
        a.corpus[c].mentions_in(1) > 0,
        "the read-also line names him"
    );
    type_str(&mut a, "c");
    key(&mut a, KeyCode::Home, KeyModifiers::NONE);
    for _ in 0..row {
        key(&mut a, KeyCode::Down, KeyModifiers::NONE);
    }
    key(&mut a, KeyCode::Right, KeyModifiers::NONE);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let msg = a.message.as_ref().unwrap().0.clone();
    assert!(msg.contains("only in hidden boilerplate"), "{msg}");
    assert!(a.mentions.iter().all(|h| h.doc == 0));
    type_str(&mut a, ".");
    let msg = a.message.as_ref().unwrap().0.clone();
    assert!(msg.contains("more in hidden boilerplate"), "{msg}");
}

#[test]
fn coverage_jumps_to_an_entity_in_a_source() {
    let mut a = app();
    type_str(&mut a, "c");
    assert!(a.coverage.is_some());
    // Row 0 is the most named person; move to source 3 and jump.
    key(&mut a, KeyCode::Home, KeyModifiers::NONE);
    for _ in 0..2 {
        key(&mut a, KeyCode::Right, KeyModifiers::NONE);
    }
    let top = a.entity_list()[0];
    let expect = a.corpus[top].mentions_in(2);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert!(a.coverage.is_none());
    if expect > 0 {
        assert_eq!(a.current.unwrap().0, 2);
        assert!(a.selected_in_current().is_some());
    } else {
        assert!(a.message.as_ref().unwrap().0.contains("does not name"));
    }
    // The counts agree with the per-article entities.
    for ce in &a.corpus {
        let per_doc: usize = (0..a.docs.len()).map(|d| ce.mentions_in(d)).sum();
        assert_eq!(per_doc, ce.mention_count);
        for o in &ce.occurrences {
            let plain = a.entities(o.document());
            let ent = &plain[o.article()].entities[o.entity()];
            assert_eq!(ent.mentions.len(), o.mentions as usize);
            assert!(!ent.key.is_empty());
        }
    }
}

#[test]
fn in_one_pane_a_jump_to_a_mention_opens_the_article_there() {
    let mut a = sample_app(Config::defaults(), (60, 30));
    assert!(a.single_pane());
    key(&mut a, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(a.focus, Focus::Entities);
    type_str(&mut a, "/");
    type_str(&mut a, "بلينكن");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    for _ in 0..3 {
        type_str(&mut a, ".");
        let hit = a.mentions[a.mention_current.unwrap()].clone();
        // Back to the article: the mention is on screen.
        key(&mut a, KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(a.focus, Focus::Article);
        let l = a.layout.as_ref().unwrap();
        let line = l.line_for_offset(hit.range.start);
        let h = a.panes().article_text.unwrap().height as usize;
        assert!(
            line >= a.top && line < a.top + h,
            "line {line}, top {}",
            a.top
        );
        key(&mut a, KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(a.focus, Focus::Entities);
    }
}

#[test]
fn toggling_boilerplate_keeps_the_current_match() {
    let mut a = app();
    type_str(&mut a, "/");
    type_str(&mut a, "أوكرانيا");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    type_str(&mut a, "nnn");
    let before = a.search.hits[a.search.current.unwrap()].clone();
    type_str(&mut a, "v");
    let after = a.search.hits[a.search.current.unwrap()].clone();
    assert_eq!(before, after);
    type_str(&mut a, "v");
    assert_eq!(a.search.hits[a.search.current.unwrap()], before);
}

#[test]
fn ctrl_c_quits_from_the_coverage_and_the_filter() {
    let mut a = app();
    type_str(&mut a, "c");
    assert_eq!(
        key(&mut a, KeyCode::Char('c'), KeyModifiers::CONTROL),
        vec![Effect::Quit]
    );
    let mut b = app();
    key(&mut b, KeyCode::BackTab, KeyModifiers::SHIFT);
    type_str(&mut b, "/x");
    assert_eq!(
        key(&mut b, KeyCode::Char('c'), KeyModifiers::CONTROL),
        vec![Effect::Quit]
    );
}

#[test]
fn esc_then_a_key_typed_fast_leaves_the_prompt_and_runs_the_key() {
    let mut a = app();
    type_str(&mut a, "/ab");
    // What a terminal sends for Esc q typed quickly.
    let effects = key(&mut a, KeyCode::Char('q'), KeyModifiers::ALT);
    assert!(a.prompt.is_none());
    assert_eq!(effects, vec![Effect::Quit]);
}

#[test]
fn disguised_text_is_flagged_and_can_be_revealed() {
    use qari::source::{Document, LoadOptions};
    let text =
        "عنوان\n\naccess_level = \"user\u{202E} \u{2066}// Check if admin\u{2069} \u{2066}\" ;\n";
    let doc = Document::from_bytes("trojan.txt", text.as_bytes(), &LoadOptions::default()).unwrap();
    let config = Config::defaults();
    let (store, _) = PositionStore::open(None);
    let mut a = App::new(config.clone(), Theme::new(config.theme), store);
    a.size = (100, 20);
    a.add_document(doc);
    let l = a.layout.as_ref().unwrap();
    assert!(
        l.bidi_suspicious && l.bidi_controls == 4,
        "{} {}",
        l.bidi_controls,
        l.bidi_suspicious
    );
    let rendered = |a: &App| {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 20)).unwrap();
        t.draw(|f| qari::tui::view::draw(a, f)).unwrap();
        t.backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol().to_string())
            .collect::<String>()
    };
    let hidden = rendered(&a);
    assert!(
        hidden.contains("⚠ 4 bidi controls"),
        "flag in the status bar"
    );
    type_str(&mut a, "R");
    assert!(a.layout.as_ref().unwrap().key.reveal);
    let shown = rendered(&a);
    assert!(shown.chars().count() > 0);
    // The markers qari uses for format characters appear only when revealed.
    let markers = |s: &str| s.chars().filter(|c| "⋖⦅⦁".contains(*c)).count();
    assert!(markers(&shown) > markers(&hidden), "no markers appeared");
}

#[test]
fn a_search_over_a_large_corpus_runs_in_slices_and_keys_still_work() {
    let mut a = app();
    // As if the corpus were large: no search while typing, a job on Enter.
    a.search_sync_limit = 1;
    type_str(&mut a, "/بوتين");
    assert!(a.search.hits.is_empty(), "nothing searched while typing");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert!(a.search_job.is_some());
    assert_eq!(a.search_progress().map(|p| p.0), Some(0));
    // Keys work while it runs; n says it is still searching.
    type_str(&mut a, "j");
    assert_eq!(a.top, 1);
    type_str(&mut a, "n");
    assert!(a.message.as_ref().unwrap().0.contains("still searching"));
    // One document per slice with a zero budget.
    let mut slices = 0;
    while a.tick(std::time::Duration::ZERO) {
        slices += 1;
        assert!(slices < 100);
    }
    assert!(slices >= a.docs.len() - 1, "{slices} slices");
    assert!(a.search_job.is_none());
    // The same matches as a search done at once, and it went to the first one.
    let n = a.search.hits.len();
    let mut b = app();
    type_str(&mut b, "/بوتين");
    key(&mut b, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(n, b.search.hits.len());
    assert!(n > 10);
    assert!(a.search.current.is_some());
    // Esc stops a search that is running.
    type_str(&mut a, "/جنيف");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert!(a.search_job.is_some());
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(a.search_job.is_none());
}

#[test]
fn odd_unicode_at_every_small_size_never_panics_nor_overflows() {
    use qari::source::{Document, LoadOptions};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    let odd = [
        "\u{0651}\u{0651}\u{0651} lone marks first",
        &"\u{064E}".repeat(500),
        &format!("ب{}", "\u{0651}\u{064B}".repeat(300)),
        "\u{2060}\u{180E}\u{3164}\u{115F}\u{FFA0}\u{034F}\u{E0001}\u{FE00}",
        "\u{0378}\u{E000}\u{F0000}\u{FDD0}\u{FFFE}\u{10FFFF}\u{FFFD}",
        &"ب".repeat(5000),
        &"漢".repeat(700),
        &"👨\u{200D}👩\u{200D}👧".repeat(100),
        "\u{202E}تحذير\u{202C} \u{2067}open isolate",
        "\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{9b}31m\u{7f}\u{8}",
    ];
    let mut a = App::new(
        Config::defaults(),
        Theme::new(Config::defaults().theme),
        PositionStore::open(None).0,
    );
    for (i, t) in odd.iter().enumerate() {
        let body = format!("{t}\n\n{t} نص عربي بعده\n");
        a.add_document(
            Document::from_bytes(
                format!("odd{i}.txt"),
                body.as_bytes(),
                &LoadOptions::default(),
            )
            .unwrap(),
        );
    }
    // UTF-16 with a lone surrogate decodes (to U+FFFD) instead of failing.
    let mut utf16 = vec![0xFF, 0xFE];
    let words = "قبل القمة وبعدها ".repeat(30);
    for u in words
        .encode_utf16()
        .chain([0xD800])
        .chain(words.encode_utf16())
    {
        utf16.extend(u.to_le_bytes());
    }
    let d = Document::from_bytes("surrogate.txt", &utf16, &LoadOptions::default()).unwrap();
    assert!(d.text.contains('\u{FFFD}'), "{:?}", d.text);
    assert!(d
        .warnings
        .iter()
        .any(|w| w.to_string().contains("shown as")));
    a.add_document(d);
    let sizes = [
        (1, 1),
        (2, 2),
        (7, 3),
        (19, 4),
        (20, 5),
        (33, 7),
        (90, 12),
        (131, 9),
    ];
    for (w, h) in sizes {
        a.on_resize(w, h);
        for step in 0..a.docs.len() {
            a.update(Action::NextArticle, None);
            if step % 3 == 0 {
                a.update(Action::Annotate, None);
                for act in [
                    Action::CursorNextWord,
                    Action::CursorLeft,
                    Action::CursorDown,
                ] {
                    a.update(act, Some(3));
                }
            }
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| qari::tui::view::draw(&a, f)).unwrap();
            // Every cell the article draws fits its pane: a wide character never hangs
            // off the right edge (its continuation cell would be past the buffer).
            let buf = t.backend().buffer();
            for y in 0..h {
                let mut x = 0;
                while x < w {
                    let cw = unicode_width::UnicodeWidthStr::width(buf[(x, y)].symbol()).max(1);
                    assert!(
                        x as usize + cw <= w as usize,
                        "cell at {x},{y} overflows at {w}×{h}"
                    );
                    x += cw as u16;
                }
            }
        }
    }
}
