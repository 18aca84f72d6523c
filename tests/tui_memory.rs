//! Bounded memory in the reader: texts over the budget are dropped and read again from
//! their files when shown, searched, jumped to or annotated, and a file that changed on
//! disk in between is never shown in place of the text that was loaded.

use qari::source::{list_paths, load_each, Document, LoadEvent, LoadOptions};
use qari::tui::action::Action;
use qari::tui::annotate::StoreAt;
use qari::tui::app::{App, Focus};
use qari::tui::config::Config;
use qari::tui::store::PositionStore;
use qari::tui::theme::Theme;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const NAMES: [&str; 6] = ["جنيف", "موسكو", "واشنطن", "بروكسل", "القاهرة", "بغداد"];

/// `n` files of news-like text, each a little different, in `dir`.
fn corpus(dir: &std::path::Path, n: usize) -> Vec<std::path::PathBuf> {
    (0..n)
        .map(|i| {
            let place = NAMES[i % NAMES.len()];
            let mut text = format!("قمة في {place} رقم {i}\n\n");
            for k in 0..(3 + i % 4) {
                text.push_str(&format!(
                    "قال الرئيس الروسي فلاديمير بوتين في {place} إن المحادثات مع الرئيس الأمريكي جو بايدن كانت بناءة، وأضاف أن الفقرة {k} من الملف {i} تهم وزارة الخارجية.\n\n"
                ));
            }
            let path = dir.join(format!("{i:03}.txt"));
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

fn load(dir: &std::path::Path) -> Vec<Document> {
    let (entries, errors) = list_paths(&[dir.to_owned()]);
    assert!(errors.is_empty());
    let mut docs = Vec::new();
    load_each(&entries, &LoadOptions::default(), |ev| {
        if let LoadEvent::Loaded { document, .. } = ev {
            docs.push(*document);
        }
        std::ops::ControlFlow::Continue(())
    });
    docs
}

fn app(docs: Vec<Document>) -> App {
    let mut a = App::new(
        Config::defaults(),
        Theme::new(Config::defaults().theme),
        PositionStore::open(None).0,
    );
    a.on_resize(120, 30);
    for d in docs {
        a.add_document(d);
    }
    a
}

fn message(a: &App) -> String {
    a.message.as_ref().map(|m| m.0.clone()).unwrap_or_default()
}

#[test]
fn texts_over_the_budget_are_dropped_and_read_again_when_needed() {
    let dir = tempfile::tempdir().unwrap();
    let paths = corpus(dir.path(), 40);
    let files: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let total: usize = files.iter().map(String::len).sum();
    let mut a = app(load(dir.path()));
    assert_eq!(a.docs.len(), 40);
    assert_eq!(
        a.resident_text(),
        total,
        "everything is in memory as it arrives"
    );

    a.text_budget = total / 10;
    let shown = a.docs[a.current.unwrap().0].text.len();
    assert!(a.evict_texts() > 0);
    assert!(
        a.resident_text() <= a.text_budget + shown,
        "{}",
        a.resident_text()
    );
    assert!(
        a.docs[a.current.unwrap().0].text.is_resident(),
        "the article shown stays"
    );

    // Search runs over every document, evicted or not, and keeps none of them.
    a.search_sync_limit = 0;
    a.update(Action::Search, None);
    for c in "بروكسل".chars() {
        a.on_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    a.on_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    while a.tick(std::time::Duration::from_millis(50)) {}
    let want: usize = files.iter().map(|f| f.matches("بروكسل").count()).sum();
    assert_eq!(a.search.hits.len(), want);
    for h in &a.search.hits {
        assert_eq!(&files[h.doc][h.range.clone()], "بروكسل");
    }
    assert!(a.resident_text() <= a.text_budget + 2 * shown);

    // Jumping through an entity's mentions across the sources reads each text again;
    // every mention lands on the same bytes as in its file.
    a.on_key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    let mut docs_seen = std::collections::BTreeSet::new();
    for _ in 0..60 {
        a.update(Action::NextMention, None);
        a.evict_texts();
        let i = a.mention_current.expect("a mention");
        let hit = a.mentions[i].clone();
        assert_eq!(a.current.unwrap().0, hit.doc);
        let doc = &a.docs[hit.doc];
        assert_eq!(
            &doc.text[hit.range.clone()],
            &files[hit.doc][hit.range.clone()]
        );
        assert!(!doc.text[hit.range.clone()].trim().is_empty());
        docs_seen.insert(hit.doc);
        assert!(a.resident_text() <= a.text_budget + 2 * shown);
    }
    assert!(docs_seen.len() > 5, "{docs_seen:?}");
    for (d, f) in files.iter().enumerate() {
        assert_eq!(a.docs[d].text.with(str::to_owned), *f);
    }
}

#[test]
fn a_file_changed_after_its_text_was_dropped_is_shown_blank_and_not_annotated() {
    let dir = tempfile::tempdir().unwrap();
    let paths = corpus(dir.path(), 3);
    let mut a = app(load(dir.path()));
    let db = dir.path().join("store").join("annotations.db");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    a.use_store(StoreAt::Path(db.clone()));
    a.text_budget = 0;
    a.evict_texts();
    assert!(!a.docs[2].text.is_resident());
    let len = a.docs[2].text.len();
    std::fs::write(&paths[2], "نص آخر تماما").unwrap();
    a.open(2, 0);
    assert!(message(&a).contains("changed on disk"), "{}", message(&a));
    assert!(message(&a).contains("002.txt"), "{}", message(&a));
    let text = a.docs[2].text.as_str();
    assert_eq!(text.len(), len);
    assert!(
        text.bytes().all(|b| b == b' '),
        "nothing of the new file is shown"
    );

    // There is nothing to annotate in it.
    a.focus = Focus::Article;
    a.update(Action::Annotate, None);
    assert!(a.cursor.is_none());
    assert!(
        message(&a).contains("no text to annotate"),
        "{}",
        message(&a)
    );

    // Accepting every mention of an entity, which would reach into the changed file too,
    // is refused as a whole, and the store gets nothing.
    a.open(0, 0);
    a.update(Action::Annotate, None);
    assert!(a.cursor.is_some());
    let on_putin = |a: &App| {
        a.at_caret()
            .is_some_and(|x| a.docs[0].text[x.start..x.end].contains("بوتين"))
    };
    for _ in 0..20 {
        if on_putin(&a) {
            break;
        }
        a.update(Action::NextUnreviewed, None);
    }
    assert!(on_putin(&a));
    let under = format!("{:?}", a.cursor);
    a.on_key(&KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT));
    assert!(
        message(&a).starts_with("not saved"),
        "{under}: {}",
        message(&a)
    );
    assert!(message(&a).contains("002.txt"), "{}", message(&a));
    if db.exists() {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM annotations", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
    // The other documents still read back as loaded.
    a.open(0, 0);
    assert_eq!(
        a.docs[0].text.as_str(),
        std::fs::read_to_string(&paths[0]).unwrap()
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Step {
        Open(usize),
        Budget(usize),
        NextMention,
        NextSource,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0usize..12).prop_map(Step::Open),
            (0usize..20_000).prop_map(Step::Budget),
            Just(Step::NextMention),
            Just(Step::NextSource),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever is opened, jumped to or evicted in whatever order: the article shown
        /// stays in memory, the held text stays within the budget (plus the article
        /// shown), and every document reads back as its file.
        #[test]
        fn evicting_never_changes_what_a_document_says(steps in prop::collection::vec(step(), 1..40)) {
            let dir = tempfile::tempdir().unwrap();
            let paths = corpus(dir.path(), 12);
            let files: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
            let mut a = app(load(dir.path()));
            for s in steps {
                match s {
                    Step::Open(d) => a.open(d, 0),
                    Step::Budget(b) => a.text_budget = b,
                    Step::NextMention => { a.update(Action::NextMention, None); }
                    Step::NextSource => { a.update(Action::NextSource, None); }
                }
                a.evict_texts();
                let (cur, _) = a.current.unwrap();
                prop_assert!(a.docs[cur].text.is_resident());
                let held = a.resident_text() - a.docs[cur].text.len();
                prop_assert!(held <= a.text_budget, "{held} > {}", a.text_budget);
                if let Some(layout) = &a.layout {
                    prop_assert!(!layout.is_empty());
                }
            }
            for (d, f) in files.iter().enumerate() {
                prop_assert_eq!(a.docs[d].text.with(str::to_owned), f.clone());
                prop_assert_eq!(a.docs[d].text.reload_error(), None);
            }
        }
    }
}
