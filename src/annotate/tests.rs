//! Round trips and offsets of every format (the fixtures carry an emoji before entities,
//! harakat, tatweel, ZWNJ, RLM, CRLF line ends and an entity at the end of the text).

use super::*;

fn at(text: &str, needle: &str) -> (usize, usize) {
    let s = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {text}"));
    (s, s + needle.len())
}

fn ann(id: &str, text: &str, needle: &str, label: &str, status: Status) -> Annotation {
    let (s, e) = at(text, needle);
    Annotation {
        status,
        ..Annotation::new(id, s, e, label)
    }
}

/// The notes' example: flag emoji before القاهرة's neighbours, party emoji before the end.
pub(crate) fn cairo() -> AnnotatedDoc {
    let text = "افتتح محمد صلاح أكاديميةً جديدة في القَاهِرَة 🇪🇬 بالتعاون مع جامعة الدول العربية 🎉 يوم الأحد.\n";
    let mut per = ann("a1", text, "محمد صلاح", "PER", Status::Confirmed);
    per.wikidata = Some("Q1354960".into());
    let mut loc = ann("a2", text, "القَاهِرَة", "LOC", Status::Suggested);
    loc.note = Some("مع التشكيل\tand a tab\\".into());
    let org = ann("a3", text, "جامعة الدول العربية", "ORG", Status::Confirmed);
    let rejected = ann("a4", text, "الأحد", "MISC", Status::Rejected);
    AnnotatedDoc {
        name: "cairo".into(),
        text: text.into(),
        annotations: vec![org, per, loc, rejected],
    }
}

/// CRLF line ends, an emoji before an entity, a span across a line end, tatweel, ZWNJ,
/// RLM, Eastern Arabic digits, a clitic-attached entity, and an entity at the very end.
pub(crate) fn crlf() -> AnnotatedDoc {
    let text = "وصل الرئيس إلى باريس يوم ١٢ مايو.\r\n😀 التقى ماكـرون وبالقاهرة\u{200F} مع Google\u{200C}.\r\nقال مُحَمَّد";
    let mut anns = vec![
        ann("b1", text, "باريس", "LOC", Status::Confirmed),
        ann("b2", text, "ماكـرون", "PER", Status::Confirmed),
        ann("b3", text, "القاهرة", "LOC", Status::Suggested),
        ann("b4", text, "Google", "ORG", Status::Confirmed),
        ann("b5", text, "مُحَمَّد", "PER", Status::Confirmed),
    ];
    // A span over a line end (brat writes it as two fragments).
    let (s, _) = at(text, "مايو.");
    let (_, e) = at(text, "😀 التقى");
    anns.push(Annotation::new("b6", s, e, "MISC"));
    AnnotatedDoc {
        name: "crlf".into(),
        text: text.into(),
        annotations: anns,
    }
}

fn keys(anns: &[Annotation]) -> Vec<AnnotationKey<'_>> {
    let mut k: Vec<_> = anns.iter().map(Annotation::key).collect();
    k.sort();
    k
}

fn expected(doc: &AnnotatedDoc, only: Only) -> Vec<Annotation> {
    doc.annotations
        .iter()
        .filter(|a| only.keeps(a.status))
        .cloned()
        .collect()
}

fn check_round_trip(doc: &AnnotatedDoc, imported: &AnnotatedDoc, only: Only) {
    assert!(!imported.text.contains('\r'));
    let back = imported.remap_onto(&doc.text).expect("remap");
    assert_eq!(back.text, doc.text);
    assert_eq!(
        keys(&back.annotations),
        keys(&expected(doc, only)),
        "{}",
        doc.name
    );
}

#[test]
fn lf_text_maps_both_ways() {
    let orig = "ab\r\ncd\re\r\n\r\nf";
    let lf = LfText::new(orig);
    assert_eq!(lf.text, "ab\ncd\ne\n\nf");
    for (b, _) in lf.text.char_indices() {
        let o = lf.to_original(b);
        assert_eq!(lf.from_original(o), b);
    }
    // End at a line end: before the CR. Start after it: after the LF.
    assert_eq!(lf.to_original(2), 2);
    assert_eq!(lf.to_original(3), 4);
    assert_eq!(lf.from_original(3), 2);
}

#[test]
fn cp_map_and_quote() {
    let text = "🇪🇬 القَاهِرَة";
    let m = CpMap::new(text);
    assert_eq!(m.len_chars(), 13);
    assert_eq!(m.to_cp(6), None); // inside the second regional indicator (4 bytes each)
    assert_eq!(m.to_cp(8), Some(2));
    assert_eq!(m.to_cp(9), Some(3));
    assert_eq!(m.to_byte(3), Some(9));
    assert_eq!(m.to_byte(14), None);
    let d = cairo();
    let a = &d.annotations[2];
    let q = a.quote(&d.text).unwrap();
    assert_eq!(q.exact, "القَاهِرَة");
    assert_eq!(q.prefix.chars().count(), 32);
    assert!(q.suffix.starts_with(" 🇪🇬"));
    assert_eq!(q.locate(&d.text, 0), Some((a.start, a.end)));
    let moved = format!("مقدمة جديدة. {}", d.text);
    let (s, _) = q.locate(&moved, 0).unwrap();
    assert_eq!(&moved[s..s + q.exact.len()], q.exact);
    assert_eq!(Quote::new("abc", 2, 1), None);
}

#[test]
fn brat_offsets_are_code_points() {
    let f = brat::export(&cairo(), Only::All).unwrap();
    assert_eq!(f.txt.name, "cairo.txt");
    let lines: Vec<&str> = f.ann.contents.lines().collect();
    assert_eq!(lines[0], "T1\tPER 6 15\tمحمد صلاح");
    assert_eq!(lines[1], "N1\tReference T1 Wikidata:Q1354960\tمحمد صلاح");
    assert_eq!(lines[2], "T2\tLOC 35 45\tالقَاهِرَة");
    assert_eq!(lines[3], "A1\tSuggested T2");
    assert_eq!(
        lines[4],
        "#1\tAnnotatorNotes T2\tمع التشكيل\\tand a tab\\\\"
    );
    assert_eq!(lines[5], "T3\tORG 61 80\tجامعة الدول العربية");
    assert_eq!(lines.len(), 6);
    let confirmed = brat::export(&cairo(), Only::Confirmed).unwrap();
    assert!(!confirmed.ann.contents.contains("LOC"));
    assert!(!confirmed.ann.contents.contains("MISC"));
}

#[test]
fn brat_round_trip() {
    for doc in [cairo(), crlf()] {
        for only in [Only::All, Only::Confirmed] {
            let f = brat::export(&doc, only).unwrap();
            let back =
                brat::import(&doc.name, &f.txt.contents, &f.ann.name, &f.ann.contents).unwrap();
            check_round_trip(&doc, &back, only);
        }
    }
    let f = brat::export(&crlf(), Only::All).unwrap();
    assert!(f.ann.contents.contains(";"), "{}", f.ann.contents);
    // Line ends at the edges of a span are not written; a span of line ends only fails.
    let d = AnnotatedDoc {
        name: "edges".into(),
        text: "ab\r\ncd\r\n".into(),
        annotations: vec![
            Annotation::new("x", 1, 8, "LOC"),
            Annotation::new("y", 2, 4, "LOC"),
        ],
    };
    let e = brat::export(&d, Only::All).unwrap_err();
    assert!(e.to_string().contains("annotation y"), "{e}");

    let d = AnnotatedDoc {
        annotations: vec![d.annotations[0].clone()],
        ..d
    };
    let f = brat::export(&d, Only::All).unwrap();
    assert_eq!(f.ann.contents, "T1\tLOC 1 2;3 5\tb cd\n");
    assert!(!f.txt.contents.contains('\r'));
}

#[test]
fn brat_import_errors_name_file_and_line() {
    let txt = "محمد صلاح";
    let cases = [
        ("T1\tPER 0 4\tمحمد\nT2\tPER 5 99\tصلاح\n", 2, "past the end"),
        ("T1\tPER 0 3\tمحمد\n", 1, "does not match"),
        ("T1\tPER 4 0\t\n", 1, "after end"),
        ("T1\tPER x 4\tمحمد\n", 1, "bad offset"),
        ("T1 PER 0 4 محمد\n", 1, "3 tab-separated"),
        (
            "T1\tPER 0 4\tمحمد\nN1\tReference T9 Wikidata:Q1\tx\n",
            2,
            "unknown target",
        ),
        ("X1\tfoo\n", 1, "unknown annotation id"),
        ("T1\tPER 0 4\tمحمد\nT1\tPER 0 4\tمحمد\n", 2, "duplicate"),
    ];
    for (ann, line, what) in cases {
        let e = brat::import("d", txt, "d.ann", ann).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("d.ann", line), "{ann}");
        assert!(e.to_string().contains(what), "{e}");
        assert!(e.to_string().starts_with(&format!("d.ann:{line}:")));
    }
    // Relations, events, equivalences and unknown attributes are accepted.
    let ok = "T1\tPER 0 4\tمحمد\nR1\tOrigin Arg1:T1 Arg2:T1\n*\tEquiv T1 T1\nA1\tNegation T1\n";
    assert_eq!(
        brat::import("d", txt, "d.ann", ok)
            .unwrap()
            .annotations
            .len(),
        1
    );
}

#[test]
fn export_rejects_bad_offsets() {
    let mut d = cairo();
    d.annotations[0].end = 1; // inside a letter, and before start
    let e = brat::export(&d, Only::All).unwrap_err();
    assert!(e.to_string().contains("a3"), "{e}");
    let mut d = cairo();
    d.annotations[1].label = "two words".into();
    assert!(jsonl::export_line(&d, Only::All).is_err());
    let mut d = cairo();
    d.annotations[3].end = 10_000; // rejected: never exported, never checked
    assert!(jsonl::export_line(&d, Only::All).is_ok());
}

#[test]
fn jsonl_offsets_and_round_trip() {
    let line = jsonl::export_line(&cairo(), Only::All).unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    let spans = v["spans"].as_array().unwrap();
    let got: Vec<(u64, u64, &str)> = spans
        .iter()
        .map(|s| {
            (
                s["start"].as_u64().unwrap(),
                s["end"].as_u64().unwrap(),
                s["label"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [(6, 15, "PER"), (35, 45, "LOC"), (61, 80, "ORG")]);
    assert_eq!(spans[0]["kb_id"], "Q1354960");
    assert_eq!(v["meta"]["name"], "cairo");
    let docs = [cairo(), crlf()];
    for only in [Only::All, Only::Confirmed] {
        let f = jsonl::export("all.jsonl", &docs, only).unwrap();
        assert_eq!(f.contents.lines().count(), 2);
        let back = jsonl::import("all.jsonl", &f.contents).unwrap();
        assert_eq!(back.len(), 2);
        for (d, b) in docs.iter().zip(&back) {
            assert_eq!(b.name, d.name);
            check_round_trip(d, b, only);
        }
    }
}

#[test]
fn jsonl_import_doccano_and_errors() {
    let ok = r#"{"id": 1, "text": "EU rejects German call", "label": [[0, 2, "ORG"], [11, 17, "MISC"]]}
{"text": "😀 مصر", "entities": [{"id": 7, "start_offset": 2, "end_offset": 5, "label": "LOC"}]}"#;
    let docs = jsonl::import("d.jsonl", ok).unwrap();
    assert_eq!(docs[0].name, "1");
    assert_eq!(
        docs[0].annotations[1].surface(&docs[0].text),
        Some("German")
    );
    assert_eq!(docs[1].annotations[0].surface(&docs[1].text), Some("مصر"));
    assert_eq!(docs[1].annotations[0].id, "7");
    let cases = [
        ("{\"text\": \"abc\"}\n{bad json", 2, "invalid JSON"),
        ("{\"txt\": \"abc\"}", 1, "\"text\""),
        ("{\"text\": \"abc\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"X\"}]}", 1, "past the end"),
        ("{\"text\": \"abc\", \"spans\": [{\"start\": 2, \"end\": 1, \"label\": \"X\"}]}", 1, "after end"),
        ("{\"text\": \"abc\", \"spans\": [{\"start\": 0, \"end\": 1}]}", 1, "needs start"),
        ("{\"text\": \"abc\", \"spans\": [{\"start\": 0, \"end\": 1, \"label\": \"X\", \"text\": \"b\"}]}", 1, "does not match"),
        ("{\"text\": \"abc\", \"spans\": {}}", 1, "not an array"),
        ("{\"text\": \"abc\", \"spans\": [{\"start\": 0, \"end\": 1, \"label\": \"X\", \"status\": \"maybe\"}]}", 1, "unknown status"),
    ];
    for (c, line, what) in cases {
        let e = jsonl::import("d.jsonl", c).unwrap_err();
        assert_eq!(e.line, line, "{c}");
        assert!(e.to_string().starts_with("d.jsonl:"), "{e}");
        assert!(e.to_string().contains(what), "{e}");
    }
}

#[test]
fn label_studio_offsets_and_round_trip() {
    let t = label_studio::export_task(&cairo(), Only::All).unwrap();
    let r = &t["annotations"][0]["result"];
    assert_eq!(r[0]["value"]["start"], 6);
    assert_eq!(r[0]["value"]["end"], 15);
    assert_eq!(r[0]["meta"]["wikidata"], "Q1354960");
    assert_eq!(r[1]["value"]["start"], 61);
    assert_eq!(r[1]["value"]["end"], 80);
    assert_eq!(r[1]["value"]["labels"][0], "ORG");
    assert_eq!(
        (r[1]["from_name"].as_str(), r[1]["to_name"].as_str()),
        (Some("label"), Some("text"))
    );
    let p = &t["predictions"][0]["result"][0];
    assert_eq!(
        (p["value"]["start"].as_u64(), p["value"]["end"].as_u64()),
        (Some(35), Some(45))
    );
    assert_eq!(p["meta"]["text"][0], "مع التشكيل\tand a tab\\");
    let c = label_studio::export_task(&cairo(), Only::Confirmed).unwrap();
    assert!(c.get("predictions").is_none());
    let docs = [cairo(), crlf()];
    for only in [Only::All, Only::Confirmed] {
        let f = label_studio::export("tasks.json", &docs, only).unwrap();
        let back = label_studio::import("tasks.json", &f.contents).unwrap();
        assert_eq!(back.len(), 2);
        for (d, b) in docs.iter().zip(&back) {
            assert_eq!(b.name, d.name);
            check_round_trip(d, b, only);
        }
    }
}

#[test]
fn label_studio_import_errors() {
    let e = label_studio::import("t.json", "[\n{\"data\": \n").unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("t.json", 3));
    let cases = [
        (r#"[{"data": {}}]"#, "data.text"),
        (
            r#"{"data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 9, "labels": ["X"]}}]}]}"#,
            "past the end",
        ),
        (
            r#"{"data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 1, "text": "b", "labels": ["X"]}}]}]}"#,
            "does not match",
        ),
        (
            r#"{"data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 1}}]}]}"#,
            "no labels",
        ),
        (
            r#"{"data": {"text": "abc"}, "predictions": {}}"#,
            "not an array",
        ),
        ("3", "array of tasks"),
    ];
    for (c, what) in cases {
        let e = label_studio::import("t.json", c).unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        assert!(e.to_string().starts_with("t.json:"), "{e}");
        assert!(e.to_string().contains(what), "{e}");
    }
    // The line is the one where the failing task starts.
    let f = label_studio::export("t.json", &[cairo(), crlf()], Only::All).unwrap();
    let starts: Vec<usize> = f
        .contents
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "  {")
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(starts.len(), 2);
    let bad = f.contents.replacen("\"end\": 80", "\"end\": 800", 1);
    let e = label_studio::import("t.json", &bad).unwrap_err();
    assert_eq!(e.line, starts[0], "{e}");
    let tail = f.contents.rfind("\"end\": ").unwrap();
    let mut bad = f.contents.clone();
    bad.insert(tail + "\"end\": ".len(), '9');
    let e = label_studio::import("t.json", &bad).unwrap_err();
    assert_eq!(e.line, starts[1], "{e}");
    assert!(e.to_string().contains("task 1"), "{e}");
    // Other result types are ignored; several labels give several annotations.
    let ok = r#"{"data": {"text": "😀 مصر"}, "annotations": [{"result": [{"type": "relation"}, {"type": "labels", "value": {"start": 2, "end": 5, "labels": ["LOC", "GPE"]}}]}]}"#;
    let d = &label_studio::import("t.json", ok).unwrap()[0];
    assert_eq!(d.annotations.len(), 2);
    assert_eq!(d.annotations[1].surface(&d.text), Some("مصر"));
}

#[test]
fn conll_iob2() {
    let c = conll::export(&cairo(), Only::All).unwrap();
    assert_eq!(c.file.name, "cairo.conll");
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let want = "افتتح\tO\nمحمد\tB-PER\nصلاح\tI-PER\nأكاديميةً\tO\nجديدة\tO\nفي\tO\nالقَاهِرَة\tB-LOC\n🇪🇬\tO\nبالتعاون\tO\nمع\tO\nجامعة\tB-ORG\nالدول\tI-ORG\nالعربية\tI-ORG\n🎉\tO\nيوم\tO\nالأحد\tO\n.\tO\n";
    // Flags are two regional indicators, each a token of its own.
    let got = c.file.contents.replace("🇪\tO\n🇬\tO\n", "🇪🇬\tO\n");
    assert_eq!(got, want);
    let confirmed = conll::export(&cairo(), Only::Confirmed).unwrap();
    assert!(confirmed.file.contents.contains("القَاهِرَة\tO\n"));

    let c = conll::export(&crlf(), Only::All).unwrap();
    let sentences: Vec<&str> = c.file.contents.split("\n\n").collect();
    assert_eq!(sentences.len(), 3, "{}", c.file.contents);
    for s in &sentences {
        // Strict IOB2: a sentence never starts inside an entity, every I- follows its type.
        let mut prev = "O".to_string();
        for line in s.lines() {
            let (tok, tag) = line.split_once('\t').unwrap();
            assert!(!tok.is_empty() && !tok.contains(char::is_whitespace));
            if let Some(l) = tag.strip_prefix("I-") {
                assert!(prev.ends_with(&format!("-{l}")), "{s}");
            }
            prev = tag.to_string();
        }
    }
    assert!(c.file.contents.contains("ماكـرون\tB-PER\n"));
    assert!(c.file.contents.contains("وبالقاهرة\u{200F}\tB-LOC\n"));
    assert!(c.file.contents.contains("مُحَمَّد\tB-PER\n"));
    assert!(c.file.contents.contains("\n😀\tB-MISC\nالتقى\tI-MISC\n"));
    let w = c.warnings.join("\n");
    assert!(w.contains("b3") && w.contains("token boundaries"), "{w}");
    assert!(w.contains("b6") && w.contains("sentence boundary"), "{w}");
    let mut nested = cairo();
    let (s, e) = at(&nested.text, "الدول");
    nested.annotations.push(Annotation::new("n1", s, e, "LOC"));
    nested.annotations.push(Annotation::new("n2", s, s, "LOC"));
    let c = conll::export(&nested, Only::All).unwrap();
    assert!(c.file.contents.contains("الدول\tI-ORG\n"));
    assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings);
}

#[test]
fn w3c_selectors() {
    let mut d = cairo();
    d.name = "cairo news#1".into();
    let v = w3c::export_collection(&d, Only::All).unwrap();
    assert_eq!(v["type"], "AnnotationCollection");
    assert_eq!(v["total"], 3);
    let items = v["first"]["items"].as_array().unwrap();
    let org = &items[2];
    assert_eq!(org["id"], "urn:qari:annotation:cairo%20news%231:a3");
    assert_eq!(org["target"]["source"], "urn:qari:doc:cairo%20news%231");
    let sel = &org["target"]["selector"];
    assert_eq!(sel[0]["type"], "TextPositionSelector");
    assert_eq!(
        (sel[0]["start"].as_u64(), sel[0]["end"].as_u64()),
        (Some(61), Some(80))
    );
    assert_eq!(sel[1]["type"], "TextQuoteSelector");
    assert_eq!(sel[1]["exact"], "جامعة الدول العربية");
    assert!(sel[1]["prefix"].as_str().unwrap().ends_with("بالتعاون مع "));
    assert!(sel[1]["suffix"].as_str().unwrap().starts_with(" 🎉 يوم"));
    assert_eq!(org["body"][0]["purpose"], "tagging");
    assert_eq!(org["body"][0]["value"], "ORG");
    let per = &items[0];
    assert_eq!(per["body"][1]["type"], "SpecificResource");
    assert_eq!(per["body"][1]["purpose"], "identifying");
    assert_eq!(
        per["body"][1]["source"],
        "http://www.wikidata.org/entity/Q1354960"
    );
    let loc = &items[1];
    assert_eq!(loc["qari:status"], "suggested");
    assert_eq!(loc["body"][1]["purpose"], "commenting");
    // Selectors agree with each other and with the LF text, also after CRLF and emoji.
    let d = crlf();
    let lf = LfText::new(&d.text).text;
    let chars: Vec<char> = lf.chars().collect();
    let f = w3c::export(&d, Only::All).unwrap();
    assert_eq!(f.name, "crlf.jsonld");
    let v: serde_json::Value = serde_json::from_str(&f.contents).unwrap();
    for it in v["first"]["items"].as_array().unwrap() {
        let sel = &it["target"]["selector"];
        let (s, e) = (
            sel[0]["start"].as_u64().unwrap() as usize,
            sel[0]["end"].as_u64().unwrap() as usize,
        );
        let exact: String = chars[s..e].iter().collect();
        assert_eq!(sel[1]["exact"], exact.as_str());
        let q = Quote {
            exact,
            prefix: sel[1]["prefix"].as_str().unwrap().into(),
            suffix: sel[1]["suffix"].as_str().unwrap().into(),
        };
        let (bs, _) = q.locate(&lf, 0).unwrap();
        assert_eq!(CpMap::new(&lf).to_cp(bs), Some(s));
    }
    let c = w3c::export(&d, Only::Confirmed).unwrap();
    assert!(!c.contents.contains("suggested"));
}

#[test]
fn tagger_mentions_become_suggestions() {
    let text = "قال فلاديمير بوتين في موسكو 😀 إن روسيا مستعدة.\r\nوأكد بوتين ذلك.";
    let tagger = crate::entities::Tagger::shared();
    let arts = vec![tagger.tag_article(text, 0..text.len())];
    let sug = suggestions(&arts);
    assert!(!sug.is_empty());
    assert!(sug.iter().all(|a| a.status == Status::Suggested));
    assert!(sug
        .iter()
        .any(|a| a.surface(text) == Some("موسكو") && a.label == "LOC"));
    let doc = AnnotatedDoc {
        name: "tagged".into(),
        text: text.into(),
        annotations: sug,
    };
    assert!(jsonl::export_line(&doc, Only::Confirmed)
        .unwrap()
        .contains("\"spans\":[]"));
    let f = brat::export(&doc, Only::All).unwrap();
    let back = brat::import("tagged", &f.txt.contents, "tagged.ann", &f.ann.contents).unwrap();
    check_round_trip(&doc, &back, Only::All);
}

#[test]
fn remap_of_an_unchanged_text_is_the_identity() {
    let d = crlf();
    assert_eq!(d.remap_onto(&d.text).unwrap(), d);
    assert!(d.remap_onto("something else").is_err());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Characters that break offset arithmetic: line ends, multi-byte, astral, marks.
    fn text() -> impl Strategy<Value = String> {
        let c = prop::sample::select(vec![
            'a', ' ', '\n', '\r', 'م', 'ح', 'َ', 'ّ', 'ـ', '\u{200C}', '\u{200F}', '😀', '🇪', '١',
            '.', '\t',
        ]);
        prop::collection::vec(c, 0..60).prop_map(|v| v.into_iter().collect())
    }

    fn doc() -> impl Strategy<Value = AnnotatedDoc> {
        text().prop_flat_map(|t| {
            let bounds: Vec<usize> = t
                .char_indices()
                .map(|(i, _)| i)
                .chain([t.len()])
                // brat cannot point between the CR and LF of a CRLF (it is one `\n`).
                .filter(|&i| {
                    !(i > 0 && t.as_bytes()[i - 1] == b'\r' && t.as_bytes().get(i) == Some(&b'\n'))
                })
                .collect();
            let ann = (
                prop::sample::select(bounds.clone()),
                prop::sample::select(bounds),
                prop::sample::select(vec!["PER", "LOC", "X_1"]),
                prop::sample::select(vec![Status::Suggested, Status::Confirmed, Status::Rejected]),
                prop::option::of("[a-z \t\\\\]{0,5}"),
            );
            (Just(t), prop::collection::vec(ann, 0..6)).prop_map(|(t, anns)| {
                let annotations = anns
                    .into_iter()
                    .enumerate()
                    .map(|(i, (a, b, label, status, note))| Annotation {
                        status,
                        note,
                        wikidata: (i % 2 == 0).then(|| format!("Q{i}")),
                        ..Annotation::new(format!("p{i}"), a.min(b), a.max(b), label)
                    })
                    .collect();
                AnnotatedDoc {
                    name: "p".into(),
                    text: t,
                    annotations,
                }
            })
        })
    }

    /// brat spans cannot start or end with a line end (they are written without it).
    fn brat_writable(d: &AnnotatedDoc) -> bool {
        let eol = |c: char| c == '\n' || c == '\r';
        d.annotations.iter().all(|a| {
            let s = &d.text[a.start..a.end];
            !s.starts_with(eol) && !s.ends_with(eol)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn round_trips(d in doc()) {
            let only = Only::All;
            let j = jsonl::export("p.jsonl", std::slice::from_ref(&d), only).unwrap();
            let back = jsonl::import("p.jsonl", &j.contents).unwrap();
            check_round_trip(&d, &back[0], only);
            let l = label_studio::export("p.json", std::slice::from_ref(&d), only).unwrap();
            let back = label_studio::import("p.json", &l.contents).unwrap();
            check_round_trip(&d, &back[0], only);
            if brat_writable(&d) {
                let b = brat::export(&d, only).unwrap();
                let back = brat::import("p", &b.txt.contents, "p.ann", &b.ann.contents).unwrap();
                check_round_trip(&d, &back, only);
            }
            let c = conll::export(&d, only).unwrap();
            for line in c.file.contents.lines().filter(|l| !l.is_empty()) {
                let (tok, _) = line.split_once('\t').unwrap();
                prop_assert!(!tok.is_empty());
            }
            w3c::export(&d, only).unwrap();
        }

        #[test]
        fn imports_never_panic(txt in text(), junk in "[TNA#R*0-9a-z \t;:\n\\[\\]{}\",]{0,80}") {
            let _ = brat::import("p", &txt, "p.ann", &junk);
            let _ = jsonl::import("p.jsonl", &junk);
            let _ = label_studio::import("p.json", &junk);
        }
    }
}
