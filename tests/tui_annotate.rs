//! Annotation in the reader: the cursor, selection, labels, review of suggestions, undo
//! and redo, history, review status and export, driven by keys and the mouse without a
//! terminal, against a real SQLite store in a temporary directory.

use qari::annotate::store::Review;
use qari::annotate::{Annotation, Status};
use qari::source::{Document, LoadOptions};
use qari::tui::annotate::StoreAt;
use qari::tui::app::App;
use qari::tui::config::Config;
use qari::tui::sample_app;
use qari::tui::store::PositionStore;
use qari::tui::theme::Theme;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

fn app_with(dir: &tempfile::TempDir) -> App {
    let mut a = sample_app(Config::defaults(), (120, 30));
    a.use_store(StoreAt::Path(dir.path().join("annotations.db")));
    a
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(&KeyEvent::new(code, KeyModifiers::NONE));
}

fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        let mods = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        app.on_key(&KeyEvent::new(KeyCode::Char(c), mods));
    }
}

fn caret(a: &App) -> usize {
    a.cursor.expect("annotation mode").caret
}

fn doc(a: &App) -> usize {
    a.current.unwrap().0
}

fn text_of(a: &App, x: &Annotation) -> String {
    a.docs[doc(a)].text[x.start..x.end].to_string()
}

fn message(a: &App) -> String {
    a.message.as_ref().map(|m| m.0.clone()).unwrap_or_default()
}

fn count(a: &App, status: Status) -> usize {
    (0..a.docs.len())
        .map(|d| {
            a.annotations_of(d)
                .iter()
                .filter(|x| x.status == status)
                .count()
        })
        .sum()
}

#[test]
fn words_and_characters_move_in_reading_order_arrows_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_with(&dir);
    type_str(&mut a, "i");
    let start = caret(&a);
    let text = a.docs[doc(&a)].text.clone();
    // The title is Arabic: `w` goes on in the text, `b` comes back.
    type_str(&mut a, "w");
    let second_word = caret(&a);
    assert!(second_word > start);
    assert!(text[start..second_word]
        .trim_end()
        .chars()
        .all(|c| !c.is_whitespace()));
    type_str(&mut a, "b");
    assert_eq!(caret(&a), start);
    // `l` and `h` are one character on in reading order.
    type_str(&mut a, "l");
    assert_eq!(
        caret(&a),
        start + text[start..].chars().next().unwrap().len_utf8()
    );
    type_str(&mut a, "h");
    assert_eq!(caret(&a), start);
    // In a right-to-left row, ← reads on and → goes back.
    key(&mut a, KeyCode::Left);
    assert!(caret(&a) > start, "← in Arabic text goes forward");
    key(&mut a, KeyCode::Right);
    assert_eq!(caret(&a), start);
    // `j` goes down a line, `k` back to the same line.
    let line_of = |a: &App| a.layout.as_ref().unwrap().line_for_offset(caret(a));
    let l0 = line_of(&a);
    type_str(&mut a, "j");
    assert!(line_of(&a) > l0);
    type_str(&mut a, "k");
    assert_eq!(line_of(&a), l0);
}

#[test]
fn arrows_follow_a_left_to_right_paragraph_too() {
    let mut a = App::new(
        Config::defaults(),
        Theme::new(Config::defaults().theme),
        PositionStore::open(None).0,
    );
    a.tag_entities = false;
    a.size = (100, 20);
    let d = Document::from_bytes(
        "en.txt",
        b"Geneva summit\n\nThe two presidents met in Geneva on Wednesday.\n",
        &LoadOptions::default(),
    )
    .unwrap();
    a.add_document(d);
    a.on_resize(100, 20);
    type_str(&mut a, "i");
    let start = caret(&a);
    key(&mut a, KeyCode::Right);
    assert!(caret(&a) > start, "→ in English text goes forward");
    key(&mut a, KeyCode::Left);
    assert_eq!(caret(&a), start);
    // Past the right end of the title row: onto the next text row.
    let title_len = "Geneva summit".len();
    for _ in 0..title_len + 2 {
        key(&mut a, KeyCode::Right);
    }
    assert!(
        caret(&a) > title_len,
        "went on to the paragraph: {}",
        caret(&a)
    );
}

#[test]
fn a_selection_by_words_is_labelled_and_kept_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_with(&dir);
    type_str(&mut a, "iv");
    type_str(&mut a, "w");
    let sel = a.selection().expect("a selection");
    let text = a.docs[doc(&a)].text.clone();
    let words: Vec<&str> = text[sel.clone()].split_whitespace().collect();
    assert_eq!(words.len(), 2, "two whole words: {:?}", &text[sel.clone()]);
    // Shrinks back by a word.
    type_str(&mut a, "b");
    let one = a.selection().unwrap();
    assert_eq!(text[one.clone()].split_whitespace().count(), 1);
    type_str(&mut a, "w1");
    assert!(message(&a).contains("PER"), "{}", message(&a));
    assert!(a.selection().is_none(), "labelling drops the selection");
    let saved: Vec<&Annotation> = a
        .annotations_of(doc(&a))
        .iter()
        .filter(|x| x.status == Status::Confirmed)
        .collect();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].label, "PER");
    assert_eq!((saved[0].start, saved[0].end), (sel.start, sel.end));
    assert_eq!(a.review_of(0, 0), Review::InProgress);
    drop(a);

    // Another run on the same store finds it.
    let a = app_with(&dir);
    let again: Vec<&Annotation> = a
        .annotations_of(0)
        .iter()
        .filter(|x| x.status == Status::Confirmed)
        .collect();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].start, again[0].end), (sel.start, sel.end));
}

#[test]
fn accept_reject_and_every_mention_at_once_undone_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_with(&dir);
    let suggested = count(&a, Status::Suggested);
    assert!(suggested > 50, "the tagger's mentions are suggestions");
    type_str(&mut a, "}");
    let x = a.at_caret().cloned().expect("on a suggestion");
    assert_eq!(x.status, Status::Suggested);
    type_str(&mut a, "y");
    assert_eq!(a.at_caret().unwrap().status, Status::Confirmed);
    assert_eq!(count(&a, Status::Confirmed), 1);
    type_str(&mut a, "}x");
    assert_eq!(a.at_caret().unwrap().status, Status::Rejected);
    assert_eq!(count(&a, Status::Rejected), 1);

    // Every mention of the next suggestion's entity, in every source.
    type_str(&mut a, "}");
    let target = a.at_caret().cloned().unwrap();
    let surface = text_of(&a, &target);
    type_str(&mut a, "Y");
    let accepted = count(&a, Status::Confirmed) - 1;
    assert!(accepted >= 2, "{} accepted of «{surface}»", accepted);
    let sources: std::collections::HashSet<usize> = (0..a.docs.len())
        .filter(|&d| {
            a.annotations_of(d)
                .iter()
                .any(|x| x.status == Status::Confirmed && x.label == target.label)
        })
        .collect();
    assert!(sources.len() >= 2, "across sources: {sources:?}");
    assert!(message(&a).contains("u undoes all"), "{}", message(&a));

    type_str(&mut a, "u");
    assert_eq!(
        count(&a, Status::Confirmed),
        1,
        "one undo takes back the batch"
    );
    assert!(message(&a).starts_with("undid"), "{}", message(&a));
    type_str(&mut a, "U");
    assert_eq!(count(&a, Status::Confirmed), 1 + accepted);
    type_str(&mut a, "uuu");
    assert_eq!(count(&a, Status::Confirmed), 0);
    assert_eq!(count(&a, Status::Rejected), 0);
    assert_eq!(count(&a, Status::Suggested), suggested);

    // The history shows what was done and what is undone.
    type_str(&mut a, "H");
    let lines = a.history_lines();
    assert!(lines.len() >= 3, "{lines:?}");
    assert!(lines.iter().all(|(_, undone)| *undone), "{lines:?}");
    assert!(
        lines.iter().any(|(l, _)| l.contains("[batch]")),
        "{lines:?}"
    );
    key(&mut a, KeyCode::Esc);
    assert!(a.history.is_none());
}

#[test]
fn relabel_delete_and_reject_by_deleting_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_with(&dir);
    type_str(&mut a, "}");
    let x = a.at_caret().cloned().unwrap();
    let new_label = if x.label == "LOC" { "ORG" } else { "LOC" };
    let k = if new_label == "LOC" { "2" } else { "3" };
    type_str(&mut a, k);
    let now = a.at_caret().cloned().unwrap();
    assert_eq!(
        (now.label.as_str(), now.status),
        (new_label, Status::Confirmed)
    );
    assert_eq!((now.start, now.end), (x.start, x.end));
    type_str(&mut a, "d");
    // The deleted annotation is gone and the tagger's suggestion shows again.
    let back = a.at_caret().cloned().unwrap();
    assert_eq!(back.status, Status::Suggested);
    // Deleting a suggestion rejects it, so it does not come back.
    type_str(&mut a, "d");
    assert_eq!(a.at_caret().unwrap().status, Status::Rejected);
}

#[test]
fn wikidata_ids_and_notes_are_checked_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_with(&dir);
    type_str(&mut a, "}W");
    assert!(a.prompt.is_some());
    type_str(&mut a, "abc");
    key(&mut a, KeyCode::Enter);
    assert!(message(&a).contains("not a Wikidata id"), "{}", message(&a));
    assert_eq!(a.at_caret().unwrap().status, Status::Suggested);
    type_str(&mut a, "W");
    // The prompt starts with the gazetteer's id, if any: clear it.
    a.on_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    type_str(&mut a, "q42");
    key(&mut a, KeyCode::Enter);
    let x = a.at_caret().cloned().unwrap();
    assert_eq!(x.wikidata.as_deref(), Some("Q42"));
    assert_eq!(
        x.status,
        Status::Confirmed,
        "editing a suggestion accepts it"
    );
    type_str(&mut a, "C");
    type_str(&mut a, "ملاحظة: check the spelling");
    key(&mut a, KeyCode::Enter);
    assert_eq!(
        a.at_caret().unwrap().note.as_deref(),
        Some("ملاحظة: check the spelling")
    );
    // Esc leaves a field prompt without a change.
    type_str(&mut a, "C");
    type_str(&mut a, "x");
    key(&mut a, KeyCode::Esc);
    assert_eq!(
        a.at_caret().unwrap().note.as_deref(),
        Some("ملاحظة: check the spelling")
    );
}

#[test]
fn next_unreviewed_crosses_articles_and_done_marks_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_with(&dir);
    let first = a.current.unwrap();
    let mut moved = false;
    for _ in 0..400 {
        type_str(&mut a, "}");
        if a.current.unwrap() != first {
            moved = true;
            break;
        }
    }
    assert!(moved, "}} went on into the next article");
    assert_eq!(a.at_caret().unwrap().status, Status::Suggested);
    let (d, art) = a.current.unwrap();
    assert_eq!(a.review_of(d, art), Review::Unreviewed);
    type_str(&mut a, "D");
    assert_eq!(a.review_of(d, art), Review::Done);
    assert!(message(&a).contains("left unreviewed"), "{}", message(&a));
    type_str(&mut a, "D");
    assert_eq!(a.review_of(d, art), Review::InProgress);
    // `{` goes back into the first article.
    for _ in 0..2 {
        type_str(&mut a, "{");
    }
    assert_eq!(a.current.unwrap(), first);
}

#[test]
fn esc_drops_the_selection_then_leaves_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_with(&dir);
    type_str(&mut a, "ivw");
    assert!(a.selection().is_some());
    key(&mut a, KeyCode::Esc);
    assert!(a.selection().is_none());
    assert!(a.annotating());
    key(&mut a, KeyCode::Esc);
    assert!(!a.annotating());
    // Out of the mode, the keys read again: j scrolls.
    type_str(&mut a, "j");
    assert_eq!(a.top, 1);
}

#[test]
fn a_mouse_drag_selects_and_a_click_places_the_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app_with(&dir);
    let r = a.panes().article_text.unwrap();
    let mouse = |a: &mut App, kind, x, y| {
        a.on_mouse(&MouseEvent {
            kind,
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    // A line of body text, right-aligned: drag over its last ten cells.
    let y = r.y + 4;
    let (x1, x2) = (r.right() - 2, r.right() - 12);
    mouse(&mut a, MouseEventKind::Down(MouseButton::Left), x1, y);
    assert!(a.annotating(), "a click in the article starts annotating");
    mouse(&mut a, MouseEventKind::Drag(MouseButton::Left), x2, y);
    mouse(&mut a, MouseEventKind::Up(MouseButton::Left), x2, y);
    let sel = a.selection().expect("dragged");
    let text = a.docs[doc(&a)].text.clone();
    let chosen = text[sel.clone()].to_string();
    assert!(chosen.chars().count() >= 8, "{chosen:?}");
    type_str(&mut a, "4");
    let saved = a
        .annotations_of(doc(&a))
        .iter()
        .find(|x| x.status == Status::Confirmed)
        .cloned()
        .unwrap();
    assert_eq!(saved.label, "MISC");
    // Trimmed of the spaces at its ends.
    assert_eq!(text_of(&a, &saved), chosen.trim());
    // A click without a drag leaves no selection.
    mouse(&mut a, MouseEventKind::Down(MouseButton::Left), x1, y + 1);
    mouse(&mut a, MouseEventKind::Up(MouseButton::Left), x1, y + 1);
    assert!(a.selection().is_none());
}

#[test]
fn the_export_key_writes_brat_files_with_code_point_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::defaults();
    config.export_dir = dir.path().join("out");
    let mut a = sample_app(config, (120, 30));
    a.use_store(StoreAt::Path(dir.path().join("annotations.db")));
    type_str(&mut a, "}y");
    let x = a.at_caret().cloned().unwrap();
    let surface = text_of(&a, &x);
    type_str(&mut a, "E");
    assert!(message(&a).starts_with("exported to"), "{}", message(&a));
    assert!(message(&a).contains(".ann") || message(&a).contains(".txt"));
    let name = a.docs[doc(&a)]
        .path
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let ann = std::fs::read_to_string(dir.path().join("out").join(format!("{name}.ann"))).unwrap();
    let txt = std::fs::read_to_string(dir.path().join("out").join(format!("{name}.txt"))).unwrap();
    let lines: Vec<&str> = ann.lines().filter(|l| l.starts_with('T')).collect();
    assert_eq!(lines.len(), 1, "only the confirmed one: {ann}");
    let f: Vec<&str> = lines[0].split('\t').collect();
    let parts: Vec<&str> = f[1].split(' ').collect();
    assert_eq!(parts[0], x.label);
    let (s, e): (usize, usize) = (parts[1].parse().unwrap(), parts[2].parse().unwrap());
    let chars: Vec<char> = txt.chars().collect();
    assert_eq!(chars[s..e].iter().collect::<String>(), surface);
    assert_eq!(f[2], surface);
}

#[test]
fn a_store_that_cannot_be_written_changes_nothing_on_screen() {
    let mut a = sample_app(Config::defaults(), (120, 30));
    a.use_store(StoreAt::Path("/nonexistent-dir/qari/annotations.db".into()));
    let before = a.annotations_of(0).to_vec();
    type_str(&mut a, "}y");
    assert!(message(&a).contains("not saved"), "{}", message(&a));
    assert!(message(&a).contains("/nonexistent-dir"), "{}", message(&a));
    assert_eq!(a.annotations_of(0), before.as_slice());
    assert_eq!(a.at_caret().unwrap().status, Status::Suggested);
}

#[test]
fn two_readers_on_one_store_keep_each_others_edits() {
    let dir = tempfile::tempdir().unwrap();
    let mut one = app_with(&dir);
    let mut two = app_with(&dir);
    type_str(&mut one, "}y");
    type_str(&mut two, "}}y");
    drop(one);
    drop(two);
    let a = app_with(&dir);
    assert_eq!(count(&a, Status::Confirmed), 2);
}

#[test]
fn annotations_whose_text_is_gone_are_shown_as_orphaned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("news.txt");
    let original = "قمة جنيف\n\nالتقى بايدن وبوتين في جنيف يوم الأربعاء.\n";
    std::fs::write(&path, original).unwrap();
    let load = |a: &mut App| {
        let d = Document::from_bytes(
            &path,
            &std::fs::read(&path).unwrap(),
            &LoadOptions::default(),
        )
        .unwrap();
        a.add_document(d);
        a.on_resize(100, 20);
    };
    let new_app = || {
        let mut a = App::new(
            Config::defaults(),
            Theme::new(Config::defaults().theme),
            PositionStore::open(None).0,
        );
        a.tag_entities = false;
        a.size = (100, 20);
        a.use_store(StoreAt::Path(dir.path().join("annotations.db")));
        a
    };
    let mut a = new_app();
    load(&mut a);
    // Label the word بايدن (the paragraph's second word).
    type_str(&mut a, "ijw");
    assert!(a.selection().is_none());
    type_str(&mut a, "1");
    let saved = a.annotations_of(0).to_vec();
    assert_eq!(saved.len(), 1);
    assert_eq!(text_of(&a, &saved[0]), "بايدن");
    drop(a);

    // The file changes: the name is gone.
    std::fs::write(&path, original.replace("بايدن", "الرئيس الأمريكي")).unwrap();
    let mut a = new_app();
    load(&mut a);
    assert!(a.annotations_of(0).is_empty());
    assert_eq!(a.ann.docs[0].orphaned.len(), 1);
    type_str(&mut a, "H");
    let lines = a.history_lines();
    assert!(lines[0].0.contains("1 orphaned annotation"), "{lines:?}");
    assert!(lines[1].0.contains("بايدن"), "{lines:?}");
}

#[test]
fn parts_of_a_large_file_keep_their_annotations_apart() {
    use qari::source::{list_paths, load_each, LoadEvent};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    let para = "التقى بايدن وبوتين في جنيف يوم الأربعاء في قمة طال انتظارها.\n\n";
    std::fs::write(&path, para.repeat(300)).unwrap();
    let opts = LoadOptions {
        part_bytes: Some(8 << 10),
        ..LoadOptions::default()
    };
    let (entries, _) = list_paths(&[path]);
    let mut docs = Vec::new();
    load_each(&entries, &opts, |ev| {
        if let LoadEvent::Loaded { document, .. } = ev {
            docs.push(*document);
        }
        std::ops::ControlFlow::Continue(())
    });
    assert!(docs.len() >= 3);
    let new_app = |docs: &[Document]| {
        let mut a = App::new(
            Config::defaults(),
            Theme::new(Config::defaults().theme),
            PositionStore::open(None).0,
        );
        a.tag_entities = false;
        a.size = (100, 20);
        a.use_store(StoreAt::Path(dir.path().join("annotations.db")));
        for d in docs {
            a.add_document(d.clone());
        }
        a.on_resize(100, 20);
        a
    };
    let mut a = new_app(&docs);
    let keys: std::collections::HashSet<&String> = a.ann.keys.iter().collect();
    assert_eq!(keys.len(), docs.len(), "one store key per part");
    assert!(a.ann.keys[1].ends_with("#part2"));
    // Label the first word of part 2; parts 1 and 3 (same text) stay without it.
    a.open(1, 0);
    type_str(&mut a, "i1");
    let confirmed = |a: &App, d: usize| {
        a.annotations_of(d)
            .iter()
            .filter(|x| x.status == Status::Confirmed)
            .count()
    };
    assert_eq!(
        (confirmed(&a, 0), confirmed(&a, 1), confirmed(&a, 2)),
        (0, 1, 0)
    );
    drop(a);
    let a = new_app(&docs);
    assert_eq!(
        (confirmed(&a, 0), confirmed(&a, 1), confirmed(&a, 2)),
        (0, 1, 0)
    );
}
