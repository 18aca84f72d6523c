//! Every export re-read by the fields' own Python parsers (`tools/annotations/check_exports.py`:
//! seqeval for IOB2, spaCy for JSONL spans, a brat reader and pybrat if installed).
//! Runs only when `python3` imports `seqeval` and `spacy`; otherwise it says it skipped.

use std::path::Path;
use std::process::Command;

use qari::annotate::{
    brat, conll, jsonl, label_studio, w3c, AnnotatedDoc, Annotation, Only, Status,
};

fn ann(id: &str, text: &str, needle: &str, label: &str, status: Status) -> Annotation {
    let s = text.find(needle).expect(needle);
    Annotation {
        status,
        ..Annotation::new(id, s, s + needle.len(), label)
    }
}

fn docs() -> Vec<AnnotatedDoc> {
    let t1 = "افتتح محمد صلاح أكاديميةً جديدة في القَاهِرَة 🇪🇬 بالتعاون مع جامعة الدول العربية 🎉 يوم الأحد.\n";
    let mut per = ann("a1", t1, "محمد صلاح", "PER", Status::Confirmed);
    per.wikidata = Some("Q1354960".into());
    let mut loc = ann("a2", t1, "القَاهِرَة", "LOC", Status::Suggested);
    loc.note = Some("مع التشكيل".into());
    let t2 = "وصل الرئيس إلى باريس يوم ١٢ مايو.\r\n😀 التقى ماكـرون وبالقاهرة\u{200F} مع Google\u{200C}.\r\nقال مُحَمَّد";
    let s = t2.find("مايو.").unwrap();
    let e = t2.find("😀 التقى").unwrap() + "😀 التقى".len();
    vec![
        AnnotatedDoc {
            name: "cairo".into(),
            text: t1.into(),
            annotations: vec![
                per,
                loc,
                ann("a3", t1, "جامعة الدول العربية", "ORG", Status::Confirmed),
                ann("a4", t1, "الأحد", "MISC", Status::Rejected),
            ],
        },
        AnnotatedDoc {
            name: "crlf".into(),
            text: t2.into(),
            annotations: vec![
                ann("b1", t2, "باريس", "LOC", Status::Confirmed),
                ann("b2", t2, "ماكـرون", "PER", Status::Confirmed),
                ann("b3", t2, "القاهرة", "LOC", Status::Suggested),
                ann("b4", t2, "Google", "ORG", Status::Confirmed),
                ann("b5", t2, "مُحَمَّد", "PER", Status::Confirmed),
                Annotation::new("b6", s, e, "MISC"),
            ],
        },
    ]
}

fn python_ready() -> bool {
    Command::new("python3")
        .args(["-c", "import seqeval, spacy"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn write_all(dir: &Path, docs: &[AnnotatedDoc], only: Only) {
    let brat_dir = dir.join("brat");
    std::fs::create_dir_all(&brat_dir).unwrap();
    for d in docs {
        let b = brat::export(d, only).unwrap();
        std::fs::write(brat_dir.join(&b.txt.name), &b.txt.contents).unwrap();
        std::fs::write(brat_dir.join(&b.ann.name), &b.ann.contents).unwrap();
        let c = conll::export(d, only).unwrap();
        std::fs::write(dir.join(&c.file.name), &c.file.contents).unwrap();
        let w = w3c::export(d, only).unwrap();
        std::fs::write(dir.join(&w.name), &w.contents).unwrap();
    }
    let j = jsonl::export("all.jsonl", docs, only).unwrap();
    std::fs::write(dir.join(&j.name), &j.contents).unwrap();
    let l = label_studio::export("tasks.ls.json", docs, only).unwrap();
    std::fs::write(dir.join(&l.name), &l.contents).unwrap();
}

#[test]
fn python_parsers_read_every_export() {
    if !python_ready() {
        println!("skipped: python3 with seqeval and spacy is not available");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/annotations/check_exports.py");
    for only in [Only::All, Only::Confirmed] {
        let dir = tempfile::tempdir().unwrap();
        write_all(dir.path(), &docs(), only);
        let out = Command::new("python3")
            .arg(&script)
            .arg(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        println!(
            "{only:?}:\n{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "check_exports.py failed ({only:?})");
        assert!(stdout.contains("2 documents, 0 errors"), "{stdout}");
    }
    // The script does catch a code point offset off by one (a UTF-16 count, say).
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), &docs(), Only::All);
    let path = dir.path().join("tasks.ls.json");
    let tasks = std::fs::read_to_string(&path).unwrap();
    let bad = tasks.replacen("\"start\": 61", "\"start\": 63", 1);
    assert_ne!(bad, tasks);
    std::fs::write(&path, bad).unwrap();
    let out = Command::new("python3")
        .arg(&script)
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("error: "));
}
