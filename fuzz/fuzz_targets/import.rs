//! Fuzz the annotation importers: brat (`.txt` + `.ann`), JSONL spans and Label Studio.
//! Every document that imports must have annotations on char boundaries of its text with
//! non-empty labels; its export (`Only::All`) must succeed or fail with an error, never
//! panic; an export must import again, and exporting that gives the same files (the
//! exports are a fixed point of import ∘ export).
//!
//! Input: byte 0 picks the format (0 brat, 1 JSONL, 2 Label Studio, by `% 3`); the rest
//! is lossy UTF-8, and for brat it is split at the first 0xFF byte into `.txt` and `.ann`
//! (without a 0xFF byte the `.txt` is empty and the whole rest is the `.ann`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use qari::annotate::{brat, jsonl, label_studio, AnnotatedDoc, Only};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    match sel % 3 {
        0 => fuzz_brat(rest),
        1 => fuzz_jsonl(rest),
        _ => fuzz_label_studio(rest),
    }
});

fn check_doc(doc: &AnnotatedDoc) {
    for a in &doc.annotations {
        assert!(a.start <= a.end, "{a:?}: start after end");
        assert!(a.end <= doc.text.len(), "{a:?}: past the end of the text");
        assert!(
            doc.text.is_char_boundary(a.start) && doc.text.is_char_boundary(a.end),
            "{a:?}: not on char boundaries of {:?}",
            doc.text
        );
        assert!(a.surface(&doc.text).is_some());
        assert!(!a.label.is_empty(), "{a:?}: empty label");
        // The quote of an annotation finds it again in its own text.
        if a.start < a.end {
            let q = a.quote(&doc.text).expect("a valid range has a quote");
            assert_eq!(q.exact, &doc.text[a.start..a.end]);
            let (s, e) = q.locate(&doc.text, a.start).expect("the quote occurs in its text");
            assert_eq!(&doc.text[s..e], q.exact);
        }
    }
    // Mapping onto the text itself is the identity.
    let same = doc.remap_onto(&doc.text).expect("a text maps onto itself");
    assert_eq!(&same, doc);
}

fn fuzz_brat(rest: &[u8]) {
    let (txt, ann) = match rest.iter().position(|&b| b == 0xFF) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&rest[..0], rest),
    };
    let txt = String::from_utf8_lossy(txt);
    let ann = String::from_utf8_lossy(ann);
    let Ok(doc) = brat::import("doc", &txt, "doc.ann", &ann) else {
        return;
    };
    assert_eq!(doc.text, txt, "brat keeps the .txt as it is");
    check_doc(&doc);
    let Ok(e1) = brat::export(&doc, Only::All) else {
        return;
    };
    assert_eq!(e1.txt.name, "doc.txt");
    assert_eq!(e1.ann.name, "doc.ann");
    assert!(!e1.txt.contents.contains('\r'), "exported text has LF line ends");
    let doc2 = brat::import("doc", &e1.txt.contents, "doc.ann", &e1.ann.contents)
        .unwrap_or_else(|e| panic!("brat export does not import again: {e}\n{e1:#?}"));
    check_doc(&doc2);
    assert_eq!(
        doc2.annotations.len(),
        doc.annotations.len(),
        "brat round trip keeps every annotation\n{e1:#?}"
    );
    let e2 = brat::export(&doc2, Only::All)
        .unwrap_or_else(|e| panic!("brat re-export fails: {e}\n{e1:#?}"));
    assert_eq!(e2, e1, "brat export is a fixed point");
}

fn fuzz_jsonl(rest: &[u8]) {
    let contents = String::from_utf8_lossy(rest);
    let Ok(docs) = jsonl::import("doc.jsonl", &contents) else {
        return;
    };
    for doc in &docs {
        check_doc(doc);
        let Ok(line) = jsonl::export_line(doc, Only::All) else {
            continue;
        };
        assert!(!line.contains('\n'), "one JSON line per document");
        let again = jsonl::import("doc.jsonl", &line)
            .unwrap_or_else(|e| panic!("JSONL export does not import again: {e}\n{line}"));
        assert_eq!(again.len(), 1, "one document per line\n{line}");
        check_doc(&again[0]);
        assert_eq!(again[0].name, doc.name, "the name survives\n{line}");
        assert_eq!(
            again[0].annotations.len(),
            doc.annotations.len(),
            "JSONL round trip keeps every annotation\n{line}"
        );
        // Without CR the text and every annotation (but its id) come back as they were.
        if !doc.text.contains('\r') {
            assert_eq!(again[0].text, doc.text);
            let mut k1: Vec<_> = doc.annotations.iter().map(|a| a.key()).collect();
            let mut k2: Vec<_> = again[0].annotations.iter().map(|a| a.key()).collect();
            k1.sort();
            k2.sort();
            assert_eq!(k1, k2, "JSONL round trip\n{line}");
        }
        let line2 = jsonl::export_line(&again[0], Only::All)
            .unwrap_or_else(|e| panic!("JSONL re-export fails: {e}\n{line}"));
        assert_eq!(line2, line, "JSONL export is a fixed point");
    }
    if let Ok(f) = jsonl::export("out.jsonl", &docs, Only::All) {
        let back = jsonl::import("out.jsonl", &f.contents)
            .unwrap_or_else(|e| panic!("JSONL file does not import again: {e}"));
        assert_eq!(back.len(), docs.len());
    }
}

fn fuzz_label_studio(rest: &[u8]) {
    let contents = String::from_utf8_lossy(rest);
    let Ok(docs) = label_studio::import("tasks.json", &contents) else {
        return;
    };
    for doc in &docs {
        check_doc(doc);
        let Ok(task) = label_studio::export_task(doc, Only::All) else {
            continue;
        };
        let json = task.to_string();
        let again = label_studio::import("tasks.json", &json)
            .unwrap_or_else(|e| panic!("Label Studio task does not import again: {e}\n{json}"));
        assert_eq!(again.len(), 1);
        check_doc(&again[0]);
        assert_eq!(again[0].name, doc.name, "the name survives\n{json}");
        assert_eq!(
            again[0].annotations.len(),
            doc.annotations.len(),
            "Label Studio round trip keeps every annotation\n{json}"
        );
        if !doc.text.contains('\r') {
            assert_eq!(again[0].text, doc.text);
            let mut k1: Vec<_> = doc.annotations.iter().map(|a| a.key()).collect();
            let mut k2: Vec<_> = again[0].annotations.iter().map(|a| a.key()).collect();
            k1.sort();
            k2.sort();
            assert_eq!(k1, k2, "Label Studio round trip\n{json}");
        }
        let task2 = label_studio::export_task(&again[0], Only::All)
            .unwrap_or_else(|e| panic!("Label Studio re-export fails: {e}\n{json}"));
        assert_eq!(task2, task, "Label Studio export is a fixed point");
    }
    if let Ok(f) = label_studio::export("tasks.json", &docs, Only::All) {
        let back = label_studio::import("tasks.json", &f.contents)
            .unwrap_or_else(|e| panic!("Label Studio file does not import again: {e}"));
        assert_eq!(back.len(), docs.len());
    }
}
