//! brat standoff: `NAME.txt` (the LF text) + `NAME.ann`, whose fields are separated by
//! tabs (shown here as `→`):
//!
//! ```text
//! T1→PER 6 15→محمد صلاح
//! A1→Suggested T1
//! N1→Reference T1 Wikidata:Q1354960→محمد صلاح
//! #1→AnnotatorNotes T1→a note
//! ```
//! Offsets are code points of the `.txt`. A span cannot contain a line end in brat, so a
//! span over a line end is written as fragments (`T2\tLOC 0 5;6 9\tfirst second`, surface
//! fragments joined by one space) and imported back as the range from its first start to
//! its last end. Line ends at the start or end of a span are therefore not written (they
//! do not come back on import), and a span made only of line ends is an export error. Suggested annotations carry the binary attribute `Suggested`. Notes are
//! one line: `\`, tab, CR and LF are escaped as `\\`, `\t`, `\r`, `\n`. On import, `R`,
//! `*`, `E` and `M` lines and other attributes are accepted and ignored; normalizations
//! to databases other than Wikidata are ignored. The surface of a `T` line is everything
//! after its second tab, as in brat (a span may contain a tab).

use std::collections::HashMap;

use super::{
    AnnotatedDoc, Annotation, CpMap, ExportError, ExportFile, ImportError, Only, Prepared, Status,
};

/// The two files of a brat export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BratFiles {
    pub txt: ExportFile,
    pub ann: ExportFile,
}

/// Export `doc` as `NAME.txt` + `NAME.ann`.
pub fn export(doc: &AnnotatedDoc, only: Only) -> Result<BratFiles, ExportError> {
    let p = Prepared::new(doc, only)?;
    let text = &p.lf.text;
    let mut ann = String::new();
    let (mut n, mut a_n, mut note_n) = (0, 0, 0);
    for (i, &(a, s, e, _, _)) in p.spans.iter().enumerate() {
        let t = i + 1;
        let frags = fragments(text, s, e);
        if frags.is_empty() {
            return Err(ExportError {
                doc: doc.name.clone(),
                id: a.id.clone(),
                message: "the span is only line ends".into(),
            });
        }
        let offs: Vec<String> = frags
            .iter()
            .map(|&(fs, fe)| format!("{} {}", cp(&p.map, fs), cp(&p.map, fe)))
            .collect();
        let surface: Vec<&str> = frags.iter().map(|&(fs, fe)| &text[fs..fe]).collect();
        let surface = surface.join(" ");
        ann.push_str(&format!(
            "T{t}\t{} {}\t{surface}\n",
            a.label,
            offs.join(";")
        ));
        if a.status == Status::Suggested {
            a_n += 1;
            ann.push_str(&format!("A{a_n}\tSuggested T{t}\n"));
        }
        if let Some(q) = &a.wikidata {
            n += 1;
            ann.push_str(&format!(
                "N{n}\tReference T{t} Wikidata:{}\t{surface}\n",
                q.trim()
            ));
        }
        if let Some(note) = &a.note {
            note_n += 1;
            ann.push_str(&format!(
                "#{note_n}\tAnnotatorNotes T{t}\t{}\n",
                escape(note)
            ));
        }
    }
    Ok(BratFiles {
        txt: ExportFile {
            name: format!("{}.txt", doc.name),
            contents: p.lf.text.clone(),
        },
        ann: ExportFile {
            name: format!("{}.ann", doc.name),
            contents: ann,
        },
    })
}

fn cp(map: &CpMap, b: usize) -> usize {
    // Prepared checked that span ends are char boundaries; fragment ends are next to `\n`.
    map.to_cp(b).unwrap_or(0)
}

/// The maximal runs of `text[s..e]` without `\n`, as byte ranges. An empty span is one
/// empty fragment.
fn fragments(text: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
    if s == e {
        return vec![(s, e)];
    }
    let mut out = Vec::new();
    let mut start = s;
    for (i, c) in text[s..e].char_indices() {
        if c == '\n' {
            if start < s + i {
                out.push((start, s + i));
            }
            start = s + i + 1;
        }
    }
    if start < e {
        out.push((start, e));
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Import a `.txt` + `.ann` pair. The document gets `name`, the `.txt` text as it is, and
/// byte offsets into it (see the module docs of [`super`] to map back onto a CRLF text).
/// Errors name `ann_file` and the 1-based line.
pub fn import(
    name: &str,
    txt: &str,
    ann_file: &str,
    ann: &str,
) -> Result<AnnotatedDoc, ImportError> {
    let map = CpMap::new(txt);
    let err = |line: usize, m: String| ImportError::new(ann_file, line, m);
    let mut annotations: Vec<Annotation> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    // (line, target, kind) to apply once every T line is known.
    enum Extra {
        Suggested,
        Wikidata(String),
        Note(String),
    }
    let mut extras: Vec<(usize, String, Extra)> = Vec::new();
    for (i, raw) in ann.lines().enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        let id = fields[0];
        match id.chars().next() {
            Some('T') => {
                // The surface is everything after the second tab (it may contain tabs).
                let fields: Vec<&str> = raw.splitn(3, '\t').collect();
                if fields.len() != 3 {
                    return Err(err(
                        line,
                        format!("expected 3 tab-separated fields, found {}", fields.len()),
                    ));
                }
                let (label, offs) = fields[1]
                    .split_once(' ')
                    .ok_or_else(|| err(line, "expected `LABEL START END`".into()))?;
                if label.is_empty() {
                    return Err(err(line, "empty label".into()));
                }
                let mut frags: Vec<(usize, usize)> = Vec::new();
                for frag in offs.split(';') {
                    let mut it = frag.split(' ');
                    let (Some(s), Some(e), None) = (it.next(), it.next(), it.next()) else {
                        return Err(err(line, format!("bad fragment {frag:?}")));
                    };
                    let parse = |v: &str| {
                        v.parse::<usize>()
                            .map_err(|_| err(line, format!("bad offset {v:?}")))
                    };
                    let (s, e) = (parse(s)?, parse(e)?);
                    if s > e {
                        return Err(err(line, format!("start {s} is after end {e}")));
                    }
                    let (Some(bs), Some(be)) = (map.to_byte(s), map.to_byte(e)) else {
                        return Err(err(
                            line,
                            format!(
                                "offsets {s} {e} are past the end of the text ({} code points)",
                                map.len_chars()
                            ),
                        ));
                    };
                    frags.push((bs, be));
                }
                let surface: Vec<&str> = frags.iter().map(|&(s, e)| &txt[s..e]).collect();
                let surface = surface.join(" ");
                if surface != fields[2] {
                    return Err(err(
                        line,
                        format!(
                            "text {:?} does not match the .txt at these offsets ({surface:?})",
                            fields[2]
                        ),
                    ));
                }
                let start = frags.iter().map(|f| f.0).min().unwrap_or(0);
                let end = frags.iter().map(|f| f.1).max().unwrap_or(0);
                if by_id.insert(id.to_string(), annotations.len()).is_some() {
                    return Err(err(line, format!("duplicate id {id}")));
                }
                annotations.push(Annotation::new(id, start, end, label));
            }
            Some('A') | Some('M') => {
                let parts: Vec<&str> = fields.get(1).unwrap_or(&"").split(' ').collect();
                if parts.len() < 2 {
                    return Err(err(line, "expected `ATTRIBUTE TARGET [VALUE]`".into()));
                }
                if parts[0] == "Suggested" && parts.len() == 2 {
                    extras.push((line, parts[1].to_string(), Extra::Suggested));
                }
            }
            Some('N') => {
                let parts: Vec<&str> = fields.get(1).unwrap_or(&"").split(' ').collect();
                let [_, target, reference] = parts[..] else {
                    return Err(err(line, "expected `Reference TARGET DB:ID`".into()));
                };
                let Some((db, q)) = reference.split_once(':') else {
                    return Err(err(line, format!("bad reference {reference:?}")));
                };
                if db.eq_ignore_ascii_case("wikidata") {
                    extras.push((line, target.to_string(), Extra::Wikidata(q.to_string())));
                }
            }
            Some('#') => {
                let target = fields
                    .get(1)
                    .and_then(|f| f.split(' ').nth(1))
                    .ok_or_else(|| err(line, "expected `AnnotatorNotes TARGET`".into()))?;
                let note = fields[2..].join("\t");
                extras.push((line, target.to_string(), Extra::Note(unescape(&note))));
            }
            Some('R') | Some('*') | Some('E') => {}
            _ => return Err(err(line, format!("unknown annotation id {id:?}"))),
        }
    }
    for (line, target, extra) in extras {
        let Some(&k) = by_id.get(&target) else {
            // Attributes and notes may target relations or events: only text-bound
            // targets matter here; an unknown T id is an error.
            if target.starts_with('T') {
                return Err(err(line, format!("unknown target {target}")));
            }
            continue;
        };
        let a = &mut annotations[k];
        match extra {
            Extra::Suggested => a.status = Status::Suggested,
            Extra::Wikidata(q) => a.wikidata = Some(q),
            Extra::Note(n) => a.note = Some(n),
        }
    }
    Ok(AnnotatedDoc {
        name: name.to_string(),
        text: txt.to_string(),
        annotations,
    })
}
