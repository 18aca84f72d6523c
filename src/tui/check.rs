//! `qari check-terminal`: a test screen that shows in a few seconds whether this terminal
//! will scramble qari's Arabic, and what to set if it does.
//!
//! Line A is what qari draws (visual order, shaped, mirrored) after asking the terminal
//! not to reorder; line B is the same text in logical order, as `--bidi terminal` sends it,
//! printed before that request. A terminal that leaves text alone shows A right and B
//! backwards; one that reorders regardless shows B right and A backwards. The terminal is
//! also asked (DECRQM) whether it knows the bidi mode at all, and the environment names
//! the terminal for specific advice.

use std::io::{self, IsTerminal, Read, Write};
use std::time::{Duration, Instant};

use crate::layout::{layout_paragraph, Direction, LayoutOptions};

use super::run::{BIDI_OFF, BIDI_RESTORE};

/// The sample: a greeting every reader knows, a name, a number and brackets.
pub const SAMPLE: &str = "السلام عليكم: قمة جنيف (2021) بين بايدن وبوتين";

/// What the terminal said about ECMA-48 mode 8 (BDSM).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Probe {
    /// Not a terminal, or no probe asked for.
    Skipped,
    /// No reply to the mode request (the terminal does not know the mode).
    NoReply,
    /// `CSI 8 ; value $ y`.
    Reply(u8),
}

/// The terminal named by the environment, with what qari needs from it.
pub fn advice_for_environment(env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let mut out = Vec::new();
    let term = env("TERM").unwrap_or_default();
    let program = env("TERM_PROGRAM").unwrap_or_default();
    if env("TMUX").is_some() || term.starts_with("tmux") || term.starts_with("screen") {
        out.push(
            "tmux/screen: the request not to reorder never reaches the outer terminal. \
             If the outer terminal reorders (GNOME Terminal and other VTE terminals, Konsole, \
             kitty), set it up as below for that terminal, or run qari outside tmux, or use \
             `qari --bidi terminal`."
                .into(),
        );
    }
    if env("KITTY_WINDOW_ID").is_some() || term == "xterm-kitty" {
        out.push(
            "kitty: add `force_ltr yes` to kitty.conf; without it kitty reverses runs it \
             guesses are right-to-left, and qari's text comes out backwards."
                .into(),
        );
    }
    if env("KONSOLE_VERSION").is_some() {
        out.push(
            "Konsole: Settings › Edit Current Profile › Advanced: untick \
             \"Bi-Directional text rendering\" (Konsole ignores the request)."
                .into(),
        );
    }
    if let Some(v) = env("VTE_VERSION") {
        let n: u32 = v.trim().parse().unwrap_or(0);
        if n >= 5800 {
            out.push(
                "VTE (GNOME Terminal, Tilix, xfce4-terminal): honours qari's request; nothing \
                 to set."
                    .into(),
            );
        } else {
            out.push(format!(
                "VTE {v}: older than 0.58, it does not reorder; nothing to set."
            ));
        }
    }
    match program.as_str() {
        "WezTerm" => out.push("WezTerm: honours qari's request; nothing to set.".into()),
        "mintty" => out.push("mintty: honours qari's request; nothing to set.".into()),
        "Apple_Terminal" => out.push(
            "Terminal.app reorders every line and cannot be told not to: use \
             `qari --bidi terminal` (one pane at a time)."
                .into(),
        ),
        "iTerm.app" => out.push(
            "iTerm2: untested. If line A below is backwards, use `qari --bidi terminal`.".into(),
        ),
        "ghostty" => out.push("Ghostty: does not reorder; nothing to set.".into()),
        _ => {}
    }
    if env("WT_SESSION").is_some() || env("ALACRITTY_WINDOW_ID").is_some() || term == "foot" {
        out.push("This terminal does not reorder or shape; qari does both. Nothing to set.".into());
    }
    if out.is_empty() && (term == "xterm" || term.starts_with("xterm-")) {
        out.push(format!(
            "TERM={term}: no bidi of its own is known for this terminal; if line A reads \
             right, nothing to set."
        ));
    }
    out
}

/// Lay `SAMPLE` out as qari does (visual order, shaped, right-to-left).
pub fn visual_sample() -> String {
    let l = layout_paragraph(
        SAMPLE,
        &LayoutOptions {
            width: None,
            direction: Direction::Rtl,
            shaping: true,
            reveal_format: false,
        },
    );
    l.rows[0].to_text(false)
}

/// Parse a DECRQM reply for mode 8 out of whatever the terminal sent.
pub fn parse_reply(bytes: &[u8]) -> Option<u8> {
    let s = String::from_utf8_lossy(bytes);
    let i = s.find("\x1b[8;")?;
    let rest = &s[i + 4..];
    let end = rest.find("$y")?;
    rest[..end].parse().ok()
}

fn probe() -> Probe {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Probe::Skipped;
    }
    if ratatui::crossterm::terminal::enable_raw_mode().is_err() {
        return Probe::Skipped;
    }
    let mut out = io::stdout();
    // The mode request, then primary device attributes, which every terminal answers:
    // its reply ends the wait when the first request is ignored.
    let _ = out.write_all(b"\x1b[8$p\x1b[c");
    let _ = out.flush();
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut stdin = io::stdin();
        let mut buf = [0u8; 64];
        while let Ok(n) = stdin.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_millis(700);
    let mut got = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(b) => {
                got.extend(b);
                let s = String::from_utf8_lossy(&got);
                if s.contains("$y") && s.contains('c') || s.ends_with('c') && s.contains("\x1b[?") {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    let _ = ratatui::crossterm::terminal::disable_raw_mode();
    match parse_reply(&got) {
        Some(v) => Probe::Reply(v),
        None => Probe::NoReply,
    }
}

/// Print the check screen. `probe_terminal` asks the terminal about the bidi mode.
pub fn run(probe_terminal: bool) -> io::Result<()> {
    let mut out = io::stdout().lock();
    let is_tty = io::stdout().is_terminal();
    let rule = "─".repeat(60);
    writeln!(
        out,
        "qari check-terminal: will this terminal show Arabic right?"
    )?;
    writeln!(out, "{rule}")?;
    writeln!(
        out,
        "Line B is the sample in logical order (what `--bidi terminal` sends):"
    )?;
    writeln!(out, "  B  |{SAMPLE}|")?;
    out.flush()?;
    if is_tty {
        out.write_all(BIDI_OFF.as_bytes())?;
    }
    writeln!(
        out,
        "Line A is the sample as qari draws it, after asking the terminal not to reorder:"
    )?;
    writeln!(out, "  A  |{}|", visual_sample())?;
    writeln!(
        out,
        "Line A should read, from the right: السلام عليكم, then قمة جنيف, then (2021) with its"
    )?;
    writeln!(
        out,
        "brackets facing the number, then بين بايدن وبوتين, letters joined, ending at the left bar."
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "Cell widths: the bars of these two lines must line up."
    )?;
    let lam_alef = layout_paragraph(
        "لا لا لا لا لا",
        &LayoutOptions {
            width: None,
            direction: Direction::Rtl,
            shaping: true,
            reveal_format: false,
        },
    );
    writeln!(out, "  |123456789|")?;
    writeln!(out, "  |{}|", lam_alef.rows[0].to_text(false))?;
    out.flush()?;
    let probed = if probe_terminal && is_tty {
        drop(out);
        let p = probe();
        out = io::stdout().lock();
        p
    } else {
        Probe::Skipped
    };
    if is_tty {
        out.write_all(BIDI_RESTORE.as_bytes())?;
    }
    writeln!(out)?;
    writeln!(out, "{rule}")?;
    match probed {
        Probe::Reply(2) => writeln!(
            out,
            "The terminal says it honours the request not to reorder (bidi mode 8: explicit)."
        )?,
        Probe::Reply(1) => writeln!(
            out,
            "The terminal knows bidi mode 8 but kept reordering (implicit): see below."
        )?,
        Probe::Reply(v) => writeln!(
            out,
            "The terminal answered the bidi mode request with {v} (0: unknown, 3/4: fixed)."
        )?,
        Probe::NoReply => writeln!(
            out,
            "The terminal did not answer the bidi mode request: it either does no bidi at all \
             (fine: qari does it) or reorders regardless (then line A is backwards)."
        )?,
        Probe::Skipped => {}
    }
    writeln!(
        out,
        "If A reads right: nothing to do, qari's default works here."
    )?;
    writeln!(
        out,
        "If A is backwards and B reads right: this terminal reorders text itself. Turn that off"
    )?;
    writeln!(
        out,
        "  (below), or run `qari --bidi terminal` to let it do the bidi (one pane at a time)."
    )?;
    writeln!(
        out,
        "If letters in A are unjoined boxes: the font lacks Arabic presentation forms; try"
    )?;
    writeln!(out, "  `qari --shaping off` or another monospace font.")?;
    writeln!(
        out,
        "If the bars of the width test do not line up: the font draws lam-alef wider than one"
    )?;
    writeln!(
        out,
        "  cell; `qari --shaping off` keeps lam and alef in two cells."
    )?;
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let advice = advice_for_environment(&env);
    if !advice.is_empty() {
        writeln!(out)?;
        writeln!(out, "For this terminal:")?;
        for a in advice {
            writeln!(out, "  • {a}")?;
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decrqm_replies_parse() {
        assert_eq!(parse_reply(b"\x1b[8;2$y\x1b[?62;c"), Some(2));
        assert_eq!(parse_reply(b"\x1b[?1;2c"), None);
        assert_eq!(parse_reply(b"junk\x1b[8;0$y"), Some(0));
    }

    #[test]
    fn the_visual_sample_is_reordered_and_shaped() {
        let v = visual_sample();
        // Visual order: the last word (وبوتين) comes first, shaped; the number keeps its
        // digits in order and its brackets face it.
        assert!(v.starts_with('\u{FEE6}'), "{v}"); // final noon
        assert!(v.contains("(2021)"), "{v}");
        assert!(!v.contains("السلام"));
    }

    #[test]
    fn advice_names_the_terminals_that_need_a_setting() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let kitty = advice_for_environment(&env(&[("KITTY_WINDOW_ID", "1")]));
        assert!(kitty.iter().any(|a| a.contains("force_ltr yes")));
        let konsole = advice_for_environment(&env(&[("KONSOLE_VERSION", "230804")]));
        assert!(konsole.iter().any(|a| a.contains("Bi-Directional")));
        let tmux_vte = advice_for_environment(&env(&[("TMUX", "/tmp/x"), ("VTE_VERSION", "7600")]));
        assert_eq!(tmux_vte.len(), 2);
        assert!(tmux_vte[0].contains("outer terminal"));
    }
}
