//! JSONL spans (the spaCy / Prodigy / doccano convention): one document per line.
//!
//! ```text
//! {"meta":{"name":"doc1"},"spans":[{"end":15,"label":"PER","start":6,"status":"confirmed","text":"محمد صلاح"}],"text":"…"}
//! ```
//! `start`/`end` are code points of `text` (the LF text), end-exclusive. A span also has
//! `kb_id` (the Wikidata id, spaCy's name for it) and `note` when set, and always
//! `status`. Import also accepts doccano's `"label": [[start, end, "LABEL"], …]` and
//! `"entities": [{"start_offset", "end_offset", "label"}]`; a span without `status` is
//! confirmed; a span's `text`, when present, must match the text at its offsets.

use serde_json::{json, Map, Value};

use super::{
    AnnotatedDoc, Annotation, CpMap, ExportError, ExportFile, ImportError, Only, Prepared, Status,
};

/// One JSON line (without the line end) for `doc`.
pub fn export_line(doc: &AnnotatedDoc, only: Only) -> Result<String, ExportError> {
    let p = Prepared::new(doc, only)?;
    let spans: Vec<Value> = p
        .spans
        .iter()
        .map(|&(a, s, e, cs, ce)| {
            let mut m = Map::new();
            m.insert("start".into(), json!(cs));
            m.insert("end".into(), json!(ce));
            m.insert("label".into(), json!(a.label));
            m.insert("text".into(), json!(&p.lf.text[s..e]));
            m.insert("status".into(), json!(a.status.name()));
            if let Some(q) = &a.wikidata {
                m.insert("kb_id".into(), json!(q));
            }
            if let Some(n) = &a.note {
                m.insert("note".into(), json!(n));
            }
            Value::Object(m)
        })
        .collect();
    let v = json!({"text": p.lf.text, "spans": spans, "meta": {"name": doc.name}});
    Ok(v.to_string())
}

/// A `.jsonl` file with one line per document.
pub fn export(
    file_name: &str,
    docs: &[AnnotatedDoc],
    only: Only,
) -> Result<ExportFile, ExportError> {
    let mut contents = String::new();
    for d in docs {
        contents.push_str(&export_line(d, only)?);
        contents.push('\n');
    }
    Ok(ExportFile {
        name: file_name.to_string(),
        contents,
    })
}

/// Read a JSONL file: one document per non-blank line. A document is named by its
/// `meta.name`, else its `id`, else `FILE:LINE`.
pub fn import(file: &str, contents: &str) -> Result<Vec<AnnotatedDoc>, ImportError> {
    let mut docs = Vec::new();
    for (i, line) in contents.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .map_err(|e| ImportError::new(file, n, format!("invalid JSON: {e}")))?;
        docs.push(import_value(file, n, &v)?);
    }
    Ok(docs)
}

fn import_value(file: &str, line: usize, v: &Value) -> Result<AnnotatedDoc, ImportError> {
    let err = |m: String| ImportError::new(file, line, m);
    let text = v
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| err("no string field \"text\"".into()))?;
    let name = v
        .pointer("/meta/name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            v.get("id")
                .map(|id| id.to_string().trim_matches('"').to_string())
        })
        .unwrap_or_else(|| format!("{file}:{line}"));
    let map = CpMap::new(text);
    let mut annotations = Vec::new();
    let mut add = |k: usize,
                   s: Option<u64>,
                   e: Option<u64>,
                   label: Option<&str>,
                   span: Option<&Value>|
     -> Result<(), ImportError> {
        let (Some(s), Some(e), Some(label)) = (s, e, label) else {
            return Err(err(format!("span {k}: needs start, end and label")));
        };
        let (s, e) = (s as usize, e as usize);
        if s > e {
            return Err(err(format!("span {k}: start {s} is after end {e}")));
        }
        let (Some(bs), Some(be)) = (map.to_byte(s), map.to_byte(e)) else {
            return Err(err(format!(
                "span {k}: offsets {s}..{e} are past the end of the text ({} code points)",
                map.len_chars()
            )));
        };
        if label.is_empty() || label.chars().any(char::is_whitespace) {
            return Err(err(format!("span {k}: bad label {label:?}")));
        }
        let mut a = Annotation::new(format!("s{}", k + 1), bs, be, label);
        if let Some(span) = span {
            if let Some(t) = span.get("text").and_then(Value::as_str) {
                if t != &text[bs..be] {
                    return Err(err(format!(
                        "span {k}: text {t:?} does not match the text at {s}..{e} ({:?})",
                        &text[bs..be]
                    )));
                }
            }
            if let Some(st) = span.get("status").and_then(Value::as_str) {
                a.status = Status::parse(st)
                    .ok_or_else(|| err(format!("span {k}: unknown status {st:?}")))?;
            }
            if let Some(id) = span.get("id") {
                a.id = id.to_string().trim_matches('"').to_string();
            }
            a.wikidata = span
                .get("kb_id")
                .and_then(Value::as_str)
                .map(str::to_string);
            a.note = span.get("note").and_then(Value::as_str).map(str::to_string);
        }
        annotations.push(a);
        Ok(())
    };
    if let Some(spans) = v.get("spans") {
        let spans = spans
            .as_array()
            .ok_or_else(|| err("\"spans\" is not an array".into()))?;
        for (k, sp) in spans.iter().enumerate() {
            let g = |f: &str| sp.get(f).and_then(Value::as_u64);
            add(
                k,
                g("start"),
                g("end"),
                sp.get("label").and_then(Value::as_str),
                Some(sp),
            )?;
        }
    }
    if let Some(ents) = v.get("entities").and_then(Value::as_array) {
        for (k, sp) in ents.iter().enumerate() {
            let g = |f: &str| sp.get(f).and_then(Value::as_u64);
            add(
                k,
                g("start_offset"),
                g("end_offset"),
                sp.get("label").and_then(Value::as_str),
                Some(sp),
            )?;
        }
    }
    if let Some(labels) = v.get("label").and_then(Value::as_array) {
        for (k, l) in labels.iter().enumerate() {
            let t = l.as_array();
            let at = |i: usize| t.and_then(|t| t.get(i));
            add(
                k,
                at(0).and_then(Value::as_u64),
                at(1).and_then(Value::as_u64),
                at(2).and_then(Value::as_str),
                None,
            )?;
        }
    }
    Ok(AnnotatedDoc {
        name,
        text: text.to_string(),
        annotations,
    })
}
