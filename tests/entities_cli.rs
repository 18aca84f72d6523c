//! `qari entities` and `qari tag` through the real binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn qari(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qari"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run qari");
    if let Some(bytes) = stdin {
        let _ = child.stdin.take().unwrap().write_all(bytes);
    }
    child.wait_with_output().expect("qari output")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn sample_corpus_json_offsets_are_code_points() {
    let out = qari(&["entities", "--json"], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs.len(), qari::corpus::SAMPLE.len());
    let mut checked = 0;
    for (d, (_, text)) in docs.iter().zip(qari::corpus::SAMPLE) {
        let chars: Vec<char> = text.chars().collect();
        for a in d["articles"].as_array().unwrap() {
            for e in a["entities"].as_array().unwrap() {
                assert!(["PER", "LOC", "ORG", "MISC"].contains(&e["type"].as_str().unwrap()));
                for m in e["mentions"].as_array().unwrap() {
                    let (s, en) = (
                        m["start"].as_u64().unwrap() as usize,
                        m["end"].as_u64().unwrap() as usize,
                    );
                    let got: String = chars[s..en].iter().collect();
                    assert_eq!(got, m["text"].as_str().unwrap());
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50, "{checked}");
    // Corpus linking: Putin is one entity across the seeds, with his Wikidata id.
    let corpus = v["corpus"].as_array().unwrap();
    let putin: Vec<_> = corpus.iter().filter(|e| e["wikidata"] == "Q7747").collect();
    assert_eq!(putin.len(), 1);
    assert!(putin[0]["occurrences"].as_array().unwrap().len() >= 3);
    assert_eq!(putin[0]["type"], "PER");
}

#[test]
fn text_output_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.txt");
    std::fs::write(
        &p,
        "قال وزير الخارجية الروسي سيرغي لافروف في موسكو إن لافروف سيزور جنيف.\n",
    )
    .unwrap();
    let out = qari(&["entities", p.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("PER  سيرغي لافروف"), "{s}");
    assert!(s.contains("LOC  موسكو Q649"), "{s}");
    assert!(s.contains("corpus"), "{s}");
    // A missing file: exit 1, the error names it, the others are still printed.
    let missing = dir.path().join("missing.txt");
    let out = qari(
        &[
            "entities",
            "--json",
            p.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.txt"));
    assert_eq!(json(&out)["documents"].as_array().unwrap().len(), 1);
    // Bad encoding label: usage error.
    let out = qari(
        &["entities", "--encoding", "nope", p.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn tag_conll_from_stdin() {
    let input = "قال O\nالرئيس O\nجو B-PERS\nبايدن I-PERS\nفي O\nجنيف B-LOC\n\nوصل\nبوتين\n";
    let out = qari(&["tag", "--format", "conll", "-"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines.len(), 6 + 1 + 2 + 1);
    assert_eq!(lines[2], "جو B-PERS");
    assert_eq!(lines[3], "بايدن I-PERS");
    assert_eq!(lines[5], "جنيف B-LOC");
    assert_eq!(lines[6], "");
    assert_eq!(lines[8], "بوتين B-PERS");
}

#[test]
fn tag_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.conll");
    std::fs::write(&bad, b"\xff\xfe\x00x").unwrap();
    let out = qari(&["tag", bad.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.conll"));
    let out = qari(&["tag", "--model", bad.to_str().unwrap()], Some(b"x\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.conll"));
    let out = qari(&["tag", dir.path().join("nope").to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn tag_gazetteer_fill_is_off_by_default_and_the_last_flag_wins() {
    // Institution names the gazetteer knows and the model leaves untagged here.
    let input = "أصدرت\nوزارة\nالطاقة\nالأميركية\nتقديرا\n.\n\nوقال\nرئيس\nأركان\nالجيش\nالإسرائيلي\nإن\nالوضع\nهادئ\n.\n";
    let run = |args: &[&str]| {
        let mut all = vec!["tag"];
        all.extend_from_slice(args);
        let out = qari(&all, Some(input.as_bytes()));
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run(&[]);
    let filled = run(&["--gazetteer-fill"]);
    assert!(!plain.contains("B-ORG"), "{plain}");
    assert!(
        filled.contains("وزارة B-ORG\nالطاقة I-ORG\nالأميركية I-ORG\n"),
        "{filled}"
    );
    assert!(
        filled.contains("الجيش B-ORG\nالإسرائيلي I-ORG\n"),
        "{filled}"
    );
    assert_eq!(run(&["--no-gazetteer-fill"]), plain);
    assert_eq!(run(&["--gazetteer-fill", "--no-gazetteer-fill"]), plain);
    assert_eq!(run(&["--no-gazetteer-fill", "--gazetteer-fill"]), filled);
}
