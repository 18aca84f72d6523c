//! `qari render` through the real binary: options, empty lines, errors, and that no control
//! byte of the input reaches the output.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn qari(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qari"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run qari");
    // qari may exit before reading (a usage error): a broken pipe is no failure here.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().expect("qari output")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn rtl_rows_are_padded_unless_no_pad() {
    let o = qari(
        &["render", "--width", "10", "--shaping", "off"],
        "سلام\n".as_bytes(),
    );
    assert_eq!(stdout(&o), format!("{}مالس\n", " ".repeat(6)));
    let o = qari(
        &["render", "--width", "10", "--shaping", "off", "--no-pad"],
        "سلام\n".as_bytes(),
    );
    assert_eq!(stdout(&o), "مالس\n");
}

#[test]
fn each_input_line_is_a_paragraph_and_empty_lines_stay() {
    let o = qari(
        &["render", "--width", "20", "-"],
        "abc\n\nسلام\r\n".as_bytes(),
    );
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out:?}");
    assert_eq!(lines[0], "abc");
    assert_eq!(lines[1], "");
    assert!(lines[2].ends_with("ﻡﻼﺳ"), "{:?}", lines[2]);
}

#[test]
fn direction_can_be_forced() {
    let o = qari(&["render", "--width", "8", "--direction", "rtl"], b"abc\n");
    assert_eq!(stdout(&o), "     abc\n");
    let o = qari(
        &[
            "render",
            "--width",
            "8",
            "--direction",
            "ltr",
            "--shaping",
            "off",
        ],
        "سلام\n".as_bytes(),
    );
    assert_eq!(stdout(&o), "مالس\n");
}

#[test]
fn an_unreadable_file_is_named_and_the_others_still_render() {
    let dir = std::env::temp_dir().join(format!("qari-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.txt");
    std::fs::write(&good, "hello\n").unwrap();
    let missing = dir.join("missing.txt");
    let o = qari(
        &["render", missing.to_str().unwrap(), good.to_str().unwrap()],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "hello\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("missing.txt"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn control_bytes_never_reach_the_output() {
    let hostile =
        b"title \x1b]0;pwned\x07 \x1b[31mred\x9b \xc2\x9b c1 \x7f del \x00 nul \xff bad\n";
    let o = qari(&["render", "--width", "30"], hostile);
    assert_eq!(o.status.code(), Some(0));
    let out = &o.stdout;
    assert!(
        !out.iter().any(|&b| b < 0x20 && b != b'\n' || b == 0x7f),
        "{:?}",
        String::from_utf8_lossy(out)
    );
    let text = stdout(&o);
    assert!(
        !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
        "{text:?}"
    );
    assert!(text.contains('␛') && text.contains('␇') && text.contains('␡') && text.contains('␀'));
}

#[test]
fn reveal_format_shows_bidi_controls() {
    let input = "a\u{202E}bc\u{202C}\n";
    let hidden = stdout(&qari(&["render", "--width", "20"], input.as_bytes()));
    assert!(!hidden.contains('\u{202E}'));
    assert_eq!(hidden.trim_end().chars().count(), 3);
    let shown = stdout(&qari(
        &["render", "--width", "20", "--reveal-format"],
        input.as_bytes(),
    ));
    assert_eq!(shown.trim_end().chars().count(), 5, "{shown:?}");
}
