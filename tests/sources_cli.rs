//! `qari outline` through the real binary: text and JSON output, standard input, exit
//! codes and error lines.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The seed file names, as the binary embeds them.
fn seed_names() -> Vec<&'static str> {
    qari::corpus::SAMPLE.iter().map(|(name, _)| *name).collect()
}

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

fn qari(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qari"))
        .args(args)
        .env("NO_COLOR", "1")
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
        // qari may exit before reading (a usage error): a broken pipe is no failure here.
        let _ = child.stdin.take().unwrap().write_all(bytes);
    }
    child.wait_with_output().expect("qari output")
}

fn seed_args() -> Vec<String> {
    seed_names()
        .into_iter()
        .map(|s| seeds_dir().join(s).display().to_string())
        .collect()
}

#[test]
fn outline_text_lists_documents_articles_and_blocks() {
    let mut args = vec!["outline".to_owned()];
    args.extend(seed_args());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = qari(&args, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for s in seed_names() {
        assert!(text.contains(s), "{s} listed");
    }
    assert_eq!(
        text.matches("  encoding: UTF-8 (valid UTF-8), format: text")
            .count(),
        5
    );
    assert_eq!(text.matches("  article ").count(), 7);
    assert!(text.contains("  source: الشرق (inferred from the text)"));
    assert!(text.contains("  article 3: ما أبرز التوقعات بشأن قمة بايدن وبوتين؟ ["));
    assert!(text.contains("boilerplate:navigation"));
    assert!(text.contains("    byline                       347..358      دبي - الشرق"));
}

#[test]
fn outline_json_has_the_documented_schema_and_tiles() {
    let mut args = vec!["outline".to_owned(), "--json".to_owned()];
    args.extend(seed_args());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = qari(&args, None);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 5);
    let mut articles = 0;
    for (d, name) in docs.iter().zip(seed_names()) {
        let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["articles", "encoding", "path", "source"]);
        assert!(d["path"].as_str().unwrap().ends_with(name));
        assert_eq!(d["encoding"], "UTF-8");
        let chars = std::fs::read_to_string(seeds_dir().join(name))
            .unwrap()
            .chars()
            .count() as u64;
        let mut pos = 0;
        for a in d["articles"].as_array().unwrap() {
            articles += 1;
            let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["blocks", "end", "start", "title"]);
            assert_eq!(a["start"].as_u64().unwrap(), pos);
            let mut bpos = pos;
            for b in a["blocks"].as_array().unwrap() {
                assert_eq!(b.as_object().unwrap().len(), 3);
                assert_eq!(b["start"].as_u64().unwrap(), bpos);
                bpos = b["end"].as_u64().unwrap();
            }
            pos = a["end"].as_u64().unwrap();
            assert_eq!(bpos, pos);
        }
        assert_eq!(
            pos, chars,
            "{name}: offsets are code points and tile the text"
        );
    }
    assert_eq!(articles, 7);
}

#[test]
fn outline_reads_standard_input() {
    let bytes = std::fs::read(seeds_dir().join(seed_names()[3])).unwrap();
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(std::str::from_utf8(&bytes).unwrap());
    let out = qari(&["outline", "--json", "-"], Some(&cp1256));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["documents"][0];
    assert_eq!(d["path"], "-");
    assert_eq!(d["encoding"], "windows-1256");
    assert_eq!(d["source"], "الشرق");
    assert_eq!(d["articles"].as_array().unwrap().len(), 1);
}

#[test]
fn outline_reports_bad_paths_and_keeps_going() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("blob.txt");
    std::fs::write(&bin, b"ab\0cd").unwrap();
    let missing = dir.path().join("missing.txt");
    let good = seeds_dir().join(seed_names()[2]);
    let out = qari(
        &[
            "outline",
            &missing.display().to_string(),
            &bin.display().to_string(),
            &good.display().to_string(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "qari: {}: no such file or folder",
            missing.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "qari: {}: binary file: NUL byte at offset 2",
            bin.display()
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "one line per bad path: {err}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(seed_names()[2]) && text.contains("source: وكالات"));

    let out = qari(
        &[
            "outline",
            "--encoding",
            "klingon",
            &good.display().to_string(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown encoding \"klingon\""));
}

#[test]
fn file_names_with_control_characters_are_shown_not_sent() {
    for cmd in ["outline", "render"] {
        let out = qari(&[cmd, "missing\u{1b}[31m.txt"], None);
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        assert!(
            !out.stderr.contains(&0x1b),
            "{cmd}: {:?}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("missing␛[31m.txt"));
    }
}

#[test]
fn render_rejects_widths_no_terminal_has() {
    let out = qari(
        &["render", "--width", "100000000000"],
        Some("مرحبا\n".as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2));
    let out = qari(&["render", "--width", "0"], Some("مرحبا\n".as_bytes()));
    assert_eq!(out.status.code(), Some(2));
}
