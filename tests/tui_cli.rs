//! The reader's command-line faces that need no terminal: config, check-terminal, and
//! `qari` when its output is not a terminal.

use std::process::{Command, Output};

fn qari(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_qari"));
    c.args(args)
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run qari")
}

#[test]
fn the_default_config_is_complete_and_valid() {
    let o = qari(&["config", "--default"], &[]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    let table: toml::Table = text.parse().expect("valid TOML");
    for key in [
        "theme",
        "bidi",
        "shaping",
        "mouse",
        "boilerplate",
        "max_width",
        "panels",
        "keys",
        "annotate_keys",
        "labels",
        "annotate",
        "langmap",
    ] {
        assert!(table.contains_key(key), "{key} missing");
    }
    // Every action has its keys listed, in its mode's table.
    let keys = table["keys"].as_table().unwrap();
    let annotate = table["annotate_keys"].as_table().unwrap();
    for a in qari::tui::action::Action::ALL {
        let t = if a.annotate_only() { annotate } else { keys };
        assert!(t.contains_key(&a.name()), "{} missing", a.name());
    }
}

#[test]
fn a_bad_config_is_reported_with_its_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.toml");
    std::fs::write(&p, "theme = 3\nbogus = true\n").unwrap();
    let o = qari(&["config"], &[("QARI_CONFIG", p.to_str().unwrap())]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("bad.toml: `theme`"), "{err}");
    assert!(err.contains("unknown setting `bogus`"), "{err}");
    let ok = qari(&["config"], &[]);
    assert!(ok.status.success());
}

#[test]
fn check_terminal_explains_without_a_terminal() {
    let o = qari(
        &["check-terminal", "--no-probe"],
        &[("KITTY_WINDOW_ID", "3")],
    );
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("  B  |السلام عليكم"), "{out}");
    assert!(out.contains(&qari::tui::check::visual_sample()));
    assert!(out.contains("force_ltr yes"));
    // Not a terminal: no escape sequence is sent.
    assert!(!out.contains('\x1b'));
}

#[test]
fn without_a_terminal_qari_prints_the_articles() {
    let o = qari(&[], &[]);
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("── 000_94303d6c96739133.txt ──"));
    assert!(out.contains("ﻦﻠﻌﻳ ﻦﻴﺗﻮﺑ"), "visual order, shaped");
    assert!(!out.contains('\x1b'));
    let missing = qari(&["/nonexistent/qari-test"], &[]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8(missing.stderr)
        .unwrap()
        .contains("/nonexistent/qari-test"));
}
