//! Unicode 15.0 bidi conformance (BidiTest.txt, BidiCharacterTest.txt) through qari's own
//! layout path: `layout_paragraph` with no wrapping, shaping off and format characters revealed,
//! so that every character that keeps a level becomes a cell whose level and visual position
//! can be checked. unicode-bidi only resolves the levels; rules L1 and L2 are qari's.
//!
//! The files reorder characters without rule L3; qari keeps each grapheme cluster (a base and
//! its marks) in one cell, so a cluster must appear as one contiguous block of the expected
//! order, and the blocks must come in the order of qari's cells.

use std::io::{BufRead, BufReader};

use flate2::read::GzDecoder;
use qari::layout::{layout_paragraph, Direction, LayoutOptions};

fn data(name: &str) -> impl Iterator<Item = String> {
    let path = format!("{}/tests/data/unicode/{name}", env!("CARGO_MANIFEST_DIR"));
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    BufReader::new(GzDecoder::new(file))
        .lines()
        .map(|l| l.expect("readable conformance file"))
}

fn options(direction: Direction) -> LayoutOptions {
    LayoutOptions {
        width: None,
        direction,
        shaping: false,
        reveal_format: true,
    }
}

/// Checks one paragraph; returns a description of the first mismatch.
fn check(
    chars: &[char],
    direction: Direction,
    levels: &[Option<u8>],
    order: &[usize],
    para_level: Option<u8>,
) -> Result<(), String> {
    let text: String = chars.iter().collect();
    let mut byte_to_char = vec![usize::MAX; text.len() + 1];
    for (ci, (bi, _)) in text.char_indices().enumerate() {
        byte_to_char[bi] = ci;
    }
    let layout = layout_paragraph(&text, &options(direction));
    if let Some(p) = para_level {
        if layout.rtl != (p == 1) {
            return Err(format!("paragraph level: got rtl={}", layout.rtl));
        }
    }
    if layout.rows.len() != 1 {
        return Err(format!("{} rows", layout.rows.len()));
    }
    // Cells that hold at least one character keeping a level, with their char indices.
    let mut ours: Vec<usize> = Vec::new(); // cell ids in visual order
    let mut cell_of_char = vec![usize::MAX; chars.len()];
    for (cid, cell) in layout.rows[0].cells.iter().enumerate() {
        let first = byte_to_char[cell.source.start];
        let count = text[cell.source.clone()].chars().count();
        let mut kept = false;
        for ci in first..first + count {
            cell_of_char[ci] = cid;
            if let Some(expected) = levels[ci] {
                kept = true;
                if expected != cell.level {
                    return Err(format!(
                        "level of char {ci}: expected {expected}, got {}",
                        cell.level
                    ));
                }
            }
        }
        if kept {
            ours.push(cid);
        }
    }
    // Expected order, collapsed to cells.
    let mut theirs: Vec<usize> = Vec::new();
    for &ci in order {
        let cid = cell_of_char[ci];
        if cid == usize::MAX {
            return Err(format!("char {ci} has no cell"));
        }
        if theirs.last() != Some(&cid) {
            theirs.push(cid);
        }
    }
    if ours != theirs {
        return Err(format!("order: expected cells {theirs:?}, got {ours:?}"));
    }
    Ok(())
}

fn class_char(class: &str) -> char {
    match class {
        "L" => 'a',
        "R" => '\u{05D0}',
        "AL" => '\u{0628}',
        "EN" => '1',
        "ES" => '+',
        "ET" => '$',
        "AN" => '\u{0660}',
        "CS" => ',',
        "NSM" => '\u{0300}',
        "BN" => '\u{200B}',
        "B" => '\u{2029}',
        "S" => '\t',
        "WS" => ' ',
        "ON" => '!',
        "LRE" => '\u{202A}',
        "RLE" => '\u{202B}',
        "PDF" => '\u{202C}',
        "LRO" => '\u{202D}',
        "RLO" => '\u{202E}',
        "LRI" => '\u{2066}',
        "RLI" => '\u{2067}',
        "FSI" => '\u{2068}',
        "PDI" => '\u{2069}',
        other => panic!("unknown bidi class {other}"),
    }
}

fn parse_levels(s: &str) -> Vec<Option<u8>> {
    s.split_whitespace()
        .map(|l| if l == "x" { None } else { l.parse().ok() })
        .collect()
}

fn parse_order(s: &str) -> Vec<usize> {
    s.split_whitespace().map(|n| n.parse().unwrap()).collect()
}

#[test]
fn bidi_test_txt() {
    let mut levels = Vec::new();
    let mut order = Vec::new();
    let (mut cases, mut failures) = (0usize, Vec::new());
    for line in data("BidiTest.txt.gz") {
        let line = line.split('#').next().unwrap_or("").trim().to_string();
        if line.is_empty() {
            continue;
        }
        if let Some(l) = line.strip_prefix("@Levels:") {
            levels = parse_levels(l);
            continue;
        }
        if let Some(o) = line.strip_prefix("@Reorder:") {
            order = parse_order(o);
            continue;
        }
        if line.starts_with('@') {
            continue;
        }
        let (input, bits) = line.split_once(';').expect("input; bitset");
        let chars: Vec<char> = input.split_whitespace().map(class_char).collect();
        let bits: u8 = bits.trim().parse().expect("bitset");
        for (bit, dir) in [
            (1, Direction::Auto),
            (2, Direction::Ltr),
            (4, Direction::Rtl),
        ] {
            if bits & bit == 0 {
                continue;
            }
            cases += 1;
            if let Err(e) = check(&chars, dir, &levels, &order, None) {
                if failures.len() < 20 {
                    failures.push(format!("{input} ({dir:?}): {e}"));
                } else {
                    failures.push(String::new());
                }
            }
        }
    }
    assert!(cases > 700_000, "only {cases} cases read");
    assert!(
        failures.is_empty(),
        "{} of {cases} BidiTest cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn bidi_character_test_txt() {
    let (mut cases, mut failures) = (0usize, Vec::new());
    for line in data("BidiCharacterTest.txt.gz") {
        let line = line.split('#').next().unwrap_or("").trim().to_string();
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(';').collect();
        assert_eq!(f.len(), 5, "{line}");
        let chars: Vec<char> = f[0]
            .split_whitespace()
            .map(|h| char::from_u32(u32::from_str_radix(h, 16).unwrap()).unwrap())
            .collect();
        let dir = match f[1] {
            "0" => Direction::Ltr,
            "1" => Direction::Rtl,
            _ => Direction::Auto,
        };
        let para: u8 = f[2].parse().unwrap();
        cases += 1;
        if let Err(e) = check(
            &chars,
            dir,
            &parse_levels(f[3]),
            &parse_order(f[4]),
            Some(para),
        ) {
            if failures.len() < 20 {
                failures.push(format!("{}: {e}", f[0]));
            } else {
                failures.push(String::new());
            }
        }
    }
    assert!(cases > 90_000, "only {cases} cases read");
    assert!(
        failures.is_empty(),
        "{} of {cases} BidiCharacterTest cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
