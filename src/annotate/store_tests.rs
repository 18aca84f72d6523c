use super::*;

const TEXT: &str =
    "افتتح محمد صلاح أكاديميةً جديدة في القَاهِرَة 🇪🇬 بالتعاون مع جامعة الدول العربية 🎉 يوم الأحد.";

fn span(text: &str, needle: &str, label: &str) -> Annotation {
    let s = text.find(needle).unwrap();
    Annotation::new("", s, s + needle.len(), label)
}

fn doc(text: &str) -> Doc<'_> {
    Doc {
        path: "news/a.txt",
        text,
    }
}

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("annotations.db")).unwrap();
    (dir, store)
}

#[test]
fn round_trip_with_code_points_after_emoji() {
    let (dir, mut store) = fresh();
    let mut a = span(TEXT, "جامعة الدول العربية", "ORG");
    a.wikidata = Some("Q7172".into());
    a.note = Some("ملاحظة 🎉".into());
    let a = store.add(doc(TEXT), &a).unwrap();
    let b = store.add(doc(TEXT), &span(TEXT, "القَاهِرَة", "LOC")).unwrap();
    drop(store);
    let store = Store::open(dir.path().join("annotations.db")).unwrap();
    let stored = store.stored_for(doc(TEXT)).unwrap();
    let org = stored.iter().find(|s| s.id == a.id).unwrap();
    // Code points, as in the notes' example (UTF-16 would say 63..82).
    assert_eq!((org.start_cp, org.end_cp), (61, 80));
    let loc = stored.iter().find(|s| s.id == b.id).unwrap();
    assert_eq!((loc.start_cp, loc.end_cp), (35, 45));
    let got = store.annotations_for(doc(TEXT)).unwrap();
    assert!(got.orphaned.is_empty() && got.moved.is_empty());
    assert_eq!(got.live, vec![b.clone(), a.clone()]);
}

#[test]
fn reanchors_after_insertion_and_orphans_deleted_text() {
    let (_dir, mut store) = fresh();
    let org = store
        .add(doc(TEXT), &span(TEXT, "جامعة الدول العربية", "ORG"))
        .unwrap();
    let per = store
        .add(doc(TEXT), &span(TEXT, "محمد صلاح", "PER"))
        .unwrap();
    // Text inserted before both (with an emoji: code points shift by 3 + 1).
    let changed = format!("عاجل 🔴 {TEXT}");
    let got = store.annotations_for(doc(&changed)).unwrap();
    assert!(got.orphaned.is_empty());
    assert_eq!(got.moved.len(), 2);
    for a in &got.live {
        let want = if a.id == org.id {
            "جامعة الدول العربية"
        } else {
            "محمد صلاح"
        };
        assert_eq!(&changed[a.start..a.end], want);
    }
    // The annotated text deleted: orphaned, not dropped.
    let cut = TEXT.replace("جامعة الدول العربية", "الجامعة");
    let got = store.annotations_for(doc(&cut)).unwrap();
    assert_eq!(got.live.len(), 1);
    assert_eq!(got.live[0].id, per.id);
    assert_eq!(got.orphaned.len(), 1);
    assert_eq!(got.orphaned[0].id, org.id);
    assert_eq!(got.orphaned[0].exact, "جامعة الدول العربية");
}

#[test]
fn reanchors_to_the_occurrence_with_the_right_context() {
    let (_dir, mut store) = fresh();
    let text = "قال محمد إن محمد صلاح لعب. ثم غادر.";
    let s = text.find("محمد صلاح").unwrap();
    let a = store
        .add(doc(text), &Annotation::new("x", s, s + "محمد".len(), "PER"))
        .unwrap();
    let changed = format!("🎉🎉 {text}");
    let got = store.annotations_for(doc(&changed)).unwrap();
    let live = &got.live[0];
    assert_eq!(live.id, a.id);
    assert_eq!(live.start, changed.find("محمد صلاح").unwrap());
}

#[test]
fn status_update_delete_undo_redo_survive_restart() {
    let (dir, mut store) = fresh();
    let a = store
        .add(doc(TEXT), &span(TEXT, "محمد صلاح", "PER"))
        .unwrap();
    store.set_status(&a.id, Status::Rejected).unwrap();
    let mut moved = span(TEXT, "محمد", "PER");
    moved.id = a.id.clone();
    store.update(doc(TEXT), &moved).unwrap();
    store.delete(&a.id).unwrap();
    assert!(store.annotations_for(doc(TEXT)).unwrap().live.is_empty());
    drop(store);

    let mut store = Store::open(dir.path().join("annotations.db")).unwrap();
    let h = store.history("news/a.txt").unwrap();
    let ops: Vec<Op> = h.iter().map(|e| e.op).collect();
    assert_eq!(ops, [Op::Add, Op::Status, Op::Update, Op::Delete]);
    assert_eq!(store.undo("news/a.txt").unwrap().unwrap().op, Op::Delete);
    let live = store.annotations_for(doc(TEXT)).unwrap().live;
    assert_eq!(&TEXT[live[0].start..live[0].end], "محمد");
    assert_eq!(live[0].status, Status::Confirmed);
    store.undo("news/a.txt").unwrap();
    store.undo("news/a.txt").unwrap();
    let live = store.annotations_for(doc(TEXT)).unwrap().live;
    assert_eq!(live, vec![a.clone()]);
    drop(store);

    let mut store = Store::open(dir.path().join("annotations.db")).unwrap();
    assert_eq!(store.redo("news/a.txt").unwrap().unwrap().op, Op::Status);
    assert_eq!(
        store.annotations_for(doc(TEXT)).unwrap().live[0].status,
        Status::Rejected
    );
    store.undo("news/a.txt").unwrap();
    store.undo("news/a.txt").unwrap();
    assert!(store.annotations_for(doc(TEXT)).unwrap().live.is_empty());
    assert!(store.undo("news/a.txt").unwrap().is_none());
    // A new edit ends the redo stack.
    store.add(doc(TEXT), &span(TEXT, "القَاهِرَة", "LOC")).unwrap();
    assert!(store.redo("news/a.txt").unwrap().is_none());
    let h = store.history("news/a.txt").unwrap();
    assert_eq!(h.len(), 1);
    assert!(!h[0].undone);
}

#[test]
fn invalid_offsets_and_unknown_ids_are_refused() {
    let (_dir, mut store) = fresh();
    let bad = Annotation::new("", 1, 3, "PER"); // inside an Arabic letter
    let e = store.add(doc(TEXT), &bad).unwrap_err();
    assert!(matches!(e.problem, Problem::Invalid(_)), "{e}");
    let e = store.delete("nope").unwrap_err();
    assert_eq!(e.problem, Problem::NoSuchAnnotation("nope".into()));
    assert!(e.to_string().contains("annotations.db"), "{e}");
}

#[test]
fn two_handles_writing_concurrently_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annotations.db");
    Store::open(&path).unwrap();
    let handles: Vec<_> = (0..2)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                let d = Doc {
                    path: if t == 0 { "a.txt" } else { "b.txt" },
                    text: TEXT,
                };
                (0..40)
                    .map(|i| {
                        let a = Annotation::new(format!("t{t}-{i}"), 0, "افتتح".len(), "MISC");
                        store.add(d, &a).unwrap();
                        if i % 3 == 0 {
                            store.set_status(&a.id, Status::Suggested).unwrap();
                        }
                        a.id
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let ids: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let store = Store::open(&path).unwrap();
    let mut seen = Vec::new();
    for p in ["a.txt", "b.txt"] {
        let got = store
            .annotations_for(Doc {
                path: p,
                text: TEXT,
            })
            .unwrap();
        seen.extend(got.live.into_iter().map(|a| a.id));
    }
    seen.sort();
    let mut ids = ids;
    ids.sort();
    assert_eq!(seen, ids);
}

#[test]
fn garbage_file_is_not_a_qari_database_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annotations.db");
    let junk: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &junk).unwrap();
    let e = Store::open(&path).unwrap_err();
    assert_eq!(e.problem, Problem::NotQari, "{e}");
    assert!(e.to_string().contains("not a qari database"), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), junk);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no -wal/-shm left behind");
}

#[test]
fn another_sqlite_database_is_not_a_qari_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let c = Connection::open(&path).unwrap();
    c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(c);
    let before = std::fs::read(&path).unwrap();
    let e = Store::open(&path).unwrap_err();
    assert_eq!(e.problem, Problem::NotQari, "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn damaged_database_is_reported_and_left_untouched() {
    let (dir, mut store) = fresh();
    for i in 0..200 {
        store
            .add(
                doc(TEXT),
                &Annotation::new(format!("n{i}"), 0, "افتتح".len(), "MISC"),
            )
            .unwrap();
    }
    drop(store);
    let path = dir.path().join("annotations.db");
    let mut bytes = std::fs::read(&path).unwrap();
    // Keep the header (so it is still recognisably SQLite), trash the pages after it.
    for b in bytes.iter_mut().skip(4096 + 200) {
        *b = 0x5a;
    }
    std::fs::write(&path, &bytes).unwrap();
    let e = Store::open(&path).unwrap_err();
    assert!(
        matches!(e.problem, Problem::Damaged(_) | Problem::NotQari),
        "{e}"
    );
    assert!(e.to_string().contains("annotations.db"), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annotations.db");
    drop(Store::open(&path).unwrap());
    let c = Connection::open(&path).unwrap();
    c.pragma_update(None, "user_version", 9).unwrap();
    drop(c);
    let e = Store::open(&path).unwrap_err();
    assert_eq!(e.problem, Problem::TooNew(9), "{e}");
}

#[test]
fn missing_directory_and_read_only_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let e = Store::open(dir.path().join("nope/annotations.db")).unwrap_err();
    assert!(e.to_string().contains("does not exist"), "{e}");

    // A store opened read-only by SQLite (what a read-only file, directory or disk gives).
    let path = dir.path().join("annotations.db");
    drop(Store::open(&path).unwrap());
    let c = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let e = Store::init(c, &path).unwrap_err();
    assert_eq!(e.problem, Problem::ReadOnly, "{e}");
    assert!(e.to_string().contains("read-only"), "{e}");

    // A write-protected file, unless we are root (root writes anyway).
    use std::os::unix::fs::PermissionsExt;
    let mut store = Store::open(&path).unwrap();
    let a = store
        .add(doc(TEXT), &span(TEXT, "محمد صلاح", "PER"))
        .unwrap();
    drop(store);
    let ro = std::fs::Permissions::from_mode(0o444);
    std::fs::set_permissions(&path, ro).unwrap();
    if std::fs::OpenOptions::new().write(true).open(&path).is_ok() {
        eprintln!("running as root: the write-protected file check is skipped");
    } else {
        let e = Store::open(&path).unwrap_err();
        assert_eq!(e.problem, Problem::ReadOnly, "{e}");
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.annotations_for(doc(TEXT)).unwrap().live, vec![a]);
}

#[test]
fn a_batch_spans_documents_and_is_undone_and_redone_as_one() {
    let (_dir, mut store) = fresh();
    let other = "وقال محمد صلاح إن الفريق جاهز.";
    let d2 = Doc {
        path: "news/b.txt",
        text: other,
    };
    let single = store.add(doc(TEXT), &span(TEXT, "القَاهِرَة", "LOC")).unwrap();
    let added = store
        .apply(&[
            Change::Add(doc(TEXT), span(TEXT, "محمد صلاح", "PER")),
            Change::Add(d2, span(other, "محمد صلاح", "PER")),
            Change::SetStatus(single.id.clone(), Status::Rejected),
        ])
        .unwrap();
    assert_eq!(added.len(), 2);
    assert!(added.iter().all(|a| !a.id.is_empty()));
    assert_eq!(store.annotations_for(d2).unwrap().live.len(), 1);

    // Undo from the second document takes back the whole action, in both documents.
    let undone = store.undo_action("news/b.txt").unwrap();
    assert_eq!(undone.len(), 3);
    assert!(undone[0].seq > undone[2].seq, "latest first");
    assert!(store.annotations_for(d2).unwrap().live.is_empty());
    let live = store.annotations_for(doc(TEXT)).unwrap().live;
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].status, Status::Confirmed);

    // The single edit before it is a separate action.
    let redone = store.redo_action("news/a.txt").unwrap();
    assert_eq!(redone.len(), 3);
    assert_eq!(store.annotations_for(d2).unwrap().live.len(), 1);
    let live = store.annotations_for(doc(TEXT)).unwrap().live;
    assert_eq!(live.len(), 2);
    assert!(live.iter().any(|a| a.status == Status::Rejected));
    assert_eq!(store.undo_action("news/a.txt").unwrap().len(), 3);
    assert_eq!(store.undo_action("news/a.txt").unwrap().len(), 1);
    assert!(store.annotations_for(doc(TEXT)).unwrap().live.is_empty());
    let h = store.history("news/a.txt").unwrap();
    assert!(h.iter().all(|e| e.undone));
    assert!(h[0].batch.is_none() && h[1].batch.is_some());
}

#[test]
fn a_failed_batch_changes_nothing() {
    let (_dir, mut store) = fresh();
    let e = store
        .apply(&[
            Change::Add(doc(TEXT), span(TEXT, "محمد صلاح", "PER")),
            Change::SetStatus("no-such-id".into(), Status::Confirmed),
        ])
        .unwrap_err();
    assert!(matches!(e.problem, Problem::NoSuchAnnotation(_)), "{e}");
    assert!(store.annotations_for(doc(TEXT)).unwrap().live.is_empty());
    assert!(store.history("news/a.txt").unwrap().is_empty());
}

#[test]
fn article_reviews_persist_by_start_offset() {
    let (dir, mut store) = fresh();
    let second = TEXT.find("بالتعاون").unwrap();
    store.set_review(doc(TEXT), 0, Review::InProgress).unwrap();
    store.set_review(doc(TEXT), second, Review::Done).unwrap();
    store.set_review(doc(TEXT), 0, Review::Done).unwrap();
    drop(store);
    let store = Store::open(dir.path().join("annotations.db")).unwrap();
    assert_eq!(
        store.reviews_for(doc(TEXT)).unwrap(),
        vec![(0, Review::Done), (second, Review::Done)]
    );
    // Not a character boundary: refused, nothing written.
    let mut store = store;
    assert!(store.set_review(doc(TEXT), 1, Review::Done).is_err());
}

#[test]
fn a_version_1_store_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annotations.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(SCHEMA_V1).unwrap();
        c.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute(
            "INSERT INTO documents (path, text_hash, created, updated) VALUES ('news/a.txt', 'x', 0, 0)",
            [],
        )
        .unwrap();
        c.execute(
            "INSERT INTO edits (doc, annotation, op, before, after, at) VALUES (1, 'a1', 'add', NULL, NULL, 0)",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let v: i32 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    let h = store.history("news/a.txt").unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].batch, None);
}
