//! `qari export` and `qari import` through the real binary, with `XDG_DATA_HOME` in a
//! temporary directory so that nothing touches the user's store. Faults (full disk,
//! read-only store, damaged database) are made in ways that work as root too.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use qari::annotate::review;
use qari::annotate::store::{self, Doc, Store};
use qari::annotate::{Annotation, Status};

/// The fixture: a flag emoji before an entity, harakat, a nunation, Arabic text.
const CAIRO: &str =
    "افتتح محمد صلاح أكاديميةً جديدة في القَاهِرَة 🇪🇬 بالتعاون مع جامعة الدول العربية 🎉 يوم الأحد.\n";

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        Env { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_qari"));
        c.args(args)
            .env("XDG_DATA_HOME", self.path("data"))
            .env("HOME", self.path("home"))
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run qari")
    }

    /// The fixture document on disk.
    fn fixture(&self) -> PathBuf {
        let p = self.path("docs/cairo.txt");
        std::fs::write(&p, CAIRO).unwrap();
        p
    }

    /// A store at `rel` with, on the fixture: a confirmed PER with a Wikidata id and a
    /// note, a confirmed ORG with a Wikidata id, a rejected MISC.
    fn prepared_store(&self, rel: &str) -> PathBuf {
        let doc_path = self.fixture();
        let key = review::store_key(&doc_path);
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut s = Store::open(&path).unwrap();
        let doc = Doc {
            path: &key,
            text: CAIRO,
        };
        let mut per = ann(CAIRO, "محمد صلاح", "PER", Status::Confirmed);
        per.wikidata = Some("Q1354960".into());
        per.note = Some("لاعب كرة\tقدم".into());
        let mut org = ann(CAIRO, "جامعة الدول العربية", "ORG", Status::Confirmed);
        org.wikidata = Some("Q7172".into());
        s.add(doc, &per).unwrap();
        s.add(doc, &org).unwrap();
        s.add(doc, &ann(CAIRO, "الأحد", "MISC", Status::Rejected))
            .unwrap();
        path
    }
}

fn ann(text: &str, needle: &str, label: &str, status: Status) -> Annotation {
    let s = text.find(needle).expect(needle);
    Annotation {
        status,
        ..Annotation::new("", s, s + needle.len(), label)
    }
}

fn ok(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every file of a directory: name → contents.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                read(&e.path()),
            )
        })
        .collect();
    out.sort();
    out
}

fn export(env: &Env, store: &Path, format: &str, out: &str, only: &str) -> String {
    let doc = env.fixture();
    ok(&env.run(&[
        "export",
        "--format",
        format,
        "--out",
        out,
        "--only",
        only,
        "--store",
        store.to_str().unwrap(),
        doc.to_str().unwrap(),
    ]))
}

#[test]
fn brat_export_counts_code_points_and_keeps_link_and_note() {
    let env = Env::new();
    let store = env.prepared_store("s.db");
    let stdout = export(&env, &store, "brat", "out", "confirmed");
    assert!(stdout.contains("exported 2 annotations"), "{stdout}");
    assert!(stdout.contains("out/cairo.txt") && stdout.contains("out/cairo.ann"));
    assert_eq!(read(&env.path("out/cairo.txt")), CAIRO);
    assert_eq!(
        read(&env.path("out/cairo.ann")),
        "T1\tPER 6 15\tمحمد صلاح\n\
         N1\tReference T1 Wikidata:Q1354960\tمحمد صلاح\n\
         #1\tAnnotatorNotes T1\tلاعب كرة\\tقدم\n\
         T2\tORG 61 80\tجامعة الدول العربية\n\
         N2\tReference T2 Wikidata:Q7172\tجامعة الدول العربية\n"
    );
}

#[test]
fn only_all_adds_the_taggers_suggestions_and_never_rejected_ones() {
    let env = Env::new();
    let store = env.prepared_store("s.db");
    let stdout = export(&env, &store, "brat", "all", "all");
    assert!(stdout.contains("exported 3 annotations"), "{stdout}");
    let ann = read(&env.path("all/cairo.ann"));
    // The tagger's القاهرة (Q85), not reviewed: suggested. Its PER and ORG are hidden by
    // the stored ones; the rejected الأحد is never written.
    assert!(
        ann.contains("T2\tLOC 35 45\tالقَاهِرَة\nA1\tSuggested T2\n"),
        "{ann}"
    );
    assert!(ann.contains("N2\tReference T2 Wikidata:Q85\t"), "{ann}");
    assert!(!ann.contains("الأحد") && !ann.contains("MISC"), "{ann}");
    let confirmed = {
        export(&env, &store, "brat", "confirmed", "confirmed");
        read(&env.path("confirmed/cairo.ann"))
    };
    assert!(!confirmed.contains("LOC") && !confirmed.contains("Suggested"));
    assert!(!confirmed.contains("الأحد"));
}

#[test]
fn every_format_has_the_same_code_point_offsets() {
    let env = Env::new();
    let store = env.prepared_store("s.db");
    export(&env, &store, "jsonl", "j", "all");
    let line: serde_json::Value =
        serde_json::from_str(read(&env.path("j/annotations.jsonl")).trim()).unwrap();
    let spans: Vec<(u64, u64, &str, &str)> = line["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["start"].as_u64().unwrap(),
                s["end"].as_u64().unwrap(),
                s["label"].as_str().unwrap(),
                s["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        vec![
            (6, 15, "PER", "confirmed"),
            (35, 45, "LOC", "suggested"),
            (61, 80, "ORG", "confirmed")
        ]
    );
    assert_eq!(line["spans"][0]["kb_id"], "Q1354960");
    assert_eq!(line["spans"][0]["note"], "لاعب كرة\tقدم");

    export(&env, &store, "labelstudio", "ls", "all");
    let tasks: serde_json::Value =
        serde_json::from_str(&read(&env.path("ls/labelstudio.json"))).unwrap();
    let conf = &tasks[0]["annotations"][0]["result"];
    assert_eq!(conf[1]["value"]["start"], 61);
    assert_eq!(conf[1]["value"]["end"], 80);
    assert_eq!(conf[0]["meta"]["wikidata"], "Q1354960");
    assert_eq!(
        tasks[0]["predictions"][0]["result"][0]["value"]["start"],
        35
    );

    export(&env, &store, "w3c", "w3c", "confirmed");
    let w3c: serde_json::Value =
        serde_json::from_str(&read(&env.path("w3c/cairo.jsonld"))).unwrap();
    let items = w3c["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["target"]["selector"][0]["start"], 61);
    assert_eq!(items[1]["target"]["selector"][0]["end"], 80);
    assert_eq!(
        items[1]["target"]["selector"][1]["exact"],
        "جامعة الدول العربية"
    );

    let doc = env.fixture();
    let out = env.run(&[
        "export",
        "--format",
        "conll",
        "--out",
        "conll",
        "--store",
        store.to_str().unwrap(),
        doc.to_str().unwrap(),
    ]);
    ok(&out);
    let conll = read(&env.path("conll/cairo.conll"));
    assert!(conll.contains("محمد\tB-PER\nصلاح\tI-PER\n"), "{conll}");
    assert!(conll.contains("جامعة\tB-ORG\nالدول\tI-ORG\nالعربية\tI-ORG\n"));
    // CoNLL loses the links and the note: said on stderr.
    assert!(
        stderr(&out).contains("cairo: CoNLL cannot keep 2 Wikidata ids, 1 note"),
        "{}",
        stderr(&out)
    );
}

/// Export → import into a fresh store → export again gives the same files; importing
/// twice adds nothing; the import is undone as one action.
#[test]
fn import_gives_back_what_was_exported() {
    for (format, file) in [
        ("brat", "cairo.ann"),
        ("jsonl", "annotations.jsonl"),
        ("labelstudio", "labelstudio.json"),
    ] {
        let env = Env::new();
        let store = env.prepared_store("a.db");
        export(&env, &store, format, "first", "confirmed");
        let fresh = env.path("b.db");
        let input = env.path("first").join(file);
        let args = [
            "import",
            "--format",
            format,
            "--store",
            fresh.to_str().unwrap(),
            input.to_str().unwrap(),
        ];
        let stdout = ok(&env.run(&args));
        assert!(
            stdout.contains("imported 2 annotations into 1 document (0 already there)"),
            "{format}: {stdout}"
        );
        export(&env, &fresh, format, "second", "confirmed");
        assert_eq!(
            files(&env.path("first")),
            files(&env.path("second")),
            "{format}"
        );

        let again = ok(&env.run(&args));
        assert!(
            again.contains("imported 0 annotations into 1 document (2 already there)"),
            "{format}: {again}"
        );

        let mut s = Store::open(&fresh).unwrap();
        let key = s.path_for_hash(&store::text_hash(CAIRO)).unwrap().unwrap();
        let doc = Doc {
            path: &key,
            text: CAIRO,
        };
        let live = s.annotations_for(doc).unwrap().live;
        assert_eq!(live.len(), 2, "{format}");
        assert_eq!(live[0].wikidata.as_deref(), Some("Q1354960"));
        assert_eq!(live[0].note.as_deref(), Some("لاعب كرة\tقدم"));
        assert!(live.iter().all(|a| a.status == Status::Confirmed));
        let undone = s.undo_action(&key).unwrap();
        assert_eq!(undone.len(), 2, "{format}: one action");
        assert!(s.annotations_for(doc).unwrap().live.is_empty());
    }
}

#[test]
fn import_into_the_document_it_came_from_adds_nothing() {
    let env = Env::new();
    let store = env.prepared_store("a.db");
    export(&env, &store, "brat", "x", "all");
    // The .txt named instead of the .ann; the store has the text under the fixture's path.
    let out = ok(&env.run(&[
        "import",
        "--format",
        "brat",
        "--store",
        store.to_str().unwrap(),
        env.path("x/cairo.txt").to_str().unwrap(),
    ]));
    // The suggestion is new (it was only the tagger's); the two confirmed are there.
    assert!(
        out.contains("imported 1 annotation into 1 document (2 already there)"),
        "{out}"
    );
    let s = Store::open(&store).unwrap();
    let key = review::store_key(&env.fixture());
    let live = s
        .annotations_for(Doc {
            path: &key,
            text: CAIRO,
        })
        .unwrap()
        .live;
    assert_eq!(live.len(), 4, "{live:?}");
    assert!(live
        .iter()
        .any(|a| a.label == "LOC" && a.status == Status::Suggested));
}

#[test]
fn export_without_a_store_creates_none() {
    let env = Env::new();
    let doc = env.fixture();
    let out = env.run(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        "o",
        "--only",
        "all",
        doc.to_str().unwrap(),
    ]);
    ok(&out);
    assert!(!env.path("data/qari").exists());
    let j = read(&env.path("o/annotations.jsonl"));
    assert_eq!(j.matches("\"status\":\"suggested\"").count(), 3, "{j}");
    let out = env.run(&[
        "export",
        "--format",
        "brat",
        "--out",
        "c",
        doc.to_str().unwrap(),
    ]);
    ok(&out);
    assert!(stderr(&out).contains("no annotation store yet"));
    assert_eq!(read(&env.path("c/cairo.ann")), "");
    assert!(!env.path("data/qari").exists());
    // A named store that does not exist is an error, and is not created either.
    let out = env.run(&[
        "export", "--format", "brat", "--out", "c", "--store", "nope.db",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nope.db: does not exist"),
        "{}",
        stderr(&out)
    );
    assert!(!env.path("nope.db").exists());
}

#[test]
fn errors_name_the_file() {
    let env = Env::new();
    let store = env.prepared_store("s.db");
    let s = store.to_str().unwrap();
    // A missing file.
    let out = env.run(&["import", "--format", "brat", "--store", s, "missing.ann"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("missing.ann: "), "{}", stderr(&out));
    // A malformed .ann line: file:line, nothing written from it, the next file imported.
    std::fs::write(env.path("bad.txt"), CAIRO).unwrap();
    std::fs::write(
        env.path("bad.ann"),
        "T1\tPER 6 15\tمحمد صلاح\nT2\tLOC 35 x\tالقَاهِرَة\n",
    )
    .unwrap();
    std::fs::write(env.path("good.txt"), "نص آخر عن باريس\n").unwrap();
    std::fs::write(env.path("good.ann"), "T1\tLOC 10 15\tباريس\n").unwrap();
    let out = env.run(&[
        "import", "--format", "brat", "--store", s, "bad.ann", "good.ann",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad.ann:2: bad offset \"x\""),
        "{}",
        stderr(&out)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("good.ann: imported 1 annotation"));
    let st = Store::open(&store).unwrap();
    let key = review::store_key(&env.path("bad.txt"));
    // bad.txt has the fixture's text: its store document is the fixture's, untouched.
    let live = st
        .annotations_for(Doc {
            path: &key,
            text: CAIRO,
        })
        .unwrap()
        .live;
    assert_eq!(live.len(), 3);
    drop(st);
    // An unknown format.
    let out = env.run(&["export", "--format", "xml", "--out", "o"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown format \"xml\""));
    let out = env.run(&["import", "--format", "w3c", "x.jsonld"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("w3c cannot be imported"));
    // An --out that cannot be a directory (works as root too: a file is in the way).
    std::fs::write(env.path("plain"), "x").unwrap();
    let out = env.run(&[
        "export",
        "--format",
        "brat",
        "--out",
        "plain/sub",
        "--store",
        s,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("plain/sub"), "{}", stderr(&out));
}

#[test]
fn a_file_that_is_not_a_store_is_left_untouched() {
    let env = Env::new();
    let garbage: Vec<u8> = (0..20_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    let path = env.path("garbage.db");
    std::fs::write(&path, &garbage).unwrap();
    std::fs::write(env.path("x.jsonl"), "{\"text\":\"نص\",\"spans\":[]}\n").unwrap();
    for args in [
        vec![
            "export",
            "--format",
            "brat",
            "--out",
            "o",
            "--store",
            "garbage.db",
        ],
        vec![
            "import",
            "--format",
            "jsonl",
            "--store",
            "garbage.db",
            "x.jsonl",
        ],
    ] {
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("garbage.db") && err.contains("not a qari database"),
            "{err}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), garbage, "{args:?}");
    }
}

/// A big JSONL file: many annotations with notes on the fixture text.
fn big_jsonl(n: usize) -> String {
    let len = CAIRO.chars().count() - 5;
    let spans: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({"start": i % len, "end": i % len + 3, "label": format!("L{i}"),
                               "note": "ملاحظة طويلة ".repeat(8)})
        })
        .collect();
    let mut s =
        serde_json::json!({"text": CAIRO, "spans": spans, "meta": {"name": "big"}}).to_string();
    s.push('\n');
    s
}

/// Full disk: the store file cannot grow past a size limit (`RLIMIT_FSIZE`, which binds
/// root too). The import fails naming the store, and everything saved before is intact.
#[test]
fn a_full_disk_loses_nothing() {
    let env = Env::new();
    let store = env.prepared_store("s.db");
    export(&env, &store, "jsonl", "before", "confirmed");
    std::fs::write(env.path("big.jsonl"), big_jsonl(3000)).unwrap();
    let mut cmd = env.cmd(&[
        "import",
        "--format",
        "jsonl",
        "--store",
        store.to_str().unwrap(),
        "big.jsonl",
    ]);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 128 * 1024,
                rlim_max: 128 * 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("s.db") && err.contains("cannot grow"), "{err}");
    assert!(err.contains("disk is full") && err.contains("nothing imported from big.jsonl"));
    // Everything saved before is there, and the store opens (it is not damaged).
    export(&env, &store, "jsonl", "after", "confirmed");
    assert_eq!(files(&env.path("before")), files(&env.path("after")));
    Store::open(&store).unwrap();
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A read-only store: permission bits as a non-root user; as root, the command runs as
/// `nobody` (permission bits bind it). Import fails with a clear message, the store is
/// byte-identical, and export still reads it.
#[test]
fn a_read_only_store_is_reported_and_still_exported() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let store = env.prepared_store("ro/s.db");
    let ann = env.path("ro-import.ann");
    std::fs::write(env.path("ro-import.txt"), CAIRO).unwrap();
    std::fs::write(&ann, "T1\tLOC 35 45\tالقَاهِرَة\n").unwrap();
    let before = std::fs::read(&store).unwrap();
    let set = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    set(&store, 0o444);
    set(&env.path("ro"), 0o555);
    // `nobody` must reach the files and write the export.
    set(env.dir.path(), 0o755);
    std::fs::create_dir_all(env.path("out")).unwrap();
    set(&env.path("out"), 0o777);
    set(&env.path("docs"), 0o755);
    let as_user = |cmd: &mut Command| {
        if is_root() {
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    if libc::setgroups(0, std::ptr::null()) != 0
                        || libc::setgid(65534) != 0
                        || libc::setuid(65534) != 0
                    {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
    };
    let s = store.to_str().unwrap();
    let mut cmd = env.cmd(&[
        "import",
        "--format",
        "brat",
        "--store",
        s,
        ann.to_str().unwrap(),
    ]);
    as_user(&mut cmd);
    let out = cmd.output().unwrap();
    let err = stderr(&out);
    if is_root() && err.contains("Permission denied") && !err.contains("s.db") {
        println!("skipped: cannot run as nobody here: {err}");
        return;
    }
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("s.db") && err.contains("is read-only"),
        "{err}"
    );
    assert_eq!(std::fs::read(&store).unwrap(), before);
    let doc = env.fixture();
    let mut cmd = env.cmd(&[
        "export",
        "--format",
        "brat",
        "--out",
        "out",
        "--store",
        s,
        doc.to_str().unwrap(),
    ]);
    as_user(&mut cmd);
    let out = cmd.output().unwrap();
    ok(&out);
    assert!(read(&env.path("out/cairo.ann")).starts_with("T1\tPER 6 15\tمحمد صلاح\n"));
    assert_eq!(std::fs::read(&store).unwrap(), before);
    set(&env.path("ro"), 0o755);
}

/// A store on a read-only file system (a read-only bind mount in a private mount
/// namespace), when this process may make one; otherwise it says it skipped.
#[test]
fn a_store_on_a_read_only_disk_is_reported() {
    let env = Env::new();
    let store = env.prepared_store("rofs/s.db");
    std::fs::write(env.path("i.txt"), CAIRO).unwrap();
    std::fs::write(env.path("i.ann"), "T1\tLOC 35 45\tالقَاهِرَة\n").unwrap();
    let before = std::fs::read(&store).unwrap();
    let dir = env.path("rofs");
    let qari = env!("CARGO_BIN_EXE_qari");
    let script = format!(
        "mount --bind '{d}' '{d}' && mount -o remount,bind,ro '{d}' || exit 99; \
         '{qari}' import --format brat --store '{s}' i.ann",
        d = dir.display(),
        s = store.display()
    );
    let out = Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .env("XDG_DATA_HOME", env.path("data"))
        .current_dir(env.dir.path())
        .output();
    let out = match out {
        Ok(o) if o.status.code() != Some(99) && !stderr(&o).contains("unshare") => o,
        other => {
            println!("skipped: cannot mount a read-only file system here ({other:?})");
            return;
        }
    };
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("s.db") && err.contains("is read-only"),
        "{err}"
    );
    assert_eq!(std::fs::read(&store).unwrap(), before);
}

/// A damaged database (pages in the middle overwritten): `damaged`, for export and
/// import, and the file is left byte-identical.
#[test]
fn a_damaged_store_is_reported_and_left_as_it_is() {
    let env = Env::new();
    let store = env.prepared_store("s.db");
    std::fs::write(env.path("big.jsonl"), big_jsonl(500)).unwrap();
    ok(&env.run(&[
        "import",
        "--format",
        "jsonl",
        "--store",
        store.to_str().unwrap(),
        "big.jsonl",
    ]));
    let mut bytes = std::fs::read(&store).unwrap();
    assert!(bytes.len() > 16 * 4096, "{}", bytes.len());
    let mid = bytes.len() / 2 / 4096 * 4096;
    for b in &mut bytes[mid..mid + 3 * 4096] {
        *b = 0xA5;
    }
    std::fs::write(&store, &bytes).unwrap();
    std::fs::write(env.path("x.txt"), CAIRO).unwrap();
    std::fs::write(env.path("x.ann"), "T1\tLOC 35 45\tالقَاهِرَة\n").unwrap();
    let s = store.to_str().unwrap();
    for args in [
        vec!["export", "--format", "brat", "--out", "o", "--store", s],
        vec!["import", "--format", "brat", "--store", s, "x.ann"],
    ] {
        let out = env.run(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("s.db") && err.contains("is damaged"), "{err}");
        assert_eq!(std::fs::read(&store).unwrap(), bytes, "{args:?}");
    }
}

fn python_ready() -> bool {
    Command::new("python3")
        .args(["-c", "import seqeval, spacy"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The CLI's own export directory, re-read by `tools/annotations/check_exports.py`.
#[test]
fn python_parsers_read_the_cli_exports() {
    if !python_ready() {
        println!("skipped: python3 with seqeval and spacy is not available");
        return;
    }
    let env = Env::new();
    let store = env.prepared_store("s.db");
    let crlf = env.path("docs/crlf.txt");
    std::fs::write(
        &crlf,
        "وصل الرئيس إلى باريس يوم ١٢ مايو.\r\n😀 التقى ماكـرون وبالقاهرة\u{200F} مع Google\u{200C}.\r\n",
    )
    .unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/annotations/check_exports.py");
    for only in ["all", "confirmed"] {
        let dir = env.path(&format!("check-{only}"));
        for (format, sub) in [
            ("brat", "brat"),
            ("jsonl", "."),
            ("conll", "."),
            ("labelstudio", "."),
            ("w3c", "."),
        ] {
            let out = dir.join(sub);
            ok(&env.run(&[
                "export",
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
                "--only",
                only,
                "--store",
                store.to_str().unwrap(),
                env.fixture().to_str().unwrap(),
                crlf.to_str().unwrap(),
            ]));
        }
        // The script finds Label Studio files by their `.ls.json` ending.
        std::fs::rename(
            dir.join("labelstudio.json"),
            dir.join("labelstudio.ls.json"),
        )
        .unwrap();
        let out = Command::new("python3")
            .arg(&script)
            .arg(&dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        println!("{only}:\n{stdout}{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "check_exports.py failed ({only})");
        assert!(stdout.contains("2 documents, 0 errors"), "{stdout}");
    }
}

/// A Label Studio file edited elsewhere and imported back into the store it came from:
/// its region ids are already taken there, so the changed region gets a fresh id.
#[test]
fn label_studio_ids_already_in_the_store_are_replaced() {
    let env = Env::new();
    let store = env.prepared_store("s.db");
    export(&env, &store, "labelstudio", "ls", "confirmed");
    let path = env.path("ls/labelstudio.json");
    let edited = read(&path).replace("\"ORG\"", "\"LOC\"");
    std::fs::write(&path, edited).unwrap();
    let out = ok(&env.run(&[
        "import",
        "--format",
        "labelstudio",
        "--store",
        store.to_str().unwrap(),
        path.to_str().unwrap(),
    ]));
    assert!(
        out.contains("imported 1 annotation into 1 document (1 already there)"),
        "{out}"
    );
    let s = Store::open(&store).unwrap();
    let key = review::store_key(&env.fixture());
    let live = s
        .annotations_for(Doc {
            path: &key,
            text: CAIRO,
        })
        .unwrap()
        .live;
    let mut labels: Vec<&str> = live.iter().map(|a| a.label.as_str()).collect();
    labels.sort();
    assert_eq!(labels, ["LOC", "MISC", "ORG", "PER"], "{live:?}");
}
