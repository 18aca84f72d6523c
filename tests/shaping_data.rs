//! Arabic shaping checked against the Unicode Character Database, not against a hand-typed
//! table: the expectations are derived here from `UnicodeData.txt` (the `<initial>`,
//! `<medial>`, `<final>` and `<isolated>` compatibility decompositions, canonical
//! decompositions, general categories) and `ArabicShaping.txt` (joining types), and the engine
//! is only ever driven through its public API (`layout_paragraph`, shaping on, RTL, one row).
//!
//! The engine's deliberate policy, mirrored by the reference shaper below: a letter with no
//! presentation form at all is drawn isolated whatever happens, so it neither joins nor makes
//! its neighbours join (`qari::layout::shaping::shaping_joining_type`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader};
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use flate2::read::GzDecoder;
use qari::layout::{layout_paragraph, Direction, LayoutOptions};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Cells in logical order: (source byte range, display text).
type Cells = Vec<(Range<usize>, String)>;

const BEH: char = '\u{0628}';
const LAM: char = '\u{0644}';
const TATWEEL: char = '\u{0640}';
const ZWJ: char = '\u{200D}';
const ZWNJ: char = '\u{200C}';

/// Joining_Type values of ArabicShaping.txt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Jt {
    R,
    L,
    D,
    C,
    U,
    T,
}

impl Jt {
    /// Joins toward the following (logically next) letter.
    fn forward(self) -> bool {
        matches!(self, Jt::D | Jt::L | Jt::C)
    }
    /// Accepts a join from the preceding letter.
    fn backward(self) -> bool {
        matches!(self, Jt::D | Jt::R | Jt::C)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Form {
    Isolated,
    Final,
    Initial,
    Medial,
}

impl Form {
    fn from_tag(tag: &str) -> Option<Form> {
        match tag {
            "<isolated>" => Some(Form::Isolated),
            "<final>" => Some(Form::Final),
            "<initial>" => Some(Form::Initial),
            "<medial>" => Some(Form::Medial),
            _ => None,
        }
    }
    fn from_joins(prev: bool, next: bool) -> Form {
        match (prev, next) {
            (false, false) => Form::Isolated,
            (true, false) => Form::Final,
            (false, true) => Form::Initial,
            (true, true) => Form::Medial,
        }
    }
}

/// What the data files say.
struct Ucd {
    general_category: HashMap<char, String>,
    /// Explicit Joining_Type entries of ArabicShaping.txt.
    joining: BTreeMap<char, Jt>,
    /// Single-letter presentation forms: (base, form) -> presentation form.
    forms: HashMap<(char, Form), char>,
    /// Letters that have at least one presentation form.
    has_forms: BTreeSet<char>,
    /// The mandatory lam-alef ligatures: (alef, isolated|final) -> ligature.
    lam_alef: HashMap<(char, Form), char>,
    /// Every positional presentation form of two or more characters, with its form and its
    /// decomposition (the lam-alef ligatures included).
    ligatures: BTreeMap<char, (Form, Vec<char>)>,
    /// Canonical two-character decompositions: composite -> (base, mark), and back.
    decomposition: BTreeMap<char, (char, char)>,
    composition: HashMap<(char, char), char>,
}

fn data_file(name: &str) -> impl Iterator<Item = String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/unicode")
        .join(name);
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    BufReader::new(GzDecoder::new(file))
        .lines()
        .map(|l| l.expect("readable gzip text"))
}

fn hex(s: &str) -> char {
    let cp = u32::from_str_radix(s.trim(), 16).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    char::from_u32(cp).unwrap_or_else(|| panic!("not a scalar value: {s}"))
}

fn ucd() -> &'static Ucd {
    static UCD: OnceLock<Ucd> = OnceLock::new();
    UCD.get_or_init(load)
}

fn load() -> Ucd {
    let mut joining = BTreeMap::new();
    for line in data_file("ArabicShaping.txt.gz") {
        let line = line.split('#').next().unwrap_or("").trim().to_string();
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(';').map(str::trim).collect();
        let jt = match f[2] {
            "R" => Jt::R,
            "L" => Jt::L,
            "D" => Jt::D,
            "C" => Jt::C,
            "U" => Jt::U,
            "T" => Jt::T,
            other => panic!("unknown joining type {other:?} in {line:?}"),
        };
        joining.insert(hex(f[0]), jt);
    }
    let mut ucd = Ucd {
        general_category: HashMap::new(),
        joining,
        forms: HashMap::new(),
        has_forms: BTreeSet::new(),
        lam_alef: HashMap::new(),
        ligatures: BTreeMap::new(),
        decomposition: BTreeMap::new(),
        composition: HashMap::new(),
    };
    let mut positional = Vec::new();
    for line in data_file("UnicodeData.txt.gz") {
        let f: Vec<&str> = line.split(';').collect();
        let Some(c) = u32::from_str_radix(f[0], 16).ok().and_then(char::from_u32) else {
            continue; // surrogates
        };
        ucd.general_category.insert(c, f[2].to_string());
        let mut parts = f[5].split_whitespace();
        let Some(first) = parts.next() else { continue };
        if first.starts_with('<') {
            if let Some(form) = Form::from_tag(first) {
                positional.push((c, form, parts.map(hex).collect::<Vec<char>>()));
            }
        } else {
            let rest: Vec<char> = parts.map(hex).collect();
            if let [mark] = rest[..] {
                ucd.decomposition.insert(c, (hex(first), mark));
                ucd.composition.insert((hex(first), mark), c);
            }
        }
    }
    for (c, form, dec) in positional {
        match dec[..] {
            [base] => {
                let old = ucd.forms.insert((base, form), c);
                assert!(
                    old.is_none(),
                    "two {form:?} forms for U+{:04X}",
                    base as u32
                );
                ucd.has_forms.insert(base);
            }
            _ => {
                ucd.ligatures.insert(c, (form, dec.clone()));
                // The mandatory ligatures: lam and a right-joining (alef) letter.
                if let [LAM, alef] = dec[..] {
                    if ucd.joining_type(alef) == Jt::R {
                        ucd.lam_alef.insert((alef, form), c);
                    }
                }
            }
        }
    }
    ucd
}

impl Ucd {
    /// Joining_Type: explicit, else T for unlisted Mn, Me and Cf, else U.
    fn joining_type(&self, c: char) -> Jt {
        if let Some(&j) = self.joining.get(&c) {
            return j;
        }
        match self.general_category.get(&c).map(String::as_str) {
            Some("Mn" | "Me" | "Cf") => Jt::T,
            _ => Jt::U,
        }
    }

    /// The joining type the engine shapes with: a letter with no presentation form at all
    /// does not join.
    fn shaping_joining_type(&self, c: char) -> Jt {
        match self.joining_type(c) {
            Jt::R | Jt::L | Jt::D if !self.has_forms.contains(&c) => Jt::U,
            j => j,
        }
    }

    fn form(&self, c: char, form: Form) -> Option<char> {
        self.forms.get(&(c, form)).copied()
    }

    /// The form of `c` shown in a context, or `c` itself when the data has no such form.
    fn shown(&self, c: char, form: Form) -> char {
        self.form(c, form).unwrap_or(c)
    }

    fn is_mark(&self, c: char) -> bool {
        self.general_category.get(&c).map(String::as_str) == Some("Mn")
    }

    /// Optional ligatures: every positional form of two or more characters but the
    /// mandatory lam-alef ones.
    fn optional_ligatures(&self) -> BTreeSet<char> {
        let mandatory: BTreeSet<char> = self.lam_alef.values().copied().collect();
        self.ligatures
            .keys()
            .copied()
            .filter(|c| !mandatory.contains(c))
            .collect()
    }

    /// A reference shaper built from the data alone, for text made of letters (any joining
    /// type) and combining marks (Mn) only: one entry per cell, in logical order, as
    /// (source byte range, display text).
    fn reference(&self, text: &str) -> Cells {
        struct Cluster {
            range: Range<usize>,
            base: char,
            marks: String,
            jt: Jt,
        }
        let mut clusters: Vec<Cluster> = Vec::new();
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            if self.is_mark(c) {
                let cl = clusters
                    .last_mut()
                    .expect("reference input starts with a letter");
                // NFC: a base letter and a following hamza/madda compose.
                let composed = self.composition.get(&(cl.base, c));
                if let (true, Some(&comp)) = (cl.marks.is_empty(), composed) {
                    cl.base = comp;
                } else {
                    cl.marks.push(c);
                }
                cl.range.end = end;
                continue;
            }
            clusters.push(Cluster {
                range: i..end,
                base: c,
                marks: String::new(),
                jt: Jt::U,
            });
        }
        for cl in &mut clusters {
            cl.jt = self.shaping_joining_type(cl.base);
        }
        let joins = |a: &Cluster, b: &Cluster| a.jt.forward() && b.jt.backward();
        let mut out = Vec::new();
        let mut i = 0;
        while i < clusters.len() {
            let cl = &clusters[i];
            let prev = i > 0 && joins(&clusters[i - 1], cl);
            if cl.base == LAM && i + 1 < clusters.len() {
                let alef = &clusters[i + 1];
                let form = if prev { Form::Final } else { Form::Isolated };
                if let Some(&lig) = self.lam_alef.get(&(alef.base, form)) {
                    let text = format!("{lig}{}{}", cl.marks, alef.marks);
                    out.push((cl.range.start..alef.range.end, text));
                    i += 2;
                    continue;
                }
            }
            let next = i + 1 < clusters.len() && joins(cl, &clusters[i + 1]);
            // A non-joining letter has one shape: like libfribidi, the engine leaves it as it
            // is (U+0621 HAMZA stays U+0621 although U+FE80 exists).
            let shown = if cl.jt == Jt::U {
                cl.base
            } else {
                self.shown(cl.base, Form::from_joins(prev, next))
            };
            out.push((cl.range.clone(), format!("{shown}{}", cl.marks)));
            i += 1;
        }
        out
    }
}

fn options(shaping: bool) -> LayoutOptions {
    LayoutOptions {
        width: None,
        direction: Direction::Rtl,
        shaping,
        reveal_format: false,
    }
}

/// The engine's cells in logical order (sorted by source), as (source, text).
fn cells(text: &str, shaping: bool) -> Cells {
    let layout = layout_paragraph(text, &options(shaping));
    assert_eq!(layout.rows.len(), 1, "one row without a width: {text:?}");
    let mut cells: Cells = layout
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .map(|c| (c.source.clone(), c.text.to_string()))
        .collect();
    cells.sort_by_key(|(r, _)| r.start);
    cells
}

fn u(s: &str) -> String {
    s.chars()
        .map(|c| format!("U+{:04X}", c as u32))
        .collect::<Vec<_>>()
        .join(" ")
}

fn show(cells: &[(Range<usize>, String)]) -> String {
    cells
        .iter()
        .map(|(r, t)| format!("{r:?}[{}]", u(t)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks the engine against the reference shaper; returns a description of the mismatch.
fn check_reference(ucd: &Ucd, text: &str) -> Result<(), String> {
    // Compared up to canonical equivalence, which draws the same.
    let nfc = |v: Cells| {
        v.into_iter()
            .map(|(r, t)| (r, t.nfc().collect::<String>()))
            .collect::<Vec<_>>()
    };
    let got = nfc(cells(text, true));
    let want = nfc(ucd.reference(text));
    if got != want {
        return Err(format!(
            "input [{}]\n  engine:    {}\n  reference: {}",
            u(text),
            show(&got),
            show(&want)
        ));
    }
    check_unshaped(text)
}

/// With shaping off, the output holds only the input's own characters.
fn check_unshaped(text: &str) -> Result<(), String> {
    let input: BTreeSet<char> = text.chars().collect();
    let got = cells(text, false);
    for (_, t) in &got {
        if let Some(c) = t.chars().find(|c| !input.contains(c)) {
            return Err(format!(
                "shaping off: U+{:04X} is not in the input [{}]: {}",
                c as u32,
                u(text),
                show(&got)
            ));
        }
    }
    Ok(())
}

/// Runs every check, reports all failures at once.
fn report(failures: Vec<String>, what: &str) {
    assert!(
        failures.is_empty(),
        "{} {what} failure(s):\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The letters of ArabicShaping.txt that take part in joining or explicitly do not (not the
/// format characters, tested on their own below).
fn letters(ucd: &Ucd) -> Vec<(char, Jt)> {
    ucd.joining
        .iter()
        .map(|(&c, &j)| (c, j))
        .filter(|&(c, j)| {
            j != Jt::T && ucd.general_category.get(&c).map(String::as_str) != Some("Cf")
        })
        .collect()
}

/// Alone, after beh, before beh, between two behs.
fn contexts(x: &str) -> [String; 4] {
    [
        x.to_string(),
        format!("{BEH}{x}"),
        format!("{x}{BEH}"),
        format!("{BEH}{x}{BEH}"),
    ]
}

#[test]
fn data_files_hold_what_the_tests_rely_on() {
    let ucd = ucd();
    assert!(
        ucd.forms.len() > 200,
        "{} single-letter forms",
        ucd.forms.len()
    );
    assert_eq!(
        ucd.lam_alef.len(),
        8,
        "four lam-alef ligatures, isolated and final"
    );
    for ((alef, _), _) in ucd.lam_alef.iter() {
        assert_eq!(ucd.joining_type(*alef), Jt::R);
    }
    assert_eq!(ucd.form(BEH, Form::Medial), Some('\u{FE92}'));
    assert!(ucd.optional_ligatures().contains(&'\u{FDF2}'));
    assert_eq!(ucd.joining_type(TATWEEL), Jt::C);
    assert_eq!(ucd.joining_type(ZWJ), Jt::C);
    assert_eq!(ucd.joining_type(ZWNJ), Jt::U);
    assert_eq!(
        ucd.joining_type('\u{064E}'),
        Jt::T,
        "unlisted Mn is transparent"
    );
}

#[test]
fn every_joining_letter_in_every_context() {
    let ucd = ucd();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (x, jt) in letters(ucd) {
        if !matches!(jt, Jt::D | Jt::R | Jt::L | Jt::C) || !ucd.has_forms.contains(&x) {
            continue;
        }
        let [alone, after, before, between] = contexts(&x.to_string());
        // The letter's own cell in each context: the form the data has, else the letter.
        let expect = [
            (alone, 0, Form::Isolated),
            (after, 1, Form::from_joins(jt.backward(), false)),
            (before, 0, Form::from_joins(false, jt.forward())),
            (between, 1, Form::from_joins(jt.backward(), jt.forward())),
        ];
        for (text, idx, form) in expect {
            checked += 1;
            let got = cells(&text, true);
            let want = ucd.shown(x, form).to_string();
            if got.get(idx).map(|(_, t)| t) != Some(&want) {
                failures.push(format!(
                    "U+{:04X} ({jt:?}) {form:?} in [{}]: want [{}], engine {}",
                    x as u32,
                    u(&text),
                    u(&want),
                    show(&got)
                ));
            }
            // And the whole word, neighbours included.
            if let Err(e) = check_reference(ucd, &text) {
                failures.push(e);
            }
        }
    }
    assert!(checked > 4 * 70, "only {checked} cases");
    report(failures, "contextual form");
}

#[test]
fn non_joining_letters_stay_unchanged_and_do_not_join() {
    // The letters without any presentation form (whatever their joining type: the engine's
    // policy) and the non-joining ones (U, such as hamza).
    let ucd = ucd();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (x, jt) in letters(ucd) {
        if ucd.shaping_joining_type(x) != Jt::U {
            continue;
        }
        checked += 1;
        let beh = ucd.shown(BEH, Form::Isolated).to_string();
        for text in contexts(&x.to_string()) {
            let got = cells(&text, true);
            let xs = x.to_string();
            for (r, t) in &got {
                let want = if text[r.clone()] == *xs {
                    xs.clone()
                } else {
                    beh.clone()
                };
                if *t != want {
                    failures.push(format!(
                        "U+{:04X} ({jt:?}) in [{}]: engine {}",
                        x as u32,
                        u(&text),
                        show(&got)
                    ));
                    break;
                }
            }
            if let Err(e) = check_reference(ucd, &text) {
                failures.push(e);
            }
        }
    }
    assert!(checked > 300, "only {checked} letters without forms");
    report(failures, "letter without forms");
}

#[test]
fn join_causing_letters_make_neighbours_join() {
    let ucd = ucd();
    let mut failures = Vec::new();
    let (init, fin) = (ucd.shown(BEH, Form::Initial), ucd.shown(BEH, Form::Final));
    for (x, jt) in letters(ucd) {
        if jt != Jt::C {
            continue;
        }
        let text = format!("{BEH}{x}{BEH}");
        let got = cells(&text, true);
        let want: Vec<String> = vec![init.to_string(), x.to_string(), fin.to_string()];
        if got.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>() != want {
            failures.push(format!("U+{:04X} between behs: {}", x as u32, show(&got)));
        }
        if let Err(e) = check_reference(ucd, &text) {
            failures.push(e);
        }
    }
    report(failures, "join-causing");
}

#[test]
fn tatweel_joins_both_sides() {
    let ucd = ucd();
    let mut failures = Vec::new();
    for (x, jt) in letters(ucd) {
        if !ucd.has_forms.contains(&x) || !matches!(jt, Jt::D | Jt::R) {
            continue;
        }
        let cases = [
            (format!("{TATWEEL}{x}"), 1, Form::Final),
            (
                format!("{x}{TATWEEL}"),
                0,
                Form::from_joins(false, jt.forward()),
            ),
            (
                format!("{TATWEEL}{x}{TATWEEL}"),
                1,
                Form::from_joins(true, jt.forward()),
            ),
        ];
        for (text, idx, form) in cases {
            let got = cells(&text, true);
            let want = ucd.shown(x, form).to_string();
            let tatweels_kept = got
                .iter()
                .filter(|(r, _)| text[r.clone()] == *TATWEEL.to_string())
                .all(|(_, t)| *t == TATWEEL.to_string());
            if got.get(idx).map(|(_, t)| t) != Some(&want) || !tatweels_kept {
                failures.push(format!(
                    "U+{:04X} with tatweel [{}]: want {form:?} [{}], engine {}",
                    x as u32,
                    u(&text),
                    u(&want),
                    show(&got)
                ));
            }
            if let Err(e) = check_reference(ucd, &text) {
                failures.push(e);
            }
        }
    }
    report(failures, "tatweel");
}

#[test]
fn lam_alef_ligatures_isolated_and_final_in_one_cell() {
    let ucd = ucd();
    let mut failures = Vec::new();
    for (&(alef, form), &lig) in &ucd.lam_alef {
        let text = match form {
            Form::Isolated => format!("{LAM}{alef}"),
            Form::Final => format!("{BEH}{LAM}{alef}"),
            _ => unreachable!("lam-alef ligatures are isolated or final"),
        };
        let lam_start = text.len() - LAM.len_utf8() - alef.len_utf8();
        let got = cells(&text, true);
        let cell = got.iter().find(|(r, _)| r.start == lam_start);
        if cell != Some(&(lam_start..text.len(), lig.to_string())) {
            failures.push(format!(
                "lam + U+{:04X} {form:?}: want one cell [{}] over {:?}, engine {}",
                alef as u32,
                u(&lig.to_string()),
                lam_start..text.len(),
                show(&got)
            ));
        }
        if form == Form::Final {
            // The beh before it takes its initial form; nothing else is drawn.
            let beh = (0..BEH.len_utf8(), ucd.shown(BEH, Form::Initial).to_string());
            if got.len() != 2 || got[0] != beh {
                failures.push(format!("beh + lam + U+{:04X}: {}", alef as u32, show(&got)));
            }
        }
        // Lam-alef inside a word: beh before and after (alef does not join forward).
        for text in [text.clone(), format!("{text}{BEH}"), format!("{LAM}{text}")] {
            if let Err(e) = check_reference(ucd, &text) {
                failures.push(e);
            }
        }
    }
    report(failures, "lam-alef");
}

/// Every non-spacing mark with joining type T in the Arabic blocks.
fn harakat(ucd: &Ucd) -> Vec<char> {
    const ARABIC_BLOCKS: [(u32, u32); 8] = [
        (0x0600, 0x06FF),
        (0x0750, 0x077F),
        (0x0870, 0x089F),
        (0x08A0, 0x08FF),
        (0xFB50, 0xFDFF),
        (0xFE70, 0xFEFF),
        (0x10EC0, 0x10EFF),
        (0x1EE00, 0x1EEFF),
    ];
    let mut marks: Vec<char> = ucd
        .general_category
        .iter()
        .filter(|(c, gc)| {
            gc.as_str() == "Mn"
                && ARABIC_BLOCKS
                    .iter()
                    .any(|&(lo, hi)| (lo..=hi).contains(&(**c as u32)))
                && ucd.joining_type(**c) == Jt::T
        })
        .map(|(&c, _)| c)
        .collect();
    marks.sort();
    marks
}

#[test]
fn harakat_are_transparent_and_stay_with_their_base() {
    let ucd = ucd();
    let marks = harakat(ucd);
    assert!(marks.len() > 100, "only {} harakat", marks.len());
    let (init, fin) = (ucd.shown(BEH, Form::Initial), ucd.shown(BEH, Form::Final));
    let mut failures = Vec::new();
    for &m in &marks {
        let text = format!("{BEH}{m}{BEH}");
        let first = BEH.len_utf8() + m.len_utf8();
        let want = vec![
            (0..first, format!("{init}{m}")),
            (first..text.len(), fin.to_string()),
        ];
        let got = cells(&text, true);
        if got != want {
            failures.push(format!(
                "beh + U+{:04X} + beh: want {}, engine {}",
                m as u32,
                show(&want),
                show(&got)
            ));
        }
        for text in [
            format!("{BEH}{m}"),
            format!("{BEH}{m}{m}{BEH}"),
            format!("{BEH}{BEH}{m}{BEH}"),
        ] {
            if let Err(e) = check_reference(ucd, &text) {
                failures.push(e);
            }
        }
    }
    report(failures, "haraka");
}

#[test]
fn lam_haraka_alef_keeps_the_haraka_in_the_ligature_cell() {
    let ucd = ucd();
    let mut failures = Vec::new();
    for &m in &harakat(ucd) {
        for (&(alef, form), &lig) in &ucd.lam_alef {
            let prefix = if form == Form::Final { "\u{0628}" } else { "" };
            for (lam_marks, alef_marks) in [
                (m.to_string(), String::new()),
                (String::new(), m.to_string()),
            ] {
                if !alef_marks.is_empty() && ucd.composition.contains_key(&(alef, m)) {
                    continue; // alef + hamza composes (NFC): tested below
                }
                let text = format!("{prefix}{LAM}{lam_marks}{alef}{alef_marks}");
                let want = (prefix.len()..text.len(), format!("{lig}{m}"));
                let got = cells(&text, true);
                if got.last() != Some(&want) {
                    failures.push(format!(
                        "[{}]: want {}, engine {}",
                        u(&text),
                        show(std::slice::from_ref(&want)),
                        show(&got)
                    ));
                }
                if let Err(e) = check_reference(ucd, &text) {
                    failures.push(e);
                }
            }
        }
    }
    report(failures, "lam + haraka + alef");
}

#[test]
fn zwnj_breaks_joins_and_zwj_forces_them() {
    let ucd = ucd();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (x, jt) in letters(ucd) {
        if !ucd.has_forms.contains(&x) || !matches!(jt, Jt::D | Jt::R) {
            continue;
        }
        checked += 1;
        let iso = ucd.shown(x, Form::Isolated).to_string();
        let xl = x.len_utf8();
        let zl = ZWNJ.len_utf8();
        // Each case: input, expected cells (the joiner is drawn nowhere, it stays in the
        // cell of the letter it follows, as a grapheme extender).
        let cases: Vec<(String, Cells)> = vec![
            (
                format!("{x}{ZWNJ}{x}"),
                vec![
                    (0..xl + zl, iso.clone()),
                    (xl + zl..2 * xl + zl, iso.clone()),
                ],
            ),
            (
                format!("{x}{ZWJ}"),
                vec![(
                    0..xl + zl,
                    ucd.shown(x, Form::from_joins(false, jt.forward()))
                        .to_string(),
                )],
            ),
            (
                format!("{BEH}{ZWJ}{x}"),
                vec![
                    (
                        0..BEH.len_utf8() + zl,
                        ucd.shown(BEH, Form::Initial).to_string(),
                    ),
                    (
                        BEH.len_utf8() + zl..BEH.len_utf8() + zl + xl,
                        ucd.shown(x, Form::Final).to_string(),
                    ),
                ],
            ),
            (
                format!("{BEH}{ZWNJ}{x}"),
                vec![
                    (
                        0..BEH.len_utf8() + zl,
                        ucd.shown(BEH, Form::Isolated).to_string(),
                    ),
                    (BEH.len_utf8() + zl..BEH.len_utf8() + zl + xl, iso.clone()),
                ],
            ),
        ];
        for (text, want) in cases {
            let got = cells(&text, true);
            if got != want {
                failures.push(format!(
                    "[{}]: want {}, engine {}",
                    u(&text),
                    show(&want),
                    show(&got)
                ));
            }
            if let Err(e) = check_unshaped(&text) {
                failures.push(e);
            }
        }
    }
    // A lone ZWJ before a letter: a join from nothing still asks for the final form.
    let got = cells(&format!("{ZWJ}{BEH}"), true);
    if got.iter().map(|(_, t)| t.as_str()).collect::<String>()
        != ucd.shown(BEH, Form::Final).to_string()
    {
        failures.push(format!("ZWJ + beh: {}", show(&got)));
    }
    assert!(checked > 70);
    report(failures, "ZWJ/ZWNJ");
}

#[test]
fn decomposed_hamza_and_madda_shape_like_the_precomposed_letter() {
    let ucd = ucd();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (&comp, &(base, mark)) in &ucd.decomposition {
        if !matches!(ucd.joining_type(comp), Jt::D | Jt::R | Jt::L) {
            continue;
        }
        checked += 1;
        let decomposed = format!("{base}{mark}");
        let pre = contexts(&comp.to_string());
        let dec = contexts(&decomposed);
        for (p, d) in pre.iter().zip(&dec) {
            // Canonically equivalent output (U+06C1 U+0654 may stay decomposed as U+06C2 has
            // no presentation form: it is drawn the same).
            let texts = |c: Cells| {
                c.into_iter()
                    .map(|(_, t)| t.nfc().collect::<String>())
                    .collect::<Vec<_>>()
            };
            let (gp, gd) = (cells(p, true), cells(d, true));
            if texts(gp.clone()) != texts(gd.clone()) {
                failures.push(format!(
                    "[{}] shapes as {} but [{}] as {}",
                    u(d),
                    show(&gd),
                    u(p),
                    show(&gp)
                ));
            }
            if let Err(e) = check_reference(ucd, d) {
                failures.push(e);
            }
        }
        // And after a lam: the ligature of the precomposed alef, in one cell.
        for (form, prefix) in [(Form::Isolated, ""), (Form::Final, "\u{0628}")] {
            if let Some(&lig) = ucd.lam_alef.get(&(comp, form)) {
                let text = format!("{prefix}{LAM}{decomposed}");
                let got = cells(&text, true);
                if got.last() != Some(&(prefix.len()..text.len(), lig.to_string())) {
                    failures.push(format!(
                        "[{}]: want [{}], engine {}",
                        u(&text),
                        u(&lig.to_string()),
                        show(&got)
                    ));
                }
            }
        }
    }
    assert!(checked >= 8, "only {checked} decomposable letters");
    report(failures, "NFC");
}

#[test]
fn no_optional_ligature_is_ever_produced() {
    let ucd = ucd();
    let optional = ucd.optional_ligatures();
    assert!(
        optional.len() > 400,
        "{} optional ligatures",
        optional.len()
    );
    let mut failures = Vec::new();
    let mut inputs: Vec<String> = ["الله", "لله", "محمد", "صلى", "اللَّه", "بالله", "عبدالله"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // Every ligature's own letters, in the context its form needs.
    for (form, dec) in ucd.ligatures.values() {
        let seq: String = dec.iter().collect();
        inputs.push(match form {
            Form::Isolated => seq,
            Form::Final => format!("{BEH}{seq}"),
            Form::Initial => format!("{seq}{BEH}"),
            Form::Medial => format!("{BEH}{seq}{BEH}"),
        });
    }
    for text in &inputs {
        let got = cells(text, true);
        for (_, t) in &got {
            if let Some(c) = t.chars().find(|c| optional.contains(c)) {
                failures.push(format!(
                    "[{}] gave ligature U+{:04X}: {}",
                    u(text),
                    c as u32,
                    show(&got)
                ));
            }
        }
        // Only letters and marks go through the reference (spaces are not letters there).
        if text
            .chars()
            .all(|c| ucd.joining.contains_key(&c) || ucd.is_mark(c))
        {
            if let Err(e) = check_reference(ucd, text) {
                failures.push(e);
            }
        }
        if let Err(e) = check_unshaped(text) {
            failures.push(e);
        }
    }
    report(failures, "optional ligature");
}

#[test]
fn allah_is_spelled_with_its_letters() {
    let ucd = ucd();
    // alef isolated, lam initial, lam medial, heh final: no U+FDF2.
    let want: Vec<String> = [
        ucd.shown('\u{0627}', Form::Isolated),
        ucd.shown(LAM, Form::Initial),
        ucd.shown(LAM, Form::Medial),
        ucd.shown('\u{0647}', Form::Final),
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    let got: Vec<String> = cells("الله", true).into_iter().map(|(_, t)| t).collect();
    assert_eq!(got, want);
}

#[test]
fn shaping_off_shows_only_the_input_letters() {
    let ucd = ucd();
    let mut failures = Vec::new();
    for (x, _) in letters(ucd) {
        for text in contexts(&x.to_string()) {
            if let Err(e) = check_unshaped(&text) {
                failures.push(e);
            }
            let got = cells(&text, false);
            let back: String = got.iter().map(|(_, t)| t.as_str()).collect();
            if back != text {
                failures.push(format!(
                    "shaping off changed [{}] to [{}]",
                    u(&text),
                    u(&back)
                ));
            }
        }
    }
    for text in ["لا", "بلا", "لَا", "الله", "ب\u{200C}ب", "بـب", "ا\u{0654}"] {
        let back: String = cells(text, false).iter().map(|(_, t)| t.as_str()).collect();
        let want: String = text.chars().filter(|&c| c != ZWNJ).collect();
        if back != want {
            failures.push(format!(
                "shaping off changed [{}] to [{}]",
                u(text),
                u(&back)
            ));
        }
    }
    report(failures, "shaping off");
}

#[test]
fn format_characters_join_as_their_joining_type_says() {
    // Unlisted Cf characters (LRM, RLM, the embeddings, BOM...) are transparent and keep the
    // join; the ones listed as U (ZWNJ, the isolates...) break it.
    let ucd = ucd();
    let joined = (ucd.shown(BEH, Form::Initial), ucd.shown(BEH, Form::Final));
    let apart = (
        ucd.shown(BEH, Form::Isolated),
        ucd.shown(BEH, Form::Isolated),
    );
    let mut failures = Vec::new();
    let mut checked = 0;
    for (&x, gc) in &ucd.general_category {
        if gc != "Cf" {
            continue;
        }
        let text = format!("{BEH}{x}{BEH}");
        // A prepended concatenation mark (U+0600...) is one cluster with the letter after
        // it: that letter is not a neighbour of the beh before.
        if format!("{x}{BEH}").graphemes(true).count() == 1 {
            continue;
        }
        let want = match ucd.joining_type(x) {
            Jt::T => joined,
            Jt::U => apart,
            Jt::C => continue, // ZWJ: tested with ZWNJ above
            j => panic!("Cf U+{:04X} has joining type {j:?}", x as u32),
        };
        checked += 1;
        let got = cells(&text, true);
        let second = text.len() - BEH.len_utf8();
        // The letter's form leads its cell (an extender such as a tag character may follow).
        let lead = |start: usize| {
            got.iter()
                .find(|(r, _)| r.start == start)
                .and_then(|(_, t)| t.chars().next())
        };
        if (lead(0), lead(second)) != (Some(want.0), Some(want.1)) {
            failures.push(format!(
                "U+{:04X} ({:?}) between behs: want [{}] [{}], engine {}",
                x as u32,
                ucd.joining_type(x),
                u(&want.0.to_string()),
                u(&want.1.to_string()),
                show(&got)
            ));
        }
    }
    assert!(checked > 100, "only {checked} format characters");
    report(failures, "format character");
}

#[test]
fn letters_after_a_prepended_mark_still_shape() {
    // "ب\u{0600}بب": the second beh shares a cluster with U+0600 (GB9b); it must still join
    // the third (initial, final).
    let ucd = ucd();
    let mut failures = Vec::new();
    for (&x, gc) in &ucd.general_category {
        if gc != "Cf" || format!("{x}{BEH}").graphemes(true).count() != 1 {
            continue;
        }
        let text = format!("{BEH}{x}{BEH}{BEH}");
        let got = cells(&text, true);
        let shown: String = got.iter().map(|(_, t)| t.as_str()).collect();
        let (init, fin) = (ucd.shown(BEH, Form::Initial), ucd.shown(BEH, Form::Final));
        if !shown.ends_with(&format!("{init}{fin}")) {
            failures.push(format!("[{}]: engine {}", u(&text), show(&got)));
        }
    }
    report(failures, "prepended mark");
}
